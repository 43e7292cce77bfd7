/**
 * Chance-corrected agreement between two raters on the same items. Every coefficient is
 * (p_o − p_e) / (1 − p_e) with observed agreement p_o and chance agreement p_e; they differ in p_e.
 *
 * Items where either rater gave no label (null) are left out (complete pairs only). When p_e = 1 (both raters
 * constant and identical) the coefficient is 0/0 and we return NaN rather than 1 (golden README, decision 7);
 * Gwet's AC1 stays defined there because its p_e uses the declared category count.
 */
import {categoryIndex, resolveCategories, type Label} from "./categories.ts";

/**
 * Disagreement weights of a (weighted) kappa: a scheme on category indices, or a q × q matrix w[i][j] (zero on the
 * diagonal) for a coding the schemes do not cover, such as an ordinal scale plus a category outside it.
 */
export type KappaWeights = "unweighted" | "linear" | "quadratic" | readonly (readonly number[])[];

export interface AgreementOptions {
  /** Declared categories, in order. Defaults to the observed labels in canonical order. */
  categories?: readonly Label[];
}

/**
 * Counts of complete pairs: counts[i][j] = items where rater a gave category i and rater b category j (both labels
 * present). Every two-rater coefficient below is a function of this table alone, so a bootstrap can resample tables
 * of counts instead of label vectors (agreement-bootstrap.ts).
 */
export type ContingencyCounts = readonly (readonly number[])[];

/** The contingency table of two raters' labels over the resolved categories (items with a missing label left out). */
export function contingencyTable(a: readonly Label[], b: readonly Label[], declared?: readonly Label[]): {categories: Label[]; counts: number[][]} {
  if (a.length !== b.length) throw new RangeError(`two raters must rate the same items: got ${a.length} and ${b.length} ratings`);
  const categories = resolveCategories([...a, ...b], declared);
  const index = categoryIndex(categories);
  const q = categories.length;
  const counts = Array.from({length: q}, () => new Array<number>(q).fill(0));
  for (let i = 0; i < a.length; i++) {
    if (a[i] === null || b[i] === null) continue;
    counts[index.get(a[i])!][index.get(b[i])!]++;
  }
  return {categories, counts};
}

interface PairTable {
  /** Joint proportions O[i][j] over complete pairs (rater a category i, rater b category j). */
  joint: number[][];
  rowMargins: number[];
  colMargins: number[];
  nPairs: number;
}

function pairTable(counts: ContingencyCounts): PairTable {
  const q = counts.length;
  let nPairs = 0;
  for (const row of counts) {
    if (row.length !== q) throw new RangeError(`contingency table must be square: a row has ${row.length} cells, expected ${q}`);
    for (const x of row) nPairs += x;
  }
  if (nPairs === 0) throw new RangeError("no item was rated by both raters");
  const joint = counts.map((row) => row.map((x) => x / nPairs));
  const rowMargins = joint.map((row) => row.reduce((s, x) => s + x, 0));
  const colMargins = joint.map((_, j) => joint.reduce((s, row) => s + row[j], 0));
  return {joint, rowMargins, colMargins, nPairs};
}

function chanceCorrected(po: number, pe: number): number {
  return 1 - pe === 0 ? NaN : (po - pe) / (1 - pe);
}

/** Percent agreement: the share of complete pairs where both raters gave the same label. */
export function percentAgreement(a: readonly Label[], b: readonly Label[]): number {
  return percentAgreementFromTable(contingencyTable(a, b).counts);
}

/** Percent agreement from a contingency table: trace / total; NaN when there is no complete pair. */
export function percentAgreementFromTable(counts: ContingencyCounts): number {
  let same = 0, pairs = 0;
  counts.forEach((row, i) => {
    same += row[i];
    for (const x of row) pairs += x;
  });
  return pairs === 0 ? NaN : same / pairs;
}

