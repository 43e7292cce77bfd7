/**
 * Multiple-testing corrections, returning adjusted p-values in the input order (as R `p.adjust`).
 * - Holm (1979, Scand J Stat 6:65) step-down, controls the family-wise error rate:
 *   p̃_(i) = max_{j≤i} min(1, (m − j + 1) p_(j)).
 * - Benjamini & Hochberg (1995, JRSS-B 57:289) step-up, controls the false discovery rate:
 *   p̃_(i) = min_{j≥i} min(1, m p_(j) / j).
 * A hypothesis is rejected at level α when its adjusted p-value is below α.
 */

function checkP(pValues: readonly number[]): void {
  pValues.forEach((p, i) => {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`p-value ${i} is ${p}; p-values must lie in [0, 1]`);
  });
}

function ascendingOrder(pValues: readonly number[]): number[] {
  return pValues.map((_, i) => i).sort((i, j) => pValues[i] - pValues[j] || i - j);
}

export function holmAdjust(pValues: readonly number[]): number[] {
  checkP(pValues);
  const m = pValues.length, order = ascendingOrder(pValues), adjusted = new Array<number>(m);
  let running = 0;
  order.forEach((idx, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * pValues[idx]));
    adjusted[idx] = running;
  });
  return adjusted;
}

export function benjaminiHochbergAdjust(pValues: readonly number[]): number[] {
  checkP(pValues);
  const m = pValues.length, order = ascendingOrder(pValues), adjusted = new Array<number>(m);
  let running = 1;
  for (let rank = m - 1; rank >= 0; rank--) {
    const idx = order[rank];
    // m/(rank+1) >= 1 is formed first so that rounding can never push an adjusted p below the raw one.
    running = Math.min(running, Math.min(1, (m / (rank + 1)) * pValues[idx]));
    adjusted[idx] = running;
  }
  return adjusted;
}
