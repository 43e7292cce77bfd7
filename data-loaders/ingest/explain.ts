/**
 * The JavaScript side of validation: explains a row that the SQL checks flagged, with zod as the judge.
 *
 * DuckDB checks every row (schema-sql.ts); only flagged rows come here. For each we run JSON.parse and
 * RunRecord.safeParse, so the quarantine names the field and gives the reason exactly as zod does, then the
 * storage conditions zod does not know (a calendar date, text DuckDB can store). A flagged row that passes all of
 * that is valid after all (the SQL flags every place DuckDB's JSON parser and JSON.parse could disagree); it comes
 * back as canonical JSON (zod's output, JSON.stringify) that the SQL checks accept.
 */
import {z} from "zod";
import {RECORD_FIELD_KINDS, RunRecord, RunRecordShape} from "../../src/lib/schema.ts";

export type Explanation = {ok: true; canonical: string} | {ok: false; field: string | null; reason: string};

export interface ExplainContext {
  /** run_id used when the record has none (from --run-id or the file's base name). */
  runId: string;
  /** This is the file's last line and the file does not end with a newline. */
  unterminatedLastLine: boolean;
}

const KNOWN_FIELDS = Object.keys(RunRecordShape);

/** A failed parse's issues, and nothing else: what `safeParseRecord` returns in place of a ZodError. */
class IssueList {
  constructor(readonly issues: z.core.$ZodIssue[]) {}
}

/**
 * `RunRecord.safeParse` without its ZodError: that is an Error (a stack trace) whose message is every issue as
 * indented JSON, built for each failed row, when the quarantine needs only the issues (in a one-off measurement,
 * 47 -> 15 µs per failing row: most of what a file with one systematic error spends in this module).
 * `_safeParse` is zod core's factory of parse functions with an error class of their own (zod and zod/mini use it).
 */
const safeParseRecord = z.core._safeParse(IssueList as unknown as z.core.$ZodErrorClass);

export function explainRow(raw: string, ctx: ExplainContext): Explanation {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (ctx.unterminatedLastLine)
      return {
        ok: false,
        field: null,
        reason: `truncated last line: the file ends in the middle of a record (no final newline, incomplete JSON: ${message}); re-export the file or delete the partial line`
      };
    return {ok: false, field: null, reason: `malformed JSON: ${message}; each line must be one complete JSON object`};
  }
  if (value === null || typeof value !== "object" || Array.isArray(value))
    return {ok: false, field: null, reason: `expected one JSON object per line, found ${Array.isArray(value) ? "an array" : value === null ? "null" : `a ${typeof value}`}`};

  const record = value as Record<string, unknown>;
  if (record.run_id === undefined || record.run_id === null) record.run_id = ctx.runId;
  const parsed = safeParseRecord(RunRecord, record);
  if (!parsed.success) return describeIssues(parsed.error.issues, record);

  const storage = storageProblem(parsed.data);
  if (storage) return {ok: false, ...storage};
  // Last, so only a row valid as JSON.parse read it pays for the scan.
  const duplicate = duplicateKeyPath(raw);
  if (duplicate !== null) return {ok: false, field: duplicate, reason: `${duplicate}: the key appears more than once in its object, so its value is ambiguous; keep one`};
  return {ok: true, canonical: JSON.stringify(parsed.data)};
}

