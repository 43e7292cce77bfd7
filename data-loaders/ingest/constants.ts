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
import {LINES_TABLE} from "./stage-lines.ts";
import type {QuarantinedRow} from "../warehouse.ts";

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
export async function addConstantsToLines(conn: DuckDBConnection, constants: Record<string, string>, members: Record<string, unknown>): Promise<QuarantinedRow[]> {
  // Field names are run-record fields (checked above), so they are safe in SQL; the values go in as a parameter.
  const fields = `[${Object.keys(members).map((f) => `'${f}'`).join(", ")}]`;
  // One pass reads each object line's keys: a clash sets the line aside (raw NULL), any other gets the members.
  await conn.run(
    `UPDATE ${LINES_TABLE} SET source = raw,
       raw = CASE WHEN list_has_any(k.keys, ${fields}) THEN NULL
                  WHEN len(k.keys) = 0 THEN '{' || $1 || '}'
                  ELSE '{' || $1 || ',' || substr(ltrim(raw, ' \t'), 2) END
     FROM (SELECT line, try(json_keys(raw)) AS keys FROM ${LINES_TABLE} WHERE raw IS NOT NULL AND starts_with(ltrim(raw, ' \t'), '{')) k
     WHERE ${LINES_TABLE}.line = k.line AND k.keys IS NOT NULL`,
    [JSON.stringify(members).slice(1, -1)]
  );
  // The lines set aside (a blank line has no source), with the fields they clash on.
  const clashes = await conn.runAndReadAll(
    `SELECT line, source, list_filter(json_keys(source), lambda k: list_contains(${fields}, k)) AS clash
     FROM ${LINES_TABLE} WHERE raw IS NULL AND source IS NOT NULL ORDER BY line`
  );
  return (clashes.getRowObjectsJS() as {line: bigint; source: string; clash: string[]}[]).map((r) => ({
    line: Number(r.line),
    field: r.clash[0],
    reason: `${r.clash.map((f) => `${f} is given both by the line and by --set ${f}=${constants[f]}`).join("; ")}; drop it from the line or the --set`,
    raw: r.source
  }));
}
