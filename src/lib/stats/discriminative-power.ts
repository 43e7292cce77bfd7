/**
 * Discriminative power of a benchmark for a population of models scored pass/fail on the same items.
 *
 *   D = tiers × headroom
 *
 * - tiers: the number of statistically separable steps in the leaderboard — the length of the longest chain of
 *   models, ordered by pass rate, in which each model is separable from the next (exact McNemar test, p < α after
 *   Holm's correction over all pairs; see separability.ts), minus one. It is 0 when no pair is separable (every
 *   model ties), and it grows with both the spread of scores (a wider spread fits more resolvable steps at the same
 *   noise) and the number of separable pairs; a model separable from all others always lengthens the chain.
 * - headroom = min(1, (1 − L)/m): the ceiling penalty of the golden README's option (b), with L the leader's pass
 *   rate and margin m (default 0.1). It is 1 while the leader has at least m of headroom, falls linearly to 0 as the
 *   leader nears 100%, and is 0 at the ceiling: a benchmark whose leader is at 100% cannot show the next model's gain.
 *
 * Rationale: the AI2 signal (max−min over mean) rewards spread but not whether the spread is statistically resolved,
 * and has no ceiling term; the separable-pair fraction ignores how many distinct levels the pairs form and cannot
 * grow once every pair is separable. Counting resolvable tiers answers "how many distinct performance levels can
 * this benchmark tell apart among these models?", in units a reader can check; option (b) leaves that count alone
 * until saturation threatens, instead of taxing every leader above 50% as a smooth (1−L)^β would.
 * D is 0 when all models tie and when the leader sits at the ceiling; it is not comparable across populations of
 * different size (more models can form more tiers), so compare benchmarks on the same models.
 *
 * Two entry points differ only in how a pair is judged separable: `discriminativePower` from per-item outcomes
 * (paired, exact McNemar — use it whenever per-item results exist) and `discriminativePowerFromScores` from
 * leaderboard scores and the item count (unpaired two-proportion z-test, conservative).
 */
import {normalCdf} from "./distributions.ts";
import {holmAdjust} from "./multiple-testing.ts";
import {separablePairs} from "./separability.ts";

export interface DiscriminativePower {
  /** D = tiers × headroom */
  score: number;
  /** Separable steps along the longest chain of pairwise-separable models (chain length − 1). */
  tiers: number;
  /** Models of that chain, best first. */
  chain: string[];
  headroom: number;
  leaderScore: number;
  /** Fraction of all model pairs separable after Holm's correction (for reference). */
  fractionSeparable: number;
}

/** Per-item outcomes: separability of each pair by the exact McNemar test, Holm-corrected (the recommended form). */
export function discriminativePower(outcomes: Readonly<Record<string, ArrayLike<number>>>, options: {alpha?: number; margin?: number} = {}): DiscriminativePower {
  const names = Object.keys(outcomes);
  if (names.length < 2) throw new RangeError(`discriminative power needs at least 2 models, got ${names.length}`);
  const sep = separablePairs(outcomes, {alpha: options.alpha});
  const separable = new Set(sep.pairs.filter((p) => p.separableHolm).map((p) => pairKey(p.pair[0], p.pair[1])));
  return tiersTimesHeadroom(sep.accuracies, separable, sep.fractionSeparableHolm, options.margin);
}

/**
 * Aggregate scores only (a leaderboard without per-item results): pairs are tested with the pooled two-proportion
 * z-test on n items each, Holm-corrected. The test ignores that both models answered the same items (whose outcomes
 * are positively correlated), so it separates fewer pairs than McNemar on the same data: a conservative D.
 */
export function discriminativePowerFromScores(scores: Readonly<Record<string, number>>, nItems: number, options: {alpha?: number; margin?: number} = {}): DiscriminativePower {
  const alpha = options.alpha ?? 0.05;
  const names = Object.keys(scores);
  if (names.length < 2) throw new RangeError(`discriminative power needs at least 2 models, got ${names.length}`);
  if (!(Number.isInteger(nItems) && nItems > 0)) throw new RangeError(`discriminative power: number of items must be a positive integer, got ${nItems}`);
  names.forEach((m) => {
    if (!(scores[m] >= 0 && scores[m] <= 1)) throw new RangeError(`discriminative power: score of ${m} = ${scores[m]} is not a proportion in [0, 1] (divide percentages by 100)`);
  });
  const pairs: [string, string][] = [], pValues: number[] = [];
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      const p1 = scores[names[i]], p2 = scores[names[j]], pooled = (p1 + p2) / 2;
      const se = Math.sqrt((pooled * (1 - pooled) * 2) / nItems);
      pairs.push([names[i], names[j]]);
      pValues.push(se === 0 ? (p1 === p2 ? 1 : 0) : 2 * normalCdf(-Math.abs(p1 - p2) / se));
    }
  }
  const adjusted = holmAdjust(pValues);
  const separable = new Set(pairs.filter((_, k) => adjusted[k] < alpha).map(([a, b]) => pairKey(a, b)));
  return tiersTimesHeadroom(scores, separable, pairs.length ? separable.size / pairs.length : NaN, options.margin);
}

function pairKey(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}

function tiersTimesHeadroom(accuracies: Readonly<Record<string, number>>, separable: Set<string>, fractionSeparable: number, marginOption?: number): DiscriminativePower {
  const margin = marginOption ?? 0.1;
  if (!(margin > 0 && margin <= 1)) throw new RangeError(`discriminative power: headroom margin must be in (0, 1], got ${margin}`);
  // Best first; ties broken by name so the result does not depend on the order of the input.
  const ranked = Object.keys(accuracies).sort((a, b) => accuracies[b] - accuracies[a] || (a < b ? -1 : a > b ? 1 : 0));
  // Longest chain by dynamic programming over the ranking: length[j] = 1 + max length[i] over i < j separable from j.
  const length = ranked.map(() => 1), previous = ranked.map(() => -1);
  for (let j = 0; j < ranked.length; j++) {
    for (let i = 0; i < j; i++) {
      if (length[i] + 1 > length[j] && separable.has(pairKey(ranked[i], ranked[j]))) {
        length[j] = length[i] + 1;
        previous[j] = i;
      }
    }
  }
  let end = 0;
  length.forEach((l, j) => {
    if (l > length[end]) end = j;
  });
  const chain: string[] = [];
  for (let k = end; k >= 0; k = previous[k]) chain.unshift(ranked[k]);
  const leaderScore = accuracies[ranked[0]];
  const headroom = Math.min(1, (1 - leaderScore) / margin);
  const tiers = chain.length - 1;
  return {score: tiers * headroom, tiers, chain, headroom, leaderScore, fractionSeparable};
}
