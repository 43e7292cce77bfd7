/**
 * The judge audit: how well a judge agrees with human (or gold) labels, and whether that is good enough to trust
 * its scores (issue 5). Pure, so `benchlab audit-judge` and the judge-audit page compute the same numbers from the
 * same `AuditInput`.
 *
 * Statistics (all from src/lib/stats, each with a percentile bootstrap CI resampling items under a fixed seed):
 * percent agreement, Cohen's kappa, Scott's pi, Krippendorff's alpha (nominal; interval for a graded judge, below)
 * and Gwet's AC1; the confusion matrix; base rates; the same per slice (exam-taker, LLMBar subset).
 *
 * Graded judges (an integer scale, e.g. 1..5) also get quadratic-weighted Cohen's kappa (Cohen 1968; the usual
 * statistic for ordinal ratings), which is their default trust statistic: a judge that says 4 where the human says 5
 * disagrees less than one that says 1. The categories are every point of the declared scale, in numeric order (an
 * unused point changes weighted kappa). A call with no usable verdict is a category outside the scale, at the largest
 * disagreement weight, (max − min)², from every scale point: like the nominal statistics, it counts against the judge.
 * Their Krippendorff's alpha uses the same differences: the interval metric (c − k)² between scale points (Krippendorff
 * 2011) and (max − min)² between "no verdict" and any point. The other statistics stay nominal.
 *
 * Coding. Judge and reference use the same labels (pass/fail "1"/"0"; pairwise "1"/"2" = which output of the item,
 * whatever order it was shown in). A judge call that returned no usable verdict is the category NO_VERDICT, so it
 * counts against the judge (LLMBar's "empty verdict counted wrong"); an item the judge never saw is left out. LLMBar's
 * upstream statistics.json codes verdicts 1/else against gold 1/2, which is not Cohen's kappa (ChatGPT/Vanilla on
 * Natural: 0.194 there, 0.603 here in the original order); this module always codes both sides alike.
 *
 * Pairwise judges are run in both presentation orders: every statistic is given per order and pooled over both
 * (the item's two verdicts stacked against its gold label twice, resampled together); the pooled one is the
 * headline. Position and length bias follow Zeng et al. 2023 (LLMBar, arXiv 2310.07641): positional agreement =
 * share of items whose two orders give the same verdict; first-position preference = share of verdicts (both
 * orders) for whichever output was shown first; longer share = share of verdicts for the longer output (items of
 * equal length skipped), against the share of items whose gold output is the longer one.
 */
import {
  cohenKappaFromTable,
  contingencyBootstrapCIs,
  gwetAC1FromTable,
  krippendorffAlphaFromTable,
  percentAgreementFromTable,
  scottPiFromTable,
  type Label
} from "../stats/index.ts";
import {DEFAULT_SEED} from "../random.ts";
import {TRUST_MARGIN, trustVerdict, type AuditVerdict} from "./trust.ts";
import type {GradedScale} from "./verdict.ts";

/** The category of a judge call that produced no usable verdict (parse failure, stored error). */
export const NO_VERDICT = "no verdict";

/** Presentation orders of a pairwise judge: output 1 shown first, or output 2 shown first. */
export const PAIRWISE_ORDERS = ["original", "swapped"] as const;
export type PairwiseOrder = (typeof PAIRWISE_ORDERS)[number];
/** The single order of a pointwise judge. */
export const SINGLE_ORDER = "single";
export type JudgeOrder = PairwiseOrder | typeof SINGLE_ORDER;

/** The label of the output shown first in each pairwise order (verdicts are in the item's own numbering). */
const FIRST_SHOWN: Record<PairwiseOrder, string> = {original: "1", swapped: "2"};

export interface AuditItem {
  item_id: string;
  slice: string | null;
  /** The human or gold label. */
  reference: string;
  /** The judge's label per order; null = the call gave no usable verdict; absent = not judged in that order. */
  verdicts: Partial<Record<JudgeOrder, string | null>>;
  /** Pairwise: label of the longer output ("1" or "2"); null when equal in length or unknown. */
  longer?: string | null;
}

export interface AuditInput {
  judge: string;
  reference_rater: string;
  mode: "pointwise" | "pairwise";
  /** A graded judge's integer scale: verdicts and reference labels are its points ("1" .. "5"). */
  scale?: GradedScale;
  items: AuditItem[];
}

export const AGREEMENT_STATISTICS = ["percent_agreement", "cohen_kappa", "weighted_kappa", "scott_pi", "krippendorff_alpha", "gwet_ac1"] as const;
export type AgreementStatistic = (typeof AGREEMENT_STATISTICS)[number];

