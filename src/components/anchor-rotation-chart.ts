/**
 * Anchor vs rotation over time: one panel per layer, each submission's score (dot, coloured by domain) with its
 * interval, the layer's least-squares trend (solid) and the lines through the points' centroid at the ends of the
 * slope's confidence interval (dashed). Points with an implausible date are drawn as crosses and left out of the
 * trends (the caller fits the trends without them).
 */
import * as Plot from "npm:@observablehq/plot";
import {html} from "npm:htl";
import {chartWidth} from "./chart-width.js";

export interface LayerPointDatum {
  layer: string;
  domain: string;
  system: string;
  date: Date;
  estimate: number;
  lo: number | null;
  hi: number | null;
  flagged: boolean;
}

export interface LayerTrendDatum {
  layer: string;
  /** Slope and its interval, in estimate units per year. */
  slope: number;
  lo: number;
  hi: number;
  meanTime: number;
  meanEstimate: number;
  from: Date;
  to: Date;
}

const YEAR_MS = 365.25 * 86_400_000;

function line(t: LayerTrendDatum, slope: number, kind: string) {
  const at = (d: Date) => t.meanEstimate + (slope * (+d - t.meanTime)) / YEAR_MS;
  return [
    {layer: t.layer, kind, date: t.from, y: at(t.from)},
    {layer: t.layer, kind, date: t.to, y: at(t.to)}
  ];
}

export function AnchorRotationChart(points: readonly LayerPointDatum[], trends: readonly LayerTrendDatum[], {width, yLabel, caption}: {width: number; yLabel: string; caption: string}): HTMLElement {
  const lines = trends.flatMap((t) => [...line(t, t.slope, "trend"), ...line(t, t.lo, "slope CI low"), ...line(t, t.hi, "slope CI high")]);
  const plain = points.filter((p) => !p.flagged);
  const flagged = points.filter((p) => p.flagged);
  const plot = Plot.plot({
    width: chartWidth(width),
    height: 520,
    marginRight: 80,
    x: {type: "utc", label: "submission date"},
    y: {label: yLabel, domain: [0, 100], grid: true},
    fy: {label: null, domain: ["anchor", "rotation"]},
    color: {legend: true},
    caption,
    marks: [
      Plot.frame({strokeOpacity: 0.2}),
      Plot.ruleX(plain.filter((p) => p.lo !== null), {x: "date", y1: "lo", y2: "hi", fy: "layer", stroke: "domain", strokeOpacity: 0.35}),
      Plot.dot(plain, {x: "date", y: "estimate", fy: "layer", fill: "domain", r: 3, tip: true, title: (d: LayerPointDatum) => `${d.system}\n${d.domain}: ${d.estimate}`}),
      Plot.dot(flagged, {x: "date", y: "estimate", fy: "layer", symbol: "times", stroke: "currentColor", r: 5, tip: true, title: (d: LayerPointDatum) => `${d.system}\n${d.domain}: ${d.estimate}\nimplausible date: left out of the trend`}),
      Plot.line(lines.filter((l) => l.kind === "trend"), {x: "date", y: "y", fy: "layer", stroke: "currentColor", strokeWidth: 2}),
      Plot.line(lines.filter((l) => l.kind !== "trend"), {x: "date", y: "y", fy: "layer", z: "kind", stroke: "currentColor", strokeDasharray: "4,3", strokeOpacity: 0.7})
    ]
  });
  return html`<figure class="benchlab-chart" data-chart="anchor-rotation">${plot}</figure>` as HTMLElement;
}
