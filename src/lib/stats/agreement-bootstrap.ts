/**
 * Percentile bootstrap CI for any agreement statistic, resampling items (units) with replacement, the unit of
 * sampling in rater studies (Gwet 2014, Handbook of Inter-Rater Reliability, ch. 5; Efron & Tibshirani 1993 ch. 13).
 * Units are sorted canonically (by their tuple of labels) before resampling, so the interval depends only on the
 * seed and the multiset of units, not on their order. Resamples on which the statistic is undefined (NaN, e.g. all
 * raters constant) are left out and counted in `nUndefined`.
 */
import {canonicalOrder} from "./canonical.ts";
import type {Label} from "./categories.ts";
import {quantileSorted} from "./quantile.ts";
import {bootstrapReplicates, type ResampleOptions} from "./resample.ts";

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
