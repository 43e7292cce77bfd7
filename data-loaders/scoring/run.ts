/**
 * A scoring run: one scorer, with one set of parameters, over the latest warehouse records, writing one `scores`
 * row per record with the scorer's name, version, kind, the canonical params and their sha256, and the time.
 *
 * Provenance rules: a record already scored by the same scorer version and params (same key_hash and
 * content_hash) is skipped, so a re-run does no work twice; a new version or new params add rows and never
 * overwrite old ones. A scorer that throws on a record stores the error, with no value, and the run goes on.
 *
 * Speed: the records to do are first numbered into a temporary table (one pass over `records_latest`), then read
 * back in ranges (output and target as one JSON array per range), scored as vectors of 2,048 when the scorer
 * offers `scoreBatch`, and written with an appender into a staging table holding only the row number and the
 * results. One INSERT per flush joins the staging rows to the numbered records for the hashes and adds the run's
 * constant columns (scorer, version, params, time), so neither the hashes nor the constants cross into JavaScript.
 */
import {DuckDBDataChunk, timestampValue, type DuckDBAppender, type DuckDBConnection, type DuckDBValue} from "@duckdb/node-api";
import pLimit from "p-limit";
import {RECORD_FIELD_KINDS, type FieldKind} from "../../src/lib/schema.ts";
import {normaliseResult, parseScorerParams, type BatchScores, type Score, type ScorableRecord, type ScoreContext, type ScoreResult, type Scorer} from "../../src/lib/scorer.ts";
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
  /** Rows staged before they are moved into `scores` (a crash loses at most this much work); default FLUSH_ROWS. */
  flushEvery?: number;
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
 * Staged rows moved into `scores` per INSERT. DuckDB writes an insert of at least a row group (122,880 rows)
 * straight into the database file; smaller ones go through the write-ahead log and a checkpoint, which measured
 * 2.6x slower per row here (100,000 rows: 48,000 rows/s; 300,000 rows: 126,000 rows/s). A crash loses at most
 * this many scores, which a re-run redoes.
 */
const FLUSH_ROWS = 500_000;

/** Rows read from the numbered table per query; scored and written in vectors of BATCH_ROWS. */
const READ_ROWS = 65_536;

/** The records still to score: latest version of each key, not yet scored by this scorer version and params. */
function selection(columns: string): string {
  return `SELECT ${columns} FROM records_latest r
WHERE ($benchmark::VARCHAR IS NULL OR r.benchmark = $benchmark)
  AND NOT EXISTS (SELECT 1 FROM scores s WHERE s.key_hash = r.key_hash AND s.content_hash = r.content_hash
                  AND s.scorer = $scorer AND s.scorer_version = $version AND s.params_hash = $params_hash)`;
}

/** Writes results by row number in DuckDB chunks; `flush` moves them into `scores` with the run's constants. */
class ScoreWriter {
  private staged = 0;
  private constructor(
    private readonly conn: DuckDBConnection,
    private readonly appender: DuckDBAppender,
    private readonly constants: Record<string, DuckDBValue>
  ) {}

  static async open(conn: DuckDBConnection, constants: Record<string, DuckDBValue>): Promise<ScoreWriter> {
    await conn.run("CREATE OR REPLACE TEMP TABLE score_staging (n INTEGER, value DOUBLE, passed BOOLEAN, explanation VARCHAR, violations VARCHAR, error VARCHAR)");
    return new ScoreWriter(conn, await conn.createAppender("score_staging"), constants);
  }

  append(n: readonly number[], scores: BatchScores, violations: (string | null)[]): void {
    const types = Array.from({length: 6}, (_, i) => this.appender.columnType(i));
    const columns = [n, scores.value, scores.passed, scores.explanation, violations, scores.error];
    // A DuckDB data chunk holds at most BATCH_ROWS (the vector size) rows.
    for (let at = 0; at < n.length; at += BATCH_ROWS) {
      const size = Math.min(BATCH_ROWS, n.length - at);
      const chunk = DuckDBDataChunk.create(types, size);
      chunk.setColumns(at === 0 && size === n.length ? columns : columns.map((c) => c.slice(at, at + size)));
      this.appender.appendDataChunk(chunk);
    }
    this.staged += n.length;
  }

  get pending(): number {
    return this.staged;
  }

  async flush(): Promise<void> {
    if (this.staged === 0) return;
    this.appender.flushSync();
    await this.conn.run(
      `INSERT INTO scores SELECT t.content_hash, t.key_hash, $scorer, $version, $kind, $params_hash, CAST($params AS JSON),
         s.value, s.passed, s.explanation, CAST(s.violations AS JSON), s.error, $trust, $scored_at
       FROM score_staging s JOIN scoring_todo t USING (n)`,
      this.constants
    );
    await this.conn.run("DELETE FROM score_staging");
    this.staged = 0;
  }

