import {defineScorer, normaliseText, NormaliseParams, z} from "benchlab/scorer";

/** Output contains the target (or each of a list of substrings) after optional normalisation. */
export default defineScorer({
  name: "includes",
  // 1.0.1: an empty target or substring (after normalisation) is an error, not a pass.
  // 1.0.2: ignorePunctuation also drops the ASCII symbols of Python's string.punctuation ($ + < = > ^ ` | ~).
  version: "1.0.2",
  kind: "deterministic",
  description: "Output contains the target, or all/any of the given substrings, after optional normalisation.",
  docs: "With `substrings` unset the record's target is the one substring. `mode: all` needs every substring, `any` one. Value = fraction of substrings found.",
  params: NormaliseParams.extend({
    substrings: z.array(z.string().min(1)).min(1).optional().describe("substrings to look for instead of the target"),
    mode: z.enum(["all", "any"]).default("all")
  }),
  score(record, params) {
    const needles = params.substrings ?? (record.target != null ? [record.target] : null);
    if (needles == null) throw new Error("record has no target and no `substrings` param was given");
    // Every text contains the empty string: a needle that normalises to nothing would pass any output.
    const empty = needles.find((n) => normaliseText(n, params) === "");
    if (empty !== undefined) throw new Error(`${params.substrings ? "substring" : "target"} ${JSON.stringify(empty)} is empty after normalisation, so any output would contain it`);
    if (record.output == null) return {value: 0, passed: false, explanation: "no output"};
    const haystack = normaliseText(record.output, params);
    const missing = needles.filter((n) => !haystack.includes(normaliseText(n, params)));
    const found = needles.length - missing.length;
    const passed = params.mode === "all" ? missing.length === 0 : found > 0;
    const explanation = missing.length === 0 ? `found all ${needles.length}` : `missing ${missing.map((m) => JSON.stringify(m.slice(0, 80))).join(", ")}`;
    return {value: found / needles.length, passed, explanation};
  }
});
