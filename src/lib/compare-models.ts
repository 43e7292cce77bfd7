/**
 * The "Compare models" analysis of one per-item pass/fail matrix (models x the same items), recomputed in the page
 * whenever an input changes and in Node by the tests, from src/lib/stats only:
 *
 * - each model's pass rate with a bootstrap CI, and each model's paired difference to a reference model with a
 *   bootstrap CI (items resampled as pairs). Percentile intervals come from `matrixBootstrap` (one shared set of
 *   item resamples for every model and pair, fast enough to recompute 18 x 500 at B = 5,000 in a fraction of a
 *   second); BCa intervals from `bootstrapMeanCI` / `bootstrapPairedDifferenceCI` (jackknife acceleration; slower);
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
  matrixBootstrap,
  separablePairs,
  type Interval
} from "./stats/index.ts";

export type Correction = "holm" | "bh" | "none";
export type IntervalMethod = "percentile" | "bca";

/** Models x items: `outcomes[model][i]` is the 0/1 outcome on `items[i]`. */
export interface Matrix {
  items: readonly string[];
  outcomes: Readonly<Record<string, ArrayLike<number>>>;
}

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

export interface BootstrapSettings {
  confidenceLevel: number;
  nResamples: number;
  seed?: number;
}

/** Bootstrap intervals of every model's pass rate and, on demand, of any pair's difference a − b. */
export interface Intervals {
  method: IntervalMethod;
  model: Map<string, Interval>;
  difference(a: string, b: string): Interval;
}

/** The expensive step: the page recomputes it only when the matrix, the confidence level, B or the method change. */
export function bootstrapIntervals(matrix: Matrix, boot: BootstrapSettings, method: IntervalMethod): Intervals {
  const names = Object.keys(matrix.outcomes);
  if (method === "percentile") {
    const r = matrixBootstrap({models: names, items: [...matrix.items], outcomes: names.map((m) => matrix.outcomes[m])}, boot);
    const index = new Map(names.map((m, i) => [m, i]));
    const pairIndex = new Map(r.pairs.map(([a, c], p) => [`${a},${c}`, p]));
    return {
      method,
      model: new Map(names.map((m, i) => [m, r.modelIntervals[i]])),
      difference(a, b) {
        const [i, j] = [index.get(a)!, index.get(b)!];
        const ci = r.pairIntervals[pairIndex.get(`${Math.min(i, j)},${Math.max(i, j)}`)!];
        return i < j ? ci : [-ci[1], -ci[0]];
      }
    };
  }
  const cache = new Map<string, Interval>();
  return {
    method,
    model: new Map(names.map((m) => [m, bootstrapMeanCI(matrix.outcomes[m], boot).bca])),
    difference(a, b) {
      const key = `${a}\u0000${b}`;
      if (!cache.has(key)) cache.set(key, bootstrapPairedDifferenceCI(matrix.outcomes[a], matrix.outcomes[b], boot).bca);
      return cache.get(key)!;
    }
  };
}

/** How many of a model's 0/1 outcomes are 1. */
function passedCount(x: ArrayLike<number>): number {
  let passed = 0;
  for (let i = 0; i < x.length; i++) passed += x[i];
  return passed;
}

export function modelRows(matrix: Matrix, intervals: Intervals): ModelRow[] {
  return Object.keys(matrix.outcomes).map((model) => {
    const x = matrix.outcomes[model];
    const [lo, hi] = intervals.model.get(model)!;
    const passed = passedCount(x);
    return {model, n: x.length, passed, rate: passed / x.length, lo, hi};
  });
}

/** Paired differences of every other model to `reference`, with their bootstrap CIs. */
export function differenceRows(matrix: Matrix, reference: string, intervals: Intervals): DifferenceRow[] {
  if (!(reference in matrix.outcomes)) throw new RangeError(`compare: reference model ${reference} is not in the matrix`);
  return Object.keys(matrix.outcomes)
    .filter((m) => m !== reference)
    .map((model) => {
      const [lo, hi] = intervals.difference(model, reference);
      const [x, y] = [matrix.outcomes[model], matrix.outcomes[reference]];
      return {model, reference, difference: passedCount(x) / x.length - passedCount(y) / y.length, lo, hi};
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
export function compareModels(matrix: Matrix, options: CompareOptions): Comparison {
  const names = Object.keys(matrix.outcomes);
  if (names.length < 2) throw new RangeError(`compareModels needs at least two models, got ${names.length}`);
  const intervals = bootstrapIntervals(matrix, {confidenceLevel: options.confidenceLevel, nResamples: options.nResamples, seed: options.seed}, options.method);
  const pairs = pairRows(matrix.outcomes, options);
  return {
    models: modelRows(matrix, intervals),
    differences: differenceRows(matrix, options.reference, intervals),
    pairs,
    alpha: 1 - options.confidenceLevel,
    nSeparable: pairs.filter((p) => p.separable).length
  };
}
