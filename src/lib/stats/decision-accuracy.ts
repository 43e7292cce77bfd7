/**
 * Decision accuracy (Heineman et al. 2025, arXiv:2508.13144; AI2 `decision_acc_fast`): the share of model pairs
 * i < j whose order agrees between small-scale scores s and target scores t, [s_i > s_j] == [t_i > t_j]. As in the
 * AI2 code, a tie on one side and "<" on the other counts as agreement.
 */
export function decisionAccuracy(small: readonly number[], target: readonly number[]): {decisionAccuracy: number; nPairs: number} {
  if (small.length !== target.length) throw new RangeError(`decision accuracy needs the same models in both lists, got ${small.length} and ${target.length}`);
  let agree = 0, nPairs = 0;
  for (let i = 0; i < small.length; i++) {
    for (let j = i + 1; j < small.length; j++) {
      nPairs++;
      if ((small[i] > small[j]) === (target[i] > target[j])) agree++;
    }
  }
  return {decisionAccuracy: nPairs === 0 ? NaN : agree / nPairs, nPairs};
}
