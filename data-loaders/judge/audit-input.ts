/**
 * Reads what an audit needs from the warehouse: a judge's latest score per item and configuration, the items'
 * slices and output lengths, and the reference rater's labels, assembled into the pure `AuditInput` of
 * src/lib/judge/audit.ts (which the judge-audit page builds the same way from its loader's rows).
 *
 * Items are resolved through `label_items` (items known from a labels file) or `records_latest` (run records scored
 * by a live judge; dataset = benchmark, slice = model). Each scored record is one audit item; only scores of a
 * record's latest version count (a verdict on an output since corrected says nothing about the output labelled).
 * Reference labels are matched on (dataset, item_id); a label that was corrected counts in its newest version. When
 * several records of one item were judged (models, trials), a label names the output it judged by giving the model
 * as its slice; a label that could belong to more than one judged record is refused, never assigned to one of them.
 */
import {listValue} from "@duckdb/node-api";
import {PAIRWISE_ORDERS, SINGLE_ORDER, type AuditInput, type AuditItem, type JudgeOrder} from "../../src/lib/judge/audit.ts";
import {DEFAULT_GRADED_SCALE, type GradedScale} from "../../src/lib/judge/verdict.ts";
import type {Warehouse} from "../warehouse.ts";
import {canonicalJson, sha256} from "./hash.ts";

export interface AuditSelection {
  judge: string;
  /** Rater whose labels are the reference; default: "human" if present, else the only rater of those items. */
  reference?: string;
  /** Restrict to one configuration (params without `order`) when the judge has several. */
  paramsHash?: string;
}

export interface LoadedAudit {
  input: AuditInput;
  /** params_hash values of the scores audited (to mark their trust). */
  paramsHashes: string[];
  /** Hash of the audited configuration (params without `order`). */
  configHash: string;
}

/**
 * A stored judge score as an audit label: pass/fail "1"/"0"; pairwise "1"/"2" (value 1 = output 1 preferred);
 * graded: the integer score on the params' scale (value is stored rescaled to [0, 1]). null = no usable verdict.
 */
export function judgeLabel(params: Record<string, unknown>, value: number | null, passed: boolean | null, error: string | null): string | null {
  if (error !== null) return null;
  if (params.mode === "pairwise") return value === 1 ? "1" : value === 0 ? "2" : null;
  const scale = gradedScale(params);
  if (scale) return value === null ? null : String(Math.round(scale.min + value * (scale.max - scale.min)));
  if (passed !== null) return passed ? "1" : "0";
  return value === 1 ? "1" : value === 0 ? "0" : null;
}

/** The integer scale of a graded judge's params (the default when it names none); undefined for other modes. */
export function gradedScale(params: Record<string, unknown>): GradedScale | undefined {
  return params.mode === "graded" ? ((params.scale as GradedScale | undefined) ?? DEFAULT_GRADED_SCALE) : undefined;
}

/** A judge's configuration: its params without the presentation `order` (both orders are one judge). */
export function judgeConfiguration(params: Record<string, unknown>): Record<string, unknown> {
  const {order: _order, ...config} = params;
  return config;
}

/** The hash that names a judge configuration in `judge_audits` (equals the params hash when there is no order). */
export function configurationHash(config: Record<string, unknown>): string {
  return sha256(canonicalJson(config));
}

/**
 * The items a judge's scores resolve to, by key_hash: items known only from a labels file (`label_items`, dataset =
 * snapshot id, with slice and longer output) and run records (dataset = benchmark, slice = model).
 */
export const AUDIT_ITEMS_SQL = `
  SELECT key_hash, dataset, item_id, max(slice) AS slice, max(longer_output) AS longer_output, false AS from_records
  FROM label_items GROUP BY key_hash, dataset, item_id
  UNION ALL
  SELECT key_hash, benchmark, item_id, model, NULL, true FROM records_latest`;

