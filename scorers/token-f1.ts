import {defineScorer, normaliseText, NormaliseParams, tokenF1, wordTokens, z} from "benchlab/scorer";

const ARTICLES = new Set(["a", "an", "the"]);

/** SQuAD token F1 between output and target. */
export default defineScorer({
  name: "token-f1",
  version: "1.0.0",
  kind: "deterministic",
  description: "Token F1 (SQuAD): harmonic mean of precision and recall of shared word tokens.",
  docs: "Both texts are normalised as in the SQuAD v1.1 evaluation script by default (lower case, punctuation dropped, English articles a/an/the removed) and split into Unicode words. Value = F1 of the multiset overlap. `passAt` sets a pass threshold; without it `passed` is null.",
  params: NormaliseParams.extend({
    ignoreCase: z.boolean().default(true).describe("compare case-insensitively"),
    ignorePunctuation: z.boolean().default(true).describe("drop Unicode punctuation"),
    removeArticles: z.boolean().default(true).describe("drop the English articles a, an, the"),
    passAt: z.number().min(0).max(1).optional().describe("pass when F1 >= passAt")
  }),
  score(record, params) {
    if (record.target == null) throw new Error("record has no target text");
    const tokens = (s: string) => {
      const words = wordTokens(normaliseText(s, params));
      return params.removeArticles ? words.filter((w) => !ARTICLES.has(w.toLowerCase())) : words;
    };
    const {f1, precision, recall} = tokenF1(tokens(record.target), tokens(record.output ?? ""));
    return {
      value: f1,
      passed: params.passAt === undefined ? null : f1 >= params.passAt,
      explanation: `F1 ${f1.toFixed(4)} (precision ${precision.toFixed(4)}, recall ${recall.toFixed(4)})${record.output == null ? "; no output" : ""}`
    };
  }
});
