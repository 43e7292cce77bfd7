/**
 * Rank agreement between two leaderboards (scores of the same models on two benchmarks or two scorers).
 * Spearman's ρ: Pearson correlation of mid-ranks (ties get their average rank). Kendall's τ_b (Kendall 1945):
 * (C − D)/√((n0 − n1)(n0 − n2)), n0 = n(n−1)/2, n1 and n2 the pairs tied in x and in y; τ_a = (C − D)/n0.
 * Same as scipy `spearmanr` / `kendalltau` and R `cor(method=…)`. A constant leaderboard gives NaN, not 0.
 */
import {pearsonCorrelation} from "./correlation.ts";

function checkPaired(x: readonly number[], y: readonly number[]): void {
  if (x.length !== y.length) throw new RangeError(`rank correlation needs two equal-length score lists, got ${x.length} and ${y.length}`);
  for (const [name, arr] of [["x", x], ["y", y]] as const) {
    arr.forEach((v, i) => {
      if (!Number.isFinite(v)) throw new RangeError(`rank correlation: ${name}[${i}] = ${v} is not a finite number; drop models with missing scores first`);
    });
  }
}

/** Mid-ranks (1-based, ties averaged), as scipy.stats.rankdata(method="average"). */
export function midRanks(x: readonly number[]): number[] {
  const order = x.map((_, i) => i).sort((i, j) => x[i] - x[j]);
  const ranks = new Array<number>(x.length);
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && x[order[end + 1]] === x[order[start]]) end++;
    const rank = (start + end) / 2 + 1;
    for (let t = start; t <= end; t++) ranks[order[t]] = rank;
    start = end + 1;
  }
  return ranks;
}

/** Spearman's rank correlation ρ. */
export function spearman(x: readonly number[], y: readonly number[]): number {
  checkPaired(x, y);
  if (x.length < 2) return NaN;
  return pearsonCorrelation(midRanks(x), midRanks(y));
}

export interface KendallCounts {
  concordant: number;
  discordant: number;
  /** Pairs tied in x (n1) and in y (n2); a pair tied in both counts in both. */
  tiedX: number;
  tiedY: number;
  /** n(n−1)/2 */
  pairs: number;
  tauA: number;
  tauB: number;
}

/** Concordant/discordant pair counts and Kendall's τ_a and τ_b (O(n²); leaderboards are small). */
export function kendall(x: readonly number[], y: readonly number[]): KendallCounts {
  checkPaired(x, y);
  const n = x.length;
  let concordant = 0, discordant = 0, tiedX = 0, tiedY = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = Math.sign(x[i] - x[j]), dy = Math.sign(y[i] - y[j]);
      if (dx === 0) tiedX++;
      if (dy === 0) tiedY++;
      if (dx !== 0 && dy !== 0) {
        if (dx === dy) concordant++;
        else discordant++;
      }
    }
  }
  const pairs = (n * (n - 1)) / 2;
  const denominator = Math.sqrt((pairs - tiedX) * (pairs - tiedY));
  return {
    concordant, discordant, tiedX, tiedY, pairs,
    tauA: pairs === 0 ? NaN : (concordant - discordant) / pairs,
    tauB: denominator === 0 ? NaN : (concordant - discordant) / denominator,
  };
}
