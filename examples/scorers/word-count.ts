import {defineScorer, wordTokens, z} from "benchlab/scorer";

/** Passes when the output's length in words is within [min, max]: a check of "answer in at most N words". */
export default defineScorer({
  name: "word-count",
  version: "1.0.0",
  kind: "deterministic",
  description: "The output has between min and max words.",
  params: z.object({
    min: z.number().int().nonnegative().default(1).describe("fewest words allowed"),
    max: z.number().int().positive().describe("most words allowed")
  }),
  score(record, {min, max}) {
    const words = wordTokens(record.output ?? "").length;
    const passed = words >= min && words <= max;
    return {value: passed ? 1 : 0, passed, explanation: `${words} words, allowed ${min} to ${max}`};
  }
});
