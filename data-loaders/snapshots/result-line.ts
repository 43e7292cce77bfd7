/**
 * One line of a bundled `*.results.jsonl.gz` file: an `AggregateResult` plus the source's other columns.
 *
 * Leaderboards publish more than the result schema holds (tau2 version, edit format, upstream flags, ...).
 * Those columns ride along as `attributes` (text exactly as published; absent when empty upstream) and are
 * loaded into `result_attributes`, joined to `results` on (batch_id, line).
 */
import {z} from "zod";
import {AggregateResult, SnapshotManifest} from "../../src/lib/schema.ts";

export const ResultAttributes = z.record(z.string().min(1), z.string());
export type ResultAttributes = z.infer<typeof ResultAttributes>;

export type ResultLine = AggregateResult & {attributes?: ResultAttributes};

/** Splits a parsed line into its result and attributes, validating both; throws a zod error on bad input. */
export function parseResultLine(value: unknown): {result: AggregateResult; attributes: ResultAttributes} {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new Error("expected a JSON object");
  }
  const {attributes, ...result} = value as Record<string, unknown>;
  return {result: AggregateResult.parse(result), attributes: ResultAttributes.parse(attributes ?? {})};
}

/**
 * A dated snapshot of the source inside a bundle, e.g. one committed version of a leaderboard. A bundle that
 * holds several lists them in `source-snapshots.jsonl.gz`; results rows point to them by `snapshot_id`.
 */
export const SOURCE_SNAPSHOTS_FILE = "source-snapshots.jsonl.gz";
export const SourceSnapshot = z
  .object({
    snapshot_id: SnapshotManifest.shape.id,
    snapshot_date: SnapshotManifest.shape.snapshot_date,
    title: z.string().min(1),
    source: z.string().min(1),
    source_commit: z.string().nullish()
  })
  .strict();
export type SourceSnapshot = z.infer<typeof SourceSnapshot>;

/**
 * Flags written into `notes`, so pages can filter on them (`notes LIKE '%flag:<code>%'`): by make-snapshots when
 * the bundle is made, except `value-out-of-range`, which `withLoadFlags` adds when a bundle is loaded (a check of
 * the value alone, so it needs no rebuilt bundle). Several flags on one row are joined by "; ".
 */
export const RESULT_FLAGS = {
  /** Another entry of the same board and leaderboard snapshot has the same display name. */
  sameNameCollision: "same-name-collision",
  /** Another entry of the same board and leaderboard snapshot has the same source id (folder). */
  sameEntryCollision: "same-entry-collision",
  /** The row repeats a row of another board of the same leaderboard snapshot (SWE-bench `lite` = `Lite`). */
  duplicateBoard: "duplicate-of-board",
  /** The published number differs from the one recomputed from the per-item data. */
  publishedVsPerItem: "published-vs-per-item",
  /** A published submission date is not a date; `submitted` is null. */
  badDate: "unparseable-date",
  /** A cost of 0 that the source uses for "not reported"; `cost_usd` is null. */
  costUnreported: "cost-unreported",
  /** The number was not published (upstream "??" or empty); `value` is null. */
  valueUnreported: "value-unreported",
  /**
   * The source's own date was not captured, so `as_of` is the day the snapshot was taken (the number was published
   * by then, maybe long before): not a date of the result. Pages leave it out of anything that dates results.
   */
  asOfTaken: "as-of-taken",
  /** A percentage metric outside [0, 100] (e.g. a SWE-bench Verified row of 271 "percent"): kept, flagged. */
  valueOutOfRange: "value-out-of-range"
} as const;

/** Percentage metrics carry their unit in the name (snapshots/README.md): `_pct` (`resolved_pct_per_instance`) or `percent_`. */
export function isPercentMetric(metric: string): boolean {
  return /(^|_)pct($|_)|^percent_/.test(metric);
}

/** `result` with the flags checked at load time appended to its notes (the row itself is kept as published). */
export function withLoadFlags(result: AggregateResult): AggregateResult {
  const {metric, value} = result;
  if (value == null || !isPercentMetric(metric) || (value >= 0 && value <= 100)) return result;
  const flag = `flag:${RESULT_FLAGS.valueOutOfRange} ${metric} = ${value} is not a percentage in [0, 100] (as published)`;
  return {...result, notes: result.notes ? `${result.notes}; ${flag}` : flag};
}
