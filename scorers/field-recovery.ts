import {defineScorer, getPointer, jsonEqual, leafPointers, normaliseText, NormaliseParams, parseJsonOutput, z} from "benchlab/scorer";

/**
 * Structured-field recovery: the fraction of the target's fields (its JSON leaves) that the output's JSON holds
 * with exactly the same value at the same path, the per-field exact-match reward of structured entity
 * extraction. Extra fields in the output cost nothing; use json-field or structured-wer for other views.
 */
export default defineScorer({
  name: "field-recovery",
  // 1.0.1: ignorePunctuation also drops the ASCII symbols of Python's string.punctuation ($ + < = > ^ ` | ~).
  // 1.0.2: a target nested deeper than MAX_JSON_DEPTH (1000) levels is a clear error; it overflowed the call stack
  // from a few thousand levels ("Maximum call stack size exceeded").
  version: "1.0.2",
  kind: "deterministic",
  description: "Fraction of the target JSON's fields (leaves) recovered exactly at the same path in the output JSON.",
  docs: "Every leaf of the target JSON (scalar, or empty array/object) is a field, addressed by its JSON Pointer. A field is recovered when the output JSON holds an equal value there; string values may be normalised (case, whitespace, punctuation, NFKC). Value = recovered / fields; passes when value >= `passAt`. A target nested deeper than 1000 levels is an error (too deep to compare field by field).",
  params: NormaliseParams.extend({
    passAt: z.number().min(0).max(1).default(1).describe("value at or above which the record passes")
  }),
  score(record, params) {
    if (record.target == null) throw new Error("record has no target JSON");
    const target = parseJsonOutput(record.target);
    if (!target.ok) throw new Error(`target is not valid JSON: ${target.error}`);
    const fields = leafPointers(target.value); // throws a clear error on a target nested too deep (MAX_JSON_DEPTH)
    if (record.output == null) return {value: 0, passed: false, explanation: `no output; 0 of ${fields.length} fields`};
    const output = parseJsonOutput(record.output);
    if (!output.ok) return {value: 0, passed: false, explanation: `invalid JSON (${output.error.slice(0, 120)}); 0 of ${fields.length} fields`};
    const norm = (v: unknown) => (typeof v === "string" ? normaliseText(v, params) : v);
    const missed = fields.filter((f) => {
      const got = getPointer(output.value, f);
      return !got.found || !jsonEqual(norm(got.value), norm(getPointer(target.value, f).value));
    });
    const value = (fields.length - missed.length) / fields.length;
    const explanation = `${fields.length - missed.length} of ${fields.length} fields recovered${missed.length ? `; missed ${missed.slice(0, 10).join(", ")}${missed.length > 10 ? ", …" : ""}` : ""}`;
    return {value, passed: value >= params.passAt, explanation};
  }
});
