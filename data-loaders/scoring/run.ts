/**
 * A scoring run: one scorer, with one set of parameters, over the latest warehouse records. The run is one row of
 * `score_runs` (scorer name, version, kind, the canonical params and their sha256, trust, time), one row of
 * `score_values` per record (its record_id, value, verdict and the code of its texts) and one row of `score_texts`
 * per distinct (explanation, violations, error); the view `scores` joins them.
 *
 * Provenance rules: a record already scored by the same scorer version and params is skipped, so a re-run does no
 * work twice; a new version or new params add rows and never overwrite old ones. A scorer that throws on a record
 * stores the error, with no value, and the run goes on.
 *
 * Speed (`npm run bench:score`):
 * - the records to do are numbered into a scratch table in one pass (an in-memory database attached to the
 *   warehouse, so every connection of the run sees it);
 * - one connection reads them back in ranges, output and target as one JSON array each (DuckDB writes it and V8
 *   parses it several times faster than values cross the binding one by one), the next range being read while
 *   JavaScript scores this one, in vectors of 2,048 when the scorer offers `scoreBatch`;
 * - two more connections append the results as numbers only (row number, value, passed, and the code of the
 *   result's texts in a table of the distinct texts), because a text crossing the binding costs several times a
 *   number, and move them into `score_values` and `score_texts` one flush at a time, while the run goes on.
 */
import {DuckDBDataChunk, timestampValue, type DuckDBAppender, type DuckDBConnection, type DuckDBValue} from "@duckdb/node-api";
import pLimit from "p-limit";
import {RECORD_FIELD_KINDS, type FieldKind} from "../../src/lib/schema.ts";
import {normaliseResult, parseScorerParams, ScorerResultError, wrongValueOrVerdict, type BatchScores, type Score, type ScorableRecord, type ScoreContext, type ScoreResult, type Scorer} from "../../src/lib/scorer.ts";
import {canonicalJson, sha256} from "../judge/hash.ts";
import {configurationHash, judgeConfiguration} from "../judge/audit-input.ts";
import {currentTrust} from "../judge/trust-store.ts";
import type {Warehouse} from "../warehouse.ts";

export interface ScoringOptions {
  /** Only records of this benchmark. */
  benchmark?: string | null;
  /** Services for the scorer's context (a judge client, issue 5). */
  services?: ScoreContext["services"];
  /** Most calls in flight for a scorer whose `score` is async (a judge); synchronous scorers ignore it. */
  concurrency?: number;
  /** Called after every batch with the records done so far and the total to do. */
  onProgress?: (done: number, total: number) => void;
  /** Rows staged before they are moved into `score_values` (a crash loses at most this much work); default FLUSH_ROWS. */
  flushEvery?: number;
  /** Text read per query at most, in bytes; default READ_BYTES. */
  readBytes?: number;
  signal?: AbortSignal;
}

export interface ScoringSummary {
  scorer: string;
  version: string;
  kind: string;
  params: unknown;
  paramsHash: string;
  /** Records that matched the selection. */
  selected: number;
  /** Already scored by this scorer version and params. */
  skipped: number;
  scored: number;
  /** Records whose scoring raised an error (stored with the error). */
  errors: number;
  seconds: number;
  recordsPerSecond: number;
  /** Why the run stopped early (a judge's --max-cost reached), or null; records not scored are left for a re-run. */
  stopped: string | null;
  /** The scoring run's id (`score_runs.run_id`, `scores.run_id`); it has a row only when it scored a record. */
  runId: number;
}

/** The canonical text and sha256 of parsed params: defaults filled, keys sorted, so `{}` and the defaults agree. */
export function paramsIdentity(params: unknown): {json: string; hash: string} {
  const json = canonicalJson(params ?? {});
  return {json, hash: sha256(json)};
}

// How each stored kind of record field is selected so it arrives in JavaScript as a plain value: numbers as
// doubles, dates as text, JSON and maps as JSON text (parsed in `toRecord`).
const READ_AS: Record<FieldKind, (field: string) => string> = {
  text: (f) => `r.${f}`,
  int: (f) => `CAST(r.${f} AS DOUBLE) AS ${f}`,
  double: (f) => `r.${f}`,
  bool: (f) => `r.${f}`,
  json: (f) => `CAST(r.${f} AS VARCHAR) AS ${f}`,
  date: (f) => `CAST(r.${f} AS VARCHAR) AS ${f}`,
  timestamp: (f) => `CAST(r.${f} AS VARCHAR) AS ${f}`,
  map: (f) => `CAST(to_json(r.${f}) AS VARCHAR) AS ${f}`
};
const RECORD_FIELDS = Object.keys(RECORD_FIELD_KINDS) as (keyof typeof RECORD_FIELD_KINDS)[];
const JSON_FIELDS = RECORD_FIELDS.filter((f) => RECORD_FIELD_KINDS[f] === "json" || RECORD_FIELD_KINDS[f] === "map");

