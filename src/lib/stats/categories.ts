/**
 * Rating labels and the declared category list that agreement coefficients are computed over.
 * Declared categories matter: weighted kappa uses category *indices* and Gwet's AC1 uses the number of declared
 * categories q, so an unused but declared category changes the result (golden README, decision 6).
 */
import {compareKeys} from "./canonical.ts";

/** One rating: a category label, or null when the rater gave none. */
export type Label = string | number | null;

/**
 * The category list: the declared one when given (checked for duplicates and for labels outside it), otherwise
 * the observed labels in canonical order (numbers ascending, then strings).
 */
export function resolveCategories(observed: Iterable<Label>, declared?: readonly Label[]): Label[] {
  if (declared) {
    const seen = new Set<Label>();
    for (const c of declared) {
      if (c === null) throw new RangeError("categories: null is not a category (it marks a missing rating)");
      if (seen.has(c)) throw new RangeError(`categories: ${JSON.stringify(c)} is declared twice`);
      seen.add(c);
    }
    for (const v of observed) {
      if (v !== null && !seen.has(v)) {
        throw new RangeError(`rating ${JSON.stringify(v)} is not one of the declared categories ${JSON.stringify(declared)}; add it to the list or fix the label`);
      }
    }
    return [...declared];
  }
  const found = new Set<Label>();
  for (const v of observed) if (v !== null) found.add(v);
  return [...found].sort(compareKeys);
}

/** Map from label to its index in the category list. */
export function categoryIndex(categories: readonly Label[]): Map<Label, number> {
  return new Map(categories.map((c, i) => [c, i]));
}

/** Transpose rater columns (each rater's labels over the same items) into units × raters rows. */
export function ratersToUnits(...raters: readonly (readonly Label[])[]): Label[][] {
  if (raters.length === 0) return [];
  const n = raters[0].length;
  raters.forEach((r, j) => {
    if (r.length !== n) throw new RangeError(`rater ${j} has ${r.length} ratings but rater 0 has ${n}; raters must rate the same items in the same order`);
  });
  return Array.from({length: n}, (_, i) => raters.map((r) => r[i]));
}
