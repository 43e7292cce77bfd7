/**
 * The cost/quality Pareto set and the best system within a budget, for the decision-surface page.
 *
 * A system is Pareto-optimal when no other system is at least as cheap and at least as good, and strictly better
 * on one of the two (Pareto efficiency; e.g. Deb 2001, "Multi-Objective Optimization using Evolutionary
 * Algorithms", §2.4). Systems whose cost or quality is missing (null or NaN, e.g. an aider run that published
 * total_cost 0 = unreported) cannot be compared and are never in the set: they are returned as `unknown`, so a
 * page can say which ones were left out instead of treating a missing cost as free.
 *
 * Lower cost is better, higher quality is better. Ties (same cost and quality) are all kept.
 */

export interface CostQuality {
  cost: number | null;
  quality: number | null;
}

export interface ParetoSplit<T> {
  /** The Pareto set, sorted by cost ascending (so quality ascends along it too). */
  frontier: T[];
  /** Comparable but dominated. */
  dominated: T[];
  /** Cost or quality missing: not compared. */
  unknown: T[];
}

const known = (x: number | null): x is number => x !== null && Number.isFinite(x);

/** Splits `points` into the Pareto set, the dominated points and the points that cannot be compared. */
export function paretoSplit<T>(points: readonly T[], value: (p: T) => CostQuality): ParetoSplit<T> {
  const comparable: {p: T; cost: number; quality: number}[] = [];
  const unknown: T[] = [];
  for (const p of points) {
    const {cost, quality} = value(p);
    if (known(cost) && known(quality)) comparable.push({p, cost, quality});
    else unknown.push(p);
  }
  // Sweep by cost ascending, ties by quality descending: a point is on the front iff its quality is at least the
  // best quality seen at any strictly lower cost, and it is not beaten at its own cost.
  comparable.sort((a, b) => a.cost - b.cost || b.quality - a.quality);
  const frontier: T[] = [];
  const dominated: T[] = [];
  let best = -Infinity;
  let i = 0;
  while (i < comparable.length) {
    let j = i;
    while (j < comparable.length && comparable[j].cost === comparable[i].cost) j++;
    const top = comparable[i].quality; // best quality at this cost
    for (let k = i; k < j; k++) {
      const q = comparable[k].quality;
      (q === top && q > best ? frontier : dominated).push(comparable[k].p);
    }
    best = Math.max(best, top);
    i = j;
  }
  return {frontier, dominated, unknown};
}

/**
 * The best system affordable at `budget`: the highest quality among systems with known cost <= budget (cheapest
 * first among equals). Null when nothing known fits.
 */
export function bestWithinBudget<T>(points: readonly T[], value: (p: T) => CostQuality, budget: number): T | null {
  let winner: {p: T; cost: number; quality: number} | null = null;
  for (const p of points) {
    const {cost, quality} = value(p);
    if (!known(cost) || !known(quality) || cost > budget) continue;
    if (winner === null || quality > winner.quality || (quality === winner.quality && cost < winner.cost)) winner = {p, cost, quality};
  }
  return winner?.p ?? null;
}