/** DuckDB's vector size: the rows of one data chunk. */
const BATCH_ROWS = 2048;

/**
 * Scores moved into `score_values` per INSERT. DuckDB writes an insert of at least a row group (122,880 rows)
 * straight into the database file; smaller ones go through the write-ahead log and a checkpoint, which measured
 * 2.6x slower per row here. A crash loses at most this many scores, which a re-run redoes.
 */
const FLUSH_ROWS = 131_072;

/** Rows read per query at most; scored and written in vectors of BATCH_ROWS. */
const READ_ROWS = 131_072;

/**
 * Text read per query at most (bytes of the text columns): a range's outputs arrive as one JSON array, which must
 * stay far below V8's longest string (2^29 - 24 characters) even when escaping inflates it several times.
 */
const READ_BYTES = 64 * 1024 * 1024;

/** Name of the in-memory database, attached to the warehouse, that holds a run's working tables. */
const SCRATCH = "benchlab_scratch";

/**
 * Attaches the scratch database (once per process; later runs reuse it) and returns its name: SCRATCH, or SCRATCH_1,
 * SCRATCH_2, ... when that name is taken by a database on disk, such as a warehouse file named benchlab_scratch.duckdb
 * (DuckDB names a database after its file), which must not receive the working tables.
 */
async function attachScratch(conn: DuckDBConnection): Promise<string> {
  for (let i = 0; ; i++) {
    const name = i === 0 ? SCRATCH : `${SCRATCH}_${i}`;
    // Two runs of one process may attach at the same time, and IF NOT EXISTS does not make that atomic in DuckDB
    // 1.5: the loser gets "already exists", which means the same as success here.
    await conn.run(`ATTACH IF NOT EXISTS ':memory:' AS ${name}`).catch((err: unknown) => {
      if (!/already exists/.test(String(err))) throw err;
    });
    const path = (await conn.runAndReadAll("SELECT path FROM duckdb_databases() WHERE database_name = $1", [name])).getRows()[0][0];
    if (path === null) return name; // in memory: ours
  }
}

/** The records still to score: latest version of each key, not yet scored by this scorer version and params. */
function selection(columns: string): string {
  return `SELECT ${columns} FROM records_latest r
WHERE ($benchmark::VARCHAR IS NULL OR r.benchmark = $benchmark)
  AND NOT EXISTS (SELECT 1 FROM score_values v WHERE v.record_id = r.record_id AND v.run_id IN (
    SELECT run_id FROM score_runs WHERE scorer = $scorer AND scorer_version = $version AND params_hash = $params_hash))`;
}

/**
 * Results staged on one connection as numbers only: row number, value, passed, and a code for the texts of the
 * result (explanation, violations, error), which are sent once per flush as rows of distinct texts. Scorers repeat
 * a few explanations and errors, and a text crossing the binding costs several times a number.
 */
class Staging {
  rows = 0;
  /** Smallest and largest row number staged: the flush reads only that part of the numbered records. */
  private lowest = Infinity;
  private highest = -Infinity;
  /** Codes (from 1) of the distinct texts since the last flush: explanations alone, and other triples as JSON. */
  private explanationCodes = new Map<string, number>();
  private tripleCodes = new Map<string, number>();
  private texts: [string | null, string | null, string | null][] = [];
  private constructor(
    private readonly conn: DuckDBConnection,
    private readonly appender: DuckDBAppender,
    private readonly scratch: string,
    private readonly staged: string,
    private readonly textTable: string
  ) {}

  get distinctTexts(): number {
    return this.texts.length;
  }

