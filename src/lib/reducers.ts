/**
 * Trial reducers: from several trials (attempts) of each item to one benchmark number, per item first, then the
 * unweighted mean over items, so an item run more often does not weigh more.
 *
 * - mean: the item's mean trial value.
 * - max: the item's best trial value.
 * - pass@k: unbiased estimate of "at least one of k trials passes" (Chen et al. 2021, arXiv:2107.03374).
 * - pass^k: unbiased estimate of "all k trials pass", C(c,k)/C(n,k) (Yao et al. 2024, τ-bench, arXiv:2406.12045).
 *
 * The two estimators are the Statistics core's (src/lib/stats/passk.ts), called here, not re-implemented.
 * A trial whose value (for mean/max) or verdict (for pass@k/pass^k) is missing is left out of its item: missing is
 * not failure. An item with no usable trial is left out and counted in `itemsWithoutData`.
 */
import {meanPassAtK, meanPassHatK, type TaskAttempts} from "./stats/passk.ts";

/** One trial's outcome: the item it belongs to, a value in [0, 1] and a pass/fail verdict, either possibly missing. */
export interface TrialOutcome {
  item: string;
  value?: number | null;
  passed?: boolean | null;
}

export type TrialReducer = {kind: "mean"} | {kind: "max"} | {kind: "pass@k"; k: number} | {kind: "pass^k"; k: number};

export interface ReducedScore {
  /** The benchmark number: the mean over items of the per-item reduction. */
  value: number;
  /** Items that entered the mean. */
  items: number;
  /** Items with no trial carrying the needed field. */
  itemsWithoutData: number;
  /** Per item: the reduction for mean/max; the n trials and c passes for pass@k/pass^k. */
  perItem: Map<string, number | TaskAttempts>;
}

function groupByItem(trials: readonly TrialOutcome[]): Map<string, TrialOutcome[]> {
  const groups = new Map<string, TrialOutcome[]>();
  for (const t of trials) {
    const g = groups.get(t.item);
    if (g) g.push(t);
    else groups.set(t.item, [t]);
  }
  return groups;
}

/** Reduces trials to one benchmark number. Throws when no item has data, or (pass@k, pass^k) an item has n < k. */
export function reduceTrials(trials: readonly TrialOutcome[], reducer: TrialReducer): ReducedScore {
  const groups = groupByItem(trials);
  let without = 0;
  if (reducer.kind === "mean" || reducer.kind === "max") {
    const perItem = new Map<string, number>();
    for (const [item, ts] of groups) {
      const values = ts.map((t) => t.value).filter((v): v is number => v != null);
      if (values.length === 0) {
        without++;
        continue;
      }
      perItem.set(item, reducer.kind === "mean" ? values.reduce((a, b) => a + b, 0) / values.length : Math.max(...values));
    }
    if (perItem.size === 0) throw new RangeError(`${reducer.kind}: no item has a trial with a value`);
    const value = [...perItem.values()].reduce((a, b) => a + b, 0) / perItem.size;
    return {value, items: perItem.size, itemsWithoutData: without, perItem};
  }
  const perItem = new Map<string, TaskAttempts>();
  for (const [item, ts] of groups) {
    const verdicts = ts.map((t) => t.passed).filter((p): p is boolean => p != null);
    if (verdicts.length === 0) {
      without++;
      continue;
    }
    perItem.set(item, {n: verdicts.length, c: verdicts.filter(Boolean).length});
  }
  if (perItem.size === 0) throw new RangeError(`${reducer.kind}: no item has a trial with a pass/fail verdict`);
  const tasks = [...perItem.values()];
  const value = reducer.kind === "pass@k" ? meanPassAtK(tasks, reducer.k) : meanPassHatK(tasks, reducer.k);
  return {value, items: perItem.size, itemsWithoutData: without, perItem};
}
