/**
 * Two-parameter logistic IRT (Birnbaum 1968): P(x_ij = 1 | θ_i) = logistic(a_j(θ_i − b_j)), θ ~ N(0, 1), fitted by
 * marginal maximum likelihood with the EM algorithm of Bock & Aitkin (1981, Psychometrika 46:443) on a Gauss–Hermite
 * grid (21 points by default, as R `ltm`). In benchmark terms the "respondents" are models and the items are tasks:
 * a_j is how sharply item j separates stronger from weaker models, b_j the ability at which it is solved half the time.
 *
 * EM: the E-step spreads each response pattern over the quadrature nodes by its posterior weight; the M-step fits each
 * item's logistic curve to the expected counts by Newton's method in (a, c = −ab). Iterates until the log-likelihood
 * changes by less than 1e-13 (relative). Items answered identically by every respondent have no finite MLE and are
 * refused.
 */
import {compareTuples} from "./canonical.ts";

export interface ResponsePattern {
  /** 0/1 response per item */
  responses: readonly number[];
  /** how many respondents gave this pattern */
  count: number;
}

export interface Irt2plFit {
  discrimination: number[];
  difficulty: number[];
  logLikelihood: number;
  iterations: number;
  converged: boolean;
  /** Items whose parameters are not identified by these data (see MAX_IDENTIFIED_DISCRIMINATION). */
  warnings: string[];
}

/** Beyond this |a| an item is treated as (nearly) perfectly separating: its estimate is reported but flagged. */
export const MAX_IDENTIFIED_DISCRIMINATION = 10;

/**
 * Nodes and weights of Gauss–Hermite quadrature for ∫ f(x) e^{−x²} dx (Newton iteration on the Hermite recurrence;
 * Press et al. 2007, Numerical Recipes 3rd ed., §4.6 `gauher`).
 */
export function gaussHermite(n: number): {nodes: number[]; weights: number[]} {
  const nodes = new Array<number>(n), weights = new Array<number>(n);
  const PIM4 = 0.7511255444649425; // π^(−1/4)
  const m = Math.floor((n + 1) / 2);
  let z = 0;
  for (let i = 0; i < m; i++) {
    if (i === 0) z = Math.sqrt(2 * n + 1) - 1.85575 * Math.pow(2 * n + 1, -0.16667);
    else if (i === 1) z -= (1.14 * Math.pow(n, 0.426)) / z;
    else if (i === 2) z = 1.86 * z - 0.86 * nodes[0];
    else if (i === 3) z = 1.91 * z - 0.91 * nodes[1];
    else z = 2 * z - nodes[i - 2];
    let pp = 0;
    for (let iter = 0; iter < 100; iter++) {
      let p1 = PIM4, p2 = 0;
      for (let j = 0; j < n; j++) {
        const p3 = p2;
        p2 = p1;
        p1 = z * Math.sqrt(2 / (j + 1)) * p2 - Math.sqrt(j / (j + 1)) * p3;
      }
      pp = Math.sqrt(2 * n) * p2;
      const z1 = z;
      z = z1 - p1 / pp;
      if (Math.abs(z - z1) <= 1e-15) break;
    }
    nodes[i] = z;
    nodes[n - 1 - i] = -z;
    weights[i] = weights[n - 1 - i] = 2 / (pp * pp);
  }
  return {nodes, weights};
}

/** Standard-normal quadrature: θ_q = √2·x_q with weights w_q/√π (they sum to 1). */
function normalQuadrature(points: number): {theta: number[]; weight: number[]} {
  const {nodes, weights} = gaussHermite(points);
  const order = nodes.map((_, i) => i).sort((i, j) => nodes[i] - nodes[j]);
  return {theta: order.map((i) => Math.SQRT2 * nodes[i]), weight: order.map((i) => weights[i] / Math.sqrt(Math.PI))};
}

const logistic = (x: number) => 1 / (1 + Math.exp(-x));

