/**
 * The DuckDB warehouse: one file holding every table benchlab reads and writes.
 *
 * Tables are created here (and only here) from the zod schemas in src/lib/schema.ts, so a column is added in
 * one place. Later modules that need a table of their own add its DDL to `TABLES` below.
 */
import {DuckDBConnection, DuckDBInstance, timestampValue} from "@duckdb/node-api";
import {existsSync, mkdirSync} from "node:fs";
import {dirname, join, resolve} from "node:path";
import {fileURLToPath} from "node:url";
import {duckdbColumns} from "../src/lib/schema.ts";

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** Default warehouse path; every command takes `--db PATH` to override it. */
export const DEFAULT_DB = resolve(PROJECT_ROOT, "warehouse", "benchlab.duckdb");

/** The warehouse `npm run build` creates from the bundled snapshots; deleted and rebuilt on every build. */
export const BUILD_DB = resolve(PROJECT_ROOT, "warehouse", "build.duckdb");

/** The error for a warehouse that is not there, saying where data is: the build's warehouse, once there is one. */
export function missingWarehouse(path: string, buildDb = BUILD_DB): Error {
  const built = path !== buildDb && existsSync(buildDb) ? `; the bundled data is in ${buildDb} (made, and remade, by npm run build)` : "";
  return new Error(`${path}: no warehouse there; give the --db of an existing one, or ingest run records first (benchlab ingest --db ${path} FILE)${built}`);
}

/** The command line that runs `benchlab COMMAND ARGS` on warehouse `db` (with --db unless it is the default), for messages. */
export function benchlabCommand(db: string, command: string, ...args: string[]): string {
  return ["benchlab", command, ...(db === DEFAULT_DB ? [] : ["--db", db]), ...args].join(" ");
}

const recordColumns = duckdbColumns()
  .map((c) => `  ${c.name} ${c.type}${c.required ? " NOT NULL" : ""}`)
  .join(",\n");

/** Sequences the tables draw numbers from: created before them. */
export const SEQUENCES = ["ingest_batch_numbers", "score_run_ids"];

