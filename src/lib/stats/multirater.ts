/**
 * Agreement among several raters, data as units × raters (null = missing rating). Rater identity does not
 * matter here: each unit is summarised by its count of ratings per category, r_ik, and r_i = Σ_k r_ik.
 *
 * Missing ratings follow Gwet (2014, Handbook of Inter-Rater Reliability; R irrCAC): observed agreement is averaged
 * over units with r_i ≥ 2, while category prevalences π_k = mean over units with r_i ≥ 1 of r_ik / r_i, so a unit
 * with a single rating still informs π. Units with no rating are dropped. With complete data this is Fleiss' kappa.
 */
import {compareTuples} from "./canonical.ts";
import {categoryIndex, resolveCategories, type Label} from "./categories.ts";
import type {AgreementOptions} from "./agreement.ts";

interface UnitCounts {
  /** counts[i][k] = number of ratings of unit i in category k, units with at least one rating only. */
  counts: number[][];
  q: number;
}

function unitCounts(ratings: readonly (readonly Label[])[], declared?: readonly Label[]): UnitCounts {
  const categories = resolveCategories(ratings.flat(), declared);
  const index = categoryIndex(categories);
  const counts: number[][] = [];
  for (const unit of ratings) {
    const row = new Array<number>(categories.length).fill(0);
    let r = 0;
    for (const v of unit) {
      if (v === null) continue;
      row[index.get(v)!]++;
      r++;
    }
    if (r > 0) counts.push(row);
  }
  // Units in canonical order: every later sum is then independent of the order of the input rows.
  counts.sort(compareTuples);
  return {counts, q: categories.length};
}

/** p_o: mean over units with ≥ 2 ratings of Σ_k r_ik(r_ik−1) / (r_i(r_i−1)). NaN when no unit has 2 ratings. */
function observedAgreement(counts: number[][]): number {
  let total = 0, units = 0;
  for (const row of counts) {
    const r = row.reduce((s, x) => s + x, 0);
    if (r < 2) continue;
    total += row.reduce((s, x) => s + x * (x - 1), 0) / (r * (r - 1));
    units++;
  }
  return units === 0 ? NaN : total / units;
}

/** π_k: mean over units with ≥ 1 rating of r_ik / r_i. */
function prevalences(counts: number[][], q: number): number[] {
  const pi = new Array<number>(q).fill(0);
  for (const row of counts) {
    const r = row.reduce((s, x) => s + x, 0);
    for (let k = 0; k < q; k++) pi[k] += row[k] / r;
  }
  return pi.map((x) => x / counts.length);
}

function chanceCorrected(po: number, pe: number): number {
  return 1 - pe === 0 ? NaN : (po - pe) / (1 - pe);
}

/** Units where every rater gave a rating (listwise deletion). */
export function completeUnits(ratings: readonly (readonly Label[])[]): Label[][] {
  return ratings.filter((unit) => unit.every((v) => v !== null)).map((unit) => [...unit]);
}

export interface MultiRaterPercentAgreement {
  /** Mean over units with ≥ 2 ratings of the share of agreeing rater pairs. */
  pairwise: number;
  /** Share of units with ≥ 2 ratings where every rating is the same (R irr::agree, tolerance 0). */
  allAgree: number;
}

/** Percent agreement among several raters (golden README §4). */
export function percentAgreementRaters(ratings: readonly (readonly Label[])[]): MultiRaterPercentAgreement {
  const {counts} = unitCounts(ratings);
  const pairable = counts.filter((row) => row.reduce((s, x) => s + x, 0) >= 2);
  return {
    pairwise: observedAgreement(counts),
    allAgree: pairable.length === 0 ? NaN : pairable.filter((row) => row.filter((x) => x > 0).length === 1).length / pairable.length,
  };
}

/**
 * Fleiss' kappa (Fleiss 1971, Psych Bull 76:378): p_e = Σ_k π_k².
 * missing = "generalized" (default): Gwet's extension to missing ratings (irrCAC `fleiss.kappa.raw`); with complete
 *   data it equals classical Fleiss (statsmodels `fleiss_kappa`, R irr::kappam.fleiss).
 * missing = "listwise": classical Fleiss on the units every rater rated.
 */
export function fleissKappa(ratings: readonly (readonly Label[])[], options: AgreementOptions & {missing?: "generalized" | "listwise"} = {}): number {
  const data = options.missing === "listwise" ? completeUnits(ratings) : ratings;
  const {counts, q} = unitCounts(data, options.categories);
  if (counts.length === 0) throw new RangeError("Fleiss' kappa: no unit has a rating");
  const pi = prevalences(counts, q);
  return chanceCorrected(observedAgreement(counts), pi.reduce((s, p) => s + p * p, 0));
}

/**
 * Gwet's AC1 for several raters with missing ratings (Gwet 2008; 2014, irrCAC `gwet.ac1.raw`):
 * p_e = (1/(q−1)) Σ_k π_k(1−π_k), q = number of declared categories.
 */
export function gwetAC1Raters(ratings: readonly (readonly Label[])[], options: AgreementOptions = {}): number {
  const {counts, q} = unitCounts(ratings, options.categories);
  if (q < 2) throw new RangeError("Gwet's AC1 needs at least 2 declared categories");
  if (counts.length === 0) throw new RangeError("Gwet's AC1: no unit has a rating");
  const pi = prevalences(counts, q);
  return chanceCorrected(observedAgreement(counts), pi.reduce((s, p) => s + p * (1 - p), 0) / (q - 1));
}
