/**
 * Text comparison helpers shared by the deterministic scorers: normalisation, word tokens, word error rate,
 * token F1 and reading numbers out of free text. Pure and browser-safe; re-exported by `benchlab/scorer`.
 */

/** How text is normalised before comparing. Every option is off unless asked for, except trimming. */
export interface NormaliseOptions {
  /** Compare case-insensitively (Unicode lower case). */
  ignoreCase?: boolean;
  /** "exact" keeps whitespace, "trim" strips the ends, "collapse" also squeezes runs to one space, "remove" drops it. */
  whitespace?: "exact" | "trim" | "collapse" | "remove";
  /**
   * Drop punctuation: every character of Python's `string.punctuation` (the 32 ASCII marks, as SQuAD's
   * normalize_answer and lm-evaluation-harness's ignore_punctuation drop them, including the symbols
   * $ + < = > ^ ` | ~), and, as an extension beyond ASCII, every Unicode punctuation character (\p{P}: « » ¿ — 。 …).
   * Other Unicode symbols (€ ° ©, emoji) are kept.
   */
  ignorePunctuation?: boolean;
  /** Apply Unicode NFKC first (full-width letters, ligatures, superscripts fold to their plain forms). */
  nfkc?: boolean;
}

// \p{P} holds 23 of string.punctuation's 32 characters; the other nine are symbols (Sc, Sk, Sm), listed here.
const PUNCTUATION = /[\p{P}$+<=>^`|~]/gu;
const WHITESPACE_RUN = /\s+/gu;

/** Normalises text in a fixed order: NFKC, case, punctuation, whitespace. */
export function normaliseText(text: string, opts: NormaliseOptions = {}): string {
  let s = text;
  if (opts.nfkc) s = s.normalize("NFKC");
  if (opts.ignoreCase) s = s.toLowerCase();
  if (opts.ignorePunctuation) s = s.replace(PUNCTUATION, "");
  switch (opts.whitespace ?? "trim") {
    case "exact":
      return s;
    case "trim":
      return s.trim();
    case "collapse":
      return s.replace(WHITESPACE_RUN, " ").trim();
    case "remove":
      return s.replace(WHITESPACE_RUN, "");
  }
}

// Tokens, in order of preference: one Chinese or Japanese character (these scripts are scored per character, as
// character error rate in speech recognition and MLQA's evaluation of Chinese do); a word of letters, digits and
// marks with inner apostrophes, periods, commas or colons ("don't", "3.14", "1,000", "U.S"); an emoji with its
// joiners and modifiers; any other single non-space, non-punctuation character (a symbol). The alternatives cannot
// overlap, so matching is linear in the text's length. Runs are capped (256 characters, 32 inner joins; a longer
// "word" is cut into pieces): unbounded runs overflow V8's backtracking stack on a hostile 10 MB string of letters.
const TOKEN = new RegExp(
  // The `v` flag (set subtraction `--`) is Node 20 and every current browser; built from a string because the
  // project's TypeScript target (ES2022) does not know the flag in a literal.
  String.raw`[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]|[[\p{L}\p{N}\p{M}]--[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]]{1,256}(?:['’.,:][[\p{L}\p{N}\p{M}]--[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]]{1,256}){0,32}|\p{Extended_Pictographic}(?:[\u200D\uFE0F\p{EMod}]{1,4}\p{Extended_Pictographic}?){0,8}|[^\s\p{P}]`,
  "gv"
);
// Scripts written without spaces whose words are more than characters: split by dictionary word segmentation.
const UNSPACED = /[\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const segmenter = new Intl.Segmenter(undefined, {granularity: "word"});
// V8's Intl.Segmenter costs about 2 µs a character and grows with the string's length, so it sees one token at a
// time, in slices of at most this many characters (a word cut at a slice edge is the price of staying linear).
const SEGMENT_SLICE = 256;

/**
 * Word tokens of a text, linear in its length: words of spaced scripts; each Chinese and Japanese character;
 * Thai, Lao, Khmer and Myanmar runs split into words by Unicode word segmentation (UAX #29 with ICU dictionaries,
 * via Intl.Segmenter); emoji. Punctuation and whitespace are not tokens.
 */
export function wordTokens(text: string): string[] {
  const tokens: string[] = [];
  for (const [token] of text.matchAll(TOKEN)) {
    if (!UNSPACED.test(token)) {
      tokens.push(token);
      continue;
    }
    for (let at = 0; at < token.length; at += SEGMENT_SLICE) {
      for (const seg of segmenter.segment(token.slice(at, at + SEGMENT_SLICE))) if (seg.isWordLike) tokens.push(seg.segment);
    }
  }
  return tokens;
}

/** Edit operations between a reference and a hypothesis token sequence (Levenshtein alignment). */
export interface EditCounts {
  substitutions: number;
  deletions: number;
  insertions: number;
  /** Reference length N. */
  reference: number;
}

/**
 * Minimum substitutions + deletions + insertions turning `reference` into `hypothesis` (Levenshtein 1966), with
 * the counts of each kind along one optimal alignment. O(|ref|·|hyp|) time, O(|ref|) memory.
 */
export function editCounts(reference: readonly string[], hypothesis: readonly string[]): EditCounts {
  const m = reference.length;
  // Tokens as small integers: the m·n comparisons compare numbers, not strings (equal ids iff equal tokens).
  const ids = new Map<string, number>();
  const idOf = (token: string) => ids.get(token) ?? (ids.set(token, ids.size), ids.size - 1);
  const ref = Int32Array.from(reference, idOf);
  const hyp = Int32Array.from(hypothesis, idOf);
  // Column j of the DP table as four typed arrays: cost and the S/D/I counts of the best path to each cell.
  // Ties prefer substitution, then deletion. Typed arrays keep a 10 MB hypothesis from allocating per cell.
  let cost = new Int32Array(m + 1), sub = new Int32Array(m + 1), del = new Int32Array(m + 1), ins = new Int32Array(m + 1);
  for (let i = 0; i <= m; i++) cost[i] = del[i] = i;
  let nCost = new Int32Array(m + 1), nSub = new Int32Array(m + 1), nDel = new Int32Array(m + 1), nIns = new Int32Array(m + 1);
  for (let j = 1; j <= hyp.length; j++) {
    const h = hyp[j - 1];
    nCost[0] = j;
    nSub[0] = 0;
    nDel[0] = 0;
    nIns[0] = j;
    for (let i = 1; i <= m; i++) {
      const mismatch = ref[i - 1] === h ? 0 : 1;
      const viaSub = cost[i - 1] + mismatch; // diagonal
      const viaDel = nCost[i - 1] + 1; // reference token i deleted
      const viaIns = cost[i] + 1; // hypothesis token j inserted
      if (viaSub <= viaDel && viaSub <= viaIns) {
        nCost[i] = viaSub;
        nSub[i] = sub[i - 1] + mismatch;
        nDel[i] = del[i - 1];
        nIns[i] = ins[i - 1];
      } else if (viaDel <= viaIns) {
        nCost[i] = viaDel;
        nSub[i] = nSub[i - 1];
        nDel[i] = nDel[i - 1] + 1;
        nIns[i] = nIns[i - 1];
      } else {
        nCost[i] = viaIns;
        nSub[i] = sub[i];
        nDel[i] = del[i];
        nIns[i] = ins[i] + 1;
      }
    }
    [cost, nCost] = [nCost, cost];
    [sub, nSub] = [nSub, sub];
    [del, nDel] = [nDel, del];
    [ins, nIns] = [nIns, ins];
  }
  return {substitutions: sub[m], deletions: del[m], insertions: ins[m], reference: m};
}

/**
 * Word error rate, (S + D + I) / N over word tokens (the speech-recognition metric; NIST sclite). Can exceed 1
 * when the hypothesis inserts many words. An empty reference gives 0 for an empty hypothesis, else Infinity.
 */
export function wordErrorRate(counts: EditCounts): number {
  const errors = counts.substitutions + counts.deletions + counts.insertions;
  if (counts.reference === 0) return errors === 0 ? 0 : Infinity;
  return errors / counts.reference;
}

/**
 * Token F1 as in SQuAD (Rajpurkar et al. 2016, official evaluate-v1.1.py): the harmonic mean of precision and
 * recall of the multiset of shared tokens. Empty lists follow evaluate-v2.0.py's compute_f1 (v1.1 has no rule for
 * them): two empty token lists score 1; one empty list scores 0.
 */
export function tokenF1(reference: readonly string[], hypothesis: readonly string[]): {f1: number; precision: number; recall: number} {
  if (reference.length === 0 || hypothesis.length === 0) {
    const same = reference.length === hypothesis.length ? 1 : 0;
    return {f1: same, precision: same, recall: same};
  }
  const counts = new Map<string, number>();
  for (const t of reference) counts.set(t, (counts.get(t) ?? 0) + 1);
  let common = 0;
  for (const t of hypothesis) {
    const left = counts.get(t) ?? 0;
    if (left > 0) {
      common++;
      counts.set(t, left - 1);
    }
  }
  if (common === 0) return {f1: 0, precision: 0, recall: 0};
  const precision = common / hypothesis.length;
  const recall = common / reference.length;
  return {f1: (2 * precision * recall) / (precision + recall), precision, recall};
}

/** A number read from text, with the span it came from. */
export interface ParsedNumber {
  value: number;
  text: string;
  percent: boolean;
}

// A sign, an optional currency symbol, digits with optional thousands commas and decimals, an optional exponent,
// an optional percent sign. The look-behind keeps a match from starting inside a word or another number.
// A sign touches its number (or currency): "- 42" is a list item or a dash before 42, not −42.
const NUMBER = /(?<![\p{L}\p{N}.,])([-+\u2212]?)(?:[$€£¥]\s?)?((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)(?:[eE]([-+]?\d+))?(\s?%)?/gu;

/** Every number in a text, in order: forms like `1,234.5`, `-3`, `12%`, `$3`, `2.5e3`. */
export function numbersIn(text: string): ParsedNumber[] {
  const found: ParsedNumber[] = [];
  for (const m of text.matchAll(NUMBER)) {
    const sign = m[1] === "-" || m[1] === "\u2212" ? -1 : 1;
    const digits = m[2].replaceAll(",", "");
    const exponent = m[3] ? `e${m[3]}` : "";
    found.push({value: sign * Number(digits + exponent), text: m[0].trim(), percent: Boolean(m[4])});
  }
  return found;
}