/** Fit a 2PL model to response-pattern counts. */
export function fit2PL(input: readonly ResponsePattern[], options: {quadraturePoints?: number; maxIterations?: number; tolerance?: number} = {}): Irt2plFit {
  if (input.length === 0) throw new RangeError("fit2PL: no response patterns");
  const J = input[0].responses.length;
  input.forEach((p, k) => {
    if (p.responses.length !== J) throw new RangeError(`fit2PL: pattern ${k} has ${p.responses.length} items, expected ${J}`);
    if (!(p.count >= 0)) throw new RangeError(`fit2PL: pattern ${k} has an invalid count ${p.count}`);
    p.responses.forEach((x, j) => {
      if (x !== 0 && x !== 1) throw new RangeError(`fit2PL: pattern ${k}, item ${j}: responses must be 0 or 1, got ${x}`);
    });
  });
  // Patterns in canonical order, so that sums (and so the fit) do not depend on the order of the respondents.
  const patterns = [...input].sort((p, q) => compareTuples(p.responses as number[], q.responses as number[]));
  const total = patterns.reduce((s, p) => s + p.count, 0);
  for (let j = 0; j < J; j++) {
    const correct = patterns.reduce((s, p) => s + p.count * p.responses[j], 0);
    if (correct === 0 || correct === total) throw new RangeError(`fit2PL: item ${j} is ${correct === 0 ? "failed" : "passed"} by every respondent; its 2PL parameters have no finite estimate (report it as solved by none/all instead)`);
  }
  const {theta, weight} = normalQuadrature(options.quadraturePoints ?? 21);
  const Q = theta.length, maxIterations = options.maxIterations ?? 20_000, tolerance = options.tolerance ?? 1e-13;
  const a = new Array<number>(J).fill(1), c = new Array<number>(J).fill(0);
  // Start c from the item's observed pass rate.
  for (let j = 0; j < J; j++) {
    const p = patterns.reduce((s, pt) => s + pt.count * pt.responses[j], 0) / total;
    c[j] = Math.log(p / (1 - p));
  }
  const posterior = patterns.map(() => new Float64Array(Q));
  const eStep = (): number => {
    let logLik = 0;
    const logP = c.map((cj, j) => theta.map((t) => -Math.log1p(Math.exp(-(a[j] * t + cj)))));
    const logQ = c.map((cj, j) => theta.map((t) => -Math.log1p(Math.exp(a[j] * t + cj))));
    patterns.forEach((pt, k) => {
      const post = posterior[k];
      let max = -Infinity;
      for (let q = 0; q < Q; q++) {
        let l = Math.log(weight[q]);
        for (let j = 0; j < J; j++) l += pt.responses[j] ? logP[j][q] : logQ[j][q];
        post[q] = l;
        if (l > max) max = l;
      }
      let sum = 0;
      for (let q = 0; q < Q; q++) sum += (post[q] = Math.exp(post[q] - max));
      for (let q = 0; q < Q; q++) post[q] /= sum;
      logLik += pt.count * (max + Math.log(sum));
    });
    return logLik;
  };
  let logLik = eStep(), iterations = 0, converged = false;
  const N = new Float64Array(Q), R = new Float64Array(Q);
  while (iterations < maxIterations) {
    iterations++;
    for (let j = 0; j < J; j++) {
      N.fill(0);
      R.fill(0);
      patterns.forEach((pt, k) => {
        for (let q = 0; q < Q; q++) {
          const w = pt.count * posterior[k][q];
          N[q] += w;
          if (pt.responses[j]) R[q] += w;
        }
      });
      for (let step = 0; step < 25; step++) {
        let ga = 0, gc = 0, haa = 0, hac = 0, hcc = 0;
        for (let q = 0; q < Q; q++) {
          const p = logistic(a[j] * theta[q] + c[j]);
          const r = R[q] - N[q] * p, w = N[q] * p * (1 - p);
          ga += r * theta[q];
          gc += r;
          haa += w * theta[q] * theta[q];
          hac += w * theta[q];
          hcc += w;
        }
        const det = haa * hcc - hac * hac;
        if (!(det > 0)) break; // flat likelihood (no information left at these nodes): keep the current values
        let da = (hcc * ga - hac * gc) / det, dc = (haa * gc - hac * ga) / det;
        // Damp long steps: with few respondents an item can be almost perfectly separating, and a full Newton step
        // would overshoot towards a → ∞.
        const longest = Math.max(Math.abs(da), Math.abs(dc));
        if (longest > 1) {
          da /= longest;
          dc /= longest;
        }
        a[j] += da;
        c[j] += dc;
        if (Math.abs(da) + Math.abs(dc) < 1e-12) break;
      }
    }
    const next = eStep();
    const change = Math.abs(next - logLik);
    logLik = next;
    if (change < tolerance * Math.abs(logLik)) {
      converged = true;
      break;
    }
  }
  const unidentified = a.map((aj, j) => j).filter((j) => !(Math.abs(a[j]) <= MAX_IDENTIFIED_DISCRIMINATION));
  const warnings = unidentified.length === 0 ? [] : [`items ${unidentified.join(", ")}: discrimination above ${MAX_IDENTIFIED_DISCRIMINATION} (the item separates respondents almost perfectly; its MLE drifts towards infinity and is not identified)`];
  return {discrimination: [...a], difficulty: c.map((cj, j) => -cj / a[j]), logLikelihood: logLik, iterations, converged, warnings};
}

/** Collapse a respondents × items 0/1 matrix (e.g. models × tasks) into response-pattern counts. */
export function responsePatterns(matrix: readonly (ArrayLike<number>)[]): ResponsePattern[] {
  const counts = new Map<string, ResponsePattern>();
  for (const row of matrix) {
    const responses = Array.from(row);
    const key = responses.join("");
    const existing = counts.get(key);
    if (existing) existing.count++;
    else counts.set(key, {responses, count: 1});
  }
  return [...counts.values()];
}
