/**
 * The scorer API: what a scorer plugin is, and the one function a plugin calls, `defineScorer`.
 *
 * A scorer turns one run record into a score: a value in [0, 1] and/or a pass/fail verdict, with an explanation
 * and, for trajectory and state scorers, the violations found. A plugin is one file in `scorers/` (or a user's
 * folder) whose default export is `defineScorer({...})`, imported from the stable path `benchlab/scorer`.
 *
 * This module is pure (no Node imports) so the same scorers run in the CLI, in tests and in pages. It names no
 * plugin: the registry (data-loaders/scoring/registry.ts) discovers plugins at run time.
 */
import {z} from "zod";
import type {RunRecord, TrajectoryStep} from "./schema.ts";
import {describeZodIssues} from "./zod-issues.ts";

export {z};
export type {RunRecord, TrajectoryStep};
export * from "./text-match.ts";
export * from "./json-pointer.ts";
export * from "./zod-issues.ts";
// The judge service's types, for judge plugins (the "Write a scorer" page); types only, so nothing Node-side loads.
export type {JudgeCall, JudgeService, JudgementOutcome} from "./judge/judgement.ts";
export type {JudgeMaterial, RubricTemplate} from "./judge/prompts.ts";
export type {GradedVerdict, PairwiseVerdict, PointwiseVerdict} from "./judge/verdict.ts";

/**
 * What a scorer measures with: deterministic rules on the output, a goal state, the trajectory's steps, or a judge
 * model (issue 5). The kind is stored with every score so a reader can tell a rule from an opinion.
 */
export const ScorerKind = z.enum(["deterministic", "state", "trajectory", "judge"]);
export type ScorerKind = z.infer<typeof ScorerKind>;

/** A rule broken by a record: which rule, at which trajectory step (null when it is not about one step), and why. */
export interface Violation {
  rule: string;
  step: number | null;
  message: string;
}

/** What `score` returns. At least one of `value` and `passed`; `value` in [0, 1]. */
export interface ScoreResult {
  value?: number | null;
  passed?: boolean | null;
  explanation: string;
  violations?: Violation[];
}

/** A stored score: the result normalised (missing parts null), or the error that stopped the scorer. */
export interface Score {
  value: number | null;
  passed: boolean | null;
  explanation: string | null;
  violations: Violation[] | null;
  error: string | null;
}

/** The record fields a scorer may read: any subset of a run record (missing fields are null or absent). */
export type ScorableRecord = Readonly<Partial<RunRecord>>;

/**
 * Services a scoring run injects into every call (for example a judge client, issue 5). Declared as an interface
 * so a module can add its service by declaration merging: `declare module "benchlab/scorer" { interface
 * ScorerServices { judge: JudgeClient } }`.
 */
export interface ScorerServices {}

/** The context of a call: injected services and a signal that aborts a long run. */
export interface ScoreContext {
  services: Partial<ScorerServices> & Record<string, unknown>;
  signal?: AbortSignal;
}

/** Columns handed to a vectorised scorer: the i-th entries belong to the i-th record. */
export interface ScoreBatch {
  output: readonly (string | null)[];
  target: readonly (string | null)[];
}

/** Results of a vectorised call, one entry per record of the batch; `error` is set where `score` would throw. */
export interface BatchScores {
  value: (number | null)[];
  passed: (boolean | null)[];
  explanation: (string | null)[];
  error: (string | null)[];
}

/** Empty result columns for a batch of n records, for a `scoreBatch` to fill. */
export function emptyBatchScores(n: number): BatchScores {
  return {value: new Array(n).fill(null), passed: new Array(n).fill(null), explanation: new Array(n).fill(null), error: new Array(n).fill(null)};
}

export interface ScorerSpec<P extends z.ZodType = z.ZodType> {
  /** Unique name, lowercase words joined by hyphens (`exact-match`). */
  name: string;
  /** Bump when the scoring changes: scores are stored per version and a new version never overwrites old rows. */
  version: string;
  kind: ScorerKind;
  /** One line for `benchlab scorers`; the first line is used when there are several. */
  description: string;
  /** Longer documentation shown by `benchlab scorers show NAME`. */
  docs?: string;
  /** A zod schema of the parameters; its defaults fill what the caller leaves out. */
  params: P;
  /** Scores one record. May be async (a judge calls a model). */
  score(record: ScorableRecord, params: z.output<P>, ctx: ScoreContext): ScoreResult | Promise<ScoreResult>;
  /**
   * Optional vectorised form over output/target columns, used by scoring runs on large tables. Must agree with
   * `score` record by record (tests check this for the built-ins).
   */
  scoreBatch?(batch: ScoreBatch, params: z.output<P>, ctx: ScoreContext): BatchScores;
}

/** Marks objects made by defineScorer. `Symbol.for` so the mark survives separate copies of this module. */
export const SCORER_BRAND = Symbol.for("benchlab.scorer");

export type Scorer<P extends z.ZodType = z.ZodType> = Readonly<ScorerSpec<P>> & {
  readonly [SCORER_BRAND]: true;
  /**
   * The params as JSON Schema (input side: defaults shown, fields with defaults optional). Made by the zod
   * instance the plugin was defined with, which is the one holding its `.describe()` texts.
   */
  paramsJsonSchema(): Record<string, unknown>;
};

const NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * Declares a scorer. Checks the declaration itself (name, version, kind, params schema) so a broken plugin fails
 * when it is loaded, not half-way through a run.
 */
