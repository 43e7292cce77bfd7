import {defineScorer, getPointer, jsonEqual, leafPointers, normaliseText, parseJsonOutput, z, type Violation} from "benchlab/scorer";

const Pointer = z.string().regex(/^(\/.*)?$/, "a JSON Pointer: empty or starting with /");

/**
 * Is `pointer` a goal (or ignored) path, inside one, or above one? A leaf above a goal path is an empty container
 * or a scalar that the goal fills in (`{"cart": []}` becoming `{"cart": ["apple"]}` for the goal `/cart/0`); what
 * else changed under it shows as leaves of its own, which are checked.
 */
function covered(pointer: string, paths: readonly string[]): boolean {
  return paths.some((p) => pointer === p || pointer.startsWith(`${p}/`) || p === "" || p.startsWith(`${pointer}/`));
}

function show(v: unknown): string {
  let s: string;
  try {
    s = v === undefined ? "(absent)" : JSON.stringify(v);
  } catch {
    s = "(nested too deep to show)"; // JSON.stringify recurses: a few thousand levels overflow the call stack
  }
  return s.length > 80 ? `${s.slice(0, 80)}…` : s;
}

/**
 * State-based scoring: the final state reaches a goal state, and did no harm. The goal is a map from JSON
 * Pointers (RFC 6901) to the values expected there; "no harm" means every field outside the goal that differs
 * between initial_state and final_state is a violation (the agent changed something it was not asked to).
 */
export default defineScorer({
  name: "state",
  // 1.0.1: a goal that fills an empty container (or the empty root) is no harm.
  // 1.0.2: tolerant compares strings case-insensitively at every depth of a goal value, not only a goal that is a string.
  // 1.0.3: JSON nested deeper than MAX_JSON_DEPTH (1000) levels is a clear error (a call-stack overflow from a few
  // thousand levels, and scored between).
  version: "1.0.3",
  kind: "state",
  description: "final_state meets a goal state (JSON Pointer paths); any other field changed from initial_state is a violation.",
  docs: "The goal is the `goal` param, or else the record's target parsed as a JSON object {pointer: value}. Each goal path must exist in final_state with an equal value: `exact` compares JSON structurally; `tolerant` allows numbers within abs/rel and compares strings case-insensitively after trimming, at every depth of the goal value (a goal {\"/user\": {\"name\": \"Bob\"}} holds for {\"name\": \"bob \"}; object keys stay exact). With `doNoHarm` (default), every leaf of initial_state or final_state outside the goal paths and the `ignore` paths must be unchanged; each change is a violation. Value = fraction of goal paths met; passes when all are met and there is no violation. A record without final_state (or without initial_state when doNoHarm is on) is an error.",
  params: z.object({
    goal: z.record(Pointer, z.unknown()).optional().describe("{JSON Pointer: expected value}; default: the record's target as JSON"),
    comparison: z.enum(["exact", "tolerant"]).default("exact"),
    abs: z.number().nonnegative().default(0).describe("tolerant: absolute tolerance for numbers"),
    rel: z.number().nonnegative().default(0).describe("tolerant: relative tolerance for numbers"),
    doNoHarm: z.boolean().default(true).describe("report changes outside the goal as violations"),
    ignore: z.array(Pointer).default([]).describe("paths the harm check ignores (timestamps, counters)")
  }),
  score(record, params) {
    let goal = params.goal;
    if (!goal) {
      if (record.target == null) throw new Error("no goal: give the `goal` param or a target holding a JSON object {pointer: value}");
      const parsed = parseJsonOutput(record.target);
      if (!parsed.ok || typeof parsed.value !== "object" || parsed.value === null || Array.isArray(parsed.value)) {
        throw new Error("the record's target is not a JSON object {pointer: value}");
      }
      const bad = Object.keys(parsed.value).find((k) => !Pointer.safeParse(k).success);
      if (bad !== undefined) throw new Error(`goal key ${JSON.stringify(bad)} in the target is not a JSON Pointer (it must start with /)`);
      goal = parsed.value as Record<string, unknown>;
    }
    if (record.final_state == null) throw new Error("record has no final_state");
    if (params.doNoHarm && record.initial_state == null) throw new Error("record has no initial_state for the harm check; pass doNoHarm: false to skip it");

    const tolerance = params.comparison === "tolerant" ? {abs: params.abs, rel: params.rel, normaliseString: (s: string) => normaliseText(s, {ignoreCase: true})} : {};
    const equal = (a: unknown, b: unknown) => jsonEqual(a, b, tolerance);

    const paths = Object.keys(goal);
    const unmet: string[] = [];
    for (const path of paths) {
      const got = getPointer(record.final_state, path);
      if (!got.found || !equal(got.value, goal[path])) unmet.push(`${path} is ${show(got.value)}, goal ${show(goal[path])}`);
    }

    const violations: Violation[] = [];
    if (params.doNoHarm) {
      const skip = [...paths, ...params.ignore];
      const leaves = new Set([...leafPointers(record.initial_state), ...leafPointers(record.final_state)]);
      for (const leaf of leaves) {
        if (covered(leaf, skip)) continue;
        const before = getPointer(record.initial_state, leaf);
        const after = getPointer(record.final_state, leaf);
        if (before.found !== after.found || !jsonEqual(before.value, after.value)) {
          violations.push({rule: "no-harm", step: null, message: `${leaf} changed from ${show(before.value)} to ${show(after.value)} outside the goal`});
        }
      }
    }
    const met = paths.length - unmet.length;
    const parts = [`${met} of ${paths.length} goal paths met`, ...unmet, ...(violations.length ? [`${violations.length} fields changed outside the goal`] : [])];
    return {value: paths.length ? met / paths.length : 1, passed: unmet.length === 0 && violations.length === 0, explanation: parts.join("; "), violations};
  }
});
