/**
 * Cost (or effort) against quality, one dot per system with its quality CI as a vertical rule; the Pareto set
 * (computed by the page with src/lib/decision/pareto.ts) is drawn as a connected step line with filled dots,
 * dominated systems as open dots. An optional budget draws a vertical line and rings the system that wins there.
 * Systems with a missing cost are not drawn (they cannot be placed); the page lists them.
 */
import * as Plot from "npm:@observablehq/plot";
import {html} from "npm:htl";
import {chartWidth} from "./chart-width.js";

export interface FrontierRow {
  label: string;
  x: number | null;
  quality: number | null;
  lo: number | null;
  hi: number | null;
  frontier: boolean;
  /** Data-quality flag text; drawn as a diamond. */
  flag?: string | null;
}

export interface FrontierChartOptions {
  width: number;
  xLabel: string;
  yLabel: string;
  caption: string;
  logX?: boolean;
  budget?: number | null;
  winner?: string | null;
  name?: string;
}

export function FrontierChart(rows: readonly FrontierRow[], options: FrontierChartOptions): HTMLElement {
  const placed = rows.filter((r) => r.x !== null && r.quality !== null && Number.isFinite(r.x) && (!options.logX || (r.x as number) > 0));
  const front = placed.filter((r) => r.frontier).sort((a, b) => (a.x as number) - (b.x as number));
  const winner = placed.filter((r) => r.label === options.winner);
  const plot = Plot.plot({
    width: chartWidth(options.width),
    height: 420,
    marginRight: 140, // room for the labels of the Pareto set
    grid: true,
    x: {label: options.xLabel, type: options.logX ? "log" : "linear"},
    y: {label: options.yLabel},
    caption: options.caption,
    marks: [
      options.budget == null ? null : Plot.ruleX([options.budget], {stroke: "currentColor", strokeDasharray: "4,3", strokeOpacity: 0.6}),
      Plot.ruleX(placed.filter((r) => r.lo !== null && r.hi !== null), {x: "x", y1: "lo", y2: "hi", strokeOpacity: 0.35}),
      Plot.line(front, {x: "x", y: "quality", curve: "step-after", stroke: "currentColor", strokeOpacity: 0.7}),
      Plot.dot(placed, {
        x: "x",
        y: "quality",
        r: 4.5,
        symbol: (d: FrontierRow) => (d.flag ? "diamond" : "circle"),
        fill: (d: FrontierRow) => (d.frontier ? "currentColor" : "none"),
        stroke: "currentColor",
        tip: true,
        title: (d: FrontierRow) =>
          `${d.label}\n${options.xLabel}: ${d.x}\n${options.yLabel}: ${d.quality}${d.lo === null ? "" : ` [${d.lo}, ${d.hi}]`}${d.frontier ? "\nPareto set" : ""}${d.flag ? `\nflag: ${d.flag}` : ""}`
      }),
      Plot.dot(winner, {x: "x", y: "quality", r: 9, stroke: "currentColor", strokeWidth: 2, fill: "none"}),
      Plot.text(front, {x: "x", y: "quality", text: "label", dx: 7, dy: -7, textAnchor: "start", fontSize: 10})
    ]
  });
  return html`<figure class="benchlab-chart" data-chart=${options.name ?? "frontier"}>${plot}</figure>` as HTMLElement;
}
