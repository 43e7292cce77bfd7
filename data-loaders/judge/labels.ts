/**
 * `benchlab ingest --labels FILE`: human (or gold) labels per item and rater into `human_labels`, and recorded
 * judge verdicts into `recorded_scores` (scorer = the judge's name; read through the view `scores`), so a judge can
 * be audited without calling any endpoint.
 *
 * Three layouts are recognised from the header (CSV, JSONL, optionally gzipped):
 * - labels: `item_id`, `rater` or `judge`, `label`, optional `rater_type`/`judge_type` (human | llm | lexical;
 *   absent = human) and a slice column (`slice`, `exam_taker` or `split`). Human rows become labels; llm rows
 *   become judge scores (kind "judge"), lexical rows deterministic scores. This is the "Judging the Judges"
 *   TriviaQA file (arXiv 2406.12624). An empty label is missing upstream and is skipped.
 * - pairwise verdicts: `item_id`, `gold`, `evaluator`, `strategy`, `verdict_original_order`,
 *   `verdict_swapped_order`, optional `split`, `swap_synthesized` (LLMBar judgments.csv, arXiv 2310.07641). Gold
 *   becomes the label of rater "gold"; each row gives two judge scores of scorer `<evaluator>/<strategy>`, one per
 *   presentation order (params.order). An empty verdict (upstream could not parse the judge) is stored as an error.
 * - pairwise items: `item_id`, `gold`, `longer_output`, optional `split` (LLMBar items.csv): gold labels and which
 *   output is longer, for the length-bias part of the audit.
 *
 * Every labelled item gets a `label_items` row (slice, longer output) whose key_hash links the file's recorded
 * verdicts, so items with no run record can be audited; a judge run on run records links its scores through the
 * record's key_hash instead (audit-input.ts resolves both). Re-ingesting a file adds nothing; a changed label or
 * verdict is appended and the newest one wins. The whole file is rejected, with file, line and field, if any row is
 * malformed.
 */
import {timestampValue, type DuckDBAppender} from "@duckdb/node-api";
import {parse} from "csv-parse/sync";
import {randomUUID} from "node:crypto";
import {readFileSync} from "node:fs";
import {basename, dirname, resolve} from "node:path";
import {z} from "zod";
import {NO_VERDICT} from "../../src/lib/judge/audit.ts";
import {insertIngestBatch, type Warehouse} from "../warehouse.ts";
import {fileError} from "../ingest/index.ts";
import {gunzipIfGzip} from "../ingest/stage-lines.ts";
import {sha256Hex} from "../snapshots/manifest.ts";
import {configurationHash, judgeConfiguration} from "./audit-input.ts";
import {currentTrust} from "./trust-store.ts";
import {canonicalJson, sha256} from "./hash.ts";

export interface IngestLabelsOptions {
  /** Dataset name shared by every file of one data set; default: the name of the folder holding the file. */
  dataset?: string;
  snapshotId?: string | null;
  /** scorer_version of the recorded verdicts (default "recorded"). */
  version?: string;
}

export type LabelsLayout = "labels" | "pairwise-verdicts" | "pairwise-items";

export interface IngestLabelsSummary {
  file: string;
  dataset: string;
  layout: LabelsLayout;
  batch_id: string;
  rows: number;
  labels_added: number;
  labels_unchanged: number;
  scores_added: number;
  scores_unchanged: number;
  /** Rows whose label was empty (missing upstream), skipped. */
  missing_skipped: number;
  /** Judges whose verdicts the file holds. */
  judges: string[];
}

/**
 * The key_hash of an item known only from a labels file (no run record): the first 128 bits of a sha256 over a
 * text no run record's key hashes, as the 128-bit number records' key_hash columns hold.
 */
export function labelItemKeyHash(dataset: string, itemId: string): bigint {
  return BigInt(`0x${sha256(`label-item\u0000${dataset}\u0000${itemId}`).slice(0, 32)}`);
}

interface Row {
  line: number;
  fields: Record<string, string>;
}

