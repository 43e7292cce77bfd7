/**
 * McNemar's test for two models scored pass/fail on the same items (McNemar 1947, Psychometrika 12:153).
 * b = #(A right, B wrong), c = #(A wrong, B right).
 * - exact: p = min(1, 2·BinomCDF(min(b,c); b+c, ½)), 1 when b + c = 0 (statsmodels mcnemar(exact=True), R binom.test);
 * - mid-p: exact p − BinomPMF(min(b,c); b+c, ½) (Fagerland, Lydersen & Laake 2013, BMC Med Res Methodol 13:91);
 *   1 when b + c = 0;
 * - chi-square with 1 df: (|b−c|−1)²/(b+c) with continuity correction, (b−c)²/(b+c) without; NaN when b + c = 0.
 */
import {assertAligned, assertBinary} from "./binary.ts";
import {binomialHalfCdf, binomialHalfPmf, chiSquare1Survival} from "./distributions.ts";

export interface PairedCounts {
  nItems: number;
  bothCorrect: number;
  /** A right, B wrong (b) */
  aOnly: number;
  /** A wrong, B right (c) */
  bOnly: number;
  bothWrong: number;
  discordant: number;
}

/** The 2×2 table of two pass/fail vectors aligned by item. */
export function pairedCounts(a: ArrayLike<number>, b: ArrayLike<number>): PairedCounts {
  assertAligned(a, b, "McNemar");
  assertBinary(a, "a");
  assertBinary(b, "b");
  let bothCorrect = 0, aOnly = 0, bOnly = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === 1 && b[i] === 1) bothCorrect++;
    else if (a[i] === 1) aOnly++;
    else if (b[i] === 1) bOnly++;
  }
  return {nItems: a.length, bothCorrect, aOnly, bOnly, bothWrong: a.length - bothCorrect - aOnly - bOnly, discordant: aOnly + bOnly};
}

/** Exact two-sided McNemar p-value from the discordant counts. */
export function mcnemarExactP(aOnly: number, bOnly: number): number {
  const n = aOnly + bOnly;
  if (n === 0) return 1;
  return Math.min(1, 2 * binomialHalfCdf(Math.min(aOnly, bOnly), n));
}

export interface McNemarResult {
  pExact: number;
  pMid: number;
  chi2Corrected: number;
  pChi2Corrected: number;
  chi2Uncorrected: number;
  pChi2Uncorrected: number;
}

/** All McNemar variants from the discordant counts b = aOnly and c = bOnly. */
export function mcnemarTest(aOnly: number, bOnly: number): McNemarResult {
  const n = aOnly + bOnly;
  const pExact = mcnemarExactP(aOnly, bOnly);
  const chi2Corrected = n === 0 ? NaN : (Math.abs(aOnly - bOnly) - 1) ** 2 / n;
  const chi2Uncorrected = n === 0 ? NaN : (aOnly - bOnly) ** 2 / n;
  return {
    pExact,
    pMid: n === 0 ? 1 : pExact - binomialHalfPmf(Math.min(aOnly, bOnly), n),
    chi2Corrected,
    pChi2Corrected: chiSquare1Survival(chi2Corrected),
    chi2Uncorrected,
    pChi2Uncorrected: chiSquare1Survival(chi2Uncorrected),
  };
}
