/**
 * CSV long tables (one run record per row) staged as JSON rows, so they go through the same checks as JSONL.
 * Columns are separated by commas, by tabs in a .tsv file, or by the character `delimiter` gives.
 *
 * Columns map to record fields by header name, or explicitly with `columns` (field -> header, the CLI's
 * `--map field=header`); `slices.NAME` as a field (or as a header) collects a column into the slices tag map. A header that maps to
 * nothing is an error for the whole file (an unknown field), unless listed in `ignoreColumns`. `constants` (field ->
 * text, the CLI's `--set field=value`) gives every row a field the file has no column for, e.g. its benchmark.
 * Cells are text; each is converted by its field's storage kind (number, boolean, JSON) where it reads as one, and
 * kept as text otherwise, so that zod names the field and the wrong type. An empty cell is an absent field (null),
 * never a default.
 */
import {Parser} from "csv-parse";
import {createHash} from "node:crypto";
import {pipeline, Readable} from "node:stream";
import {RECORD_FIELD_KINDS, RunRecordShape, type FieldKind} from "../../src/lib/schema.ts";
import {createLinesTable, fileBytes, LineAppender, MAX_LINE_BYTES, type Progress, type StagedFile} from "./stage-lines.ts";
import type {QuarantinedRow} from "../warehouse.ts";
import {stat} from "node:fs/promises";

export class CsvHeaderError extends Error {}

export const SLICE_PREFIX = "slices.";

/** Column separators of other exports (spreadsheets in many locales write ";"), named in the header error. */
const OTHER_SEPARATORS = [";", "\t", "|", ","];

/**
 * The column separator of a CSV file: `--delimiter` if given (one character; `tab` or `\t` for a tab), else a tab
 * for .tsv files and a comma for any other. Throws on a separator csv-parse cannot use.
 */
