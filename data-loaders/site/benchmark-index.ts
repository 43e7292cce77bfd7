/**
 * The landing page's table: one row per benchmark in the warehouse, whether it was curated in `benchmarks`,
 * has per-item `records`, or only leaderboard `results`.
 *
 * Curated facts (direction, default verification tier, licence, release date) come from `benchmarks` and are
 * null ("—" on the page) where nobody curated them; split, tier and source fall back to what the records,
 * results and snapshots say. Counts are real counts of each kind of data: per-item records, leaderboard rows, and
 * for judge benchmarks (TriviaQA judges, LLMBar) the human/gold labels (`human_labels`) and recorded judge verdicts
 * (`recorded_scores` on the label files' items, `label_items`); 0 means none of that kind. Dates are the snapshot
 * dates of the data bundled for that benchmark, labels included.
 *
 * A label dataset is named by its snapshot id (e.g. 2026-11-22-triviaqa-judges-human); it belongs to the benchmark
 * whose name appears in that id as a whole dash-separated part (the longest such name). A dataset matching no
 * benchmark gets a row of its own, named by the dataset, rather than being dropped.
 */
import type {DuckDBConnection} from "@duckdb/node-api";
import type {Table} from "apache-arrow";
import {queryArrow} from "./arrow.ts";

/** Each label dataset (a snapshot id) with the benchmark it belongs to (see the module comment). */
const LABEL_BENCHMARK_SQL = `
  SELECT d.dataset,
         coalesce(arg_max(b.benchmark, length(b.benchmark)) FILTER (WHERE b.benchmark IS NOT NULL), d.dataset) AS benchmark
  FROM (SELECT dataset FROM human_labels UNION SELECT dataset FROM label_items) d
    LEFT JOIN benchmarks b ON ('-' || d.dataset || '-') LIKE ('%-' || b.benchmark || '-%')
  GROUP BY d.dataset`;

/**
 * (benchmark, snapshot_id) for every snapshot a benchmark's data comes from: its records (including those an earlier
 * snapshot stored first: snapshot_records), its leaderboard rows, its labels and verdicts. The index's dates and the
 * page's stamp both rest on it.
 */
const BENCHMARK_SNAPSHOTS_SQL = `
  SELECT DISTINCT r.benchmark, m.snapshot_id FROM snapshot_records m JOIN records r USING (record_id)
  UNION SELECT DISTINCT benchmark, snapshot_id FROM results
  UNION SELECT benchmark, dataset FROM (${LABEL_BENCHMARK_SQL})`;

/** The snapshots the index's table rests on: the landing page's stamp. */
export const BENCHMARK_SOURCES_SQL = `
SELECT DISTINCT snapshot_id FROM (${BENCHMARK_SNAPSHOTS_SQL}) JOIN snapshots USING (snapshot_id)
ORDER BY snapshot_id`;

export function benchmarkSources(connection: DuckDBConnection): Promise<Table> {
  return queryArrow(connection, BENCHMARK_SOURCES_SQL);
}

export const BENCHMARK_INDEX_SQL = `
WITH label_benchmark AS (${LABEL_BENCHMARK_SQL}),
names AS (
  SELECT benchmark FROM benchmarks UNION SELECT benchmark FROM records UNION SELECT benchmark FROM results
  UNION SELECT benchmark FROM label_benchmark
),
per_label AS (
  SELECT lb.benchmark,
         (SELECT count(*) FROM human_labels h JOIN label_benchmark b USING (dataset) WHERE b.benchmark = lb.benchmark) AS labels,
         (SELECT count(*) FROM recorded_scores s
          JOIN (SELECT DISTINCT b.benchmark, i.key_hash FROM label_items i JOIN label_benchmark b USING (dataset)) k USING (key_hash)
          WHERE k.benchmark = lb.benchmark) AS judge_verdicts
  FROM (SELECT DISTINCT benchmark FROM label_benchmark) lb
),
per_record AS (
  SELECT benchmark,
         count(*) AS records,
         count(DISTINCT model) AS models,
         string_agg(DISTINCT split, ', ' ORDER BY split) AS splits
  FROM records_latest GROUP BY benchmark
),
per_result AS (
  SELECT benchmark,
         count(*) AS results,
         string_agg(DISTINCT verification_tier, ', ' ORDER BY verification_tier) AS tiers,
         string_agg(DISTINCT source, ' ' ORDER BY source) AS sources
  FROM results GROUP BY benchmark
),
per_snapshot AS (
  SELECT u.benchmark,
         min(s.snapshot_date) AS first_snapshot,
         max(s.snapshot_date) AS last_snapshot,
         string_agg(DISTINCT s.source, ' ' ORDER BY s.source) AS sources,
         string_agg(DISTINCT s.licence, '; ' ORDER BY s.licence) AS licences
  FROM (${BENCHMARK_SNAPSHOTS_SQL}) u JOIN snapshots s USING (snapshot_id)
  GROUP BY u.benchmark
)
SELECT n.benchmark,
       b.direction,
       coalesce(b.split, r.splits) AS split,
       coalesce(b.verification_tier, x.tiers) AS verification_tier,
       b.released,
       p.first_snapshot,
       p.last_snapshot,
       coalesce(r.records, 0) AS records,
       coalesce(r.models, 0) AS models,
       coalesce(x.results, 0) AS results,
       coalesce(l.labels, 0) AS labels,
       coalesce(l.judge_verdicts, 0) AS judge_verdicts,
       coalesce(b.source_url, p.sources, x.sources) AS source,
       coalesce(b.licence, p.licences) AS licence
FROM names n
LEFT JOIN benchmarks b USING (benchmark)
LEFT JOIN per_record r USING (benchmark)
LEFT JOIN per_result x USING (benchmark)
LEFT JOIN per_snapshot p USING (benchmark)
LEFT JOIN per_label l USING (benchmark)
ORDER BY n.benchmark`;

/** The benchmark index as an Arrow table (columns as selected in `BENCHMARK_INDEX_SQL`). */
export function benchmarkIndex(connection: DuckDBConnection): Promise<Table> {
  return queryArrow(connection, BENCHMARK_INDEX_SQL);
}
