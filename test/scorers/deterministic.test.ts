import {describe, expect, it} from "vitest";
import exactMatch from "../../scorers/exact-match.ts";
import includes from "../../scorers/includes.ts";
import regex from "../../scorers/regex.ts";
import numeric from "../../scorers/numeric.ts";
import multipleChoice, {extractChoice} from "../../scorers/multiple-choice.ts";
import jsonValid from "../../scorers/json-valid.ts";
import jsonField from "../../scorers/json-field.ts";
import fieldRecovery from "../../scorers/field-recovery.ts";
import wer from "../../scorers/wer.ts";
import structuredWer from "../../scorers/structured-wer.ts";
import tokenF1 from "../../scorers/token-f1.ts";
import type {Scorer} from "../../src/lib/scorer.ts";
import {score} from "./score-helper.ts";

describe("exact-match", () => {
  it("compares after the requested normalisation only", async () => {
    expect(await score(exactMatch, {output: " Paris\n", target: "Paris"})).toMatchObject({value: 1, passed: true});
    expect(await score(exactMatch, {output: "paris", target: "Paris"})).toMatchObject({value: 0, passed: false, explanation: "output differs from target"});
    expect(await score(exactMatch, {output: "paris", target: "Paris"}, {ignoreCase: true})).toMatchObject({passed: true});
    expect(await score(exactMatch, {output: "New   York", target: "New York"})).toMatchObject({passed: false});
    expect(await score(exactMatch, {output: "New \t York", target: "New York"}, {whitespace: "collapse"})).toMatchObject({passed: true});
    expect(await score(exactMatch, {output: "Paris.", target: "Paris"}, {ignorePunctuation: true})).toMatchObject({passed: true});
    // NFKC folds full-width letters and the "ﬁ" ligature; without it they differ.
    expect(await score(exactMatch, {output: "ＡＢＣ ﬁle", target: "ABC file"})).toMatchObject({passed: false});
    expect(await score(exactMatch, {output: "ＡＢＣ ﬁle", target: "ABC file"}, {nfkc: true})).toMatchObject({passed: true});
  });

  it("fails a missing output and errors (no value) without a target", async () => {
    expect(await score(exactMatch, {output: null, target: "x"})).toMatchObject({value: 0, passed: false, explanation: "no output"});
    expect(await score(exactMatch, {output: "x"})).toMatchObject({value: null, passed: null, error: "record has no target to compare with"});
  });

  it.each([
    ["exact-match", exactMatch, {}],
    ["exact-match", exactMatch, {ignoreCase: true, nfkc: true}],
    ["regex", regex, {pattern: "(?i)(paris)", group: 1}],
    ["regex", regex, {pattern: "^\\s*\\p{Lu}"}]
  ] as [string, Scorer, object][])("%s: scoreBatch agrees with score record by record (%j)", async (_name, scorer, params) => {
    const output = ["Paris", " paris ", null, "Lyon", "ＰＡＲＩＳ", ""];
    const target = ["Paris", "Paris", "Paris", null, "paris", ""];
    {
      const p = scorer.params.parse(params);
      const batch = scorer.scoreBatch!({output, target}, p, {services: {}});
      for (let i = 0; i < output.length; i++) {
        const one = await score(scorer, {output: output[i], target: target[i]}, params);
        expect([batch.value[i], batch.passed[i], batch.explanation[i], batch.error[i]]).toEqual([one.value, one.passed, one.explanation, one.error]);
      }
    }
  });
});

describe("includes", () => {
  it("finds the target or every / any substring", async () => {
    expect(await score(includes, {output: "The capital is Paris.", target: "Paris"})).toMatchObject({value: 1, passed: true});
    expect(await score(includes, {output: "The capital is PARIS.", target: "Paris"})).toMatchObject({passed: false});
    expect(await score(includes, {output: "The capital is PARIS.", target: "Paris"}, {ignoreCase: true})).toMatchObject({passed: true});
    const r = await score(includes, {output: "red and green"}, {substrings: ["red", "blue", "green"]});
    expect(r).toMatchObject({value: 2 / 3, passed: false, explanation: 'missing "blue"'});
    expect(await score(includes, {output: "red and green"}, {substrings: ["red", "blue"], mode: "any"})).toMatchObject({value: 0.5, passed: true});
  });

  it("an empty target or substring (after normalisation) is an error, since every output contains it", async () => {
    expect(await score(includes, {output: "anything", target: ""})).toMatchObject({value: null, error: 'target "" is empty after normalisation, so any output would contain it'});
    expect(await score(includes, {output: "anything", target: "   "})).toMatchObject({error: expect.stringMatching(/^target "   " is empty/)});
    expect(await score(includes, {output: "anything"}, {substrings: ["red", "!!"], ignorePunctuation: true})).toMatchObject({error: expect.stringMatching(/^substring "!!" is empty/)});
  });
});