/** DDL of every table, in creation order. */
export const TABLES: Record<string, string> = {
  ingest_batches: `CREATE TABLE IF NOT EXISTS ingest_batches (
  batch_id VARCHAR PRIMARY KEY,
  file VARCHAR NOT NULL,
  file_sha256 VARCHAR NOT NULL,
  ingested_at TIMESTAMP NOT NULL,
  snapshot_id VARCHAR,
  kind VARCHAR NOT NULL,
  rows_ok BIGINT NOT NULL,
  rows_duplicate BIGINT NOT NULL,
  rows_corrected BIGINT NOT NULL,
  rows_rejected BIGINT NOT NULL,
  -- The command-line options that shaped the rows (run_id, --set, --map, ...), as JSON; NULL when there were none.
  options JSON
)`,
  records: `CREATE TABLE IF NOT EXISTS records (
${recordColumns},
  key_hash UHUGEINT NOT NULL,
  content_hash UHUGEINT NOT NULL,
  batch_id VARCHAR NOT NULL,
  line BIGINT NOT NULL,
  snapshot_id VARCHAR,
  ingested_at TIMESTAMP NOT NULL,
  -- A number per stored row, never reused (ingest: batch number x 2^32 + line): what scores point at.
  record_id BIGINT NOT NULL
)`,
  // Older versions of a canonical key, kept in `records` and listed here by ingest when a correction arrives: the
  // newest version is the one last ingested (ingested_at, then batch_id, then line). `records_latest` leaves these
  // out with a join on a number instead of a window over every key.
  superseded_records: `CREATE TABLE IF NOT EXISTS superseded_records (
  record_id BIGINT NOT NULL
)`,
  // Lines ingest did not store because they add nothing (the same text or the same values as the version of their key
  // just before them): each points at the stored row it repeats. So every non-blank line of a batch is in `records`,
  // here, or in `quarantine`, and a snapshot whose files repeat stored rows still holds them (`snapshot_records`).
  duplicate_lines: `CREATE TABLE IF NOT EXISTS duplicate_lines (
  batch_id VARCHAR NOT NULL,
  line BIGINT NOT NULL,
  record_id BIGINT NOT NULL
)`,
  benchmarks: `CREATE TABLE IF NOT EXISTS benchmarks (
  benchmark VARCHAR PRIMARY KEY,
  task VARCHAR NOT NULL,
  dataset VARCHAR NOT NULL,
  metric VARCHAR NOT NULL,
  direction VARCHAR NOT NULL,
  split VARCHAR,
  verification_tier VARCHAR NOT NULL,
  source_url VARCHAR,
  licence VARCHAR,
  released DATE,
  notes VARCHAR
)`,
  results: `CREATE TABLE IF NOT EXISTS results (
  board VARCHAR NOT NULL,
  benchmark VARCHAR NOT NULL,
  snapshot_id VARCHAR NOT NULL,
  entry_id VARCHAR NOT NULL,
  system VARCHAR NOT NULL,
  model VARCHAR,
  metric VARCHAR NOT NULL,
  value DOUBLE,
  n BIGINT,
  as_of DATE NOT NULL,
  submitted DATE,
  source VARCHAR NOT NULL,
  verification_tier VARCHAR NOT NULL,
  cost_usd DOUBLE,
  notes VARCHAR,
  content_hash VARCHAR NOT NULL,
  batch_id VARCHAR NOT NULL,
  line BIGINT NOT NULL
)`,
  // Scores (issue 3). A scoring run is one row of `score_runs` (scorer, version, params, trust, time); its scores
  // are rows of numbers in `score_values` (record_id, value, verdict, and the code of the result's texts), and each
  // distinct (explanation, violations, error) of the run is one row of `score_texts`: a run of a million records
  // writes no repeated text and no hashes. Scores recorded by others (a judge's verdicts in a labels file, issue 5)
  // keep their full row in `recorded_scores`. Read everything through the view `scores`.
  score_runs: `CREATE TABLE IF NOT EXISTS score_runs (
  run_id BIGINT PRIMARY KEY,
  scorer VARCHAR NOT NULL,
  scorer_version VARCHAR NOT NULL,
  scorer_kind VARCHAR NOT NULL,
  params_hash VARCHAR NOT NULL,
  params JSON NOT NULL,
  trust VARCHAR,
  scored_at TIMESTAMP NOT NULL
)`,
  score_values: `CREATE TABLE IF NOT EXISTS score_values (
  run_id BIGINT NOT NULL,
  record_id BIGINT NOT NULL,
  value DOUBLE,
  passed BOOLEAN,
  -- score_texts.code of this run; NULL when the result has no explanation, violations or error
  text_code INTEGER
)`,
  score_texts: `CREATE TABLE IF NOT EXISTS score_texts (
  run_id BIGINT NOT NULL,
  code INTEGER NOT NULL,
  explanation VARCHAR,
  violations JSON,
  error VARCHAR
)`,
  recorded_scores: `CREATE TABLE IF NOT EXISTS recorded_scores (
  content_hash UHUGEINT NOT NULL,
  key_hash UHUGEINT NOT NULL,
  scorer VARCHAR NOT NULL,
  scorer_version VARCHAR NOT NULL,
  scorer_kind VARCHAR NOT NULL,
  params_hash VARCHAR NOT NULL,
  params JSON NOT NULL,
  value DOUBLE,
  passed BOOLEAN,
  explanation VARCHAR,
  violations JSON,
  error VARCHAR,
  trust VARCHAR,
  scored_at TIMESTAMP NOT NULL
)`,
  human_labels: `CREATE TABLE IF NOT EXISTS human_labels (
  dataset VARCHAR NOT NULL,
  item_id VARCHAR NOT NULL,
  rater VARCHAR NOT NULL,
  label VARCHAR NOT NULL,
  slice VARCHAR,
  snapshot_id VARCHAR,
  batch_id VARCHAR NOT NULL
)`,
  snapshots: `CREATE TABLE IF NOT EXISTS snapshots (
  snapshot_id VARCHAR PRIMARY KEY,
  snapshot_date DATE NOT NULL,
  title VARCHAR NOT NULL,
  source VARCHAR NOT NULL,
  source_commit VARCHAR,
  methodology_version VARCHAR NOT NULL,
  licence VARCHAR NOT NULL,
  manifest JSON NOT NULL
)`,
  quarantine: `CREATE TABLE IF NOT EXISTS quarantine (
  batch_id VARCHAR NOT NULL,
  file VARCHAR NOT NULL,
  line BIGINT NOT NULL,
  field VARCHAR,
  reason VARCHAR NOT NULL,
  raw VARCHAR,
  quarantined_at TIMESTAMP NOT NULL
)`,
  // Judge (issue 5). Items known only from a labels file (no run record): key_hash links their judge scores.
  label_items: `CREATE TABLE IF NOT EXISTS label_items (
  dataset VARCHAR NOT NULL,
  item_id VARCHAR NOT NULL,
  key_hash UHUGEINT NOT NULL,
  slice VARCHAR,
  longer_output VARCHAR,
  batch_id VARCHAR NOT NULL
)`,
  // Every judge call, keyed by sha256 of (model, messages, params): a re-run reads here and costs nothing.
  judge_calls: `CREATE TABLE IF NOT EXISTS judge_calls (
  request_sha256 VARCHAR PRIMARY KEY,
  model VARCHAR NOT NULL,
  base_url VARCHAR,
  request JSON NOT NULL,
  response_text VARCHAR,
  raw_response JSON NOT NULL,
  tokens_in BIGINT,
  tokens_out BIGINT,
  cost_usd DOUBLE,
  latency_ms DOUBLE NOT NULL,
  called_at TIMESTAMP NOT NULL
)`,
  judge_audits: `CREATE TABLE IF NOT EXISTS judge_audits (
  judge VARCHAR NOT NULL,
  params_hash VARCHAR,
  reference_rater VARCHAR NOT NULL,
  statistic VARCHAR NOT NULL,
  threshold DOUBLE NOT NULL,
  estimate DOUBLE,
  lower_bound DOUBLE,
  upper_bound DOUBLE,
  verdict VARCHAR NOT NULL,
  n_items BIGINT NOT NULL,
  seed BIGINT NOT NULL,
  resamples BIGINT NOT NULL,
  report JSON NOT NULL,
  audited_at TIMESTAMP NOT NULL
)`,
  // Snapshots (issue 2): a leaderboard row's columns beyond AggregateResult, as published; join on (batch_id, line).
  result_attributes: `CREATE TABLE IF NOT EXISTS result_attributes (
  batch_id VARCHAR NOT NULL,
  line BIGINT NOT NULL,
  attribute VARCHAR NOT NULL,
  value VARCHAR NOT NULL
)`,
  // Snapshots: model release dates (SWE-bench's modelReleaseDates.js), for release-vs-submission analyses.
  model_releases: `CREATE TABLE IF NOT EXISTS model_releases (
  model VARCHAR NOT NULL,
  release_date DATE NOT NULL,
  source_url VARCHAR,
  snapshot_id VARCHAR NOT NULL
)`
};

