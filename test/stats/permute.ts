/** A seeded permutation of xs (Fisher–Yates with a 32-bit LCG; the tests' own, independent of the library's RNG). */
export function permute<T>(xs: readonly T[], seed: number): T[] {
  const out = [...xs];
  let s = (seed >>> 0) || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