describe("regex", () => {
  it("finds a pattern, or compares a capture group with the target", async () => {
    expect(await score(regex, {output: "order #A-1234 shipped"}, {pattern: "#[A-Z]-\\d{4}"})).toMatchObject({passed: true, explanation: "pattern found at 6"});
    expect(await score(regex, {output: "no order"}, {pattern: "#[A-Z]-\\d{4}"})).toMatchObject({passed: false, explanation: "pattern not found"});
    const p = {pattern: "answer is (?P<ans>-?\\d+)", group: "ans"};
    expect(await score(regex, {output: "so the answer is 42.", target: "42"}, p)).toMatchObject({passed: true, explanation: 'captured "42" equals target'});
    expect(await score(regex, {output: "the answer is 41, no, the answer is 42", target: "42"}, p)).toMatchObject({passed: false});
    expect(await score(regex, {output: "the answer is 41, no, the answer is 42", target: "42"}, {...p, occurrence: "last"})).toMatchObject({passed: true});
    expect(await score(regex, {output: "ANSWER IS 7", target: "7"}, {pattern: "answer is (\\d)", group: 1, ignoreCase: true})).toMatchObject({passed: true});
  });

  it("rejects patterns RE2 cannot run in linear time (backreferences) as invalid params", async () => {
    await expect(score(regex, {output: "aa"}, {pattern: "(a)\\1"})).rejects.toThrow(/scorer "regex": invalid params: pattern: not a valid RE2 pattern/);
  });
});

describe("numeric", () => {
  it("reads 1,234.5 / 12% / $3 / 2.5e3 / negatives and applies the tolerance", async () => {
    expect(await score(numeric, {output: "The total is $1,234.50.", target: "1234.5"})).toMatchObject({passed: true});
    expect(await score(numeric, {output: "Growth was 12%", target: "12"})).toMatchObject({passed: true});
    expect(await score(numeric, {output: "Growth was 12%", target: "0.12"})).toMatchObject({passed: false});
    expect(await score(numeric, {output: "Growth was 12%", target: "0.12"}, {percentAsFraction: true})).toMatchObject({passed: true});
    expect(await score(numeric, {output: "Growth was 12%", target: "0.12%"}, {percentAsFraction: true})).toMatchObject({passed: false});
    expect(await score(numeric, {output: "about 2.5e3 units", target: "2500"})).toMatchObject({passed: true});
    expect(await score(numeric, {output: "it fell to −3 degrees", target: "-3"})).toMatchObject({passed: true});
    // A sign apart from the number is a list item or a dash, not a minus.
    expect(await score(numeric, {output: "Steps:\n- 42", target: "42"})).toMatchObject({passed: true});
    expect(await score(numeric, {output: "Final answer - 42", target: "42"})).toMatchObject({passed: true});
    expect(await score(numeric, {output: "a loss of -$3", target: "-3"})).toMatchObject({passed: true});
    expect(await score(numeric, {output: "3.14159", target: "3.14"})).toMatchObject({passed: false});
    expect(await score(numeric, {output: "3.14159", target: "3.14"}, {abs: 0.01})).toMatchObject({passed: true});
    expect(await score(numeric, {output: "1010", target: "1000"}, {rel: 0.01})).toMatchObject({passed: true});
    expect(await score(numeric, {output: "1011", target: "1000"}, {rel: 0.01})).toMatchObject({passed: false});
  });

  it("takes the last number by default (GSM8K), or the first, or only a lone one", async () => {
    const r = {output: "Step 1: 3 apples + 4 apples. Answer: 7", target: "7"};
    expect(await score(numeric, r)).toMatchObject({passed: true});
    expect(await score(numeric, r, {extract: "first"})).toMatchObject({passed: false});
    expect(await score(numeric, r, {extract: "only"})).toMatchObject({passed: false, explanation: "4 numbers in output, expected only one"});
    expect(await score(numeric, {output: "no idea", target: "7"})).toMatchObject({passed: false, explanation: "no number in output"});
    expect(await score(numeric, {output: "7", target: "between 6 and 8"})).toMatchObject({error: expect.stringMatching(/holds 2 numbers, expected one/)});
  });
});