export function csvDelimiter(file: string, given?: string): string {
  if (given === undefined) return /\.tsv(\.gz)?$/i.test(file) ? "\t" : ",";
  const delimiter = given === "tab" || given === "\\t" ? "\t" : given;
  if ([...delimiter].length !== 1 || /["\r\n]/.test(delimiter))
    throw new CsvHeaderError(`--delimiter ${JSON.stringify(given)}: give one character other than a quote or a line end, e.g. --delimiter ';' or --delimiter tab`);
  return delimiter;
}

type Target = {field: string} | {slice: string};

/**
 * Resolves each header to a record field or a slice key; throws naming every header it cannot place, and any
 * `constants` field that is not a record field or that a column already provides.
 */
export function mapHeader(
  header: string[],
  columns: Record<string, string> = {},
  ignoreColumns: string[] = [],
  file = "CSV",
  constants: Record<string, string> = {}
): (Target | null)[] {
  const known = new Set(Object.keys(RunRecordShape));
  const byHeader = new Map<string, string>();
  for (const [field, column] of Object.entries(columns)) {
    if (!known.has(field) && !field.startsWith(SLICE_PREFIX))
      throw new CsvHeaderError(`${file}: --map ${field}=${column}: "${field}" is not a run-record field (fields: ${[...known].join(", ")}, or slices.NAME)`);
    if (!header.includes(column)) throw new CsvHeaderError(`${file}: --map ${field}=${column}: the header has no column "${column}" (columns: ${header.join(", ")})`);
    byHeader.set(column, field);
  }
  const unknown: string[] = [];
  const targets = header.map((name): Target | null => {
    // A header named `slices.NAME` is a slice tag, as `--map slices.NAME=HEADER` would make it.
    const field = byHeader.get(name) ?? (known.has(name) || (name.startsWith(SLICE_PREFIX) && name.length > SLICE_PREFIX.length) ? name : undefined);
    if (field?.startsWith(SLICE_PREFIX)) return {slice: field.slice(SLICE_PREFIX.length)};
    if (field) return {field};
    if (!ignoreColumns.includes(name)) unknown.push(name);
    return null;
  });
  if (unknown.length) {
    // A whole header read as one column is a file separated by something other than the delimiter in use.
    const separator = header.length === 1 ? OTHER_SEPARATORS.find((c) => header[0].includes(c)) : undefined;
    throw new CsvHeaderError(
      `${file}: column${unknown.length > 1 ? "s" : ""} ${unknown.map((u) => JSON.stringify(u)).join(", ")} match${unknown.length > 1 ? "" : "es"} no run-record field; ` +
        (header[0]?.trimStart().startsWith("{")
          ? "the first line is a JSON object: for JSON lines, leave out --format csv"
          : separator
          ? `the header reads as one column: if the file's columns are separated by ${JSON.stringify(separator)}, give --delimiter ${separator === "\t" ? "tab" : `'${separator}'`}`
          : `map with --map FIELD=HEADER (slices.NAME=HEADER keeps it as a tag) or skip with --ignore-column HEADER`)
    );
  }
  // What each column gives: a field, or a slice tag as `slices.NAME`; no two columns may give the same.
  const gives = targets.map((t) => (t === null ? null : "field" in t ? t.field : `${SLICE_PREFIX}${t.slice}`));
  const twice = gives.find((g, i) => g !== null && gives.indexOf(g) !== i);
  if (twice) {
    const from = header.filter((_, i) => gives[i] === twice);
    throw new CsvHeaderError(
      new Set(from).size === 1
        ? `${file}: the header has ${from.length} columns named ${JSON.stringify(from[0])}; rename or remove all but one`
        : `${file}: ${twice} is given by more than one column (${from.map((h) => JSON.stringify(h)).join(" and ")}); leave all but one out with --ignore-column HEADER`
    );
  }
  for (const [field, value] of Object.entries(constants)) {
    const unknownField = constantFieldError(file, field, value);
    if (unknownField) throw new CsvHeaderError(unknownField);
    if (gives.includes(field))
      throw new CsvHeaderError(`${file}: --set ${field}=${value}: a column of the file already gives ${field}; drop --set or leave the column out with --ignore-column`);
  }
  return targets;
}

/** The message for `--set FIELD=VALUE` when FIELD is neither a run-record field nor `slices.NAME`; null when it is. */
export function constantFieldError(file: string, field: string, value: string): string | null {
  const known = Object.keys(RunRecordShape);
  if (known.includes(field) || field.startsWith(SLICE_PREFIX)) return null;
  return `${file}: --set ${field}=${value}: "${field}" is not a run-record field (fields: ${known.join(", ")}, or slices.NAME)`;
}

const NUMBER = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** A CSV cell as the JSON value its field expects, where the text reads as one; otherwise the text itself. */
export function cellValue(kind: FieldKind, text: string): unknown {
  switch (kind) {
    case "int":
    case "double": {
      // Beyond a double's range (1e999) a number reads as Infinity, which JSON writes as null: keep the text, so the
      // row is rejected for the field instead of storing a gap that was not in the file.
      const trimmed = text.trim();
      const n = Number(trimmed);
      return NUMBER.test(trimmed) && Number.isFinite(n) ? n : text;
    }
    case "bool": {
      const t = text.trim().toLowerCase();
      return t === "true" || t === "1" ? true : t === "false" || t === "0" ? false : text;
    }
    case "json":
    case "map":
      try {
        return JSON.parse(text);
      } catch {
        return text;
      }
    default:
      return text;
  }
}

/** The line a record starts on: a record spanning several lines (quoted newlines) is numbered by its first line. */
function firstLineOf(raw: string, lastLine: number): number {
  return lastLine - (raw.match(/\n/g)?.length ?? 0) + (raw.endsWith("\n") ? 1 : 0);
}

/** Stages a CSV long table: each row becomes JSON in `raw`, the original CSV text in `source`. */
export async function stageCsv(
  conn: Parameters<typeof createLinesTable>[0],
  file: string,
  options: {columns?: Record<string, string>; ignoreColumns?: string[]; constants?: Record<string, string>; delimiter?: string},
  onProgress?: Progress
): Promise<StagedFile> {
  await createLinesTable(conn);
  const hash = createHash("sha256");
  const total = (await stat(file)).size;
  let read = 0;
  const rejected: QuarantinedRow[] = [];
  const delimiter = csvDelimiter(file, options.delimiter);
  // relax_quotes: a quote inside a field that is not quoted as a whole (`"5" inches`, `he said "hi"`) is kept as
  // text. Strict parsing rejected such a line and then read on inside the quote, so the lines after it vanished.
  const parser = new Parser({bom: true, delimiter, raw: true, info: true, skip_empty_lines: true, relax_column_count: true, relax_quotes: true, skip_records_with_error: true});
  // pipeline, not pipe: an error of the source (gzip data cut short) or of the parser ends the loop below with it,
  // where pipe left it unhandled and the process crashed with a stack trace.
  pipeline(Readable.from(fileBytes(file, hash, (n) => onProgress?.((read += n) / Math.max(total, 1)))), parser, () => undefined);
  parser.on("skip", (err: Error & {lines?: number; raw?: string}) => {
    const raw = err.raw ?? "";
    const last = err.lines ?? 0;
    const line = firstLineOf(raw, last);
    // One row per malformed record, however many errors the parser raised in it.
    if (rejected.at(-1)?.line === line) return;
    const span = last > line ? `; lines ${line}-${last} were read as this one record (a quote opened and never closed?), and none of them is stored` : "";
    rejected.push({line, field: null, reason: `malformed CSV: ${err.message}${span}`, raw: raw.split(/\r?\n/)[0]});
  });
  const appender = await LineAppender.open(conn);
  let targets: (Target | null)[] | null = null;
  const constantTargets = Object.entries(options.constants ?? {}).map(
    ([field, value]): [Target, string] => [field.startsWith(SLICE_PREFIX) ? {slice: field.slice(SLICE_PREFIX.length)} : {field}, value]
  );
  let header: string[] = [];
  let lastLine = 0;
  let lines = 0;
  try {
    for await (const {record, raw, info} of parser as unknown as AsyncIterable<{record: string[]; raw: string; info: {lines: number}}>) {
      lines = info.lines;
      if (!targets) {
        header = record;
        targets = mapHeader(record, options.columns, options.ignoreColumns, file, options.constants);
        continue;
      }
      const line = firstLineOf(raw, info.lines);
      lastLine = line;
      if (record.length !== header.length) {
        rejected.push({line, field: null, reason: `row has ${record.length} columns, the header has ${header.length}`, raw: raw.replace(/\r?\n$/, "")});
        continue;
      }
      const out: Record<string, unknown> = {};
      // No prototype: a tag named __proto__ (a header slices.__proto__) is a key like any other, not dropped.
      const slices: Record<string, string> = Object.create(null);
      const put = (target: Target, text: string) => {
        if ("slice" in target) slices[target.slice] = text;
        else out[target.field] = cellValue(RECORD_FIELD_KINDS[target.field as keyof typeof RECORD_FIELD_KINDS], text);
      };
      for (const [field, value] of constantTargets) put(field, value);
      record.forEach((cell, i) => {
        const target = targets![i];
        if (target && cell !== "") put(target, cell);
      });
      if (Object.keys(slices).length) {
        if (out.slices && typeof out.slices === "object" && !Array.isArray(out.slices)) {
          // A tag the slices column gives too is ambiguous, as a key given twice in a JSON line is.
          const twice = Object.keys(slices).find((k) => Object.hasOwn(out.slices as object, k));
          if (twice !== undefined) {
            const field = `${SLICE_PREFIX}${twice}`;
            rejected.push({line, field, reason: `${field}: given both by the slices column and by a ${field} column or --set, so its value is ambiguous; keep one`, raw: raw.replace(/\r?\n$/, "")});
            continue;
          }
          out.slices = {...out.slices, ...slices};
        } else if (out.slices === undefined) out.slices = slices;
      }
      appender.push(line, JSON.stringify(out), raw.replace(/\r?\n$/, ""));
    }
  } catch (err) {
    // A field longer than JavaScript's longest string (a quote never closed in a huge file, a gzip bomb).
    if (err instanceof Error && "code" in err && err.code === "ERR_STRING_TOO_LONG")
      throw new CsvHeaderError(
        `${file}: the CSV record that reaches line ${parser.info.lines} is longer than one record can be (${MAX_LINE_BYTES.toLocaleString("en-US")} bytes, the longest text JavaScript holds; a quote opened and never closed?); nothing of the file was stored`
      );
    throw err;
  } finally {
    appender.close();
  }
  return {
    fileSha256: hash.digest("hex"),
    lines,
    lastLineUnterminated: false,
    lastLine,
    rejected,
    reader: "javascript"
  };
}
