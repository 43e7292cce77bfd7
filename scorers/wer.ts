import {defineScorer, editCounts, normaliseText, NormaliseParams, wordErrorRate, wordTokens, z} from "benchlab/scorer";

/** Word error rate of the output against the target; the score is word accuracy 1 − min(1, WER). */
export default defineScorer({
  name: "wer",
  version: "1.0.0",
  kind: "deterministic",
  description: "Word error rate (S+D+I)/N of the output against the target; value = 1 − min(1, WER).",
  docs: "Both texts are normalised (case-insensitive by default) and split into Unicode words (punctuation dropped; CJK split by word). WER counts substitutions, deletions and insertions of one optimal alignment over the N target words. WER can exceed 1, so the stored value is 1 − min(1, WER); the explanation gives the raw WER and counts. `maxWer` sets a pass threshold (WER <= maxWer); without it `passed` is null.",
  params: NormaliseParams.extend({
    ignoreCase: z.boolean().default(true).describe("compare case-insensitively"),
    maxWer: z.number().nonnegative().optional().describe("pass when WER <= maxWer")
  }),
  score(record, params) {
    if (record.target == null) throw new Error("record has no target text");
    const reference = wordTokens(normaliseText(record.target, params));
    const hypothesis = wordTokens(normaliseText(record.output ?? "", params));
    const counts = editCounts(reference, hypothesis);
    const wer = wordErrorRate(counts);
    const {substitutions: S, deletions: D, insertions: I, reference: N} = counts;
    return {
      value: 1 - Math.min(1, wer),
      passed: params.maxWer === undefined ? null : wer <= params.maxWer,
      explanation: `WER ${Number.isFinite(wer) ? wer.toFixed(4) : "∞ (empty target)"} (S=${S} D=${D} I=${I} N=${N})${record.output == null ? "; no output" : ""}`
    };
  }
});
