/**
 * Page "Registry" (src/registry.md): every benchmark the report knows of, with its dates, sources and the
 * data-quality facts of its results.
 *
 * - `registryDatasets`: the CodeSOTA registry export (782 datasets, no results), read from its verified snapshot,
 *   with task and area names; direction, split, tier and release date come from benchmarks.yaml for the datasets
 *   that snapshots/codesota-benchmarks.yaml maps to a bundled benchmark, and are null ("—") for all others.
 * - `registryBoards`: one row per leaderboard board (SWE-bench history, aider, tau-bench, tau2-bench) with rows,
 *   versions and dates; the lowercase SWE-bench boards `lite`/`test` are reported with their duplicate rows.
 * - `registryBoardHistory`: SWE-bench entries per board and leaderboard version, with the duplicated lowercase
 *   boards removed (rows flagged `duplicate-of-board`).
 * - `registryCorrections`: a leaderboard value that changed between consecutive versions of the same board entry:
 *   both values and the date of the version that changed it.
 * - `registryFlags`: every result row carrying a data-quality flag (results.notes `flag:<code> <text>`).
 */
import type {DuckDBConnection} from "@duckdb/node-api";
import {Float64, Table, Utf8, DateDay, vectorFromArray} from "apache-arrow";
import {join} from "node:path";
import {z} from "zod";
import {queryArrow} from "../arrow.ts";
import {describeZodIssues} from "../../../src/lib/zod-issues.ts";
import {readGzipText, verifySnapshot} from "../../snapshots/manifest.ts";
import {readYaml, SNAPSHOTS_DIR} from "../../snapshots/load-bundled.ts";

export const CODESOTA_SNAPSHOT = "2026-11-22-codesota-registry";
export const CODESOTA_MAPPING_FILE = "codesota-benchmarks.yaml";

const CodesotaDataset = z.object({
  id: z.string(),
  task: z.string().nullable(),
  name: z.string(),
  fullName: z.string().nullable(),
  primaryMetric: z.string().nullable(),
  paperUrl: z.string().nullable(),
  year: z.number().int().nullable(),
  sampleCount: z.number().nullable()
});
const Named = z.object({id: z.string(), name: z.string()});
const Task = Named.extend({area: z.string().nullable()});
const Mapping = z.array(z.object({codesota_id: z.string(), benchmark: z.string()}));

function readRegistryFile<T>(dir: string, file: string, schema: z.ZodType<T>): T[] {
  const path = join(dir, file);
  const rows = JSON.parse(readGzipText(path)) as unknown[];
  return rows.map((row, i) => {
    const parsed = schema.safeParse(row);
    if (!parsed.success) {
      throw new Error(`${path}: element ${i}: ${describeZodIssues(parsed.error)}`);
    }
    return parsed.data;
  });
}

/** The curated CodeSOTA id → bundled benchmark id mapping; fails naming the file and entry when malformed. */
export function readCodesotaMapping(snapshotsDir: string = SNAPSHOTS_DIR): Map<string, string> {
  const path = join(snapshotsDir, CODESOTA_MAPPING_FILE);
  const parsed = Mapping.safeParse(readYaml(path));
  if (!parsed.success) throw new Error(`${path}: ${describeZodIssues(parsed.error)} (path = entry number.field); each entry needs codesota_id and benchmark`);
  return new Map(parsed.data.map((m) => [m.codesota_id, m.benchmark]));
}

export interface RegistryRow {
  codesota_id: string;
  name: string;
  full_name: string | null;
  task: string | null;
  area: string | null;
  year: number | null;
  sample_count: number | null;
  primary_metric: string | null;
  paper_url: string | null;
  benchmark: string | null;
  direction: string | null;
  split: string | null;
  verification_tier: string | null;
  released: Date | null;
}

