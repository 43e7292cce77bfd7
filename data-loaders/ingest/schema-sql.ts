/**
 * The RunRecord schema as DuckDB SQL: validity checks, typed columns and hashes, GENERATED from the zod schema in
 * src/lib/schema.ts so that ingest can let DuckDB parse and check a million rows without a JavaScript call per row.
 *
 * Contract (tested against zod with random records in test/ingest/schema-sql.test.ts): a line that passes
 * `valid` is accepted by `RunRecord.safeParse(JSON.parse(line))`. The converse need not hold: the SQL may flag a
 * row zod accepts (DuckDB's JSON parser is laxer than JSON.parse in places, so we flag every place that could
 * differ), and such a row is sent to the JavaScript explainer, which has the last word (see explain.ts).
 *
 * Every zod construct the generator does not know makes it throw, so a schema change cannot silently skip a check.
 * The one refinement of RunRecord (a record needs an outcome) is not introspectable; it is checked from
 * RECORD_OUTCOME_FIELDS, the constant the refinement itself uses.
 */
import {RECORD_FIELD_KINDS, RECORD_KEY, RECORD_OUTCOME_FIELDS, RunRecord, RunRecordShape, type FieldKind} from "../../src/lib/schema.ts";

/** A zod schema's internal definition (zod 4 exposes it as `_zod.def`; it is what zod's own JSON-schema export walks). */
interface ZodDef {
  type: string;
  innerType?: ZodNode;
  element?: ZodNode;
  valueType?: ZodNode;
  keyType?: ZodNode;
  shape?: Record<string, ZodNode>;
  catchall?: ZodNode;
  entries?: Record<string, string | number>;
  checks?: {_zod: {def: CheckDef}}[];
}
interface CheckDef {
  check: string;
  minimum?: number;
  format?: string;
  pattern?: RegExp;
  value?: number;
  inclusive?: boolean;
}
type ZodNode = {_zod: {def: ZodDef}};

const def = (schema: unknown): ZodDef => (schema as ZodNode)._zod.def;

/** Largest integer zod's `.int()` accepts (Number.MAX_SAFE_INTEGER). */
const MAX_SAFE_INTEGER = "9007199254740991";

/** SQL string literal. Only schema-derived text goes through here, never data. */
function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

function jsonPathForKey(key: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new Error(`schema-sql: field name ${JSON.stringify(key)} needs quoting rules the generator lacks`);
  return sqlString(`$."${key}"`);
}

let lambdaCounter = 0;
const lambdaVar = () => `v${lambdaCounter++}`;

/**
 * SQL predicate: the JSON text `x` (VARCHAR, never SQL NULL; JSON null is the text 'null') satisfies `schema`
 * as zod would judge the value JSON.parse gives.
 */
