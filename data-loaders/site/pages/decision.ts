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
import {verdictCountsSql} from "./verdict-counts.ts";

/**
 * Sum and mean of DOUBLE values that come out the same on every run. DOUBLE addition is not associative, and DuckDB
 * adds up per-thread partial sums in whatever order the threads finish (144.18606399999996 one run, 144.186064 the
 * next). DuckDB 1.5 has no ordered float sum: it drops ORDER BY inside sum()/avg() (order-insensitive aggregates;
 * EXPLAIN shows a plain sum), and fsum/kahan_sum only compensate the error: their per-thread states still merge in
 * the order threads finish, so the last bit is not guaranteed. A DECIMAL sum is integer (HUGEINT) arithmetic: exact,
 * so independent of the order. 12 decimal places hold the costs (published to the millionth of a dollar) and the
 * call counts exactly, so the result is the exact sum rounded to DOUBLE, within float-order noise of what the
 * DOUBLE sum gave (relative 1e-15 on the bundled runs). A value DECIMAL(38, 12) cannot hold (NaN, infinite, 1e26 or
 * more) fails the query instead of being summed.
 */
const EXACT_DECIMAL = "DECIMAL(38, 12)";
const exactSum = (value: string) => `sum((${value})::${EXACT_DECIMAL})::DOUBLE`;
const exactAvg = (value: string) => `avg((${value})::${EXACT_DECIMAL})::DOUBLE`;

export const SWE_BENCH_RUNS_SQL = `
WITH runs AS (
  -- A run's records agree on model, harness and snapshot: min() takes that value, any_value() whichever row came first.
  SELECT run_id, min(model) AS model, min(harness) AS harness, min(run_at) AS run_at,
         ${verdictCountsSql("resolved")},
         CASE WHEN count(cost_usd) = count(*) THEN ${exactSum("cost_usd")} END AS cost_usd,
         CASE WHEN count(cost_usd) = count(*) THEN ${exactAvg("cost_usd")} END AS cost_per_instance_usd,
         ${exactAvg("TRY_CAST(slices['api_calls'] AS DOUBLE)")} AS api_calls_mean,
         (count(TRY_CAST(slices['api_calls'] AS DOUBLE)))::INTEGER AS api_calls_n,
         min(snapshot_id) AS snapshot_id
  FROM records_latest WHERE benchmark = 'swe-bench-verified'
  GROUP BY run_id
),
published AS (
  SELECT entry_id AS run_id, min(system) AS system, max(value) AS published_resolved_pct, string_agg(DISTINCT notes, '; ' ORDER BY notes) AS flags
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
-- The rows of one entry (one per metric) agree on system, model, format, date, tier, published cost and snapshot:
-- min() takes that value; any_value() would take whichever row a parallel scan reached first.
SELECT benchmark, board, entry_id,
       min(system) AS system,
       min(model) AS model,
       min(edit_format) AS edit_format,
       min(submitted) AS submitted,
       min(verification_tier) AS verification_tier,
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
       min(total_cost_published) AS total_cost_published,
       max(value) FILTER (WHERE metric = 'seconds_per_case') AS seconds_per_case,
       string_agg(DISTINCT notes, '; ' ORDER BY notes) AS flags,
       min(snapshot_id) AS snapshot_id
FROM rows
GROUP BY benchmark, board, entry_id
ORDER BY benchmark, board, pass_rate_2_pct DESC NULLS LAST, entry_id`;

export function aiderEntries(connection: DuckDBConnection): Promise<Table> {
  return queryArrow(connection, AIDER_ENTRIES_SQL);
}
