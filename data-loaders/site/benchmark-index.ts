/**
 * The landing page's table: one row per benchmark in the warehouse, whether it was curated in `benchmarks`,
 * has per-item `records`, or only leaderboard `results`.
 *
 * Curated facts (direction, default verification tier, licence, release date) come from `benchmarks` and are
 * null ("—" on the page) where nobody curated them; split, tier and source fall back to what the records,
 * results and snapshots say. Counts are real counts (0 means none bundled). Dates are the snapshot dates of the
 * data bundled for that benchmark.
 */
import type {DuckDBConnection} from "@duckdb/node-api";
import type {Table} from "apache-arrow";
import {queryArrow} from "./arrow.ts";

export const BENCHMARK_INDEX_SQL = `
WITH names AS (
  SELECT benchmark FROM benchmarks UNION SELECT benchmark FROM records UNION SELECT benchmark FROM results
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
  FROM (
    SELECT DISTINCT r.benchmark, m.snapshot_id FROM snapshot_records m JOIN records r USING (record_id)
    UNION SELECT DISTINCT benchmark, snapshot_id FROM results
  ) u JOIN snapshots s USING (snapshot_id)
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
       coalesce(b.source_url, p.sources, x.sources) AS source,
       coalesce(b.licence, p.licences) AS licence
FROM names n
LEFT JOIN benchmarks b USING (benchmark)
LEFT JOIN per_record r USING (benchmark)
LEFT JOIN per_result x USING (benchmark)
LEFT JOIN per_snapshot p USING (benchmark)
ORDER BY n.benchmark`;

/** The benchmark index as an Arrow table (columns as selected in `BENCHMARK_INDEX_SQL`). */
export function benchmarkIndex(connection: DuckDBConnection): Promise<Table> {
  return queryArrow(connection, BENCHMARK_INDEX_SQL);
}
