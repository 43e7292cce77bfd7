/**
 * `npm run bench:stats`: percentile bootstrap (B = 10,000) of a seeded 134-model × 500-item pass/fail matrix —
 * the CI of every model and of all 8,911 paired differences, and the count of separable pairs — timed in Node with a
 * two-thread worker pool, then the same computation in numpy (one shared index matrix) and scipy.stats.bootstrap
 * (timed on a few pairs, extrapolated to all), with ratios, in the same run. Also times the 18 × 500 matrix
 * single-threaded (the size of the bundled SWE-bench data, what a browser page recomputes).
 *
 * This file is both the coordinator and, in worker threads, the pool member. Workers run the pure kernels of
 * src/lib/stats/binary-bootstrap.ts on shared memory: first `resampledPassCounts` on disjoint chunk ranges of the
 * count matrix, then `pairIntervalsFromCounts` on disjoint pair ranges. Chunks have their own seeded streams, so the
 * result is identical for any number of workers (and to the single-threaded `matrixBootstrap`).
 */
import {execFileSync} from "node:child_process";
import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {availableParallelism, loadavg, tmpdir} from "node:os";
import {join} from "node:path";
import {isMainThread, parentPort, Worker} from "node:worker_threads";
import {
  allocatePassCounts, chunkCount, collectMatrixResult, matrixBootstrap, packMatrix, pairIntervalsFromCounts,
  resampledPassCounts, type MatrixBootstrapResult, type PackedMatrix, type PassCounts, type PassFailMatrix,
} from "../src/lib/stats/binary-bootstrap.ts";
import {xoshiro128ss} from "../src/lib/random.ts";

const N_MODELS = 134, N_ITEMS = 500, B = 10_000, SEED = 20251122, THREADS = 2;

/** Work for a pool member; typed arrays on SharedArrayBuffers are shared with the coordinator, not copied. */
type Job =
  | {kind: "counts"; packed: PackedMatrix; counts: PassCounts; firstChunk: number; lastChunk: number; nResamples: number; seed: number}
  | {kind: "pairs"; counts: PassCounts; nModels: number; nItems: number; nResamples: number; firstPair: number; lastPair: number; out: Float64Array};

function runJob(job: Job): number {
  if (job.kind === "counts") {
    resampledPassCounts(job.packed, job.counts, job.firstChunk, job.lastChunk, job.nResamples, job.seed);
    return 0;
  }
  return pairIntervalsFromCounts(job.counts, job.nModels, job.nItems, job.nResamples, job.firstPair, job.lastPair, job.out);
}

/** A seeded synthetic leaderboard: 2PL-like pass probabilities from model ability and item difficulty. */
function syntheticMatrix(nModels: number, nItems: number, seed: number): PassFailMatrix {
  const rng = xoshiro128ss(seed);
  const items = Array.from({length: nItems}, (_, i) => `item-${String(i).padStart(4, "0")}`);
  const difficulty = items.map(() => rng.nextFloat() * 5 - 2.5);
  const models = Array.from({length: nModels}, (_, m) => `model-${String(m).padStart(3, "0")}`);
  const outcomes = models.map((_, m) => {
    const ability = (m / (nModels - 1)) * 4 - 2;
    return Uint8Array.from(difficulty, (d) => (rng.nextFloat() < 1 / (1 + Math.exp(-1.7 * (ability - d))) ? 1 : 0));
  });
  return {models, items, outcomes};
}

function runOn(worker: Worker, job: Job): Promise<number> {
  return new Promise((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
    worker.postMessage(job);
  });
}

/** Split [0, total) into `parts` contiguous ranges. */
function ranges(total: number, parts: number): [number, number][] {
  const per = Math.ceil(total / parts);
  return Array.from({length: parts}, (_, k) => [Math.min(total, k * per), Math.min(total, (k + 1) * per)]);
}