/** zod's issues as one quarantine row: the first issue's field, every issue in the reason. */
function describeIssues(issues: z.core.$ZodIssue[], record: Record<string, unknown>): Explanation {
  const parts = issues.map((issue) => {
    if (issue.code === "unrecognized_keys") {
      const keys = issue.keys.join(", ");
      const where = issue.path.length ? ` in ${pathText(issue.path)}` : "";
      return {
        field: issue.path.length ? `${pathText(issue.path)}.${issue.keys[0]}` : issue.keys.join(","),
        text: `unknown field${issue.keys.length > 1 ? "s" : ""} ${keys}${where}: not part of the run-record schema (fields: ${where ? "see src/lib/schema.ts" : KNOWN_FIELDS.join(", ")}); rename or drop ${issue.keys.length > 1 ? "them" : "it"}`
      };
    }
    const field = pathText(issue.path);
    if (issue.code === "invalid_type" && issue.path.length === 1 && !Object.hasOwn(record, issue.path[0] as string))
      return {field, text: `${field}: required field is missing`};
    // JSON.parse turns a number beyond the double range (1e400) into Infinity, which zod reports as "received number".
    if (issue.code === "invalid_type" && (issue as {received?: unknown}).received === "Infinity")
      return {field, text: `${field}: expected a finite number, got one beyond the range of a double (read as Infinity)`};
    return {field, text: `${field}: ${issue.message}`};
  });
  return {ok: false, field: parts[0]?.field || null, reason: parts.map((p) => p.text).join("; ")};
}

function pathText(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : `${i ? "." : ""}${String(p)}`)).join("");
}

/**
 * The path of the first key that appears twice in the record's object or in a map field (slices), or null: JSON.parse
 * keeps the last of duplicates and DuckDB the first, so such a line has no one meaning. These are the objects the SQL
 * checks compare keys in (schema-sql.ts), so both readers reject the same lines; inside JSON fields (final_state,
 * trajectory) duplicates are stored as given. Written here because JSON.parse does not report duplicates, and for
 * text already known to be valid JSON a linear scan of strings and brackets finds them.
 */
function duplicateKeyPath(raw: string): string | null {
  // One frame per open object or array; `keys` for the objects whose keys are compared.
  const frames: {keys: Set<string> | null; path: string}[] = [];
  let key = "";
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    const top = frames.at(-1);
    if (c === '"') {
      let end = i + 1;
      while (raw[end] !== '"') end += raw[end] === "\\" ? 2 : 1;
      let next = end + 1;
      while (raw[next] === " " || raw[next] === "\t" || raw[next] === "\r" || raw[next] === "\n") next++;
      if (raw[next] === ":") {
        key = JSON.parse(raw.slice(i, end + 1)) as string;
        if (top?.keys?.has(key)) return `${top.path}${top.path ? "." : ""}${key}`;
        top?.keys?.add(key);
      }
      i = end;
    } else if (c === "{" || c === "[") {
      const compared = !top || (frames.length === 1 && c === "{" && RECORD_FIELD_KINDS[key as keyof typeof RECORD_FIELD_KINDS] === "map");
      frames.push({keys: compared ? new Set() : null, path: top ? key : ""});
    } else if (c === "}" || c === "]") frames.pop();
  }
  return null;
}

/** Conditions for storing a valid record that zod's schema does not state: calendar dates, well-formed Unicode. */
function storageProblem(record: z.infer<typeof RunRecord>): {field: string; reason: string} | null {
  for (const [field, kind] of Object.entries(RECORD_FIELD_KINDS)) {
    const value = (record as Record<string, unknown>)[field];
    if ((kind === "date" || kind === "timestamp") && typeof value === "string" && !isCalendarDate(value))
      return {field, reason: `${field}: ${JSON.stringify(value)} is not a calendar date`};
    const lone = findLoneSurrogate(value);
    if (lone)
      return {
        field: lone.path ? `${field}${lone.path}` : field,
        reason: `${field}: contains an unpaired UTF-16 surrogate (${lone.code}), which is not Unicode text and cannot be stored; fix the encoding at the source`
      };
  }
  return null;
}

function isCalendarDate(text: string): boolean {
  const date = new Date(`${text.slice(0, 10)}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text.slice(0, 10);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function findLoneSurrogate(value: unknown, path = ""): {path: string; code: string} | null {
  if (typeof value === "string") {
    const m = LONE_SURROGATE.exec(value);
    return m ? {path, code: `\\u${m[0].charCodeAt(0).toString(16)}`} : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findLoneSurrogate(value[i], `${path}[${i}]`);
      if (found) return found;
    }
  } else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      const found = findLoneSurrogate(k, `${path}.${k}`) ?? findLoneSurrogate(v, `${path}.${k}`);
      if (found) return found;
    }
  }
  return null;
}
