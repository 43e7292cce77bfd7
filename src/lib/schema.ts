/**
 * The run-record schema and its siblings: the one source of truth for what benchlab stores.
 *
 * TypeScript types are inferred from these zod schemas, and the DuckDB column types of the warehouse are
 * derived from them (`duckdbColumns`), so a field is added in exactly one place.
 *
 * Absent optional fields are `null` in storage and "—" on a page (see `src/lib/format.ts`), never a default.
 * The single exception is `trial`, which defaults to 0.
 */
import {z} from "zod";

/** A step of an agent trajectory: who acted, and which tool call with which arguments, if any. */
export const TrajectoryStep = z
  .object({
    actor: z.enum(["agent", "user", "tool", "system"]),
    tool: z.string().nullish(),
    arguments: z.record(z.string(), z.unknown()).nullish(),
    content: z.string().nullish(),
    at: z.string().nullish()
  })
  .strict();
export type TrajectoryStep = z.infer<typeof TrajectoryStep>;

/**
 * A calendar date YYYY-MM-DD: each month's days, February 29 in leap years of the Gregorian calendar only (divisible
 * by 4, and by 400 when by 100). A regular expression rather than a refinement, so the SQL checks and the fast path's
 * line pattern apply it too.
 */
const CALENDAR_DATE =
  "(?:\\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\\d|30)|02-(?:0[1-9]|1\\d|2[0-8]))|(?:\\d\\d(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)-02-29)";
const isoDate = z.string().regex(new RegExp(`^${CALENDAR_DATE}$`), "expected a calendar date YYYY-MM-DD");
/**
 * ISO 8601 date-time as text (stored as given, offset and all): a calendar date, then optionally hours, minutes,
 * seconds (60 for a leap second), a fraction and an offset.
 */
const isoDateTime = z
  .string()
  .regex(
    new RegExp(`^${CALENDAR_DATE}(?:[T ](?:[01]\\d|2[0-3])(?::[0-5]\\d(?::(?:[0-5]\\d|60)(?:[.]\\d+)?)?)?(?:Z|[+-](?:[01]\\d|2[0-3]):?[0-5]\\d)?)?$`),
    "expected an ISO date-time (YYYY-MM-DD, then optionally Thh:mm:ss with a fraction and Z or an offset)"
  );
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, "expected 64 lowercase hex digits (sha256)");
const jsonValue = z.unknown();

/**
 * Field groups of a run record. The order of fields here is the column order of `records`.
 * `kind` drives the DuckDB type: see `duckdbColumns`.
 */
export const RunRecordShape = {
  // required identity
  benchmark: z.string().min(1),
  item_id: z.string().min(1),
  model: z.string().min(1),
  run_id: z.string().min(1),
  // optional identity (part of the canonical key; null matches null)
  split: z.string().nullish(),
  harness: z.string().nullish(),
  mode: z.string().nullish(),
  plugins: z.string().nullish(),
  trial: z.number().int().nonnegative().default(0),
  // outcome (at least one of score / passed / output)
  score: z.number().finite().nullish(),
  passed: z.boolean().nullish(),
  output: z.string().nullish(),
  target: z.string().nullish(),
  final_state: jsonValue.nullish(),
  initial_state: jsonValue.nullish(),
  trajectory: z.array(TrajectoryStep).nullish(),
  latency_ms: z.number().nonnegative().nullish(),
  cost_usd: z.number().nonnegative().nullish(),
  tokens_in: z.number().int().nonnegative().nullish(),
  tokens_out: z.number().int().nonnegative().nullish(),
  run_at: isoDateTime.nullish(),
  slices: z.record(z.string(), z.string()).nullish(),
  // provenance: pins the bytes that produced the result
  harness_sha: z.string().nullish(),
  endpoint_sha: z.string().nullish(),
  sampling_profile: z.string().nullish(),
  item_added: isoDate.nullish(),
  prompt_sha256: sha256.nullish(),
  output_sha256: sha256.nullish()
} as const;

/** A record carries an outcome: at least one of these fields is non-null (the one cross-field rule of RunRecord). */
export const RECORD_OUTCOME_FIELDS = ["score", "passed", "output"] as const;

export const RunRecord = z
  .object(RunRecordShape)
  .strict()
  .refine((r) => RECORD_OUTCOME_FIELDS.some((field) => r[field] != null), {
    message: "a record needs at least one of score, passed or output",
    path: ["score"]
  });
export type RunRecord = z.infer<typeof RunRecord>;
export type RunRecordInput = z.input<typeof RunRecord>;

/** The canonical key of a record; absent fields are null and compare with IS NOT DISTINCT FROM. */
export const RECORD_KEY = ["benchmark", "split", "run_id", "model", "harness", "mode", "plugins", "item_id", "trial"] as const;

