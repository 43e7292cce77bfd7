import {defineScorer, z} from "benchlab/scorer";

/**
 * The chosen letter, by the first rule that fires: an explicit "answer is (B)" / "Answer: B" (the last one, as a
 * model may restate), a reply that is only a letter ("B", "(B)", "B.", "**B**"), then the last parenthesised
 * letter "(B)". Returns null rather than guessing from a stray capital in prose. Quantifiers next to each other
 * are bounded so a hostile output (an "answer" followed by a million spaces) cannot make the pattern quadratic.
 */
export function extractChoice(output: string, choices: string): string | null {
  // Choices are validated to be upper-case letters, so they can be joined into a class as they are. Only a reply
  // that is a lone letter may be lower case: in prose, "the answer: a cat" is not a choice.
  const L = `[${choices}]`;
  // Markdown emphasis may wrap the word or the colon: "**Answer:** C", "**Answer**: C", "_Answer_: C".
  const explicit = [...output.matchAll(new RegExp(`(?:[Aa]nswer|ANSWER)[*_]{0,3}(?:\\s{1,3}is)?[*_]{0,3}\\s{0,3}[:：]?[*_]{0,3}\\s{0,3}[*(\\[]{0,3}(${L})(?![\\p{L}\\p{N}])`, "gu"))];
  if (explicit.length) return explicit[explicit.length - 1][1].toUpperCase();
  const alone = new RegExp(`^[\\s*(\\[]*([${choices}${choices.toLowerCase()}])[\\s*)\\].:]*$`, "u").exec(output);
  if (alone) return alone[1].toUpperCase();
  const parenthesised = [...output.matchAll(new RegExp(`\\((${L})\\)`, "gu"))];
  if (parenthesised.length) return parenthesised[parenthesised.length - 1][1].toUpperCase();
  return null;
}

/** Multiple-choice letter extraction compared with the target letter. */
export default defineScorer({
  name: "multiple-choice",
  // 1.0.1: an explicit answer in Markdown emphasis ("**Answer:** C") is read.
  version: "1.0.1",
  kind: "deterministic",
  description: "Extracts the chosen letter (A, B, C, ...) from the output and compares it with the target letter.",
  docs: "Extraction rules, in order: an explicit 'answer is (B)' or 'Answer: B' (the last such phrase), an output that is only a letter ('B', '(B)', 'B.', '**B**'), the last parenthesised letter '(B)'. No letter found fails with that explanation. The target is one letter, case-insensitive.",
  params: z.object({
    choices: z.string().regex(/^[A-Z]{2,26}$/, "upper-case letters, e.g. ABCD").default("ABCD").describe("the allowed letters")
  }),
  score(record, params) {
    const target = record.target?.trim().toUpperCase();
    if (!target || !params.choices.includes(target) || target.length !== 1) {
      throw new Error(`target ${JSON.stringify(record.target ?? null)} is not one of the letters ${params.choices}`);
    }
    if (record.output == null) return {value: 0, passed: false, explanation: "no output"};
    const chosen = extractChoice(record.output, params.choices);
    if (chosen == null) return {value: 0, passed: false, explanation: "no answer letter found in output"};
    const passed = chosen === target;
    return {value: passed ? 1 : 0, passed, explanation: `chose ${chosen}, target ${target}`};
  }
});