function valueCheck(schema: unknown, x: string): string {
  const d = def(schema);
  switch (d.type) {
    case "optional":
    case "default":
      // A JSON value is never `undefined`, so both only matter when the key is absent (see fieldCheck).
      return valueCheck(d.innerType, x);
    case "nullable":
      return `(${x} = 'null' OR ${valueCheck(d.innerType, x)})`;
    case "unknown":
      return "TRUE";
    case "boolean":
      return `(${x} IN ('true', 'false'))`;
    case "string":
      return `(starts_with(${x}, '"') AND ${stringChecks(d, `json_extract_string(${x}, '$')`)})`;
    case "enum": {
      const values = Object.values(d.entries ?? {});
      if (!values.every((v) => typeof v === "string")) throw new Error("schema-sql: only string enums are supported");
      return `(starts_with(${x}, '"') AND json_extract_string(${x}, '$') IN (${values.map((v) => sqlString(String(v))).join(", ")}))`;
    }
    case "number":
      return numberChecks(d, x);
    case "array": {
      const v = lambdaVar();
      return `(starts_with(${x}, '[') AND coalesce(list_bool_and(list_transform(json_extract(${x}, '$[*]')::VARCHAR[], lambda ${v}: ${valueCheck(d.element, v)})), TRUE))`;
    }
    case "record": {
      if (def(d.keyType).type !== "string" || (def(d.keyType).checks ?? []).length > 0) throw new Error("schema-sql: record keys must be plain strings");
      const v = lambdaVar();
      return `(starts_with(${x}, '{') AND ${noDuplicateKeys(x)} AND coalesce(list_bool_and(list_transform(json_extract(${x}, '$.*')::VARCHAR[], lambda ${v}: ${valueCheck(d.valueType, v)})), TRUE))`;
    }
    case "object": {
      const shape = d.shape ?? {};
      if ((d.checks ?? []).length > 0) throw new Error("schema-sql: refinements on nested objects are not supported");
      const parts = [`starts_with(${x}, '{')`, noDuplicateKeys(x)];
      if (d.catchall && def(d.catchall).type === "never") parts.push(`list_has_all(${stringList(Object.keys(shape))}, json_keys(${x}))`);
      else if (d.catchall) throw new Error("schema-sql: only strict objects are supported");
      else throw new Error("schema-sql: a non-strict object would let unknown keys through; make it .strict()");
      for (const [key, field] of Object.entries(shape)) {
        const value = `json_extract(${x}, ${jsonPathForKey(key)})::VARCHAR`;
        parts.push(fieldCheck(field, value, `(${value} IS NOT NULL)`));
      }
      return `(${parts.join(" AND ")})`;
    }
    default:
      throw new Error(`schema-sql: zod type "${d.type}" has no SQL translation; add one before using it in RunRecord`);
  }
}

/** JSON.parse keeps the last of duplicate keys and DuckDB the first; a row with duplicates goes to the explainer. */
function noDuplicateKeys(x: string): string {
  return `(len(json_keys(${x})) = list_unique(json_keys(${x})))`;
}

function stringList(items: readonly string[]): string {
  return `[${items.map(sqlString).join(", ")}]::VARCHAR[]`;
}

function stringChecks(d: ZodDef, s: string): string {
  const parts = ["TRUE"];
  for (const check of d.checks ?? []) {
    const c = check._zod.def;
    if (c.check === "min_length" && c.minimum !== undefined) {
      // zod counts UTF-16 code units, DuckDB code points; they agree on "at least 0 or 1".
      if (c.minimum > 1) throw new Error("schema-sql: min_length > 1 needs a UTF-16 length in SQL");
      parts.push(`length(${s}) >= ${c.minimum}`);
    } else if (c.check === "string_format" && c.format === "regex" && c.pattern) {
      if (c.pattern.flags.replace("g", "") !== "") throw new Error(`schema-sql: regex flags "${c.pattern.flags}" are not supported`);
      // RE2 (DuckDB) and JavaScript agree on the patterns used here: anchors, classes, \d, quantifiers.
      parts.push(`regexp_matches(${s}, ${sqlString(c.pattern.source)})`);
    } else {
      throw new Error(`schema-sql: string check "${c.check}${c.format ? `/${c.format}` : ""}" has no SQL translation`);
    }
  }
  return `(${parts.join(" AND ")})`;
}

function numberChecks(d: ZodDef, x: string): string {
  // TRY_CAST of the JSON text: a quoted string, true/false or null fail the cast; NaN/Infinity fail isfinite
  // (zod's z.number() rejects non-finite numbers, and JSON.parse gives Infinity for 1e400).
  const n = `TRY_CAST(${x} AS DOUBLE)`;
  const parts = [`isfinite(${n})`];
  for (const check of d.checks ?? []) {
    const c = check._zod.def;
    if (c.check === "number_format" && c.format === "safeint") parts.push(`${n} = trunc(${n})`, `abs(${n}) <= ${MAX_SAFE_INTEGER}`);
    else if (c.check === "greater_than" && c.value !== undefined) parts.push(`${n} ${c.inclusive ? ">=" : ">"} ${c.value}`);
    else if (c.check === "less_than" && c.value !== undefined) parts.push(`${n} ${c.inclusive ? "<=" : "<"} ${c.value}`);
    else throw new Error(`schema-sql: number check "${c.check}${c.format ? `/${c.format}` : ""}" has no SQL translation`);
  }
  return `coalesce(${parts.join(" AND ")}, FALSE)`;
}

