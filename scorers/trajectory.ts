import {RE2JS} from "re2js";
import {defineScorer, describeZodIssues, jsonEqual, parseJsonOutput, z, type TrajectoryStep, type Violation} from "benchlab/scorer";

const Actor = z.enum(["agent", "user", "tool", "system"]);

/** Which steps a rule is about. Every given condition must hold; an empty matcher matches every step. */
const StepMatch = z
  .object({
    actor: Actor.optional().describe("who acted"),
    tool: z.string().min(1).optional().describe("the tool called"),
    args: z.record(z.string(), z.unknown()).optional().describe("arguments the call must have"),
    compareArgs: z.array(z.string()).optional().describe("compare only these argument names (tau2 compare_args); [] = name only"),
    content: z.string().min(1).optional().describe("an RE2 pattern the step's text must contain")
  })
  .strict();
type StepMatch = z.infer<typeof StepMatch>;

const Rule = z.discriminatedUnion("type", [
  StepMatch.extend({type: z.literal("must-call"), id: z.string().optional()}).describe("some step must match"),
  StepMatch.extend({type: z.literal("must-not-call"), id: z.string().optional()}).describe("no step may match"),
  z.object({type: z.literal("order"), id: z.string().optional(), before: StepMatch, after: StepMatch}).strict().describe("every `after` step needs an earlier `before` step"),
  z.object({type: z.literal("max-steps"), id: z.string().optional(), max: z.number().int().nonnegative(), actor: Actor.optional()}).strict(),
  z.object({type: z.literal("no-repeat"), id: z.string().optional(), tool: z.string().optional(), consecutive: z.boolean().default(false)}).strict().describe("no identical tool call (actor, tool, args) twice")
]);
type Rule = z.infer<typeof Rule>;

const patterns = new Map<string, RE2JS>();
function pattern(source: string): RE2JS {
  let re = patterns.get(source);
  if (!re) patterns.set(source, (re = RE2JS.compile(source)));
  return re;
}

/** Does the step's call carry the expected arguments? tau2's rule: with compareArgs, only those names count. */
function argsMatch(step: TrajectoryStep, m: StepMatch): boolean {
  if (m.args === undefined && m.compareArgs === undefined) return true;
  const got = step.arguments ?? {};
  const want = m.args ?? {};
  const names = m.compareArgs ?? [...new Set([...Object.keys(want), ...Object.keys(got)])];
  return names.every((k) => Object.hasOwn(got, k) === Object.hasOwn(want, k) && jsonEqual(got[k], want[k]));
}

/**
 * Is the step a call of a tool? A step of actor "tool" is the tool's reply, which OpenAI-style logs name after the
 * tool it answers: it is never a call.
 */
function isCall(step: TrajectoryStep): boolean {
  return step.tool != null && step.actor !== "tool";
}

function matches(step: TrajectoryStep, m: StepMatch): boolean {
  if (m.actor !== undefined && step.actor !== m.actor) return false;
  // `tool` names the tool called: without an actor it matches calls, not the replies (ask for actor "tool" for those).
  if (m.tool !== undefined && m.actor === undefined && !isCall(step)) return false;
  if (m.tool !== undefined && step.tool !== m.tool) return false;
  if (!argsMatch(step, m)) return false;
  if (m.content !== undefined && !pattern(m.content).matcher(step.content ?? "").find()) return false;
  return true;
}

function describe(m: StepMatch): string {
  const who = m.actor ?? "any actor";
  const what = m.tool ? `${m.tool}(${m.args ? JSON.stringify(m.args) : "…"})` : m.content ? `text /${m.content}/` : "any step";
  return `${who} ${what}`;
}

function ruleName(rule: Rule): string {
  if (rule.id) return rule.id;
  switch (rule.type) {
    case "must-call":
    case "must-not-call":
      return `${rule.type} ${describe(rule)}`;
    case "order":
      return `order ${describe(rule.before)} before ${describe(rule.after)}`;
    case "max-steps":
      return `max-steps ${rule.max}${rule.actor ? ` ${rule.actor}` : ""}`;
    case "no-repeat":
      return `no-repeat${rule.tool ? ` ${rule.tool}` : ""}${rule.consecutive ? " consecutive" : ""}`;
  }
}

