/** Charts of the "Discriminative power and saturation" page. */
import * as Plot from "npm:@observablehq/plot";
import {html} from "npm:htl";
import {chartWidth} from "./chart-width.js";

export interface RankingDatum {
  board: string;
  basis: string;
  value: number | null;
  lo?: number | null;
  hi?: number | null;
}

/** Boards ranked by one measure: bars (or dots with intervals when `lo`/`hi` are given); missing values listed. */
export function RankingChart(rows: readonly RankingDatum[], {width, label, caption, name = "ranking"}: {width: number; label: string; caption: string; name?: string}): HTMLElement {
  const shown = rows.filter((r) => r.value !== null && Number.isFinite(r.value));
  const missing = rows.filter((r) => !shown.includes(r)).map((r) => r.board);
  const order = [...shown].sort((a, b) => (b.value as number) - (a.value as number)).map((r) => r.board);
  const kind = (d: RankingDatum) => (d.basis.startsWith("per-item") ? "per-item matrix" : "aggregates");
  const withCi = shown.some((r) => r.lo !== undefined);
  const plot = Plot.plot({
    width: chartWidth(width),
    height: 24 * order.length + 60,
    marginLeft: 230,
    x: {label, grid: true},
    y: {domain: order, label: null},
    color: {legend: true, domain: ["per-item matrix", "aggregates"]},
    caption,
    marks: withCi
      ? [
          Plot.ruleY(shown.filter((r) => r.lo !== null && r.lo !== undefined), {y: "board", x1: "lo", x2: "hi", stroke: kind, strokeWidth: 2}),
          Plot.dot(shown, {y: "board", x: "value", fill: kind, r: 4, tip: true})
        ]
      : [Plot.barX(shown, {y: "board", x: "value", fill: kind, tip: true}), Plot.ruleX([0])]
  });
  return html`<figure class="benchlab-chart" data-chart=${name}>${plot}${missing.length ? html`<p><small>Not computable (—): ${missing.join(", ")}</small></p>` : ""}</figure>` as HTMLElement;
}

export interface HistoryDatum {
  board: string;
  snapshot_date: Date;
  leader_pct: number;
  leader_lo_pct: number | null;
  leader_hi_pct: number | null;
  fifth_pct: number | null;
  saturation_index: number | null;
}

/** Leader's score with its Wilson band and fifth place over leaderboard versions, and the saturation index below. */
export function SaturationHistoryChart(rows: readonly HistoryDatum[], {width, caption}: {width: number; caption: string}): HTMLElement {
  const top = Plot.plot({
    width: chartWidth(width),
    height: 300,
    x: {type: "utc", label: null},
    y: {label: "resolved (%)", domain: [0, 100], grid: true},
    color: {legend: true},
    marks: [
      Plot.areaY(rows.filter((r) => r.leader_lo_pct !== null), {x: "snapshot_date", y1: "leader_lo_pct", y2: "leader_hi_pct", fill: "board", fillOpacity: 0.2, curve: "step-after"}),
      Plot.line(rows, {x: "snapshot_date", y: "leader_pct", stroke: "board", curve: "step-after", tip: true}),
      Plot.line(rows.filter((r) => r.fifth_pct !== null), {x: "snapshot_date", y: "fifth_pct", stroke: "board", strokeDasharray: "3,3", curve: "step-after"}),
      Plot.ruleY([100], {strokeOpacity: 0.5})
    ]
  });
  const bottom = Plot.plot({
    width: chartWidth(width),
    height: 160,
    x: {type: "utc", label: "leaderboard version date"},
    y: {label: "saturation index", domain: [0, 1], grid: true},
    marks: [Plot.line(rows.filter((r) => r.saturation_index !== null), {x: "snapshot_date", y: "saturation_index", stroke: "board", curve: "step-after", tip: true})]
  });
  return html`<figure class="benchlab-chart" data-chart="saturation-history">${top}${bottom}<figcaption>${caption}</figcaption></figure>` as HTMLElement;
}

/** Items by the number of models that solve them (0 = solved by none, all = solved by every model). */
export function SolvedByChart(rows: readonly {solved_by: number; models: number}[], {width, caption}: {width: number; caption: string}): HTMLElement {
  const plot = Plot.plot({
    width: chartWidth(width),
    height: 220,
    x: {label: "models that solve the item", interval: 1},
    y: {label: "items", grid: true},
    caption,
    marks: [Plot.barY(rows, Plot.groupX({y: "count"}, {x: "solved_by", tip: true})), Plot.ruleY([0])]
  });
  return html`<figure class="benchlab-chart" data-chart="items-solved-by">${plot}</figure>` as HTMLElement;
}
