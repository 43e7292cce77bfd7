/**
 * Items needed to detect a difference δ between two models in a paired design, two-sided level α with the given
 * power (normal approximation for the mean of per-item differences; Miller 2024, arXiv:2411.00640, §4):
 *   n = ceil(((z_{1−α/2} + z_power) · sd_diff / δ)²).
 * For pass/fail scores the per-item difference d ∈ {−1, 0, 1} has variance p_disc − δ², where p_disc is the
 * discordance rate (share of items where exactly one model passes), so sd_diff = √(p_disc − δ²).
 */
import {normalQuantile} from "./distributions.ts";

export interface PowerOptions {
  /** Two-sided significance level (default 0.05). */
  alpha?: number;
  /** Probability of detecting a true difference of size δ (default 0.8). */
  power?: number;
}

/** Items needed given the standard deviation of per-item differences. */
export function itemsNeeded(delta: number, sdDiff: number, options: PowerOptions = {}): number {
  const alpha = options.alpha ?? 0.05, power = options.power ?? 0.8;
  if (!(delta !== 0 && Number.isFinite(delta))) throw new RangeError(`itemsNeeded: the difference to detect must be non-zero, got ${delta}`);
  if (!(sdDiff >= 0)) throw new RangeError(`itemsNeeded: sd of differences must be non-negative, got ${sdDiff}`);
  if (!(alpha > 0 && alpha < 1 && power > 0 && power < 1)) throw new RangeError(`itemsNeeded: alpha and power must be in (0, 1), got ${alpha}, ${power}`);
  const z = normalQuantile(1 - alpha / 2) + normalQuantile(power);
  return Math.ceil(((z * sdDiff) / Math.abs(delta)) ** 2);
}

/** Items needed for pass/fail scores, from the discordance rate (share of items where the models disagree). */
export function itemsNeededPassFail(delta: number, discordanceRate: number, options: PowerOptions = {}): number {
  if (!(discordanceRate >= Math.abs(delta) && discordanceRate <= 1)) {
    throw new RangeError(`itemsNeededPassFail: the discordance rate (${discordanceRate}) must lie in [|δ|, 1] = [${Math.abs(delta)}, 1]: two models cannot differ by more than the share of items they disagree on`);
  }
  return itemsNeeded(delta, Math.sqrt(discordanceRate - delta * delta), options);
}
