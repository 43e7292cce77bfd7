import {defineScorer, editCounts, normaliseText, NormaliseParams, wordErrorRate, wordTokens, z} from "benchlab/scorer";

/**
 * Word error rate of the output against the target; the score is word accuracy 1 − min(1, WER), so higher is
 * better while WER itself is lower-is-better.
 *
 * Edge cases: WER = errors / N divides by the target's word count N, so it is undefined for a target with no words
 * (after normalisation): such a record is an error (no score), as jiwer refuses an empty reference; this is
 * checked before the output, like a missing target, so whether a record can be scored does not depend on the
 * model. A missing output (null or absent) is the model's failure: value 0 and, with `maxWer`, a fail.
 */
export default defineScorer({
  name: "wer",
  // 1.0.1: a missing output scores 0 and fails (it scored 1 on a target with no words, and passed maxWer >= 1);
  // a target with no words is an error.
  // 1.0.2: ignorePunctuation also drops the ASCII symbols of Python's string.punctuation ($ + < = > ^ ` | ~).
  version: "1.0.2",
  kind: "deterministic",
  description: "Word error rate (S+D+I)/N of the output against the target; value = 1 − min(1, WER).",
  docs: "Both texts are normalised (case-insensitive by default) and split into Unicode words (punctuation dropped; CJK split by word). WER counts substitutions, deletions and insertions of one optimal alignment over the N target words. WER can exceed 1, so the stored value is 1 − min(1, WER); the explanation gives the raw WER and counts. `maxWer` sets a pass threshold (WER <= maxWer); without it `passed` is null. A missing output is the model's failure (value 0, fails `maxWer`). A target with no words is an error: WER divides by N, the target's word count.",
  params: NormaliseParams.extend({
    ignoreCase: z.boolean().default(true).describe("compare case-insensitively"),
    maxWer: z.number().nonnegative().optional().describe("pass when WER <= maxWer")
  }),
  score(record, params) {
    if (record.target == null) throw new Error("record has no target text");
    const reference = wordTokens(normaliseText(record.target, params));
    if (reference.length === 0) throw new Error("target has no words (after normalisation): WER = errors / N is undefined for N = 0");
    if (record.output == null) return {value: 0, passed: params.maxWer === undefined ? null : false, explanation: `no output: the model's failure (N=${reference.length})`};
    const hypothesis = wordTokens(normaliseText(record.output, params));
    const counts = editCounts(reference, hypothesis);
    const wer = wordErrorRate(counts);
    const {substitutions: S, deletions: D, insertions: I, reference: N} = counts;
    return {
      value: 1 - Math.min(1, wer),
      passed: params.maxWer === undefined ? null : wer <= params.maxWer,
      explanation: `WER ${wer.toFixed(4)} (S=${S} D=${D} I=${I} N=${N})`
    };
  }
});
