/** llm-judge's params: a param its mode does not use, or a pass threshold off the scale, is refused by name. */
import {describe, expect, it} from "vitest";
import llmJudge from "../../scorers/llm-judge.ts";
import {paramsIdentity} from "../../data-loaders/scoring/run.ts";
import {parseScorerParams} from "../../src/lib/scorer.ts";

const parse = (params: Record<string, unknown>) => parseScorerParams(llmJudge, {model: "m", ...params});
const refused = (params: Record<string, unknown>) => {
  try {
    parse(params);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(params)}`);
};

describe("llm-judge params", () => {
  it("refuses a graded pass_at off the scale: above its max nothing passes, at or below its min everything does", () => {
    expect(refused({mode: "graded", pass_at: 9})).toMatch(/^scorer "llm-judge": invalid params: pass_at: 9 is above the scale 1\.\.5: no score could pass/);
    expect(refused({mode: "graded", pass_at: 1})).toMatch(/pass_at: 1 is at or below the scale's bottom 1 \(scale 1\.\.5\): every score would pass/);
    expect(refused({mode: "graded", scale: {min: 0, max: 10}, pass_at: 11})).toMatch(/pass_at: 11 is above the scale 0\.\.10/);
    expect(refused({mode: "graded", scale: {min: 0, max: 10}, pass_at: -3})).toMatch(/pass_at: -3 is at or below/);
    expect(parse({mode: "graded", pass_at: 5})).toMatchObject({pass_at: 5});
    expect(parse({mode: "graded", scale: {min: 0, max: 10}, pass_at: 1})).toMatchObject({pass_at: 1});
    // An upside-down scale is reported alone, not also against pass_at.
    expect(refused({mode: "graded", scale: {min: 5, max: 1}, pass_at: 3})).toMatch(/invalid params: scale: scale max must be above min\. See/);
  });

  it("refuses each param the mode does not use, naming it", () => {
    const message = refused({mode: "pointwise", scale: {min: 1, max: 3}, pass_at: 2, order: "swapped"});
    expect(message).toMatch(/scale: only graded mode has a scale; mode pointwise does not use it/);
    expect(message).toMatch(/pass_at: only graded mode has a pass threshold; mode pointwise does not use it/);
    expect(message).toMatch(/order: only pairwise mode has an order; mode pointwise does not use it/);
    expect(refused({pass_at: 3})).toMatch(/pass_at: .*mode pointwise does not use it/);
    expect(refused({mode: "graded", order: "original"})).toMatch(/order: only pairwise mode has an order; mode graded does not use it/);
    expect(refused({mode: "graded", swap_and_synthesize: false})).toMatch(/swap_and_synthesize: only pairwise mode swaps; mode graded does not use it/);
    expect(refused({mode: "pairwise", scale: {min: 1, max: 3}})).toMatch(/scale: only graded mode has a scale; mode pairwise does not use it/);
    expect(refused({mode: "pairwise", swap_and_synthesize: true, order: "swapped"})).toMatch(/order: swap_and_synthesize judges both orders, so it does not use order/);
    expect(parse({mode: "pairwise", order: "swapped"})).toMatchObject({order: "swapped", swap_and_synthesize: false});
    expect(parse({mode: "pairwise", swap_and_synthesize: true})).toMatchObject({order: "original", swap_and_synthesize: true});
  });

  // The canonical params (defaults filled, keys sorted) of valid settings, as stored before the checks: their
  // hashes, and so every stored score and judge audit, stay the same.
  it.each([
    [{}, '{"max_tokens":1024,"mode":"pointwise","model":"m","order":"original","structured_output":true,"swap_and_synthesize":false}'],
    [{mode: "graded", pass_at: 3}, '{"max_tokens":1024,"mode":"graded","model":"m","order":"original","pass_at":3,"structured_output":true,"swap_and_synthesize":false}'],
    [{mode: "graded", scale: {max: 10, min: 0}}, '{"max_tokens":1024,"mode":"graded","model":"m","order":"original","scale":{"max":10,"min":0},"structured_output":true,"swap_and_synthesize":false}'],
    [{mode: "pairwise"}, '{"max_tokens":1024,"mode":"pairwise","model":"m","order":"original","structured_output":true,"swap_and_synthesize":false}'],
    [{mode: "pairwise", order: "original", swap_and_synthesize: false}, '{"max_tokens":1024,"mode":"pairwise","model":"m","order":"original","structured_output":true,"swap_and_synthesize":false}'],
    [{mode: "pairwise", order: "swapped"}, '{"max_tokens":1024,"mode":"pairwise","model":"m","order":"swapped","structured_output":true,"swap_and_synthesize":false}'],
    [{mode: "pairwise", swap_and_synthesize: true}, '{"max_tokens":1024,"mode":"pairwise","model":"m","order":"original","structured_output":true,"swap_and_synthesize":true}']
  ] as [Record<string, unknown>, string][])("keeps the canonical params of %j", (params, canonical) => {
    expect(paramsIdentity(parse(params)).json).toBe(canonical);
  });
});
