/**
 * A scoring run: one scorer, with one set of parameters, over the latest warehouse records, writing one `scores`
 * row per record with the scorer's name, version, kind, the canonical params and their sha256, and the time.
 *
 * Provenance rules: a record already scored by the same scorer version and params (same key_hash and
 * content_hash) is skipped, so a re-run does no work twice; a new version or new params add rows and never
 * overwrite old ones. A scorer that throws on a record stores the error, with no value, and the run goes on.
 *
 * Speed: records are read from DuckDB one chunk (2,048 rows) at a time, scored as vectors when the scorer offers
 * `scoreBatch`, and written back with an appender into a staging table that is moved into `scores` by one
 * INSERT per flush, so the constant columns (scorer, version, params, time) never cross into JavaScript.
 */
import {DuckDBDataChunk, timestampValue, type DuckDBAppender, type DuckDBConnection, type DuckDBResult, type DuckDBValue} from "@duckdb/node-api";
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
  /** Called after every chunk with records done so far and the total to do. */
  onProgress?: (done: number, total: number) => void;
  /** Rows staged before they are moved into `scores` (a crash loses at most this much work). */
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

const STAGING = `CREATE OR REPLACE TEMP TABLE score_staging (
  key_hash VARCHAR, content_hash VARCHAR, value DOUBLE, passed BOOLEAN, explanation VARCHAR, violations VARCHAR, error VARCHAR)`;

/** The records still to score: latest version of each key, not yet scored by this scorer version and params. */
function selection(columns: string): string {
  return `SELECT ${columns} FROM records_latest r
WHERE ($benchmark::VARCHAR IS NULL OR r.benchmark = $benchmark)
  AND NOT EXISTS (SELECT 1 FROM scores s WHERE s.key_hash = r.key_hash AND s.content_hash = r.content_hash
                  AND s.scorer = $scorer AND s.scorer_version = $version AND s.params_hash = $params_hash)`;
}

/** Writes staged rows in DuckDB chunks; `flush` moves them into `scores` with the run's constant columns. */
class ScoreWriter {
  private staged = 0;
  private constructor(
    private readonly conn: DuckDBConnection,
    private readonly appender: DuckDBAppender,
    private readonly constants: Record<string, DuckDBValue>
  ) {}

  static async open(conn: DuckDBConnection, constants: Record<string, DuckDBValue>): Promise<ScoreWriter> {
    await conn.run(STAGING);
    return new ScoreWriter(conn, await conn.createAppender("score_staging"), constants);
  }

  append(keyHash: readonly DuckDBValue[], contentHash: readonly DuckDBValue[], scores: BatchScores, violations: (string | null)[]): void {
    const types = Array.from({length: 7}, (_, i) => this.appender.columnType(i));
    const columns = [keyHash, contentHash, scores.value, scores.passed, scores.explanation, violations, scores.error];
    // A DuckDB data chunk holds at most BATCH_ROWS (the vector size) rows.
    for (let at = 0; at < keyHash.length; at += BATCH_ROWS) {
      const n = Math.min(BATCH_ROWS, keyHash.length - at);
      const chunk = DuckDBDataChunk.create(types, n);
      chunk.setColumns(at === 0 && n === keyHash.length ? columns : columns.map((c) => c.slice(at, at + n)));
      this.appender.appendDataChunk(chunk);
    }
    this.staged += keyHash.length;
  }

  get pending(): number {
    return this.staged;
  }