/** Short names accepted on the command line. */
export const STATISTIC_ALIASES: Record<string, AgreementStatistic> = {
  agreement: "percent_agreement",
  percent: "percent_agreement",
  kappa: "cohen_kappa",
  "weighted-kappa": "weighted_kappa",
  qwk: "weighted_kappa",
  pi: "scott_pi",
  alpha: "krippendorff_alpha",
  ac1: "gwet_ac1"
};

/** The trust statistic when none is chosen: quadratic-weighted kappa for a graded judge, else Cohen's kappa. */
export function defaultStatistic(input: Pick<AuditInput, "scale">): AgreementStatistic {
  return input.scale ? "weighted_kappa" : "cohen_kappa";
}

export function resolveStatistic(name: string): AgreementStatistic {
  const statistic = STATISTIC_ALIASES[name] ?? (AGREEMENT_STATISTICS as readonly string[]).find((s) => s === name);
  if (!statistic) {
    throw new Error(`unknown statistic "${name}": use one of ${[...Object.keys(STATISTIC_ALIASES), ...AGREEMENT_STATISTICS].join(", ")}`);
  }
  return statistic as AgreementStatistic;
}

export interface AuditOptions {
  statistic: AgreementStatistic;
  threshold: number;
  /** Bootstrap seed; fixed so the verdict is reproducible. */
  seed?: number;
  resamples?: number;
  confidence?: number;
}

/**
 * Default number of bootstrap resamples of an audit, for each of the 5 statistics overall, per order and per slice.
 * 1,000 is the usual minimum for percentile intervals (Efron & Tibshirani 1993, section 19.3); the Monte Carlo error
 * it leaves in a bound is well inside the borderline margin of trust.ts.
 */
export const AUDIT_RESAMPLES = 1000;

/** A point estimate with its bootstrap CI; null where the statistic is undefined (e.g. a constant rater). */
export interface Estimate {
  estimate: number | null;
  lower: number | null;
  upper: number | null;
}

export interface AgreementBlock {
  /** Items entering the block. */
  n_items: number;
  /** (judge verdict, reference label) pairs: n_items per order, twice that when pooled over two orders. */
  n_pairs: number;
  percent_agreement: Estimate;
  cohen_kappa: Estimate;
  /** Quadratic-weighted Cohen's kappa: graded judges only (null estimate otherwise). */
  weighted_kappa: Estimate;
  scott_pi: Estimate;
  krippendorff_alpha: Estimate;
  gwet_ac1: Estimate;
  /** counts[i][j] = pairs with judge label categories[i] and reference label categories[j]. */
  confusion: {categories: string[]; counts: number[][]};
  /** Share of pairs in each category, for the judge and for the reference. */
  base_rates: {judge: Record<string, number>; reference: Record<string, number>};
}

export interface PositionBias {
  /** Items judged in both orders. */
  n_items: number;
  /** Share of items whose two orders give the same verdict (NO_VERDICT never agrees). */
  positional_agreement: number | null;
  /** Share of verdicts (both orders, NO_VERDICT left out) for the output shown first; 0.5 = no preference. */
  first_position_preference: number | null;
  /** Share of verdicts (both orders, equal-length items and NO_VERDICT left out) for the longer output. */
  longer_share: number | null;
  /** Share of items (equal-length left out) whose reference label is the longer output. */
  reference_longer_share: number | null;
}

export interface SliceReport extends AgreementBlock {
  slice: string;
  orders?: Record<PairwiseOrder, AgreementBlock>;
  position?: PositionBias;
}

export interface AuditReport extends AgreementBlock {
  judge: string;
  reference_rater: string;
  mode: "pointwise" | "pairwise";
  /** A graded judge's scale (weighted kappa is given only then). */
  scale?: GradedScale;
  statistic: AgreementStatistic;
  threshold: number;
  margin: number;
  confidence: number;
  resamples: number;
  seed: number;
  /** trusted | borderline | untrusted, from the lower CI bound of `statistic` (pooled for pairwise judges). */
  verdict: AuditVerdict;
  lower_bound: number | null;
  orders?: Record<PairwiseOrder, AgreementBlock>;
  position?: PositionBias;
  slices: SliceReport[];
}

/** Per-item rows for the statistics: judge columns (one per order) then the reference, NO_VERDICT coded in. */
type Unit = Label[];

function judgeLabel(v: string | null | undefined): Label {
  if (v === undefined) return null;
  return v === null ? NO_VERDICT : v;
}

