/**
 * Bootstrap confidence intervals of a mean score: percentile and BCa, for one list of item scores, for the paired
 * difference of two models on the same items, and for clustered items (Efron & Tibshirani 1993, An Introduction to
 * the Bootstrap, ch. 13–14; Davison & Hinkley 1997, Bootstrap Methods and their Application, §3.8).
 *
 * - Percentile: [Q(α/2), Q(1−α/2)] of the B replicates, type-7 quantiles (as scipy.stats.bootstrap).
 * - BCa (Efron 1987, JASA 82:171): z0 = Φ⁻¹(p0), acceleration a from the jackknife,
 *   α1,2 = Φ(z0 + (z0 + z_{α/2, 1−α/2}) / (1 − a(z0 + z_{α/2, 1−α/2}))), interval [Q(α1), Q(α2)].
 *   p0 follows scipy ≥ 1.10: ties with θ̂ count one half, p0 = (#{θ* < θ̂} + #{θ* ≤ θ̂}) / 2B. Ties are detected
 *   with a tolerance of 1e-12 × the data scale, because a resampled mean equal to θ̂ can land one ulp away.
 *   Efron's strict p0 = #{θ* < θ̂}/B (R `boot`) is also returned as `bcaEfronStrict`: on pass/fail data many
 *   replicates equal θ̂ and the two differ by a lattice step or more (golden README, decision 1).
 * - Paired difference: items resampled as pairs, so the statistic is the mean of d_i = a_i − b_i (scipy paired=True).
 * - Cluster bootstrap: clusters resampled with replacement; the statistic is the pooled item mean
 *   Σ S_g / Σ n_g over drawn clusters (a cluster drawn twice counts twice); the BCa jackknife leaves out one cluster.
 *
 * Degenerate data (zero variance, or all paired differences 0): the percentile interval is [c, c] with
 * `degenerate: true`; BCa is NaN (its acceleration is 0/0) with a warning, as scipy. Fewer than 2 items (or
 * clusters) throws, as scipy does.
 *
 * Reproducibility: units are put in canonical order (item values ascending; clusters by label) before resampling
 * with xoshiro128**, so the result depends on (seed, data) and never on row order.
 */
import {compareKeys} from "./canonical.ts";
import {normalCdf, normalQuantile} from "./distributions.ts";
import type {Interval} from "./proportion.ts";
import {quantileSorted} from "./quantile.ts";
import {bootstrapReplicates, DEFAULT_RESAMPLES, type ResampleOptions} from "./resample.ts";
import {assertAligned} from "./binary.ts";

export interface BootstrapOptions extends ResampleOptions {
  /** Two-sided confidence level (default 0.95). */
  confidenceLevel?: number;
}

export interface BootstrapCI {
  point: number;
  percentile: Interval;
  /** BCa with scipy's bias correction (ties with θ̂ count one half): benchlab's BCa. */
  bca: Interval;
  /** BCa with Efron's strict p0 = #{θ* < θ̂}/B (R `boot`), for comparison on discrete data. */
  bcaEfronStrict: Interval;
  confidenceLevel: number;
  nResamples: number;
  /** True when every replicate equals the point estimate (no variation to resample). */
  degenerate: boolean;
  /** BCa ingredients: bias correction z0 (scipy's half-ties convention) and acceleration a. */
  z0: number;
  acceleration: number;
  warnings: string[];
}

function checkLevel(level: number): void {
  if (!(level > 0 && level < 1)) throw new RangeError(`confidenceLevel must be in (0, 1), got ${level}`);
}

function checkFinite(values: ArrayLike<number>, name: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw new RangeError(`${name}[${i}] = ${values[i]}: bootstrap needs a finite score for every item (missing scores must be dropped or scored first)`);
  }
}

/** Jackknife acceleration a = Σ(θ̄ − θ_(i))³ / (6 [Σ(θ̄ − θ_(i))²]^{3/2}) (Efron & Tibshirani 1993, eq. 14.15). */
export function jackknifeAcceleration(leaveOneOut: ArrayLike<number>): number {
  const m = leaveOneOut.length;
  let mean = 0;
  for (let i = 0; i < m; i++) mean += leaveOneOut[i];
  mean /= m;
  let s2 = 0, s3 = 0;
  for (let i = 0; i < m; i++) {
    const d = mean - leaveOneOut[i];
    s2 += d * d;
    s3 += d * d * d;
  }
  return s3 / (6 * Math.pow(s2, 1.5));
}

/**
 * Percentile and BCa intervals from replicates (any order; sorted in place), the point estimate and the jackknife
 * acceleration. `tieTolerance` is the distance under which a replicate counts as equal to the point estimate.
 */
