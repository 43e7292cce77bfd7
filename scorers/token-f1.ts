import {defineScorer, normaliseText, NormaliseParams, tokenF1, wordTokens, z} from "benchlab/scorer";

const ARTICLES = new Set(["a", "an", "the"]);

/**
 * SQuAD token F1 between output and target.
 *
 * Normalisation is SQuAD's normalize_answer (v1.1 and v2.0 alike): lower case, drop every character of Python's
 * string.punctuation, drop the articles a/an/the, split into words; on ASCII text the tokens and F1 are exactly the
 * official script's (test/fixtures/scorers/squad_f1). Named extensions beyond ASCII: Unicode punctuation (\p{P})
 * is dropped too, and words are Unicode words (`wordTokens`: Chinese and Japanese per character, other symbols
 * such as € as tokens of their own) where SQuAD splits on whitespace only.
 *
 * Edge cases follow the official SQuAD v2.0 evaluation script (compute_f1): when the target or the output has no
 * tokens after normalisation, F1 is 1 if both have none and 0 otherwise (v1.1 has no such rule). A missing output
 * (null or absent) is not an empty answer but the model's failure: value 0 and, with `passAt`, a fail, whatever
 * the target.
 */
export default defineScorer({
  name: "token-f1",
  // 1.0.1: a missing output scores 0 and fails (it scored 1 when the target had no tokens, e.g. "The").
  // 1.0.2: punctuation is SQuAD's, string.punctuation ($ + < = > ^ ` | ~ were kept as tokens: "$5" vs "5" was 0.667).
  version: "1.0.2",
  kind: "deterministic",
  description: "Token F1 (SQuAD): harmonic mean of precision and recall of shared word tokens.",
  docs: "Both texts are normalised as in the SQuAD evaluation script by default (lower case, Python's string.punctuation dropped, and Unicode punctuation too, English articles a/an/the removed) and split into Unicode words; on ASCII text this is exactly SQuAD's F1. Value = F1 of the multiset overlap. `passAt` sets a pass threshold; without it `passed` is null. As in SQuAD v2.0, a target and output that both have no tokens score 1, and one empty side scores 0. A missing output is the model's failure: value 0.",
  params: NormaliseParams.extend({
    ignoreCase: z.boolean().default(true).describe("compare case-insensitively"),
    ignorePunctuation: z.boolean().default(true).describe("drop punctuation: ASCII string.punctuation as SQuAD does, and Unicode \\p{P}"),
    removeArticles: z.boolean().default(true).describe("drop the English articles a, an, the"),
    passAt: z.number().min(0).max(1).optional().describe("pass when F1 >= passAt")
  }),
  score(record, params) {
    if (record.target == null) throw new Error("record has no target text");
    const tokens = (s: string) => {
      const words = wordTokens(normaliseText(s, params));
      return params.removeArticles ? words.filter((w) => !ARTICLES.has(w.toLowerCase())) : words;
    };
    if (record.output == null) return {value: 0, passed: params.passAt === undefined ? null : false, explanation: "no output: the model's failure"};
    const {f1, precision, recall} = tokenF1(tokens(record.target), tokens(record.output));
    return {
      value: f1,
      passed: params.passAt === undefined ? null : f1 >= params.passAt,
      explanation: `F1 ${f1.toFixed(4)} (precision ${precision.toFixed(4)}, recall ${recall.toFixed(4)})`
    };
  }
});
