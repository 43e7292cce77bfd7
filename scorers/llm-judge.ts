import {defineScorer, z} from "benchlab/scorer";
import type {JudgeCall, JudgeService} from "../src/lib/judge/judgement.ts";
import {DEFAULT_GRADED_SCALE} from "../src/lib/judge/verdict.ts";

/**
 * An LLM judge (issue 5): a model rates the record's output under a rubric. The call goes through the judge service
 * a scoring run injects as `ctx.services.judge` (cached, budgeted; data-loaders/judge/setup.ts). The output and
 * target enter the prompt only as delimited data; the verdict comes only from the judge's structured reply, and a
 * reply that does not parse (after retries) is stored as an error, never guessed.
 *
 * Its scores are not trusted until `benchlab audit-judge` has measured the judge against human labels; until then
 * they are stored with trust "unaudited".
 */
export default defineScorer({
  name: "llm-judge",
  version: "1.1.0",
  kind: "judge",
  description: "An LLM judge rates the output under a rubric (pass/fail, graded scale, or pairwise against the target).",
  docs:
    "mode pointwise: pass/fail, value 1/0. graded: an integer score on `scale`, value rescaled to [0, 1], passed = score >= pass_at when set. " +
    "pairwise: the output (A) against the target (B) as a competing output; value 1 when the output is preferred, 0 when the target is; " +
    "`order` chooses which is shown first (run both orders to measure position bias), `swap_and_synthesize` judges both orders and " +
    "resolves a conflict with a synthesis pass (LLMBar Swap*). `model` defaults to BENCHLAB_JUDGE_MODEL / --judge-model; " +
    "`max_tokens` and `structured_output` shape every request (--max-tokens, --no-structured-output set them), so they are params too. " +
    "A record with no output is the model's failure: value 0 (fail; the bottom of the scale; target preferred) with no call. " +
    "Scores are unaudited (not trusted) until `benchlab audit-judge --judge llm-judge` passes.",
  params: z
    .object({
      model: z.string().min(1).describe("judge model name as the endpoint knows it; benchlab score fills it from --judge-model or BENCHLAB_JUDGE_MODEL when not given"),
      mode: z.enum(["pointwise", "graded", "pairwise"]).default("pointwise"),
      rubric: z.string().min(1).optional().describe("the criterion in words; a default rubric per mode otherwise"),
      scale: z.object({min: z.number().int(), max: z.number().int()}).strict().optional().describe("graded mode: integer scale (default 1..5)"),
      pass_at: z.number().int().optional().describe("graded mode: the lowest passing score"),
      order: z.enum(["original", "swapped"]).default("original").describe("pairwise: original = output shown first"),
      swap_and_synthesize: z.boolean().default(false).describe("pairwise: judge both orders, synthesize on conflict"),
      max_tokens: z.number().int().positive().default(1024).describe("max_tokens of each judge reply (--max-tokens)"),
      structured_output: z.boolean().default(true).describe("send the verdict's JSON Schema as response_format; false for servers that reject it (--no-structured-output)")
    })
    .strict()
    // Checked with the params, before any record is read, not once per record.
    .refine((p) => !p.scale || p.scale.max > p.scale.min, {path: ["scale"], message: "scale max must be above min"}),
  async score(record, params, ctx) {
    const judge = ctx.services.judge as JudgeService | undefined;
    if (!judge) throw new Error("llm-judge needs a judge endpoint: set BENCHLAB_JUDGE_BASE_URL and BENCHLAB_JUDGE_MODEL (or the --judge-* flags)");
    const call: JudgeCall = {model: params.model, maxTokens: params.max_tokens, structuredOutput: params.structured_output};
    // A missing output is the model's failure, scored as the lowest verdict with no call, as every scorer does.
    const noOutput = record.output == null;

    if (params.mode === "pairwise") {
      if (record.target == null) throw new Error("pairwise mode compares the output with the target, and this record has no target");
      if (noOutput) return {value: 0, explanation: "no output (not sent to the judge): target preferred"};
      const template = {mode: "pairwise" as const, rubric: params.rubric};
      if (params.swap_and_synthesize) {
        const result = await judge.judgeSwapAndSynthesize(call, template, {output_a: record.output, output_b: record.target}, ctx.signal);
        if (!result.ok) throw new Error(result.error);
        const {winner, synthesized} = result.outcome;
        return {value: winner === "A" ? 1 : 0, explanation: `${winner === "A" ? "output" : "target"} preferred in both orders${synthesized ? " after a synthesis pass (the orders conflicted)" : ""}`};
      }
      const outputFirst = params.order === "original";
      const material = outputFirst ? {output_a: record.output, output_b: record.target} : {output_a: record.target, output_b: record.output};
      const result = await judge.judge<{reasoning: string; winner: "A" | "B"}>(call, template, material, ctx.signal);
      if (!result.ok) throw new Error(result.error);
      const outputWins = (result.verdict.winner === "A") === outputFirst;
      return {value: outputWins ? 1 : 0, explanation: `${outputWins ? "output" : "target"} preferred: ${result.verdict.reasoning}`};
    }

    const material = {output: record.output, target: record.target ?? null};
    if (params.mode === "graded") {
      const scale = params.scale ?? DEFAULT_GRADED_SCALE;
      if (noOutput) return {value: 0, passed: params.pass_at === undefined ? null : scale.min >= params.pass_at, explanation: `no output (not sent to the judge): score ${scale.min}, the bottom of the scale`};
      const result = await judge.judge<{reasoning: string; score: number}>(call, {mode: "graded", rubric: params.rubric, scale}, material, ctx.signal);
      if (!result.ok) throw new Error(result.error);
      const s = result.verdict.score;
      return {
        value: (s - scale.min) / (scale.max - scale.min),
        passed: params.pass_at === undefined ? null : s >= params.pass_at,
        explanation: `score ${s} on ${scale.min}..${scale.max}: ${result.verdict.reasoning}`
      };
    }
    if (noOutput) return {value: 0, passed: false, explanation: "no output (not sent to the judge)"};
    const result = await judge.judge<{reasoning: string; verdict: "pass" | "fail"}>(call, {mode: "pointwise", rubric: params.rubric}, material, ctx.signal);
    if (!result.ok) throw new Error(result.error);
    const passed = result.verdict.verdict === "pass";
    return {value: passed ? 1 : 0, passed, explanation: result.verdict.reasoning};
  }
});
