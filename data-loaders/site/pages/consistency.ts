/**
 * Page 6 (Consistency): repeated trials and self-reported pass^k.
 *
 * - `taskTrials`: per tau-bench task, n trials and c successes (records_latest, benchmark "tau-bench": 35 airline
 *   tasks x 4 trials of gpt-4o). The page computes pass^k and pass@k from these counts with src/lib/stats/passk.ts
 *   and bootstraps over tasks, so k, B and the level are the reader's. Only scored trials count: n is the number
 *   with a verdict (`passed` not null), c the successes among them (null when none is scored), `unscored` the
 *   trials without a verdict (never counted as failures).
 * - `reportedPassK`: leaderboard rows that publish pass^1..4 (tau-bench README, tau2-bench submissions), one row
 *   per submission and domain, pass^k as published (percent for tau2, fraction for the README, here both as
 *   fractions) and null where the submission did not report it. No CI: the boards give no per-task data.
 */
import type {DuckDBConnection} from "@duckdb/node-api";
import type {Table} from "apache-arrow";
import {queryArrow} from "../arrow.ts";
import {verdictCountsSql} from "./verdict-counts.ts";

export const TRIALS_BENCHMARK = "tau-bench";

export const TASK_TRIALS_SQL = `
SELECT model,
       slices['domain'] AS domain,
       item_id AS task,
       ${verdictCountsSql("c")},
       min(snapshot_id) AS snapshot_id
FROM records_latest
WHERE benchmark = ?
GROUP BY ALL
ORDER BY model, domain, task`;

export function taskTrials(connection: DuckDBConnection): Promise<Table> {
  return queryArrow(connection, TASK_TRIALS_SQL, [TRIALS_BENCHMARK]);
}

/**
 * pass^k metrics as the boards name them: `pass^k` (fractions, tau-bench README) and `pass^k_pct` (percent,
 * tau2-bench). `pct` says which, so the query can put both on the 0..1 scale.
 */
export const REPORTED_PASS_K_SQL = `
WITH k AS (
  SELECT r.*, regexp_extract(metric, '^pass\\^(\\d)', 1)::INTEGER AS k, metric LIKE '%_pct' AS pct
  FROM results r
  WHERE r.benchmark IN ('tau-bench', 'tau2-bench') AND regexp_matches(metric, '^pass\\^\\d(_pct)?$')
),
attrs AS (
  SELECT batch_id, line,
         max(value) FILTER (WHERE attribute = 'tau2_bench_version') AS tau2_version
  FROM result_attributes GROUP BY ALL
)
-- The rows of one submission (one per pass^k metric) agree on system, model, tier, date, version, source and snapshot:
-- min() takes that value; any_value() would take whichever row a parallel scan reached first.
SELECT k.benchmark,
       regexp_extract(k.board, '/(.*)$', 1) AS domain,
       k.entry_id,
       min(k.system) AS system,
       min(k.model) AS model,
       min(k.verification_tier) AS verification_tier,
       min(k.submitted) AS submitted,
       min(a.tau2_version) AS tau2_version,
       max(CASE WHEN k.k = 1 THEN CASE WHEN k.pct THEN k.value / 100 ELSE k.value END END) AS pass1,
       max(CASE WHEN k.k = 2 THEN CASE WHEN k.pct THEN k.value / 100 ELSE k.value END END) AS pass2,
       max(CASE WHEN k.k = 3 THEN CASE WHEN k.pct THEN k.value / 100 ELSE k.value END END) AS pass3,
       max(CASE WHEN k.k = 4 THEN CASE WHEN k.pct THEN k.value / 100 ELSE k.value END END) AS pass4,
       (count(k.value))::INTEGER AS reported,
       string_agg(DISTINCT k.notes, '; ' ORDER BY k.notes) AS notes,
       min(k.source) AS source,
       min(k.snapshot_id) AS snapshot_id
FROM k LEFT JOIN attrs a USING (batch_id, line)
GROUP BY k.benchmark, k.board, k.entry_id
ORDER BY k.benchmark, domain, pass1 DESC NULLS LAST, k.entry_id, k.board`;

export function reportedPassK(connection: DuckDBConnection): Promise<Table> {
  return queryArrow(connection, REPORTED_PASS_K_SQL);
}