/**
 * Cohen's kappa (Cohen 1960), and weighted kappa (Cohen 1968, Psych Bull 70:213):
 * κ_w = 1 − Σ w_ij O_ij / Σ w_ij E_ij with E = outer(row margins, column margins) and disagreement weights
 * [i≠j], |i−j| or (i−j)² on category *indices* in the declared list (as sklearn `cohen_kappa_score(labels=…)`),
 * or a given weight matrix.
 */
export function cohenKappa(a: readonly Label[], b: readonly Label[], options: AgreementOptions & {weights?: KappaWeights} = {}): number {
  return cohenKappaFromTable(contingencyTable(a, b, options.categories).counts, options.weights);
}

/** Cohen's (weighted) kappa from a contingency table whose rows and columns follow the category list. */
export function cohenKappaFromTable(counts: ContingencyCounts, weights: KappaWeights = "unweighted"): number {
  const {joint, rowMargins, colMargins} = pairTable(counts);
  if (typeof weights !== "string") checkWeightMatrix(weights, joint.length);
  const weight = (i: number, j: number) =>
    typeof weights !== "string" ? weights[i][j] : weights === "unweighted" ? (i === j ? 0 : 1) : weights === "linear" ? Math.abs(i - j) : (i - j) ** 2;
  let observed = 0, expected = 0;
  for (let i = 0; i < joint.length; i++) {
    for (let j = 0; j < joint.length; j++) {
      const w = weight(i, j);
      observed += w * joint[i][j];
      expected += w * rowMargins[i] * colMargins[j];
    }
  }
  return expected === 0 ? NaN : 1 - observed / expected;
}

/** Disagreement weights (kappa) or differences (Krippendorff's alpha): q × q, finite, non-negative, 0 on the diagonal. */
export function checkWeightMatrix(w: readonly (readonly number[])[], q: number): void {
  if (w.length !== q || w.some((row) => row.length !== q)) throw new RangeError(`weight matrix must be ${q} × ${q}, like the contingency table`);
  w.forEach((row, i) =>
    row.forEach((x, j) => {
      if (!(Number.isFinite(x) && x >= 0) || (i === j && x !== 0)) throw new RangeError(`weight [${i}][${j}] = ${x}: disagreement weights are finite, non-negative and 0 on the diagonal`);
    })
  );
}

/** Scott's pi (Scott 1955, POQ 19:321): p_e = Σ_k ((p_k· + p_·k)/2)², pooling both raters' margins. */
export function scottPi(a: readonly Label[], b: readonly Label[], options: AgreementOptions = {}): number {
  return scottPiFromTable(contingencyTable(a, b, options.categories).counts);
}

/** Scott's pi from a contingency table. */
export function scottPiFromTable(counts: ContingencyCounts): number {
  const {joint, rowMargins, colMargins} = pairTable(counts);
  const po = joint.reduce((s, row, i) => s + row[i], 0);
  const pe = rowMargins.reduce((s, r, k) => s + ((r + colMargins[k]) / 2) ** 2, 0);
  return chanceCorrected(po, pe);
}

/**
 * Gwet's AC1 for two raters (Gwet 2008, Br J Math Stat Psychol 61:29): p_e = (1/(q−1)) Σ_k π_k(1−π_k) with
 * π_k = (p_k· + p_·k)/2 and q the number of *declared* categories (irrCAC `gwet.ac1.raw(categories=…)`).
 */
export function gwetAC1(a: readonly Label[], b: readonly Label[], options: AgreementOptions = {}): number {
  return gwetAC1FromTable(contingencyTable(a, b, options.categories).counts);
}

/** Gwet's AC1 from a contingency table over the declared categories (q = its size). */
export function gwetAC1FromTable(counts: ContingencyCounts): number {
  const {joint, rowMargins, colMargins} = pairTable(counts);
  const q = joint.length;
  if (q < 2) throw new RangeError("Gwet's AC1 needs at least 2 declared categories");
  const po = joint.reduce((s, row, i) => s + row[i], 0);
  const pe = rowMargins.reduce((s, r, k) => {
    const pi = (r + colMargins[k]) / 2;
    return s + pi * (1 - pi);
  }, 0) / (q - 1);
  return chanceCorrected(po, pe);
}
