/**
 * Saturation index of a leaderboard (Akhtar et al. 2026, "When AI Benchmarks Plateau: A Systematic Study of
 * Benchmark Saturation", arXiv:2602.16763; reference code evaleval/benchmark-saturation,
 * analyzer/src/metrics/dynamic/saturation_utils.py and scripts/calc_saturation_metrics.py).
 *
 * With s1 the top score and s5 the fifth-best (scores as proportions in [0, 1]) on a test set of n items:
 *   n_eff = n^α (α = 0.5 by default, i.e. √n: the study deliberately damps the effect of test-set size),
 *   SE(s) = √(s(1 − s)/n_eff), SE_Δ = √(SE(s1)² + SE(s5)²)  (the two scores treated as independent),
 *   R = (s1 − s5)/SE_Δ, S = exp(−R²) ∈ [0, 1]; S near 1 means the top five are statistically indistinguishable.
 * Edge case: SE_Δ = 0 (both scores at 0 or 1): the study's analyzer sets R = 0, S = 1 when s1 = s5; we follow it and
 * return S = 0 (perfect separation) if the scores differ, where R would be infinite.
 * Categories follow the study: very_low < 0.01 ≤ low < 0.3 ≤ moderate < 0.7 ≤ high < 0.9 ≤ very_high.
 */

export type SaturationCategory = "very_low" | "low" | "moderate" | "high" | "very_high";

export interface SaturationIndex {
  top: number;
  fifth: number;
  nEffective: number;
  seDelta: number;
  rNorm: number;
  index: number;
  category: SaturationCategory;
  /** Δ ≤ z·SE_Δ: the top-vs-fifth gap lies within the 95% band (z = 1.96). */
  statisticallySimilar: boolean;
}

export function saturationCategory(index: number): SaturationCategory {
  if (index < 0.01) return "very_low";
  if (index < 0.3) return "low";
  if (index < 0.7) return "moderate";
  if (index < 0.9) return "high";
  return "very_high";
}

/**
 * @param scores one score per model, proportions in [0, 1] (at least 5 models)
 * @param testSetSize number of items n
 */
export function saturationIndex(scores: readonly number[], testSetSize: number, options: {nEffectiveExponent?: number; z?: number} = {}): SaturationIndex {
  const exponent = options.nEffectiveExponent ?? 0.5, z = options.z ?? 1.96;
  if (scores.length < 5) throw new RangeError(`saturation index needs at least 5 model scores, got ${scores.length}`);
  scores.forEach((s, i) => {
    if (!(s >= 0 && s <= 1)) throw new RangeError(`saturation index: score ${i} = ${s} is not a proportion in [0, 1] (divide percentages by 100)`);
  });
  if (!(testSetSize > 0)) throw new RangeError(`saturation index: test-set size must be positive, got ${testSetSize}`);
  if (!(exponent >= 0 && exponent <= 1)) throw new RangeError(`saturation index: n_eff exponent must be in [0, 1], got ${exponent}`);
  const sorted = [...scores].sort((a, b) => b - a);
  const top = sorted[0], fifth = sorted[4];
  const nEffective = testSetSize ** exponent;
  const seDelta = Math.sqrt((top * (1 - top)) / nEffective + (fifth * (1 - fifth)) / nEffective);
  const delta = top - fifth;
  const rNorm = seDelta === 0 ? (delta === 0 ? 0 : Infinity) : delta / seDelta;
  const index = Math.exp(-(rNorm ** 2));
  return {top, fifth, nEffective, seDelta, rNorm, index, category: saturationCategory(index), statisticallySimilar: delta <= z * seDelta};
}