  static async open(conn: DuckDBConnection, scratch: string, name: string): Promise<Staging> {
    const staged = `staged_${name}`, texts = `texts_${name}`;
    await conn.run(`CREATE TABLE ${scratch}.${staged} (n INTEGER, value DOUBLE, passed BOOLEAN, texts INTEGER)`);
    await conn.run(`CREATE TABLE ${scratch}.${texts} (code INTEGER, explanation VARCHAR, violations VARCHAR, error VARCHAR)`);
    return new Staging(conn, await conn.createAppender(staged, "main", scratch), scratch, staged, texts);
  }

  private code(explanation: string | null, violations: string | null, error: string | null): number | null {
    if (violations === null && error === null) {
      // The common case, keyed by the explanation itself: a string the scorer reuses keeps its hash.
      if (explanation === null) return null;
      return this.codeOf(this.explanationCodes, explanation, explanation, null, null);
    }
    return this.codeOf(this.tripleCodes, JSON.stringify([explanation, violations, error]), explanation, violations, error);
  }

  private codeOf(codes: Map<string, number>, key: string, explanation: string | null, violations: string | null, error: string | null): number {
    let code = codes.get(key);
    if (code === undefined) {
      this.texts.push([explanation, violations, error]);
      codes.set(key, (code = this.texts.length));
    }
    return code;
  }

  append(n: readonly number[], scores: BatchScores, violations: (string | null)[]): void {
    const types = Array.from({length: 4}, (_, i) => this.appender.columnType(i));
    const codes = n.map((_, i) => this.code(scores.explanation[i], violations[i], scores.error[i]));
    for (const k of n) {
      if (k < this.lowest) this.lowest = k;
      if (k > this.highest) this.highest = k;
    }
    const columns = [n, scores.value, scores.passed, codes];
    // A DuckDB data chunk holds at most BATCH_ROWS (the vector size) rows.
    for (let at = 0; at < n.length; at += BATCH_ROWS) {
      const size = Math.min(BATCH_ROWS, n.length - at);
      const chunk = DuckDBDataChunk.create(types, size);
      chunk.setColumns(at === 0 && size === n.length ? columns : columns.map((c) => c.slice(at, at + size)));
      this.appender.appendDataChunk(chunk);
    }
    this.rows += n.length;
  }

  /**
   * Moves the staged rows into `score_values` and their texts into `score_texts` (codes shifted by `firstCode` - 1,
   * so they are unique in the run), storing the run's row first when `run` is given, in one transaction.
   */
  async moveInto(todo: string, runId: DuckDBValue, firstCode: number, run: Record<string, DuckDBValue> | null): Promise<void> {
    this.appender.flushSync();
    if (this.texts.length) {
      const textAppender = await this.conn.createAppender(this.textTable, "main", this.scratch);
      this.texts.forEach(([explanation, violations, error], i) => {
        textAppender.appendInteger(i + 1);
        for (const text of [explanation, violations, error]) {
          if (text === null) textAppender.appendNull();
          else textAppender.appendVarchar(text);
        }
        textAppender.endRow();
      });
      textAppender.closeSync();
    }
    await this.conn.run("BEGIN TRANSACTION");
    try {
      if (run)
        await this.conn.run(`INSERT INTO score_runs VALUES ($run_id, $scorer, $version, $kind, $params_hash, CAST($params AS JSON), $trust, $scored_at)`, run);
      const shift = firstCode - 1;
      await this.conn.run(
        `INSERT INTO score_texts SELECT $run_id, code + $shift, explanation, CAST(violations AS JSON), error FROM ${this.scratch}.${this.textTable}`,
        {run_id: runId, shift}
      );
      await this.conn.run(
        `INSERT INTO score_values
         SELECT $run_id, t.record_id, s.value, s.passed, s.texts + $shift
         FROM ${this.scratch}.${this.staged} s JOIN (SELECT n, record_id FROM ${todo} WHERE n BETWEEN $lowest AND $highest) t USING (n)`,
        {run_id: runId, shift, lowest: this.lowest, highest: this.highest}
      );
      await this.conn.run("COMMIT");
    } catch (err) {
      await this.conn.run("ROLLBACK");
      throw err;
    }
    await this.conn.run(`DELETE FROM ${this.scratch}.${this.staged}`);
    await this.conn.run(`DELETE FROM ${this.scratch}.${this.textTable}`);
    this.explanationCodes.clear();
    this.tripleCodes.clear();
    this.texts = [];
    this.rows = 0;
    this.lowest = Infinity;
    this.highest = -Infinity;
  }

