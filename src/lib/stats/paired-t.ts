/**
 * Paired t-test and t interval of the mean per-item difference d_i = a_i − b_i (Student 1908; scipy `ttest_rel`,
 * R `t.test(paired=TRUE)`): t = d̄/(s_d/√n), df = n − 1, CI = d̄ ± t_{n−1, 1−α/2}·s_d/√n.
 * Degenerate cases follow scipy: n = 1 gives t = NaN (df 0); s_d = 0 gives t = NaN if d̄ = 0, else ±∞ with p = 0.
 */
import {assertAligned} from "./binary.ts";
import {studentTQuantile, studentTTwoSidedP} from "./distributions.ts";
import type {Interval} from "./proportion.ts";

export interface PairedTResult {
  n: number;
  meanDiff: number;
  sdDiff: number;
  seDiff: number;
  t: number;
  df: number;
  pTwoSided: number;
  ci: Interval;
}

/**
 * Mean and sample standard deviation (n − 1), two-pass for accuracy. Values are summed in ascending order, so the
 * result is bit-identical whatever order the items came in (floating-point addition is not associative).
 */
export function meanAndSd(values: ArrayLike<number>): {mean: number; sd: number} {
  const x = Float64Array.from(values).sort();
  const n = x.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += x[i];
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (x[i] - mean) ** 2;
  return {mean, sd: n > 1 ? Math.sqrt(ss / (n - 1)) : NaN};
}

export function pairedTTest(a: ArrayLike<number>, b: ArrayLike<number>, options: {confidenceLevel?: number} = {}): PairedTResult {
  assertAligned(a, b, "paired t-test");
  const n = a.length;
  if (n === 0) throw new RangeError("paired t-test: no items");
  const d = Array.from({length: n}, (_, i) => {
    if (!Number.isFinite(a[i]) || !Number.isFinite(b[i])) throw new RangeError(`paired t-test: item ${i} has a missing or non-finite score (a=${a[i]}, b=${b[i]}); drop it or score it`);
    return a[i] - b[i];
  });
  return tInterval(d, options.confidenceLevel ?? 0.95);
}

/** One-sample t statistic and t interval of the mean of d (the paired test applied to differences). */
export function tInterval(d: ArrayLike<number>, confidenceLevel = 0.95): PairedTResult {
  const n = d.length;
  const {mean, sd} = meanAndSd(d);
  const df = n - 1;
  if (n < 2) return {n, meanDiff: mean, sdDiff: NaN, seDiff: NaN, t: NaN, df, pTwoSided: NaN, ci: [NaN, NaN]};
  const se = sd / Math.sqrt(n);
  const t = se === 0 ? (mean === 0 ? NaN : Math.sign(mean) * Infinity) : mean / se;
  const q = studentTQuantile(1 - (1 - confidenceLevel) / 2, df);
  return {n, meanDiff: mean, sdDiff: sd, seDiff: se, t, df, pTwoSided: studentTTwoSidedP(t, df), ci: [mean - q * se, mean + q * se]};
}
