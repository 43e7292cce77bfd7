/**
 * token-f1 against golden values from SQuAD's own definition (test/fixtures/scorers/squad_f1, made by generate.py
 * with evaluate-v2.0.py's normalize_answer and compute_f1), and the punctuation the shared normaliser drops.
 */
import {readFileSync} from "node:fs";
import {describe, expect, it} from "vitest";
import exactMatch from "../../scorers/exact-match.ts";
import tokenF1 from "../../scorers/token-f1.ts";
import {normaliseText} from "../../src/lib/text-match.ts";
import {score} from "./score-helper.ts";

interface Case {
  target: string;
  output: string;
  expected: {f1: number};
}
const fixture = JSON.parse(readFileSync(new URL("../fixtures/scorers/squad_f1/squad_f1.json", import.meta.url), "utf8")) as {cases: Case[]};

// Python's string.punctuation.
const STRING_PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

describe("token-f1 agrees with SQuAD's evaluation script on ASCII text", () => {
  it("has the fixture's cases", () => expect(fixture.cases.length).toBeGreaterThanOrEqual(25));

  it.each(fixture.cases.map((c) => [c.target, c.output, c.expected.f1] as const))("target %j, output %j: F1 %d", async (target, output, f1) => {
    const r = await score(tokenF1, {target, output});
    expect(r.error).toBeNull();
    expect(Math.abs((r.value as number) - f1)).toBeLessThanOrEqual(1e-12);
  });
});

describe("ignorePunctuation drops Python's string.punctuation and, beyond ASCII, Unicode punctuation", () => {
  it("drops all 32 characters of string.punctuation and nothing else of printable ASCII", () => {
    const ascii = Array.from({length: 95}, (_, i) => String.fromCharCode(32 + i)).join("");
    expect(normaliseText(ascii, {ignorePunctuation: true, whitespace: "exact"})).toBe([...ascii].filter((c) => !STRING_PUNCTUATION.includes(c)).join(""));
  });

  it("drops Unicode punctuation (a named extension) but keeps other symbols", () => {
    expect(normaliseText("«¿Qué?» — 東京。… €5 © 🙂", {ignorePunctuation: true, whitespace: "collapse"})).toBe("Qué 東京 €5 © 🙂");
  });

  it("exact-match with ignorePunctuation treats the ASCII symbols as punctuation too", async () => {
    expect(await score(exactMatch, {output: "$5", target: "5"}, {ignorePunctuation: true})).toMatchObject({value: 1, passed: true});
    expect(await score(exactMatch, {output: "x+y=z", target: "xyz"}, {ignorePunctuation: true})).toMatchObject({passed: true});
    expect(await score(exactMatch, {output: "$5", target: "5"})).toMatchObject({passed: false});
  });
});
