/**
 * Standard error of a mean score when items come in clusters (task families, passages sharing a context).
 * s̄ = item mean, e_i = s_i − s̄, n items, G clusters.
 * - seIid = s/√n (s with n − 1): Miller's SE_CLT.
 * - seMiller = √(SE_CLT² + n⁻² Σ_c Σ_{i≠j∈c} e_i e_j) (Miller 2024, "Adding Error Bars to Evals", arXiv:2411.00640).
 * - seCR0 = √(Σ_c (Σ_{i∈c} e_i)²)/n: Liang–Zeger cluster-robust sandwich for an intercept-only model
 *   (statsmodels cov_type="cluster", use_correction=False; R sandwich::vcovCL(type="HC0", cadjust=FALSE)).
 * - seCR1 = CR0·√(G/(G−1)): the finite-cluster correction, as UK AISI inspect_ai `stderr(cluster=…)`; undefined
 *   (NaN) for G = 1. benchlab reports CR1 as its clustered SE.
 * - designEffectCR1 = (seCR1/seIid)².
 */
import {assertAligned} from "./binary.ts";
import {meanAndSd} from "./paired-t.ts";

export interface ClusteredSE {
  n: number;
  nClusters: number;
  mean: number;
  seIid: number;
  seMiller: number;
  seCR0: number;
  seCR1: number;
  designEffectCR1: number;
}

/** Clustered standard errors of the mean of `values`; `clusters[i]` labels item i's cluster. */
export function clusteredStandardError(values: ArrayLike<number>, clusters: ArrayLike<string | number>): ClusteredSE {
  assertAligned(values, clusters, "clustered standard error");
  const n = values.length;
  if (n < 2) throw new RangeError(`clustered standard error: need at least 2 items, got ${n}`);
  const {mean, sd} = meanAndSd(values);
  const residualSums = new Map<string | number, number>();
  const residualSquares = new Map<string | number, number>();
  for (let i = 0; i < n; i++) {
    const e = values[i] - mean;
    residualSums.set(clusters[i], (residualSums.get(clusters[i]) ?? 0) + e);
    residualSquares.set(clusters[i], (residualSquares.get(clusters[i]) ?? 0) + e * e);
  }
  const G = residualSums.size;
  let sumOfSquaredSums = 0, crossProducts = 0;
  for (const [c, s] of residualSums) {
    sumOfSquaredSums += s * s;
    crossProducts += s * s - residualSquares.get(c)!; // Σ_{i≠j∈c} e_i e_j = (Σ e)² − Σ e²
  }
  const seIid = sd / Math.sqrt(n);
  const seCR0 = Math.sqrt(sumOfSquaredSums) / n;
  const seCR1 = G > 1 ? seCR0 * Math.sqrt(G / (G - 1)) : NaN;
  return {
    n, nClusters: G, mean, seIid,
    seMiller: Math.sqrt(Math.max(0, seIid * seIid + crossProducts / (n * n))),
    seCR0, seCR1,
    designEffectCR1: (seCR1 / seIid) ** 2,
  };
}
