/**
 * The landing page's stamp (src/index.md): the snapshots its benchmark table rests on, i.e. every snapshot that
 * holds a per-item record (view snapshot_records, which also lists records an earlier snapshot stored first) or a
 * leaderboard row, or the judge labels and verdicts the table counts (`human_labels` / `label_items`, dataset =
 * snapshot id). Snapshots that hold only other data (the CodeSOTA registry) are not among them.
 */
import type {DuckDBConnection} from "@duckdb/node-api";
import type {Table} from "apache-arrow";
import {queryArrow} from "../arrow.ts";

export const BENCHMARK_SOURCES_SQL = `
SELECT snapshot_id FROM snapshot_records
UNION
SELECT snapshot_id FROM results
UNION
SELECT dataset FROM human_labels WHERE dataset IN (SELECT snapshot_id FROM snapshots)
UNION
SELECT dataset FROM label_items WHERE dataset IN (SELECT snapshot_id FROM snapshots)
ORDER BY snapshot_id`;

export function benchmarkSources(connection: DuckDBConnection): Promise<Table> {
  return queryArrow(connection, BENCHMARK_SOURCES_SQL);
}
