/**
 * How the commands that show warehouse rows print them: aligned columns for a terminal, or CSV (`--csv`) for a file
 * or a spreadsheet.
 *
 * Text from run records (model names, item ids, outputs) is untrusted. In the terminal its control characters are
 * shown as `\uXXXX`, so a value cannot move the cursor, recolour the screen or fake a line; a long value is cut to
 * `maxWidth` characters with "…" (the CSV holds it whole). CSV cells go through `csvCell`, as the pages' downloads do.
 */
import {DuckDBArrayValue, DuckDBListValue, DuckDBMapValue, DuckDBStructValue, DuckDBUnionValue, type DuckDBConnection, type DuckDBValue} from "@duckdb/node-api";
import {stringify} from "csv-stringify/sync";
import {isAbsolute, relative} from "node:path";
import {csvCell, display} from "../../src/lib/format.ts";

export type Cell = string | number | boolean | null;

/** `text` with C0 and C1 control characters (ESC, CR, newline, CSI …) written as `\uXXXX`. */
export function terminalSafe(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * A value as terminal text: "—" when missing (null); a number in full, NaN and ±Infinity by name (a query's result
 * is not rounded for show); control characters escaped; cut to `maxWidth` characters with "…" at the end (or at the start with `keepEnd`, for paths,
 * whose file name is at the end).
 */
export function terminalCell(value: Cell, maxWidth = 60, {keepEnd = false}: {keepEnd?: boolean} = {}): string {
  // Every number is a value here, NaN and ±Infinity too (a query can return them); only null is the gap.
  const text = terminalSafe(typeof value === "number" ? String(value) : display(value));
  if (text.length <= maxWidth) return text;
  return keepEnd ? `…${text.slice(text.length - maxWidth + 1)}` : `${text.slice(0, maxWidth - 1)}…`;
}

/**
 * Lines of a table: the header, then one line per row; every column but the last padded to its widest cell. Cells
 * are cut to `maxWidth`; those of the `keepEnd` columns keep their end.
 */
export function textTable(columns: string[], rows: Cell[][], {maxWidth = 60, keepEnd = []}: {maxWidth?: number; keepEnd?: string[]} = {}): string[] {
  // Headers too can come from run-record text (a PIVOT's columns are model names): made terminal-safe like the cells.
  const cells = [columns.map(terminalSafe), ...rows.map((r) => r.map((v, i) => terminalCell(v, maxWidth, {keepEnd: keepEnd.includes(columns[i])})))];
  const widths = columns.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  return cells.map((r) => r.map((c, i) => (i < r.length - 1 ? c.padEnd(widths[i]) : c)).join("  ").trimEnd());
}

/** CSV text with a header line (none when `columns` is null: the next rows of a table being written); missing values are empty fields. */
export function csvTable(columns: string[] | null, rows: Cell[][]): string {
  return stringify([...(columns ? [columns] : []), ...rows.map((r) => r.map(csvCell))]);
}

/** Prints `rows` as CSV (`csv`) or as a text table on stdout. */
export function printRows(columns: string[], rows: Cell[][], {csv = false, keepEnd}: {csv?: boolean; keepEnd?: string[]} = {}): void {
  if (csv) process.stdout.write(csvTable(columns, rows));
  else for (const line of textTable(columns, rows, {keepEnd})) console.log(line);
}

/**
 * A DuckDB value as a cell: a 64- or 128-bit integer as a number when it is a safe integer (counts, lines), else as
 * its decimal text (a hash would lose digits as a double); a list, struct, map or union as JSON text (`jsonData`),
 * which a program can read back whatever the text inside holds; dates, times and other scalars as DuckDB writes them.
 */
export function cellOf(value: DuckDBValue): Cell {
  if (value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  if (typeof value === "bigint") return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (isNested(value)) return JSON.stringify(jsonData(value));
  return String(value);
}

const isNested = (value: DuckDBValue) =>
  value instanceof DuckDBListValue || value instanceof DuckDBArrayValue || value instanceof DuckDBStructValue || value instanceof DuckDBMapValue || value instanceof DuckDBUnionValue;

/**
 * A DuckDB value as JSON data. Lists and arrays become arrays, structs objects, a map an object when its keys are
 * text (else a list of {key, value}), a union its value. Inside them, numbers JSON cannot hold keep their text
 * (integers beyond 2^53, NaN, Infinity: null would be a made-up value), other scalars are as `cellOf` gives them.
 */
export function jsonData(value: DuckDBValue): unknown {
  if (value instanceof DuckDBListValue || value instanceof DuckDBArrayValue) return value.items.map(jsonData);
  if (value instanceof DuckDBStructValue) return Object.fromEntries(Object.entries(value.entries).map(([k, v]) => [k, jsonData(v)]));
  if (value instanceof DuckDBMapValue)
    return value.entries.every((e) => typeof e.key === "string")
      ? Object.fromEntries(value.entries.map((e) => [e.key, jsonData(e.value)]))
      : value.entries.map((e) => ({key: jsonData(e.key), value: jsonData(e.value)}));
  if (value instanceof DuckDBUnionValue) return jsonData(value.value);
  const cell = cellOf(value);
  return typeof cell === "number" && !Number.isFinite(cell) ? String(cell) : cell;
}

/** The rows of a query as cells (`cellOf`). */
export async function queryRows(conn: DuckDBConnection, sql: string, params: (string | number | null)[] = []): Promise<Cell[][]> {
  return (await conn.runAndReadAll(sql, params)).getRows().map((r) => r.map(cellOf));
}

/** A path as a user reads it: relative to the working folder when it lies inside it, else as given. */
export function shownPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return isAbsolute(file) && !rel.startsWith("..") && !isAbsolute(rel) ? rel : file;
}