function orderedCategories(items: readonly AuditItem[], orders: readonly JudgeOrder[]): string[] {
  const reference = new Set(items.map((i) => i.reference));
  const judge = new Set<string>();
  for (const item of items) for (const o of orders) {
    const label = judgeLabel(item.verdicts[o]);
    if (label !== null) judge.add(String(label));
  }
  // Reference categories first, in sorted order, then categories only the judge used (NO_VERDICT last).
  const extra = [...judge].filter((c) => !reference.has(c)).sort((a, b) => (a === NO_VERDICT ? 1 : b === NO_VERDICT ? -1 : a.localeCompare(b)));
  return [...[...reference].sort(), ...extra];
}

/** A graded judge's categories: every point of its scale in order, then NO_VERDICT if a call gave none. */
function scaleCategories(items: readonly AuditItem[], orders: readonly JudgeOrder[], scale: GradedScale): string[] {
  const points = Array.from({length: scale.max - scale.min + 1}, (_, i) => String(scale.min + i));
  let noVerdict = false;
  for (const item of items) {
    if (!points.includes(item.reference)) throw new Error(`item ${item.item_id}: reference label ${JSON.stringify(item.reference)} is not a point of the judge's scale ${scale.min}..${scale.max}`);
    for (const o of orders) {
      const label = judgeLabel(item.verdicts[o]);
      if (label === NO_VERDICT) noVerdict = true;
      else if (label !== null && !points.includes(String(label))) throw new Error(`item ${item.item_id}: judge verdict ${JSON.stringify(label)} is not a point of the scale ${scale.min}..${scale.max}`);
    }
  }
  return noVerdict ? [...points, NO_VERDICT] : points;
}

/** Quadratic disagreement weights over the scale points, and the largest of them for NO_VERDICT (module comment). */
function gradedWeights(categories: readonly string[], scale: GradedScale): number[][] {
  const worst = (scale.max - scale.min) ** 2;
  return categories.map((a, i) => categories.map((b, j) => (i === j ? 0 : a === NO_VERDICT || b === NO_VERDICT ? worst : (i - j) ** 2)));
}

/**
 * Each statistic as a function of the (judge, reference) contingency table over `categories`: every (order, item)
 * pair is one complete pair, or for Krippendorff's alpha one coding unit of two coders, judge and reference.
 * Weighted kappa only for a graded judge.
 */
function tableStatistics(categories: readonly string[], scale: GradedScale | undefined): Record<string, (counts: number[][]) => number> {
  const weights = scale ? gradedWeights(categories, scale) : null;
  return {
    percent_agreement: percentAgreementFromTable,
    cohen_kappa: (counts) => cohenKappaFromTable(counts),
    ...(weights ? {weighted_kappa: (counts: number[][]) => cohenKappaFromTable(counts, weights)} : {}),
    scott_pi: scottPiFromTable,
    krippendorff_alpha: (counts) => krippendorffAlphaFromTable(counts, categories, weights ? {differences: weights} : {level: "nominal"}),
    gwet_ac1: gwetAC1FromTable
  };
}

const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

function agreementBlock(
  units: readonly Unit[],
  cols: readonly number[],
  categories: string[],
  scale: GradedScale | undefined,
  options: Required<Omit<AuditOptions, "statistic" | "threshold">>
): AgreementBlock {
  const index = new Map(categories.map((c, i) => [c, i]));
  const k = categories.length;
  // The table cells (judge label × reference label) of a unit's complete pairs, one per judge column.
  const cells = (u: readonly Label[]): number[] => {
    const reference = u[u.length - 1];
    if (reference === null) return [];
    return cols.filter((c) => u[c] !== null).map((c) => index.get(String(u[c]))! * k + index.get(String(reference))!);
  };
  const counts = categories.map(() => categories.map(() => 0));
  for (const u of units) for (const cell of cells(u)) counts[Math.floor(cell / k)][cell % k]++;
  const nPairs = counts.reduce((s, row) => s + row.reduce((t, x) => t + x, 0), 0);
  const rates = (margin: (i: number) => number) => Object.fromEntries(categories.map((c, i) => [c, nPairs ? margin(i) / nPairs : 0]));
  const usable = units.filter((u) => cols.some((c) => u[c] !== null));
  const none = {estimate: null, lower: null, upper: null};
  const intervals = usable.length === 0 ? null : contingencyBootstrapCIs(usable, k, cells, tableStatistics(categories, scale), {
    seed: options.seed,
    nResamples: options.resamples,
    confidenceLevel: options.confidence
  });
  const estimates = Object.fromEntries(
    AGREEMENT_STATISTICS.map((statistic) => {
      const ci = intervals?.[statistic];
      return [statistic, ci ? {estimate: finiteOrNull(ci.point), lower: finiteOrNull(ci.interval[0]), upper: finiteOrNull(ci.interval[1])} : none];
    })
  ) as Record<AgreementStatistic, Estimate>;
  return {
    n_items: usable.length,
    n_pairs: nPairs,
    ...estimates,
    confusion: {categories, counts},
    base_rates: {
      judge: rates((i) => counts[i].reduce((s, x) => s + x, 0)),
      reference: rates((j) => counts.reduce((s, row) => s + row[j], 0))
    }
  };
}

