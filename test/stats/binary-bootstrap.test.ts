import {describe, expect, it} from "vitest";
import fc from "fast-check";
import {
  allocatePassCounts, chunkCount, CHUNK_SIZE, matrixBootstrap, modelIntervalFromCounts, packMatrix, pairAt,
  pairIntervalsFromCounts, quantileSorted, resampledPassCounts, type PassFailMatrix,
} from "../../src/lib/stats/index.ts";
import {xoshiro128ss} from "../../src/lib/random.ts";
import {loadSwebenchMatrix} from "./swebench-matrix.ts";

function randomMatrix(nModels: number, nItems: number, seed: number): PassFailMatrix {
  const rng = xoshiro128ss(seed);
  const items = Array.from({length: nItems}, (_, i) => `i${i}`);
  const difficulty = items.map(() => rng.nextFloat());
  const models = Array.from({length: nModels}, (_, m) => `m${m}`);
  return {models, items, outcomes: models.map((_, m) => Uint8Array.from(difficulty, (d) => (rng.nextFloat() * 0.6 + m / nModels * 0.8 > d ? 1 : 0)))};
}

describe("matrix bootstrap of pass/fail data", () => {
  const matrix = randomMatrix(7, 60, 3);
  const B = 3 * CHUNK_SIZE + 17;

  it("gives identical results however chunks and pairs are split between threads", () => {
    const packed = packMatrix(matrix);
    const whole = allocatePassCounts(7, 60, B), split = allocatePassCounts(7, 60, B);
    resampledPassCounts(packed, whole, 0, chunkCount(B), B, 9);
    resampledPassCounts(packed, split, 0, 1, B, 9);
    resampledPassCounts(packed, split, 1, chunkCount(B), B, 9);
    expect(split).toEqual(whole);
    const one = new Float64Array(42), three = new Float64Array(42);
    const sepOne = pairIntervalsFromCounts(whole, 7, 60, B, 0, 21, one);
    const sepThree = pairIntervalsFromCounts(whole, 7, 60, B, 0, 5, three) + pairIntervalsFromCounts(whole, 7, 60, B, 5, 6, three) + pairIntervalsFromCounts(whole, 7, 60, B, 6, 21, three);
    expect(three).toEqual(one);
    expect(sepThree).toBe(sepOne);
  });

  it("resampled counts are unbiased: their mean is n times the pass rate, for any lane width", () => {
    for (const [nItems, B] of [[1, 2000], [60, 4000], [1500, 1000]]) {
      const m = randomMatrix(3, nItems, nItems);
      const counts = allocatePassCounts(3, nItems, B);
      resampledPassCounts(packMatrix(m), counts, 0, chunkCount(B), B, 8);
      m.outcomes.forEach((row, k) => {
        const passes = Array.from(row).reduce((t, v) => t + v, 0);
        const mean = Array.from(counts.subarray(k * B, (k + 1) * B)).reduce((t, v) => t + v, 0) / B;
        const sd = Math.sqrt((passes * (nItems - passes)) / nItems / B); // sd of the mean of B binomial counts
        expect(Math.abs(mean - passes)).toBeLessThanOrEqual(5 * sd + 1e-12);
        expect(counts.subarray(k * B, (k + 1) * B).every((v) => v >= 0 && v <= nItems)).toBe(true);
      });
    }
  });

  it("reads exactly the type-7 percentiles of the replicates off the histograms", () => {
    const packed = packMatrix(matrix);
    const counts = allocatePassCounts(7, 60, B);
    resampledPassCounts(packed, counts, 0, chunkCount(B), B, 2);
    for (const m of [0, 3, 6]) {
      const replicates = Float64Array.from(counts.subarray(m * B, (m + 1) * B), (c) => c / 60).sort();
      expect(modelIntervalFromCounts(counts, m, 60, B)).toEqual([quantileSorted(replicates, 0.025), quantileSorted(replicates, 0.975)]);
    }
    const out = new Float64Array(42);
    pairIntervalsFromCounts(counts, 7, 60, B, 0, 21, out);
    for (const p of [0, 10, 20]) {
      const [a, c] = pairAt(p, 7);
      const diffs = Float64Array.from({length: B}, (_, b) => (counts[a * B + b] - counts[c * B + b]) / 60).sort();
      expect(out[2 * p]).toBeCloseTo(quantileSorted(diffs, 0.025), 12);
      expect(out[2 * p + 1]).toBeCloseTo(quantileSorted(diffs, 0.975), 12);
    }
  });

  it("does not depend on the order of the item columns (items are resampled in id order)", () => {
    fc.assert(fc.property(fc.integer({min: 1, max: 1000}), (seed) => {
      const order = Array.from({length: 60}, (_, i) => i).sort((x, y) => ((x * 7919 + seed) % 61) - ((y * 7919 + seed) % 61));
      const shuffled: PassFailMatrix = {models: matrix.models, items: order.map((i) => matrix.items[i]), outcomes: matrix.outcomes.map((row) => order.map((i) => row[i]))};
      expect(matrixBootstrap(shuffled, {nResamples: 300, seed: 1})).toEqual(matrixBootstrap(matrix, {nResamples: 300, seed: 1}));
    }), {numRuns: 5});
  });

  it("a higher confidence level never gives narrower pair intervals (same seed)", () => {
    const narrow = matrixBootstrap(matrix, {nResamples: 500, seed: 4, confidenceLevel: 0.9});
    const wide = matrixBootstrap(matrix, {nResamples: 500, seed: 4, confidenceLevel: 0.95});
    wide.pairIntervals.forEach((ci, p) => {
      expect(ci[0]).toBeLessThanOrEqual(narrow.pairIntervals[p][0]);
      expect(ci[1]).toBeGreaterThanOrEqual(narrow.pairIntervals[p][1]);
    });
  });

  it("refuses non-binary outcomes and duplicate item ids", () => {
    expect(() => packMatrix({models: ["a"], items: ["x", "y"], outcomes: [[1, 2]]})).toThrow(/item y: outcome 2/);
    expect(() => packMatrix({models: ["a"], items: ["x", "x"], outcomes: [[1, 0]]})).toThrow(/unique/);
  });

  it("bundled SWE-bench Verified (18 runs x 500 instances, all 153 pairs) takes well under 1 s of CPU on one thread", () => {
    const swe = loadSwebenchMatrix();
    expect(swe.models.length).toBe(18);
    expect(swe.items.length).toBe(500);
    const before = process.cpuUsage();
    const result = matrixBootstrap(swe, {nResamples: 10_000, seed: 1});
    const used = process.cpuUsage(before);
    expect((used.user + used.system) / 1e6).toBeLessThan(1);
    expect(result.pairs.length).toBe(153);
    expect(result.nSeparable).toBeGreaterThan(0);
    expect(result.nSeparable).toBeLessThan(153);
  });
});
