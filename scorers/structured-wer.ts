import {defineScorer, editCounts, getPointer, leafPointers, normaliseText, NormaliseParams, parseJsonOutput, wordErrorRate, wordTokens, z} from "benchlab/scorer";

/**
 * Structured WER: word error rate pooled over the target's structured fields only, (ΣS+ΣD+ΣI)/ΣN over the
 * leaves of the target JSON, each compared with the output JSON's value at the same path. Text outside the
 * fields (keys, extra fields, prose around the JSON) is not scored, unlike plain WER over the serialised text.
 *
 * Edge cases, as for `wer`: a target whose fields hold no words (ΣN = 0, e.g. {} or {"a": ""}) is an error, since
 * the rate is undefined, checked before the output; a missing output (null or absent) or one that is not valid
 * JSON is the model's failure: value 0 and, with `maxWer`, a fail.
 */
export default defineScorer({
  name: "structured-wer",
  // 1.0.1: a missing or unparseable output scores 0 and fails (it scored 1 on a target with no words, and passed
  // maxWer >= 1); a target whose fields hold no words is an error.
  // 1.0.2: ignorePunctuation also drops the ASCII symbols of Python's string.punctuation ($ + < = > ^ ` | ~).
  // 1.0.3: JSON nested deeper than MAX_JSON_DEPTH (1000) levels is a clear error (a call-stack overflow from a few
  // thousand levels, and scored between).
  version: "1.0.3",
  kind: "deterministic",
  description: "WER pooled over the target JSON's fields (leaves) against the same paths of the output JSON.",
  docs: "For each leaf of the target JSON (strings, numbers and booleans as text), the words of the output JSON's value at the same JSON Pointer are aligned with the target's words; a field missing from the output counts all its words as deletions, and invalid output JSON counts every field as missing. Structured WER = total edits / total target words; value = 1 − min(1, WER). `maxWer` sets a pass threshold. A missing or invalid output JSON is the model's failure (value 0, fails `maxWer`); a target whose fields hold no words is an error (the rate divides by their word count).",
  params: NormaliseParams.extend({
    ignoreCase: z.boolean().default(true).describe("compare case-insensitively"),
    maxWer: z.number().nonnegative().optional().describe("pass when structured WER <= maxWer")
  }),
  score(record, params) {
    if (record.target == null) throw new Error("record has no target JSON");
    const target = parseJsonOutput(record.target);
    if (!target.ok) throw new Error(`target is not valid JSON: ${target.error}`);
    const output = record.output == null ? null : parseJsonOutput(record.output);
    const words = (v: unknown) => (v == null || typeof v === "object" ? [] : wordTokens(normaliseText(String(v), params)));
    let S = 0, D = 0, I = 0, N = 0, missing = 0;
    const fields = leafPointers(target.value);
    for (const field of fields) {
      const got = output?.ok ? getPointer(output.value, field) : {found: false, value: undefined};
      if (!got.found) missing++;
      const c = editCounts(words(getPointer(target.value, field).value), words(got.value));
      S += c.substitutions;
      D += c.deletions;
      I += c.insertions;
      N += c.reference;
    }
    if (N === 0) throw new Error("the target's fields hold no words (after normalisation): structured WER = edits / target words is undefined");
    const wer = wordErrorRate({substitutions: S, deletions: D, insertions: I, reference: N});
    const failed = output === null || !output.ok;
    const why = output === null ? "no output; " : !output.ok ? "invalid output JSON; " : "";
    return {
      value: failed ? 0 : 1 - Math.min(1, wer),
      passed: params.maxWer === undefined ? null : !failed && wer <= params.maxWer,
      explanation: `${why}structured WER ${wer.toFixed(4)} over ${fields.length} fields (S=${S} D=${D} I=${I} N=${N}, ${missing} fields missing)`
    };
  }
});
