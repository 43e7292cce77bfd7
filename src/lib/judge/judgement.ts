/**
 * One judgement: build the rubric prompt, ask the model, parse the reply into the verdict schema; on a malformed
 * reply ask again with the parse error (up to `maxRepairs` times), then give up with an error. Never a guess.
 * Also swap-and-synthesize for pairwise rubrics (LLMBar's Swap*, Zeng et al. 2023, arXiv 2310.07641): judge the
 * pair in both orders; if the two verdicts conflict, a synthesis pass sees both evaluations and decides.
 *
 * Pure: the model is reached through the injected `ChatCompleter`, which in the CLI is the cached HTTP client of
 * data-loaders/judge/client.ts and in tests anything that answers.
 */
import type {ZodType} from "zod";
import {judgePrompt, repairTurn, synthesisPrompt, type ChatMessage, type JudgeMaterial, type RubricTemplate} from "./prompts.ts";
import {parseVerdict, verdictJsonSchema, verdictSchema, type PairwiseVerdict, type Verdict} from "./verdict.ts";

/**
 * The settings of a judge's calls that change its replies: part of a judge scorer's params, so they are part of
 * every score's params hash.
 */
export interface JudgeCall {
  model: string;
  /** max_tokens of each reply. */
  maxTokens: number;
  /** Send the verdict's JSON Schema as `response_format` (structured output); off for servers that reject it. */
  structuredOutput: boolean;
}

export interface CompletionRequest extends JudgeCall {
  messages: ChatMessage[];
  /** JSON Schema of the expected reply, sent as structured-output `response_format` when `structuredOutput`. */
  jsonSchema: Record<string, unknown>;
}

/** Answers chat completions; returns the reply text (null when the model returned no content). */
export interface ChatCompleter {
  complete(request: CompletionRequest, signal?: AbortSignal): Promise<string | null>;
}

export type JudgementOutcome<V extends Verdict = Verdict> =
  | {ok: true; verdict: V; attempts: number}
  | {ok: false; error: string; attempts: number};

/** Replies that fail to parse before the judgement is stored as an error. */
export const DEFAULT_MAX_REPAIRS = 2;

async function converse<V extends Verdict>(
  completer: ChatCompleter,
  call: JudgeCall,
  template: RubricTemplate,
  messages: ChatMessage[],
  maxRepairs: number,
  signal?: AbortSignal
): Promise<JudgementOutcome<V>> {
  const schema = verdictSchema(template.mode, template.scale) as ZodType<V>;
  const jsonSchema = verdictJsonSchema(template.mode, template.scale);
  let conversation = messages;
  let lastError = "";
  for (let attempt = 1; attempt <= maxRepairs + 1; attempt++) {
    const reply = await completer.complete({...call, messages: conversation, jsonSchema}, signal);
    const parsed = parseVerdict<V>(reply, schema);
    if (parsed.ok) return {ok: true, verdict: parsed.verdict, attempts: attempt};
    lastError = parsed.error;
    // The conversation grows with each failed reply, so every retry is a new request (an identical one would be
    // answered from the cache with the same bad reply).
    conversation = [...conversation, ...repairTurn(reply ?? "", parsed.error)];
  }
  return {ok: false, error: `malformed verdict after ${maxRepairs + 1} attempts: ${lastError}`, attempts: maxRepairs + 1};
}

/** One judgement under a rubric (pointwise, graded, or pairwise in the order given). */
export function judgeOnce<V extends Verdict = Verdict>(
  completer: ChatCompleter,
  call: JudgeCall,
  template: RubricTemplate,
  material: JudgeMaterial,
  options: {maxRepairs?: number; signal?: AbortSignal} = {}
): Promise<JudgementOutcome<V>> {
  return converse<V>(completer, call, template, judgePrompt(template, material), options.maxRepairs ?? DEFAULT_MAX_REPAIRS, options.signal);
}

export interface SwapOutcome {
  /** "A" = material.output_a is better, in the material's own order. */
  winner: "A" | "B";
  /** Whether the two orders conflicted and the synthesis pass decided. */
  synthesized: boolean;
  attempts: number;
}

/**
 * Swap-and-synthesize: the pair in the material's order and swapped; agreeing verdicts stand, conflicting ones go
 * to a synthesis pass. Any pass without a usable verdict makes the whole judgement an error.
 */
export async function judgeSwapAndSynthesize(
  completer: ChatCompleter,
  call: JudgeCall,
  template: RubricTemplate,
  material: JudgeMaterial,
  options: {maxRepairs?: number; signal?: AbortSignal} = {}
): Promise<{ok: true; outcome: SwapOutcome} | {ok: false; error: string; attempts: number}> {
  const swapped: JudgeMaterial = {...material, output_a: material.output_b, output_b: material.output_a};
  const [first, second] = await Promise.all([
    judgeOnce<PairwiseVerdict>(completer, call, template, material, options),
    judgeOnce<PairwiseVerdict>(completer, call, template, swapped, options)
  ]);
  const attempts = first.attempts + second.attempts;
  if (!first.ok) return {ok: false, error: `original order: ${first.error}`, attempts};
  if (!second.ok) return {ok: false, error: `swapped order: ${second.error}`, attempts};
  const secondInOriginal = second.verdict.winner === "A" ? "B" : "A";
  if (first.verdict.winner === secondInOriginal) return {ok: true, outcome: {winner: first.verdict.winner, synthesized: false, attempts}};
  const synthesis = await converse<PairwiseVerdict>(
    completer,
    call,
    template,
    synthesisPrompt(template, material, first.verdict.reasoning, second.verdict.reasoning),
    options.maxRepairs ?? DEFAULT_MAX_REPAIRS,
    options.signal
  );
  if (!synthesis.ok) return {ok: false, error: `synthesis pass: ${synthesis.error}`, attempts: attempts + synthesis.attempts};
  return {ok: true, outcome: {winner: synthesis.verdict.winner, synthesized: true, attempts: attempts + synthesis.attempts}};
}

/**
 * What a judge scorer finds in `ctx.services.judge`: judgements against a model, with calls, caching and budget
 * handled behind it. The call's settings come from the scorer's params (so they are part of the score's params hash).
 */
export interface JudgeService {
  judge<V extends Verdict = Verdict>(call: JudgeCall, template: RubricTemplate, material: JudgeMaterial, signal?: AbortSignal): Promise<JudgementOutcome<V>>;
  judgeSwapAndSynthesize(call: JudgeCall, template: RubricTemplate, material: JudgeMaterial, signal?: AbortSignal): ReturnType<typeof judgeSwapAndSynthesize>;
}

/** The judge service over any completer. */
export function judgeService(completer: ChatCompleter, options: {maxRepairs?: number} = {}): JudgeService {
  return {
    judge: (call, template, material, signal) => judgeOnce(completer, call, template, material, {...options, signal}),
    judgeSwapAndSynthesize: (call, template, material, signal) => judgeSwapAndSynthesize(completer, call, template, material, {...options, signal})
  };
}