function share(hits: number, total: number): number | null {
  return total === 0 ? null : hits / total;
}

/** Position and length bias of a pairwise judge (definitions in the module comment). */
export function positionBias(items: readonly AuditItem[]): PositionBias {
  let both = 0, consistent = 0, verdicts = 0, first = 0, lengthVerdicts = 0, longer = 0, lengthItems = 0, referenceLonger = 0;
  for (const item of items) {
    const o = item.verdicts.original, s = item.verdicts.swapped;
    if (o !== undefined && s !== undefined) {
      both++;
      if (o !== null && o === s) consistent++;
    }
    const hasLonger = item.longer === "1" || item.longer === "2";
    if (hasLonger) {
      lengthItems++;
      if (item.reference === item.longer) referenceLonger++;
    }
    for (const order of PAIRWISE_ORDERS) {
      const v = item.verdicts[order];
      if (v === undefined || v === null) continue;
      verdicts++;
      if (v === FIRST_SHOWN[order]) first++;
      if (hasLonger) {
        lengthVerdicts++;
        if (v === item.longer) longer++;
      }
    }
  }
  return {
    n_items: both,
    positional_agreement: share(consistent, both),
    first_position_preference: share(first, verdicts),
    longer_share: share(longer, lengthVerdicts),
    reference_longer_share: share(referenceLonger, lengthItems)
  };
}

/** Runs the audit. Throws when there is nothing to compare (no item has both a reference label and a verdict). */
export function auditJudge(input: AuditInput, options: AuditOptions): AuditReport {
  const settings = {
    seed: options.seed ?? DEFAULT_SEED,
    resamples: options.resamples ?? AUDIT_RESAMPLES,
    confidence: options.confidence ?? 0.95
  };
  if (!Number.isFinite(options.threshold)) throw new Error(`threshold must be a number, got ${options.threshold}`);
  if (options.statistic === "weighted_kappa" && !input.scale) {
    throw new Error(`judge "${input.judge}" gives ${input.mode === "pairwise" ? "pairwise preferences" : "pass/fail verdicts"}, not scores on a scale: weighted kappa is for graded judges; use --statistic kappa`);
  }
  const orders: readonly JudgeOrder[] = input.mode === "pairwise" ? PAIRWISE_ORDERS : [SINGLE_ORDER];
  const items = input.items.filter((i) => orders.some((o) => i.verdicts[o] !== undefined));
  if (items.length === 0) {
    throw new Error(`judge "${input.judge}": no item has both a ${input.reference_rater} label and a judge verdict; ingest labels and scores first (benchlab ingest --labels FILE)`);
  }
  const categories = input.scale ? scaleCategories(items, orders, input.scale) : orderedCategories(items, orders);
  const toUnits = (subset: readonly AuditItem[]): Unit[] => subset.map((i) => [...orders.map((o) => judgeLabel(i.verdicts[o])), i.reference]);
  const pooledCols = orders.map((_, k) => k);

  const blocks = (subset: readonly AuditItem[]) => {
    const units = toUnits(subset);
    const pooled = agreementBlock(units, pooledCols, categories, input.scale, settings);
    if (input.mode !== "pairwise") return {pooled};
    return {
      pooled,
      orders: Object.fromEntries(PAIRWISE_ORDERS.map((o, k) => [o, agreementBlock(units, [k], categories, input.scale, settings)])) as Record<PairwiseOrder, AgreementBlock>,
      position: positionBias(subset)
    };
  };

  const overall = blocks(items);
  const sliceNames = [...new Set(items.map((i) => i.slice).filter((s): s is string => s !== null))].sort();
  const slices = sliceNames.map((slice) => {
    const b = blocks(items.filter((i) => i.slice === slice));
    return {slice, ...b.pooled, ...(b.orders ? {orders: b.orders, position: b.position} : {})};
  });
  const lower = overall.pooled[options.statistic].lower;
  return {
    judge: input.judge,
    reference_rater: input.reference_rater,
    mode: input.mode,
    ...(input.scale ? {scale: input.scale} : {}),
    statistic: options.statistic,
    threshold: options.threshold,
    margin: TRUST_MARGIN,
    ...settings,
    verdict: trustVerdict(lower, options.threshold),
    lower_bound: lower,
    ...overall.pooled,
    ...(overall.orders ? {orders: overall.orders, position: overall.position} : {}),
    slices
  };
}
