/**
 * The page-side core of pages 1-4: the anchor/rotation mechanism (src/lib/anchor-rotation.ts; discriminative power
 * is a statistic, tested in test/stats). The trend is checked against R's reference fit of the `cars` data
 * (Ezekiel 1930; R datasets::cars): `confint(lm(dist ~ speed, cars))` gives slope 3.932409 [3.096964, 4.767853].
 */
import {describe, expect, it} from "vitest";
import {anchorRotationFlag, itemLayer, layerPoints, trend, trendAt, type Trend} from "../../src/lib/anchor-rotation.ts";
import {wilsonInterval} from "../../src/lib/stats/index.ts";

const SPEED = [4, 4, 7, 7, 8, 9, 10, 10, 10, 11, 11, 12, 12, 12, 12, 13, 13, 13, 13, 14, 14, 14, 14, 15, 15, 15, 16, 16, 17, 17, 17, 18, 18, 18, 18, 19, 19, 19, 20, 20, 20, 20, 20, 22, 23, 24, 24, 24, 24, 25];
const DIST = [2, 10, 4, 22, 16, 10, 18, 26, 34, 17, 28, 14, 20, 24, 28, 26, 34, 34, 46, 26, 36, 60, 80, 20, 26, 54, 32, 40, 32, 40, 50, 42, 56, 76, 84, 36, 46, 68, 32, 48, 52, 56, 64, 66, 54, 70, 92, 93, 120, 85];
const YEAR_MS = 365.25 * 86_400_000;
const at = (years: number) => new Date(Date.UTC(2020, 0, 1) + years * YEAR_MS);

describe("trend", () => {
  it("reproduces R's lm slope and 95% confidence interval on the cars data (time in years)", () => {
    const t = trend(SPEED.map((s, i) => ({date: at(s), estimate: DIST[i]})))!;
    expect(t.n).toBe(50);
    expect(t.slopePerYear).toBeCloseTo(3.932409, 5);
    expect(t.lo).toBeCloseTo(3.096964, 5);
    expect(t.hi).toBeCloseTo(4.767853, 5);
    // R: intercept −17.579095 at speed 0; the fit passes through the centroid.
    expect(trendAt(t, at(0))).toBeCloseTo(-17.579095, 4);
    expect(t.meanEstimate).toBeCloseTo(42.98, 10);
    expect(trendAt(t, new Date(t.meanTime))).toBeCloseTo(t.meanEstimate, 8);
  });

  it("is null with fewer than three points or a single date", () => {
    expect(trend([{date: at(1), estimate: 1}, {date: at(2), estimate: 2}])).toBeNull();
    expect(trend([1, 2, 3].map((e) => ({date: at(1), estimate: e})))).toBeNull();
  });
});

describe("anchor/rotation flag", () => {
  const t = (lo: number, hi: number): Trend => ({n: 10, slopePerYear: (lo + hi) / 2, lo, hi, intercept: 0, origin: 0, meanTime: 0, meanEstimate: 0, confidenceLevel: 0.95});
  it("fires only when the anchor rises surely and the rotation interval contains 0", () => {
    expect(anchorRotationFlag(t(1, 3), t(-1, 1))).toBe("anchor rises while rotation stays flat");
    expect(anchorRotationFlag(t(-1, 3), t(-1, 1))).toBe("no such sign");
    expect(anchorRotationFlag(t(1, 3), t(0.5, 1))).toBe("no such sign");
    expect(anchorRotationFlag(t(1, 3), null)).toBe("not enough data");
  });
});

describe("layers by item date", () => {
  it("splits items at the cutoff and scores each model per layer with a Wilson interval", () => {
    expect(itemLayer("2024-01-01", "2024-06-01")).toBe("anchor");
    expect(itemLayer("2024-06-01", "2024-06-01")).toBe("rotation");
    expect(itemLayer(null, "2024-06-01")).toBeNull();
    const records = [
      {model: "a", item_added: "2024-01-01", passed: 1},
      {model: "a", item_added: "2024-02-01", passed: 0},
      {model: "a", item_added: "2024-07-01", passed: 1},
      {model: "b", item_added: "2024-01-01", passed: 1},
      {model: "b", item_added: null, passed: 1},
      {model: "c", item_added: "2024-01-01", passed: 1}
    ];
    const {points, skipped} = layerPoints(records, {cutoff: "2024-06-01", dates: new Map([["a", "2024-03-01"], ["b", "2024-09-01"]])});
    expect(skipped).toEqual({undatedItems: 1, undatedModels: ["c"]});
    const a = points.find((p) => p.model === "a" && p.layer === "anchor")!;
    expect([a.n, a.passed, a.estimate]).toEqual([2, 1, 0.5]);
    expect([a.lo, a.hi]).toEqual(wilsonInterval(1, 2));
    expect(points.map((p) => `${p.model}:${p.layer}`).sort()).toEqual(["a:anchor", "a:rotation", "b:anchor"]);
  });
});
