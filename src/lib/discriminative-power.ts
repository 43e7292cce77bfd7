/**
 * Discriminative power of a benchmark and of its items.
 *
 * Benchmark: the spread of model scores with a ceiling penalty (shared/golden README §6, option (b), chosen here):
 *   DP = (best − worst) · min(1, (1 − best) / m), scores as proportions in [0, 1], headroom margin m = 0.1.
 * The spread counts in full while the leader has at least m of headroom and shrinks linearly to 0 as the leader
 * reaches the ceiling: a benchmark whose best model is at 100% cannot tell better models apart, however wide the
 * field below it. Option (b) rather than (a) spread·(1−L)^β because it leaves unsaturated benchmarks' spread
 * untouched (no arbitrary β), and rather than (c) spread/(1 − worst) because that ignores the leader's headroom.
 * Like any spread it depends on which models were run; compare benchmarks on the same population where possible.
 *
 * Items: the classical item discrimination index D (Kelley 1939, J. Educ. Psychol. 30:17): the pass rate of an
 * item among the top 27% of models (by total score) minus its pass rate among the bottom 27%, in [−1, 1]. With few
 * models the groups are small (18 models → 5 each), so D is coarse; it ranks items, it does not test them.
 */

export interface DiscriminativePower {
  best: number;
  worst: number;
  spread: number;
  /** 1 − best. */
  headroom: number;
  power: number;
}

export const HEADROOM_MARGIN = 0.1;

export function discriminativePower(scores: readonly number[], headroomMargin = HEADROOM_MARGIN): DiscriminativePower {
  if (scores.length < 2) throw new RangeError(`discriminative power needs at least 2 model scores, got ${scores.length}`);
  scores.forEach((s, i) => {
    if (!(s >= 0 && s <= 1)) throw new RangeError(`discriminative power: score ${i} = ${s} is not a proportion in [0, 1] (divide percentages by 100)`);
  });
  if (!(headroomMargin > 0 && headroomMargin <= 1)) throw new RangeError(`headroom margin must be in (0, 1], got ${headroomMargin}`);
  const best = Math.max(...scores), worst = Math.min(...scores);
  const spread = best - worst, headroom = 1 - best;
  return {best, worst, spread, headroom, power: spread * Math.min(1, headroom / headroomMargin)};
}

/**
 * Kelley's D per item. `outcomes[m][i]` is model m's 0/1 outcome on item i (same items for every model). Models are
 * ranked by total score (ties keep input order); the groups hold round(fraction · models) models, at least 1.
 */
export function itemDiscriminationIndex(outcomes: readonly ArrayLike<number>[], fraction = 0.27): number[] {
  const M = outcomes.length;
  if (M < 2) throw new RangeError(`item discrimination needs at least 2 models, got ${M}`);
  const n = outcomes[0].length;
  outcomes.forEach((row, m) => {
    if (row.length !== n) throw new RangeError(`item discrimination: model ${m} has ${row.length} items, expected ${n}`);
  });
  const totals = outcomes.map((row) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += row[i];
    return s;
  });
  const order = totals.map((_, m) => m).sort((a, b) => totals[b] - totals[a] || a - b);
  const g = Math.max(1, Math.min(Math.floor(M / 2), Math.round(fraction * M)));
  const top = order.slice(0, g), bottom = order.slice(M - g);
  return Array.from({length: n}, (_, i) => {
    let hi = 0, lo = 0;
    for (const m of top) hi += outcomes[m][i];
    for (const m of bottom) lo += outcomes[m][i];
    return hi / g - lo / g;
  });
}
