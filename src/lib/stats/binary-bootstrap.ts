/**
 * Fast percentile bootstrap for a models × items pass/fail matrix: the CI of every model's pass rate and of every
 * pair's paired difference, from ONE shared set of item resamples (as numpy with one index matrix), and the number
 * of pairs whose difference CI excludes 0 (separable pairs, bootstrap version).
 *
 * The 0/1 structure makes this fast. A resample only changes how many times each item is drawn (weights w_i), so a
 * model's resampled score is an integer count in [0, n] and a pair's difference an integer in [−n, n]:
 * 1. `resampledPassCounts` computes count[m][b] = Σ_i w_bi x_mi for every model and resample. Each item adds its
 *    weight to the models that pass it, or — when fewer models fail it — subtracts it from those that fail it
 *    (count = Σ w over such items − that sum), so an item costs at most half the models.
 * 2. `pairIntervalsFromCounts` tallies, pair by pair, the integer differences in a small histogram and reads the
 *    type-7 percentiles off it exactly (quantileFromHistogram equals sorting the replicates). Pair by pair keeps the
 *    two count rows and the histogram in cache; nothing of size pairs × resamples is ever stored.
 *
 * Reproducibility and parallelism: items are put in canonical order (by item id); resamples are generated in fixed
 * chunks of CHUNK_SIZE, chunk c drawing from its own xoshiro128** stream seeded from (seed, c). Threads may fill
 * disjoint chunk ranges of the count matrix and then take disjoint pair ranges: the result is bit-identical for any
 * number of threads. This module is pure; the worker pool lives in bench/stats.ts.
 */
import {canonicalOrder} from "./canonical.ts";
import {DEFAULT_SEED, xoshiro128ss} from "../random.ts";
import {quantileFromHistogram} from "./quantile.ts";
import type {Interval} from "./proportion.ts";

/** Resamples per chunk: the unit of reproducible work (independent of thread count). */
export const CHUNK_SIZE = 250;

export interface PassFailMatrix {
  models: string[];
  /** Item ids, unique; they fix the canonical item order. */
  items: string[];
  /** outcomes[m][i] ∈ {0, 1} for model m on item i (items in the order of `items`). */
  outcomes: readonly ArrayLike<number>[];
}

/** The matrix in canonical item order, packed for the kernel (plain typed arrays: cheap to post to a worker). */
export interface PackedMatrix {
  nModels: number;
  nItems: number;
  /** For item i, the models listed in members[offsets[i] .. offsets[i+1]] pass it (sign +1) or fail it (sign −1). */
  offsets: Int32Array;
  members: Int32Array;
  signs: Int8Array;
}

export function packMatrix(matrix: PassFailMatrix): PackedMatrix {
  const {models, items, outcomes} = matrix;
  if (outcomes.length !== models.length) throw new RangeError(`pass/fail matrix: ${models.length} model names but ${outcomes.length} rows`);
  if (new Set(items).size !== items.length) throw new RangeError("pass/fail matrix: item ids must be unique");
  outcomes.forEach((row, m) => {
    if (row.length !== items.length) throw new RangeError(`pass/fail matrix: model ${models[m]} has ${row.length} outcomes for ${items.length} items`);
    for (let i = 0; i < row.length; i++) {
      if (row[i] !== 0 && row[i] !== 1) throw new RangeError(`pass/fail matrix: model ${models[m]}, item ${items[i]}: outcome ${row[i]} is not 0 or 1`);
    }
  });
  const order = canonicalOrder(items.length, (i) => [items[i]]);
  const offsets = new Int32Array(items.length + 1);
  const signs = new Int8Array(items.length);
  const list: number[] = [];
  order.forEach((item, k) => {
    let passers = 0;
    for (let m = 0; m < models.length; m++) passers += outcomes[m][item];
    const listPassers = passers <= models.length - passers;
    signs[k] = listPassers ? 1 : -1;
    for (let m = 0; m < models.length; m++) if ((outcomes[m][item] === 1) === listPassers) list.push(m);
    offsets[k + 1] = list.length;
  });
  return {nModels: models.length, nItems: items.length, offsets, members: Int32Array.from(list), signs};
}

/**
 * Resampled pass counts, model-major (counts[m·B + b]). 16-bit when n < 65,536 items (halves memory traffic in the
 * pair loop), 32-bit beyond.
 */
export type PassCounts = Uint16Array | Int32Array;

/** Allocate the count matrix for M models, n items and B resamples (optionally on a SharedArrayBuffer for threads). */
export function allocatePassCounts(nModels: number, nItems: number, nResamples: number, shared = false): PassCounts {
  const bytes = nItems < 65536 ? 2 : 4;
  const buffer = shared ? new SharedArrayBuffer(nModels * nResamples * bytes) : new ArrayBuffer(nModels * nResamples * bytes);
  return bytes === 2 ? new Uint16Array(buffer) : new Int32Array(buffer);
}

