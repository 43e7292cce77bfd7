/**
 * Loads the bundled snapshots (snapshots/<id>/) into a warehouse; `npm run build` calls this on a fresh one.
 *
 * For every snapshot folder: the manifest is validated and every file's sha256 and row count are checked
 * (a mismatch is an error naming the file, and nothing of that snapshot is loaded), then
 *   - a `snapshots` row (plus one per source snapshot declared in source-snapshots.jsonl.gz, e.g. each committed
 *     version of the SWE-bench leaderboard, with `manifest` = {"part_of": <bundle id>});
 *   - `*.results.jsonl.gz` -> `results` (validated by AggregateResult) + `result_attributes`, one transaction per file;
 *   - `*.records.jsonl.gz` -> `records` through the ingest API (`ingestFile`), which validates and quarantines;
 *   - `model_release_dates.csv.gz` -> `model_releases`.
 * Then snapshots/benchmarks.yaml -> `benchmarks`. Label files (TriviaQA, LLMBar), the registry and raw tables
 * stay files: the LLM-judge ingest and the page loaders read them from the snapshot folders.
 *
 * A bad results line is quarantined (file, line, field, reason) and counted in `rejected`, never inserted; the
 * bundled data has none, and the build fails if any appears.
 */
import {parse as parseCsv} from "csv-parse/sync";
import {randomUUID} from "node:crypto";
import {existsSync, readdirSync, readFileSync, statSync} from "node:fs";
import {join, resolve} from "node:path";
import {parse as parseYaml} from "yaml";
import {z} from "zod";
import {Benchmark, type SnapshotManifest} from "../../src/lib/schema.ts";
import {describeZodIssues} from "../../src/lib/zod-issues.ts";
import {ingestFile} from "../ingest/index.ts";
import {insertIngestBatch, insertQuarantine, PROJECT_ROOT, type QuarantinedRow, type Warehouse} from "../warehouse.ts";
import {readGzipText, sha256Hex, verifySnapshot} from "./manifest.ts";
import {parseResultLine, SOURCE_SNAPSHOTS_FILE, SourceSnapshot, withLoadFlags} from "./result-line.ts";

export const SNAPSHOTS_DIR = resolve(PROJECT_ROOT, "snapshots");
export const BENCHMARKS_FILE = "benchmarks.yaml";
const MODEL_RELEASES_FILE = "model_release_dates.csv.gz";

export interface LoadProgress {
  snapshot: string;
  step: "verify" | "results" | "records" | "releases" | "benchmarks" | "done";
  file?: string;
  rows?: number;
}

export interface LoadOptions {
  snapshotsDir?: string;
  onProgress?: (event: LoadProgress) => void;
}

export interface LoadSummary {
  /** Bundles loaded (folders with a manifest); source snapshots inside a bundle are not counted here. */
  snapshots: number;
  records: number;
  results: number;
  rejected: number;
}

/**
 * Snapshot folders under `dir`, sorted: every sub-folder is expected to be a snapshot with a manifest, except hidden
 * ones: a snapshot being written (make-snapshots' `.<id>.partial`, `benchlab snapshot`'s staging folder) is hidden
 * until it is renamed into place, and one a killed run left behind is not a snapshot.
 */
export function listSnapshotDirs(dir: string): string[] {
  if (!existsSync(dir)) throw new Error(`${dir}: snapshots folder not found`);
  return readdirSync(dir)
    .filter((name) => !name.startsWith(".") && statSync(join(dir, name)).isDirectory())
    .sort();
}

/** A YAML file, parsed; text that is not YAML is an error naming the file. */
export function readYaml(path: string): unknown {
  try {
    return parseYaml(readFileSync(path, "utf8"));
  } catch (err) {
    throw new Error(`${path}: not valid YAML (${(err as Error).message})`);
  }
}

/** A YAML file validated by `schema`; an error names the file and each bad field. */
export function readYamlAs<T>(path: string, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(readYaml(path));
  if (!parsed.success) throw new Error(`${path}: ${describeZodIssues(parsed.error)}`);
  return parsed.data;
}

