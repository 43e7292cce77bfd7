import {defineScorer, emptyBatchScores, normaliseText, NormaliseParams, type NormaliseOptions} from "benchlab/scorer";

/** Output vs target; throws when there is no target, since then the record cannot be scored (null, not 0). */
function matches(output: string | null | undefined, target: string | null | undefined, opts: NormaliseOptions): boolean {
  if (target == null) throw new Error("record has no target to compare with");
  return output != null && normaliseText(output, opts) === normaliseText(target, opts);
}

/** Exact match of output and target after optional normalisation (case, whitespace, punctuation, NFKC). */
export default defineScorer({
  name: "exact-match",
  // 1.0.1: ignorePunctuation also drops the ASCII symbols of Python's string.punctuation ($ + < = > ^ ` | ~).
  version: "1.0.1",
  kind: "deterministic",
  description: "Output equals the target after optional case, whitespace, punctuation and NFKC normalisation.",
  docs: "Passes (value 1) when normalise(output) === normalise(target); a missing output fails. A record without a target is an error (no score).",
  params: NormaliseParams,
  score(record, params) {
    const same = matches(record.output, record.target, params);
    return {value: same ? 1 : 0, passed: same, explanation: same ? "output matches target" : record.output == null ? "no output" : "output differs from target"};
  },
  // The run's fast path: the same comparison over columns, without a promise and an object per record.
  scoreBatch({output, target}, params) {
    const result = emptyBatchScores(output.length);
    for (let i = 0; i < output.length; i++) {
      if (target[i] == null) {
        result.error[i] = "record has no target to compare with";
        continue;
      }
      const same = matches(output[i], target[i], params);
      result.value[i] = same ? 1 : 0;
      result.passed[i] = same;
      result.explanation[i] = same ? "output matches target" : output[i] == null ? "no output" : "output differs from target";
    }
    return result;
  }
});