/** Whether zod accepts the key being absent, and whether it accepts JSON null. */
function absenceRules(schema: unknown): {absentOk: boolean; nullOk: boolean} {
  const d = def(schema);
  if (d.type === "optional") return {absentOk: true, nullOk: absenceRules(d.innerType).nullOk};
  if (d.type === "default") return {absentOk: true, nullOk: absenceRules(d.innerType).nullOk};
  if (d.type === "nullable") return {absentOk: absenceRules(d.innerType).absentOk, nullOk: true};
  return {absentOk: d.type === "unknown", nullOk: d.type === "unknown"};
}

/**
 * SQL predicate for one object field. `value` is the field's JSON text, SQL NULL when absent; `present` says
 * whether the key is there (needed only where zod treats absent and null differently, e.g. a default).
 */
function fieldCheck(schema: unknown, value: string, present: string): string {
  const {absentOk} = absenceRules(schema);
  return `(CASE WHEN ${present} THEN ${valueCheck(schema, `coalesce(${value}, 'null')`)} ELSE ${absentOk ? "TRUE" : "FALSE"} END)`;
}

type Field = keyof typeof RunRecordShape;
const FIELDS = Object.keys(RunRecordShape) as Field[];

/** The json_transform structure that splits a line into one JSON text per record field (one parse per line). */
const SPLIT_STRUCTURE = JSON.stringify(Object.fromEntries(FIELDS.map((f) => [f, "JSON"])));

/** Default values zod fills in for absent keys (`trial` -> 0), as SQL literals. */
function defaultLiteral(schema: unknown): string | null {
  const d = def(schema);
  if (d.type !== "default") return null;
  const value = (d as unknown as {defaultValue: unknown}).defaultValue;
  if (typeof value !== "number") throw new Error("schema-sql: only numeric defaults are supported");
  return String(value);
}

/** SQL that converts a field's JSON text into its stored DuckDB value (called only on valid rows). */
function storedValue(kind: FieldKind, x: string): string {
  switch (kind) {
    case "text":
      return `json_extract_string(${x}, '$')`;
    case "int":
      return `CAST(TRY_CAST(${x} AS DOUBLE) AS BIGINT)`;
    case "double":
      return `TRY_CAST(${x} AS DOUBLE)`;
    case "bool":
      return `(${x} = 'true')`;
    case "json":
      return `CAST(${x} AS JSON)`;
    case "date":
      return `TRY_CAST(json_extract_string(${x}, '$') AS DATE)`;
    case "timestamp":
      return `TRY_CAST(json_extract_string(${x}, '$') AS TIMESTAMP)`;
    case "map":
      return `CAST(json_transform(${x}, '"MAP(VARCHAR, VARCHAR)"') AS MAP(VARCHAR, VARCHAR))`;
  }
}

/** Storage conditions beyond zod: a date that matches YYYY-MM-DD must also be a calendar date to be a DATE. */
function storableCheck(kind: FieldKind, x: string, stored: string): string | null {
  if (kind === "date" || kind === "timestamp") return `(${x} IS NULL OR ${x} = 'null' OR ${stored} IS NOT NULL)`;
  return null;
}

/** Storage kind -> the json_transform type the fast path reads a field as (dates as text, cast after the checks). */
const FAST_TYPES: Record<FieldKind, string | null> = {
  text: "VARCHAR",
  int: "BIGINT",
  double: "DOUBLE",
  bool: "BOOLEAN",
  json: null,
  date: "VARCHAR",
  timestamp: "VARCHAR",
  map: "MAP(VARCHAR, VARCHAR)"
};

// ---- The fast path: one regular expression per line decides the JSON type and format of every value. ----

