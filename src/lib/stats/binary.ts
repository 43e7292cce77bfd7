/** Validation of pass/fail (0/1) outcome vectors, shared by the paired tests on binary data. */

/** Throw unless every value is 0 or 1, naming the first offending position. */
export function assertBinary(values: ArrayLike<number>, name: string): void {
  for (let i = 0; i < values.length; i++) {
    if (values[i] !== 0 && values[i] !== 1) throw new RangeError(`${name}[${i}] = ${values[i]}: pass/fail outcomes must be 0 or 1`);
  }
}

/** Throw unless two per-item vectors have the same length (items aligned by position). */
export function assertAligned(a: ArrayLike<unknown>, b: ArrayLike<unknown>, what: string): void {
  if (a.length !== b.length) throw new RangeError(`${what}: the two models must be scored on the same items, got ${a.length} and ${b.length} values`);
}
