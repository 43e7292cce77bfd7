import {describe, expect, it} from "vitest";
import fc from "fast-check";
import {permute} from "./permute.ts";
import {bootstrapMeanCI, bootstrapPairedDifferenceCI, clusterBootstrapCI, clusterBootstrapPairedDifferenceCI} from "../../src/lib/stats/index.ts";

const scores = fc.array(fc.integer({min: 0, max: 4}).map((v) => v / 4), {minLength: 2, maxLength: 40});


describe("bootstrap properties", () => {
  it("a higher confidence level never gives a narrower percentile interval (same seed)", () => {
    fc.assert(fc.property(scores, fc.double({min: 0.5, max: 0.97, noNaN: true}), fc.double({min: 0.001, max: 0.02, noNaN: true}), (x, level, step) => {
      const narrow = bootstrapMeanCI(x, {seed: 11, nResamples: 500, confidenceLevel: level});
      const wide = bootstrapMeanCI(x, {seed: 11, nResamples: 500, confidenceLevel: level + step});
      return wide.percentile[0] <= narrow.percentile[0] && wide.percentile[1] >= narrow.percentile[1];
    }), {numRuns: 60});
  });

  it("shuffled items give identical intervals, paired and clustered included", () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({min: 0, max: 1}), fc.integer({min: 0, max: 1}), fc.constantFrom("f1", "f2", "f3", "f4")), {minLength: 4, maxLength: 40}), fc.integer(), (rows, seed) => {
      fc.pre(new Set(rows.map((r) => r[2])).size >= 2);
      const mixed = permute(rows, seed);
      const run = (rs: typeof rows) => [
        bootstrapMeanCI(rs.map((r) => r[0]), {seed: 4, nResamples: 300}),
        bootstrapPairedDifferenceCI(rs.map((r) => r[0]), rs.map((r) => r[1]), {seed: 4, nResamples: 300}),
        clusterBootstrapCI(rs.map((r) => r[0]), rs.map((r) => r[2]), {seed: 4, nResamples: 300}),
        clusterBootstrapPairedDifferenceCI(rs.map((r) => r[0]), rs.map((r) => r[1]), rs.map((r) => r[2]), {seed: 4, nResamples: 300}),
      ];
      expect(run(mixed)).toEqual(run(rows));
    }), {numRuns: 40});
  });

  it("the paired cluster bootstrap with one item per cluster is the paired item bootstrap", () => {
    // Clusters numbered in the order of the sorted differences, the order bootstrapMeanCI resamples in: the same
    // seed then draws the same items, so the intervals agree exactly.
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({min: 0, max: 4}), fc.integer({min: 0, max: 4})), {minLength: 2, maxLength: 30}), (pairs) => {
      const a = pairs.map((p) => p[0] / 4), b = pairs.map((p) => p[1] / 4);
      const order = a.map((_, i) => i).sort((i, j) => a[i] - b[i] - (a[j] - b[j]));
      const clusters = new Array<number>(a.length);
      order.forEach((item, rank) => (clusters[item] = rank));
      const clustered = clusterBootstrapPairedDifferenceCI(a, b, clusters, {seed: 9, nResamples: 200});
      const paired = bootstrapPairedDifferenceCI(a, b, {seed: 9, nResamples: 200});
      expect([clustered.point, clustered.percentile, clustered.bca]).toEqual([paired.point, paired.percentile, paired.bca]);
    }), {numRuns: 40});
    expect(() => clusterBootstrapPairedDifferenceCI([1, 0], [1], ["x", "y"])).toThrow(/paired cluster bootstrap/);
  });

  it("Efron's strict z0 counts ties as above the estimate, so on 14/20 passes its BCa starts lower", () => {
    // golden bootstrap.json mean_binary_n20_k14: ideal bca [0.45, 0.85], bca_efron_strict_z0 [0.40, 0.85]
    const ci = bootstrapMeanCI([...Array(14).fill(1), ...Array(6).fill(0)], {seed: 3});
    expect(ci.bcaEfronStrict[0]).toBeLessThan(ci.bca[0]);
    expect(ci.bcaEfronStrict[0]).toBeCloseTo(0.4, 9);
  });

  it("degenerate data: percentile [c, c] flagged, BCa NaN with a warning; n = 1 refused", () => {
    const ci = bootstrapMeanCI([1, 1, 1, 1], {nResamples: 200});
    expect(ci.percentile).toEqual([1, 1]);
    expect(ci.degenerate).toBe(true);
    expect(ci.bca.every(Number.isNaN)).toBe(true);
    expect(ci.warnings.join(" ")).toMatch(/BCa undefined/);
    expect(() => bootstrapMeanCI([0.5])).toThrow(/at least 2 items/);
  });

  it("the interval covers the point estimate and depends on the seed only through Monte-Carlo error", () => {
    const x = Array.from({length: 200}, (_, i) => (i % 7 < 4 ? 1 : 0));
    const a = bootstrapMeanCI(x, {seed: 1}), b = bootstrapMeanCI(x, {seed: 2});
    expect(a.percentile[0]).toBeLessThan(a.point);
    expect(a.percentile[1]).toBeGreaterThan(a.point);
    expect(Math.abs(a.percentile[0] - b.percentile[0])).toBeLessThanOrEqual(0.011);
  });
});