export function intervalsFromReplicates(replicates: Float64Array, point: number, acceleration: number, confidenceLevel: number, tieTolerance: number): Omit<BootstrapCI, "point" | "confidenceLevel"> {
  checkLevel(confidenceLevel);
  const B = replicates.length;
  replicates.sort();
  const alpha = 1 - confidenceLevel;
  const percentile: Interval = [quantileSorted(replicates, alpha / 2), quantileSorted(replicates, 1 - alpha / 2)];
  let below = 0, ties = 0;
  for (let b = 0; b < B; b++) {
    if (replicates[b] < point - tieTolerance) below++;
    else if (replicates[b] <= point + tieTolerance) ties++;
  }
  const degenerate = ties === B;
  const z0 = normalQuantile((2 * below + ties) / (2 * B));
  const warnings: string[] = [];
  const bcaWith = (bias: number): Interval => {
    if (!Number.isFinite(acceleration) || !Number.isFinite(bias)) return [NaN, NaN];
    const adjusted = (zAlpha: number) => normalCdf(bias + (bias + zAlpha) / (1 - acceleration * (bias + zAlpha)));
    return [quantileSorted(replicates, adjusted(normalQuantile(alpha / 2))), quantileSorted(replicates, adjusted(normalQuantile(1 - alpha / 2)))];
  };
  if (!Number.isFinite(acceleration)) warnings.push("BCa undefined: the jackknife acceleration is 0/0 (no variation in the data)");
  else if (!Number.isFinite(z0)) warnings.push("BCa undefined: every replicate lies on one side of the estimate");
  if (degenerate) warnings.push("degenerate: every bootstrap replicate equals the estimate");
  return {
    percentile, bca: bcaWith(z0), bcaEfronStrict: bcaWith(normalQuantile(below / B)),
    nResamples: B, degenerate, z0, acceleration, warnings,
  };
}

function tolerance(values: ArrayLike<number>): number {
  let scale = 1;
  for (let i = 0; i < values.length; i++) scale = Math.max(scale, Math.abs(values[i]));
  return 1e-12 * scale;
}

/** Percentile and BCa bootstrap CIs of the mean of item scores. */
export function bootstrapMeanCI(values: ArrayLike<number>, options: BootstrapOptions = {}): BootstrapCI {
  checkFinite(values, "values");
  const n = values.length;
  if (n < 2) throw new RangeError(`bootstrap CI needs at least 2 items, got ${n} (the point estimate alone has no interval)`);
  const level = options.confidenceLevel ?? 0.95;
  checkLevel(level);
  const x = Float64Array.from(values).sort();
  let sum = 0;
  for (let i = 0; i < n; i++) sum += x[i];
  const point = sum / n;
  const replicates = bootstrapReplicates(n, (idx) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[idx[i]];
    return s / n;
  }, {nResamples: options.nResamples ?? DEFAULT_RESAMPLES, seed: options.seed});
  const leaveOneOut = Float64Array.from(x, (xi) => (sum - xi) / (n - 1));
  return {point, confidenceLevel: level, ...intervalsFromReplicates(replicates, point, jackknifeAcceleration(leaveOneOut), level, tolerance(x))};
}

/** Bootstrap CIs of mean(a) − mean(b) for two models scored on the same items (items resampled as pairs). */
export function bootstrapPairedDifferenceCI(a: ArrayLike<number>, b: ArrayLike<number>, options: BootstrapOptions = {}): BootstrapCI {
  assertAligned(a, b, "paired bootstrap");
  checkFinite(a, "a");
  checkFinite(b, "b");
  return bootstrapMeanCI(Float64Array.from(a, (ai, i) => ai - b[i]), options);
}

/** Per-cluster sums and sizes, clusters in canonical label order. */
export function clusterTotals(values: ArrayLike<number>, clusters: ArrayLike<string | number>): {labels: (string | number)[]; sums: number[]; sizes: number[]} {
  assertAligned(values, clusters, "cluster bootstrap");
  checkFinite(values, "values");
  const byLabel = new Map<string | number, number[]>();
  for (let i = 0; i < values.length; i++) {
    const list = byLabel.get(clusters[i]);
    if (list) list.push(values[i]);
    else byLabel.set(clusters[i], [values[i]]);
  }
  const labels = [...byLabel.keys()].sort(compareKeys);
  // Ascending summation within a cluster: the totals do not depend on the order of the rows.
  const sums = labels.map((l) => byLabel.get(l)!.sort((x, y) => x - y).reduce((s, v) => s + v, 0));
  return {labels, sums, sizes: labels.map((l) => byLabel.get(l)!.length)};
}

/** Cluster bootstrap CIs of the pooled item mean: resample whole clusters (e.g. task families). */
export function clusterBootstrapCI(values: ArrayLike<number>, clusters: ArrayLike<string | number>, options: BootstrapOptions = {}): BootstrapCI {
  const {sums, sizes} = clusterTotals(values, clusters);
  const G = sums.length;
  if (G < 2) throw new RangeError(`cluster bootstrap needs at least 2 clusters, got ${G}`);
  const level = options.confidenceLevel ?? 0.95;
  checkLevel(level);
  const totalSum = sums.reduce((s, x) => s + x, 0), totalSize = sizes.reduce((s, x) => s + x, 0);
  const point = totalSum / totalSize;
  const replicates = bootstrapReplicates(G, (idx) => {
    let s = 0, m = 0;
    for (let i = 0; i < G; i++) {
      s += sums[idx[i]];
      m += sizes[idx[i]];
    }
    return s / m;
  }, {nResamples: options.nResamples ?? DEFAULT_RESAMPLES, seed: options.seed});
  const leaveOneOut = sums.map((s, g) => (totalSum - s) / (totalSize - sizes[g]));
  return {point, confidenceLevel: level, ...intervalsFromReplicates(replicates, point, jackknifeAcceleration(leaveOneOut), level, tolerance(values))};
}

/** Cluster bootstrap of the paired difference: per-item differences a − b, clusters resampled. */
export function clusterBootstrapPairedDifferenceCI(a: ArrayLike<number>, b: ArrayLike<number>, clusters: ArrayLike<string | number>, options: BootstrapOptions = {}): BootstrapCI {
  assertAligned(a, b, "paired cluster bootstrap");
  return clusterBootstrapCI(Float64Array.from(a, (ai, i) => ai - b[i]), clusters, options);
}
