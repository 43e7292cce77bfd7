/**
 * Validated, atomic ingest of run records (native JSONL, CSV long tables, tau2-bench results) into the warehouse.
 *
 * Pipeline, one file at a time:
 *  1. stage: the file's lines into a temp table (stage-lines.ts, csv.ts, tau2.ts), with the file's sha256; JSONL
 *     given --set gets the members written into each line (constants.ts);
 *  2. check: DuckDB parses each line once and applies the checks generated from the zod schema (schema-sql.ts),
 *     computing typed columns, key_hash and content_hash in SQL;
 *  3. explain: rows DuckDB flags go through JSON.parse + zod in JavaScript (explain.ts), which names the field and
 *     reason for the quarantine, or finds the row valid after all;
 *  4. store: in ONE transaction, new rows go to `records`, bad rows to `quarantine`, and a row to `ingest_batches`.
 *     A process killed at any moment leaves all of the file's good rows or none.
 *
 * Identity: a row is the canonical key (RECORD_KEY; absent fields are NULL and hashed as JSON null, so NULL and ""
 * differ) plus a content hash over every field. The same content again is a duplicate and adds nothing; the same
 * key with other content is a correction: stored beside the old row, and `records_latest` shows the newest.
 */
import {basename} from "node:path";
import {randomBytes} from "node:crypto";
import {listValue, type DuckDBConnection, type DuckDBValue} from "@duckdb/node-api";
import {insertIngestBatch, insertQuarantine, type QuarantinedRow, type Warehouse} from "../warehouse.ts";
import {CsvHeaderError, stageCsv} from "./csv.ts";
import {stageTau2, Tau2FormatError} from "./tau2.ts";
import {explainRow} from "./explain.ts";
import {addConstantsToLines, constantMembers, ConstantError} from "./constants.ts";
import {recordSql} from "./schema-sql.ts";
import {RECORD_FIELD_KINDS, RunRecordShape} from "../../src/lib/schema.ts";
import {jsonEqual} from "../../src/lib/json-pointer.ts";
import {LINES_TABLE, stageJsonLines, type StagedFile} from "./stage-lines.ts";

export interface IngestOptions {
  /** run_id for records that carry none; default: the file's base name without extensions. */
  runId?: string;
  /** Snapshot the file belongs to (stored on every row and on the batch). */
  snapshotId?: string;
  /** Reject the whole file on the first bad row. */
  strict?: boolean;
  /** Default: by extension (.csv, .tsv, and either .gz -> csv; anything else -> jsonl); tau2: a tau2-bench results file. */
  format?: IngestFormat;
  /** CSV only: record field -> CSV header (`slices.NAME` collects a column into the slices map). */
  columns?: Record<string, string>;
  /** CSV only: headers to leave out instead of failing on them as unknown fields. */
  ignoreColumns?: string[];
  /** CSV only: the column separator, one character (`tab` for a tab); default a tab for .tsv files, else a comma. */
  delimiter?: string;
  /**
   * CSV and JSONL: record field (CSV also `slices.NAME`) -> text given to every row, for a field the file does not
   * give; converted by the field's kind like a CSV cell. A JSONL line that has the field is rejected.
   */
  constants?: Record<string, string>;
  /** Called now and then with the work done so far, as (percent, 100). */
  onProgress?: (done: number, total: number) => void;
}

export interface IngestSummary {
  file: string;
  batchId: string;
  /** Valid rows stored under a key not seen before. */
  rowsOk: number;
  /** Valid rows whose exact content is already stored (or repeated earlier in the file): not stored again. */
  rowsDuplicate: number;
  /** Valid rows stored as a correction: same canonical key as a stored row, other content. */
  rowsCorrected: number;
  /** Of those, rows whose key an earlier line of this same file gave (repeated attempts with no trial, often). */
  rowsCorrectedInFile: number;
  /** Rows quarantined (in strict mode: every row of a file with a bad row). */
  rowsRejected: number;
  seconds: number;
  fileSha256: string;
  /** Which reader split the lines: DuckDB's (fast path: plain or gzip, LF or CRLF) or JavaScript's (invalid UTF-8, a lone CR in a line, CSV). */
  reader: StagedFile["reader"];
  /** The first quarantined row, for a message (strict mode stops here). */
  firstRejection?: {line: number; field: string | null; reason: string};
}

