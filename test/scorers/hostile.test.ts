/**
 * Every built-in scorer on hostile inputs: an empty output, a 10 MB output, mixed scripts and emoji, invalid JSON,
 * and a regular expression with catastrophic backtracking. Each must return a sensible score (or a clear error),
 * never throw out of the run, and never hang.
 */
import {describe, expect, it} from "vitest";
import exactMatch from "../../scorers/exact-match.ts";
import includes from "../../scorers/includes.ts";
import regex from "../../scorers/regex.ts";
import numeric from "../../scorers/numeric.ts";
import multipleChoice from "../../scorers/multiple-choice.ts";
import jsonValid from "../../scorers/json-valid.ts";
import jsonField from "../../scorers/json-field.ts";
import fieldRecovery from "../../scorers/field-recovery.ts";
import wer from "../../scorers/wer.ts";
import structuredWer from "../../scorers/structured-wer.ts";
import tokenF1 from "../../scorers/token-f1.ts";
import state from "../../scorers/state.ts";
import trajectory from "../../scorers/trajectory.ts";
import {wordTokens} from "../../src/lib/text-match.ts";
import type {ScorableRecord, Scorer} from "../../src/lib/scorer.ts";
import {score, tenMegabytes} from "./score-helper.ts";

const BIG = tenMegabytes("The answer is (C), which is 42.");
const JSON_TARGET = JSON.stringify({city: "Paris", country: "France"});

/** Runs `fn` and returns its result with the wall time, so each hostile case also bounds its cost. */
async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const r = await fn();
  return [r, performance.now() - t];
}

describe("empty output", () => {
  it.each(([
    [exactMatch, {target: "x"}, {}, 0],
    [includes, {target: "x"}, {}, 0],
    [regex, {target: "x"}, {pattern: "x"}, 0],
    [numeric, {target: "7"}, {}, 0],
    [multipleChoice, {target: "A"}, {}, 0],
    [jsonValid, {}, {}, 0],
    [jsonField, {target: JSON_TARGET}, {fields: ["/city"]}, 0],
    [fieldRecovery, {target: JSON_TARGET}, {}, 0],
    [wer, {target: "two words"}, {}, 0],
    [structuredWer, {target: JSON_TARGET}, {}, 0],
    [tokenF1, {target: "two words"}, {}, 0]
  ] as [Scorer, ScorableRecord, object, number][]).map(([scorer, ...rest]) => [scorer.name, scorer, ...rest] as const))("%s scores an empty output as a failure, not an error", async (_name, scorer, record, params, value) => {
    const r = await score(scorer, {...record, output: ""}, params);
    expect(r.error).toBeNull();
    expect(r.value).toBe(value);
  });

  it("an empty output equals an empty target, where the metric is defined for it", async () => {
    expect(await score(exactMatch, {output: "", target: ""})).toMatchObject({passed: true});
    expect(await score(tokenF1, {output: "", target: ""})).toMatchObject({value: 1});
    // WER divides by the target's word count: undefined for an empty target, so the record is an error.
    expect(await score(wer, {output: "", target: ""})).toMatchObject({value: null, error: expect.stringMatching(/^target has no words/)});
  });
});

describe("a 10 MB output", () => {
  it.each(([
    [exactMatch, {target: "42"}, {}, 0],
    [includes, {target: "which is 42"}, {}, 1],
    [regex, {target: "42"}, {pattern: "which is (\\d+)", group: 1}, 1],
    [numeric, {target: "42"}, {}, 1],
    [multipleChoice, {target: "C"}, {}, 1],
    [jsonValid, {}, {}, 0],
    [jsonField, {target: JSON_TARGET}, {fields: ["/city"]}, 0],
    [fieldRecovery, {target: JSON_TARGET}, {}, 0],
    [structuredWer, {target: JSON_TARGET}, {}, 0]
  ] as [Scorer, ScorableRecord, object, number][]).map(([scorer, ...rest]) => [scorer.name, scorer, ...rest] as const))("%s scores it in linear time", async (_name, scorer, record, params, value) => {
    const [r, ms] = await timed(() => score(scorer, {...record, output: BIG}, params));
    expect(r.error).toBeNull();
    expect(r.value).toBe(value);
    expect(ms).toBeLessThan(10_000);
  });

  it("wer and token-f1 align 10 MB of words against a short target", async () => {
    const [w, ms] = await timed(() => score(wer, {target: "the answer is 42", output: BIG}));
    expect(w.value).toBe(0); // almost two million inserted words: WER far above 1
    expect(w.explanation).toMatch(/^WER \d+\.\d{4} \(S=0 D=0 I=\d{7} N=4\)$/);
    const [f] = await timed(() => score(tokenF1, {target: "the answer is 42", output: BIG}));
    expect(f.value).toBeGreaterThan(0);
    expect(f.value).toBeLessThan(1e-5);
    expect(ms).toBeLessThan(30_000);
  });

  it("a 10 MB valid JSON document parses", async () => {
    const doc = JSON.stringify({city: "Paris", country: "France", padding: "x".repeat(10_000_000)});
    expect(await score(jsonValid, {output: doc}, {type: "object"})).toMatchObject({passed: true});
    expect(await score(fieldRecovery, {output: doc, target: JSON_TARGET})).toMatchObject({value: 1});
  });
});

