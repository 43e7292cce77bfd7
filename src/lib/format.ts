/** Display helpers shared by pages, the CLI and reports. */

/** The visible gap: how a missing value is shown everywhere. Never a made-up value. */
export const MISSING = "—";

/** Formats a value for display, showing null, undefined and NaN as the visible gap. */
export function display(value: unknown, digits = 3): string {
  if (value === null || value === undefined) return MISSING;
  if (typeof value === "number") return Number.isFinite(value) ? String(+value.toFixed(digits)) : MISSING;
  return String(value);
}
