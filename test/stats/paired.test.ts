import {describe, expect, it} from "vitest";
import fc from "fast-check";
import {
  benjaminiHochbergAdjust, clusteredStandardError, holmAdjust, itemsNeeded, itemsNeededPassFail, mcnemarExactP,
  pairedCounts, pairedTTest, proportionInterval, type ProportionMethod,
} from "../../src/lib/stats/index.ts";

describe("multiple-testing corrections", () => {
  const p = [0.01, 0.04, 0.03, 0.005, 0.2, 0.04];
  it("Holm matches the step-down values of R p.adjust(method='holm')", () => {
    const adjusted = holmAdjust(p);
    [0.05, 0.12, 0.12, 0.03, 0.2, 0.12].forEach((v, i) => expect(adjusted[i]).toBeCloseTo(v, 14));
  });
  it("Benjamini-Hochberg matches scipy.stats.false_discovery_control", () => {
    const adjusted = benjaminiHochbergAdjust(p);
    [0.03, 0.048, 0.048, 0.03, 0.2, 0.048].forEach((v, i) => expect(adjusted[i]).toBeCloseTo(v, 14));
  });
  it("adjusted p-values are never below the raw ones, and BH never above Holm", () => {
    fc.assert(fc.property(fc.array(fc.double({min: 0, max: 1, noNaN: true}), {minLength: 1, maxLength: 30}), (ps) => {
      const holm = holmAdjust(ps), bh = benjaminiHochbergAdjust(ps);
      return ps.every((x, i) => holm[i] >= x && bh[i] >= x && bh[i] <= holm[i] + 1e-15);
    }));
  });
  it("rejects NaN p-values", () => expect(() => holmAdjust([0.1, NaN])).toThrow(/p-value 1/));
});

describe("items needed (paired power)", () => {
  it("n = ceil(((z_.975 + z_.8) sd / delta)^2)", () => {
    expect(itemsNeeded(0.05, 0.5)).toBe(785); // scipy: (2.8015852 * 0.5 / 0.05)^2 = 784.89
    expect(itemsNeededPassFail(0.05, 0.3)).toBe(935); // sd = sqrt(0.3 - 0.05^2): 934.02
  });
  it("more power or a smaller difference never needs fewer items", () => {
    fc.assert(fc.property(fc.double({min: 0.01, max: 0.3, noNaN: true}), fc.double({min: 0.05, max: 1, noNaN: true}), (delta, sd) =>
      itemsNeeded(delta, sd, {power: 0.9}) >= itemsNeeded(delta, sd) && itemsNeeded(delta / 2, sd) >= itemsNeeded(delta, sd)));
  });
  it("refuses a discordance rate below the difference", () => expect(() => itemsNeededPassFail(0.2, 0.1)).toThrow(/discordance/));
});

describe("paired comparisons: row order and symmetry", () => {
  const pairs = fc.array(fc.tuple(fc.integer({min: 0, max: 1}), fc.integer({min: 0, max: 1}), fc.constantFrom("t1", "t2", "t3", "t4")), {minLength: 3, maxLength: 60});
  it("every paired statistic is unchanged when items are shuffled", () => {
    fc.assert(fc.property(pairs, (rows) => {
      const rev = [...rows].reverse();
      const col = (rs: typeof rows, j: 0 | 1) => rs.map((r) => r[j]);
      const same = (x: number, y: number) => Object.is(x, y);
      const c1 = pairedCounts(col(rows, 0), col(rows, 1)), c2 = pairedCounts(col(rev, 0), col(rev, 1));
      const t1 = pairedTTest(col(rows, 0), col(rows, 1)), t2 = pairedTTest(col(rev, 0), col(rev, 1));
      const s1 = clusteredStandardError(col(rows, 0), rows.map((r) => r[2])), s2 = clusteredStandardError(col(rev, 0), rev.map((r) => r[2]));
      return JSON.stringify(c1) === JSON.stringify(c2) && same(t1.t, t2.t) && same(t1.ci[0], t2.ci[0]) && same(s1.seCR1, s2.seCR1) && same(s1.seMiller, s2.seMiller);
    }));
  });
  it("McNemar's exact p is symmetric in the two models and 1 with no discordant items", () => {
    fc.assert(fc.property(fc.nat(80), fc.nat(80), (b, c) => mcnemarExactP(b, c) === mcnemarExactP(c, b) && mcnemarExactP(b, c) <= 1));
    expect(mcnemarExactP(0, 0)).toBe(1);
  });
  it("refuses non-binary outcomes, naming the item", () => expect(() => pairedCounts([1, 0.5], [1, 0])).toThrow(/a\[1\]/));
});

describe("proportion intervals", () => {
  const methods: ProportionMethod[] = ["wilson", "wilson_cc", "clopper_pearson", "jeffreys", "agresti_coull", "wald"];
  const counts = fc.integer({min: 1, max: 300}).chain((n) => fc.record({n: fc.constant(n), x: fc.integer({min: 0, max: n})}));
  it("a higher confidence level never gives a narrower interval, and the interval stays inside [0, 1]", () => {
    fc.assert(fc.property(counts, fc.double({min: 0.5, max: 0.98, noNaN: true}), fc.constantFrom(...methods), ({n, x}, level, method) => {
      const narrow = proportionInterval(x, n, {method, confidenceLevel: level});
      const wide = proportionInterval(x, n, {method, confidenceLevel: level + 0.01});
      return wide[0] <= narrow[0] + 1e-12 && wide[1] >= narrow[1] - 1e-12 && wide[0] >= 0 && wide[1] <= 1;
    }));
  });
  it("keeps Wilson's limits inside [0, 1] at x = n and x = 0 (rounding once gave 1 + 2^-52 at 189/189, level 0.7996)", () => {
    expect(proportionInterval(189, 189, {method: "wilson", confidenceLevel: 0.7996057707945564})[1]).toBe(1);
    expect(proportionInterval(0, 189, {method: "wilson", confidenceLevel: 0.7996057707945564})[0]).toBe(0);
  });
  it("refuses n = 0", () => expect(() => proportionInterval(0, 0)).toThrow(/n must be a positive integer/));
});
