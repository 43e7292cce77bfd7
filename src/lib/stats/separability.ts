/**
 * Separable model pairs: for every pair of models scored pass/fail on the same items, the exact McNemar p-value
 * (mcnemar.ts); a pair is separable when p < α (strict), raw or after Holm's step-down correction over all pairs
 * (multiple-testing.ts). Deterministic; pairs are (i, j) with i before j in the given model order.
 */
import {holmAdjust} from "./multiple-testing.ts";
import {mcnemarExactP, pairedCounts} from "./mcnemar.ts";

export interface SeparablePair {
  pair: [string, string];
  aOnly: number;
  bOnly: number;
  pMcnemarExact: number;
  pHolm: number;
  separableRaw: boolean;
  separableHolm: boolean;
}

export interface Separability {
  nModels: number;
  nPairs: number;
  nSeparableRaw: number;
  fractionSeparableRaw: number;
  nSeparableHolm: number;
  fractionSeparableHolm: number;
  pairs: SeparablePair[];
  accuracies: Record<string, number>;
}

/** @param outcomes model name → 0/1 outcome per item (same items, same order, for every model) */
export function separablePairs(outcomes: Readonly<Record<string, ArrayLike<number>>>, options: {alpha?: number} = {}): Separability {
  const alpha = options.alpha ?? 0.05;
  const names = Object.keys(outcomes);
  const raw: Omit<SeparablePair, "pHolm" | "separableHolm">[] = [];
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      const c = pairedCounts(outcomes[names[i]], outcomes[names[j]]);
      const p = mcnemarExactP(c.aOnly, c.bOnly);
      raw.push({pair: [names[i], names[j]], aOnly: c.aOnly, bOnly: c.bOnly, pMcnemarExact: p, separableRaw: p < alpha});
    }
  }
  const adjusted = holmAdjust(raw.map((r) => r.pMcnemarExact));
  const pairs = raw.map((r, k) => ({...r, pHolm: adjusted[k], separableHolm: adjusted[k] < alpha}));
  const nSeparableRaw = pairs.filter((p) => p.separableRaw).length, nSeparableHolm = pairs.filter((p) => p.separableHolm).length;
  const accuracies: Record<string, number> = {};
  for (const name of names) {
    const x = outcomes[name];
    let s = 0;
    for (let i = 0; i < x.length; i++) s += x[i];
    accuracies[name] = s / x.length;
  }
  return {
    nModels: names.length, nPairs: pairs.length,
    nSeparableRaw, fractionSeparableRaw: pairs.length ? nSeparableRaw / pairs.length : NaN,
    nSeparableHolm, fractionSeparableHolm: pairs.length ? nSeparableHolm / pairs.length : NaN,
    pairs, accuracies,
  };
}
