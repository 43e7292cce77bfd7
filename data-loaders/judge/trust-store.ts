/**
 * Where a judge's trust state lives in the warehouse: every audit is a row of `judge_audits`, and the verdict of
 * the latest audit is written into the trust of that judge's scoring runs and recorded scores (new scores pick it up
 * when stored). A judge with no audit is "unaudited". Pages and reports read `scores.trust` to mark its scores.
 */
import {timestampValue} from "@duckdb/node-api";
import type {AuditReport} from "../../src/lib/judge/audit.ts";
import type {TrustState} from "../../src/lib/judge/trust.ts";
import type {Warehouse} from "../warehouse.ts";

/**
 * The trust state of a judge configuration now: the verdict of the latest audit of judge `judge` whose
 * configuration hash (sha256 of its canonical params without `order`, see audit-input.ts) is `configHash`, else
 * "unaudited". Trust never carries over to another configuration (another model or rubric) of the same scorer.
 */
export async function currentTrust(wh: Warehouse, judge: string, configHash: string): Promise<TrustState> {
  const reader = await wh.connection.runAndReadAll(
    `SELECT verdict FROM judge_audits WHERE judge = $1 AND params_hash = $2 ORDER BY audited_at DESC LIMIT 1`,
    [judge, configHash]
  );
  const rows = reader.getRows();
  return rows.length ? (rows[0][0] as TrustState) : "unaudited";
}

/** Stores an audit of configuration `configHash` and marks the judge's scores with `paramsHashes` with its verdict. */
export async function recordAudit(wh: Warehouse, report: AuditReport, paramsHashes: string[], configHash: string): Promise<void> {
  const c = wh.connection;
  const estimate = report[report.statistic];
  await c.run("BEGIN TRANSACTION");
  try {
    const prepared = await c.prepare(
      `INSERT INTO judge_audits VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`
    );
    prepared.bind([
      report.judge,
      configHash,
      report.reference_rater,
      report.statistic,
      report.threshold,
      estimate.estimate,
      estimate.lower,
      estimate.upper,
      report.verdict,
      report.n_items,
      report.seed,
      report.resamples,
      JSON.stringify(report),
      timestampValue(BigInt(Date.now()) * 1000n)
    ]);
    await prepared.run();
    for (const h of paramsHashes) {
      for (const table of ["score_runs", "recorded_scores"])
        await c.run(`UPDATE ${table} SET trust = $1 WHERE scorer = $2 AND scorer_kind = 'judge' AND params_hash = $3`, [report.verdict, report.judge, h]);
    }
    await c.run("COMMIT");
  } catch (err) {
    await c.run("ROLLBACK");
    throw err;
  }
}