/**
 * Reads CSV or JSONL into string-valued rows with their 1-based line numbers, and the file's sha256. Gzip is
 * recognised by its magic bytes, as run-record ingest does, so a compressed file need not be named .gz; the format
 * comes from the name without .gz.
 */
function readRows(file: string): {rows: Row[]; fileSha256: string} {
  let stored: Buffer;
  let bytes: Buffer;
  try {
    stored = readFileSync(file);
    bytes = gunzipIfGzip(stored);
  } catch (err) {
    throw fileError(file, err);
  }
  // The file as stored, compressed or not: the sha256 a run-record batch and a snapshot manifest record for it.
  const fileSha256 = sha256Hex(stored);
  const name = file.replace(/\.gz$/, "");
  if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
    const rows: Row[] = [];
    bytes.toString("utf8").split("\n").forEach((text, i) => {
      if (text.trim() === "") return;
      let obj: unknown;
      try {
        obj = JSON.parse(text);
      } catch (err) {
        throw new Error(`${file}:${i + 1}: not valid JSON (${err instanceof Error ? err.message : err}); each line must be one JSON object`);
      }
      if (typeof obj !== "object" || obj === null || Array.isArray(obj)) throw new Error(`${file}:${i + 1}: expected a JSON object per line`);
      const fields = Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v)]));
      rows.push({line: i + 1, fields});
    });
    return {rows, fileSha256};
  }
  if (!name.endsWith(".csv")) throw new Error(`${file}: unknown labels format; use .csv or .jsonl (optionally .gz)`);
  const records = parse(bytes, {columns: true, info: true, skip_empty_lines: true, bom: true}) as {record: Record<string, string>; info: {lines: number}}[];
  return {rows: records.map((r) => ({line: r.info.lines, fields: r.record})), fileSha256};
}

function detectLayout(file: string, columns: Set<string>): LabelsLayout {
  const has = (...c: string[]) => c.every((x) => columns.has(x));
  if (has("item_id", "gold", "evaluator", "strategy", "verdict_original_order", "verdict_swapped_order")) return "pairwise-verdicts";
  if (has("item_id", "gold", "longer_output")) return "pairwise-items";
  if (has("item_id", "label") && (columns.has("rater") || columns.has("judge"))) return "labels";
  throw new Error(
    `${file}: header [${[...columns].join(", ")}] matches no labels layout. Expected item_id,rater,label (optionally rater_type, slice), ` +
      `or LLMBar's item_id,gold,evaluator,strategy,verdict_original_order,verdict_swapped_order, or item_id,gold,longer_output.`
  );
}

const nonEmpty = z.string().trim().min(1, "must not be empty");
const choice12 = z.enum(["1", "2"], {error: "must be 1 or 2"});
const optional12 = z.enum(["1", "2", ""], {error: "must be 1, 2 or empty"});

const LabelsRow = z.object({
  item_id: nonEmpty,
  rater: nonEmpty,
  rater_type: z.enum(["human", "llm", "lexical", "judge"], {error: "must be human, llm, lexical or judge"}),
  label: z.string().trim(),
  slice: z.string().nullable()
});
const PairwiseVerdictsRow = z.object({
  item_id: nonEmpty,
  gold: choice12,
  evaluator: nonEmpty,
  strategy: nonEmpty,
  verdict_original_order: optional12,
  verdict_swapped_order: optional12,
  split: z.string().nullable(),
  swap_synthesized: z.enum(["0", "1", ""], {error: "must be 0, 1 or empty"})
});
const PairwiseItemsRow = z.object({
  item_id: nonEmpty,
  gold: choice12,
  longer_output: z.enum(["0", "1", "2"], {error: "must be 0 (equal), 1 or 2"}),
  split: z.string().nullable()
});

function check<T>(schema: z.ZodType<T>, value: unknown, file: string, line: number, errors: string[]): T | null {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) errors.push(`${file}:${line}: field "${issue.path.join(".")}": ${issue.message}`);
  return null;
}

