/**
 * Page 5 (Slices), SWE-bench part: per model and repository of SWE-bench Verified, how many instances the run
 * attempted and how many it resolved, from the per-instance records (records_latest). The page turns the counts
 * into a pass rate with a proportion CI (src/lib/stats), so the reader can change method and level; the judge
 * slices come from the judge audit (judge-audit.ts), computed once for both pages.
 *
 * The repository is the record's `repo` slice (records.slices['repo']); a record without one is counted under
 * null, never dropped.
 *
 * Only scored records count: `n` is the number with a verdict (`passed` not null), `resolved` those that passed
 * (null when nothing in the group is scored: a rate over no items is undefined, not 0), and `unscored` the records
 * without a verdict, which the page shows beside n instead of counting them as failures.
 */
import type {DuckDBConnection} from "@duckdb/node-api";
import type {Table} from "apache-arrow";
import {queryArrow} from "../arrow.ts";
import {verdictCountsSql} from "./verdict-counts.ts";

export const SWE_BENCH_BENCHMARK = "swe-bench-verified";

export const REPO_SLICES_SQL = `
SELECT model,
       slices['repo'] AS repo,
       ${verdictCountsSql("resolved")},
       min(snapshot_id) AS snapshot_id
FROM records_latest
WHERE benchmark = ?
GROUP BY ALL
ORDER BY model, repo`;

export function repoSlices(connection: DuckDBConnection): Promise<Table> {
  return queryArrow(connection, REPO_SLICES_SQL, [SWE_BENCH_BENCHMARK]);
}
