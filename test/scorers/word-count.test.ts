import {describe, expect, it} from "vitest";
import {parseScorerParams, scoreRecord} from "benchlab/scorer";
import wordCount from "../../examples/scorers/word-count.ts";

describe("word-count (the example plugin of the Write a scorer page)", () => {
  const params = parseScorerParams(wordCount, {max: 5});

  it("passes an answer within the limits and fails one outside them", async () => {
    expect(await scoreRecord(wordCount, {output: "Paris is the capital."}, params)).toMatchObject({value: 1, passed: true, explanation: "4 words, allowed 1 to 5"});
    expect(await scoreRecord(wordCount, {output: "It is, without any doubt, Paris."}, params)).toMatchObject({value: 0, passed: false});
  });

  it("counts an empty or missing output as zero words", async () => {
    expect(await scoreRecord(wordCount, {output: ""}, params)).toMatchObject({passed: false, explanation: "0 words, allowed 1 to 5"});
    expect(await scoreRecord(wordCount, {output: null}, params)).toMatchObject({passed: false});
  });

  it("rejects parameters that break the schema, naming the field", () => {
    expect(() => parseScorerParams(wordCount, {})).toThrow(/scorer "word-count": invalid params: max: /);
  });
});