/** Reads and validates snapshots/benchmarks.yaml; an invalid entry is an error naming the entry and field. */
export function readBenchmarks(path: string): Benchmark[] {
  const doc = readYaml(path);
  if (!Array.isArray(doc)) throw new Error(`${path}: expected a YAML list of benchmarks`);
  const seen = new Set<string>();
  return doc.map((entry, i) => {
    const parsed = Benchmark.safeParse(entry);
    if (!parsed.success) {
      throw new Error(`${path}: entry ${i + 1} (${(entry as {benchmark?: string})?.benchmark ?? "no id"}): ${describeZodIssues(parsed.error, "(entry)")}`);
    }
    if (seen.has(parsed.data.benchmark)) throw new Error(`${path}: entry ${i + 1}: benchmark "${parsed.data.benchmark}" is listed twice`);
    seen.add(parsed.data.benchmark);
    return parsed.data;
  });
}

async function run(wh: Warehouse, sql: string, params?: (string | number | null)[]): Promise<void> {
  await wh.connection.run(sql, params as never);
}

async function rows(wh: Warehouse, sql: string, params: (string | number)[]): Promise<Record<string, unknown>[]> {
  return (await wh.connection.runAndReadAll(sql, params as never)).getRowObjectsJS() as Record<string, unknown>[];
}

async function snapshotLoaded(wh: Warehouse, id: string): Promise<string | null> {
  const found = await rows(wh, "SELECT manifest::VARCHAR AS m FROM snapshots WHERE snapshot_id = $1", [id]);
  return found.length ? String(found[0].m) : null;
}

async function insertSnapshot(wh: Warehouse, m: SnapshotManifest, manifestJson: string): Promise<void> {
  await run(
    wh,
    `INSERT INTO snapshots (snapshot_id, snapshot_date, title, source, source_commit, methodology_version, licence, manifest)
     VALUES ($1, $2::DATE, $3, $4, $5, $6, $7, $8::JSON)`,
    [m.id, m.snapshot_date, m.title, m.source, m.source_commit ?? null, m.methodology_version, m.licence, manifestJson]
  );
}

/** The source snapshots a bundle declares in source-snapshots.jsonl.gz (none if it has no such file). */
function readSourceSnapshots(dir: string, manifest: SnapshotManifest): {snapshot: SourceSnapshot; line: number}[] {
  if (!manifest.files.some((f) => f.path === SOURCE_SNAPSHOTS_FILE)) return [];
  const path = join(dir, SOURCE_SNAPSHOTS_FILE);
  const out: {snapshot: SourceSnapshot; line: number}[] = [];
  readGzipText(path)
    .split("\n")
    .forEach((text, i) => {
      if (text.trim() === "") return;
      const parsed = SourceSnapshot.safeParse(JSON.parse(text));
      if (!parsed.success) throw new Error(`${path} line ${i + 1}: ${describeZodIssues(parsed.error)}`);
      out.push({snapshot: parsed.data, line: i + 1});
    });
  return out;
}

/** Registers a bundle and its source snapshots; done last, so a bundle only appears once all its rows are in. */
async function registerSnapshots(wh: Warehouse, manifest: SnapshotManifest, sources: {snapshot: SourceSnapshot; line: number}[]): Promise<void> {
  await insertSnapshot(wh, manifest, JSON.stringify(manifest));
  for (const {snapshot: s, line} of sources) {
    await insertSnapshot(
      wh,
      {...manifest, id: s.snapshot_id, snapshot_date: s.snapshot_date, title: s.title, source: s.source, source_commit: s.source_commit ?? null},
      JSON.stringify({part_of: manifest.id, file: SOURCE_SNAPSHOTS_FILE, line})
    );
  }
}

/** A line error that names the offending field. */
class FieldError extends Error {
  constructor(
    readonly field: string,
    message: string
  ) {
    super(message);
  }
}

function fieldOf(err: unknown): {field: string | null; reason: string} {
  if (err instanceof FieldError) return {field: err.field, reason: err.message};
  if (err instanceof z.ZodError) {
    const first = err.issues[0];
    return {field: first.path.join(".") || null, reason: describeZodIssues(err, "(row)")};
  }
  return {field: null, reason: (err as Error).message};
}

/**
 * Loads one `*.results.jsonl.gz` file in one transaction: valid lines into `results` and `result_attributes`
 * (with the DuckDB appender), invalid ones into `quarantine`. Returns rows stored and rejected.
 */
