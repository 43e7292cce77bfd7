/**
 * Page 5 (Slices), SWE-bench part: per model and repository of SWE-bench Verified, how many instances the run
 * attempted and how many it resolved, from the per-instance records (records_latest). The page turns the counts
 * into a pass rate with a proportion CI (src/lib/stats), so the reader can change method and level; the judge
 * slices come from the judge audit (judge-audit.ts), computed once for both pages.
 *
 * The repository is the record's `repo` slice (records.slices['repo']); a record without one is counted under
 * null, never dropped.
 */
import type {DuckDBConnection} from "@duckdb/node-api";
import type {Table} from "apache-arrow";
import {queryArrow} from "../arrow.ts";

export const SWE_BENCH_BENCHMARK = "swe-bench-verified";

export const REPO_SLICES_SQL = `
SELECT model,
       slices['repo'] AS repo,
       count(*)::INTEGER AS n,
       (count(*) FILTER (WHERE passed))::INTEGER AS resolved,
       (count(*) FILTER (WHERE passed IS NULL))::INTEGER AS unscored,
       min(snapshot_id) AS snapshot_id
FROM records_latest
WHERE benchmark = ?
GROUP BY ALL
ORDER BY model, repo`;

export function repoSlices(connection: DuckDBConnection): Promise<Table> {
  return queryArrow(connection, REPO_SLICES_SQL, [SWE_BENCH_BENCHMARK]);
}
