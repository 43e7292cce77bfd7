import {describe, expect, it} from "vitest";
import fc from "fast-check";
import {
  discriminativePower, discriminativePowerFromScores, fit2PL, itemStatistics, responsePatterns, samplingNoise, saturationIndex, separablePairs, spearman,
} from "../../src/lib/stats/index.ts";
import {loadSwebenchMatrix} from "./swebench-matrix.ts";

/** A model that passes exactly the first k of n items (a Guttman pattern): pass rate k/n. */
const firstK = (k: number, n: number) => Array.from({length: n}, (_, i) => (i < k ? 1 : 0));

describe("discriminative power", () => {
  const n = 200;
  it("is 0 when every model ties", () => {
    const tie = {a: firstK(120, n), b: firstK(120, n), c: firstK(120, n)};
    expect(discriminativePower(tie).score).toBe(0);
  });
  it("is 0 when every model sits at the ceiling", () => {
    expect(discriminativePower({a: firstK(n, n), b: firstK(n, n)}).score).toBe(0);
  });
  it("rises when a clearly separable model is added, below, between or above the others", () => {
    const base = {a: firstK(60, n), b: firstK(140, n)};
    const before = discriminativePower(base).score;
    expect(before).toBeGreaterThan(0);
    for (const k of [10, 100, 175]) {
      expect(discriminativePower({...base, added: firstK(k, n)}).score).toBeGreaterThan(before);
    }
  });
  it("falls as the leader nears 100%", () => {
    const scores = [170, 180, 186, 190, 194, 198, 200].map((k) => discriminativePower({low: firstK(40, n), mid: firstK(100, n), leader: firstK(k, n)}).score);
    for (let i = 1; i < scores.length; i++) expect(scores[i]).toBeLessThan(scores[i - 1]);
    expect(scores.at(-1)).toBe(0);
  });
  it("does not depend on the order of models or items", () => {
    fc.assert(fc.property(fc.array(fc.integer({min: 0, max: 60}), {minLength: 2, maxLength: 6}), fc.integer({min: 0, max: 59}), (ks, rot) => {
      const models = Object.fromEntries(ks.map((k, m) => [`m${m}`, firstK(k, 60)]));
      const rotated = Object.fromEntries(Object.entries(models).reverse().map(([name, row]) => [name, [...row.slice(rot), ...row.slice(0, rot)]]));
      const a = discriminativePower(models), b = discriminativePower(rotated);
      return a.score === b.score && a.tiers === b.tiers;
    }));
  });
  it("from aggregate scores: the same properties, and never more tiers than the paired test on SWE-bench", () => {
    expect(discriminativePowerFromScores({a: 0.6, b: 0.6}, 200).score).toBe(0);
    expect(discriminativePowerFromScores({a: 1, b: 1}, 200).score).toBe(0);
    const base = {a: 0.3, b: 0.7};
    const before = discriminativePowerFromScores(base, 200).score;
    for (const s of [0.05, 0.5, 0.87]) expect(discriminativePowerFromScores({...base, added: s}, 200).score).toBeGreaterThan(before);
    const leaders = [0.9, 0.93, 0.96, 0.99, 1].map((l) => discriminativePowerFromScores({low: 0.2, mid: 0.5, leader: l}, 200).score);
    for (let i = 1; i < leaders.length; i++) expect(leaders[i]).toBeLessThan(leaders[i - 1]);
    const swe = loadSwebenchMatrix();
    const scores = Object.fromEntries(swe.models.map((m, i) => [m, Array.from(swe.outcomes[i]).reduce((t, v) => t + v, 0) / 500]));
    const paired = discriminativePower(Object.fromEntries(swe.models.map((m, i) => [m, swe.outcomes[i]])));
    expect(discriminativePowerFromScores(scores, 500).tiers).toBeLessThanOrEqual(paired.tiers);
  });

  it("on the bundled SWE-bench Verified matrix (18 runs x 500 instances)", () => {
    const swe = loadSwebenchMatrix();
    const d = discriminativePower(Object.fromEntries(swe.models.map((m, i) => [m, swe.outcomes[i]])));
    // Reference values computed independently in Python from the same snapshot (scipy 1.17.1 binomtest for the exact
    // McNemar p, Holm by hand, longest separable chain by the same recurrence): leader 372/500 = 0.744, 113 of 153
    // pairs Holm-separable, 6 separable tiers; the leader has full headroom, so D = 6.
    expect(d.leaderScore).toBe(0.744);
    expect(d.headroom).toBe(1);
    expect(d.fractionSeparable).toBeCloseTo(113 / 153, 14);
    expect(d.tiers).toBe(6);
    expect(d.chain.length).toBe(7);
    expect(d.score).toBe(6);
  });
});

