/**
 * `benchlab audit-judge [--db PATH] --judge NAME [--threshold T --statistic NAME] [--json]`: measures how well a
 * judge agrees with human (or gold) labels and records whether its scores may be trusted (issue 5). The statistics
 * and the verdict rule are in src/lib/judge/audit.ts and trust.ts; this file reads the warehouse, prints, and
 * stores the audit (judge_audits) and the judge's trust state (scores.trust).
 */
import type {Command} from "commander";
import {display} from "../../src/lib/format.ts";
import {AUDIT_RESAMPLES, auditJudge, defaultStatistic, resolveStatistic, type AgreementBlock, type AuditReport, type Estimate} from "../../src/lib/judge/audit.ts";
import {DEFAULT_SEED} from "../../src/lib/random.ts";
import {isTrusted} from "../../src/lib/judge/trust.ts";
import {loadAuditInput} from "../judge/audit-input.ts";
import {recordAudit} from "../judge/trust-store.ts";
import {terminalSafe} from "./print-rows.ts";
import {numberOption} from "./options.ts";
import {DEFAULT_DB, openWarehouse} from "../warehouse.ts";

/** Default threshold on the chosen statistic (kappa 0.8 = "almost perfect" in Landis & Koch 1977's bands). */
export const DEFAULT_THRESHOLD = 0.8;

export interface AuditJudgeOptions {
  db: string;
  judge: string;
  reference?: string;
  params?: string;
  threshold: number;
  /** Default: weighted kappa for a graded judge, else Cohen's kappa (defaultStatistic). */
  statistic?: string;
  seed: number;
  resamples: number;
  record: boolean;
}

/** Runs an audit against the warehouse and (unless record is false) stores it and marks the judge's scores. */
export async function runAudit(opts: AuditJudgeOptions): Promise<AuditReport> {
  const wh = await openWarehouse(opts.db, {existing: true});
  try {
    const loaded = await loadAuditInput(wh, {judge: opts.judge, reference: opts.reference, paramsHash: opts.params});
    const report = auditJudge(loaded.input, {
      statistic: opts.statistic ? resolveStatistic(opts.statistic) : defaultStatistic(loaded.input),
      threshold: opts.threshold,
      seed: opts.seed,
      resamples: opts.resamples
    });
    if (opts.record) await recordAudit(wh, report, loaded.paramsHashes, loaded.configHash);
    return report;
  } finally {
    wh.close();
  }
}

const fmt = (x: number | null, digits = 3) => (x === null ? display(null) : x.toFixed(digits));
const pct = (x: number | null) => (x === null ? display(null) : `${(100 * x).toFixed(1)}%`);
const est = (e: Estimate) => `${fmt(e.estimate)} [${fmt(e.lower)}, ${fmt(e.upper)}]`;

function blockLines(b: AgreementBlock, indent: string, graded: boolean): string[] {
  return [
    `${indent}percent agreement   ${est(b.percent_agreement)}`,
    `${indent}Cohen's kappa       ${est(b.cohen_kappa)}`,
    ...(graded ? [`${indent}weighted kappa      ${est(b.weighted_kappa)}  (quadratic)`] : []),
    `${indent}Scott's pi          ${est(b.scott_pi)}`,
    `${indent}Krippendorff alpha  ${est(b.krippendorff_alpha)}${graded ? "  (interval)" : ""}`,
    `${indent}Gwet's AC1          ${est(b.gwet_ac1)}`
  ];
}