describe("multiple-choice", () => {
  it.each([
    ["The answer is (B).", "B"],
    ["Answer: C", "C"],
    ["**D**", "D"],
    ["b", "B"],
    ["(A)", "A"],
    ["I think (A) is tempting, but the answer is C", "C"],
    ["Options (A) and (C) look wrong; I pick (B)", "B"],
    ["The answer: a cat is an animal", null],
    ["I am not sure", null],
    ["Answer: E", null],
    ["**Answer:** C", "C"],
    ["**Answer**: B", "B"],
    ["_Answer_: D", "D"]
  ])("extracts from %j -> %s", (output, letter) => {
    expect(extractChoice(output, "ABCD")).toBe(letter);
  });

  it("scores the extracted letter against the target", async () => {
    expect(await score(multipleChoice, {output: "The answer is (B).", target: "b"})).toMatchObject({passed: true, explanation: "chose B, target B"});
    expect(await score(multipleChoice, {output: "The answer is (B).", target: "C"})).toMatchObject({passed: false});
    expect(await score(multipleChoice, {output: "Answer: E", target: "E"}, {choices: "ABCDE"})).toMatchObject({passed: true});
    expect(await score(multipleChoice, {output: "B", target: "E"})).toMatchObject({error: expect.stringMatching(/not one of the letters ABCD/)});
  });
});

describe("JSON scorers", () => {
  it("json-valid accepts JSON and a fenced block, and checks the top-level type", async () => {
    expect(await score(jsonValid, {output: '{"a": 1}'})).toMatchObject({passed: true, explanation: "valid JSON object"});
    expect(await score(jsonValid, {output: '```json\n[1, 2]\n```'}, {type: "array"})).toMatchObject({passed: true});
    expect(await score(jsonValid, {output: '[1, 2]'}, {type: "object"})).toMatchObject({passed: false, explanation: "valid JSON but a array, expected object"});
    expect(await score(jsonValid, {output: "{'a': 1}"})).toMatchObject({passed: false, explanation: expect.stringMatching(/^invalid JSON: /)});
  });

  it("json-field compares the named pointers, with numeric tolerance", async () => {
    const target = JSON.stringify({user: {name: "Ada", age: 36}, tags: ["x", "y"]});
    const output = JSON.stringify({user: {name: "Ada", age: 36.4}, tags: ["x", "z"], extra: 1});
    expect(await score(jsonField, {output, target}, {fields: ["/user/name", "/user/age", "/tags/1"]})).toMatchObject({value: 1 / 3, passed: false, explanation: "/user/age differs; /tags/1 differs"});
    expect(await score(jsonField, {output, target}, {fields: ["/user/name", "/user/age"], abs: 0.5})).toMatchObject({value: 1, passed: true});
    expect(await score(jsonField, {output: "{}", target}, {fields: ["/user"]})).toMatchObject({value: 0, explanation: "/user missing"});
    expect(await score(jsonField, {output, target}, {fields: ["/nope"]})).toMatchObject({error: "target has no field /nope"});
  });

  it("field-recovery is the fraction of the target's leaves recovered exactly", async () => {
    const target = JSON.stringify({name: "Marie Curie", born: 1867, prizes: ["Physics", "Chemistry"], spouse: {name: "Pierre"}});
    const output = JSON.stringify({name: "marie curie", born: 1867, prizes: ["Physics"], spouse: {name: "Pierre"}, extra: "ignored"});
    expect(await score(fieldRecovery, {output, target})).toMatchObject({value: 3 / 5, passed: false, explanation: "3 of 5 fields recovered; missed /name, /prizes/1"});
    expect(await score(fieldRecovery, {output, target}, {ignoreCase: true, passAt: 0.8})).toMatchObject({value: 4 / 5, passed: true});
    expect(await score(fieldRecovery, {output: "not json", target})).toMatchObject({value: 0, explanation: expect.stringMatching(/^invalid JSON .*; 0 of 5 fields$/)});
  });
});

describe("word error rate", () => {
  it("counts substitutions, deletions and insertions over the target's words", async () => {
    // Reference 6 words; the hypothesis substitutes sat->sit and the->big: WER 2/6.
    const r = await score(wer, {target: "The cat sat on the mat.", output: "the cat sit on big mat"});
    expect(r.explanation).toBe("WER 0.3333 (S=2 D=0 I=0 N=6)");
    expect(r.value).toBeCloseTo(1 - 2 / 6, 12);
    const r2 = await score(wer, {target: "a b c d", output: "a x c d e"}, {maxWer: 0.5});
    expect(r2).toMatchObject({passed: true, explanation: "WER 0.5000 (S=1 D=0 I=1 N=4)"});
    expect(await score(wer, {target: "a b", output: "x y z w v"})).toMatchObject({value: 0, explanation: "WER 2.5000 (S=2 D=0 I=3 N=2)"});
  });

  it("structured WER scores only the target's fields", async () => {
    const target = JSON.stringify({title: "Quarterly revenue report", author: "Jane Doe"});
    const output = "Here you go: " + JSON.stringify({title: "Quarterly revenue", author: "Jane Doe", notes: "lots of extra words here"});
    // The prose around the JSON makes the output invalid JSON: every field counts as missing.
    expect(await score(structuredWer, {target, output})).toMatchObject({value: 0, explanation: "invalid output JSON; structured WER 1.0000 over 2 fields (S=0 D=5 I=0 N=5, 2 fields missing)"});
    const clean = JSON.stringify({title: "Quarterly revenue", author: "Jane Doe", notes: "lots of extra words here"});
    const r = await score(structuredWer, {target, output: clean});
    expect(r.explanation).toBe("structured WER 0.2000 over 2 fields (S=0 D=1 I=0 N=5, 0 fields missing)");
    expect(r.value).toBeCloseTo(0.8, 12);
  });
});

