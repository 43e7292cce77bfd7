/**
 * The "Compare models" analysis of one per-item pass/fail matrix (models x the same items), recomputed in the page
 * whenever an input changes and in Node by the tests, from src/lib/stats only:
 *
 * - each model's pass rate with a bootstrap CI (items resampled; percentile or BCa, `bootstrapMeanCI`);
 * - each model's paired difference to a reference model with a bootstrap CI (items resampled as pairs,
 *   `bootstrapPairedDifferenceCI`);
 * - every pair's exact McNemar p-value, adjusted over all pairs (Holm, Benjamini-Hochberg or none); a pair is
 *   separable when the adjusted p is below α = 1 − confidence level (`separablePairs` gives the raw p-values);
 * - for every pair, the items needed to detect a gap δ at that α with 80% power given the pair's observed
 *   discordance rate (`itemsNeededPassFail`; null where the two models disagree on fewer than δ of the items, so
 *   no difference of δ is possible between them).
 */
import {
  benjaminiHochbergAdjust,
  bootstrapMeanCI,
  bootstrapPairedDifferenceCI,
  holmAdjust,
  itemsNeededPassFail,
  separablePairs,
  type BootstrapCI
} from "./stats/index.ts";

export type Correction = "holm" | "bh" | "none";
export type IntervalMethod = "percentile" | "bca";

export interface CompareOptions {
  confidenceLevel: number;
  nResamples: number;
  correction: Correction;
  method: IntervalMethod;
  /** Model the paired differences are taken against. */
  reference: string;
  /** Gap to detect, as a proportion (0.03 = 3 percentage points). */
  gap: number;
  seed?: number;
  /** Power of the items-needed computation (default 0.8). */
  power?: number;
}

export interface ModelRow {
  model: string;
  n: number;
  passed: number;
  rate: number;
  lo: number;
  hi: number;
}

export interface PairRow {
  a: string;
  b: string;
  rate_a: number;
  rate_b: number;
  a_only: number;
  b_only: number;
  p_exact: number;
  p_adjusted: number;
  separable: boolean;
  discordance: number;
  items_needed: number | null;
}

export interface DifferenceRow {
  model: string;
  reference: string;
  difference: number;
  lo: number;
  hi: number;
}

export interface Comparison {
  models: ModelRow[];
  differences: DifferenceRow[];
  pairs: PairRow[];
  alpha: number;
  nSeparable: number;
}

function interval(ci: BootstrapCI, method: IntervalMethod): [number, number] {
  return method === "bca" ? ci.bca : ci.percentile;
}

export interface BootstrapSettings {
  confidenceLevel: number;
  nResamples: number;
  seed?: number;
}

/**
 * Each model's bootstrap CI (percentile and BCa both, so switching the method costs nothing). The expensive step:
 * the page recomputes it only when the confidence level, B or the matrix change.
 */
export function modelIntervals(outcomes: Readonly<Record<string, ArrayLike<number>>>, boot: BootstrapSettings): Map<string, BootstrapCI> {
  return new Map(Object.keys(outcomes).map((model) => [model, bootstrapMeanCI(outcomes[model], boot)]));
}

export function modelRows(outcomes: Readonly<Record<string, ArrayLike<number>>>, intervals: Map<string, BootstrapCI>, method: IntervalMethod): ModelRow[] {
  return Object.keys(outcomes).map((model) => {
    const x = outcomes[model];
    const ci = intervals.get(model)!;
    const [lo, hi] = interval(ci, method);
    let passed = 0;
    for (let i = 0; i < x.length; i++) passed += x[i];
    return {model, n: x.length, passed, rate: ci.point, lo, hi};
  });
}

/** Paired differences of every other model to `reference`, with bootstrap CIs (items resampled as pairs). */
export function differenceRows(outcomes: Readonly<Record<string, ArrayLike<number>>>, reference: string, boot: BootstrapSettings, method: IntervalMethod): DifferenceRow[] {
  if (!(reference in outcomes)) throw new RangeError(`compare: reference model ${reference} is not in the matrix`);
  return Object.keys(outcomes)
    .filter((m) => m !== reference)
    .map((model) => {
      const ci = bootstrapPairedDifferenceCI(outcomes[model], outcomes[reference], boot);
      const [lo, hi] = interval(ci, method);
      return {model, reference, difference: ci.point, lo, hi};
    });
}

/** Every pair's exact McNemar test, adjusted for multiplicity, with the items needed to detect `gap`. */
export function pairRows(
  outcomes: Readonly<Record<string, ArrayLike<number>>>,
  {confidenceLevel, correction, gap, power = 0.8}: {confidenceLevel: number; correction: Correction; gap: number; power?: number}
): PairRow[] {
  const alpha = 1 - confidenceLevel;
  const separability = separablePairs(outcomes, {alpha});
  const raw = separability.pairs.map((p) => p.pMcnemarExact);
  const adjusted = correction === "holm" ? holmAdjust(raw) : correction === "bh" ? benjaminiHochbergAdjust(raw) : raw;
  return separability.pairs.map((p, k) => {
    const discordance = (p.aOnly + p.bOnly) / outcomes[p.pair[0]].length;
    return {
      a: p.pair[0],
      b: p.pair[1],
      rate_a: separability.accuracies[p.pair[0]],
      rate_b: separability.accuracies[p.pair[1]],
      a_only: p.aOnly,
      b_only: p.bOnly,
      p_exact: p.pMcnemarExact,
      p_adjusted: adjusted[k],
      separable: adjusted[k] < alpha,
      discordance,
      items_needed: gap > 0 && discordance >= gap ? itemsNeededPassFail(gap, discordance, {alpha, power}) : null
    };
  });
}

/** The whole comparison in one call (tests and Node use it; the page calls the parts in separate cells). */
export function compareModels(outcomes: Readonly<Record<string, ArrayLike<number>>>, options: CompareOptions): Comparison {
  const names = Object.keys(outcomes);
  if (names.length < 2) throw new RangeError(`compareModels needs at least two models, got ${names.length}`);
  const boot = {confidenceLevel: options.confidenceLevel, nResamples: options.nResamples, seed: options.seed};
  const pairs = pairRows(outcomes, options);
  return {
    models: modelRows(outcomes, modelIntervals(outcomes, boot), options.method),
    differences: differenceRows(outcomes, options.reference, boot, options.method),
    pairs,
    alpha: 1 - options.confidenceLevel,
    nSeparable: pairs.filter((p) => p.separable).length
  };
}