/**
 * Views: what statistics read. `records_latest` keeps the newest version of each canonical key (corrections);
 * `scores` has every score with its scorer, version, params, trust and time, and its record's hashes.
 */
export const VIEWS: Record<string, string> = {
  records_latest: `CREATE OR REPLACE VIEW records_latest AS
SELECT * FROM records r WHERE NOT EXISTS (SELECT 1 FROM superseded_records s WHERE s.record_id = r.record_id)`,
  // The records each snapshot holds: those stored with it, and those its files repeated (stored with an earlier one).
  snapshot_records: `CREATE OR REPLACE VIEW snapshot_records AS
SELECT snapshot_id, record_id FROM records WHERE snapshot_id IS NOT NULL
UNION
SELECT b.snapshot_id, d.record_id FROM duplicate_lines d JOIN ingest_batches b USING (batch_id) WHERE b.snapshot_id IS NOT NULL`,
  // `snapshots` numbered (version) in the order they were taken: by date, and within a date by their line in the bundle's source-snapshots
  // file (for the SWE-bench history, the upstream's commit order; several versions were committed on one day). A
  // snapshot id ends in a commit sha, so ordering by id within a date would be arbitrary. The id breaks what is left.
  snapshot_order: `CREATE OR REPLACE VIEW snapshot_order AS
SELECT *, row_number() OVER (ORDER BY snapshot_date, coalesce(TRY_CAST(manifest->>'line' AS INTEGER), 0), snapshot_id) AS version
FROM snapshots`,
  scores: `CREATE OR REPLACE VIEW scores AS
SELECT r.content_hash, r.key_hash, u.scorer, u.scorer_version, u.scorer_kind, u.params_hash, u.params,
       v.value, v.passed, x.explanation, x.violations, x.error, u.trust, u.scored_at, v.record_id, v.run_id
FROM score_values v JOIN score_runs u USING (run_id) JOIN records r USING (record_id)
  LEFT JOIN score_texts x ON x.run_id = v.run_id AND x.code = v.text_code
UNION ALL
SELECT *, NULL::BIGINT AS record_id, NULL::BIGINT AS run_id FROM recorded_scores`
};