export function defineScorer<P extends z.ZodType>(spec: ScorerSpec<P>): Scorer<P> {
  const where = `defineScorer(${JSON.stringify(spec?.name ?? null)})`;
  if (typeof spec?.name !== "string" || !NAME.test(spec.name)) {
    throw new Error(`${where}: name must be lowercase words joined by hyphens, e.g. "exact-match"`);
  }
  if (typeof spec.version !== "string" || spec.version.trim() === "") throw new Error(`${where}: version must be a non-empty string, e.g. "1.0.0"`);
  if (!ScorerKind.safeParse(spec.kind).success) throw new Error(`${where}: kind must be one of ${ScorerKind.options.join(", ")}`);
  if (typeof spec.description !== "string" || spec.description.trim() === "") throw new Error(`${where}: description must be a non-empty string`);
  if (typeof spec.params?.safeParse !== "function") throw new Error(`${where}: params must be a zod schema, e.g. z.object({})`);
  if (typeof spec.score !== "function") throw new Error(`${where}: score must be a function (record, params, ctx) => result`);
  return Object.freeze({
    ...spec,
    [SCORER_BRAND]: true as const,
    paramsJsonSchema: () => z.toJSONSchema(spec.params, {io: "input", unrepresentable: "any"}) as Record<string, unknown>
  });
}

export function isScorer(value: unknown): value is Scorer {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[SCORER_BRAND] === true;
}

/** Validates parameters against a scorer's schema; the error names the scorer and each offending field. */
export function parseScorerParams<P extends z.ZodType>(scorer: Scorer<P>, raw: unknown): z.output<P> {
  // zod drops keys an object schema does not declare, so a misspelt param would silently run with its default.
  const declared = declaredParams(scorer.paramsJsonSchema());
  if (declared && typeof raw === "object" && raw !== null && !Array.isArray(raw)) {
    const unknown = Object.keys(raw).filter((k) => !declared.has(k));
    if (unknown.length)
      throw new Error(
        `scorer "${scorer.name}": unknown param${unknown.length > 1 ? "s" : ""} ${unknown.map((k) => JSON.stringify(k)).join(", ")}; ` +
          `its params are ${[...declared].join(", ") || "none"}. See \`benchlab scorers show ${scorer.name}\`.`
      );
  }
  const parsed = scorer.params.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  throw new Error(`scorer "${scorer.name}": invalid params: ${describeZodIssues(parsed.error, "(params)")}. See \`benchlab scorers show ${scorer.name}\`.`);
}

/**
 * The top-level param names a params JSON Schema declares (its properties, and those of every `allOf` part); null
 * when it accepts any other key too (a loose object) or is no object schema.
 */
function declaredParams(schema: Record<string, unknown>): Set<string> | null {
  const parts = Array.isArray(schema.allOf) ? (schema.allOf as Record<string, unknown>[]) : [schema];
  const names = new Set<string>();
  for (const part of parts) {
    if (part.type !== "object" || (part.additionalProperties !== undefined && part.additionalProperties !== false)) return null;
    for (const name of Object.keys((part.properties as Record<string, unknown> | undefined) ?? {})) names.add(name);
  }
  return names;
}

/**
 * What is wrong with a result's value or verdict, as [what was returned, what was expected] (null: nothing): the one
 * rule for a `score` result and for each row of a `scoreBatch` result.
 */
export function wrongValueOrVerdict(value: unknown, passed: unknown): [string, string] | null {
  if (value !== null && !(typeof value === "number" && value >= 0 && value <= 1)) return [`value ${String(value)}`, "a number in [0, 1] or null"];
  if (passed !== null && typeof passed !== "boolean") return [`passed ${JSON.stringify(passed)}`, "a boolean or null"];
  return null;
}

/** A result the scorer API forbids (a value outside [0, 1], no value and no verdict): the plugin's bug, not the record's. */
export class ScorerResultError extends Error {}

/** Checks and completes what a scorer returned: value in [0, 1], passed boolean, explanation string. */
export function normaliseResult(scorer: Pick<Scorer, "name">, result: ScoreResult): Score {
  if (typeof result !== "object" || result === null) throw new ScorerResultError(`scorer "${scorer.name}" returned ${typeof result}, expected {value, passed, explanation}`);
  const value = result.value ?? null;
  const passed = result.passed ?? null;
  const wrong = wrongValueOrVerdict(value, passed);
  if (wrong) throw new ScorerResultError(`scorer "${scorer.name}" returned ${wrong[0]}, expected ${wrong[1]}`);
  if (value === null && passed === null) throw new ScorerResultError(`scorer "${scorer.name}" returned neither value nor passed`);
  return {
    value,
    passed,
    explanation: typeof result.explanation === "string" ? result.explanation : null,
    violations: result.violations ?? null,
    error: null
  };
}

/**
 * Scores one record: calls the scorer and normalises the result. A scorer that throws yields a score with
 * `error` set and no value, so one bad record never stops a run.
 */
export async function scoreRecord<P extends z.ZodType>(
  scorer: Scorer<P>,
  record: ScorableRecord,
  params: z.output<P>,
  ctx: ScoreContext = {services: {}}
): Promise<Score> {
  try {
    return normaliseResult(scorer, await scorer.score(record, params, ctx));
  } catch (err) {
    return {value: null, passed: null, explanation: null, violations: null, error: err instanceof Error ? err.message : String(err)};
  }
}

/** Parameters of text normalisation (see `normaliseText`), shared by the text-comparing scorers. */
export const NormaliseParams = z.object({
  ignoreCase: z.boolean().default(false).describe("compare case-insensitively"),
  whitespace: z.enum(["exact", "trim", "collapse", "remove"]).default("trim").describe("exact | trim the ends | collapse runs | remove all"),
  ignorePunctuation: z.boolean().default(false).describe("drop punctuation: ASCII string.punctuation (incl. $+<=>^`|~) and Unicode \\p{P}"),
  nfkc: z.boolean().default(false).describe("apply Unicode NFKC normalisation first")
});