/** The human-readable report (control characters in it written as \uXXXX). */
export function formatAudit(r: AuditReport): string {
  const lines: string[] = [];
  const head = r[r.statistic];
  const mode = r.scale ? `graded ${r.scale.min}..${r.scale.max}` : r.mode;
  lines.push(`judge ${r.judge} vs ${r.reference_rater} labels (${mode}${r.mode === "pairwise" ? ", pooled over both presentation orders" : ""})`);
  lines.push(`items ${r.n_items}, pairs ${r.n_pairs}; ${Math.round(r.confidence * 100)}% percentile bootstrap CIs, ${r.resamples} resamples of items, seed ${r.seed}`);
  lines.push("");
  lines.push(...blockLines(r, "  ", r.scale !== undefined));
  lines.push("");
  const cats = r.confusion.categories;
  lines.push(`confusion (rows judge, columns ${r.reference_rater}): ${cats.join(" | ")}`);
  r.confusion.counts.forEach((row, i) => lines.push(`  ${cats[i].padEnd(12)} ${row.map((n) => String(n).padStart(6)).join(" ")}`));
  lines.push(`base rates: judge ${cats.map((c) => `${c} ${pct(r.base_rates.judge[c])}`).join(", ")}; ${r.reference_rater} ${cats.map((c) => `${c} ${pct(r.base_rates.reference[c])}`).join(", ")}`);
  if (r.orders && r.position) {
    lines.push("");
    for (const [order, b] of Object.entries(r.orders)) {
      lines.push(`order ${order} (${order === "original" ? "output 1 shown first" : "output 2 shown first"}):`);
      lines.push(...blockLines(b, "  ", false));
    }
    const p = r.position;
    lines.push("");
    lines.push(`positional agreement ${pct(p.positional_agreement)} of ${p.n_items} items; first-position preference ${pct(p.first_position_preference)} (50% = none)`);
    lines.push(`picks the longer output ${pct(p.longer_share)}; ${r.reference_rater} is the longer output ${pct(p.reference_longer_share)}`);
  }
  if (r.slices.length) {
    lines.push("");
    lines.push(`per slice (n items; percent agreement; Cohen's kappa [CI]${r.mode === "pairwise" ? "; positional agreement; first-position" : ""}):`);
    for (const s of r.slices) {
      const extra = s.position ? `; ${pct(s.position.positional_agreement)}; ${pct(s.position.first_position_preference)}` : "";
      lines.push(`  ${s.slice.padEnd(24)} ${String(s.n_items).padStart(5)}  ${pct(s.percent_agreement.estimate).padStart(6)}  ${est(s.cohen_kappa)}${extra}`);
    }
  }
  lines.push("");
  lines.push(
    `verdict: ${r.verdict.toUpperCase()} (its scores are ${isTrusted(r.verdict) ? "" : "not "}trusted): lower CI bound of ${r.statistic} ${fmt(head.lower)} vs threshold ${r.threshold}` +
      ` (within ${r.margin} = borderline)`
  );
  // Judge names, slices and categories come from labels files: untrusted text, made safe for a terminal.
  return lines.map(terminalSafe).join("\n");
}

export function register(program: Command): void {
  program
    .command("audit-judge")
    .description("measure a judge's agreement with human or gold labels (with bootstrap CIs) and record whether its scores are trusted")
    .requiredOption("--judge <name>", "the judge: scorer name of its scores (e.g. GPT-4, or GPT-4/Vanilla for LLMBar)")
    .option("--db <path>", "warehouse file", DEFAULT_DB)
    .option("--reference <rater>", "rater whose labels are the reference (default: human, else the only rater)")
    .option("--params <hash>", "configuration (params hash prefix) when the judge has several")
    .option("--threshold <t>", "trusted only if the lower CI bound of the statistic reaches this", numberOption("--threshold", {min: -1, max: 1}), DEFAULT_THRESHOLD)
    .option("--statistic <name>", "kappa | weighted-kappa (graded judges) | pi | alpha | ac1 | agreement (or the full names); default: weighted-kappa for a graded judge, else kappa")
    .option("--seed <n>", "bootstrap seed", numberOption("--seed", {integer: true}), DEFAULT_SEED)
    .option("--resamples <n>", "bootstrap resamples", numberOption("--resamples", {integer: true, min: 1}), AUDIT_RESAMPLES)
    .option("--json", "print the report as JSON (overall statistics at the top level)")
    .option("--no-record", "do not store the audit or change the judge's trust state")
    .action(async (o: AuditJudgeOptions & {json?: boolean}) => {
      const report = await runAudit(o);
      console.log(o.json ? JSON.stringify(report, null, 2) : formatAudit(report));
    });
}
