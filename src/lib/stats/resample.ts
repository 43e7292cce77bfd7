/**
 * The nonparametric bootstrap engine (Efron & Tibshirani 1993, An Introduction to the Bootstrap, ch. 6): draw n of
 * n units with replacement B times and evaluate a statistic on each resample. Units are addressed by position, so
 * callers put them in a canonical order first (see canonical.ts) to make results independent of row order.
 */
import {DEFAULT_SEED, xoshiro128ss, type Rng} from "../random.ts";

export interface ResampleOptions {
  /** Number of bootstrap resamples B (default 10,000). */
  nResamples?: number;
  /** Seed of the xoshiro128** generator (default DEFAULT_SEED). */
  seed?: number;
}

export const DEFAULT_RESAMPLES = 10_000;

/** Fill `out` with n draws from [0, n) (one bootstrap resample of unit positions). */
export function drawIndices(rng: Rng, n: number, out: Int32Array): void {
  for (let i = 0; i < out.length; i++) out[i] = rng.nextInt(n);
}

/** B bootstrap replicates of statistic(indices) over n units; a replicate may be NaN where the statistic is undefined. */
export function bootstrapReplicates(n: number, statistic: (indices: Int32Array) => number, options: ResampleOptions = {}): Float64Array {
  return bootstrapReplicateSets(n, 1, (indices, out) => {
    out[0] = statistic(indices);
  }, options)[0];
}

/**
 * Replicates of several statistics on the same B resamples (the draws of bootstrapReplicates under the same seed):
 * `evaluate` writes statistic s of one resample to out[s], and replicates[s][b] is its value on resample b.
 */
export function bootstrapReplicateSets(
  n: number,
  nStatistics: number,
  evaluate: (indices: Int32Array, out: Float64Array) => void,
  options: ResampleOptions = {},
): Float64Array[] {
  const B = options.nResamples ?? DEFAULT_RESAMPLES;
  if (!Number.isInteger(B) || B < 1) throw new RangeError(`nResamples must be a positive integer, got ${B}`);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`bootstrap needs at least one unit, got ${n}`);
  const rng = xoshiro128ss(options.seed ?? DEFAULT_SEED);
  const indices = new Int32Array(n);
  const values = new Float64Array(nStatistics);
  const replicates = Array.from({length: nStatistics}, () => new Float64Array(B));
  for (let b = 0; b < B; b++) {
    drawIndices(rng, n, indices);
    evaluate(indices, values);
    for (let s = 0; s < nStatistics; s++) replicates[s][b] = values[s];
  }
  return replicates;
}