/** Storage kind of each record field, from which DuckDB types are derived. */
export type FieldKind = "text" | "int" | "double" | "bool" | "json" | "date" | "timestamp" | "map";
export const RECORD_FIELD_KINDS: Record<keyof typeof RunRecordShape, FieldKind> = {
  benchmark: "text",
  item_id: "text",
  model: "text",
  run_id: "text",
  split: "text",
  harness: "text",
  mode: "text",
  plugins: "text",
  trial: "int",
  score: "double",
  passed: "bool",
  output: "text",
  target: "text",
  final_state: "json",
  initial_state: "json",
  trajectory: "json",
  latency_ms: "double",
  cost_usd: "double",
  tokens_in: "int",
  tokens_out: "int",
  run_at: "text",
  slices: "map",
  harness_sha: "text",
  endpoint_sha: "text",
  sampling_profile: "text",
  item_added: "date",
  prompt_sha256: "text",
  output_sha256: "text"
};

const DUCKDB_TYPES: Record<FieldKind, string> = {
  text: "VARCHAR",
  int: "BIGINT",
  double: "DOUBLE",
  bool: "BOOLEAN",
  json: "JSON",
  date: "DATE",
  timestamp: "TIMESTAMP",
  map: "MAP(VARCHAR, VARCHAR)"
};

/** DuckDB column definitions for the record fields, in schema order. */
export function duckdbColumns(): {name: string; type: string; required: boolean}[] {
  return Object.entries(RECORD_FIELD_KINDS).map(([name, kind]) => ({
    name,
    type: DUCKDB_TYPES[kind],
    required: !(RunRecordShape as Record<string, z.ZodType>)[name].safeParse(undefined).success
  }));
}

export const Direction = z.enum(["higher-is-better", "lower-is-better"]);
export const VerificationTier = z.enum(["self-reported", "community-reproduced", "reproduced"]);
export type VerificationTier = z.infer<typeof VerificationTier>;

/** A benchmark: a task-dataset-metric triple with the facts a reader needs to weigh its numbers. */
export const Benchmark = z
  .object({
    benchmark: z.string().min(1),
    task: z.string().min(1),
    dataset: z.string().min(1),
    metric: z.string().min(1),
    direction: Direction,
    split: z.string().nullish(),
    verification_tier: VerificationTier,
    source_url: z.string().nullish(),
    licence: z.string().nullish(),
    released: isoDate.nullish(),
    notes: z.string().nullish()
  })
  .strict();
export type Benchmark = z.infer<typeof Benchmark>;

/**
 * An aggregate result: one leaderboard row. Keyed by (board, snapshot_id, entry_id) where entry_id is the
 * source's own id (SWE-bench's `folder`), else "name#position". Same-key collisions are kept and flagged.
 */
export const AggregateResult = z
  .object({
    board: z.string().min(1),
    benchmark: z.string().min(1),
    snapshot_id: z.string().min(1),
    entry_id: z.string().min(1),
    system: z.string().min(1),
    model: z.string().nullish(),
    metric: z.string().min(1),
    value: z.number().finite().nullish(),
    n: z.number().int().nonnegative().nullish(),
    as_of: isoDate,
    submitted: isoDate.nullish(),
    source: z.string().min(1),
    verification_tier: VerificationTier,
    cost_usd: z.number().nonnegative().nullish(),
    notes: z.string().nullish()
  })
  .strict();
export type AggregateResult = z.infer<typeof AggregateResult>;

/** A snapshot manifest: frozen, dated data with the hashes and row counts of its files. */
export const SnapshotManifest = z
  .object({
    id: z.string().regex(/^\d{4}-\d{2}-\d{2}-[a-z0-9][a-z0-9-]*$/, "expected <snapshot_date>-<slug>"),
    snapshot_date: isoDate,
    title: z.string().min(1),
    source: z.string().min(1),
    source_commit: z.string().nullish(),
    methodology_version: z.string().min(1),
    licence: z.string().min(1),
    sources: z.array(z.string()).min(1),
    files: z
      .array(
        z
          .object({
            // A file of the snapshot's own folder: a path out of it (../.., /etc) would load a file nobody reviewed.
            path: z.string().regex(/^(?!\.\.?$)[\w.-]+$/, "a file name in the snapshot's folder (letters, digits, _ . -; no folder, no ..)"),
            sha256,
            rows: z.number().int().nonnegative(),
            kind: z.enum(["records", "results", "labels", "registry", "trajectories", "other"]),
            description: z.string().nullish()
          })
          .strict()
      )
      .min(1),
    notes: z.string().nullish()
  })
  .strict();
export type SnapshotManifest = z.infer<typeof SnapshotManifest>;

/** A human (or gold) label of one item by one rater. */
export const HumanLabel = z
  .object({
    dataset: z.string().min(1),
    item_id: z.string().min(1),
    rater: z.string().min(1),
    label: z.string().min(1),
    slice: z.string().nullish(),
    snapshot_id: z.string().nullish()
  })
  .strict();
export type HumanLabel = z.infer<typeof HumanLabel>;
