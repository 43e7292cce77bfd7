/**
 * When a judge's scores may be trusted: only after an audit against human (or gold) labels, and only if the lower
 * bound of the bootstrap CI of the chosen agreement statistic reaches the threshold (issue 5).
 *
 * A lower bound within TRUST_MARGIN of the threshold is "borderline": the bound moves with the bootstrap seed and
 * the sample, so a verdict that a different seed could flip is reported as such instead of as trusted or not.
 * Borderline scores are not trusted. A judge that was never audited is "unaudited", which is not trusted either.
 */
import {z} from "zod";

export const TrustState = z.enum(["trusted", "borderline", "untrusted", "unaudited"]);
export type TrustState = z.infer<typeof TrustState>;
export type AuditVerdict = Exclude<TrustState, "unaudited">;

/** Distance from the threshold inside which the verdict is borderline. */
export const TRUST_MARGIN = 0.01;

/** The audit verdict for a CI lower bound. A missing or NaN bound (statistic undefined) is untrusted. */
export function trustVerdict(lowerBound: number | null, threshold: number, margin: number = TRUST_MARGIN): AuditVerdict {
  if (lowerBound === null || !Number.isFinite(lowerBound)) return "untrusted";
  // Rounded so that a bound exactly `margin` away is borderline despite binary floating point (0.79 − 0.78 > 0.01).
  const distance = Math.round((lowerBound - threshold) * 1e9) / 1e9;
  if (Math.abs(distance) <= margin) return "borderline";
  return distance > 0 ? "trusted" : "untrusted";
}

/** Whether scores in this state count as trusted wherever they are shown or aggregated. */
export function isTrusted(state: TrustState | null): boolean {
  return state === "trusted";
}

/** Words for a page or a table cell. */
export const TRUST_LABEL: Record<TrustState, string> = {
  trusted: "trusted (audited)",
  borderline: "borderline: not trusted",
  untrusted: "untrusted (failed audit)",
  unaudited: "never audited: not trusted"
};