describe("mixed scripts and emoji", () => {
  it("tokenises Chinese and Japanese per character, Thai by words, and keeps emoji as tokens", () => {
    expect(wordTokens("我爱北京 🙂 Tokyo東京 ภาษาไทย 👨‍👩‍👧!")).toEqual(["我", "爱", "北", "京", "🙂", "Tokyo", "東", "京", "ภาษา", "ไทย", "👨‍👩‍👧"]);
  });

  it("scores texts that mix scripts", async () => {
    const target = "東京は日本の首都です 🗼";
    expect(await score(exactMatch, {output: "東京は日本の首都です 🗼", target})).toMatchObject({passed: true});
    // One character wrong out of 11 tokens (10 characters and the emoji).
    const w = await score(wer, {output: "東京は日本の首府です 🗼", target});
    expect(w.explanation).toBe("WER 0.0909 (S=1 D=0 I=0 N=11)");
    const f = await score(tokenF1, {output: "Das Café in Москва 🙂", target: "das café in москва 🙂"});
    expect(f.value).toBe(1);
    expect(await score(includes, {output: "Ein Ｃａｆé in Москва", target: "café"}, {ignoreCase: true, nfkc: true})).toMatchObject({passed: true});
    expect(await score(numeric, {output: "価格は１２３円", target: "123"})).toMatchObject({passed: false});
    expect(await score(numeric, {output: "価格は１２３円", target: "123"}, {})).toMatchObject({explanation: "no number in output"});
    expect(await score(multipleChoice, {output: "答え: (B) 🙂", target: "B"})).toMatchObject({passed: true});
    expect(await score(regex, {output: "名前: 山田 🙂", target: "山田"}, {pattern: "名前: (\\p{Han}+)", group: 1})).toMatchObject({passed: true});
  });
});

describe("invalid JSON", () => {
  it.each(["{", "{'single': 'quotes'}", '{"a": 1,}', "NaN", "```json\n{\"a\": \n```", "\u0000"])("%j is scored as invalid, never thrown", async (output) => {
    expect(await score(jsonValid, {output})).toMatchObject({value: 0, passed: false, error: null});
    expect(await score(jsonField, {output, target: JSON_TARGET}, {fields: ["/city"]})).toMatchObject({value: 0, error: null});
    expect(await score(fieldRecovery, {output, target: JSON_TARGET})).toMatchObject({value: 0, error: null});
    expect(await score(structuredWer, {output, target: JSON_TARGET})).toMatchObject({value: 0, error: null});
  });

  it("an invalid JSON target is the record's error, not the model's failure", async () => {
    expect(await score(fieldRecovery, {output: "{}", target: "{oops"})).toMatchObject({value: null, error: expect.stringMatching(/^target is not valid JSON/)});
  });
});