export async function loadAuditInput(wh: Warehouse, selection: AuditSelection): Promise<LoadedAudit> {
  const c = wh.connection;
  const scoreRows = (
    await c.runAndReadAll(
      `WITH s AS (
         SELECT key_hash, params_hash, params::VARCHAR AS params, value, passed, error,
                row_number() OVER (PARTITION BY key_hash, params_hash ORDER BY scored_at DESC, run_id DESC NULLS LAST) AS rn
         FROM scores WHERE scorer = $1 AND (record_id IS NULL OR record_id IN (SELECT record_id FROM records_latest))
       ), items AS (${AUDIT_ITEMS_SQL})
       SELECT i.dataset, i.item_id, i.slice, i.longer_output, i.from_records, s.key_hash::VARCHAR AS key_hash,
              s.params_hash, s.params, s.value, s.passed, s.error
       FROM s JOIN items i USING (key_hash) WHERE s.rn = 1
       ORDER BY i.dataset, i.item_id, s.params_hash`,
      [selection.judge]
    )
  ).getRowObjectsJS();
  if (scoreRows.length === 0) {
    const known = (await c.runAndReadAll(`SELECT DISTINCT scorer FROM scores WHERE scorer_kind = 'judge' ORDER BY scorer`)).getRows().map((r) => String(r[0]));
    // A judge named with other case or punctuation (gpt4 for GPT-4) is the likely one meant: named first.
    const loose = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, "");
    const typed = loose(selection.judge);
    const meant = typed ? [...known.filter((k) => loose(k) === typed), ...known.filter((k) => loose(k) !== typed && loose(k).startsWith(typed))] : [];
    throw new Error(
      `no scores of judge "${selection.judge}" on items the warehouse can resolve; ` +
        (meant.length ? `did you mean ${meant.slice(0, 5).map((m) => `--judge ${m}`).join(" or ")}? Otherwise ` : "") +
        `ingest recorded verdicts (benchlab ingest --labels FILE) or run the judge (benchlab score --scorer llm-judge) first.${known.length ? ` Judges with scores: ${known.join(", ")}` : ""}`
    );
  }

  // Group configurations by params without `order`: the two presentation orders of one judge are one configuration.
  const configs = new Map<string, {params: Record<string, unknown>; rows: typeof scoreRows}>();
  for (const row of scoreRows) {
    const config = judgeConfiguration(JSON.parse(String(row.params)) as Record<string, unknown>);
    const hash = configurationHash(config);
    if (!configs.has(hash)) configs.set(hash, {params: config, rows: []});
    configs.get(hash)!.rows.push(row);
  }
  let configHash: string;
  if (selection.paramsHash) {
    const match = [...configs.keys()].filter((h) => h.startsWith(selection.paramsHash!));
    if (match.length !== 1) throw new Error(`judge "${selection.judge}": --params ${selection.paramsHash} matches ${match.length} configurations; known: ${[...configs.keys()].map((h) => h.slice(0, 12)).join(", ")}`);
    configHash = match[0];
  } else if (configs.size > 1) {
    const list = [...configs.entries()].map(([h, v]) => `${h.slice(0, 12)} ${canonicalJson(v.params)}`).join("\n  ");
    throw new Error(`judge "${selection.judge}" has ${configs.size} configurations; choose one with --params HASH:\n  ${list}`);
  } else {
    configHash = [...configs.keys()][0];
  }
  const {params, rows} = configs.get(configHash)!;
  const mode = params.mode === "pairwise" ? "pairwise" : "pointwise";
  const scale = gradedScale(params);
  const ordersSeen = new Set(rows.map((r) => (JSON.parse(String(r.params)) as {order?: string}).order ?? SINGLE_ORDER));
  const bothOrders = mode === "pairwise" && PAIRWISE_ORDERS.every((o) => ordersSeen.has(o));

  const datasets = [...new Set(rows.map((r) => String(r.dataset)))];
  const labelRows = (
    await c.runAndReadAll(
      // Newest label per item, rater and slice; labels written without a batch row count as oldest.
      `SELECT h.dataset, h.item_id, h.rater, h.slice, arg_max(h.label, coalesce(b.ingested_at, TIMESTAMP '1970-01-01')) AS label,
              max(coalesce(b.ingested_at, TIMESTAMP '1970-01-01')) AS at
       FROM human_labels h LEFT JOIN ingest_batches b USING (batch_id)
       WHERE list_contains($1::VARCHAR[], h.dataset)
       GROUP BY h.dataset, h.item_id, h.rater, h.slice`,
      [listValue(datasets)]
    )
  ).getRowObjectsJS();
  const raters = [...new Set(labelRows.map((r) => String(r.rater)))].sort();
  const reference = selection.reference ?? (raters.includes("human") ? "human" : raters.length === 1 ? raters[0] : null);
  if (reference === null || !raters.includes(reference)) {
    throw new Error(
      raters.length === 0
        ? `no human or gold labels for dataset(s) ${datasets.join(", ")}; ingest them with benchlab ingest --labels FILE`
        : `choose the reference rater with --reference: labels of ${datasets.join(", ")} come from ${raters.join(", ")}`
    );
  }
  const itemKey = (dataset: unknown, itemId: unknown) => `${dataset}\u0000${itemId}`;
  // The reference rater's labels: the newest per item, and per item and slice.
  const byItem = new Map<string, {label: string; at: number}>();
  const byItemSlice = new Map<string, string>();
  for (const r of labelRows.filter((l) => l.rater === reference)) {
    const key = itemKey(r.dataset, r.item_id);
    const at = Number(r.at);
    if (!byItem.has(key) || at > byItem.get(key)!.at) byItem.set(key, {label: String(r.label), at});
    if (r.slice !== null) byItemSlice.set(`${key}\u0000${r.slice}`, String(r.label));
  }
  // Judged records per item and per item and model: a label must point at exactly one of them.
  const judged = new Map<string, Set<string>>();
  for (const r of rows.filter((row) => row.from_records)) {
    for (const key of [itemKey(r.dataset, r.item_id), `${itemKey(r.dataset, r.item_id)}\u0000${r.slice}`]) {
      if (!judged.has(key)) judged.set(key, new Set());
      judged.get(key)!.add(String(r.key_hash));
    }
  }
  // Items with a label for the model of one of their judged records: their other records are unlabelled, not ambiguous.
  const labelledByModel = new Set(rows.filter((r) => r.from_records && byItemSlice.has(`${itemKey(r.dataset, r.item_id)}\u0000${r.slice}`)).map((r) => itemKey(r.dataset, r.item_id)));
  const ambiguous: string[] = [];
  /** The reference label of a score row; undefined when it has none, and noted as ambiguous when it could be another record's. */
  const referenceOf = (r: (typeof rows)[number]): string | undefined => {
    const key = itemKey(r.dataset, r.item_id);
    const forSlice = byItemSlice.get(`${key}\u0000${r.slice}`);
    if (!r.from_records) return forSlice ?? byItem.get(key)?.label;
    if (forSlice !== undefined) {
      const records = judged.get(`${key}\u0000${r.slice}`)!.size;
      if (records === 1) return forSlice;
      ambiguous.push(`${r.dataset} item ${r.item_id}, model ${r.slice}: ${records} judged records`);
      return undefined;
    }
    const records = judged.get(key)!.size;
    if (records === 1) return byItem.get(key)?.label;
    if (!labelledByModel.has(key) && byItem.has(key)) ambiguous.push(`${r.dataset} item ${r.item_id}: ${records} judged records`);
    return undefined;
  };

  const items = new Map<string, AuditItem>();
  for (const r of rows) {
    const key = itemKey(r.dataset, r.item_id);
    const ref = referenceOf(r);
    if (ref === undefined) continue;
    if (params.mode !== "pairwise" && params.mode !== "graded" && ref !== "0" && ref !== "1") {
      throw new Error(`dataset ${r.dataset}, item ${r.item_id}: ${reference} label ${JSON.stringify(ref)} is not 1 (pass) or 0 (fail); a pass/fail judge is audited against 1/0 labels`);
    }
    const order = (JSON.parse(String(r.params)) as {order?: string}).order;
    const slot: JudgeOrder = bothOrders && (order === "original" || order === "swapped") ? order : SINGLE_ORDER;
    const record = String(r.key_hash);
    if (!items.has(record)) {
      const shared = r.from_records && judged.get(key)!.size > 1;
      items.set(record, {
        item_id: `${datasets.length > 1 ? `${r.dataset}/` : ""}${r.item_id}${shared ? ` · ${r.slice}` : ""}`,
        slice: r.slice === null ? null : String(r.slice),
        reference: ref,
        verdicts: {},
        longer: r.longer_output === null ? null : String(r.longer_output)
      });
    }
    const label = judgeLabel(params, r.value as number | null, r.passed as boolean | null, r.error as string | null);
    items.get(record)!.verdicts[slot] = label === null ? null : label;
  }
  if (ambiguous.length) {
    const shown = [...new Set(ambiguous)];
    throw new Error(
      `judge "${selection.judge}": ${shown.length} ${reference} label${shown.length === 1 ? "" : "s"} could each belong to more than one judged record (${shown.slice(0, 3).join("; ")}${shown.length > 3 ? "; …" : ""}). ` +
        "A label names one output: give the labels file a slice column holding the model whose output each label judged, so that each label matches one judged record"
    );
  }
  return {
    input: {judge: selection.judge, reference_rater: reference, mode: bothOrders ? "pairwise" : "pointwise", ...(scale ? {scale} : {}), items: [...items.values()]},
    paramsHashes: [...new Set(rows.map((r) => String(r.params_hash)))],
    configHash
  };
}