  async flush(): Promise<void> {
    if (this.staged === 0) return;
    this.appender.flushSync();
    await this.conn.run(
      `INSERT INTO scores SELECT content_hash, key_hash, $scorer, $version, $kind, $params_hash, CAST($params AS JSON),
         value, passed, explanation, CAST(violations AS JSON), error, $trust, $scored_at FROM score_staging`,
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

/** Rows gathered from one or more result chunks: columns by position, or (generic path) row objects. */
interface RowBatch {
  keyHash: DuckDBValue[];
  contentHash: DuckDBValue[];
  columns: DuckDBValue[][];
  objects: Record<string, DuckDBValue>[] | null;
}

/**
 * Reads the stream in batches of at least BATCH_ROWS rows. DuckDB may hand back small chunks (a parallel anti-join
 * emits a few rows per thread); gathering them keeps a judge's concurrency limit busy and vectors long.
 * `columnCount` set: read that many columns by position; null: read row objects of every record field.
 */
async function* batchesOf(result: DuckDBResult, columnCount: number | null, signal?: AbortSignal): AsyncGenerator<RowBatch> {
  const names = ["key_hash", "content_hash", ...RECORD_FIELDS];
  let pending: RowBatch = {keyHash: [], contentHash: [], columns: [], objects: columnCount === null ? [] : null};
  for (;;) {
    signal?.throwIfAborted();
    const chunk = await result.fetchChunk();
    const end = !chunk || chunk.rowCount === 0;
    if (!end) {
      const first = pending.keyHash.length === 0;
      const cols = columnCount === null ? [chunk.getColumnValues(0), chunk.getColumnValues(1)] : Array.from({length: columnCount}, (_, i) => chunk.getColumnValues(i));
      // The first chunk's arrays are taken as they are; later chunks are appended (no copy in the common case).
      if (first) pending.columns = cols;
      else cols.forEach((c, i) => pending.columns[i].push(...c));
      if (pending.objects) pending.objects.push(...chunk.getRowObjects(names));
      pending.keyHash = pending.columns[0];
      pending.contentHash = pending.columns[1];
    }
    if (pending.keyHash.length > 0 && (end || pending.keyHash.length >= BATCH_ROWS)) {
      yield pending;
      pending = {keyHash: [], contentHash: [], columns: [], objects: columnCount === null ? [] : null};
    }
    if (end) return;
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

  const countRow = await wh.connection.runAndReadAll(
    `SELECT count(*) FILTER (WHERE $benchmark::VARCHAR IS NULL OR benchmark = $benchmark) FROM records_latest`,
    {benchmark: filter.benchmark}
  );
  const selected = Number(countRow.getRows()[0][0]);
  const todoRow = await wh.connection.runAndReadAll(selection("count(*)"), filter);
  const total = Number(todoRow.getRows()[0][0]);

  // Judge scores carry the judge's current audit verdict (issue 5); other kinds are not a matter of trust.
  const trust = scorer.kind === "judge" ? await currentTrust(wh, scorer.name, configurationHash(judgeConfiguration(params as Record<string, unknown>))) : null;
  const writeConn = await wh.instance.connect();
  const writer = await ScoreWriter.open(writeConn, {
    scorer: scorer.name,
    version: scorer.version,
    kind: scorer.kind,
    params_hash: id.hash,
    params: id.json,
    trust,
    scored_at: timestampValue(BigInt(Date.now()) * 1000n)
  });

  const batch = scorer.scoreBatch;
  const columns = batch ? "r.key_hash, r.content_hash, r.output, r.target" : `r.key_hash, r.content_hash, ${RECORD_FIELDS.map((f) => READ_AS[RECORD_FIELD_KINDS[f]](f)).join(", ")}`;
  const limit = pLimit(opts.concurrency ?? 8);
  const mode = {async: false};
  const flushEvery = opts.flushEvery ?? 100_000;
  let done = 0;
  let errors = 0;
  let stopped: string | null = null;
  try {
    const result = await wh.connection.stream(selection(columns), filter);
    opts.onProgress?.(0, total);
    for await (const rows of batchesOf(result, batch ? 4 : null, opts.signal)) {
      const n = rows.keyHash.length;
      let {keyHash, contentHash} = rows;
      let scores: BatchScores;
      let violations: (string | null)[];
      if (batch) {
        scores = checkBatch(scorer, batch.call(scorer, {output: rows.columns[2] as (string | null)[], target: rows.columns[3] as (string | null)[]}, params, ctx), n);
        violations = new Array(n).fill(null);
      } else {
        const result = await scoreRows(scorer, rows.objects!, params, ctx, limit, mode);
        ({scores, violations, stopped} = result);
        if (stopped !== null) {
          keyHash = result.kept.map((i) => keyHash[i]);
          contentHash = result.kept.map((i) => contentHash[i]);
        }
      }
      for (const e of scores.error) if (e !== null) errors++;
      if (keyHash.length) writer.append(keyHash, contentHash, scores, violations);
      if (writer.pending >= flushEvery) await writer.flush();
      done += keyHash.length;
      opts.onProgress?.(done, total);
      if (stopped !== null) break;
    }
  } finally {
    await writer.close();
    writeConn.closeSync();
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
