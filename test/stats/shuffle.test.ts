import {describe, expect, it} from "vitest";
import fc from "fast-check";
import {permute} from "./permute.ts";
import * as stats from "../../src/lib/stats/index.ts";


const seed = fc.integer();
const label = fc.constantFrom<stats.Label>(1, 2, 3, 4, null);
const units = fc.array(fc.array(label, {minLength: 3, maxLength: 3}), {minLength: 4, maxLength: 30});
const graded = fc.array(fc.integer({min: 0, max: 8}).map((v) => v / 8 + 0.1), {minLength: 3, maxLength: 40});

describe("every statistic gives the same result, bit for bit, when input rows are shuffled", () => {
  it("multi-rater agreement (units shuffled)", () => {
    fc.assert(fc.property(units, seed, (u, s) => {
      const v = permute(u, s);
      const all = (x: stats.Label[][]) => [
        stats.percentAgreementRaters(x), stats.fleissKappa(x), stats.gwetAC1Raters(x, {categories: [1, 2, 3, 4]}),
        ...(["nominal", "ordinal", "interval", "ratio"] as const).map((level) => stats.krippendorffAlpha(x, {level})),
      ];
      expect(all(v)).toEqual(all(u));
    }), {numRuns: 60});
  });

  it("pass@k and pass^k means (tasks shuffled)", () => {
    const tasks = fc.array(fc.integer({min: 3, max: 30}).chain((n) => fc.record({n: fc.constant(n), c: fc.integer({min: 0, max: n})})), {minLength: 1, maxLength: 30});
    fc.assert(fc.property(tasks, seed, (t, s) => {
      const v = permute(t, s);
      return stats.meanPassAtK(v, 3) === stats.meanPassAtK(t, 3) && stats.meanPassHatK(v, 3) === stats.meanPassHatK(t, 3);
    }));
  });

  it("paired t, analytic intervals and clustered SE (items shuffled)", () => {
    fc.assert(fc.property(fc.array(fc.tuple(graded.map((g) => g[0]), fc.double({min: 0, max: 1, noNaN: true}), fc.constantFrom("a", "b", "c")), {minLength: 3, maxLength: 40}), seed, (rows, s) => {
      const v = permute(rows, s);
      const all = (r: typeof rows) => [
        stats.pairedTTest(r.map((x) => x[0]), r.map((x) => x[1])),
        stats.analyticMeanIntervals(r.map((x) => x[1])),
        stats.clusteredStandardError(r.map((x) => x[1]), r.map((x) => x[2])),
      ];
      expect(all(v)).toEqual(all(rows));
    }), {numRuns: 60});
  });

  it("rank correlations, signal and noise (models shuffled)", () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.double({min: 0, max: 1, noNaN: true}), fc.double({min: 0, max: 1, noNaN: true})), {minLength: 3, maxLength: 30}), seed, (rows, s) => {
      const v = permute(rows, s);
      const all = (r: typeof rows) => [
        stats.spearman(r.map((x) => x[0]), r.map((x) => x[1])), stats.kendall(r.map((x) => x[0]), r.map((x) => x[1])),
        stats.relativeDispersion(r.map((x) => x[0] + 0.1)), stats.relativeStd(r.map((x) => x[1] + 0.1)),
        stats.samplingNoise(r.map((x) => [x[0], x[1], 1 - x[0]])),
      ];
      expect(all(v)).toEqual(all(rows));
    }), {numRuns: 60});
  });

  it("2PL fit (respondents shuffled)", () => {
    const rows = Array.from({length: 60}, (_, r) => [r % 2, (r * 7) % 3 === 0 ? 1 : 0, r % 5 < 3 ? 1 : 0, r < 30 ? 1 : 0]);
    const fit = (x: number[][]) => stats.fit2PL(stats.responsePatterns(x));
    expect(fit(permute(rows, 17))).toEqual(fit(rows));
  });
});
