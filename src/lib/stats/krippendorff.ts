/**
 * Krippendorff's alpha (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability", Annenberg School for
 * Communication, University of Pennsylvania), for units × raters data with missing ratings (null).
 *
 * 1. Keep pairable units (at least 2 ratings). 2. Coincidence matrix o_ck = Σ_u (ordered c–k pairs in u)/(m_u − 1),
 * n_c = Σ_k o_ck, n = Σ_c n_c. 3. α = 1 − (n − 1) Σ o_ck δ²_ck / Σ_{c,k} n_c n_k δ²_ck.
 * Only values observed in pairable units enter (the ordinal metric ranks them). When only one value occurs the
 * ratio is 0/0 and we return NaN (the `krippendorff` package raises; R irr 0.84.1 wrongly returns 1).
 */
import {compareKeys, compareTuples} from "./canonical.ts";
import {checkWeightMatrix} from "./agreement.ts";
import {categoryIndex, type Label} from "./categories.ts";

export type MeasurementLevel = "nominal" | "ordinal" | "interval" | "ratio";

export interface KrippendorffOptions {
  level?: MeasurementLevel;
  /**
   * For the ordinal level with non-numeric labels: their order. Numbers are ordered by value; declared categories
   * never add values to the coincidence matrix.
   */
  categories?: readonly Label[];
}

export interface KrippendorffTableOptions extends KrippendorffOptions {
  /**
   * δ²[i][j] between categories[i] and categories[j], in place of the level's metric (`level` is then ignored):
   * α is defined for a difference function δ², of which the four levels are the common ones (Krippendorff 2011).
   * The judge audit passes the interval metric over a graded scale plus "no verdict" at the scale's largest
   * difference. Finite, non-negative, symmetric and 0 on the diagonal.
   */
  differences?: readonly (readonly number[])[];
}

export function krippendorffAlpha(ratings: readonly (readonly Label[])[], options: KrippendorffOptions = {}): number {
  const level = options.level ?? "nominal";
  // Pairable units, each sorted, in canonical order: sums below are then independent of row and rater order.
  const pairable = ratings
    .map((u) => u.filter((v): v is string | number => v !== null).sort(compareKeys))
    .filter((u) => u.length >= 2)
    .sort(compareTuples);
  const values = orderedValues(new Set<string | number>(pairable.flat()), level, options.categories);
  const index = new Map(values.map((v, i) => [v, i]));
  const V = values.length;
  const o = Array.from({length: V}, () => new Array<number>(V).fill(0));
  for (const unit of pairable) {
    const counts = new Map<number, number>();
    for (const v of unit) counts.set(index.get(v)!, (counts.get(index.get(v)!) ?? 0) + 1);
    const m = unit.length;
    for (const [c, nc] of counts) {
      for (const [k, nk] of counts) o[c][k] += (c === k ? nc * (nc - 1) : nc * nk) / (m - 1);
    }
  }
  return alphaFromCoincidences(o, values, level);
}

/**
 * Krippendorff's alpha of two raters from their contingency table: counts[i][j] = units where rater a gave
 * categories[i] and rater b categories[j]. Units with a missing rating are not pairable, so they are not in the table.
 * With two ratings per unit (m_u = 1 + 1) the coincidence matrix is o_ck = counts[c][k] + counts[k][c], o_cc = 2
 * counts[c][c], the same integers krippendorffAlpha accumulates, so both give the same result to the last bit.
 */
export function krippendorffAlphaFromTable(counts: readonly (readonly number[])[], categories: readonly Label[], options: KrippendorffTableOptions = {}): number {
  const {differences} = options;
  const level = differences ? "nominal" : (options.level ?? "nominal");
  const q = categories.length;
  if (counts.length !== q || counts.some((row) => row.length !== q)) throw new RangeError(`Krippendorff's alpha: the table must be ${q} × ${q}, one row and column per category`);
  if (differences) {
    checkWeightMatrix(differences, q);
    differences.forEach((row, i) => row.forEach((x, j) => {
      if (x !== differences[j][i]) throw new RangeError(`difference [${i}][${j}] = ${x} but [${j}][${i}] = ${differences[j][i]}: a difference function is symmetric`);
    }));
  }
  const observed = new Set<string | number>();
  categories.forEach((c, i) => {
    if (c === null) throw new RangeError("categories: null is not a category (it marks a missing rating)");
    for (let j = 0; j < q; j++) if (counts[i][j] > 0 || counts[j][i] > 0) observed.add(c);
  });
  const values = orderedValues(observed, level, options.categories);
  const position = categoryIndex(categories);
  const at = values.map((v) => position.get(v)!);
  const o = at.map((c) => at.map((k) => (c === k ? 2 * counts[c][c] : counts[c][k] + counts[k][c])));
  return alphaFromCoincidences(o, values, level, differences && ((c, k) => differences[at[c]][at[k]]));
}

/** The values of the coincidence matrix in the order the metric needs (validated for the measurement level). */
function orderedValues(valueSet: ReadonlySet<string | number>, level: MeasurementLevel, categories?: readonly Label[]): (string | number)[] {
  // Checked in canonical order, so the value an error names does not depend on where the values came from.
  const sorted = [...valueSet].sort(compareKeys);
  let values: (string | number)[];
  if (level === "nominal") values = sorted;
  else if (level === "ordinal" && categories && sorted.some((v) => typeof v !== "number")) {
    const order = categories.filter((c): c is string | number => c !== null);
    for (const v of sorted) if (!order.includes(v)) throw new RangeError(`Krippendorff's alpha: value ${JSON.stringify(v)} is not in the declared categories`);
    values = order.filter((c) => valueSet.has(c));
  } else {
    for (const v of sorted) {
      if (typeof v !== "number" || !Number.isFinite(v)) throw new RangeError(`Krippendorff's alpha (${level}): value ${JSON.stringify(v)} is not a finite number; pass ordered categories for ordinal labels`);
    }
    values = sorted;
  }
  if (level === "ratio" && values.some((v) => (v as number) < 0)) throw new RangeError("Krippendorff's alpha (ratio): values must be non-negative");
  return values;
}

/** Step 3 of the module comment: α from the coincidence matrix o over `values`, with the level's δ² or `difference`. */
function alphaFromCoincidences(
  o: readonly (readonly number[])[],
  values: readonly (string | number)[],
  level: MeasurementLevel,
  difference?: (c: number, k: number) => number
): number {
  const V = values.length;
  const nc = o.map((row) => row.reduce((s, x) => s + x, 0));
  const n = nc.reduce((s, x) => s + x, 0);
  const delta2 = (c: number, k: number): number => {
    if (c === k) return 0;
    if (difference) return difference(c, k);
    switch (level) {
      case "nominal":
        return 1;
      case "interval":
        return ((values[c] as number) - (values[k] as number)) ** 2;
      case "ratio": {
        const x = values[c] as number, y = values[k] as number;
        return x + y === 0 ? 0 : ((x - y) / (x + y)) ** 2;
      }
      case "ordinal": {
        const [lo, hi] = c < k ? [c, k] : [k, c];
        let s = 0;
        for (let g = lo; g <= hi; g++) s += nc[g];
        return (s - (nc[c] + nc[k]) / 2) ** 2;
      }
    }
  };
  let observed = 0, expected = 0;
  for (let c = 0; c < V; c++) {
    for (let k = 0; k < V; k++) {
      const d = delta2(c, k);
      if (d === 0) continue;
      observed += o[c][k] * d;
      expected += nc[c] * nc[k] * d;
    }
  }
  return expected === 0 ? NaN : 1 - ((n - 1) * observed) / expected;
}