/** Seed of chunk c's generator, derived from the run seed (Knuth's multiplicative mix; any fixed injective mix works). */
function chunkSeed(seed: number, chunk: number): number {
  return (Math.imul(seed >>> 0, 2654435761) ^ Math.imul(chunk + 1, 0x9e3779b9)) >>> 0;
}

/**
 * Fill counts[m·B + b] (model-major, B = nResamples) with model m's pass count in resample b, for the resamples of
 * chunks [firstChunk, lastChunk).
 */
export function resampledPassCounts(packed: PackedMatrix, counts: PassCounts, firstChunk: number, lastChunk: number, nResamples: number, seed = DEFAULT_SEED): void {
  const {nModels: M, nItems: n, offsets, members, signs} = packed;
  if (counts.length !== M * nResamples) throw new RangeError(`counts must hold ${M} x ${nResamples} values, has ${counts.length}`);
  // Several resamples share one pass over the item lists: their weights are packed into bit fields ("lanes") of one
  // double, wide enough for a count up to n, and added together. Doubles hold integers exactly up to 2^53, and no
  // lane can exceed n, so no lane ever carries into the next: the counts are exactly those of one resample at a time.
  const bits = Math.max(1, Math.ceil(Math.log2(n + 1)));
  const lanes = Math.max(1, Math.floor(53 / bits));
  const laneScale = Float64Array.from({length: lanes}, (_, l) => 2 ** (bits * l));
  const weights = new Int32Array(n), packedWeights = new Float64Array(n);
  const added = new Float64Array(M), subtracted = new Float64Array(M), failListedWeight = new Float64Array(lanes);
  for (let chunk = firstChunk; chunk < lastChunk; chunk++) {
    const rng = xoshiro128ss(chunkSeed(seed, chunk));
    const end = Math.min(nResamples, (chunk + 1) * CHUNK_SIZE);
    for (let first = chunk * CHUNK_SIZE; first < end; first += lanes) {
      const used = Math.min(lanes, end - first);
      packedWeights.fill(0);
      failListedWeight.fill(0);
      for (let l = 0; l < used; l++) {
        weights.fill(0);
        for (let k = 0; k < n; k++) weights[rng.nextInt(n)]++;
        const scale = laneScale[l];
        let failed = 0;
        for (let i = 0; i < n; i++) {
          packedWeights[i] += weights[i] * scale;
          if (signs[i] < 0) failed += weights[i];
        }
        failListedWeight[l] = failed;
      }
      added.fill(0);
      subtracted.fill(0);
      for (let i = 0; i < n; i++) {
        const w = packedWeights[i];
        if (w === 0) continue;
        const stop = offsets[i + 1];
        if (signs[i] > 0) {
          for (let k = offsets[i]; k < stop; k++) added[members[k]] += w;
        } else {
          for (let k = offsets[i]; k < stop; k++) subtracted[members[k]] += w;
        }
      }
      for (let m = 0; m < M; m++) {
        let plus = added[m], minus = subtracted[m];
        const row = m * nResamples + first;
        for (let l = 0; l < used; l++) {
          // Peel lane l off the bottom: exact, because both values are integers below 2^53.
          const nextPlus = Math.floor(plus / laneScale[1]), nextMinus = Math.floor(minus / laneScale[1]);
          counts[row + l] = plus - nextPlus * laneScale[1] - (minus - nextMinus * laneScale[1]) + failListedWeight[l];
          plus = nextPlus;
          minus = nextMinus;
        }
      }
    }
  }
}

/** Number of chunks needed for nResamples. */
export function chunkCount(nResamples: number): number {
  return Math.ceil(nResamples / CHUNK_SIZE);
}

/** Percentile interval of model m's pass rate from the count matrix. */
export function modelIntervalFromCounts(counts: PassCounts, m: number, nItems: number, nResamples: number, confidenceLevel = 0.95): Interval {
  const hist = new Int32Array(nItems + 1);
  for (let b = 0, base = m * nResamples; b < nResamples; b++) hist[counts[base + b]]++;
  const grid = Float64Array.from({length: nItems + 1}, (_, k) => k / nItems);
  const alpha = 1 - confidenceLevel;
  return [quantileFromHistogram(grid, hist, nResamples, alpha / 2), quantileFromHistogram(grid, hist, nResamples, 1 - alpha / 2)];
}

/** The pair (a, c), a < c, at index p of the order (0,1), (0,2), …, (0,M−1), (1,2), … */
export function pairAt(p: number, nModels: number): [number, number] {
  let a = 0, rowLength = nModels - 1;
  while (p >= rowLength) {
    p -= rowLength;
    a++;
    rowLength--;
  }
  return [a, a + 1 + p];
}

/**
 * Percentile intervals of pass-rate differences (model a − model c) for pairs [firstPair, lastPair), written to
 * out[2p], out[2p+1]. Returns how many of these pairs are separable (interval excludes 0).
 */