  async drop(): Promise<void> {
    try {
      this.appender.closeSync();
      for (const t of [this.staged, this.textTable]) await this.conn.run(`DROP TABLE IF EXISTS ${this.scratch}.${t}`);
    } finally {
      this.conn.closeSync();
    }
  }
}

/**
 * Writes a run's scores through two stagings on connections of their own: while one is moved into `score_values`,
 * the run goes on appending to the other, so a flush costs the run almost no time. One flush is in flight at most;
 * the first also stores the run's row, so a run that scored nothing leaves no row.
 */
class ScoreWriter {
  private current = 0;
  private inFlight: Promise<void> | null = null;
  private runStored = false;
  /** Next free code of the run's texts: each flush takes as many as it has distinct texts. */
  private nextCode = 1;
  private constructor(
    private readonly sides: [Staging, Staging],
    private readonly todo: string,
    private readonly run: Record<string, DuckDBValue>
  ) {}

  static async open(wh: Warehouse, scratch: string, todo: string, run: Record<string, DuckDBValue>): Promise<ScoreWriter> {
    const sides: Staging[] = [];
    try {
      for (const side of ["a", "b"]) sides.push(await Staging.open(await wh.connect(), scratch, `${run.run_id}_${side}`));
    } catch (err) {
      for (const side of sides) await side.drop();
      throw err;
    }
    return new ScoreWriter(sides as [Staging, Staging], todo, run);
  }

  append(n: readonly number[], scores: BatchScores, violations: (string | null)[]): void {
    this.sides[this.current].append(n, scores, violations);
  }

  get pending(): number {
    return this.sides[this.current].rows;
  }

  /** Starts moving the current staging into `score_values` (after the flush before it) and switches sides. */
  async flush(): Promise<void> {
    const side = this.sides[this.current];
    if (side.rows === 0) return;
    await this.inFlight;
    const run = this.runStored ? null : this.run;
    this.runStored = true;
    const firstCode = this.nextCode;
    this.nextCode += side.distinctTexts;
    this.inFlight = side.moveInto(this.todo, this.run.run_id, firstCode, run);
    // Handled here so a failure does not surface as an unhandled rejection; the next await rethrows it.
    this.inFlight.catch(() => undefined);
    this.current = 1 - this.current;
  }

  async close(): Promise<void> {
    try {
      await this.flush();
      await this.inFlight;
    } finally {
      await this.inFlight?.catch(() => undefined);
      for (const side of this.sides) await side.drop();
    }
  }
}

/** Turns one read row of the generic path into a record, parsing JSON columns (a bad one becomes an error). */
function toRecord(row: Record<string, DuckDBValue>): ScorableRecord {
  const record: Record<string, unknown> = {};
  for (const f of RECORD_FIELDS) record[f] = row[f];
  for (const f of JSON_FIELDS) if (typeof record[f] === "string") record[f] = JSON.parse(record[f] as string);
  return record as ScorableRecord;
}

function isThenable(v: unknown): v is PromiseLike<ScoreResult> {
  return typeof v === "object" && v !== null && typeof (v as {then?: unknown}).then === "function";
}

/**
 * Scores a chunk record by record with `score`. Synchronous scorers run inline. Once a call returns a promise
 * (a judge), that call is awaited and every later call of the run starts under the concurrency limit, so no
 * more than `concurrency` calls are ever in flight.
 *
 * An error that stops the run (a judge's budget: BudgetExhausted in data-loaders/judge/client.ts) is not a score:
 * its record stays unscored (left out of `kept`), so a re-run picks it up. A result the scorer API forbids
 * (ScorerResultError) is the plugin's bug: stored per record it would never be retried (a re-run skips scored
 * records), so it stops the run, naming the record, and nothing of this chunk is stored.
 */
