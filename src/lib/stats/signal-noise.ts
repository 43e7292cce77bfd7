/**
 * Signal, noise and signal-to-noise ratio of a benchmark (Heineman et al. 2025, "Signal and Noise: A Framework for
 * Reducing Uncertainty in Language Model Evaluation", arXiv:2508.13144; code allenai/signal-and-noise snr/metrics.py).
 *
 * - signal = (max − min) / mean of the final scores of a population of models (relative dispersion);
 * - noise = std / mean of one model's scores over its last checkpoints, population std (ddof = 0) as np.std;
 *   a std below 1e-12·|mean| is floating-point residue and is treated as exactly 0;
 * - SNR = signal / noise; +∞ when noise is 0 and signal positive, NaN when both are 0 (reported as missing).
 *
 * Where no checkpoint series exist (leaderboards and per-item pass/fail records, as in the bundled data), benchlab
 * uses the models' *sampling* noise instead: `samplingNoise` is the root mean square of the models' ideal bootstrap
 * standard errors over items, divided by the mean score — the same relative-std form as AI2's noise, with the spread
 * coming from which items were sampled rather than from checkpoint-to-checkpoint variation. Where repeated trials
 * exist (e.g. τ-bench's k trials per task), the trial-to-trial spread is `relativeStd` of the per-trial benchmark
 * scores, the direct analogue of AI2's checkpoint noise.
 */
import * as ss from "simple-statistics";

/** Standard deviation with ddof 0 (population, as np.std) or 1 (sample), from simple-statistics. */
function standardDeviation(xs: readonly number[], ddof: number): number {
  const sorted = [...xs].sort((x, y) => x - y);
  if (ddof === 0) return ss.standardDeviation(sorted);
  if (ddof === 1) return ss.sampleStandardDeviation(sorted);
  throw new RangeError(`standard deviation: ddof must be 0 or 1, got ${ddof}`);
}

/** Mean, summed in ascending order so that it does not depend on the order of the models. */
const mean = (xs: readonly number[]) => ss.mean([...xs].sort((x, y) => x - y));

function checkScores(xs: readonly number[], name: string): void {
  if (xs.length === 0) throw new RangeError(`${name}: no scores`);
  xs.forEach((x, i) => {
    if (!Number.isFinite(x)) throw new RangeError(`${name}[${i}] = ${x} is not a finite score`);
  });
}

/** AI2 signal: (max − min) / mean over models. */
export function relativeDispersion(scores: readonly number[]): number {
  checkScores(scores, "signal scores");
  return (Math.max(...scores) - Math.min(...scores)) / mean(scores);
}

/** AI2 noise: std / mean of one model's checkpoint scores (population std by default). */
export function relativeStd(scores: readonly number[], ddof = 0): number {
  checkScores(scores, "noise scores");
  const m = mean(scores);
  const sd = standardDeviation(scores, ddof);
  return (sd < 1e-12 * Math.abs(m) ? 0 : sd) / m;
}

/** signal / noise with the zero-noise conventions documented above. */
export function signalToNoise(signal: number, noise: number): number {
  if (noise === 0) return signal > 0 ? Infinity : NaN;
  return signal / noise;
}

export interface SignalNoise {
  signal: number;
  noise: number;
  snr: number;
}

export interface SignalNoiseDetail extends SignalNoise {
  /** max − min of the final scores (= the largest pairwise |m_j − m_k|). */
  dispersion: number;
  meanFinal: number;
  /** Checkpoint std with the requested ddof, after the 1e-12·|mean| floor. */
  noiseStd: number;
  meanCheckpoint: number;
}

/** Signal of final scores and noise of one model's checkpoint scores (the paper's definition). */
export function signalAndNoise(finalScores: readonly number[], checkpointScores: readonly number[], options: {ddof?: number} = {}): SignalNoiseDetail {
  const signal = relativeDispersion(finalScores), noise = relativeStd(checkpointScores, options.ddof ?? 0);
  const meanCheckpoint = mean(checkpointScores);
  return {
    signal, noise, snr: signalToNoise(signal, noise),
    dispersion: Math.max(...finalScores) - Math.min(...finalScores), meanFinal: mean(finalScores),
    noiseStd: noise * meanCheckpoint, meanCheckpoint,
  };
}

/**
 * The AI2 repository's small-scale variant: signal from each model's mean over its last `lastN` checkpoints, noise
 * pooled over all models' last-`lastN` checkpoint scores (so it also contains between-model spread).
 */
export function smallScaleSignalAndNoise(scoresByModelByCheckpoint: readonly (readonly number[])[], lastN: number): SignalNoise & {signalScores: number[]} {
  const tails = scoresByModelByCheckpoint.map((series, m) => {
    if (series.length < lastN) throw new RangeError(`model ${m} has ${series.length} checkpoints, fewer than lastN = ${lastN}`);
    return series.slice(series.length - lastN);
  });
  const signalScores = tails.map(mean);
  const signal = relativeDispersion(signalScores), noise = relativeStd(tails.flat());
  return {signal, noise, snr: signalToNoise(signal, noise), signalScores};
}

/**
 * Sampling noise of a benchmark from per-item scores (models × items, values in [0, 1]):
 * √(mean over models of SE_m²) / mean score, with SE_m = √(Σ_i (x_mi − x̄_m)²) / n the ideal (B → ∞) bootstrap
 * standard error of model m's mean over its n items (Efron & Tibshirani 1993, eq. 6.8).
 */
export function samplingNoise(scores: readonly (ArrayLike<number>)[]): number {
  if (scores.length === 0) throw new RangeError("samplingNoise: no models");
  const se2: number[] = [], means: number[] = [];
  scores.forEach((row, m) => {
    const n = row.length;
    if (n === 0) throw new RangeError(`samplingNoise: model ${m} has no items`);
    const sorted = Array.from(row).sort((x, y) => x - y);
    const xbar = mean(sorted);
    const squares = sorted.reduce((s, v) => s + (v - xbar) ** 2, 0);
    se2.push(squares / (n * n));
    means.push(xbar);
  });
  return Math.sqrt(mean(se2)) / mean(means);
}
