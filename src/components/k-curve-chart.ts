/**
 * A metric against k (pass^k, pass@k, ...) with confidence intervals: one line per series, a dot per k, a vertical
 * rule for each interval. Series drawn without intervals (self-reported values) are dashed; a missing value is a
 * gap in the line, never a zero.
 */
import * as Plot from "npm:@observablehq/plot";
import {html} from "npm:htl";
import {chartWidth} from "./chart-width.js";

export interface KCurveRow {
  series: string;
  k: number;
  estimate: number | null;
  lo: number | null;
  hi: number | null;
}

export interface KCurveChartOptions {
  width: number;
  /** Axis label of the metric, e.g. "share of tasks". */
  yLabel: string;
  /** What the intervals are (method, level, B); shown as the caption. */
  caption: string;
  /** Series drawn dashed and without intervals (reported, not computed). */
  reported?: readonly string[];
  /** Chart name for the `data-chart` attribute. */
  name?: string;
  height?: number;
}

export function KCurveChart(rows: readonly KCurveRow[], options: KCurveChartOptions): HTMLElement {
  const reported = new Set(options.reported ?? []);
  const withCi = rows.filter((r) => r.estimate !== null && r.lo !== null && r.hi !== null);
  const ks = [...new Set(rows.map((r) => r.k))].sort((a, b) => a - b);
  const plot = Plot.plot({
    width: chartWidth(options.width),
    height: options.height ?? 340,
    x: {label: "k (attempts)", ticks: ks, tickFormat: "d", domain: [Math.min(...ks) - 0.2, Math.max(...ks) + 0.2]},
    // `percent` scales the data by 100 before the domain applies.
    y: {label: options.yLabel, domain: [0, 100], grid: true, percent: true},
    // A legend of dozens of submissions is unreadable; the tip names each dot instead.
    color: {legend: new Set(rows.map((r) => r.series)).size <= 12},
    caption: options.caption,
    marks: [
      Plot.ruleX(withCi, {x: "k", y1: "lo", y2: "hi", stroke: "series", strokeWidth: 2, strokeOpacity: 0.6}),
      // Plot takes a dash pattern per mark, not per datum: computed and reported series are two marks.
      ...[false, true].map((dashed) =>
        Plot.line(
          rows.filter((r) => reported.has(r.series) === dashed),
          {x: "k", y: "estimate", z: "series", stroke: "series", strokeDasharray: dashed ? "4,3" : null, defined: (d: KCurveRow) => d.estimate !== null}
        )
      ),
      Plot.dot(
        rows.filter((r) => r.estimate !== null),
        {
          x: "k",
          y: "estimate",
          fill: (d: KCurveRow) => (reported.has(d.series) ? "white" : d.series),
          stroke: "series",
          r: 3.5,
          tip: true,
          title: (d: KCurveRow) => `${d.series}, k = ${d.k}\n${(100 * (d.estimate as number)).toFixed(1)}%${d.lo === null ? "" : ` [${(100 * d.lo).toFixed(1)}, ${(100 * (d.hi as number)).toFixed(1)}]`}`
        }
      )
    ]
  });
  return html`<figure class="benchlab-chart" data-chart=${options.name ?? "k-curve"}>${plot}</figure>` as HTMLElement;
}