interface LabelRow {
  item_id: string;
  rater: string;
  label: string;
  slice: string | null;
}
interface ScoreRow {
  item_id: string;
  scorer: string;
  kind: "judge" | "deterministic";
  params: Record<string, unknown>;
  value: number | null;
  passed: boolean | null;
  explanation: string | null;
  error: string | null;
}
interface ItemRow {
  item_id: string;
  slice: string | null;
  longer_output: string | null;
}

/** Turns validated rows into labels, scores and items; collects every row error before giving up. */
function convert(file: string, layout: LabelsLayout, rows: Row[]) {
  const errors: string[] = [];
  const labels: LabelRow[] = [];
  const scores: ScoreRow[] = [];
  const items = new Map<string, ItemRow>();
  let missing = 0;
  const noteItem = (item_id: string, slice: string | null, longer: string | null) => {
    const known = items.get(item_id);
    items.set(item_id, {item_id, slice: slice ?? known?.slice ?? null, longer_output: longer ?? known?.longer_output ?? null});
  };
  for (const {line, fields} of rows) {
    const opt = (...names: string[]) => {
      for (const n of names) if (n in fields && fields[n] !== "") return fields[n];
      return null;
    };
    if (layout === "labels") {
      const r = check(LabelsRow, {
        item_id: fields.item_id,
        rater: fields.rater ?? fields.judge,
        rater_type: opt("rater_type", "judge_type") ?? "human",
        label: fields.label ?? "",
        slice: opt("slice", "exam_taker", "split")
      }, file, line, errors);
      if (!r) continue;
      noteItem(r.item_id, r.slice, null);
      if (r.label === "") {
        missing++;
        continue;
      }
      if (r.rater_type === "human") {
        labels.push({item_id: r.item_id, rater: r.rater, label: r.label, slice: r.slice});
      } else {
        if (r.label !== "0" && r.label !== "1") {
          errors.push(`${file}:${line}: field "label": a ${r.rater_type} verdict must be 1 (pass), 0 (fail) or empty, got ${JSON.stringify(r.label)}`);
          continue;
        }
        scores.push({
          item_id: r.item_id,
          scorer: r.rater,
          kind: r.rater_type === "lexical" ? "deterministic" : "judge",
          params: {mode: "pointwise", source: "recorded"},
          value: Number(r.label),
          passed: r.label === "1",
          explanation: null,
          error: null
        });
      }
    } else if (layout === "pairwise-verdicts") {
      const r = check(PairwiseVerdictsRow, {
        item_id: fields.item_id,
        gold: fields.gold,
        evaluator: fields.evaluator,
        strategy: fields.strategy,
        verdict_original_order: fields.verdict_original_order ?? "",
        verdict_swapped_order: fields.verdict_swapped_order ?? "",
        split: opt("split", "slice"),
        swap_synthesized: fields.swap_synthesized ?? ""
      }, file, line, errors);
      if (!r) continue;
      noteItem(r.item_id, r.split, null);
      labels.push({item_id: r.item_id, rater: "gold", label: r.gold, slice: r.split});
      for (const order of ["original", "swapped"] as const) {
        const v = order === "original" ? r.verdict_original_order : r.verdict_swapped_order;
        scores.push({
          item_id: r.item_id,
          scorer: `${r.evaluator}/${r.strategy}`,
          kind: "judge",
          params: {mode: "pairwise", order, source: "recorded"},
          // value = 1 when output 1 is preferred, 0 when output 2 is (see judge/scores.ts, pairwiseLabel).
          value: v === "" ? null : v === "1" ? 1 : 0,
          passed: null,
          explanation: r.swap_synthesized === "1" ? "swap-and-synthesize: the two first-pass orders conflicted; synthesis-pass verdict" : null,
          error: v === "" ? `${NO_VERDICT}: the judge's answer could not be parsed upstream` : null
        });
      }
    } else {
      const r = check(PairwiseItemsRow, {item_id: fields.item_id, gold: fields.gold, longer_output: fields.longer_output, split: opt("split", "slice")}, file, line, errors);
      if (!r) continue;
      noteItem(r.item_id, r.split, r.longer_output === "0" ? null : r.longer_output);
      labels.push({item_id: r.item_id, rater: "gold", label: r.gold, slice: r.split});
    }
    if (errors.length >= 20) break;
  }
  if (errors.length) {
    throw new Error(`${file}: ${errors.length}${errors.length >= 20 ? "+" : ""} malformed row(s), nothing was ingested; fix them and re-run:\n  ${errors.join("\n  ")}`);
  }
  return {labels, scores, items: [...items.values()], missing};
}

