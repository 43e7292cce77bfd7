/**
 * One dot per labelled row on two shares (e.g. a judge's first-position preference against its preference for
 * the longer output), with optional reference lines (no bias, the gold rate). No intervals: use it for descriptive
 * shares only, and say so in the caption.
 */
import * as Plot from "npm:@observablehq/plot";
import {html} from "npm:htl";
import {chartWidth} from "./chart-width.js";

export interface ScatterRow {
  label: string;
  x: number | null;
  y: number | null;
}

export interface ScatterChartOptions {
  width: number;
  xLabel: string;
  yLabel: string;
  caption: string;
  xReference?: number | null;
  yReference?: number | null;
  /** Axis domains; default from the data. */
  xDomain?: [number, number];
  yDomain?: [number, number];
  name?: string;
}

export function ScatterChart(rows: readonly ScatterRow[], options: ScatterChartOptions): HTMLElement {
  const placed = rows.filter((r) => r.x !== null && r.y !== null);
  const plot = Plot.plot({
    width: chartWidth(options.width),
    height: 420,
    grid: true,
    x: {label: options.xLabel, domain: options.xDomain},
    y: {label: options.yLabel, domain: options.yDomain},
    caption: options.caption,
    marks: [
      options.xReference == null ? null : Plot.ruleX([options.xReference], {strokeDasharray: "4,3", strokeOpacity: 0.6}),
      options.yReference == null ? null : Plot.ruleY([options.yReference], {strokeDasharray: "4,3", strokeOpacity: 0.6}),
      Plot.dot(placed, {x: "x", y: "y", r: 4, fill: "currentColor", fillOpacity: 0.6, tip: true, title: (d: ScatterRow) => `${d.label}\n${options.xLabel}: ${d.x}\n${options.yLabel}: ${d.y}`})
    ]
  });
  return html`<figure class="benchlab-chart" data-chart=${options.name ?? "scatter"}>${plot}</figure>` as HTMLElement;
}