/** The registry rows (see the module comment); `curated` are the benchmarks table rows by id. */
export function registryRows(snapshotsDir: string, curated: ReadonlyMap<string, {direction: string | null; split: string | null; verification_tier: string | null; released: Date | null}>): RegistryRow[] {
  const dir = join(snapshotsDir, CODESOTA_SNAPSHOT);
  verifySnapshot(dir, CODESOTA_SNAPSHOT);
  const datasets = readRegistryFile(dir, "datasets.json.gz", CodesotaDataset);
  const tasks = new Map(readRegistryFile(dir, "tasks.json.gz", Task).map((t) => [t.id, t]));
  const areas = new Map(readRegistryFile(dir, "areas.json.gz", Named).map((a) => [a.id, a.name]));
  const mapping = readCodesotaMapping(snapshotsDir);
  for (const id of mapping.keys()) {
    if (!datasets.some((d) => d.id === id)) throw new Error(`${join(snapshotsDir, CODESOTA_MAPPING_FILE)}: codesota_id ${id} is not a dataset of ${CODESOTA_SNAPSHOT}`);
  }
  return datasets.map((d) => {
    const task = d.task === null ? undefined : tasks.get(d.task);
    const benchmark = mapping.get(d.id) ?? null;
    const facts = benchmark === null ? undefined : curated.get(benchmark);
    return {
      codesota_id: d.id,
      name: d.name,
      full_name: d.fullName,
      task: task?.name ?? d.task,
      area: task?.area ? (areas.get(task.area) ?? null) : null,
      year: d.year,
      sample_count: d.sampleCount,
      primary_metric: d.primaryMetric,
      paper_url: d.paperUrl,
      benchmark,
      direction: facts?.direction ?? null,
      split: facts?.split ?? null,
      verification_tier: facts?.verification_tier ?? null,
      released: facts?.released ?? null
    };
  });
}

export async function registryDatasets(connection: DuckDBConnection): Promise<Table> {
  const curated = new Map(
    (await connection.runAndReadAll("SELECT benchmark, direction, split, verification_tier, released FROM benchmarks")).getRowObjectsJS().map((r) => [
      String(r.benchmark),
      {
        direction: (r.direction as string | null) ?? null,
        split: (r.split as string | null) ?? null,
        verification_tier: (r.verification_tier as string | null) ?? null,
        released: r.released === null ? null : new Date(String(r.released))
      }
    ])
  );
  const rows = registryRows(SNAPSHOTS_DIR, curated);
  const text = (k: keyof RegistryRow) => vectorFromArray(rows.map((r) => (r[k] as string | null) ?? null), new Utf8());
  const num = (k: keyof RegistryRow) => vectorFromArray(rows.map((r) => (r[k] as number | null) ?? null), new Float64());
  return new Table({
    codesota_id: text("codesota_id"),
    name: text("name"),
    full_name: text("full_name"),
    area: text("area"),
    task: text("task"),
    year: num("year"),
    sample_count: num("sample_count"),
    primary_metric: text("primary_metric"),
    paper_url: text("paper_url"),
    benchmark: text("benchmark"),
    direction: text("direction"),
    split: text("split"),
    verification_tier: text("verification_tier"),
    released: vectorFromArray(rows.map((r) => r.released), new DateDay())
  });
}

/** Code of every flag in a notes text (`flag:<code> <text>` joined by "; "). */
export const FLAG_CODE_SQL = `regexp_extract_all(notes, 'flag:([a-z-]+)', 1)`;

export const BOARDS_SQL = `
SELECT r.benchmark, r.board,
       count(*)::INTEGER AS rows,
       count(DISTINCT r.entry_id)::INTEGER AS entries,
       count(DISTINCT r.snapshot_id)::INTEGER AS versions,
       min(r.as_of) AS first_as_of,
       max(r.as_of) AS last_as_of,
       count(*) FILTER (WHERE r.notes LIKE '%flag:duplicate-of-board%')::INTEGER AS duplicate_rows,
       count(*) FILTER (WHERE r.notes IS NOT NULL)::INTEGER AS flagged_rows,
       string_agg(DISTINCT r.source, ' ' ORDER BY r.source) AS source,
       -- One licence per board in the bundled data; min() rather than any_value() so a board with several always
       -- shows the same one.
       min(s.licence) AS licence
FROM results r
JOIN ingest_batches b USING (batch_id)
LEFT JOIN snapshots s ON s.snapshot_id = b.snapshot_id
GROUP BY r.benchmark, r.board
ORDER BY r.benchmark, r.board`;

