/**
 * Analytic (large-sample) intervals for a mean, shown beside the bootstrap:
 * normal x̄ ± z_{1−α/2}·s/√n and Student t x̄ ± t_{n−1,1−α/2}·s/√n (s with n − 1), and for clustered items
 * x̄ ± z·SE_CR1 (see clustered-se.ts).
 */
import {clusteredStandardError} from "./clustered-se.ts";
import {normalQuantile} from "./distributions.ts";
import {meanAndSd, tInterval} from "./paired-t.ts";
import type {Interval} from "./proportion.ts";

export interface AnalyticMeanIntervals {
  mean: number;
  se: number;
  normal: Interval;
  t: Interval;
}

export function analyticMeanIntervals(values: ArrayLike<number>, confidenceLevel = 0.95): AnalyticMeanIntervals {
  if (values.length < 2) throw new RangeError(`an analytic interval needs at least 2 items, got ${values.length}`);
  const {mean, sd} = meanAndSd(values);
  const se = sd / Math.sqrt(values.length);
  const z = normalQuantile(1 - (1 - confidenceLevel) / 2);
  return {mean, se, normal: [mean - z * se, mean + z * se], t: tInterval(values, confidenceLevel).ci};
}

/** x̄ ± z·SE_CR1 for clustered items; NaN interval when there is a single cluster (CR1 undefined). */
export function clusterNormalInterval(values: ArrayLike<number>, clusters: ArrayLike<string | number>, confidenceLevel = 0.95): Interval {
  const {mean, seCR1} = clusteredStandardError(values, clusters);
  const z = normalQuantile(1 - (1 - confidenceLevel) / 2);
  return [mean - z * seCR1, mean + z * seCR1];
}