/** Layouts of earlier benchlab versions that this one cannot extend in place: a query that finds one, and what changed. */
const EARLIER_LAYOUTS = [
  {
    probe: "SELECT 1 FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' AND table_name = 'scores'",
    change: "scores is a table, now a view over score_runs, score_values and score_texts"
  },
  {
    probe: `SELECT 1 FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = 'main'
              AND table_name = 'records' AND column_name = 'key_hash' AND data_type = 'VARCHAR'`,
    change: "records.key_hash is md5 hex text, now md5's 128-bit number"
  }
];

/** Columns added to a table after it first shipped: added in place to an older warehouse (NULL in its old rows). */
const ADDED_COLUMNS = [{table: "ingest_batches", column: "options JSON"}];

/** One row of `ingest_batches`: a file read into the warehouse (run records, leaderboard results or labels). */
export interface IngestBatchRow {
  batchId: string;
  file: string;
  fileSha256: string;
  ingestedAt: Date;
  snapshotId: string | null;
  /** What the file held: jsonl, csv, tau2, results, labels. */
  kind: string;
  rowsOk: number;
  rowsDuplicate: number;
  rowsCorrected: number;
  rowsRejected: number;
  /** The options that shaped the rows, as JSON text; null when none did. */
  options: string | null;
}

/** Records an ingest batch (inside the caller's transaction, so the batch and its rows land together). */
export async function insertIngestBatch(conn: DuckDBConnection, b: IngestBatchRow): Promise<void> {
  await conn.run(
    `INSERT INTO ingest_batches (batch_id, file, file_sha256, ingested_at, snapshot_id, kind, rows_ok, rows_duplicate, rows_corrected, rows_rejected, options)
     VALUES ($1, $2, $3, $4::TIMESTAMP, $5, $6, $7, $8, $9, $10, $11)`,
    [b.batchId, b.file, b.fileSha256, b.ingestedAt.toISOString(), b.snapshotId, b.kind, b.rowsOk, b.rowsDuplicate, b.rowsCorrected, b.rowsRejected, b.options]
  );
}

/** A row ingest could not store, as kept in `quarantine`: the file's line, the field at fault, why, and its text. */
export interface QuarantinedRow {
  line: number;
  field: string | null;
  reason: string;
  raw: string | null;
}

/**
 * Stores a batch's rejected rows in `quarantine`, stamped with the batch's time. The appender writes in the caller's
 * open transaction, so a rollback takes them back with the rest of the batch.
 */
export async function insertQuarantine(conn: DuckDBConnection, batch: {batchId: string; file: string; at: Date}, rows: QuarantinedRow[]): Promise<void> {
  if (!rows.length) return;
  const at = timestampValue(BigInt(batch.at.getTime()) * 1000n);
  const appender = await conn.createAppender("quarantine");
  for (const r of rows) {
    appender.appendVarchar(batch.batchId);
    appender.appendVarchar(batch.file);
    appender.appendBigInt(BigInt(r.line));
    if (r.field === null) appender.appendNull();
    else appender.appendVarchar(r.field);
    appender.appendVarchar(r.reason);
    if (r.raw === null) appender.appendNull();
    else appender.appendVarchar(r.raw);
    appender.appendTimestamp(at);
    appender.endRow();
  }
  appender.closeSync();
}

export interface Warehouse {
  path: string;
  instance: DuckDBInstance;
  connection: DuckDBConnection;
  /** Another connection to the warehouse (a scoring run's reader, the judge cache's), closed by `close()`. */
  connect(): Promise<DuckDBConnection>;
  /**
   * Closes every connection and the instance. DuckDB keeps a database open while any connection to it lives, so a
   * connection left open kept writing the file after close(), and a warehouse opened again on it in the same
   * process corrupted it ("Invalid bitmask for FixedSizeAllocator").
   */
  close(): void;
}

/**
 * A DuckDB instance on `path` (read-only with `{access_mode: "READ_ONLY"}`). DuckDB lets one process at a time open
 * a file for writing, and none read it meanwhile: that case says which process holds it and what to do.
 */
