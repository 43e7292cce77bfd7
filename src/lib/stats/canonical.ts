/**
 * Canonical item order, so that resampling depends on (seed, inputs) and never on the order of input rows.
 * A bootstrap draws item *positions*; if positions follow a canonical order of the items (their ids, or failing ids,
 * their own values), the same seed picks the same items whatever order the rows arrived in.
 */

/** Total order on labels and numbers used for canonical sorting: null first, then numbers, then strings. */
export function compareKeys(a: string | number | null, b: string | number | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === "number" && typeof b === "number") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "number") return -1;
  if (typeof b === "number") return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Lexicographic comparison of two equal-length tuples under compareKeys. */
export function compareTuples(a: readonly (string | number | null)[], b: readonly (string | number | null)[]): number {
  for (let i = 0; i < a.length; i++) {
    const c = compareKeys(a[i], b[i]);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

/**
 * The permutation that sorts items canonically: by id when ids are given (ids must be unique), otherwise by the
 * tuple of the item's values. Sorting by values is valid for statistics that do not depend on item order, which is
 * every statistic in this library.
 */
export function canonicalOrder(n: number, key: (i: number) => readonly (string | number | null)[]): number[] {
  const order = Array.from({length: n}, (_, i) => i);
  const keys = order.map(key);
  order.sort((i, j) => compareTuples(keys[i], keys[j]));
  return order;
}
