/**
 * `--set FIELD=VALUE` on newline-delimited JSON: every line gets FIELD as if the file had written it, e.g. the
 * benchmark of a file whose lines do not name one (CSV files get the same option in csv.ts).
 *
 * The member is written into the line's text (`{"benchmark":"qa",` + the rest of the line), not merged by
 * re-serialising the JSON: DuckDB's parser is lenient (NaN, trailing commas, the first of duplicate keys), and a
 * re-serialised line would hide from the checks exactly what they look for. So the content hash covers the value
 * (the same file with another --set is other content), and the quarantine keeps the line as it was in the file
 * (`source`). A line that already has FIELD is rejected, naming both; a line that is not a JSON object is left as
 * it is, for the checks to explain.
 */
import type {DuckDBConnection} from "@duckdb/node-api";
import {RECORD_FIELD_KINDS} from "../../src/lib/schema.ts";
import {cellValue, constantFieldError, SLICE_PREFIX} from "./csv.ts";
import {LINES_TABLE, type LineRejection} from "./stage-lines.ts";

/** Thrown for a --set that cannot apply to the file (unknown field, a slice tag on JSON lines). */
export class ConstantError extends Error {}

/** The `--set` members as JSON values, each converted by its field's kind as a CSV cell would be. */
export function constantMembers(file: string, constants: Record<string, string>): Record<string, unknown> {
  const members: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(constants)) {
    const unknownField = constantFieldError(file, field, value);
    if (unknownField) throw new ConstantError(unknownField);
    if (field.startsWith(SLICE_PREFIX))
      throw new ConstantError(`${file}: --set ${field}=${value}: a slice tag is set on CSV rows only; for JSON lines give the whole map, e.g. --set 'slices={"${field.slice(SLICE_PREFIX.length)}":"${value}"}', or tag the lines at the source`);
    members[field] = cellValue(RECORD_FIELD_KINDS[field as keyof typeof RECORD_FIELD_KINDS], value);
  }
  return members;
}

/**
 * Writes `members` (from `constantMembers(file, constants)`) into every staged line that is a JSON object without
 * any of them; returns the lines that already have one, as rejections (their text set aside as `source`, so no
 * check counts them twice).
 */
export async function addConstantsToLines(conn: DuckDBConnection, constants: Record<string, string>, members: Record<string, unknown>): Promise<LineRejection[]> {
  const fields = Object.keys(members);
  // Field names are run-record fields (checked above), so they are safe in SQL; the values go in as a parameter.
  const fieldList = `[${fields.map((f) => `'${f}'`).join(", ")}]`;
  const keys = "try(json_keys(raw))";
  const clashes = await conn.runAndReadAll(
    `SELECT line, raw, clash FROM (SELECT line, raw, list_filter(${keys}, lambda k: list_contains(${fieldList}, k)) AS clash FROM ${LINES_TABLE} WHERE raw IS NOT NULL)
     WHERE len(clash) > 0 ORDER BY line`
  );
  const rejected = (clashes.getRowObjectsJS() as {line: bigint; raw: string; clash: string[]}[]).map((r): LineRejection => ({
    line: Number(r.line),
    field: r.clash[0],
    reason: `${r.clash.map((f) => `${f} is given both by the line and by --set ${f}=${constants[f]}`).join("; ")}; drop it from the line or the --set`,
    raw: r.raw
  }));
  if (rejected.length) await conn.run(`UPDATE ${LINES_TABLE} SET source = raw, raw = NULL WHERE len(list_filter(${keys}, lambda k: list_contains(${fieldList}, k))) > 0`);
  const body = JSON.stringify(members).slice(1, -1);
  await conn.run(
    `UPDATE ${LINES_TABLE} SET source = raw,
       raw = CASE WHEN len(${keys}) = 0 THEN '{' || $1 || '}' ELSE '{' || $1 || ',' || substr(ltrim(raw, ' \t'), 2) END
     WHERE raw IS NOT NULL AND starts_with(ltrim(raw, ' \t'), '{') AND ${keys} IS NOT NULL`,
    [body]
  );
  return rejected;
}