async function scoreRows(
  scorer: Scorer,
  rows: Record<string, DuckDBValue>[],
  params: unknown,
  ctx: ScoreContext,
  limit: ReturnType<typeof pLimit>,
  mode: {async: boolean}
): Promise<{scores: BatchScores; violations: (string | null)[]; stopped: string | null; kept: number[]}> {
  const n = rows.length;
  const out: (Score | undefined)[] = new Array(n);
  let stopped: string | null = null;
  let broken: Error | null = null;
  const failed = (i: number, err: unknown) => {
    if (err instanceof ScorerResultError) {
      const r = rows[i];
      broken ??= new ScorerResultError(
        `${err.message} on the record of benchmark ${r.benchmark}, item ${r.item_id}, model ${r.model}, run ${r.run_id}, trial ${r.trial}; the scorer is broken, so the run stopped. ` +
          "Fix the scorer and run again: the records it scored before are kept, the rest are scored then"
      );
      stopped ??= broken.message;
      return;
    }
    if ((err as {stopsScoringRun?: boolean} | null)?.stopsScoringRun === true) {
      stopped ??= err instanceof Error ? err.message : String(err);
      return;
    }
    out[i] = {value: null, passed: null, explanation: null, violations: null, error: err instanceof Error ? err.message : String(err)};
  };
  const settle = async (i: number, call: () => ScoreResult | PromiseLike<ScoreResult>) => {
    try {
      out[i] = normaliseResult(scorer, await call());
    } catch (err) {
      failed(i, err);
    }
  };
  const pending: Promise<void>[] = [];
  for (let i = 0; i < n && stopped === null; i++) {
    let record: ScorableRecord;
    try {
      record = toRecord(rows[i]);
    } catch (err) {
      failed(i, err);
      continue;
    }
    if (mode.async) {
      pending.push(limit(() => (stopped === null ? settle(i, () => scorer.score(record, params, ctx)) : Promise.resolve())));
      continue;
    }
    try {
      const result = scorer.score(record, params, ctx);
      if (isThenable(result)) {
        mode.async = true;
        await settle(i, () => result);
      } else {
        out[i] = normaliseResult(scorer, result);
      }
    } catch (err) {
      failed(i, err);
    }
  }
  await Promise.all(pending);
  if (broken) throw broken;
  const kept = out.flatMap((s, i) => (s === undefined ? [] : [i]));
  const scored = kept.map((i) => out[i]!);
  return {
    scores: {
      value: scored.map((s) => s.value),
      passed: scored.map((s) => s.passed),
      explanation: scored.map((s) => s.explanation),
      error: scored.map((s) => s.error)
    },
    violations: scored.map((s) => (s.violations ? JSON.stringify(s.violations) : null)),
    stopped,
    kept
  };
}

/** Checks a `scoreBatch` result the way `normaliseResult` checks one record. */
function checkBatch(scorer: Scorer, scores: BatchScores, n: number): BatchScores {
  for (const col of ["value", "passed", "explanation", "error"] as const) {
    if (scores[col]?.length !== n) throw new Error(`scorer "${scorer.name}": scoreBatch returned ${scores[col]?.length ?? "no"} ${col} entries for ${n} records`);
  }
  // The checks normaliseResult makes of one result, per row: a plugin's mistake stops the run, naming the row,
  // instead of storing a score that says nothing (neither value nor verdict) or a verdict read from a string.
  for (let i = 0; i < n; i++) {
    const [value, passed, explanation, error] = [scores.value[i], scores.passed[i], scores.explanation[i], scores.error[i]];
    // No allocation for a good row: this runs once per record of a million-record run.
    const wrong =
      wrongValueOrVerdict(value, passed) ??
      (explanation !== null && typeof explanation !== "string" ? [`explanation ${JSON.stringify(explanation)}`, "a string or null"] : null) ??
      (error !== null && typeof error !== "string" ? [`error ${JSON.stringify(error)}`, "a string or null"] : null) ??
      (error === null && value === null && passed === null ? ["neither value nor passed", "one of them, or an error"] : null);
    if (wrong) throw new Error(`scorer "${scorer.name}": scoreBatch returned ${wrong[0]} for record ${i}, expected ${wrong[1]}`);
  }
  return scores;
}

/** Rows of the numbered table: their numbers, and output/target columns or (generic path) row objects. */
interface RowBatch {
  n: number[];
  output: (string | null)[];
  target: (string | null)[];
  objects: Record<string, DuckDBValue>[] | null;
}

/**
 * Splits rows 0..total-1 of `todo` into ranges of at most `limits.rows` rows and `limits.bytes` bytes of the
 * columns `texts` (one row larger than that is a range of its own), from the text size of each block of
 * BATCH_ROWS rows, and of each row in a block that alone is larger. Default limits: READ_ROWS and READ_BYTES.
 */