  async close(): Promise<void> {
    await this.flush();
    this.appender.closeSync();
    await this.conn.run("DROP TABLE IF EXISTS score_staging");
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
 * its record stays unscored (left out of `kept`), so a re-run picks it up.
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
  const failed = (i: number, err: unknown) => {
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
  for (let i = 0; i < n; i++) {
    const v = scores.value[i];
    if (v !== null && !(v >= 0 && v <= 1)) throw new Error(`scorer "${scorer.name}": scoreBatch returned value ${v} for record ${i}, expected a number in [0, 1] or null`);
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
 * Reads the numbered records in ranges of READ_ROWS and yields them in batches of at most BATCH_ROWS (DuckDB's
 * vector size). The vectorised path reads output and target as one JSON array per range and column: DuckDB
 * writes it and V8 parses it several times faster than values cross the binding one by one. The generic path
 * reads row objects of every record field.
 */
async function* batchesOf(conn: DuckDBConnection, total: number, vectorised: boolean, signal?: AbortSignal): AsyncGenerator<RowBatch> {
  for (let from = 0; from < total; from += READ_ROWS) {
    signal?.throwIfAborted();
    const to = Math.min(total, from + READ_ROWS);
    const range = {from, to};
    if (vectorised) {
      const reader = await conn.runAndReadAll(
        "SELECT CAST(to_json(list(output ORDER BY n)) AS VARCHAR), CAST(to_json(list(target ORDER BY n)) AS VARCHAR) FROM scoring_todo WHERE n >= $from AND n < $to",
        range
      );
      const [outputs, targets] = reader.getRows()[0].map((json) => JSON.parse(json as string) as (string | null)[]);
      if (outputs.length !== to - from) throw new Error(`internal: read ${outputs.length} records for rows ${from}..${to - 1}`);
      for (let at = 0; at < outputs.length; at += BATCH_ROWS) {
        const size = Math.min(BATCH_ROWS, outputs.length - at);
        yield {n: Array.from({length: size}, (_, i) => from + at + i), output: outputs.slice(at, at + size), target: targets.slice(at, at + size), objects: null};
      }
    } else {
      const result = await conn.run(`SELECT n, ${RECORD_FIELDS.join(", ")} FROM scoring_todo WHERE n >= $from AND n < $to ORDER BY n`, range);
      for (let c = 0; c < result.chunkCount; c++) {
        const chunk = result.getChunk(c);
        yield {n: chunk.getColumnValues(0) as number[], output: [], target: [], objects: chunk.getRowObjects(["n", ...RECORD_FIELDS])};
      }
    }
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
  // A connection of the run's own: its temporary tables (the numbered records, the staging rows) stay private.
  const conn = await wh.instance.connect();
  const batch = scorer.scoreBatch;
  let selected: number, total: number, writer: ScoreWriter;
  try {
    // Records selected = to do + already done; the second count is only needed when this run has scored before.
    const doneBefore = await conn.runAndReadAll(
      "SELECT count(*) > 0 FROM scores WHERE scorer = $scorer AND scorer_version = $version AND params_hash = $params_hash",
      {scorer: filter.scorer, version: filter.version, params_hash: filter.params_hash}
    );
    const anyDone = doneBefore.getRows()[0][0] === true;
    const read = batch ? ["r.output", "r.target"] : RECORD_FIELDS.map((f) => READ_AS[RECORD_FIELD_KINDS[f]](f));
    await conn.run(
      `CREATE OR REPLACE TEMP TABLE scoring_todo AS ${selection(`CAST(row_number() OVER () - 1 AS INTEGER) AS n, r.key_hash, r.content_hash, ${read.join(", ")}`)}`,
      filter
    );
    total = Number((await conn.runAndReadAll("SELECT count(*) FROM scoring_todo")).getRows()[0][0]);
    selected = anyDone
      ? Number((await conn.runAndReadAll("SELECT count(*) FROM records_latest WHERE $benchmark::VARCHAR IS NULL OR benchmark = $benchmark", {benchmark: filter.benchmark})).getRows()[0][0])
      : total;
    writer = await ScoreWriter.open(conn, {
      scorer: scorer.name,
      version: scorer.version,
      kind: scorer.kind,
      params_hash: id.hash,
      params: id.json,
      trust,
      scored_at: timestampValue(BigInt(Date.now()) * 1000n)
    });
  } catch (err) {
    conn.closeSync();
    throw err;
  }

  const limit = pLimit(opts.concurrency ?? 8);
  const mode = {async: false};
  const flushEvery = opts.flushEvery ?? FLUSH_ROWS;
  let done = 0;
  let errors = 0;
  let stopped: string | null = null;
  try {
    opts.onProgress?.(0, total);
    for await (const rows of batchesOf(conn, total, batch !== undefined, opts.signal)) {
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
    await writer.close();
    await conn.run("DROP TABLE IF EXISTS scoring_todo");
    conn.closeSync();
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
    stopped
  };
}
