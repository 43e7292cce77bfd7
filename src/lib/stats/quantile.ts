/**
 * Sample quantiles of bootstrap replicates.
 * Type 7 (Hyndman & Fan 1996, Am Stat 50:361): linear interpolation between order statistics at h = (n−1)p; the
 * default of numpy, R `quantile` and scipy.stats.bootstrap's percentile/BCa limits.
 */

/** Type-7 quantile of ascending-sorted data. NaN for empty input. */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0 || Number.isNaN(p)) return NaN;
  if (p < 0 || p > 1) throw new RangeError(`quantile: probability must be in [0, 1], got ${p}`);
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * Type-7 quantile when the data are given as a histogram over an ascending value grid: counts[v] copies of
 * values[v], total N. Equal to quantileSorted on the expanded sorted array, in O(grid) instead of O(N log N).
 */
export function quantileFromHistogram(values: ArrayLike<number>, counts: ArrayLike<number>, total: number, p: number): number {
  if (total === 0 || Number.isNaN(p)) return NaN;
  const h = (total - 1) * p;
  const lo = Math.floor(h);
  const frac = h - lo;
  const a = orderStatistic(values, counts, lo);
  if (frac === 0 || lo + 1 >= total) return a;
  return a + frac * (orderStatistic(values, counts, lo + 1) - a);
}

/** The r-th smallest (0-based) value of a histogram. */
function orderStatistic(values: ArrayLike<number>, counts: ArrayLike<number>, r: number): number {
  let seen = 0;
  for (let v = 0; v < counts.length; v++) {
    seen += counts[v];
    if (seen > r) return values[v];
  }
  return values[counts.length - 1];
}