export async function openInstance(path: string, options?: Record<string, string>): Promise<DuckDBInstance> {
  // Never fetch an extension: benchlab works with no host reachable but the npm registry, and a query that needs one
  // (e.g. a URL in FROM) must fail here rather than download it where a network exists.
  const offline = {autoinstall_known_extensions: "false", autoload_known_extensions: "false"};
  return DuckDBInstance.create(path, {...offline, ...options}).catch((err: unknown) => {
    const held = /Conflicting lock is held in (.*) \(PID (\d+)\)/.exec(String(err));
    if (held)
      throw new Error(`${path}: the warehouse is open in another process (${held[1]}, PID ${held[2]}), and only one process at a time can write it; wait for that one to finish (or stop it), or use another warehouse (--db PATH)`);
    // DuckDB's own words for these ("IO Error: ... is not a valid DuckDB database file!") say nothing of what to do.
    if (/not a valid DuckDB database file/.test(String(err)))
      throw new Error(`${path}: not a DuckDB file, so not a benchlab warehouse (it is left as it is); give the --db of a warehouse, or a new path for ingest to create one`);
    if (/Is a directory/.test(String(err))) throw new Error(`${path}: a folder, not a warehouse file; give the path of a .duckdb file, e.g. --db ${join(path, "benchlab.duckdb")}`);
    if (/Cannot open file .*: Permission denied/.test(String(err)))
      throw new Error(
        `${path}: permission denied; give a warehouse this user can ${options?.access_mode === "READ_ONLY" ? "read" : "read and write (benchlab opens it for writing, even to list it)"}: check the file's owner and mode, and its folder's, or use a copy`
      );
    throw err;
  });
}

/**
 * Opens the warehouse at `path` and ensures every table and view exists. It is created when missing, unless
 * `existing` (commands that only read or score what was ingested: a mistyped --db must not leave a new file).
 */
export async function openWarehouse(path: string = DEFAULT_DB, {existing = false}: {existing?: boolean} = {}): Promise<Warehouse> {
  if (existing && path !== ":memory:" && !existsSync(path))
    throw missingWarehouse(path);
  if (path !== ":memory:") mkdirSync(dirname(resolve(path)), {recursive: true});
  const instance = await openInstance(path);
  const connection = await instance.connect();
  const refuse = (message: string): never => {
    connection.closeSync();
    instance.closeSync();
    throw new Error(message);
  };
  for (const layout of EARLIER_LAYOUTS) {
    if ((await connection.runAndReadAll(layout.probe)).currentRowCount === 0) continue;
    refuse(`${path}: made by an earlier benchlab (${layout.change}); ingest into a new warehouse (--db NEW_PATH) or delete this one`);
  }
  // Another program's database: benchlab's tables are not added to it (a mistyped --db of a read-only command did).
  const tables = (await connection.runAndReadAll("SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()")).getRows().map(([t]) => String(t));
  if (tables.length > 0 && !tables.some((t) => t in TABLES))
    refuse(`${path}: a DuckDB database that is not a benchlab warehouse (its tables: ${tables.slice(0, 5).join(", ")}${tables.length > 5 ? ", ..." : ""}); it is left as it is. Give the --db of a warehouse, or a new path for ingest to create one`);
  // DuckDB tracks each query's progress (read by ingest for its progress bar) but prints nothing itself.
  await connection.run("SET enable_progress_bar = true; SET enable_progress_bar_print = false");
  // One transaction: a table of benchlab's name laid out otherwise stops it with nothing created (the tables before
  // it were added, and the file left half a warehouse).
  await connection.run("BEGIN TRANSACTION");
  try {
    for (const name of SEQUENCES) await connection.run(`CREATE SEQUENCE IF NOT EXISTS ${name}`);
    for (const ddl of Object.values(TABLES)) await connection.run(ddl);
    for (const {table, column} of ADDED_COLUMNS) await connection.run(`ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS ${column}`);
    for (const ddl of Object.values(VIEWS)) await connection.run(ddl);
    await connection.run("COMMIT");
  } catch (err) {
    await connection.run("ROLLBACK");
    refuse(`${path}: not a warehouse of this benchlab (${err instanceof Error ? err.message.split("\n")[0] : String(err)}); it is left as it is. Give the --db of a warehouse, or a new path for ingest to create one`);
  }
  const others: DuckDBConnection[] = [];
  return {
    path,
    instance,
    connection,
    async connect() {
      const other = await instance.connect();
      others.push(other);
      return other;
    },
    close() {
      for (const other of others.splice(0)) other.closeSync();
      connection.closeSync();
      instance.closeSync();
    }
  };
}