describe("item statistics and IRT on the SWE-bench matrix", () => {
  const swe = loadSwebenchMatrix();
  it("counts items solved by no run and by every run", () => {
    const s = itemStatistics(swe);
    const none = swe.items.filter((_, i) => swe.outcomes.every((row) => row[i] === 0)).length;
    expect(s.nSolvedByNone).toBe(none);
    expect(s.nSolvedByNone).toBe(73); // independent count in Python over the snapshot's records
    expect(s.nSolvedByAll).toBe(1);
    expect(s.fractionInformative).toBeCloseTo(1 - (s.nSolvedByNone + s.nSolvedByAll) / 500, 12);
    const informative = s.items.filter((it) => !it.solvedByNone && !it.solvedByAll);
    expect(informative.every((it) => Number.isFinite(it.pointBiserial))).toBe(true);
    expect(s.items.filter((it) => it.solvedByNone).every((it) => Number.isNaN(it.pointBiserial))).toBe(true);
    // harder items are passed by stronger runs: mean discrimination is positive
    expect(informative.reduce((t, it) => t + it.pointBiserial, 0) / informative.length).toBeGreaterThan(0.2);
  });
  it("2PL refuses items without variation and fits the rest, flagging items it cannot identify", () => {
    expect(() => fit2PL(responsePatterns(swe.outcomes))).toThrow(/every respondent/);
    const s = itemStatistics(swe);
    const keep = s.items.flatMap((it, i) => (!it.solvedByNone && !it.solvedByAll ? [i] : [])).slice(0, 40);
    const fit = fit2PL(responsePatterns(swe.outcomes.map((row) => keep.map((i) => row[i]))), {maxIterations: 2000});
    expect(fit.converged).toBe(true);
    expect(fit.discrimination.every(Number.isFinite)).toBe(true);
    // 18 runs are few respondents: some items separate them almost perfectly and must be flagged, not trusted
    expect(fit.warnings.length).toBeGreaterThan(0);
    // IRT discrimination and the classical point-biserial agree on which items discriminate
    expect(spearman(fit.discrimination, keep.map((i) => s.items[i].pointBiserial))).toBeGreaterThan(0.3);
  });
});

describe("sampling noise and saturation", () => {
  it("sampling noise is the RMS binomial SE over the mean score", () => {
    // two models at 0.5 and 0.8 on 100 items: SE² = 0.25/100 and 0.16/100
    expect(samplingNoise([firstK(50, 100), firstK(80, 100)])).toBeCloseTo(Math.sqrt((0.0025 + 0.0016) / 2) / 0.65, 12);
  });
  it("saturation index follows Akhtar et al. 2026 (n_eff = sqrt(n))", () => {
    const s = saturationIndex([0.9, 0.89, 0.88, 0.87, 0.86, 0.5], 400);
    const se = Math.sqrt((0.9 * 0.1) / 20 + (0.86 * 0.14) / 20);
    expect(s.seDelta).toBeCloseTo(se, 14);
    expect(s.index).toBeCloseTo(Math.exp(-((0.04 / se) ** 2)), 14);
    expect(s.index).toBeCloseTo(0.8589, 4); // exp(−(0.04/0.10257)²), by hand
    expect(s.category).toBe("high");
    expect(saturationIndex([0.9, 0.7, 0.5, 0.3, 0.1], 10_000).category).toBe("very_low");
    expect(() => saturationIndex([0.9, 0.8], 100)).toThrow(/at least 5/);
  });
  it("separable pairs are identical for shuffled items", () => {
    const a = firstK(30, 50), b = firstK(10, 50);
    const rev = (x: number[]) => [...x].reverse();
    expect(separablePairs({a: rev(a), b: rev(b)})).toEqual(separablePairs({a, b}));
  });
});