async function parallelBootstrap(pool: Worker[], matrix: PassFailMatrix, nResamples: number): Promise<MatrixBootstrapResult> {
  const packed = packMatrix(matrix);
  const M = packed.nModels, n = packed.nItems, nPairs = (M * (M - 1)) / 2;
  const counts = allocatePassCounts(M, n, nResamples, true);
  await Promise.all(ranges(chunkCount(nResamples), pool.length).map(([firstChunk, lastChunk], k) =>
    runOn(pool[k], {kind: "counts", packed, counts, firstChunk, lastChunk, nResamples, seed: SEED})));
  const out = new Float64Array(new SharedArrayBuffer(2 * nPairs * Float64Array.BYTES_PER_ELEMENT));
  await Promise.all(ranges(nPairs, pool.length).map(([firstPair, lastPair], k) =>
    runOn(pool[k], {kind: "pairs", counts, nModels: M, nItems: n, nResamples, firstPair, lastPair, out})));
  return collectMatrixResult(matrix.models, counts, n, nResamples, out);
}

const seconds = (t0: number) => (performance.now() - t0) / 1000;
/** CPU seconds used by this process, all threads (under load, wall time also counts waiting for a core). */
const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/** The numpy and scipy anchor, run on the same matrix; null when python3 lacks numpy or scipy. */
function pythonAnchor(matrix: PassFailMatrix): {numpySeconds: number; numpyCpu: number; scipySecondsExtrapolated: number; scipyPairsTimed: number; modelCI: number[][]; pairCI: number[][]; nSeparable: number} | null {
  try {
    execFileSync("python3", ["-c", "import numpy, scipy"], {stdio: "ignore"});
  } catch {
    return null;
  }
  const dir = mkdtempSync(join(tmpdir(), "benchlab-stats-"));
  try {
    const bytes = new Uint8Array(N_MODELS * N_ITEMS);
    matrix.outcomes.forEach((row, m) => bytes.set(row as Uint8Array, m * N_ITEMS));
    writeFileSync(join(dir, "matrix.u8"), bytes);
    const script = String.raw`
import json, sys, time
import numpy as np
from scipy import stats
M, n, B = ${N_MODELS}, ${N_ITEMS}, ${B}
X = np.fromfile(sys.argv[1], dtype=np.uint8).reshape(M, n).astype(np.float64)
t0, c0 = time.perf_counter(), time.process_time()
rng = np.random.default_rng(0)
idx = rng.integers(0, n, size=(B, n))                      # one shared index matrix for all models
W = np.bincount((np.arange(B)[:, None] * n + idx).ravel(), minlength=B * n).reshape(B, n).astype(np.float64)
S = X @ W.T                                                 # M x B resampled pass counts
model_ci = np.percentile(S / n, [2.5, 97.5], axis=1).T
ii, jj = np.triu_indices(M, 1)
pair_ci = np.empty((len(ii), 2))
for s in range(0, len(ii), 500):                            # blocks keep memory bounded
    D = (S[ii[s:s+500]] - S[jj[s:s+500]]) / n
    pair_ci[s:s+500] = np.percentile(D, [2.5, 97.5], axis=1).T
n_sep = int(np.sum((pair_ci[:, 0] > 0) | (pair_ci[:, 1] < 0)))
numpy_s, numpy_cpu = time.perf_counter() - t0, time.process_time() - c0
k = 4
t1 = time.perf_counter()
for p in range(k):
    i, j = ii[p * 997], jj[p * 997]
    stats.bootstrap((X[i], X[j]), lambda x, y, axis: np.mean(x - y, axis=axis), paired=True, vectorized=True,
                    n_resamples=B, method="percentile", random_state=p)
per_pair = (time.perf_counter() - t1) / k
t2 = time.perf_counter()
for m in range(2):
    stats.bootstrap((X[m],), np.mean, vectorized=True, n_resamples=B, method="percentile", random_state=m)
per_model = (time.perf_counter() - t2) / 2
print(json.dumps({"numpySeconds": numpy_s, "numpyCpu": numpy_cpu, "scipySecondsExtrapolated": per_pair * len(ii) + per_model * M,
                  "scipyPairsTimed": k, "modelCI": model_ci.tolist(), "pairCI": pair_ci.tolist(), "nSeparable": n_sep}))
`;
    return JSON.parse(execFileSync("python3", ["-c", script, join(dir, "matrix.u8")], {encoding: "utf8", maxBuffer: 64 << 20}));
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
}

async function main(): Promise<void> {
  const matrix = syntheticMatrix(N_MODELS, N_ITEMS, SEED);
  console.log(`matrix: ${N_MODELS} models x ${N_ITEMS} items (seed ${SEED}), B = ${B}, ${(N_MODELS * (N_MODELS - 1)) / 2} pairs, ${THREADS} worker threads`);

  const startPool = performance.now();
  // A worker does not inherit tsx's loader hooks, so it registers them (as bin/benchlab.js does) and then imports this
  // very file, which takes the worker branch at the top.
  const boot = `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))}).then(({register}) => { register(); return import(${JSON.stringify(import.meta.url)}); })`;
  const pool = Array.from({length: THREADS}, () => new Worker(boot, {eval: true}));
  // Warm-up on a small matrix, so that the timed run measures compiled kernels, as in a long-lived pool.
  await parallelBootstrap(pool, syntheticMatrix(12, 200, 1), 2000);
  console.log(`worker pool start and warm-up (once, not timed below): ${seconds(startPool).toFixed(2)} s`);

  const t0 = performance.now(), c0 = cpuSeconds();
  const result = await parallelBootstrap(pool, matrix, B);
  const benchlabSeconds = seconds(t0), benchlabCpu = cpuSeconds() - c0;
  await Promise.all(pool.map((w) => w.terminate()));
  console.log(`separable pairs (difference CI excludes 0): ${result.nSeparable} of ${result.pairs.length}`);
  console.log(`benchlab: ${benchlabSeconds.toFixed(3)} s`);
  console.log(`  (CPU ${benchlabCpu.toFixed(3)} s over ${THREADS} threads; load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores: wall time includes waiting for a core)`);

  const small = syntheticMatrix(18, N_ITEMS, SEED + 1);
  for (const run of ["first run", "repeat"]) {
    const t1 = performance.now(), c1 = cpuSeconds();
    const smallResult = matrixBootstrap(small, {nResamples: B, seed: SEED});
    console.log(`benchlab 18 x ${N_ITEMS} (all ${smallResult.pairs.length} pairs), single thread, ${run}: ${seconds(t1).toFixed(3)} s (CPU ${(cpuSeconds() - c1).toFixed(3)} s)`);
  }

  const anchor = pythonAnchor(matrix);
  if (!anchor) {
    console.log("numpy/scipy anchor unavailable: python3 with numpy and scipy not found (not installed here; no network to fetch them)");
    return;
  }
  let maxDiff = 0;
  result.pairIntervals.forEach((ci, p) => (maxDiff = Math.max(maxDiff, Math.abs(ci[0] - anchor.pairCI[p][0]), Math.abs(ci[1] - anchor.pairCI[p][1]))));
  result.modelIntervals.forEach((ci, m) => (maxDiff = Math.max(maxDiff, Math.abs(ci[0] - anchor.modelCI[m][0]), Math.abs(ci[1] - anchor.modelCI[m][1]))));
  console.log(`numpy: ${anchor.numpySeconds.toFixed(3)} s (CPU ${anchor.numpyCpu.toFixed(3)} s); benchlab is ${(anchor.numpySeconds / benchlabSeconds).toFixed(1)}x faster in wall time, ${(anchor.numpyCpu / benchlabCpu).toFixed(1)}x in CPU; numpy's separable pairs: ${anchor.nSeparable}`);
  console.log(`scipy.stats.bootstrap, extrapolated from ${anchor.scipyPairsTimed} pairs: ${anchor.scipySecondsExtrapolated.toFixed(0)} s (benchlab is ${(anchor.scipySecondsExtrapolated / benchlabSeconds).toFixed(0)}x faster)`);
  console.log(`largest |benchlab − numpy| over all interval endpoints: ${maxDiff.toFixed(4)} (Monte-Carlo error; the lattice step is 1/${N_ITEMS} = ${(1 / N_ITEMS).toFixed(4)})`);
}

// Entry: pool member in a worker thread, coordinator on the main thread.
if (!isMainThread) {
  parentPort!.on("message", (job: Job) => parentPort!.postMessage(runJob(job)));
} else {
  await main();
}