async function loadResultsFile(
  wh: Warehouse,
  path: string,
  fileSha: string,
  bundleId: string,
  knownSnapshots: Set<string>
): Promise<{ok: number; rejected: number}> {
  const lines = readGzipText(path).split("\n");
  await run(wh, "BEGIN TRANSACTION");
  try {
    const batchId = randomUUID();
    const results = await wh.connection.createAppender("results");
    const attrs = await wh.connection.createAppender("result_attributes");
    const bad: QuarantinedRow[] = [];
    let ok = 0;
    for (let i = 0; i < lines.length; i++) {
      const text = lines[i];
      if (text.trim() === "") continue;
      const line = i + 1;
      let parsed: ReturnType<typeof parseResultLine>;
      try {
        const raw = JSON.parse(text);
        if (raw?.constructor === Object && raw.snapshot_id == null) {
          throw new FieldError("snapshot_id", `snapshot_id missing: every line names its snapshot; write this bundle's id (${bundleId})`);
        }
        parsed = parseResultLine(raw);
        if (!knownSnapshots.has(parsed.result.snapshot_id)) {
          throw new FieldError("snapshot_id", `snapshot_id "${parsed.result.snapshot_id}" is neither this bundle (${bundleId}) nor declared in its ${SOURCE_SNAPSHOTS_FILE}`);
        }
      } catch (err) {
        bad.push({line, ...fieldOf(err), raw: text});
        continue;
      }
      const r = withLoadFlags(parsed.result);
      const text_ = (v: string | null | undefined) => (v == null ? results.appendNull() : results.appendVarchar(v));
      const double = (v: number | null | undefined) => (v == null ? results.appendNull() : results.appendDouble(v));
      results.appendVarchar(r.board);
      results.appendVarchar(r.benchmark);
      results.appendVarchar(r.snapshot_id);
      results.appendVarchar(r.entry_id);
      results.appendVarchar(r.system);
      text_(r.model);
      results.appendVarchar(r.metric);
      double(r.value);
      if (r.n == null) results.appendNull();
      else results.appendBigInt(BigInt(r.n));
      results.appendVarchar(r.as_of);
      text_(r.submitted);
      results.appendVarchar(r.source);
      results.appendVarchar(r.verification_tier);
      double(r.cost_usd);
      text_(r.notes);
      results.appendVarchar(sha256Hex(Buffer.from(text, "utf8")));
      results.appendVarchar(batchId);
      results.appendBigInt(BigInt(line));
      results.endRow();
      for (const [attribute, value] of Object.entries(parsed.attributes)) {
        attrs.appendVarchar(batchId);
        attrs.appendBigInt(BigInt(line));
        attrs.appendVarchar(attribute);
        attrs.appendVarchar(value);
        attrs.endRow();
      }
      ok++;
    }
    results.flushSync();
    results.closeSync();
    attrs.flushSync();
    attrs.closeSync();
    const at = new Date();
    await insertQuarantine(wh.connection, {batchId, file: path, at}, bad);
    await insertIngestBatch(wh.connection, {
      batchId,
      file: path,
      fileSha256: fileSha,
      ingestedAt: at,
      snapshotId: bundleId,
      kind: "results",
      rowsOk: ok,
      rowsDuplicate: 0,
      rowsCorrected: 0,
      rowsRejected: bad.length,
      options: null
    });
    await run(wh, "COMMIT");
    return {ok, rejected: bad.length};
  } catch (err) {
    await run(wh, "ROLLBACK");
    throw err;
  }
}

/** Loads SWE-bench's model release dates (model_tag, release_date, source_url) into `model_releases`. */
async function loadModelReleases(wh: Warehouse, path: string, snapshotId: string): Promise<number> {
  const rows = parseCsv(readGzipText(path), {columns: true, bom: true}) as Record<string, string>[];
  const appender = await wh.connection.createAppender("model_releases");
  rows.forEach((r, i) => {
    if (!r.model_tag || !/^\d{4}-\d{2}-\d{2}$/.test(r.release_date ?? "")) {
      throw new Error(`${path} line ${i + 2}: expected model_tag and release_date YYYY-MM-DD, got ${JSON.stringify(r)}`);
    }
    appender.appendVarchar(r.model_tag);
    appender.appendVarchar(r.release_date);
    if (r.source_url) appender.appendVarchar(r.source_url);
    else appender.appendNull();
    appender.appendVarchar(snapshotId);
    appender.endRow();
  });
  appender.flushSync();
  appender.closeSync();
  return rows.length;
}