export function pairIntervalsFromCounts(counts: PassCounts, nModels: number, nItems: number, nResamples: number, firstPair: number, lastPair: number, out: Float64Array, confidenceLevel = 0.95): number {
  const n = nItems, B = nResamples, alpha = 1 - confidenceLevel, W = 2 * n + 1;
  // Pairs (a, c), (a, c+1), … share model a's row: four are tallied per pass over the resamples, into four
  // histograms side by side (16 KB for 500 items, cache-resident).
  const BLOCK = 4;
  const hist = new Int32Array(BLOCK * W);
  const grid = Float64Array.from({length: W}, (_, k) => (k - n) / n);
  let separable = 0;
  let p = firstPair;
  let [a, c] = p < lastPair ? pairAt(p, nModels) : [0, 0];
  while (p < lastPair) {
    const k = Math.min(BLOCK, lastPair - p, nModels - c);
    const rowA = a * B;
    if (k === BLOCK) {
      const r0 = c * B, r1 = r0 + B, r2 = r1 + B, r3 = r2 + B, h1 = W, h2 = 2 * W, h3 = 3 * W;
      for (let b = 0; b < B; b++) {
        const x = counts[rowA + b] + n;
        hist[x - counts[r0 + b]]++;
        hist[h1 + x - counts[r1 + b]]++;
        hist[h2 + x - counts[r2 + b]]++;
        hist[h3 + x - counts[r3 + b]]++;
      }
    } else {
      for (let j = 0; j < k; j++) {
        const rj = (c + j) * B, hj = j * W;
        for (let b = 0; b < B; b++) hist[hj + counts[rowA + b] + n - counts[rj + b]]++;
      }
    }
    for (let j = 0; j < k; j++) {
      const h = hist.subarray(j * W, (j + 1) * W);
      // Narrow to the occupied bins by scanning the ends (cheaper than tracking min/max per replicate).
      let lo = 0, hi = W - 1;
      while (h[lo] === 0) lo++;
      while (h[hi] === 0) hi--;
      const window = h.subarray(lo, hi + 1), values = grid.subarray(lo, hi + 1);
      const low = quantileFromHistogram(values, window, B, alpha / 2);
      const high = quantileFromHistogram(values, window, B, 1 - alpha / 2);
      window.fill(0);
      out[2 * (p + j)] = low;
      out[2 * (p + j) + 1] = high;
      if (low > 0 || high < 0) separable++;
    }
    p += k;
    c += k;
    if (c === nModels) {
      a++;
      c = a + 1;
    }
  }
  return separable;
}

export interface MatrixBootstrapResult {
  models: string[];
  modelIntervals: Interval[];
  /** Pairs (a, c), a < c in model order, with the CI of pass rate a − pass rate c. */
  pairs: [number, number][];
  pairIntervals: Interval[];
  /** Pairs whose difference interval excludes 0. */
  nSeparable: number;
  nResamples: number;
}

/** Assemble the result object from a filled count matrix and pair-interval buffer. */
export function collectMatrixResult(models: string[], counts: PassCounts, nItems: number, nResamples: number, pairBuffer: Float64Array, confidenceLevel = 0.95): MatrixBootstrapResult {
  const pairs: [number, number][] = [];
  const pairIntervals: Interval[] = [];
  let nSeparable = 0;
  for (let p = 0; p < pairBuffer.length / 2; p++) {
    pairs.push(pairAt(p, models.length));
    const ci: Interval = [pairBuffer[2 * p], pairBuffer[2 * p + 1]];
    pairIntervals.push(ci);
    if (ci[0] > 0 || ci[1] < 0) nSeparable++;
  }
  return {
    models,
    modelIntervals: models.map((_, m) => modelIntervalFromCounts(counts, m, nItems, nResamples, confidenceLevel)),
    pairs, pairIntervals, nSeparable, nResamples,
  };
}

/** Single-threaded: percentile CIs of every model and every pair difference, and the separable-pair count. */
export function matrixBootstrap(matrix: PassFailMatrix, options: {nResamples?: number; seed?: number; confidenceLevel?: number} = {}): MatrixBootstrapResult {
  const B = options.nResamples ?? 10_000;
  const packed = packMatrix(matrix);
  const M = packed.nModels, nPairs = (M * (M - 1)) / 2;
  const counts = allocatePassCounts(M, packed.nItems, B);
  resampledPassCounts(packed, counts, 0, chunkCount(B), B, options.seed);
  const pairBuffer = new Float64Array(2 * nPairs);
  pairIntervalsFromCounts(counts, M, packed.nItems, B, 0, nPairs, pairBuffer, options.confidenceLevel);
  return collectMatrixResult(matrix.models, counts, packed.nItems, B, pairBuffer, options.confidenceLevel);
}