function appendNullable(appender: DuckDBAppender, value: string | number | boolean | null, type: "varchar" | "double" | "boolean") {
  if (value === null) appender.appendNull();
  else if (type === "varchar") appender.appendVarchar(String(value));
  else if (type === "double") appender.appendDouble(value as number);
  else appender.appendBoolean(value as boolean);
}

/** Loads a labels file into the warehouse (one transaction). */
export async function ingestLabels(wh: Warehouse, file: string, opts: IngestLabelsOptions = {}): Promise<IngestLabelsSummary> {
  const path = resolve(file);
  const {rows, fileSha256} = readRows(path);
  if (rows.length === 0) throw new Error(`${file}: no rows; nothing to ingest`);
  const layout = detectLayout(file, new Set(Object.keys(rows[0].fields)));
  const dataset = opts.dataset ?? basename(dirname(path));
  const version = opts.version ?? "recorded";
  const {labels, scores, items, missing} = convert(file, layout, rows);
  const c = wh.connection;
  const batchId = `labels-${randomUUID()}`;
  const ingestedAt = new Date();
  const now = timestampValue(BigInt(ingestedAt.getTime()) * 1000n);

  // Existing rows of this dataset, to skip what is already there (exact duplicates only; changes are appended).
  const existingLabels = new Set(
    (await (await c.runAndReadAll(`SELECT item_id, rater, label FROM human_labels WHERE dataset = $1`, [dataset])).getRows()).map((r) => r.join("\u0000"))
  );
  const storedItems = (await c.runAndReadAll(`SELECT item_id, slice, longer_output FROM label_items WHERE dataset = $1`, [dataset])).getRows();
  const existingItems = new Set(storedItems.map((r) => r.map((x) => x ?? "").join("\u0000")));
  // An item row that only repeats the item and slice (a verdicts file gives no longer output) adds nothing.
  const existingItemSlices = new Set(storedItems.map(([item, slice]) => [item, slice ?? ""].join("\u0000")));
  const existingScores = new Set(
    (
      await (
        await c.runAndReadAll(
          `SELECT s.key_hash, s.scorer, s.scorer_version, s.params_hash, s.value, s.error FROM scores s
           WHERE s.key_hash IN (SELECT key_hash FROM label_items WHERE dataset = $1)`,
          [dataset]
        )
      ).getRows()
    ).map((r) => r.map((x) => (x === null ? "" : String(x))).join("\u0000"))
  );

  const trustByJudge = new Map<string, string>();
  for (const s of scores) {
    if (!trustByJudge.has(s.scorer)) trustByJudge.set(s.scorer, s.kind === "judge" ? await currentTrust(wh, s.scorer, configurationHash(judgeConfiguration(s.params))) : "");
  }

  let labelsAdded = 0, scoresAdded = 0;
  await c.run("BEGIN TRANSACTION");
  try {
    const itemAppender = await c.createAppender("label_items");
    for (const item of items) {
      if (existingItems.has([item.item_id, item.slice ?? "", item.longer_output ?? ""].join("\u0000"))) continue;
      if (item.longer_output == null && existingItemSlices.has([item.item_id, item.slice ?? ""].join("\u0000"))) continue;
      itemAppender.appendVarchar(dataset);
      itemAppender.appendVarchar(item.item_id);
      itemAppender.appendUHugeInt(labelItemKeyHash(dataset, item.item_id));
      appendNullable(itemAppender, item.slice, "varchar");
      appendNullable(itemAppender, item.longer_output, "varchar");
      itemAppender.appendVarchar(batchId);
      itemAppender.endRow();
    }
    itemAppender.closeSync();

    const labelAppender = await c.createAppender("human_labels");
    const seenLabels = new Set<string>();
    for (const l of labels) {
      const key = [l.item_id, l.rater, l.label].join("\u0000");
      if (existingLabels.has(key) || seenLabels.has(key)) continue;
      seenLabels.add(key);
      labelAppender.appendVarchar(dataset);
      labelAppender.appendVarchar(l.item_id);
      labelAppender.appendVarchar(l.rater);
      labelAppender.appendVarchar(l.label);
      appendNullable(labelAppender, l.slice, "varchar");
      appendNullable(labelAppender, opts.snapshotId ?? null, "varchar");
      labelAppender.appendVarchar(batchId);
      labelAppender.endRow();
      labelsAdded++;
    }
    labelAppender.closeSync();

    const scoreAppender = await c.createAppender("recorded_scores");
    for (const s of scores) {
      const keyHash = labelItemKeyHash(dataset, s.item_id);
      const paramsJson = canonicalJson(s.params);
      const paramsHash = sha256(paramsJson);
      const key = [keyHash, s.scorer, version, paramsHash, s.value === null ? "" : String(s.value), s.error ?? ""].join("\u0000");
      if (existingScores.has(key)) continue;
      existingScores.add(key);
      scoreAppender.appendUHugeInt(keyHash); // content_hash: the item as labelled has no other content
      scoreAppender.appendUHugeInt(keyHash);
      scoreAppender.appendVarchar(s.scorer);
      scoreAppender.appendVarchar(version);
      scoreAppender.appendVarchar(s.kind);
      scoreAppender.appendVarchar(paramsHash);
      scoreAppender.appendVarchar(paramsJson);
      appendNullable(scoreAppender, s.value, "double");
      appendNullable(scoreAppender, s.passed, "boolean");
      appendNullable(scoreAppender, s.explanation, "varchar");
      scoreAppender.appendNull(); // violations
      appendNullable(scoreAppender, s.error, "varchar");
      appendNullable(scoreAppender, trustByJudge.get(s.scorer) || null, "varchar");
      scoreAppender.appendTimestamp(now);
      scoreAppender.endRow();
      scoresAdded++;
    }
    scoreAppender.closeSync();

    await insertIngestBatch(c, {
      batchId,
      file: path,
      fileSha256,
      ingestedAt,
      snapshotId: opts.snapshotId ?? null,
      kind: "labels",
      rowsOk: labelsAdded + scoresAdded,
      rowsDuplicate: labels.length + scores.length - labelsAdded - scoresAdded,
      rowsCorrected: 0,
      rowsRejected: 0,
      options: opts.dataset ? JSON.stringify({dataset: opts.dataset}) : null
    });
    await c.run("COMMIT");
  } catch (err) {
    await c.run("ROLLBACK");
    throw err;
  }
  return {
    file: path,
    dataset,
    layout,
    batch_id: batchId,
    rows: rows.length,
    labels_added: labelsAdded,
    labels_unchanged: labels.length - labelsAdded,
    scores_added: scoresAdded,
    scores_unchanged: scores.length - scoresAdded,
    missing_skipped: missing,
    judges: [...new Set(scores.map((s) => s.scorer))].sort()
  };
}

/** One line for the command line. */
export function formatLabelsSummary(s: IngestLabelsSummary): string {
  const judges = s.judges.length ? `; verdicts of ${s.judges.length} judge(s): ${s.judges.slice(0, 8).join(", ")}${s.judges.length > 8 ? ", ..." : ""}` : "";
  return (
    `${s.file}: ${s.layout} layout, dataset "${s.dataset}", ${s.rows} rows: ${s.labels_added} labels added (${s.labels_unchanged} already there), ` +
    `${s.scores_added} judge scores added (${s.scores_unchanged} already there), ${s.missing_skipped} empty labels skipped${judges}. ` +
    `Audit a judge with: benchlab audit-judge --judge NAME`
  );
}