export function registryBoards(connection: DuckDBConnection): Promise<Table> {
  return queryArrow(connection, BOARDS_SQL);
}

/** The leaderboard versions of the SWE-bench history (rows of `snapshots` that are part of the history bundle). */
export const LEADERBOARD_VERSION_SQL = `(s.manifest->>'part_of') = '2026-11-22-swebench-leaderboard-history'`;

/** SWE-bench entries per board and leaderboard version, lowercase duplicate boards removed. */
export const BOARD_HISTORY_SQL = `
SELECT s.snapshot_id, s.snapshot_date, r.board, r.benchmark, count(DISTINCT r.entry_id)::INTEGER AS entries
FROM results r JOIN snapshot_order s USING (snapshot_id)
WHERE ${LEADERBOARD_VERSION_SQL} AND coalesce(r.notes, '') NOT LIKE '%flag:duplicate-of-board%'
GROUP BY s.snapshot_id, s.snapshot_date, r.board, r.benchmark, s.version
-- Versions in the order they were taken (several share a date); benchmark makes the order total.
ORDER BY s.version, r.board, r.benchmark`;

export function registryBoardHistory(connection: DuckDBConnection): Promise<Table> {
  return queryArrow(connection, BOARD_HISTORY_SQL);
}

/**
 * Values that changed between consecutive versions of one board entry and metric: before, after, and when. Versions
 * go in the order they were taken (`snapshot_order`), which for versions committed on one day is not their ids' order.
 * An entry given twice with different values in one version (a collision, flagged on its rows) has no one value
 * there, so no correction is read into or out of that version; rows with equal values count once.
 */
export const CORRECTIONS_SQL = `
WITH versions AS (
  SELECT r.benchmark, r.board, r.entry_id, r.metric, r.snapshot_id, s.snapshot_date, s.version,
         arg_min(r.system, r.line) AS system, min(r.value) AS value,
         count(DISTINCT r.value) + max(CASE WHEN r.value IS NULL THEN 1 ELSE 0 END) = 1 AS one_value,
         string_agg(DISTINCT r.notes, '; ' ORDER BY r.notes) AS notes
  FROM results r JOIN snapshot_order s USING (snapshot_id)
  WHERE coalesce(r.notes, '') NOT LIKE '%flag:duplicate-of-board%'
  GROUP BY ALL
), h AS (
  SELECT *, lag(value) OVER w AS previous_value, lag(one_value) OVER w AS previous_one_value,
         lag(snapshot_date) OVER w AS previous_date, lag(snapshot_id) OVER w AS previous_snapshot_id
  FROM versions
  WINDOW w AS (PARTITION BY board, entry_id, metric ORDER BY version)
)
SELECT benchmark, board, entry_id, system, metric, previous_value, value AS corrected_value,
       snapshot_date AS corrected_on, previous_date, previous_snapshot_id, snapshot_id, notes AS flags
FROM h
WHERE previous_snapshot_id IS NOT NULL AND one_value AND previous_one_value AND value IS DISTINCT FROM previous_value
-- A total order: one row per (board, entry, metric, benchmark) and version.
ORDER BY version, board, entry_id, metric, benchmark`;

export function registryCorrections(connection: DuckDBConnection): Promise<Table> {
  return queryArrow(connection, CORRECTIONS_SQL);
}

export const FLAGS_SQL = `
SELECT regexp_extract(notes, 'flag:([a-z-]+)', 1) AS flag, r.benchmark, r.board, r.system, r.metric, r.value, r.as_of,
       r.snapshot_id, r.notes
FROM results r
WHERE r.notes IS NOT NULL
-- Then every other column, for a total order: a system is flagged in many versions (rows tied on every key are identical).
ORDER BY flag, r.benchmark, r.board, r.system, r.metric, r.as_of, r.snapshot_id, r.value, r.notes`;

export function registryFlags(connection: DuckDBConnection): Promise<Table> {
  return queryArrow(connection, FLAGS_SQL);
}
