/** Display helpers shared by pages, the CLI and reports. */

/** The visible gap: how a missing value is shown everywhere. Never a made-up value. */
export const MISSING = "—";

/** null, undefined and NaN: a value that is not there (shown as the gap, written to CSV as an empty field). */
export function isMissing(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === "number" && Number.isNaN(value));
}

/** Formats a value for display, showing null, undefined and NaN as the visible gap. */
export function display(value: unknown, digits = 3): string {
  if (isMissing(value)) return MISSING;
  if (typeof value === "number") return Number.isFinite(value) ? String(+value.toFixed(digits)) : MISSING;
  return String(value);
}

/**
 * Whether a column holds identifiers rather than quantities, by its name: a seed, a year, an id (`seed`, `year`,
 * `id`, or a name ending in `_seed`, `_year`, `_id`). Their numbers are shown as written, never with thousands
 * separators: seed 20251122, not 20,251,122.
 */
export function isIdentifierColumn(name: string): boolean {
  return /(^|_)(seed|year|id)$/i.test(name);
}

/**
 * One value as the text of a CSV field (the quoting is left to the CSV writer): missing as empty, a date as ISO
 * (a bare date when it has no time), an object as JSON. Text starting with = + - @ (or tab/CR), unless it is a plain
 * number, gets a leading apostrophe, so a spreadsheet shows it as text instead of running it as a formula (OWASP, "CSV Injection"). The
 * pages' CSV downloads and the CLI's `--csv` both write cells through this. Text that starts with apostrophes before
 * such a character gets one more, so the value stays recoverable: drop one leading apostrophe from a field that
 * matches /^'+[=+\-@\t\r]/ (`'=1` was `=1`, `''=1` was `'=1`).
 */
export function csvCell(value: unknown): string {
  if (isMissing(value)) return "";
  if (value instanceof Date) return value.toISOString().replace(/T00:00:00\.000Z$/, "");
  const text = typeof value === "object" ? JSON.stringify(value) : String(value);
  return typeof value === "string" && /^'*[=+\-@\t\r]/.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

/** A number written plainly (decimals and 128-bit integers reach CSV as text): a spreadsheet reads it as a number, never a formula. */
const PLAIN_NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;
