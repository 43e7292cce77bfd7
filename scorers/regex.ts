import {RE2JS} from "re2js";
import {defineScorer, emptyBatchScores, normaliseText, NormaliseParams, z} from "benchlab/scorer";

// RE2 semantics (linear time, no backreferences or look-arounds): a pattern like (a+)+$ cannot hang a run on a
// hostile 10 MB output the way a backtracking engine would.
const compiled = new Map<string, RE2JS>();
function compile(pattern: string, flags: {ignoreCase: boolean; multiline: boolean; dotAll: boolean}): RE2JS {
  const key = `${+flags.ignoreCase}${+flags.multiline}${+flags.dotAll}${pattern}`;
  let re = compiled.get(key);
  if (!re) {
    re = RE2JS.compile(pattern, (flags.ignoreCase ? RE2JS.CASE_INSENSITIVE : 0) | (flags.multiline ? RE2JS.MULTILINE : 0) | (flags.dotAll ? RE2JS.DOTALL : 0));
    compiled.set(key, re);
  }
  return re;
}

const Params = NormaliseParams.extend({
  pattern: z.string().min(1).describe("an RE2 regular expression (https://github.com/google/re2/wiki/Syntax)"),
  ignoreCase: z.boolean().default(false).describe("case-insensitive matching, and comparison of the group with the target"),
  multiline: z.boolean().default(false).describe("^ and $ match at line breaks"),
  dotAll: z.boolean().default(false).describe(". matches a line break"),
  group: z.union([z.number().int().nonnegative(), z.string().min(1)]).optional().describe("capture group (number or name) compared with the target"),
  occurrence: z.enum(["first", "last"]).default("first").describe("which match supplies the group")
}).superRefine((p, ctx) => {
  try {
    const re = compile(p.pattern, p);
    if (typeof p.group === "number" && p.group > re.groupCount()) ctx.addIssue({code: "custom", path: ["group"], message: `the pattern has ${re.groupCount()} groups`});
    if (typeof p.group === "string" && !(p.group in re.namedGroups())) ctx.addIssue({code: "custom", path: ["group"], message: `the pattern has no group named ${p.group}`});
  } catch (err) {
    ctx.addIssue({code: "custom", path: ["pattern"], message: `not a valid RE2 pattern: ${err instanceof Error ? err.message : String(err)}`});
  }
});

type Params = z.output<typeof Params>;

/** Scores one output; throws when a group is compared and there is no target (no score, not 0). */
function matchOne(output: string | null, target: string | null, params: Params): {value: number; passed: boolean; explanation: string} {
  if (output == null) return {value: 0, passed: false, explanation: "no output"};
  const m = compile(params.pattern, params).matcher(output);
  if (!m.find()) return {value: 0, passed: false, explanation: "pattern not found"};
  if (params.group === undefined) return {value: 1, passed: true, explanation: `pattern found at ${m.start()}`};
  if (target == null) throw new Error("record has no target to compare the capture group with");
  let captured = m.group(params.group);
  if (params.occurrence === "last") {
    while (m.find()) captured = m.group(params.group);
  }
  if (captured == null) return {value: 0, passed: false, explanation: `group ${params.group} did not participate in the match`};
  const same = normaliseText(captured, params) === normaliseText(target, params);
  const shown = JSON.stringify(captured.length > 80 ? `${captured.slice(0, 80)}…` : captured);
  return {value: same ? 1 : 0, passed: same, explanation: `captured ${shown}${same ? " equals" : " differs from"} target`};
}

/** Regular-expression match, optionally comparing one capture group with the target. */
export default defineScorer({
  name: "regex",
  // 1.0.1: ignorePunctuation also drops the ASCII symbols of Python's string.punctuation ($ + < = > ^ ` | ~).
  version: "1.0.1",
  kind: "deterministic",
  description: "Output matches an RE2 pattern; with `group`, that capture group must equal the target.",
  docs: "Without `group`: passes when the pattern is found anywhere in the output. With `group`: the group of the first (or last) match is normalised (case, whitespace, punctuation, NFKC options) and compared with the normalised target. Patterns use RE2 syntax and run in linear time (re2js).",
  params: Params,
  score(record, params) {
    return matchOne(record.output ?? null, record.target ?? null, params);
  },
  // The run's fast path over output/target columns: the same function, no promise or record object per row.
  scoreBatch({output, target}, params) {
    const result = emptyBatchScores(output.length);
    for (let i = 0; i < output.length; i++) {
      try {
        const r = matchOne(output[i], target[i], params);
        result.value[i] = r.value;
        result.passed[i] = r.passed;
        result.explanation[i] = r.explanation;
      } catch (err) {
        result.error[i] = err instanceof Error ? err.message : String(err);
      }
    }
    return result;
  }
});