const WS = "[ \\t\\r]*";
/** A character of a JSON string, except escapes of UTF-16 surrogates (rows with those take the exact path). */
const STRING_CHAR = '(?:[^"\\\\\\x00-\\x1f]|\\\\["\\\\/bfnrt]|\\\\u(?:[0-9a-cA-Ce-f][0-9a-fA-F]{3}|[dD][0-7][0-9a-fA-F]{2}))';
/** A zod regex body that cannot match a quote, a backslash or a control character, so it applies to raw JSON text. */
const SAFE_PATTERN = /^(?:\\d|\[[^\]\\^"]*\]|[A-Za-z0-9 :+\-_(){}?*|,]|\(\?:)*$/;

/**
 * RE2 pattern for the JSON text of a value that zod accepts, or null when the fast path cannot express the schema
 * (the row then takes the exact path). Every string the pattern matches must be accepted by zod (soundness); it may
 * reject accepted values (e.g. `1e2` for an integer, a 20-digit number, escaped surrogate pairs).
 */
function fastValuePattern(schema: unknown): string | null {
  const d = def(schema);
  switch (d.type) {
    case "optional":
    case "default":
      return fastValuePattern(d.innerType);
    case "nullable": {
      const inner = fastValuePattern(d.innerType);
      return inner === null ? "null" : `(?:${inner}|null)`;
    }
    case "boolean":
      return "(?:true|false)";
    case "string": {
      let min = 0;
      let body: string | null = null;
      for (const check of d.checks ?? []) {
        const c = check._zod.def;
        if (c.check === "min_length" && c.minimum !== undefined && c.minimum <= 1) min = c.minimum;
        else if (c.check === "string_format" && c.format === "regex" && c.pattern && body === null) {
          const source = c.pattern.source;
          if (c.pattern.flags.replace("g", "") !== "" || !source.startsWith("^") || !source.endsWith("$")) return null;
          body = source.slice(1, -1);
          if (!SAFE_PATTERN.test(body)) return null;
        } else return null;
      }
      if (body !== null) return `"(?:${body})"`; // the pattern itself decides the length
      return `"${STRING_CHAR}${min === 1 ? "+" : "*"}"`;
    }
    case "enum": {
      const values = Object.values(d.entries ?? {});
      if (!values.every((v) => typeof v === "string" && /^[A-Za-z0-9_ -]+$/.test(v))) return null;
      return `"(?:${values.join("|")})"`;
    }
    case "number": {
      let integer = false;
      let nonnegative = false;
      for (const check of d.checks ?? []) {
        const c = check._zod.def;
        if (c.check === "number_format" && c.format === "safeint") integer = true;
        else if (c.check === "greater_than" && c.value === 0 && c.inclusive) nonnegative = true;
        else return null;
      }
      const sign = nonnegative ? "" : "-?";
      // At most 15 integer digits (below 2^53) and a two-digit exponent: always a finite double, a safe integer.
      return integer ? `${sign}(?:0|[1-9][0-9]{0,14})` : `${sign}(?:0|[1-9][0-9]{0,14})(?:\\.[0-9]{1,20})?(?:[eE][-+]?[0-9]{1,2})?`;
    }
    case "record": {
      const key = fastValuePattern(d.keyType);
      const value = fastValuePattern(d.valueType);
      if (key === null || value === null) return null;
      const pair = `${key}${WS}:${WS}${value}`;
      return `\\{${WS}(?:${pair}(?:${WS},${WS}${pair})*)?${WS}\\}`;
    }
    default:
      return null; // unknown, arrays, nested objects: the exact path checks them
  }
}

/** Fields the fast path reads with a typed parse: those with a storage type and a value pattern. */
function fastTypedFields(): Field[] {
  return FIELDS.filter((f) => FAST_TYPES[RECORD_FIELD_KINDS[f]] !== null && fastValuePattern(RunRecordShape[f]) !== null);
}

/** The json_transform structure of the fast path's typed parse (field -> DuckDB type). */
export function fastStructure(): string {
  return JSON.stringify(Object.fromEntries(fastTypedFields().map((f) => [f, FAST_TYPES[RECORD_FIELD_KINDS[f]]])));
}

/** Whole-line pattern: one object whose every key is a record field with a value of the right type and format. */
export function fastLinePattern(): string {
  const pairs = FIELDS.flatMap((f) => {
    const value = fastValuePattern(RunRecordShape[f]);
    return value === null ? [] : [`"${f}"${WS}:${WS}${value}`];
  });
  const pair = `(?:${pairs.join("|")})`;
  return `${WS}\\{${WS}(?:${pair}(?:${WS},${WS}${pair})*)?${WS}\\}${WS}`;
}

/**
 * key_hash: md5 of the canonical key as a JSON array of text, so a NULL field (JSON null) never equals "" and no
 * two keys share a text. Not a security hash: an identity for rows. Stored as a 128-bit number (md5_number: the 16
 * bytes read little-endian), not as 32 hex characters: the same identity in a fixed-width column, cheaper to write,
 * compare and join than text (a one-off experiment: a million-row insert took 6.9 s instead of 8.3 s).
 */
export function keyHash(): string {
  return `md5_number(to_json([${RECORD_KEY.map((f) => `"${f}"::VARCHAR`).join(", ")}]))`;
}

export interface RecordSql {
  /**
   * SELECT of (line, record columns in schema order, content_hash, key_hash) for the rows of `table`
   * (line, raw) that pass the fast checks: one regular expression and one typed parse per line.
   */
  fastSelect(table: string): string;
  /** The same output for the rows of `table` (line, raw) that pass the exact checks (for rows the fast path left). */
  exactSelect(table: string): string;
}

/**
 * Builds the SQL. `runIdParam` is the SQL expression of the fallback run_id (a prepared-statement parameter),
 * used when a record has no run_id or a null one.
 */
export function recordSql(runIdParam: string): RecordSql {
  lambdaCounter = 0;
  const objectDef = def(RunRecord);
  const customChecks = (objectDef.checks ?? []).filter((c) => c._zod.def.check === "custom").length;
  if (customChecks !== 1) throw new Error(`schema-sql: RunRecord has ${customChecks} refinements; the generator knows exactly one (RECORD_OUTCOME_FIELDS)`);
  // content_hash: md5 (a number, like key_hash) of the row's text (the line; for CSV the JSON made from the row)
  // after its run_id, which may come from outside the text (--run-id, file name). Rows with the same key and equal
  // values in other text (key order, spacing) are found by comparing values (see ingest/index.ts).
  const contentHash = `md5_number(concat("run_id", chr(10), raw))`;
  const withHashes = (select: string) => `SELECT * EXCLUDE (raw), ${contentHash} AS content_hash, ${keyHash()} AS key_hash FROM (${select})`;

  // Exact path: split each line into per-field JSON texts (j) and its keys (k), check every field.
  const fieldText = (f: string) => (f === "run_id" ? `coalesce(j."run_id"::VARCHAR, to_json(${runIdParam})::VARCHAR)` : `j."${f}"::VARCHAR`);
  const checks: string[] = [
    "j IS NOT NULL",
    "k IS NOT NULL",
    // The line must be one JSON object; DuckDB also splits arrays and scalars without complaint.
    "starts_with(ltrim(raw, ' \t'), '{')",
    `(len(k) = list_unique(k))`,
    `list_has_all(${stringList(FIELDS)}, k)`,
    // DuckDB accepts NaN/Infinity literals and trailing commas, JSON.parse does not: flag any place they could be.
    `NOT regexp_matches(raw, '[:\\[,][ \\t\\r\\n]*[-+]?(?i:nan|inf)|,[ \\t\\r\\n]*[}\\]]')`
  ];
  for (const f of FIELDS) {
    const schema = RunRecordShape[f];
    const {absentOk, nullOk} = absenceRules(schema);
    const x = fieldText(f);
    // json_transform gives SQL NULL for both an absent key and JSON null; ask `k` only where zod tells them apart.
    const present = absentOk === nullOk ? `(${x} IS NOT NULL)` : `list_contains(k, ${sqlString(f)})`;
    checks.push(fieldCheck(schema, x, present));
    const stored = storableCheck(RECORD_FIELD_KINDS[f], x, storedValue(RECORD_FIELD_KINDS[f], x));
    if (stored) checks.push(stored);
  }
  checks.push(`(${RECORD_OUTCOME_FIELDS.map((f) => `coalesce(${fieldText(f)}, 'null') <> 'null'`).join(" OR ")})`);
  const exactColumns = FIELDS.map((f) => {
    const stored = storedValue(RECORD_FIELD_KINDS[f], fieldText(f));
    const fallback = defaultLiteral(RunRecordShape[f]);
    return `${fallback === null ? stored : `coalesce(${stored}, ${fallback})`} AS "${f}"`;
  });
  const exactSelect = (table: string) =>
    withHashes(`SELECT line, raw, ${exactColumns.join(", ")}
  FROM (SELECT line, raw, try(json_transform(raw, ${sqlString(SPLIT_STRUCTURE)})) AS j, try(json_keys(raw)) AS k FROM ${table})
  WHERE coalesce(${checks.join("\n  AND ")}, FALSE)`);

  // Fast path: the line pattern fixes every value's JSON type and format; one typed parse reads the values.
  const typed = fastTypedFields();
  const structure = fastStructure();
  const fastValue = (f: Field) => (typed.includes(f) ? (f === "run_id" ? `coalesce(t."run_id", ${runIdParam})` : `t."${f}"`) : "NULL");
  const fastChecks: string[] = [
    // JSON.parse keeps the last of duplicate keys, DuckDB the first: a line with fewer non-null values than keys
    // (a null, or a duplicate) has its keys compared in full.
    `CASE WHEN len(k) = ${typed.map((f) => `(t."${f}" IS NOT NULL)::INTEGER`).join(" + ")} THEN TRUE ELSE len(k) = list_unique(k) END`,
    `(${RECORD_OUTCOME_FIELDS.map((f) => `${fastValue(f)} IS NOT NULL`).join(" OR ")})`
  ];
  for (const f of FIELDS) {
    const kind = RECORD_FIELD_KINDS[f];
    if (!absenceRules(RunRecordShape[f]).absentOk) fastChecks.push(`${fastValue(f)} IS NOT NULL`);
    if (f === "run_id") fastChecks.push(`length(${fastValue(f)}) >= 1`);
    if (kind === "date" || kind === "timestamp") fastChecks.push(`(${fastValue(f)} IS NULL OR TRY_CAST(${fastValue(f)} AS ${kind === "date" ? "DATE" : "TIMESTAMP"}) IS NOT NULL)`);
    if (kind === "map" && typed.includes(f)) fastChecks.push(`(${fastValue(f)} IS NULL OR cardinality(${fastValue(f)}) <= 1 OR cardinality(${fastValue(f)}) = len(list_distinct(map_keys(${fastValue(f)}))))`);
  }
  const fastColumns = FIELDS.map((f) => {
    const kind = RECORD_FIELD_KINDS[f];
    const value = fastValue(f);
    const stored = kind === "date" ? `TRY_CAST(${value} AS DATE)` : kind === "timestamp" ? `TRY_CAST(${value} AS TIMESTAMP)` : kind === "json" ? "NULL::JSON" : value;
    const fallback = defaultLiteral(RunRecordShape[f]);
    return `${fallback === null ? stored : `coalesce(${stored}, ${fallback})`} AS "${f}"`;
  });
  // `t` comes out of an UNNEST: a filter on it cannot be pushed below into the projection that computes it, where
  // DuckDB would re-run json_transform once per reference.
  const fastSelect = (table: string) =>
    withHashes(`SELECT line, raw, ${fastColumns.join(", ")}
    FROM (SELECT line, raw, k, unnest([CASE WHEN fast THEN json_transform(raw, ${sqlString(structure)}) END]) AS t
          FROM (SELECT line, raw, regexp_full_match(raw, ${sqlString(fastLinePattern())}) AS fast,
                       CASE WHEN fast THEN json_keys(raw) END AS k FROM ${table}))
    WHERE t IS NOT NULL AND ${fastChecks.join("\n    AND ")}`);

  return {fastSelect, exactSelect};
}
