/**
 * The structured verdict an LLM judge must return, one zod schema per rubric mode, and the parser that turns the
 * judge's reply into one of them.
 *
 * The verdict is taken only from the judge's reply parsed against the schema: a reply that is not exactly one JSON
 * object of the right shape is a parse error (the caller retries, then stores the error), never a guess scraped
 * from free text, and never anything read from the judged output itself (issue 5, prompt injection).
 */
import {z} from "zod";
import {describeZodIssues} from "../zod-issues.ts";

/** How a rubric asks for a judgement: pass/fail, a score on an integer scale, or which of two outputs is better. */
export const JudgeMode = z.enum(["pointwise", "graded", "pairwise"]);
export type JudgeMode = z.infer<typeof JudgeMode>;

/** An integer scale for graded rubrics, inclusive at both ends. */
export interface GradedScale {
  min: number;
  max: number;
}

/** The scale of a graded rubric that names none. */
export const DEFAULT_GRADED_SCALE: GradedScale = {min: 1, max: 5};

// No length limit in the schema (strict structured-output modes reject some string constraints); max_tokens bounds it.
const reasoning = z.string().describe("a short justification, written before the verdict");

export const PointwiseVerdict = z
  .object({reasoning, verdict: z.enum(["pass", "fail"]).describe("pass if the output meets the rubric, else fail")})
  .strict();
export type PointwiseVerdict = z.infer<typeof PointwiseVerdict>;

export function gradedVerdict(scale: GradedScale) {
  return z
    .object({reasoning, score: z.number().int().min(scale.min).max(scale.max).describe(`an integer from ${scale.min} to ${scale.max}`)})
    .strict();
}
export type GradedVerdict = {reasoning: string; score: number};

export const PairwiseVerdict = z
  .object({reasoning, winner: z.enum(["A", "B"]).describe("A if Output A is better, B if Output B is better")})
  .strict();
export type PairwiseVerdict = z.infer<typeof PairwiseVerdict>;

export type Verdict = PointwiseVerdict | GradedVerdict | PairwiseVerdict;

/** The schema a judge in `mode` must answer with. */
export function verdictSchema(mode: JudgeMode, scale?: GradedScale): z.ZodType<Verdict> {
  if (mode === "pointwise") return PointwiseVerdict;
  if (mode === "pairwise") return PairwiseVerdict;
  if (!scale) throw new Error("a graded rubric needs a scale {min, max}");
  return gradedVerdict(scale);
}

/** JSON Schema of the verdict, sent as `response_format` so servers that support structured output enforce it. */
export function verdictJsonSchema(mode: JudgeMode, scale?: GradedScale): Record<string, unknown> {
  const {$schema: _drop, ...schema} = z.toJSONSchema(verdictSchema(mode, scale)) as Record<string, unknown>;
  return schema;
}

export type ParsedVerdict<V> = {ok: true; verdict: V} | {ok: false; error: string};

/** A reply wrapped in one Markdown code fence (some servers add it even in JSON mode); the fence is not content. */
const FENCED = /^```(?:json)?\s*\n([\s\S]*?)\n?```$/;

/**
 * Parses a judge reply into the verdict schema. Accepts exactly one JSON object, optionally inside a single
 * ```json fence; anything else is an error whose message says what was wrong (shown to the judge on retry).
 */
export function parseVerdict<V extends Verdict>(reply: string | null | undefined, schema: z.ZodType<V>): ParsedVerdict<V> {
  if (reply == null || reply.trim() === "") return {ok: false, error: "the reply was empty"};
  const text = reply.trim();
  const body = FENCED.exec(text)?.[1] ?? text;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (err) {
    return {ok: false, error: `the reply is not a JSON object (${err instanceof Error ? err.message : String(err)})`};
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return {ok: true, verdict: parsed.data};
  return {ok: false, error: `the reply does not match the verdict schema: ${describeZodIssues(parsed.error, "(reply)")}`};
}
