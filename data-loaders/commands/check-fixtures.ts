/**
 * `benchlab check-fixtures FILE...`: evaluate golden reference fixtures (schema and checking rules in
 * test/fixtures/golden/README.md, "How a runner checks a case"). Every case is computed from its `input` and
 * `params` only, with the library in src/lib/stats; `expected` is read afterwards, for comparison alone.
 */
import {readFileSync} from "node:fs";
import type {Command} from "commander";
import * as stats from "../../src/lib/stats/index.ts";

type Json = unknown;
type Dict = Record<string, Json>;

/** What an evaluator produced: output values, and the reason when it refused (part of) the input. */
export interface Evaluation {
  values: Dict;
  refusal: string | null;
  /** Outputs that could not be computed for this input, with the reason (e.g. an interval metric on labels). */
  keyErrors?: Record<string, string>;
}

export interface CaseResult {
  name: string;
  statistic: string;
  passed: boolean;
  /** Keys compared, in order. */
  compared: string[];
  /** One line per mismatch or problem. */
  problems: string[];
}

type Evaluator = (input: Dict, params: Dict) => Evaluation;

/** Run `compute`; a thrown error becomes a refusal and the values computed so far are kept. */
function attempt(compute: () => void): string | null {
  try {
    compute();
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/**
 * Compute each output separately, so that one output that does not apply to this input (it throws) does not prevent
 * the others; the failed ones are left out with their reason.
 */
function computeEach(outputs: Record<string, () => Json>): Evaluation {
  const values: Dict = {}, keyErrors: Record<string, string> = {};
  for (const [key, compute] of Object.entries(outputs)) {
    try {
      values[key] = compute();
    } catch (err) {
      keyErrors[key] = err instanceof Error ? err.message : String(err);
    }
  }
  return {values, refusal: null, keyErrors};
}

/** The fixtures' tests are two-sided; refuse anything else rather than compute the wrong p-value. */
function requireTwoSided(params: Dict): void {
  if (params.alternative !== undefined && params.alternative !== "two-sided") throw new Error(`alternative "${String(params.alternative)}" is not supported; benchlab computes two-sided tests`);
}

const EVALUATORS: Record<string, Evaluator> = {
  pass_at_k(input, params) {
    const tasks = input.tasks as stats.TaskAttempts[];
    const k = params.k as number;
    const values: Dict = {
      per_task_pass_at_k: tasks.map((t) => stats.passAtK(t.n, t.c, k)),
      per_task_pass_hat_k: tasks.map((t) => stats.passHatK(t.n, t.c, k)),
      mean_pass_at_k: NaN,
      mean_pass_hat_k: NaN,
    };
    const refusal = attempt(() => {
      values.mean_pass_at_1 = stats.meanPassAtK(tasks, 1);
      values.mean_pass_at_k = stats.meanPassAtK(tasks, k);
      values.mean_pass_hat_k = stats.meanPassHatK(tasks, k);
    });
    return {values, refusal};
  },

  agreement_two_raters(input, params) {
    const a = input.rater_a as stats.Label[], b = input.rater_b as stats.Label[];
    const categories = params.categories as stats.Label[];
    const observedOnly = stats.resolveCategories([...a, ...b]);
    const units = stats.ratersToUnits(a, b);
    return computeEach({
      percent_agreement: () => stats.percentAgreement(a, b),
      cohen_kappa: () => stats.cohenKappa(a, b, {categories}),
      cohen_kappa_observed_labels_only: () => stats.cohenKappa(a, b, {categories: observedOnly}),
      cohen_kappa_linear: () => stats.cohenKappa(a, b, {categories, weights: "linear"}),
      cohen_kappa_linear_observed_labels_only: () => stats.cohenKappa(a, b, {categories: observedOnly, weights: "linear"}),
      cohen_kappa_quadratic: () => stats.cohenKappa(a, b, {categories, weights: "quadratic"}),
      cohen_kappa_quadratic_observed_labels_only: () => stats.cohenKappa(a, b, {categories: observedOnly, weights: "quadratic"}),
      scott_pi: () => stats.scottPi(a, b, {categories}),
      gwet_ac1: () => stats.gwetAC1(a, b, {categories}),
      ...krippendorffOutputs(units, categories),
    });
  },

  agreement_multi_rater(input, params) {
    const ratings = input.ratings as stats.Label[][];
    const categories = params.categories as stats.Label[];
    const percent = stats.percentAgreementRaters(ratings);
    const complete = stats.completeUnits(ratings).length;
    return computeEach({
      percent_agreement_pairwise: () => percent.pairwise,
      percent_all_raters_agree: () => percent.allAgree,
      fleiss_kappa_generalized: () => stats.fleissKappa(ratings, {categories}),
      fleiss_kappa_listwise_complete_units: () => stats.fleissKappa(ratings, {categories, missing: "listwise"}),
      n_complete_units: () => complete,
      // Classical Fleiss is defined for complete data only.
      fleiss_kappa: () => {
        if (complete !== ratings.length) throw new Error(`classical Fleiss' kappa needs complete data; ${ratings.length - complete} units have missing ratings`);
        return stats.fleissKappa(ratings, {categories, missing: "listwise"});
      },
      gwet_ac1: () => stats.gwetAC1Raters(ratings, {categories}),
      ...krippendorffOutputs(ratings, categories),
    });
  },

  proportion_ci(input, params) {
    const x = input.successes as number, n = input.n as number, confidenceLevel = params.confidence_level as number;
    const values: Dict = {point: n > 0 ? x / n : NaN};
    const methods: [string, stats.ProportionMethod][] = [
      ["wilson", "wilson"], ["wilson_cc", "wilson_cc"], ["clopper_pearson", "clopper_pearson"],
      ["agresti_coull", "agresti_coull"], ["jeffreys", "jeffreys"], ["normal_wald", "wald"],
    ];
    let refusal: string | null = null;
    for (const [key, method] of methods) {
      // A refused input has no interval: it is reported as [NaN, NaN] beside the refusal.
      const r = attempt(() => (values[key] = stats.proportionInterval(x, n, {method, confidenceLevel})));
      if (r !== null) {
        values[key] = [NaN, NaN];
        refusal = r;
      }
    }
    return {values, refusal};
  },

  mcnemar(input, params) {
    requireTwoSided(params);
    const counts = stats.pairedCounts(input.a as number[], input.b as number[]);
    const test = stats.mcnemarTest(counts.aOnly, counts.bOnly);
    return {
      values: {
        n_items: counts.nItems, both_correct: counts.bothCorrect, a_only: counts.aOnly, b_only: counts.bOnly,
        both_wrong: counts.bothWrong, discordant: counts.discordant,
        p_exact: test.pExact, p_mid: test.pMid, chi2_corrected: test.chi2Corrected, p_chi2_corrected: test.pChi2Corrected,
        chi2_uncorrected: test.chi2Uncorrected, p_chi2_uncorrected: test.pChi2Uncorrected,
        accuracy_a: (counts.bothCorrect + counts.aOnly) / counts.nItems, accuracy_b: (counts.bothCorrect + counts.bOnly) / counts.nItems,
      },
      refusal: null,
    };
  },

  paired_t_test(input, params) {
    requireTwoSided(params);
    const r = stats.pairedTTest(input.a as number[], input.b as number[], {confidenceLevel: params.confidence_level as number});
    return {values: {n: r.n, mean_diff: r.meanDiff, t: r.t, df: r.df, p_two_sided: r.pTwoSided, sd_diff: r.sdDiff, se_diff: r.seDiff, ci: r.ci}, refusal: null};
  },

  clustered_standard_error(input) {
    return clusteredSE(input.a as number[], input.cluster as string[]);
  },

  clustered_standard_error_paired(input) {
    const a = input.a as number[], b = input.b as number[];
    return clusteredSE(a.map((x, i) => x - b[i]), input.cluster as string[]);
  },

  bootstrap_ci_mean(input, params) {
    const x = input.x as number[];
    return bootstrapCase(x, params, () => stats.bootstrapMeanCI(x, bootstrapOptions(params)));
  },

  bootstrap_ci_paired_mean_difference(input, params) {
    const a = input.a as number[], b = input.b as number[];
    return bootstrapCase(a.map((ai, i) => ai - b[i]), params, () => stats.bootstrapPairedDifferenceCI(a, b, bootstrapOptions(params)));
  },

  cluster_bootstrap_ci_mean(input, params) {
    return clusterBootstrapCase(input.a as number[], input.cluster as string[], params);
  },

  cluster_bootstrap_ci_paired_mean_difference(input, params) {
    const a = input.a as number[], b = input.b as number[];
    return clusterBootstrapCase(a.map((ai, i) => ai - b[i]), input.cluster as string[], params);
  },

  signal_to_noise_ratio(input, params) {
    const finalScores = input.signal_scores as number[], checkpoints = input.noise_scores as number[];
    const r = stats.signalAndNoise(finalScores, checkpoints, {ddof: params.std_ddof as number});
    return {
      values: {
        dispersion_max_pairwise_abs_diff: r.dispersion, mean_signal_scores: r.meanFinal, signal_relative_dispersion: r.signal,
        noise_std_ddof0: stats.signalAndNoise(finalScores, checkpoints, {ddof: 0}).noiseStd, mean_noise_scores: r.meanCheckpoint,
        noise_relative_std: r.noise, snr: r.snr, noise_relative_std_ddof1_variant: stats.relativeStd(checkpoints, 1),
      },
      refusal: null,
    };
  },

  signal_to_noise_ratio_small_scale_variant(input, params) {
    const r = stats.smallScaleSignalAndNoise(input.scores_by_model_by_checkpoint as number[][], params.last_n as number);
    return {values: {snr: r.snr, signal_relative_dispersion: r.signal, noise_relative_std: r.noise}, refusal: null};
  },

  decision_accuracy(input) {
    const r = stats.decisionAccuracy(input.scores_small as number[], input.scores_target as number[]);
    return {values: {decision_accuracy: r.decisionAccuracy, n_pairs: r.nPairs}, refusal: null};
  },

  separable_pairs_mcnemar(input, params) {
    const r = stats.separablePairs(input.per_item_correct as Record<string, number[]>, {alpha: params.alpha as number});
    return {
      values: {
        n_models: r.nModels, n_pairs: r.nPairs, n_separable_raw: r.nSeparableRaw, fraction_separable_raw: r.fractionSeparableRaw,
        n_separable_holm: r.nSeparableHolm, fraction_separable_holm: r.fractionSeparableHolm, accuracies: r.accuracies,
        pairs: r.pairs.map((p) => ({
          pair: p.pair, a_only: p.aOnly, b_only: p.bOnly, p_mcnemar_exact: p.pMcnemarExact, p_holm: p.pHolm,
          separable_raw: p.separableRaw, separable_holm: p.separableHolm,
        })),
      },
      refusal: null,
    };
  },

  irt_2pl_mml(input) {
    const counts = input.response_pattern_counts as Record<string, number>;
    const patterns = Object.entries(counts).map(([key, count]) => ({responses: [...key].map(Number), count}));
    const fit = stats.fit2PL(patterns, {quadraturePoints: 21});
    return {values: {discrimination_a: fit.discrimination, difficulty_b: fit.difficulty, loglik: fit.logLikelihood}, refusal: fit.converged ? null : `EM did not converge in ${fit.iterations} iterations`};
  },

  rank_correlation(input) {
    const x = input.x as number[], y = input.y as number[];
    const k = stats.kendall(x, y);
    return {
      values: {spearman_rho: stats.spearman(x, y), kendall_tau_b: k.tauB, kendall_tau_a: k.tauA, n_concordant: k.concordant, n_discordant: k.discordant},
      refusal: null,
    };
  },
};

/** Krippendorff's alpha at every level; levels that need numbers are left out for label data. */
function krippendorffOutputs(units: stats.Label[][], categories: stats.Label[]): Record<string, () => Json> {
  return Object.fromEntries((["nominal", "ordinal", "interval", "ratio"] as const).map((level) => [
    `krippendorff_alpha_${level}`, () => stats.krippendorffAlpha(units, {level, categories}),
  ]));
}

/** Fixed seed for fixture checks: any seed must pass within the fixtures' Monte-Carlo tolerances. */
const FIXTURE_SEED = 12345;

function bootstrapOptions(params: Dict): stats.BootstrapOptions {
  return {confidenceLevel: params.confidence_level as number, nResamples: params.n_resamples as number, seed: FIXTURE_SEED};
}

/** A bootstrap case: point, percentile and BCa, plus the analytic intervals; refusal leaves the intervals NaN. */
function bootstrapCase(values: number[], params: Dict, bootstrap: () => stats.BootstrapCI): Evaluation {
  const values_: Dict = {point: values.reduce((s, v) => s + v, 0) / values.length, percentile: [NaN, NaN], bca: [NaN, NaN]};
  const refusal = attempt(() => {
    const ci = bootstrap();
    Object.assign(values_, {point: ci.point, percentile: ci.percentile, bca: ci.bca});
    const analytic = stats.analyticMeanIntervals(values, params.confidence_level as number);
    Object.assign(values_, {analytic_se: analytic.se, analytic_normal: analytic.normal, analytic_t: analytic.t});
  });
  return {values: values_, refusal};
}

function clusterBootstrapCase(values: number[], clusters: string[], params: Dict): Evaluation {
  const ci = stats.clusterBootstrapCI(values, clusters, bootstrapOptions(params));
  const se = stats.clusteredStandardError(values, clusters);
  return {
    values: {
      point: ci.point, percentile: ci.percentile, bca: ci.bca, n_clusters: se.nClusters,
      analytic_se_cluster_cr0: se.seCR0, analytic_se_cluster_cr1: se.seCR1,
      analytic_normal_cr1: stats.clusterNormalInterval(values, clusters, params.confidence_level as number),
    },
    refusal: null,
  };
}

function clusteredSE(values: number[], clusters: string[]): Evaluation {
  const r = stats.clusteredStandardError(values, clusters);
  return {
    values: {
      n: r.n, n_clusters: r.nClusters, mean: r.mean, se_iid: r.seIid, se_clustered_miller: r.seMiller,
      se_clustered_cr0: r.seCR0, se_clustered_cr1: r.seCR1, design_effect_cr1: r.designEffectCR1,
    },
    refusal: null,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Comparison rules (README "How a runner checks a case")

const NON_FINITE: Record<string, number> = {NaN: NaN, Infinity: Infinity, "-Infinity": -Infinity};

// bca_efron_strict_z0 is optional (README rule 6). benchlab reports it (BootstrapCI.bcaEfronStrict) but does not check
// it: the fixtures' Monte-Carlo tolerances were derived for the half-ties convention and are too tight for the
// strict one, which jumps a lattice step between seeds.
const INFORMATIONAL = new Set(["bca_diagnostics", "bca_efron_strict_z0", "cluster_sizes", "cluster_sums", "signal_scores_used", "fine_quadrature_101pts", "optimizer", "quadrature_points", "error"]);

function isInformational(key: string, value: Json): boolean {
  if (INFORMATIONAL.has(key) || key.startsWith("naive_biased_") || key.endsWith("_exact_fraction")) return true;
  return typeof value === "string" && !(value in NON_FINITE);
}

function asNumber(v: Json): number | null {
  if (typeof v === "number") return v;
  if (typeof v === "string" && v in NON_FINITE) return NON_FINITE[v];
  return null;
}

interface Tolerance {
  abs: number;
  rel: number;
  /** Per element (an interval's two endpoints), when the file gives one per endpoint. */
  perElement?: number[];
}

const EXACT: Tolerance = {abs: 0, rel: 0};

const INTEGER_KEYS = /^(n_.*|a_only|b_only|discordant|both_.*)$/;

function toleranceFor(key: string, tol: Dict): Tolerance {
  if ("point" in tol || "analytic" in tol || "percentile" in tol) {
    // bootstrap files
    if (key === "point") return {abs: tol.point as number, rel: 0};
    if (key.startsWith("analytic")) return {abs: tol.analytic as number, rel: 0};
    if (key === "percentile" || key === "bca") {
      const pair = tol[key] as number[] | null | undefined;
      return pair ? {abs: 0, rel: 0, perElement: pair} : EXACT;
    }
    return EXACT;
  }
  if (`${key}_abs` in tol) return {abs: tol[`${key}_abs`] as number, rel: 0};
  if (tol.counts === "exact" && INTEGER_KEYS.test(key)) return EXACT;
  if ("abs" in tol) return {abs: tol.abs as number, rel: (tol.rel as number | undefined) ?? 0};
  return EXACT;
}

function close(got: number, expected: number, tol: Tolerance, element: number): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(got);
  if (!Number.isFinite(expected)) return got === expected;
  const allowed = tol.perElement ? tol.perElement[element] : Math.max(tol.abs, tol.rel * Math.abs(expected));
  return Math.abs(got - expected) <= allowed;
}

function fmt(v: Json): string {
  return typeof v === "number" ? String(v) : JSON.stringify(v, (_, x) => (typeof x === "number" && !Number.isFinite(x) ? String(x) : x));
}

/** Compare one expected value with the computed one; returns a problem description or null. */
function compareValue(key: string, expected: Json, got: Json, tol: Tolerance): string | null {
  const e = asNumber(expected);
  if (e !== null) {
    return typeof got === "number" && close(got, e, tol, 0) ? null : `${key}: expected ${fmt(expected)}, got ${fmt(got)}`;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(got) || got.length !== expected.length) return `${key}: expected ${fmt(expected)}, got ${fmt(got)}`;
    const ok = expected.every((x, i) => {
      const ex = asNumber(x);
      return ex !== null && typeof got[i] === "number" && close(got[i], ex, tol, i);
    });
    return ok ? null : `${key}: expected ${fmt(expected)}, got ${fmt(got)}`;
  }
  if (expected && typeof expected === "object") {
    if (!got || typeof got !== "object") return `${key}: expected ${fmt(expected)}, got ${fmt(got)}`;
    for (const [k, v] of Object.entries(expected)) {
      const problem = compareValue(`${key}.${k}`, v, (got as Dict)[k], tol);
      if (problem) return problem;
    }
    return null;
  }
  return `${key}: cannot compare expected value ${fmt(expected)}`;
}

function isComparable(value: Json): boolean {
  if (asNumber(value) !== null) return true;
  if (Array.isArray(value)) return value.length > 0 && value.every((x) => asNumber(x) !== null || (x && typeof x === "object"));
  return !!value && typeof value === "object" && Object.values(value).every((x) => asNumber(x) !== null);
}

/** Check one case: compute it, then compare every comparable expected key. */
export function checkCase(c: Dict): CaseResult {
  const name = String(c.name), statistic = String(c.statistic);
  const result: CaseResult = {name, statistic, passed: false, compared: [], problems: []};
  const evaluate = EVALUATORS[statistic];
  if (!evaluate) {
    result.problems.push(`no evaluator for statistic "${statistic}"`);
    return result;
  }
  let evaluation: Evaluation;
  try {
    evaluation = evaluate(c.input as Dict, (c.params ?? {}) as Dict);
  } catch (err) {
    evaluation = {values: {}, refusal: err instanceof Error ? err.message : String(err)};
  }
  const expected = c.expected as Dict;
  const tol = (c.tolerance ?? {}) as Dict;
  const keyErrors = evaluation.keyErrors ?? {};
  const refused = evaluation.refusal !== null || Object.keys(keyErrors).some((k) => k in expected);
  if ("error" in expected && !refused) result.problems.push("error: the reference refuses this input, but the implementation did not");
  if (!("error" in expected) && evaluation.refusal !== null) result.problems.push(`refused unexpectedly: ${evaluation.refusal}`);
  for (const [key, value] of Object.entries(expected)) {
    if (isInformational(key, value) || !isComparable(value)) continue;
    result.compared.push(key);
    if (!(key in evaluation.values)) {
      result.problems.push(key in keyErrors ? `${key}: refused (${keyErrors[key]})` : `${key}: not computed`);
      continue;
    }
    const got = evaluation.values[key];
    if (key === "pairs") {
      result.problems.push(...comparePairs(value as Dict[], got as Dict[], tol));
      continue;
    }
    const problem = compareValue(key, value, got, toleranceFor(key, tol));
    if (problem) result.problems.push(problem);
  }
  if (result.compared.length === 0) result.problems.push("no key compared");
  result.passed = result.problems.length === 0;
  return result;
}

/** `pairs` (discrimination.json): objects matched by their `pair` field, compared field by field. */
function comparePairs(expected: Dict[], got: Dict[] | undefined, tol: Dict): string[] {
  if (!Array.isArray(got)) return ["pairs: not computed as a list"];
  const problems: string[] = [];
  for (const e of expected) {
    const match = got.find((g) => JSON.stringify(g.pair) === JSON.stringify(e.pair));
    if (!match) {
      problems.push(`pairs: no computed pair ${fmt(e.pair)}`);
      continue;
    }
    for (const [k, v] of Object.entries(e)) {
      if (typeof v === "boolean") {
        if (match[k] !== v) problems.push(`pairs[${fmt(e.pair)}].${k}: expected ${v}, got ${fmt(match[k])}`);
        continue;
      }
      if (k === "pair" || isInformational(k, v) || !isComparable(v)) continue;
      const problem = compareValue(`pairs[${fmt(e.pair)}].${k}`, v, match[k], toleranceFor(k, tol));
      if (problem) problems.push(problem);
    }
  }
  return problems;
}

/** Check every case of a fixture file. Throws with the file name when the file is not a fixture. */
export function checkFixtureFile(path: string): CaseResult[] {
  let parsed: Dict;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new Error(`${path}: cannot read a JSON fixture (${err instanceof Error ? err.message : String(err)})`);
  }
  if (!Array.isArray(parsed?.cases)) throw new Error(`${path}: field "cases" is missing or not a list; is this a golden fixture file (schema in test/fixtures/golden/README.md)?`);
  // A file that checks nothing must not read as a pass.
  if (parsed.cases.length === 0) throw new Error(`${path}: "cases" is empty, so nothing was checked; add cases (schema in test/fixtures/golden/README.md)`);
  return (parsed.cases as Dict[]).map(checkCase);
}

export function register(program: Command): void {
  program
    .command("check-fixtures")
    .description("compute every case of golden fixture files from input+params and compare with expected")
    .argument("<files...>", "fixture JSON files (e.g. test/fixtures/golden/*.json)")
    .action((files: string[]) => {
      let passed = 0, failed = 0;
      for (const file of files) {
        for (const r of checkFixtureFile(file)) {
          if (r.passed) passed++;
          else failed++;
          console.log(`${r.passed ? "PASS" : "FAIL"} ${file} ${r.name} [${r.statistic}] compared: ${r.compared.join(", ") || "(none)"}`);
          for (const p of r.problems) console.log(`     ${p}`);
        }
      }
      console.log(`${passed} passed, ${failed} failed`);
      if (failed > 0) process.exitCode = 1;
    });
}
