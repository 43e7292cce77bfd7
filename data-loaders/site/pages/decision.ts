/**
 * Page 7 (Decision surface): cost, effort and quality of each system, per benchmark.
 *
 * - `sweBenchRuns`: the 18 mini-swe-agent runs on SWE-bench Verified, from the per-instance records: scored
 *   instances (`n`, those with a verdict: `passed` not null), resolved among them (null when none is scored),
 *   `unscored` instances (never counted as failures), total and mean cost in $ (records.cost_usd, summed over the run; a run with any missing cost has a
 *   null total, never a partial sum), mean API calls per instance (records.slices['api_calls'], text in the
 *   record, cast here), and the leaderboard's published resolved % with its data-quality flag (bash-only board,
 *   same entry id as the run) so a published/per-instance mismatch stays visible.
 * - `aiderEntries`: one row per aider leaderboard entry (board, entry id): pass rate after the second attempt
 *   (pass_rate_2_pct) with the number of test cases, total cost of the run in $ (null where aider published
 *   total_cost 0: flag `cost-unreported`), seconds per case, edit format. `passed_cases` is the published
 *   pass_num_2 where the board has it, else round(pass_rate_2 x test_cases / 100), which recovers the count when
 *   aider computed the rate over test_cases (it rounds to 0.1); a few rates were computed over another count
 *   (e.g. 73.6% of 132 cases), and `passed_cases_from` marks those "approximate" instead of hiding it.
 *
 * Quality CIs and the Pareto set are computed in the page (src/lib), so the reader can change level and method.
 */
import type {DuckDBConnection} from "@duckdb/node-api";
import type {Table} from "apache-arrow";
import {queryArrow} from "../arrow.ts";

export const SWE_BENCH_RUNS_SQL = `
WITH runs AS (
  SELECT run_id, any_value(model) AS model, any_value(harness) AS harness, min(run_at) AS run_at,
         count(passed)::INTEGER AS n,
         CASE WHEN count(passed) > 0 THEN (count(*) FILTER (WHERE passed))::INTEGER END AS resolved,
         (count(*) FILTER (WHERE passed IS NULL))::INTEGER AS unscored,
         CASE WHEN count(cost_usd) = count(*) THEN sum(cost_usd) END AS cost_usd,
         CASE WHEN count(cost_usd) = count(*) THEN avg(cost_usd) END AS cost_per_instance_usd,
         avg(TRY_CAST(slices['api_calls'] AS DOUBLE)) AS api_calls_mean,
         (count(TRY_CAST(slices['api_calls'] AS DOUBLE)))::INTEGER AS api_calls_n,
         any_value(snapshot_id) AS snapshot_id
  FROM records_latest WHERE benchmark = 'swe-bench-verified'
  GROUP BY run_id
),
published AS (
  SELECT entry_id AS run_id, any_value(system) AS system, max(value) AS published_resolved_pct, string_agg(DISTINCT notes, '; ') AS flags
  FROM results WHERE board = 'bash-only' AND metric = 'resolved_pct' AND snapshot_id = '2026-11-22-swebench-verified-mini-swe-agent'
  GROUP BY entry_id
)
SELECT coalesce(p.system, r.model) AS system, r.*, p.published_resolved_pct, p.flags
FROM runs r LEFT JOIN published p USING (run_id)
ORDER BY r.cost_usd NULLS LAST, r.run_id`;

export function sweBenchRuns(connection: DuckDBConnection): Promise<Table> {
  return queryArrow(connection, SWE_BENCH_RUNS_SQL);
}

export const AIDER_ENTRIES_SQL = `
WITH attrs AS (
  SELECT batch_id, line,
         max(value) FILTER (WHERE attribute = 'edit_format') AS edit_format,
         max(value) FILTER (WHERE attribute = 'total_cost') AS total_cost_published,
         max(value) FILTER (WHERE attribute = 'pass_num_2') AS pass_num_2
  FROM result_attributes GROUP BY ALL
),
rows AS (
  SELECT r.*, a.edit_format, a.total_cost_published, TRY_CAST(a.pass_num_2 AS INTEGER) AS pass_num_2
  FROM results r LEFT JOIN attrs a USING (batch_id, line)
  WHERE r.benchmark LIKE 'aider-%'
)
SELECT benchmark, board, entry_id,
       any_value(system) AS system,
       any_value(model) AS model,
       any_value(edit_format) AS edit_format,
       any_value(submitted) AS submitted,
       any_value(verification_tier) AS verification_tier,
       max(value) FILTER (WHERE metric = 'pass_rate_2_pct') AS pass_rate_2_pct,
       max(value) FILTER (WHERE metric = 'pass_rate_1_pct') AS pass_rate_1_pct,
       max(n)::INTEGER AS test_cases,
       coalesce(max(pass_num_2) FILTER (WHERE metric = 'pass_rate_2_pct'),
                round(max(value) FILTER (WHERE metric = 'pass_rate_2_pct') * max(n) / 100))::INTEGER AS passed_cases,
       CASE WHEN max(pass_num_2) FILTER (WHERE metric = 'pass_rate_2_pct') IS NOT NULL THEN 'pass_num_2'
            WHEN max(value) FILTER (WHERE metric = 'pass_rate_2_pct') IS NULL THEN NULL
            WHEN round(round(max(value) FILTER (WHERE metric = 'pass_rate_2_pct') * max(n) / 100) * 100 / max(n), 1)
                 = max(value) FILTER (WHERE metric = 'pass_rate_2_pct') THEN 'pass_rate_2 x test_cases'
            ELSE 'pass_rate_2 x test_cases (approximate: the published rate has another denominator)' END AS passed_cases_from,
       max(cost_usd) AS cost_usd,
       any_value(total_cost_published) AS total_cost_published,
       max(value) FILTER (WHERE metric = 'seconds_per_case') AS seconds_per_case,
       string_agg(DISTINCT notes, '; ') AS flags,
       any_value(snapshot_id) AS snapshot_id
FROM rows
GROUP BY benchmark, board, entry_id
ORDER BY benchmark, board, pass_rate_2_pct DESC NULLS LAST, entry_id`;

export function aiderEntries(connection: DuckDBConnection): Promise<Table> {
  return queryArrow(connection, AIDER_ENTRIES_SQL);
}