describe("a missing output is the model's failure; a target with no words is an error where the metric is undefined", () => {
  it("wer: no output scores 0 and fails maxWer; a target with no words (N = 0) is an error, whatever the output", async () => {
    expect(await score(wer, {output: null, target: "the cat"})).toMatchObject({value: 0, passed: null, error: null, explanation: "no output: the model's failure (N=2)"});
    // WER 1 <= maxWer 1 would pass an empty answer; no answer fails.
    expect(await score(wer, {output: null, target: "the cat"}, {maxWer: 1})).toMatchObject({value: 0, passed: false});
    expect(await score(wer, {output: "", target: "the cat"}, {maxWer: 1})).toMatchObject({value: 0, passed: true, explanation: "WER 1.0000 (S=0 D=2 I=0 N=2)"});
    for (const output of [null, "", "words"]) {
      for (const target of ["", "  ", "?!"]) {
        expect(await score(wer, {output, target}, {ignorePunctuation: true})).toMatchObject({value: null, passed: null, error: expect.stringMatching(/^target has no words .*undefined for N = 0/)});
      }
    }
  });

  it("token-f1: no output scores 0, even when the target has no tokens; both sides empty score 1 (SQuAD v2.0 compute_f1)", async () => {
    expect(await score(tokenF1, {output: null, target: "The"})).toMatchObject({value: 0, passed: null, explanation: "no output: the model's failure"});
    expect(await score(tokenF1, {output: null, target: ""}, {passAt: 0})).toMatchObject({value: 0, passed: false});
    expect(await score(tokenF1, {output: null, target: "Denver Broncos"}, {passAt: 0.5})).toMatchObject({value: 0, passed: false});
    // Empty answers: both empty after normalisation is 1, one empty is 0.
    expect(await score(tokenF1, {output: "", target: "The"})).toMatchObject({value: 1});
    expect(await score(tokenF1, {output: "an", target: ""})).toMatchObject({value: 1});
    expect(await score(tokenF1, {output: "", target: "Denver"})).toMatchObject({value: 0});
    expect(await score(tokenF1, {output: "Denver", target: "the"})).toMatchObject({value: 0});
  });

  it("structured-wer: a missing or unparseable output scores 0 and fails; a target whose fields hold no words is an error", async () => {
    for (const target of ['{"a": ""}', "{}", "[]", '{"a": [], "b": {"c": " "}}']) {
      for (const output of [null, "not json", '{"a": "x"}']) {
        expect(await score(structuredWer, {output, target})).toMatchObject({value: null, error: expect.stringMatching(/^the target's fields hold no words/)});
      }
    }
    const target = '{"a": "one two"}';
    expect(await score(structuredWer, {output: null, target}, {maxWer: 1})).toMatchObject({value: 0, passed: false, explanation: expect.stringMatching(/^no output; /)});
    expect(await score(structuredWer, {output: "not json", target}, {maxWer: 1})).toMatchObject({value: 0, passed: false, explanation: expect.stringMatching(/^invalid output JSON; /)});
    // Valid JSON without the field: every target word deleted, WER 1, which maxWer 1 allows.
    expect(await score(structuredWer, {output: "{}", target}, {maxWer: 1})).toMatchObject({value: 0, passed: true, explanation: "structured WER 1.0000 over 1 fields (S=0 D=2 I=0 N=2, 1 fields missing)"});
  });
});

describe("token-f1", () => {
  it("matches the SQuAD v1.1 evaluation on its normalisation", async () => {
    // SQuAD: normalize_answer drops articles and punctuation and lower-cases; F1 over the bag of tokens.
    const r = await score(tokenF1, {target: "the Denver Broncos", output: "Denver Broncos won"});
    // tokens: [denver, broncos] vs [denver, broncos, won]: precision 2/3, recall 1, F1 0.8
    expect(r.value).toBeCloseTo(0.8, 12);
    expect(await score(tokenF1, {target: "Santa Clara, California", output: "Levi's Stadium"})).toMatchObject({value: 0});
    expect(await score(tokenF1, {target: "a", output: "the"})).toMatchObject({value: 1});
    expect(await score(tokenF1, {target: "x y", output: "x y"}, {passAt: 0.9})).toMatchObject({value: 1, passed: true});
  });
});
