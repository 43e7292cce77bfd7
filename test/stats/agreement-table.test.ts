/**
 * The contingency-table forms of the two-rater coefficients (agreement.ts, krippendorff.ts) and the table bootstrap
 * (agreement-bootstrap.ts) are the label-array forms to the last bit: on the golden two-rater fixtures
 * (test/fixtures/golden/agreement.json, see its SOURCE.md) and on random label vectors with missing ratings.
 */
import {readFileSync} from "node:fs";
import {fileURLToPath} from "node:url";
import fc from "fast-check";
import {describe, expect, it} from "vitest";
import {
  agreementBootstrapCI, cohenKappa, cohenKappaFromTable, contingencyBootstrapCIs, contingencyTable, gwetAC1, gwetAC1FromTable,
  krippendorffAlpha, krippendorffAlphaFromTable, percentAgreement, percentAgreementFromTable, ratersToUnits, scottPi,
  scottPiFromTable, type KappaWeights, type Label, type MeasurementLevel,
} from "../../src/lib/stats/index.ts";

interface TwoRaterCase {
  name: string;
  statistic: string;
  input: {rater_a: Label[]; rater_b: Label[]};
  params: {categories: Label[]; ordinal: boolean};
  /** "NaN" where the coefficient is 0/0. */
  expected: Record<string, number | "NaN">;
  tolerance: {abs: number};
}

const golden = JSON.parse(readFileSync(fileURLToPath(new URL("../fixtures/golden/agreement.json", import.meta.url)), "utf-8")) as {cases: TwoRaterCase[]};
const twoRaterCases = golden.cases.filter((c) => c.statistic === "agreement_two_raters");
const WEIGHTS: KappaWeights[] = ["unweighted", "linear", "quadratic"];
const LEVELS: MeasurementLevel[] = ["nominal", "ordinal", "interval", "ratio"];

/** The value of f, or the message it throws (both forms must throw alike). */
function outcome(f: () => number): number | string {
  try {
    return f();
  } catch (err) {
    return (err as Error).message;
  }
}

/** Every coefficient both ways, keyed by name: [array form, table form]. */
function bothWays(a: Label[], b: Label[], categories: Label[]): Record<string, [number | string, number | string]> {
  const {counts} = contingencyTable(a, b, categories);
  const units = ratersToUnits(a, b);
  const out: Record<string, [number | string, number | string]> = {
    percent_agreement: [outcome(() => percentAgreement(a, b)), outcome(() => percentAgreementFromTable(counts))],
    scott_pi: [outcome(() => scottPi(a, b, {categories})), outcome(() => scottPiFromTable(counts))],
    gwet_ac1: [outcome(() => gwetAC1(a, b, {categories})), outcome(() => gwetAC1FromTable(counts))],
  };
  for (const weights of WEIGHTS) {
    out[`cohen_kappa_${weights}`] = [outcome(() => cohenKappa(a, b, {categories, weights})), outcome(() => cohenKappaFromTable(counts, weights))];
  }
  for (const level of LEVELS) {
    out[`krippendorff_alpha_${level}`] = [
      outcome(() => krippendorffAlpha(units, {level, categories})),
      outcome(() => krippendorffAlphaFromTable(counts, categories, {level, categories})),
    ];
  }
  return out;
}