describe("deeply nested JSON", () => {
  const nested = (depth: number, leaf: string) => '{"a":'.repeat(depth) + leaf + "}".repeat(depth);

  it("field-recovery compares 1000 levels, and a target nested deeper is a clear error for that record, not a stack overflow", async () => {
    expect(await score(fieldRecovery, {target: nested(1000, '"x"'), output: nested(1000, '"x"')})).toMatchObject({value: 1, error: null});
    expect(await score(fieldRecovery, {target: nested(1000, '"x"'), output: nested(1000, '"y"')})).toMatchObject({value: 0, error: null});
    for (const depth of [1001, 5000, 100_000]) {
      const r = await score(fieldRecovery, {target: nested(depth, '"x"'), output: nested(depth, '"x"')});
      expect(r).toMatchObject({value: null, error: expect.stringMatching(/^JSON nests deeper than 1000 levels \(at \/a\/a\/a.*\): too deep to compare field by field$/)});
    }
    // A deep output under a shallow target is only the model's wrong answer.
    expect(await score(fieldRecovery, {target: '{"a": 1}', output: nested(100_000, "1")})).toMatchObject({value: 0, error: null});
  });

  it("structured-wer and state give the same error; jsonEqual compares values of any depth without recursion", async () => {
    expect(await score(structuredWer, {target: nested(5000, '"x"'), output: "{}"})).toMatchObject({value: null, error: expect.stringMatching(/^JSON nests deeper than 1000 levels/)});
    const deep = JSON.parse(nested(5000, "1"));
    expect(await score(state, {initial_state: {}, final_state: deep}, {goal: {"/b": 1}})).toMatchObject({value: null, error: expect.stringMatching(/^JSON nests deeper than 1000 levels/)});
    expect(await score(state, {final_state: deep}, {goal: {"": deep}, doNoHarm: false})).toMatchObject({value: 1, passed: true, error: null});
    expect(await score(state, {final_state: deep}, {goal: {"": JSON.parse(nested(5000, "2"))}, doNoHarm: false})).toMatchObject({value: 0, passed: false, error: null});
    expect(await score(jsonField, {target: nested(100_000, '"x"'), output: nested(100_000, '"x"')}, {fields: ["/a"]})).toMatchObject({value: 1, error: null});
    const ok = JSON.parse(nested(999, '"Bob"'));
    expect(await score(state, {final_state: ok}, {goal: {"": JSON.parse(nested(999, '"bob"'))}, doNoHarm: false, comparison: "tolerant"})).toMatchObject({passed: true});
  });
});

describe("catastrophic backtracking", () => {
  it("(a+)+$ on 100,000 a's and a b finishes at once with RE2 semantics", async () => {
    // A backtracking engine needs about 2^100000 steps here; RE2 is linear in the input.
    const [r, ms] = await timed(() => score(regex, {output: `${"a".repeat(100_000)}b`}, {pattern: "(a+)+$"}));
    expect(r).toMatchObject({passed: false, explanation: "pattern not found"});
    expect(ms).toBeLessThan(5_000);
    const [r2, ms2] = await timed(() => score(regex, {output: `${"a".repeat(30)}!`}, {pattern: "^(\\w+\\s?)*$"}));
    expect(r2).toMatchObject({passed: false});
    expect(ms2).toBeLessThan(1_000);
  });
});

describe("state and trajectory scorers on hostile inputs", () => {
  const goal = {"/status": "done"};

  it("state: empty states, a 10 MB field, emoji keys and an invalid JSON goal", async () => {
    expect(await score(state, {initial_state: {}, final_state: {}}, {goal})).toMatchObject({value: 0, passed: false, error: null});
    const big = {status: "done", blob: BIG};
    const [r, ms] = await timed(() => score(state, {initial_state: {status: "open", blob: BIG}, final_state: big}, {goal}));
    expect(r).toMatchObject({value: 1, passed: true});
    expect(ms).toBeLessThan(5_000);
    const emoji = {"🙂/键~": 1, status: "done"};
    const e = await score(state, {initial_state: {"🙂/键~": 0, status: "open"}, final_state: emoji}, {goal});
    // The key's "/" and "~" are escaped in the pointer (RFC 6901: ~1 and ~0).
    expect(e.violations).toEqual([{rule: "no-harm", step: null, message: "/🙂~1键~0 changed from 0 to 1 outside the goal"}]);
    expect(await score(state, {initial_state: {}, final_state: {}, target: "{not json"})).toMatchObject({value: null, error: "the record's target is not a JSON object {pointer: value}"});
  });

  it("trajectory: no steps, a 10 MB step, emoji arguments, invalid JSON rules and a catastrophic content pattern", async () => {
    expect(await score(trajectory, {trajectory: []}, {rules: [{type: "must-call", tool: "refund"}]})).toMatchObject({passed: false, explanation: "0 of 1 rules hold over 0 steps; 1 violations"});
    const steps = [
      {actor: "user" as const, content: `${"a".repeat(100_000)}b`},
      {actor: "agent" as const, tool: "note", arguments: {text: "🙂 東京"}, content: BIG}
    ];
    const [r, ms] = await timed(() =>
      score(trajectory, {trajectory: steps}, {rules: [{type: "must-not-call", content: "(a+)+$"}, {type: "must-call", actor: "agent", tool: "note", args: {text: "🙂 東京"}}]})
    );
    expect(r).toMatchObject({passed: true, value: 1});
    expect(ms).toBeLessThan(10_000);
    expect(await score(trajectory, {trajectory: steps, target: "{rules"}, {rulesFromTarget: true})).toMatchObject({value: null, error: expect.stringMatching(/^target is not valid JSON/)});
  });
});