/** A file-level problem (unreadable, empty, bad CSV header): nothing of the file was stored. */
export class IngestError extends Error {}

const KNOWN_EXTENSIONS = /(\.(jsonl|ndjson|json|csv|tsv|txt))?(\.gz)?$/i;

/** run_id for records without one: the base name minus data extensions, so the same file from any folder is one run. */
export function runIdForFile(file: string): string {
  return basename(file).replace(KNOWN_EXTENSIONS, "") || basename(file);
}

export const INGEST_FORMATS = ["jsonl", "csv", "tau2"] as const;
export type IngestFormat = (typeof INGEST_FORMATS)[number];

export function formatForFile(file: string): IngestFormat {
  return /\.(csv|tsv)(\.gz)?$/i.test(file) ? "csv" : "jsonl";
}

export async function ingestFile(wh: Warehouse, file: string, opts: IngestOptions = {}): Promise<IngestSummary> {
  const started = performance.now();
  const conn = wh.connection;
  const format = opts.format ?? formatForFile(file);
  const runId = opts.runId ?? runIdForFile(file);
  // The one place progress is reported, so it never goes back: the JavaScript line reader reads a file a second time
  // after the pre-scan, and DuckDB's estimate can dip. Staging reports up to 29; 30 says the lines are staged.
  let reported = -1;
  const progress = (percent: number) => {
    const done = Math.min(100, Math.round(percent));
    if (done > reported) opts.onProgress?.((reported = done), 100);
  };

  const given = (option: object | undefined) => option !== undefined && Object.keys(option).length > 0;
  // Options the file's format cannot use would be silently ignored: the user would think they applied.
  const unusable = [
    ["--map", given(opts.columns) && format !== "csv"],
    ["--ignore-column", given(opts.ignoreColumns) && format !== "csv"],
    ["--delimiter", opts.delimiter !== undefined && format !== "csv"],
    ["--set", given(opts.constants) && format === "tau2"]
  ].flatMap(([flag, refused]) => (refused ? [String(flag)] : []));
  if (unusable.length)
    throw new IngestError(
      `${file}: ${new Intl.ListFormat("en").format(unusable)} do${unusable.length === 1 ? "es" : ""} not apply to this file, read as ${format} (--map, --ignore-column and --delimiter: CSV; --set: CSV and JSONL); ingest it in a command of its own`
    );

  const sql = recordSql("$1");
  let staged: StagedFile;
  try {
    if (format === "csv") staged = await stageCsv(conn, file, {columns: opts.columns, ignoreColumns: opts.ignoreColumns, constants: opts.constants, delimiter: opts.delimiter}, (f) => progress(f * 29));
    else if (format === "tau2") staged = await stageTau2(conn, file);
    else {
      const members = given(opts.constants) ? constantMembers(file, opts.constants!) : null;
      staged = await stageJsonLines(conn, file, (f) => progress(f * 29));
      await refuseJsonDocument(conn, file);
      if (members) staged.rejected.push(...(await addConstantsToLines(conn, opts.constants!, members)));
    }
  } catch (err) {
    await dropTemp(conn);
    throw fileError(file, err);
  }

  progress(30);
  const ingestedAt = new Date();
  const batchId = `${ingestedAt.toISOString().replace(/[-:]/g, "").replace(/\.(\d+)Z$/, "$1Z")}-${staged.fileSha256.slice(0, 8)}-${randomBytes(2).toString("hex")}`;
  const at = ingestedAt.toISOString();
  if (staged.lines >= LINES_PER_BATCH) {
    await dropTemp(conn);
    throw new IngestError(`${file}: ${staged.lines} lines, more than one ingest takes (${LINES_PER_BATCH - 1}); split the file`);
  }

  try {
    await conn.run("BEGIN TRANSACTION");
    // A number per file from a sequence (unique even when two ingests on one warehouse run at once) numbers its rows.
    const batchNumber = (await conn.runAndReadAll("SELECT nextval('ingest_batch_numbers')")).getRows()[0][0] as bigint;
    const batch: Batch = {batchId, snapshotId: opts.snapshotId ?? null, at, batchNumber};
    // 2. The fast path checks and stores the typical rows straight into `records` (this transaction only).
    // DuckDB's progress reaches 100% when the scan ends, before the rows are written: 70% says the insert is done.
    const fast = await withQueryProgress(conn, [30, 69], progress, () => insertRecords(conn, sql.fastSelect(LINES_TABLE), runId, batch));
    progress(70);
    // Lines the fast path left (blank lines are not records), then the exact checks on those; in the common case
    // of a file the fast path took whole, there are none and both anti-joins are skipped.
    const rejections: QuarantinedRow[] = [...staged.rejected];
    const rescued: {line: number; raw: string}[] = [];
    let flagged: [bigint, string, string | null][] = [];
    if (fast < (await countLines(conn))) {
      await conn.run(`CREATE OR REPLACE TEMP TABLE ingest_rest AS
        SELECT line, raw, source FROM ${LINES_TABLE}
        WHERE raw IS NOT NULL AND line NOT IN (SELECT line FROM records WHERE batch_id = $1)
          AND NOT regexp_full_match(raw, '[ \t]*')`, [batchId]);
      await insertRecords(conn, sql.exactSelect("ingest_rest"), runId, batch);
      // 3. Explain the rows neither path accepted: zod names the field, or finds the row valid after all.
      const left = await conn.runAndReadAll(
        `SELECT line, raw, source FROM ingest_rest WHERE line NOT IN (SELECT line FROM records WHERE batch_id = $1) ORDER BY line`,
        [batchId]
      );
      flagged = left.getRows() as [bigint, string, string | null][];
    }
    progress(75);
    for (const [line, raw, source] of flagged) {
      const n = Number(line);
      const context = {runId, unterminatedLastLine: staged.lastLineUnterminated && n === staged.lastLine};
      let why = explainRow(raw, context);
      // A JSON line given --set members is explained with them, but a syntax error is placed in the line as written.
      if (!why.ok && why.field === null && format === "jsonl" && source !== null) why = explainRow(source, context);
      if (why.ok) rescued.push({line: n, raw: why.canonical});
      else rejections.push({line: n, field: why.field, reason: why.reason, raw: source ?? raw});
      if (opts.strict && !why.ok) break;
    }
    if (rescued.length) await insertRescued(conn, sql, runId, batch, rescued, rejections);
    rejections.sort((a, b) => a.line - b.line);
    progress(80);

    const stored = await countBatch(conn, batchId);
    const total = stored + rejections.length;
    if (total === 0) throw new IngestError(`${file}: the file is empty (no records in ${staged.lines} line${staged.lines === 1 ? "" : "s"}); nothing was ingested`);

    let counts: {ok: number; duplicate: number; corrected: number; correctedInFile: number; rejected: number};
    if (opts.strict && rejections.length) {
      // --strict: nothing of the file is stored; the batch and its first bad row are recorded.
      await conn.run("ROLLBACK");
      await conn.run("BEGIN TRANSACTION");
      rejections.splice(1);
      counts = {ok: 0, duplicate: 0, corrected: 0, correctedInFile: 0, rejected: (await countLines(conn)) + staged.rejected.length};
    } else {
      counts = {...(await settleDuplicates(conn, batchId)), rejected: rejections.length};
    }
    progress(95);
    const note = opts.strict ? " (the file was rejected (--strict) at this row; nothing of it was stored)" : "";
    await insertQuarantine(conn, {batchId, file, at: ingestedAt}, rejections.map((r) => ({...r, reason: r.reason + note})));
    await insertIngestBatch(conn, {
      batchId,
      file,
      fileSha256: staged.fileSha256,
      ingestedAt,
      snapshotId: batch.snapshotId,
      kind: format,
      rowsOk: counts.ok,
      rowsDuplicate: counts.duplicate,
      rowsCorrected: counts.corrected,
      rowsRejected: counts.rejected,
      options: optionsJson(opts)
    });
    await conn.run("COMMIT");
    progress(100);
    const first = rejections[0];
    return {
      file,
      batchId,
      rowsOk: counts.ok,
      rowsDuplicate: counts.duplicate,
      rowsCorrected: counts.corrected,
      rowsCorrectedInFile: counts.correctedInFile,
      rowsRejected: counts.rejected,
      seconds: (performance.now() - started) / 1000,
      fileSha256: staged.fileSha256,
      reader: staged.reader,
      ...(first ? {firstRejection: {line: first.line, field: first.field, reason: first.reason}} : {})
    };
  } catch (err) {
    await conn.run("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    await dropTemp(conn);
  }
}

/**
 * Runs `work`, one long statement on `conn` (a million-line insert takes seconds), reporting DuckDB's own progress
 * on it every tenth of a second, mapped onto the `span` of percent (`report` drops values that would go back).
 */
async function withQueryProgress<T>(conn: DuckDBConnection, span: [number, number], report: (percent: number) => void, work: () => Promise<T>): Promise<T> {
  const timer = setInterval(() => {
    const {percentage} = conn.progress; // -1 while DuckDB has no estimate
    report(span[0] + ((span[1] - span[0]) * Math.min(Math.max(percentage, 0), 100)) / 100);
  }, 100);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

/**
 * The options that shaped a batch's rows, as stored on it (provenance: a value from --set or --run-id is in no
 * file): only those given, under their command-line names; null when none was.
 */
function optionsJson(opts: IngestOptions): string | null {
  const options = Object.fromEntries(
    Object.entries({run_id: opts.runId, format: opts.format, strict: opts.strict, map: opts.columns, ignore_column: opts.ignoreColumns, delimiter: opts.delimiter, set: opts.constants}).filter(
      ([, v]) => v !== undefined && v !== false && !(typeof v === "object" && Object.keys(v).length === 0)
    )
  );
  return Object.keys(options).length ? JSON.stringify(options) : null;
}

/** An error reading `file` as a message to act on (missing file, folder, corrupt gzip, bad CSV header or tau2 file). */
/**
 * One JSON document (an array of records, a pretty-printed object) has no line that is a record: its first staged
 * line with text opens an array or is a lone "{". It is refused whole, rather than every line quarantined.
 */
async function refuseJsonDocument(conn: DuckDBConnection, file: string): Promise<void> {
  // The first lines only (blank ones are staged too): a filter on the line number reads one row group, not the file.
  const head = await conn.runAndReadAll(`SELECT raw FROM ${LINES_TABLE} WHERE line <= 100 AND raw IS NOT NULL ORDER BY line`);
  const first = head.getRows().map(([raw]) => String(raw)).find((raw) => raw.trim() !== "") ?? "";
  if (!/^\s*(\[|\{\s*$)/.test(first)) return;
  throw new IngestError(
    `${file}: one JSON document (an array, or an object over many lines), not JSON Lines (one record per line); nothing was stored. ` +
      "For a tau2-bench results file give --format tau2; for an array of records convert it, e.g. jq -c '.[]' FILE > FILE.jsonl, and ingest that"
  );
}

export function fileError(file: string, err: unknown): Error {
  if (err instanceof Error && "code" in err && err.code === "ENOENT") return new IngestError(`${file}: no such file`);
  if (err instanceof Error && "code" in err && err.code === "EISDIR") return new IngestError(`${file}: a folder, not a file; give the files in it (e.g. ${file}/*.jsonl)`);
  // It stopped the whole command (the files after it were not read) with node's bare "EACCES: permission denied, open".
  if (err instanceof Error && "code" in err && (err.code === "EACCES" || err.code === "EPERM"))
    return new IngestError(`${file}: not readable by this user (permission denied); make it readable (e.g. chmod a+r ${file}) or run as its owner`);
  if (err instanceof Error && "code" in err && String(err.code).startsWith("Z_"))
    return new IngestError(`${file}: the gzip data is corrupt or cut short (${err.message}); copy the file again`);
  if (err instanceof CsvHeaderError || err instanceof Tau2FormatError || err instanceof ConstantError) return new IngestError(err.message);
  if (err instanceof IngestError) return err;
  return err instanceof Error ? err : new Error(String(err));
}

const FIELDS = Object.keys(RunRecordShape);
/** Columns of `records` that ingest fills from a checked row, in the order the record SELECTs produce them. */
const ROW_COLUMNS = [...FIELDS, "content_hash", "key_hash"].map((c) => `"${c}"`).join(", ");

interface Batch {
  batchId: string;
  snapshotId: string | null;
  at: string;
  batchNumber: bigint;
}

/** Lines one batch can number: record_id = batch number x LINES_PER_BATCH + line. */
const LINES_PER_BATCH = 2 ** 32;

/**
 * Inserts the rows of a record SELECT (see schema-sql.ts; $1 = fallback run_id) as rows of this batch. record_id
 * is computed from the batch number and the line, not drawn from a sequence per row (which cost 3% of an ingest).
 */
async function insertRecords(conn: DuckDBConnection, select: string, runId: string, batch: Batch): Promise<number> {
  const result = await conn.run(
    `INSERT INTO records (${ROW_COLUMNS}, batch_id, line, snapshot_id, ingested_at, record_id)
     SELECT ${ROW_COLUMNS}, $2, line, $3, $4::TIMESTAMP, $5 * ${LINES_PER_BATCH} + line FROM (${select})`,
    [runId, batch.batchId, batch.snapshotId, batch.at, batch.batchNumber]
  );
  return result.rowsChanged;
}

async function countBatch(conn: DuckDBConnection, batchId: string): Promise<number> {
  const r = await conn.runAndReadAll("SELECT count(*)::BIGINT FROM records WHERE batch_id = $1", [batchId]);
  return Number(r.getRows()[0][0]);
}

/** Non-blank staged lines: records the fast path should have taken, and under --strict the rows rejected. */
async function countLines(conn: DuckDBConnection): Promise<number> {
  const r = await conn.runAndReadAll(`SELECT count(*)::BIGINT FROM ${LINES_TABLE} WHERE raw IS NOT NULL AND NOT regexp_full_match(raw, '[ \t]*')`);
  return Number(r.getRows()[0][0]);
}

/** Rows the explainer found valid come back as canonical JSON; they must now pass the SQL checks too. */
async function insertRescued(
  conn: DuckDBConnection,
  sql: ReturnType<typeof recordSql>,
  runId: string,
  batch: Batch,
  rescued: {line: number; raw: string}[],
  rejections: QuarantinedRow[]
): Promise<void> {
  await conn.run("CREATE OR REPLACE TEMP TABLE ingest_rescued (line BIGINT, raw VARCHAR)");
  const appender = await conn.createAppender("ingest_rescued", "main", "temp");
  for (const r of rescued) {
    appender.appendBigInt(BigInt(r.line));
    appender.appendVarchar(r.raw);
    appender.endRow();
  }
  appender.closeSync();
  await insertRecords(conn, sql.exactSelect("ingest_rescued"), runId, batch);
  const still = await conn.runAndReadAll(
    "SELECT line, raw FROM ingest_rescued WHERE line NOT IN (SELECT line FROM records WHERE batch_id = $1)",
    [batch.batchId]
  );
  for (const [line, raw] of still.getRows() as [bigint, string][])
    rejections.push({line: Number(line), field: null, reason: "valid by the schema but DuckDB cannot store it (please report this file)", raw});
}

/**
 * Removes this batch's rows that add nothing, and counts new rows and corrections. A row adds nothing when its
 * text is already stored (earlier batch, or earlier line of this file), or when its values equal those of the
 * previous version of its key (same record, other text). A row whose key has a previous version with other values
 * is a correction; it stays, and `records_latest` shows the newest version.
 */
async function settleDuplicates(conn: DuckDBConnection, batchId: string): Promise<{ok: number; duplicate: number; corrected: number; correctedInFile: number}> {
  // Common case first: every key in this batch is new (not stored before, not repeated in the file).
  const quick = await conn.runAndReadAll(
    `SELECT count(*)::BIGINT, count(DISTINCT key_hash)::BIGINT,
       (SELECT count(*) FROM records o WHERE o.batch_id <> $1 AND o.key_hash IN (SELECT key_hash FROM records WHERE batch_id = $1))::BIGINT
     FROM records WHERE batch_id = $1`,
    [batchId]
  );
  const [rows, keys, seen] = (quick.getRows()[0] as bigint[]).map(Number);
  if (rows === keys && seen === 0) return {ok: rows, duplicate: 0, corrected: 0, correctedInFile: 0};

  const values = FIELDS.map((f) => `"${f}"`).join(", ");
  // A row is a duplicate when it equals the version just before it (stored, or earlier in this file), never an older
  // one: after a correction, a row with the first version's values reverts the key and must be stored as its latest.
  // 1. The same text as the previous version: hashes only, the cheap test, which a whole re-ingested file meets.
  const sameText = await deleteRepeats(conn, batchId, "content_hash", "now = previous");
  // 2. Same values as the previous version of the key (compared with IS NOT DISTINCT FROM, so NULL matches NULL).
  const sameValues = await deleteRepeats(conn, batchId, `struct_pack(${values})`, "now IS NOT DISTINCT FROM previous");
  const sameJson = await deleteSameJsonValues(conn, batchId);
  const after = await conn.runAndReadAll(
    `SELECT count(*)::BIGINT, count(*) FILTER (WHERE earlier_batch OR earlier_line)::BIGINT, count(*) FILTER (WHERE earlier_line)::BIGINT
     FROM (SELECT key_hash IN (SELECT key_hash FROM records WHERE batch_id <> $1) AS earlier_batch,
                  line > (SELECT min(x.line) FROM records x WHERE x.batch_id = $1 AND x.key_hash = r.key_hash) AS earlier_line
           FROM records r WHERE batch_id = $1)`,
    [batchId]
  );
  const [kept, corrected, correctedInFile] = (after.getRows()[0] as bigint[]).map(Number);
  // 3. Every version of a corrected key but the newest is now superseded (records_latest leaves it out).
  if (corrected > 0)
    await conn.run(
      `INSERT INTO superseded_records
       SELECT record_id FROM (
         SELECT record_id, row_number() OVER (PARTITION BY key_hash ORDER BY ingested_at DESC, batch_id DESC, line DESC) AS rn
         FROM records WHERE key_hash IN (SELECT key_hash FROM records WHERE batch_id = $1))
       WHERE rn > 1 AND record_id NOT IN (SELECT record_id FROM superseded_records)`,
      [batchId]
    );
  return {ok: kept - corrected, duplicate: sameText + sameValues + sameJson, corrected, correctedInFile};
}

/**
 * Every version of the keys of the batch `$1`, in ingest order (time, batch, line), each with `expression` on itself
 * (`now`) and on the version just before it (`previous`, NULL for the first): what every duplicate test compares.
 */
function versions(expression: string): string {
  return `SELECT rowid, record_id, key_hash, batch_id, line, ingested_at, ${expression} AS now,
            lag(${expression}) OVER (PARTITION BY key_hash ORDER BY ingested_at, batch_id, line) AS previous
     FROM records WHERE key_hash IN (SELECT key_hash FROM records WHERE batch_id = $1)`;
}

/**
 * Deletes the rows of the batch `$1` that `repeats` (SQL on `now` and `previous`, see `versions`) finds equal to the
 * version before them, recording each line in `duplicate_lines` with the stored row it repeats: the nearest earlier
 * version that stays (a line can repeat a line of its own file that repeats a stored row). Entries pointing at a row
 * deleted now are moved to the row it repeats. Returns how many rows were deleted.
 */
async function deleteRepeats(conn: DuckDBConnection, batchId: string, expression: string, repeats: string, params: DuckDBValue[] = []): Promise<number> {
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE ingest_repeats AS
     SELECT rowid, record_id, line, kept FROM (
       SELECT *, last_value(CASE WHEN NOT repeats THEN record_id END IGNORE NULLS)
                   OVER (PARTITION BY key_hash ORDER BY ingested_at, batch_id, line ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS kept
       FROM (SELECT *, coalesce(batch_id = $1 AND previous IS NOT NULL AND (${repeats}), false) AS repeats FROM (${versions(expression)})))
     WHERE repeats`,
    [batchId, ...params]
  );
  await conn.run(
    `UPDATE duplicate_lines SET record_id = t.kept FROM ingest_repeats t WHERE duplicate_lines.batch_id = $1 AND duplicate_lines.record_id = t.record_id`,
    [batchId]
  );
  await conn.run(`INSERT INTO duplicate_lines SELECT $1, line, kept FROM ingest_repeats`, [batchId]);
  const deleted = await conn.run(`DELETE FROM records WHERE rowid IN (SELECT rowid FROM ingest_repeats)`);
  return deleted.rowsChanged;
}

/** Fields holding JSON (states, trajectories) or a map (slices), whose text can differ while their values do not. */
const JSON_FIELDS = FIELDS.filter((f) => ["json", "map"].includes(RECORD_FIELD_KINDS[f as keyof typeof RECORD_FIELD_KINDS]));

/**
 * 2b. Rows that differ from the previous version of their key only in the text of JSON fields: the same objects with
 * keys in another order, `1.0` for `1`, a map's entries in another order. DuckDB compares JSON as text, so these are
 * compared as values here (`jsonEqual`), and deleted as duplicates. Returns how many. Only rows whose other fields
 * all equal the previous version's are read, so a file of real corrections costs one query.
 */
async function deleteSameJsonValues(conn: DuckDBConnection, batchId: string): Promise<number> {
  const plain = FIELDS.filter((f) => !JSON_FIELDS.includes(f)).map((f) => `"${f}"`).join(", ");
  const json = JSON_FIELDS.map((f) => `to_json("${f}")::VARCHAR`).join(", ");
  const candidates = await conn.runAndReadAll(
    `SELECT rowid, now.json, previous.json FROM (${versions(`{'plain': struct_pack(${plain}), 'json': [${json}]}`)})
     WHERE batch_id = $1 AND now.plain IS NOT DISTINCT FROM previous.plain`,
    [batchId]
  );
  const parse = (text: string | null) => (text === null ? null : JSON.parse(text));
  const same = candidates.getRowsJS().flatMap(([rowid, now, before]) =>
    (now as (string | null)[]).every((text, i) => jsonEqual(parse(text), parse((before as (string | null)[])[i]))) ? [rowid as bigint] : []
  );
  if (same.length === 0) return 0;
  // The rows are chosen by rowid; `true` only makes `previous` non-NULL where a previous version exists.
  return deleteRepeats(conn, batchId, "true", "rowid IN (SELECT unnest($2::BIGINT[]))", [listValue(same)]);
}

async function dropTemp(conn: DuckDBConnection): Promise<void> {
  for (const t of [LINES_TABLE, "ingest_rest", "ingest_rescued", "ingest_repeats"]) await conn.run(`DROP TABLE IF EXISTS temp.${t}`);
}
