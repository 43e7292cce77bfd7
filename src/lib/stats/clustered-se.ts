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
import {compareKeys} from "./canonical.ts";
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
  // Clusters in label order and values ascending within a cluster: sums are then independent of row order.
  const members = new Map<string | number, number[]>();
  for (let i = 0; i < n; i++) {
    const list = members.get(clusters[i]);
    if (list) list.push(values[i]);
    else members.set(clusters[i], [values[i]]);
  }
  const G = members.size;
  let sumOfSquaredSums = 0, crossProducts = 0;
  for (const label of [...members.keys()].sort(compareKeys)) {
    let s = 0, s2 = 0;
    for (const v of members.get(label)!.sort((x, y) => x - y)) {
      s += v - mean;
      s2 += (v - mean) ** 2;
    }
    sumOfSquaredSums += s * s;
    crossProducts += s * s - s2; // Σ_{i≠j∈c} e_i e_j = (Σ e)² − Σ e²
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
