import {defineScorer, getPointer, jsonEqual, parseJsonOutput, z} from "benchlab/scorer";

/** Named fields (JSON Pointers) of the output's JSON equal the same fields of the target's JSON. */
export default defineScorer({
  name: "json-field",
  // 1.0.1: values nested a few thousand levels deep are compared (jsonEqual overflowed the call stack).
  version: "1.0.1",
  kind: "deterministic",
  description: "Given JSON Pointer fields of the output JSON equal those of the target JSON; value = fraction equal.",
  docs: "Output and target are parsed as JSON (one Markdown fence allowed). For each pointer in `fields` (RFC 6901, e.g. /user/name or /items/0), the values must be structurally equal; numbers may differ by `abs`/`rel`. Value = fraction of fields equal; passes when all are. Invalid output JSON scores 0 with the parse error as explanation.",
  params: z.object({
    fields: z.array(z.string().regex(/^(\/.*)?$/, "a JSON Pointer: empty or starting with /")).min(1).describe("JSON Pointers of the fields to compare"),
    abs: z.number().nonnegative().default(0).describe("absolute tolerance for numbers"),
    rel: z.number().nonnegative().default(0).describe("relative tolerance for numbers")
  }),
  score(record, params) {
    if (record.target == null) throw new Error("record has no target JSON");
    const target = parseJsonOutput(record.target);
    if (!target.ok) throw new Error(`target is not valid JSON: ${target.error}`);
    if (record.output == null) return {value: 0, passed: false, explanation: "no output"};
    const output = parseJsonOutput(record.output);
    if (!output.ok) return {value: 0, passed: false, explanation: `invalid JSON: ${output.error.slice(0, 200)}`};
    const wrong: string[] = [];
    for (const field of params.fields) {
      const want = getPointer(target.value, field);
      if (!want.found) throw new Error(`target has no field ${field}`);
      const got = getPointer(output.value, field);
      if (!got.found || !jsonEqual(got.value, want.value, params)) wrong.push(got.found ? `${field} differs` : `${field} missing`);
    }
    const value = (params.fields.length - wrong.length) / params.fields.length;
    return {value, passed: wrong.length === 0, explanation: wrong.length ? wrong.join("; ") : `all ${params.fields.length} fields equal`};
  }
});
