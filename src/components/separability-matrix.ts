/**
 * Separability matrix: one cell per model pair, filled when the pair is separable (its adjusted p-value is below α),
 * with the adjusted p-value in the tooltip. Models are ordered as given (e.g. by pass rate) on both axes; each pair
 * is drawn in both halves so the matrix reads from either model.
 */
import * as Plot from "npm:@observablehq/plot";
import {html} from "npm:htl";
import {chartWidth} from "./chart-width.js";

export interface PairCell {
  a: string;
  b: string;
  p_adjusted: number;
  separable: boolean;
}

export function SeparabilityMatrix(pairs: readonly PairCell[], {width, order, caption}: {width: number; order: string[]; caption: string}): HTMLElement {
  const cells = pairs.flatMap((p) => [
    {x: p.a, y: p.b, p: p.p_adjusted, separable: p.separable},
    {x: p.b, y: p.a, p: p.p_adjusted, separable: p.separable}
  ]);
  const margin = Math.min(260, 8 + 6.5 * Math.max(...order.map((l) => l.length), 4));
  const size = Math.min(chartWidth(width), margin + 26 * order.length + 20);
  const plot = Plot.plot({
    width: size,
    height: size,
    marginLeft: margin,
    marginBottom: margin,
    x: {domain: order, tickRotate: -60, label: null},
    y: {domain: order, label: null},
    color: {domain: [true, false], range: ["currentColor", "transparent"]},
    caption,
    marks: [
      Plot.cell(cells, {x: "x", y: "y", fill: "separable", stroke: "currentColor", strokeOpacity: 0.3, inset: 1, tip: true,
        title: (d: {x: string; y: string; p: number; separable: boolean}) => `${d.x} vs ${d.y}\nadjusted p = ${d.p.toPrecision(3)}\n${d.separable ? "separable" : "not separable"}`})
    ]
  });
  return html`<figure class="benchlab-chart" data-chart="separability-matrix">${plot}</figure>` as HTMLElement;
}
