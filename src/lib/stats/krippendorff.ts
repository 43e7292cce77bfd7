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
import type {Label} from "./categories.ts";

export type MeasurementLevel = "nominal" | "ordinal" | "interval" | "ratio";

export interface KrippendorffOptions {
  level?: MeasurementLevel;
  /**
   * For the ordinal level with non-numeric labels: their order. Numbers are ordered by value; declared categories
   * never add values to the coincidence matrix.
   */
  categories?: readonly Label[];
}

export function krippendorffAlpha(ratings: readonly (readonly Label[])[], options: KrippendorffOptions = {}): number {
  const level = options.level ?? "nominal";
  // Pairable units, each sorted, in canonical order: sums below are then independent of row and rater order.
  const pairable = ratings
    .map((u) => u.filter((v): v is string | number => v !== null).sort(compareKeys))
    .filter((u) => u.length >= 2)
    .sort(compareTuples);
  const valueSet = new Set<string | number>(pairable.flat());
  let values: (string | number)[];
  if (level === "nominal") values = [...valueSet].sort(compareKeys);
  else if (level === "ordinal" && options.categories && [...valueSet].some((v) => typeof v !== "number")) {
    const order = options.categories.filter((c): c is string | number => c !== null);
    for (const v of valueSet) if (!order.includes(v)) throw new RangeError(`Krippendorff's alpha: value ${JSON.stringify(v)} is not in the declared categories`);
    values = order.filter((c) => valueSet.has(c));
  } else {
    for (const v of valueSet) {
      if (typeof v !== "number" || !Number.isFinite(v)) throw new RangeError(`Krippendorff's alpha (${level}): value ${JSON.stringify(v)} is not a finite number; pass ordered categories for ordinal labels`);
    }
    values = [...valueSet].sort(compareKeys);
  }
  if (level === "ratio" && values.some((v) => (v as number) < 0)) throw new RangeError("Krippendorff's alpha (ratio): values must be non-negative");
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
  const nc = o.map((row) => row.reduce((s, x) => s + x, 0));
  const n = nc.reduce((s, x) => s + x, 0);
  const delta2 = (c: number, k: number): number => {
    if (c === k) return 0;
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
