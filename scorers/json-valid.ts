import {defineScorer, parseJsonOutput, z} from "benchlab/scorer";

/** The output parses as JSON (optionally inside one Markdown code fence), optionally of a required type. */
export default defineScorer({
  name: "json-valid",
  version: "1.0.0",
  kind: "deterministic",
  description: "Output is valid JSON (a ```json fence around it is accepted), optionally of a given top-level type.",
  docs: "Passes when JSON.parse accepts the output, after removing one Markdown code fence if the whole output is fenced. `type` additionally requires an object, array, string, number, boolean or null at the top level.",
  params: z.object({
    type: z.enum(["any", "object", "array", "string", "number", "boolean", "null"]).default("any").describe("required top-level JSON type")
  }),
  score(record, params) {
    if (record.output == null) return {value: 0, passed: false, explanation: "no output"};
    const parsed = parseJsonOutput(record.output);
    if (!parsed.ok) return {value: 0, passed: false, explanation: `invalid JSON: ${parsed.error.slice(0, 200)}`};
    const v = parsed.value;
    const type = v === null ? "null" : Array.isArray(v) ? "array" : typeof v;
    const passed = params.type === "any" || params.type === type;
    return {value: passed ? 1 : 0, passed, explanation: passed ? `valid JSON ${type}` : `valid JSON but a ${type}, expected ${params.type}`};
  }
});
