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
    "mode pointwise: pass/fail, value 1/0. graded: an integer score on `scale`, value rescaled to [0, 1], passed = score >= pass_at when set " +
    "(pass_at above the scale's min and at most its max). " +
    "pairwise: the output (A) against the target (B) as a competing output; value 1 when the output is preferred, 0 when the target is; " +
    "`order` chooses which is shown first (run both orders to measure position bias), `swap_and_synthesize` judges both orders and " +
    "resolves a conflict with a synthesis pass (LLMBar Swap*). `model` defaults to BENCHLAB_JUDGE_MODEL / --judge-model. " +
    "A param the mode does not use (scale and pass_at outside graded; order and swap_and_synthesize outside pairwise; order with " +
    "swap_and_synthesize) is refused. `max_tokens` and `structured_output` shape every request (--max-tokens, --no-structured-output set them), so they are params too. " +
    "A record with no output is the model's failure: value 0 (fail; the bottom of the scale; target preferred) with no call. " +
    "Scores are unaudited (not trusted) until `benchlab audit-judge --judge llm-judge` passes.",
  params: z
    .object({
      model: z.string().min(1).describe("judge model name as the endpoint knows it; benchlab score fills it from --judge-model or BENCHLAB_JUDGE_MODEL when not given"),
      mode: z.enum(["pointwise", "graded", "pairwise"]).default("pointwise"),
      rubric: z.string().min(1).optional().describe("the criterion in words; a default rubric per mode otherwise"),
      scale: z.object({min: z.number().int(), max: z.number().int()}).strict().optional().describe("graded mode only: integer scale (default 1..5)"),
      pass_at: z.number().int().optional().describe("graded mode only: the lowest passing score, above the scale's min and at most its max"),
      // No zod defaults for the two pairwise params: a default would hide whether a pointwise or graded caller gave
      // one (which that mode would ignore). The transform below fills them in.
      order: z.enum(["original", "swapped"]).optional().describe("pairwise mode only: original = output shown first (default original)"),
      swap_and_synthesize: z.boolean().optional().describe("pairwise mode only: judge both orders, synthesize on conflict (default false)"),
      max_tokens: z.number().int().positive().default(1024).describe("max_tokens of each judge reply (--max-tokens)"),
      structured_output: z.boolean().default(true).describe("send the verdict's JSON Schema as response_format; false for servers that reject it (--no-structured-output)")
    })
    .strict()
    // Checked with the params, before any record is read, not once per record. A param the mode does not use is
    // refused: it would change nothing but the params hash.
    .superRefine((p, ctx) => {
      const unused = (param: "scale" | "pass_at" | "order" | "swap_and_synthesize", usedBy: string) => {
        if (p[param] !== undefined) ctx.addIssue({code: "custom", path: [param], message: `${usedBy}; mode ${p.mode} does not use it`});
      };
      if (p.mode !== "graded") {
        unused("scale", "only graded mode has a scale");
        unused("pass_at", "only graded mode has a pass threshold");
      }
      if (p.mode !== "pairwise") {
        unused("order", "only pairwise mode has an order");
        unused("swap_and_synthesize", "only pairwise mode swaps");
      } else if (p.swap_and_synthesize && p.order !== undefined) {
        ctx.addIssue({code: "custom", path: ["order"], message: "swap_and_synthesize judges both orders, so it does not use order"});
      }
      if (p.scale && p.scale.max <= p.scale.min) ctx.addIssue({code: "custom", path: ["scale"], message: "scale max must be above min"});
      else if (p.mode === "graded" && p.pass_at !== undefined) {
        const {min, max} = p.scale ?? DEFAULT_GRADED_SCALE;
        if (p.pass_at > max) ctx.addIssue({code: "custom", path: ["pass_at"], message: `${p.pass_at} is above the scale ${min}..${max}: no score could pass`});
        if (p.pass_at <= min) ctx.addIssue({code: "custom", path: ["pass_at"], message: `${p.pass_at} is at or below the scale's bottom ${min} (scale ${min}..${max}): every score would pass, a missing output too`});
      }
    })
    // The stored (canonical) params keep order and swap_and_synthesize with their defaults in every mode, as before
    // they were checked, so the params hash of every valid setting is unchanged.
    .transform((p) => ({...p, order: p.order ?? ("original" as const), swap_and_synthesize: p.swap_and_synthesize ?? false})),
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
