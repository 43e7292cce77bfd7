/**
 * The `snapshots` table for provenance stamps (src/components/stamp.ts): one row per loaded snapshot, including
 * the 96 SWE-bench leaderboard versions, with date, methodology version, source and licence. Shared by all pages.
 */
import type {DuckDBConnection} from "@duckdb/node-api";
import type {Table} from "apache-arrow";
import {queryArrow} from "../arrow.ts";

export const SNAPSHOTS_SQL = `
SELECT snapshot_id, snapshot_date, methodology_version, title, source, source_commit, licence
FROM snapshot_order ORDER BY version`;

export function snapshotRows(connection: DuckDBConnection): Promise<Table> {
  return queryArrow(connection, SNAPSHOTS_SQL);
}