async function loadBenchmarks(wh: Warehouse, path: string): Promise<number> {
  const benchmarks = readBenchmarks(path);
  for (const b of benchmarks) {
    await run(
      wh,
      `INSERT OR REPLACE INTO benchmarks (benchmark, task, dataset, metric, direction, split, verification_tier, source_url, licence, released, notes)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::DATE, $11)`,
      [b.benchmark, b.task, b.dataset, b.metric, b.direction, b.split ?? null, b.verification_tier, b.source_url ?? null, b.licence ?? null, b.released ?? null, b.notes ?? null]
    );
  }
  return benchmarks.length;
}

/**
 * Loads every bundled snapshot into `wh`. A snapshot already in the warehouse with the same manifest is skipped;
 * with a different manifest it is an error (build into a fresh warehouse instead).
 */
export async function loadBundledSnapshots(wh: Warehouse, opts: LoadOptions = {}): Promise<LoadSummary> {
  const dir = opts.snapshotsDir ?? SNAPSHOTS_DIR;
  const progress = opts.onProgress ?? (() => {});
  const summary: LoadSummary = {snapshots: 0, records: 0, results: 0, rejected: 0};
  const folders = listSnapshotDirs(dir);
  // Verify everything before loading anything: a tampered file fails the load before a single row is written.
  const manifests = folders.map((name) => {
    progress({snapshot: name, step: "verify"});
    return {name, manifest: verifySnapshot(join(dir, name), name)};
  });
  for (const {name, manifest} of manifests) {
    const snapshotDir = join(dir, name);
    const manifestJson = JSON.stringify(manifest);
    const existing = await snapshotLoaded(wh, manifest.id);
    if (existing !== null) {
      if (JSON.stringify(JSON.parse(existing)) === manifestJson) continue;
      throw new Error(`${join(snapshotDir, "manifest.json")}: snapshot ${manifest.id} is already in ${wh.path} with a different manifest; load into a fresh warehouse`);
    }
    const partial = await rows(wh, "SELECT count(*)::DOUBLE AS n FROM ingest_batches WHERE snapshot_id = $1", [manifest.id]);
    if (Number(partial[0].n) > 0) {
      throw new Error(`${wh.path}: holds rows of snapshot ${manifest.id} from an interrupted load (no snapshots row); load into a fresh warehouse`);
    }
    const sources = readSourceSnapshots(snapshotDir, manifest);
    const known = new Set([manifest.id, ...sources.map((x) => x.snapshot.snapshot_id)]);
    for (const file of manifest.files) {
      const path = join(snapshotDir, file.path);
      if (file.kind === "results") {
        const {ok, rejected} = await loadResultsFile(wh, path, file.sha256, manifest.id, known);
        summary.results += ok;
        summary.rejected += rejected;
        progress({snapshot: name, step: "results", file: file.path, rows: ok});
      } else if (file.kind === "records") {
        const ingested = await ingestFile(wh, path, {snapshotId: manifest.id});
        const stored = ingested.rowsOk + ingested.rowsCorrected;
        summary.records += stored;
        summary.rejected += ingested.rowsRejected;
        progress({snapshot: name, step: "records", file: file.path, rows: stored});
      } else if (file.path === MODEL_RELEASES_FILE) {
        const rows = await loadModelReleases(wh, path, manifest.id);
        progress({snapshot: name, step: "releases", file: file.path, rows});
      }
    }
    await registerSnapshots(wh, manifest, sources);
    summary.snapshots++;
    progress({snapshot: name, step: "done"});
  }
  const benchmarksPath = join(dir, BENCHMARKS_FILE);
  if (existsSync(benchmarksPath)) {
    const rows = await loadBenchmarks(wh, benchmarksPath);
    progress({snapshot: BENCHMARKS_FILE, step: "benchmarks", rows});
  }
  return summary;
}
