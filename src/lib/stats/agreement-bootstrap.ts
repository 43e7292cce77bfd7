/**
 * Percentile bootstrap CI for any agreement statistic, resampling items (units) with replacement, the unit of
 * sampling in rater studies (Gwet 2014, Handbook of Inter-Rater Reliability, ch. 5; Efron & Tibshirani 1993 ch. 13).
 * Units are sorted canonically (by their tuple of labels) before resampling, so the interval depends only on the
 * seed and the multiset of units, not on their order. Resamples on which the statistic is undefined (NaN, e.g. all
 * raters constant) are left out and counted in `nUndefined`.
 *
 * Two-rater statistics depend only on the contingency table of the resample (agreement.ts, krippendorff.ts), so
 * contingencyBootstrapCIs resamples tables of counts: O(n + k²) per resample instead of rebuilding label arrays, for
 * several statistics on the same draws. Under the same seed and units it gives agreementBootstrapCI's intervals.
 */
import {canonicalOrder} from "./canonical.ts";
import type {Label} from "./categories.ts";
import {quantileSorted} from "./quantile.ts";
import {bootstrapReplicates, bootstrapReplicateSets, type ResampleOptions} from "./resample.ts";

export interface AgreementInterval {
  point: number;
  /** [low, high] percentile interval; [NaN, NaN] when no resample gave a defined value. */
  interval: [number, number];
  confidenceLevel: number;
  nResamples: number;
  nUndefined: number;
}

/**
 * @param units units × raters ratings (use ratersToUnits(a, b) for two rater columns)
 * @param statistic the agreement statistic of a units × raters table, e.g. (u) => krippendorffAlpha(u)
 */
export function agreementBootstrapCI(
  units: readonly (readonly Label[])[],
  statistic: (units: Label[][]) => number,
  options: ResampleOptions & {confidenceLevel?: number} = {},
): AgreementInterval {
  const level = options.confidenceLevel ?? 0.95;
  if (!(level > 0 && level < 1)) throw new RangeError(`confidenceLevel must be in (0, 1), got ${level}`);
  const sorted = canonicalOrder(units.length, (i) => units[i]).map((i) => [...units[i]]);
  const point = statistic(sorted);
  const replicates = bootstrapReplicates(sorted.length, (idx) => statistic(Array.from(idx, (i) => sorted[i])), options);
  return percentileInterval(point, replicates, level);
}

/**
 * Percentile bootstrap CIs of several two-rater statistics, each a function of a k × k contingency table, on the
 * same resamples of units. `cells(unit)` lists the table cells (row × k + column) that one unit adds a count to:
 * one per complete (rater a, rater b) pair it holds, none when a label is missing. Units are sorted and resampled
 * exactly as in agreementBootstrapCI, so with statistic(units) = tableStatistic(table of the units' cells) both give
 * the same interval for the same seed.
 */
export function contingencyBootstrapCIs<S extends string>(
  units: readonly (readonly Label[])[],
  k: number,
  cells: (unit: readonly Label[]) => readonly number[],
  statistics: Readonly<Record<S, (counts: number[][]) => number>>,
  options: ResampleOptions & {confidenceLevel?: number} = {},
): Record<S, AgreementInterval> {
  const level = options.confidenceLevel ?? 0.95;
  if (!(level > 0 && level < 1)) throw new RangeError(`confidenceLevel must be in (0, 1), got ${level}`);
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`contingency table size must be a positive integer, got ${k}`);
  const names = Object.keys(statistics) as S[];
  // Unit u's cells are cellList[start[u] .. start[u + 1]), units in canonical order.
  const lists = canonicalOrder(units.length, (i) => units[i]).map((i) => cells(units[i]));
  const start = new Int32Array(lists.length + 1);
  lists.forEach((list, u) => {
    start[u + 1] = start[u] + list.length;
  });
  const cellList = new Int32Array(start[lists.length]);
  lists.forEach((list, u) => {
    list.forEach((c, j) => {
      if (!(Number.isInteger(c) && c >= 0 && c < k * k)) throw new RangeError(`cell ${c} is outside the ${k} × ${k} table`);
      cellList[start[u] + j] = c;
    });
  });
  const flat = new Float64Array(k * k);
  const table = Array.from({length: k}, () => new Array<number>(k).fill(0));
  const evaluate = (indices: ArrayLike<number>, out: Float64Array) => {
    flat.fill(0);
    for (let i = 0; i < indices.length; i++) {
      const u = indices[i];
      for (let j = start[u]; j < start[u + 1]; j++) flat[cellList[j]]++;
    }
    for (let r = 0; r < k; r++) for (let c = 0; c < k; c++) table[r][c] = flat[r * k + c];
    names.forEach((name, s) => {
      out[s] = statistics[name](table);
    });
  };
  const point = new Float64Array(names.length);
  evaluate(Int32Array.from(lists.keys()), point);
  const replicates = bootstrapReplicateSets(lists.length, names.length, evaluate, options);
  return Object.fromEntries(names.map((name, s) => [name, percentileInterval(point[s], replicates[s], level)])) as Record<S, AgreementInterval>;
}

function percentileInterval(point: number, replicates: Float64Array, level: number): AgreementInterval {
  const defined = Float64Array.from(replicates.filter((x) => !Number.isNaN(x))).sort();
  const alpha = 1 - level;
  return {
    point,
    interval: [quantileSorted(defined, alpha / 2), quantileSorted(defined, 1 - alpha / 2)],
    confidenceLevel: level,
    nResamples: replicates.length,
    nUndefined: replicates.length - defined.length,
  };
}