export async function readRanges(
  conn: DuckDBConnection,
  todo: string,
  total: number,
  texts: readonly string[],
  limits: {rows: number; bytes: number} = {rows: READ_ROWS, bytes: READ_BYTES}
): Promise<[number, number][]> {
  const size = texts.map((c) => `coalesce(strlen(${c}), 0)`).join(" + ");
  const blocks = (await conn.runAndReadAll(`SELECT n // ${BATCH_ROWS} AS block, sum(${size})::DOUBLE FROM ${todo} GROUP BY block ORDER BY block`)).getRows();
  const ranges: [number, number][] = [];
  let from = 0;
  let bytes = 0;
  const close = (to: number) => {
    if (to > from) ranges.push([from, to]);
    from = to;
    bytes = 0;
  };
  for (const [block, blockBytes] of blocks as [bigint, number][]) {
    const start = Number(block) * BATCH_ROWS;
    const end = Math.min(total, start + BATCH_ROWS);
    if (blockBytes > limits.bytes) {
      close(start);
      const rows = (await conn.runAndReadAll(`SELECT n, (${size})::DOUBLE FROM ${todo} WHERE n >= $start AND n < $end ORDER BY n`, {start, end})).getRows();
      for (const [n, rowBytes] of rows as [number, number][]) {
        if (bytes + rowBytes > limits.bytes) close(n);
        bytes += rowBytes;
      }
      close(end);
    } else {
      if (end - from > limits.rows || bytes + blockBytes > limits.bytes) close(start);
      bytes += blockBytes;
    }
  }
  close(total);
  return ranges;
}

/**
 * Reads the numbered records of `todo` range by range (see `readRanges`), the next range while the caller works on
 * this one, and yields them in batches of at most BATCH_ROWS (DuckDB's vector size). The vectorised path reads
 * output and target as one JSON array per range and column; the generic path reads row objects of every field.
 */
async function* batchesOf(conn: DuckDBConnection, todo: string, ranges: readonly [number, number][], vectorised: boolean, signal?: AbortSignal): AsyncGenerator<RowBatch> {
  const read = (k: number) => {
    const range = {from: ranges[k][0], to: ranges[k][1]};
    return vectorised
      ? // Unordered lists (ordering them costs more than the rest of the read): the aggregates of one SELECT see the
        // rows in one order, so the i-th entries of n, output and target belong to one record.
        conn.runAndReadAll(`SELECT CAST(to_json(list(n)) AS VARCHAR), CAST(to_json(list(output)) AS VARCHAR), CAST(to_json(list(target)) AS VARCHAR) FROM ${todo} WHERE n >= $from AND n < $to`, range)
      : conn.runAndReadAll(`SELECT n, ${RECORD_FIELDS.join(", ")} FROM ${todo} WHERE n >= $from AND n < $to ORDER BY n`, range);
  };
  let next = ranges.length > 0 ? read(0) : null;
  try {
    for (let k = 0; k < ranges.length; k++) {
      signal?.throwIfAborted();
      const reader = await next!;
      next = k + 1 < ranges.length ? read(k + 1) : null;
      const [from, to] = ranges[k];
      const size = to - from;
      if (vectorised) {
        const [ns, outputs, targets] = reader.getRows()[0].map((json) => JSON.parse(json as string)) as [number[], (string | null)[], (string | null)[]];
        if (ns.length !== size || outputs.length !== size) throw new Error(`internal: read ${ns.length} records for rows ${from}..${to - 1}`);
        for (let at = 0; at < size; at += BATCH_ROWS) {
          const end = Math.min(size, at + BATCH_ROWS);
          yield {n: ns.slice(at, end), output: outputs.slice(at, end), target: targets.slice(at, end), objects: null};
        }
      } else {
        const objects = reader.getRowObjects();
        for (let at = 0; at < objects.length; at += BATCH_ROWS) {
          const batch = objects.slice(at, at + BATCH_ROWS);
          yield {n: batch.map((o) => Number(o.n)), output: [], target: [], objects: batch};
        }
      }
    }
  } finally {
    // Stopped early (a judge's budget, an error): let the read in flight finish before the tables are dropped.
    await next?.catch(() => undefined);
  }
}

/**
 * Runs `scorer` with `rawParams` (validated against its schema: a zod error names scorer and field) over the
 * selected records of the warehouse, and returns what it did.
 */
