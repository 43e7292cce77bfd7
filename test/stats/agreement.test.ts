import {describe, expect, it} from "vitest";
import fc from "fast-check";
import {
  agreementBootstrapCI, cohenKappa, fleissKappa, gwetAC1, gwetAC1Raters, kendall, krippendorffAlpha, percentAgreement,
  ratersToUnits, scottPi, spearman, type Label,
} from "../../src/lib/stats/index.ts";

const categories = ["A", "B", "C"];
const label = fc.constantFrom<Label>("A", "B", "C");
const twoRaters = fc.array(fc.tuple(label, label), {minLength: 3, maxLength: 40});

function shuffled<T>(xs: readonly T[], seed: number): T[] {
  const out = [...xs];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe("agreement properties", () => {
  it("identical raters: kappa = pi = alpha = AC1 = 1 whenever more than one category occurs", () => {
    fc.assert(fc.property(fc.array(label, {minLength: 2, maxLength: 40}), (a) => {
      fc.pre(new Set(a).size > 1);
      const units = ratersToUnits(a, a);
      return [cohenKappa(a, a, {categories}), cohenKappa(a, a, {categories, weights: "quadratic"}), scottPi(a, a), gwetAC1(a, a, {categories}), krippendorffAlpha(units), fleissKappa(units)]
        .every((v) => Math.abs(v - 1) < 1e-12) && percentAgreement(a, a) === 1;
    }));
  });

  it("both raters constant and identical: kappa, pi and alpha are NaN (0/0), AC1 is 1", () => {
    const a = ["yes", "yes", "yes"];
    expect(cohenKappa(a, a, {categories: ["yes", "no"]})).toBeNaN();
    expect(scottPi(a, a, {categories: ["yes", "no"]})).toBeNaN();
    expect(krippendorffAlpha(ratersToUnits(a, a))).toBeNaN();
    expect(gwetAC1(a, a, {categories: ["yes", "no"]})).toBe(1);
  });

  it("shuffling items leaves every coefficient unchanged", () => {
    fc.assert(fc.property(twoRaters, fc.integer(), (pairs, seed) => {
      const mixed = shuffled(pairs, seed);
      const a1 = pairs.map((p) => p[0]), b1 = pairs.map((p) => p[1]);
      const a2 = mixed.map((p) => p[0]), b2 = mixed.map((p) => p[1]);
      const same = (x: number, y: number) => Object.is(x, y);
      return same(cohenKappa(a1, b1, {categories, weights: "linear"}), cohenKappa(a2, b2, {categories, weights: "linear"}))
        && same(scottPi(a1, b1), scottPi(a2, b2))
        && same(gwetAC1Raters(ratersToUnits(a1, b1), {categories}), gwetAC1Raters(ratersToUnits(a2, b2), {categories}))
        && same(krippendorffAlpha(ratersToUnits(a1, b1)), krippendorffAlpha(ratersToUnits(a2, b2)));
    }), {numRuns: 50});
  });

  it("the bootstrap CI of an agreement statistic is identical for shuffled items (same seed)", () => {
    const a = ["A", "A", "B", "B", "C", "A", "B", "C", "C", "A", "B", "A", "A", "C", "B", "B", "C", "A", "A", "B"];
    const b = ["A", "B", "B", "B", "C", "A", "C", "C", "C", "A", "B", "A", "A", "C", "B", "A", "C", "A", "A", "B"];
    const units = ratersToUnits(a, b);
    const kappa = (u: Label[][]) => cohenKappa(u.map((r) => r[0]), u.map((r) => r[1]), {categories});
    const one = agreementBootstrapCI(units, kappa, {seed: 3, nResamples: 2000});
    const two = agreementBootstrapCI(shuffled(units, 99), kappa, {seed: 3, nResamples: 2000});
    expect(two).toEqual(one);
    expect(one.point).toBeCloseTo(0.7727272727272727, 12); // sklearn cohen_kappa_score on these data (agreement.json)
    expect(one.interval[0]).toBeLessThan(one.point);
    expect(one.interval[1]).toBeGreaterThan(one.point);
    expect(one.interval[1]).toBeLessThanOrEqual(1);
  });

  it("a higher confidence level never gives a narrower agreement interval (same seed)", () => {
    const units = ratersToUnits(["A", "B", "A", "C", "B", "A", "C", "C"], ["A", "B", "B", "C", "B", "A", "A", "C"]);
    fc.assert(fc.property(fc.double({min: 0.5, max: 0.98, noNaN: true}), fc.double({min: 0.001, max: 0.019, noNaN: true}), (level, step) => {
      const lo = agreementBootstrapCI(units, (u) => krippendorffAlpha(u), {seed: 5, nResamples: 300, confidenceLevel: level});
      const hi = agreementBootstrapCI(units, (u) => krippendorffAlpha(u), {seed: 5, nResamples: 300, confidenceLevel: level + step});
      return hi.interval[0] <= lo.interval[0] && hi.interval[1] >= lo.interval[1];
    }), {numRuns: 20});
  });
});

describe("rank correlation", () => {
  it("is invariant to the order of models and NaN for a constant leaderboard", () => {
    const x = [0.9, 0.8, 0.8, 0.7, 0.6], y = [0.85, 0.7, 0.72, 0.5, 0.6];
    const order = [3, 0, 4, 1, 2];
    expect(spearman(order.map((i) => x[i]), order.map((i) => y[i]))).toBeCloseTo(spearman(x, y), 14);
    expect(kendall(order.map((i) => x[i]), order.map((i) => y[i]))).toEqual(kendall(x, y));
    expect(spearman([1, 1, 1], [1, 2, 3])).toBeNaN();
  });
  it("rejects missing scores with the position", () => {
    expect(() => spearman([1, NaN], [1, 2])).toThrow(/x\[1\]/);
  });
});
