/**
 * What the judge-audit page needs, read from the warehouse in one call: every judge configuration that has scores
 * on labelled items, as the pure `AuditInput` (so the page recomputes the audit in the browser with
 * src/lib/judge/audit.ts and gets the same numbers as `benchlab audit-judge`), plus the audits recorded so far.
 */
import type {AuditInput} from "../../src/lib/judge/audit.ts";
import type {TrustState} from "../../src/lib/judge/trust.ts";
import type {Warehouse} from "../warehouse.ts";
import {configurationHash, judgeConfiguration, loadAuditInput} from "./audit-input.ts";

export interface JudgeAuditPageData {
  judges: {judge: string; config_hash: string; params: Record<string, unknown>; kind: string; trust: TrustState | null; input: AuditInput}[];
  /** Recorded audits, newest first (without the full report). */
  audits: {judge: string; config_hash: string | null; statistic: string; threshold: number; estimate: number | null; lower_bound: number | null; upper_bound: number | null; verdict: string; n_items: number; audited_at: string}[];
}

export async function judgeAuditPageData(wh: Warehouse): Promise<JudgeAuditPageData> {
  const c = wh.connection;
  // Configurations of scorers whose scores reach an item with a human or gold label.
  const configs = (
    await c.runAndReadAll(
      `WITH items AS (
         SELECT DISTINCT key_hash, dataset, item_id FROM label_items
         UNION SELECT key_hash, benchmark, item_id FROM records_latest
       ), labelled AS (SELECT DISTINCT dataset, item_id FROM human_labels)
       SELECT s.scorer, s.scorer_kind, s.params::VARCHAR AS params, arg_max(s.trust, s.scored_at) AS trust
       FROM scores s JOIN items i USING (key_hash) JOIN labelled l ON l.dataset = i.dataset AND l.item_id = i.item_id
       GROUP BY s.scorer, s.scorer_kind, s.params::VARCHAR
       ORDER BY s.scorer`
    )
  ).getRowObjectsJS();
  const byConfig = new Map<string, {judge: string; kind: string; params: Record<string, unknown>; trust: TrustState | null}>();
  for (const row of configs) {
    const params = judgeConfiguration(JSON.parse(String(row.params)) as Record<string, unknown>);
    const hash = configurationHash(params);
    byConfig.set(`${row.scorer}\u0000${hash}`, {judge: String(row.scorer), kind: String(row.scorer_kind), params, trust: (row.trust as TrustState | null) ?? null});
  }
  const judges: JudgeAuditPageData["judges"] = [];
  for (const [key, v] of byConfig) {
    const configHash = key.split("\u0000")[1];
    const {input} = await loadAuditInput(wh, {judge: v.judge, paramsHash: configHash});
    judges.push({judge: v.judge, config_hash: configHash, params: v.params, kind: v.kind, trust: v.trust, input});
  }
  const audits = (
    await c.runAndReadAll(
      `SELECT judge, params_hash AS config_hash, statistic, threshold, estimate, lower_bound, upper_bound, verdict, n_items::INT AS n_items,
              strftime(audited_at, '%Y-%m-%dT%H:%M:%SZ') AS audited_at
       FROM judge_audits ORDER BY audited_at DESC`
    )
  ).getRowObjectsJS() as unknown as JudgeAuditPageData["audits"];
  return {judges, audits};
}