describe("table forms of the two-rater coefficients", () => {
  it("finds the eight two-rater golden cases", () => {
    expect(twoRaterCases.map((c) => c.name)).toHaveLength(8);
  });

  for (const c of twoRaterCases) {
    it(`${c.name}: table form = array form bit for bit, and = the golden value`, () => {
      const {rater_a: a, rater_b: b} = c.input;
      const results = bothWays(a, b, c.params.categories);
      for (const [name, [array, table]] of Object.entries(results)) expect(table, name).toStrictEqual(array);
      const golden: Record<string, number | string> = {
        percent_agreement: results.percent_agreement[1],
        cohen_kappa: results.cohen_kappa_unweighted[1],
        cohen_kappa_linear: results.cohen_kappa_linear[1],
        cohen_kappa_quadratic: results.cohen_kappa_quadratic[1],
        scott_pi: results.scott_pi[1],
        gwet_ac1: results.gwet_ac1[1],
        krippendorff_alpha_nominal: results.krippendorff_alpha_nominal[1],
        krippendorff_alpha_ordinal: results.krippendorff_alpha_ordinal[1],
        krippendorff_alpha_interval: results.krippendorff_alpha_interval[1],
      };
      let compared = 0;
      for (const [key, expected] of Object.entries(c.expected)) {
        if (!(key in golden)) continue;
        compared++;
        if (expected === "NaN") expect(golden[key], key).toBeNaN();
        else expect(Math.abs((golden[key] as number) - expected), key).toBeLessThanOrEqual(c.tolerance.abs);
      }
      expect(compared).toBeGreaterThanOrEqual(5);
    });
  }

  it("random label vectors with missing ratings: table form = array form bit for bit", () => {
    const categories: Label[] = [0, 1, 2, 3];
    const label = fc.constantFrom<Label>(0, 1, 2, 3, null);
    fc.assert(fc.property(fc.array(fc.tuple(label, label), {minLength: 1, maxLength: 60}), (pairs) => {
      const a = pairs.map((p) => p[0]), b = pairs.map((p) => p[1]);
      for (const [name, [array, table]] of Object.entries(bothWays(a, b, categories))) expect(table, name).toStrictEqual(array);
    }), {numRuns: 300});
  });

  it("the table bootstrap gives agreementBootstrapCI's intervals for the same seed (pooled units, missing judge labels)", () => {
    const categories: Label[] = ["0", "1", "none"];
    const k = categories.length;
    const judge = fc.constantFrom<Label>("0", "1", "none", null);
    const reference = fc.constantFrom<Label>("0", "1");
    // Units of two judge columns and a reference, as in the pooled pairwise audit: each adds up to two pairs.
    fc.assert(fc.property(fc.array(fc.tuple(judge, judge, reference), {minLength: 2, maxLength: 40}), fc.integer({min: 1, max: 2 ** 31}), (rows, seed) => {
      const units = rows.filter((u) => u[0] !== null || u[1] !== null);
      fc.pre(units.length > 0);
      const stack = (us: Label[][]) => [us.flatMap((u) => [u[0], u[1]]), us.flatMap((u) => [u[2], u[2]])];
      const cells = (u: readonly Label[]) => [u[0], u[1]].filter((x) => x !== null).map((x) => categories.indexOf(x) * k + categories.indexOf(u[2]));
      const options = {seed, nResamples: 40};
      const fast = contingencyBootstrapCIs(units, k, cells, {
        kappa: (t) => cohenKappaFromTable(t),
        alpha: (t) => krippendorffAlphaFromTable(t, categories),
        agreement: percentAgreementFromTable,
      }, options);
      const slow = {
        kappa: agreementBootstrapCI(units, (us) => cohenKappa(...stack(us) as [Label[], Label[]], {categories}), options),
        alpha: agreementBootstrapCI(units, (us) => krippendorffAlpha(us.flatMap((u) => [[u[0], u[2]], [u[1], u[2]]])), options),
        agreement: agreementBootstrapCI(units, (us) => percentAgreement(...stack(us) as [Label[], Label[]]), options),
      };
      expect(fast).toStrictEqual(slow);
    }), {numRuns: 100});
  });

  it("a weight matrix gives the named scheme's kappa on every golden case, and other matrices as defined", () => {
    const scheme = {unweighted: (i: number, j: number) => (i === j ? 0 : 1), linear: (i: number, j: number) => Math.abs(i - j), quadratic: (i: number, j: number) => (i - j) ** 2};
    for (const c of twoRaterCases) {
      const {counts} = contingencyTable(c.input.rater_a, c.input.rater_b, c.params.categories);
      for (const [name, w] of Object.entries(scheme)) {
        const matrix = counts.map((_, i) => counts.map((_, j) => w(i, j)));
        expect(outcome(() => cohenKappaFromTable(counts, matrix)), `${c.name} ${name}`).toStrictEqual(outcome(() => cohenKappaFromTable(counts, name as KappaWeights)));
      }
    }
    // Scale 1..3 plus a category outside it, at the largest disagreement (4) from every scale point. By hand:
    // O = [[2,1,0,0],[0,2,1,0],[0,0,2,0],[1,0,1,0]] / 10; rows .3 .3 .2 .2, columns .3 .3 .4 0.
    // Σ w O = (1 + 1 + 4 + 4) / 10 = 1.0; Σ w E = .3(.3·1 + .4·4) + .3(.3·1 + .4·1) + .2(.3·4 + .3·1) + .2(.3·4 + .3·4 + .4·4)
    //       = .57 + .21 + .30 + .80 = 1.88; kappa = 1 − 1.0 / 1.88.
    const counts = [[2, 1, 0, 0], [0, 2, 1, 0], [0, 0, 2, 0], [1, 0, 1, 0]];
    const w = [[0, 1, 4, 4], [1, 0, 1, 4], [4, 1, 0, 4], [4, 4, 4, 0]];
    expect(cohenKappaFromTable(counts, w)).toBeCloseTo(1 - 1.0 / 1.88, 12);
  });

  it("Krippendorff's alpha with a difference matrix gives the level's alpha on every golden case, and other differences as defined", () => {
    let interval = 0;
    for (const c of twoRaterCases) {
      const {categories} = c.params;
      const {counts} = contingencyTable(c.input.rater_a, c.input.rater_b, categories);
      const nominal = categories.map((_, i) => categories.map((_, j) => (i === j ? 0 : 1)));
      expect(outcome(() => krippendorffAlphaFromTable(counts, categories, {differences: nominal})), c.name).toStrictEqual(outcome(() => krippendorffAlphaFromTable(counts, categories)));
      if (!categories.every((x) => typeof x === "number")) continue;
      const squared = categories.map((a) => categories.map((b) => ((a as number) - (b as number)) ** 2));
      const alpha = krippendorffAlphaFromTable(counts, categories, {differences: squared});
      expect(alpha, c.name).toBeCloseTo(krippendorffAlphaFromTable(counts, categories, {level: "interval"}), 12);
      expect(Math.abs(alpha - (c.expected.krippendorff_alpha_interval as number)), c.name).toBeLessThanOrEqual(c.tolerance.abs);
      interval++;
    }
    expect(interval).toBe(2);
    // Scale 1..3 plus a category outside it at the largest difference (4) from every point, two coders per unit.
    // Pairs (judge, reference): (1,1) (1,2) (2,2) (2,3) (3,3) (x,1) (x,3). Coincidences o_ck = counts[c][k] + counts[k][c],
    // o_cc = 2 counts[c][c]: n_c = (4, 4, 4, 2) for 1, 2, 3, x, n = 14; Σ o δ² = 2·1 + 2·1 + 2·4 + 2·4 = 20;
    // Σ n_c n_k δ² over ordered c ≠ k = 2 (16·1 + 16·4 + 16·1 + 8·4 + 8·4 + 8·4) = 384; alpha = 1 − 13 · 20 / 384 = 31/96.
    const counts = [[1, 1, 0, 0], [0, 1, 1, 0], [0, 0, 1, 0], [1, 0, 1, 0]];
    const d = [[0, 1, 4, 4], [1, 0, 1, 4], [4, 1, 0, 4], [4, 4, 4, 0]];
    expect(krippendorffAlphaFromTable(counts, [1, 2, 3, "x"], {differences: d})).toBeCloseTo(31 / 96, 12);
    expect(() => krippendorffAlphaFromTable([[1, 0], [0, 1]], ["a", "b"], {differences: [[0, 1], [2, 0]]})).toThrow(/symmetric/);
    expect(() => krippendorffAlphaFromTable([[1, 0], [0, 1]], ["a", "b"], {differences: [[0, 1, 1], [1, 0, 1], [1, 1, 0]]})).toThrow(/2 × 2/);
  });

  it("rejects a weight matrix of the wrong size, with a negative weight or a non-zero diagonal", () => {
    expect(() => cohenKappaFromTable([[1, 0], [0, 1]], [[0, 1, 1], [1, 0, 1], [1, 1, 0]])).toThrow(/2 × 2/);
    expect(() => cohenKappaFromTable([[1, 0], [0, 1]], [[0, -1], [1, 0]])).toThrow(/non-negative/);
    expect(() => cohenKappaFromTable([[1, 0], [0, 1]], [[1, 1], [1, 0]])).toThrow(/0 on the diagonal/);
  });

  it("rejects a table of the wrong shape and a cell outside it", () => {
    expect(() => cohenKappaFromTable([[1, 2], [3]])).toThrow(/square/);
    expect(() => krippendorffAlphaFromTable([[1, 2], [3, 4]], ["a", "b", "c"])).toThrow(/3 × 3/);
    expect(() => contingencyBootstrapCIs([["a"]], 2, () => [4], {p: percentAgreementFromTable})).toThrow(/outside the 2 × 2 table/);
  });
});