export async function runScoring(wh: Warehouse, scorer: Scorer, rawParams: unknown, opts: ScoringOptions = {}): Promise<ScoringSummary> {
  const started = performance.now();
  const params = parseScorerParams(scorer, rawParams);
  const id = paramsIdentity(params);
  const ctx: ScoreContext = {services: opts.services ?? {}, signal: opts.signal};
  const filter = {benchmark: opts.benchmark ?? null, scorer: scorer.name, version: scorer.version, params_hash: id.hash};

  // Judge scores carry the judge's current audit verdict (issue 5); other kinds are not a matter of trust.
  const trust = scorer.kind === "judge" ? await currentTrust(wh, scorer.name, configurationHash(judgeConfiguration(params as Record<string, unknown>))) : null;
  // A connection of the run's own reads the records to do; the writer has two more.
  const reading = await wh.connect();
  const batch = scorer.scoreBatch;
  let selected: number, total: number, writer: ScoreWriter | undefined, todo: string | undefined;
  const limit = pLimit(opts.concurrency ?? 8);
  const mode = {async: false};
  const flushEvery = opts.flushEvery ?? FLUSH_ROWS;
  let done = 0;
  let errors = 0;
  let stopped: string | null = null;
  let runId = 0n;
  try {
    runId = (await reading.runAndReadAll("SELECT nextval('score_run_ids')")).getRows()[0][0] as bigint;
    const scratch = await attachScratch(reading);
    todo = `${scratch}.todo_${runId}`;
    const read = batch ? ["r.output", "r.target"] : RECORD_FIELDS.map((f) => READ_AS[RECORD_FIELD_KINDS[f]](f));
    await reading.run(`CREATE TABLE ${todo} AS ${selection(`CAST(row_number() OVER () - 1 AS INTEGER) AS n, r.record_id, ${read.join(", ")}`)}`, filter);
    total = Number((await reading.runAndReadAll(`SELECT count(*) FROM ${todo}`)).getRows()[0][0]);
    // Records selected = to do + already done; the second count is only needed when this run has scored before.
    const doneBefore = await reading.runAndReadAll(
      "SELECT count(*) > 0 FROM score_runs WHERE scorer = $scorer AND scorer_version = $version AND params_hash = $params_hash",
      {scorer: filter.scorer, version: filter.version, params_hash: filter.params_hash}
    );
    selected =
      doneBefore.getRows()[0][0] === true
        ? Number((await reading.runAndReadAll("SELECT count(*) FROM records_latest WHERE $benchmark::VARCHAR IS NULL OR benchmark = $benchmark", {benchmark: filter.benchmark})).getRows()[0][0])
        : total;
    writer = await ScoreWriter.open(wh, scratch, todo, {
      run_id: runId,
      scorer: scorer.name,
      version: scorer.version,
      kind: scorer.kind,
      params_hash: id.hash,
      params: id.json,
      trust,
      scored_at: timestampValue(BigInt(Date.now()) * 1000n)
    });

    opts.onProgress?.(0, total);
    const texts = batch ? ["output", "target"] : RECORD_FIELDS.filter((f) => !["int", "double", "bool"].includes(RECORD_FIELD_KINDS[f]));
    const ranges = await readRanges(reading, todo, total, texts, {rows: READ_ROWS, bytes: opts.readBytes ?? READ_BYTES});
    for await (const rows of batchesOf(reading, todo, ranges, batch !== undefined, opts.signal)) {
      let n = rows.n;
      let scores: BatchScores;
      let violations: (string | null)[];
      if (batch) {
        scores = checkBatch(scorer, batch.call(scorer, {output: rows.output, target: rows.target}, params, ctx), n.length);
        violations = new Array(n.length).fill(null);
      } else {
        const result = await scoreRows(scorer, rows.objects!, params, ctx, limit, mode);
        ({scores, violations, stopped} = result);
        if (stopped !== null) n = result.kept.map((i) => n[i]);
      }
      for (const e of scores.error) if (e !== null) errors++;
      if (n.length) writer.append(n, scores, violations);
      if (writer.pending >= flushEvery) await writer.flush();
      done += n.length;
      opts.onProgress?.(done, total);
      if (stopped !== null) break;
    }
  } finally {
    try {
      await writer?.close();
    } finally {
      if (todo) await reading.run(`DROP TABLE IF EXISTS ${todo}`);
      reading.closeSync();
    }
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    scorer: scorer.name,
    version: scorer.version,
    kind: scorer.kind,
    params,
    paramsHash: id.hash,
    selected,
    skipped: selected - total,
    scored: done,
    errors,
    seconds,
    recordsPerSecond: done / seconds,
    stopped,
    runId: Number(runId)
  };
}
