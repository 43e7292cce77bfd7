/**
 * Anchor vs rotation: does a benchmark's stable, long-public layer ("anchor") improve over time while a fresher
 * layer added later ("rotation") does not? Rising anchor scores with flat rotation scores are the signature of
 * overfitting to, or contamination by, the public items (the reasoning behind LiveBench's and LiveCodeBench's
 * rotating items: White et al. 2024, arXiv:2406.19314; Jain et al. 2024, arXiv:2403.07974).
 *
 * The mechanism is generic:
 * - items are split into layers by the date they were added (`itemLayer`: added before the cutoff = anchor);
 * - each model contributes one point per layer at a date on the time axis (its release date, or the submission
 *   date where that is all the data has), with its pass rate on that layer and a Wilson interval (`layerPoints`);
 * - each layer's trend is the ordinary least-squares slope of score on time (per year), with a t interval on
 *   n − 2 degrees of freedom (`trend`);
 * - the flag (`anchorRotationFlag`) is raised when the anchor slope's interval lies above 0 while the rotation
 *   slope's interval contains 0.
 * Points whose date is implausible (e.g. before the layer existed) should be dropped by the caller and shown.
 */
import {studentTQuantile, wilsonInterval} from "./stats/index.ts";

export type Layer = "anchor" | "rotation";

const DAY_MS = 86_400_000;
const YEAR_DAYS = 365.25;

function time(d: Date | string): number {
  const t = d instanceof Date ? d.getTime() : Date.parse(String(d));
  if (!Number.isFinite(t)) throw new RangeError(`anchor-rotation: ${String(d)} is not a date`);
  return t;
}

/** The layer of an item: anchor when added before `cutoff`, rotation on or after it; null when the date is unknown. */
export function itemLayer(itemAdded: Date | string | null | undefined, cutoff: Date | string): Layer | null {
  if (itemAdded === null || itemAdded === undefined) return null;
  return time(itemAdded) < time(cutoff) ? "anchor" : "rotation";
}

export interface LayerRecord {
  model: string;
  item_added: Date | string | null;
  passed: number;
}

export interface LayerPoint {
  layer: Layer;
  model: string;
  date: Date;
  n: number;
  passed: number;
  /** Pass rate in [0, 1]. */
  estimate: number;
  lo: number;
  hi: number;
}

/**
 * Per model and layer: pass rate over that layer's items with a Wilson interval, placed at the model's date
 * (`dates`, e.g. release dates). Records with an unknown item date, and models without a date, are skipped and
 * counted in `skipped`.
 */
export function layerPoints(
  records: readonly LayerRecord[],
  {cutoff, dates, confidenceLevel = 0.95}: {cutoff: Date | string; dates: ReadonlyMap<string, Date | string>; confidenceLevel?: number}
): {points: LayerPoint[]; skipped: {undatedItems: number; undatedModels: string[]}} {
  const tally = new Map<string, {layer: Layer; model: string; n: number; passed: number}>();
  let undatedItems = 0;
  const undatedModels = new Set<string>();
  for (const r of records) {
    const layer = itemLayer(r.item_added, cutoff);
    if (layer === null) {
      undatedItems++;
      continue;
    }
    if (!dates.has(r.model)) {
      undatedModels.add(r.model);
      continue;
    }
    const key = `${layer}\u0000${r.model}`;
    const t = tally.get(key) ?? {layer, model: r.model, n: 0, passed: 0};
    t.n++;
    t.passed += r.passed;
    tally.set(key, t);
  }
  const points = [...tally.values()].map((t) => {
    const [lo, hi] = wilsonInterval(t.passed, t.n, confidenceLevel);
    return {...t, date: new Date(time(dates.get(t.model)!)), estimate: t.passed / t.n, lo, hi};
  });
  return {points, skipped: {undatedItems, undatedModels: [...undatedModels].sort()}};
}

export interface Trend {
  n: number;
  /** Change of the score per year. */
  slopePerYear: number;
  lo: number;
  hi: number;
  intercept: number;
  /** Time origin of the intercept (ms since the epoch). */
  origin: number;
  /** The points' mean date (ms since the epoch) and mean estimate: every line with a slope in [lo, hi] through
   * this centroid is compatible with the data, which is how the page draws the slope's interval. */
  meanTime: number;
  meanEstimate: number;
  confidenceLevel: number;
}

/**
 * OLS slope of `estimate` on date in years, with a two-sided t interval (df = n − 2). Null with fewer than 3
 * points or when all points share one date (no slope is estimable).
 */
export function trend(points: readonly {date: Date | string; estimate: number}[], confidenceLevel = 0.95): Trend | null {
  const n = points.length;
  if (n < 3) return null;
  const origin = Math.min(...points.map((p) => time(p.date)));
  const x = points.map((p) => (time(p.date) - origin) / DAY_MS / YEAR_DAYS);
  const y = points.map((p) => p.estimate);
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxx = 0, sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (x[i] - mx) ** 2;
    sxy += (x[i] - mx) * (y[i] - my);
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let sse = 0;
  for (let i = 0; i < n; i++) sse += (y[i] - intercept - slope * x[i]) ** 2;
  const se = Math.sqrt(sse / (n - 2) / sxx);
  const t = studentTQuantile(1 - (1 - confidenceLevel) / 2, n - 2);
  return {
    n,
    slopePerYear: slope,
    lo: slope - t * se,
    hi: slope + t * se,
    intercept,
    origin,
    meanTime: origin + mx * YEAR_DAYS * DAY_MS,
    meanEstimate: my,
    confidenceLevel
  };
}

/** The fitted value of a trend at `date`. */
export function trendAt(t: Trend, date: Date | string): number {
  return t.intercept + t.slopePerYear * ((time(date) - t.origin) / DAY_MS / YEAR_DAYS);
}

export type FlagState = "anchor rises while rotation stays flat" | "no such sign" | "not enough data";

/** The overfitting / contamination flag from the two layers' trends (see the module comment). */
export function anchorRotationFlag(anchor: Trend | null, rotation: Trend | null): FlagState {
  if (anchor === null || rotation === null) return "not enough data";
  return anchor.lo > 0 && rotation.lo <= 0 && rotation.hi >= 0 ? "anchor rises while rotation stays flat" : "no such sign";
}