/** The violations of one rule over the ordered steps, each with the index of the step it is about. */
export function checkRule(rule: Rule, steps: readonly TrajectoryStep[]): Violation[] {
  const name = ruleName(rule);
  switch (rule.type) {
    case "must-call": {
      if (steps.some((s) => matches(s, rule))) return [];
      // Name the near misses (same tool, other actor or arguments): they are what a reader checks first.
      const near = steps.flatMap((s, i) => (rule.tool !== undefined && isCall(s) && s.tool === rule.tool ? [`step ${i}: ${s.actor} ${s.tool}(${JSON.stringify(s.arguments ?? {})})`] : []));
      return [{rule: name, step: null, message: `no step matches ${describe(rule)}${near.length ? `; near misses: ${near.slice(0, 3).join(", ")}` : ""}`}];
    }
    case "must-not-call":
      return steps.flatMap((s, i) => (matches(s, rule) ? [{rule: name, step: i, message: `step ${i} is ${describe({...rule, args: s.arguments ?? undefined})}, which is not allowed`}] : []));
    case "order": {
      const out: Violation[] = [];
      let seenBefore = false;
      steps.forEach((s, i) => {
        if (matches(s, rule.after) && !seenBefore) out.push({rule: name, step: i, message: `step ${i} (${describe(rule.after)}) comes before any ${describe(rule.before)}`});
        if (matches(s, rule.before)) seenBefore = true;
      });
      return out;
    }
    case "max-steps": {
      const counted = steps.flatMap((s, i) => (rule.actor === undefined || s.actor === rule.actor ? [i] : []));
      if (counted.length <= rule.max) return [];
      return [{rule: name, step: counted[rule.max], message: `${counted.length} ${rule.actor ?? ""} steps, at most ${rule.max} allowed; step ${counted[rule.max]} is the first over`.replace("  ", " ")}];
    }
    case "no-repeat": {
      const out: Violation[] = [];
      const seen = new Map<string, number>();
      let previous: string | null = null;
      steps.forEach((s, i) => {
        if (!isCall(s) || (rule.tool !== undefined && s.tool !== rule.tool)) {
          if (s.actor !== "tool") previous = null; // a tool's reply sits between two calls without breaking the run
          return;
        }
        const key = JSON.stringify([s.actor, s.tool, s.arguments ?? {}]);
        const first = rule.consecutive ? (previous === key ? i : undefined) : seen.get(key);
        if (first !== undefined) out.push({rule: name, step: i, message: `step ${i} repeats ${s.actor} ${s.tool}(${JSON.stringify(s.arguments ?? {})})${rule.consecutive ? "" : ` first made at step ${first}`}`});
        if (!seen.has(key)) seen.set(key, i);
        previous = key;
      });
      return out;
    }
  }
}

const Params = z
  .object({
    rules: z.array(Rule).default([]).describe("rules applied to every record"),
    rulesFromTarget: z.boolean().default(false).describe('also read rules from the record\'s target, a JSON object {"rules": [...]}')
  })
  .superRefine((p, ctx) => {
    const check = (m: StepMatch | undefined, path: (string | number)[]) => {
      if (!m?.content) return;
      try {
        pattern(m.content);
      } catch (err) {
        ctx.addIssue({code: "custom", path: [...path, "content"], message: `not a valid RE2 pattern: ${err instanceof Error ? err.message : String(err)}`});
      }
    };
    p.rules.forEach((r, i) => {
      if (r.type === "order") {
        check(r.before, ["rules", i, "before"]);
        check(r.after, ["rules", i, "after"]);
      } else if (r.type === "must-call" || r.type === "must-not-call") check(r, ["rules", i]);
    });
    if (p.rules.length === 0 && !p.rulesFromTarget) ctx.addIssue({code: "custom", path: ["rules"], message: "give at least one rule, or set rulesFromTarget"});
  });

/** Rules over the ordered steps of a trajectory (who acted, which tool, in which order, how often). */
export default defineScorer({
  name: "trajectory",
  // 1.0.1: a tool's reply (actor "tool", named after its tool) is not a call: no-repeat counted a repeated reply as a
  // repeat and let a reply between two identical calls hide it; a matcher with `tool` and no actor matched replies.
  // 1.0.2: values nested a few thousand levels deep are compared (jsonEqual overflowed the call stack).
  version: "1.0.2",
  kind: "trajectory",
  description: "Rules over the trajectory's ordered steps: must / must not call, A before B, max steps, no repeated calls.",
  docs: `Each step has an actor (agent, user, tool, system), and optionally a tool, arguments and text. A step matcher {actor, tool, args, compareArgs, content} matches a step when every given condition holds (args: the same argument names and values; compareArgs: only these names, [] = the tool name alone, as tau2-bench's compare_args; content: an RE2 pattern). Rules:
  must-call      some step matches (violation without a step index, naming the near misses)
  must-not-call  no step matches (one violation per offending step)
  order          every step matching \`after\` has an earlier step matching \`before\` (e.g. the user's confirmation before a refund)
  max-steps      at most \`max\` steps (of \`actor\`, if given)
  no-repeat      no identical call (actor, tool, arguments) twice; \`consecutive\` only counts back-to-back calls (tool replies between them do not break the run)
A call is a step with a tool by any actor but "tool": a step of actor tool is the tool's reply (OpenAI-style logs name it after its tool), so no-repeat never counts it, and a matcher with \`tool\` but no \`actor\` matches calls only (give actor: "tool" to match replies).
Value = fraction of rules without a violation; passes when there is no violation. With rulesFromTarget the record's target {"rules": [...]} adds per-item rules (the tau2 importer writes each task's expected actions there).`,
  params: Params,
  score(record, params) {
    if (record.trajectory == null) throw new Error("record has no trajectory");
    let rules: Rule[] = params.rules;
    if (params.rulesFromTarget) {
      if (record.target == null) throw new Error("rulesFromTarget is set but the record has no target");
      const parsed = parseJsonOutput(record.target);
      if (!parsed.ok) throw new Error(`target is not valid JSON: ${parsed.error}`);
      const fromTarget = z.object({rules: z.array(Rule)}).safeParse(parsed.value);
      if (!fromTarget.success) throw new Error(`target rules are invalid: ${describeZodIssues(fromTarget.error)}`);
      rules = [...rules, ...fromTarget.data.rules];
    }
    if (rules.length === 0) throw new Error("no rules to check");
    const perRule = rules.map((r) => checkRule(r, record.trajectory!));
    const violations = perRule.flat();
    const ok = perRule.filter((v) => v.length === 0).length;
    return {
      value: ok / rules.length,
      passed: violations.length === 0,
      explanation: `${ok} of ${rules.length} rules hold over ${record.trajectory.length} steps${violations.length ? `; ${violations.length} violations` : ""}`,
      violations
    };
  }
});
