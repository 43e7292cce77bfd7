import {defineScorer, numbersIn, z, type ParsedNumber} from "benchlab/scorer";

function pick(numbers: ParsedNumber[], which: "first" | "last" | "only"): ParsedNumber | null {
  if (numbers.length === 0) return null;
  if (which === "only") return numbers.length === 1 ? numbers[0] : null;
  return which === "first" ? numbers[0] : numbers[numbers.length - 1];
}

/** Numeric answer within a tolerance, read from free text (1,234.5 / 12% / $3 / 2.5e3). */
export default defineScorer({
  name: "numeric",
  // 1.0.1: a sign apart from its number ("- 42", a list item) is not read as negative.
  version: "1.0.1",
  kind: "deterministic",
  description: "The number in the output equals the target's within an absolute or relative tolerance.",
  docs: "Reads numbers in forms like 1,234.5, -3, 12%, $3, 2.5e3. `extract` picks the first, last (GSM8K convention) or only number of the output; the target must hold exactly one number. Passes when |out - target| <= abs, or <= rel * |target|. With `percentAsFraction`, 12% reads as 0.12 on both sides.",
  params: z.object({
    abs: z.number().nonnegative().default(0).describe("absolute tolerance"),
    rel: z.number().nonnegative().default(0).describe("relative tolerance, a fraction of |target|"),
    extract: z.enum(["first", "last", "only"]).default("last").describe("which number of the output is the answer"),
    percentAsFraction: z.boolean().default(false).describe("read 12% as 0.12")
  }),
  score(record, params) {
    if (record.target == null) throw new Error("record has no target number");
    const targets = numbersIn(record.target);
    if (targets.length !== 1) throw new Error(`target ${JSON.stringify(record.target.slice(0, 80))} holds ${targets.length} numbers, expected one`);
    if (record.output == null) return {value: 0, passed: false, explanation: "no output"};
    const found = numbersIn(record.output);
    const answer = pick(found, params.extract);
    if (answer == null) {
      return {value: 0, passed: false, explanation: found.length === 0 ? "no number in output" : `${found.length} numbers in output, expected only one`};
    }
    const scale = (n: ParsedNumber) => (params.percentAsFraction && n.percent ? n.value / 100 : n.value);
    const got = scale(answer);
    const want = scale(targets[0]);
    const diff = Math.abs(got - want);
    const passed = diff <= params.abs || diff <= params.rel * Math.abs(want);
    return {value: passed ? 1 : 0, passed, explanation: `read ${got} from "${answer.text}", target ${want}, |diff| = ${diff}`};
  }
});
