/**
 * Confidence intervals for a pass rate: x successes in n trials, p̂ = x/n, z = Φ⁻¹(1 − α/2).
 * Each matches statsmodels `proportion_confint` (or scipy `binomtest(...).proportion_ci`) as named below.
 * n = 0 is undefined and throws.
 */
import {betaQuantile, normalQuantile} from "./distributions.ts";

export type Interval = [number, number];

export type ProportionMethod = "wilson" | "wilson_cc" | "clopper_pearson" | "jeffreys" | "agresti_coull" | "wald";

function check(x: number, n: number, level: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`proportion interval: n must be a positive integer, got ${n} (a pass rate over no items is undefined)`);
  if (!Number.isInteger(x) || x < 0 || x > n) throw new RangeError(`proportion interval: successes must be an integer in [0, ${n}], got ${x}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`confidence level must be in (0, 1), got ${level}`);
}

const clip01 = (v: number) => Math.min(1, Math.max(0, v));

/** Wilson score interval (Wilson 1927, JASA 22:209) = statsmodels method="wilson" = R prop.test(correct=FALSE). */
export function wilsonInterval(x: number, n: number, confidenceLevel = 0.95): Interval {
  check(x, n, confidenceLevel);
  const z = normalQuantile(1 - (1 - confidenceLevel) / 2), p = x / n, z2 = z * z;
  const center = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  // Exactly within [0, 1] in real arithmetic; at x = 0 or x = n rounding can step one ulp outside.
  return [clip01(center - half), clip01(center + half)];
}

/**
 * Continuity-corrected Wilson interval (Newcombe 1998, Stat Med 17:857, method 4) = scipy proportion_ci("wilsoncc").
 * The lower limit is 0 at x = 0 and the upper limit 1 at x = n.
 */
export function wilsonCCInterval(x: number, n: number, confidenceLevel = 0.95): Interval {
  check(x, n, confidenceLevel);
  const z = normalQuantile(1 - (1 - confidenceLevel) / 2), p = x / n, z2 = z * z, denominator = 2 * (n + z2);
  const low = x === 0 ? 0 : (2 * n * p + z2 - 1 - z * Math.sqrt(z2 - 2 - 1 / n + 4 * p * (n * (1 - p) + 1))) / denominator;
  const high = x === n ? 1 : (2 * n * p + z2 + 1 + z * Math.sqrt(z2 + 2 - 1 / n + 4 * p * (n * (1 - p) - 1))) / denominator;
  return [clip01(low), clip01(high)];
}

/**
 * Clopper–Pearson exact interval (Clopper & Pearson 1934, Biometrika 26:404):
 * [Beta⁻¹(α/2; x, n−x+1), Beta⁻¹(1−α/2; x+1, n−x)], 0 at x = 0 and 1 at x = n, α split between the sides even at
 * the boundary = statsmodels method="beta" = R binom.test.
 */
export function clopperPearsonInterval(x: number, n: number, confidenceLevel = 0.95): Interval {
  check(x, n, confidenceLevel);
  const alpha = 1 - confidenceLevel;
  return [x === 0 ? 0 : betaQuantile(alpha / 2, x, n - x + 1), x === n ? 1 : betaQuantile(1 - alpha / 2, x + 1, n - x)];
}

/** Jeffreys interval: equal-tailed Beta(x + ½, n − x + ½) quantiles (Brown, Cai & DasGupta 2001) = statsmodels "jeffreys". */
export function jeffreysInterval(x: number, n: number, confidenceLevel = 0.95): Interval {
  check(x, n, confidenceLevel);
  const alpha = 1 - confidenceLevel;
  return [betaQuantile(alpha / 2, x + 0.5, n - x + 0.5), betaQuantile(1 - alpha / 2, x + 0.5, n - x + 0.5)];
}

/** Agresti–Coull interval (Agresti & Coull 1998, Am Stat 52:119), clipped to [0, 1] = statsmodels "agresti_coull". */
export function agrestiCoullInterval(x: number, n: number, confidenceLevel = 0.95): Interval {
  check(x, n, confidenceLevel);
  const z = normalQuantile(1 - (1 - confidenceLevel) / 2), nTilde = n + z * z, pTilde = (x + (z * z) / 2) / nTilde;
  const half = z * Math.sqrt((pTilde * (1 - pTilde)) / nTilde);
  return [clip01(pTilde - half), clip01(pTilde + half)];
}

/** Wald interval p̂ ± z√(p̂(1−p̂)/n), clipped to [0, 1] = statsmodels "normal". Degenerate ([0,0]) at x = 0. */
export function waldInterval(x: number, n: number, confidenceLevel = 0.95): Interval {
  check(x, n, confidenceLevel);
  const z = normalQuantile(1 - (1 - confidenceLevel) / 2), p = x / n, half = z * Math.sqrt((p * (1 - p)) / n);
  return [clip01(p - half), clip01(p + half)];
}

const METHODS: Record<ProportionMethod, (x: number, n: number, level: number) => Interval> = {
  wilson: wilsonInterval,
  wilson_cc: wilsonCCInterval,
  clopper_pearson: clopperPearsonInterval,
  jeffreys: jeffreysInterval,
  agresti_coull: agrestiCoullInterval,
  wald: waldInterval,
};

/** Interval for a pass rate by the named method (default Wilson). */
export function proportionInterval(x: number, n: number, options: {method?: ProportionMethod; confidenceLevel?: number} = {}): Interval {
  return METHODS[options.method ?? "wilson"](x, n, options.confidenceLevel ?? 0.95);
}
