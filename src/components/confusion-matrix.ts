/**
 * A confusion matrix as a grid of cells: rows = the judge's label, columns = the reference label, each cell shaded
 * by its share of all pairs and labelled with its count. Takes the `{categories, counts}` of an audit block
 * (src/lib/judge/audit.ts); labels are drawn as Plot text, never as HTML.
 */
import * as Plot from "npm:@observablehq/plot";
import {html} from "npm:htl";
import {chartWidth} from "./chart-width.js";

export interface Confusion {
  categories: string[];
  /** counts[i][j] = pairs with judge label categories[i] and reference label categories[j]. */
  counts: number[][];
}

export interface ConfusionMatrixOptions {
  width: number;
  judgeLabel: string;
  referenceLabel: string;
  caption?: string;
  /** Display names of the categories (e.g. {"1": "output 1", "2": "output 2"}). */
  names?: Record<string, string>;
  name?: string;
}

export function ConfusionMatrix(confusion: Confusion, options: ConfusionMatrixOptions): HTMLElement {
  const name = (c: string) => options.names?.[c] ?? c;
  const total = confusion.counts.flat().reduce((a, b) => a + b, 0);
  const cells = confusion.categories.flatMap((judge, i) =>
    confusion.categories.map((reference, j) => ({judge: name(judge), reference: name(reference), count: confusion.counts[i][j], share: total ? confusion.counts[i][j] / total : 0}))
  );
  const domain = confusion.categories.map(name);
  const plot = Plot.plot({
    width: Math.min(chartWidth(options.width), 120 + 110 * domain.length),
    height: 60 + 60 * domain.length,
    marginLeft: 100,
    x: {label: options.referenceLabel, domain, axis: "top"},
    y: {label: options.judgeLabel, domain},
    color: {scheme: "blues", domain: [0, 1]},
    caption: options.caption,
    marks: [
      Plot.cell(cells, {x: "reference", y: "judge", fill: "share", inset: 1}),
      Plot.text(cells, {x: "reference", y: "judge", text: (d: {count: number}) => d.count.toLocaleString("en-US"), fill: (d: {share: number}) => (d.share > 0.5 ? "white" : "black")})
    ]
  });
  return html`<figure class="benchlab-chart" data-chart=${options.name ?? "confusion"}>${plot}</figure>` as HTMLElement;
}
