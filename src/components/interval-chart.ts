/**
 * Dot-and-whisker chart of estimates with their confidence intervals, one row per label (model, slice, judge...),
 * drawn top to bottom in the caller's order: the report puts the worst row on top, so callers sort with
 * `worstFirst` (the chart does not reorder, so the chart, its table and the page's prose agree). Rows with a `flag`
 * are drawn as an open diamond and the flag is listed under the chart. Missing intervals (`lo`/`hi` null) draw the
 * dot alone; a missing estimate is left out and named in the note.
 */
import * as Plot from "npm:@observablehq/plot";
import {html} from "npm:htl";
import {chartWidth} from "./chart-width.js";

export interface IntervalRow {
  label: string;
  estimate: number | null;
  lo: number | null;
  hi: number | null;
  /** Data-quality flag text; the row is drawn differently and the flag is listed. */
  flag?: string | null;
}

export interface IntervalChartOptions {
  width: number;
  /** Axis label of the estimate, e.g. "pass rate (%)". */
  xLabel: string;
  /** What the interval is, e.g. "95% percentile bootstrap CI, B = 2000"; shown as the caption. */
  caption: string;
  /** Fixed x domain, e.g. [0, 100]; default from the data. */
  domain?: [number, number];
  /** A reference line, e.g. a gate at 80 or 0 for differences. */
  reference?: number;
  /** Chart name for the `data-chart` attribute. */
  name?: string;
}

/**
 * `rows` worst first: ascending by `value` (lower is worse), rows without a value last, ties by `label`. The order
 * IntervalChart callers (and the tables behind them) use.
 */
export function worstFirst<T>(rows: readonly T[], value: (row: T) => number | null | undefined, label: (row: T) => string): T[] {
  const key = (row: T) => {
    const v = value(row);
    return v === null || v === undefined || Number.isNaN(v) ? Infinity : v;
  };
  return [...rows].sort((a, b) => key(a) - key(b) || label(a).localeCompare(label(b)));
}

export function IntervalChart(rows: readonly IntervalRow[], options: IntervalChartOptions): HTMLElement {
  const shown = rows.filter((r) => r.estimate !== null && Number.isFinite(r.estimate));
  const missing = rows.filter((r) => !shown.includes(r)).map((r) => r.label);
  // Top to bottom in the caller's order (see the module comment).
  const order = shown.map((r) => r.label);
  const withCi = shown.filter((r) => r.lo !== null && r.hi !== null);
  const plot = Plot.plot({
    width: chartWidth(options.width),
    height: Math.max(120, 22 * order.length + 50),
    marginLeft: Math.min(320, 8 + 6.5 * Math.max(...order.map((l) => l.length), 4)),
    x: {label: options.xLabel, domain: options.domain, grid: true},
    y: {label: null, domain: order},
    caption: options.caption,
    marks: [
      options.reference === undefined ? null : Plot.ruleX([options.reference], {stroke: "currentColor", strokeOpacity: 0.5, strokeDasharray: "4,3"}),
      Plot.ruleY(withCi, {y: "label", x1: "lo", x2: "hi", strokeWidth: 2, strokeOpacity: 0.6}),
      Plot.dot(shown, {
        y: "label",
        x: "estimate",
        r: 4,
        symbol: (d: IntervalRow) => (d.flag ? "diamond" : "circle"),
        fill: (d: IntervalRow) => (d.flag ? "none" : "currentColor"),
        stroke: "currentColor",
        tip: true,
        title: (d: IntervalRow) =>
          `${d.label}\n${d.estimate}${d.lo === null ? "" : ` [${d.lo}, ${d.hi}]`}${d.flag ? `\nflag: ${d.flag}` : ""}`
      })
    ]
  });
  const flagged = shown.filter((r) => r.flag);
  return html`<figure class="benchlab-chart" data-chart=${options.name ?? "interval"}>${plot}${
    flagged.length ? html`<p><small>◇ flagged: ${flagged.map((r) => `${r.label} (${r.flag})`).join("; ")}</small></p>` : ""
  }${missing.length ? html`<p><small>No value for: ${missing.join(", ")}</small></p>` : ""}</figure>` as HTMLElement;
}
