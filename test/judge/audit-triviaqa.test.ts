/**
 * The judge audit on the bundled "Judging the Judges" TriviaQA labels (arXiv 2406.12624; labels only, see
 * test/fixtures/judge/triviaqa/SOURCE.md): 2,395 answers labelled by both the judge and the consolidated human.
 * Golden figures from issue 5 (Cohen's kappa vs human, raw agreement, CI bounds at threshold 0.78).
 */
import {beforeAll, describe, expect, it} from "vitest";
import {benchlabInProcess} from "../cli.ts";
import {runAudit} from "../../data-loaders/commands/audit-judge.ts";
import {ingestLabels} from "../../data-loaders/judge/labels.ts";
import {loadAuditInput} from "../../data-loaders/judge/audit-input.ts";
import {openWarehouse, type Warehouse} from "../../data-loaders/warehouse.ts";
import {AUDIT_RESAMPLES, auditJudge} from "../../src/lib/judge/audit.ts";
import {DEFAULT_SEED} from "../../src/lib/random.ts";
import {mkdtempSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";

const FIXTURE = "test/fixtures/judge/triviaqa/judgments.csv.gz";
const db = join(mkdtempSync(join(tmpdir(), "judge-audit-")), "wh.duckdb");
let wh: Warehouse;

beforeAll(async () => {
  wh = await openWarehouse(db);
  const summary = await ingestLabels(wh, FIXTURE, {dataset: "triviaqa"});
  expect(summary).toMatchObject({layout: "labels", labels_added: 2400, scores_added: 26345, missing_skipped: 55});
  wh.close();
});

async function audit(judge: string, resamples: number) {
  const w = await openWarehouse(db);
  try {
    const {input} = await loadAuditInput(w, {judge});
    return auditJudge(input, {statistic: "cohen_kappa", threshold: 0.78, resamples});
  } finally {
    w.close();
  }
}

describe("TriviaQA judges vs the human label", () => {
  it.each([
    ["Llama3-70B", 0.826, 0.928],
    ["GPT-4", 0.772, 0.903],
    ["Contains", 0.688, 0.848],
    ["EM", 0.433, 0.691],
    ["Gemma-2B", 0.344, 0.747]
  ])("%s: Cohen's kappa %s, raw agreement %s on the 2,395 doubly labelled items", async (judge, kappa, agreement) => {
    const r = await audit(judge, 50);
    expect(r.n_items).toBe(2395);
    expect(r.reference_rater).toBe("human");
    expect(r.cohen_kappa.estimate).toBeCloseTo(kappa, 3);
    expect(r.percent_agreement.estimate).toBeCloseTo(agreement, 3);
  });

  it("a judge named with other case or punctuation is refused with the one likely meant; an unknown one lists them all", async () => {
    await expect(audit("gpt4", 50)).rejects.toThrow(/no scores of judge "gpt4" .*; did you mean --judge GPT-4\? Otherwise ingest recorded verdicts/);
    await expect(audit("llama", 50)).rejects.toThrow(/did you mean --judge Llama-13B or --judge Llama-70B or --judge Llama-7B or --judge Llama3-70B or --judge Llama3-8B\?/);
    await expect(audit("Claude", 50)).rejects.toThrow(
      /^no scores of judge "Claude" on items the warehouse can resolve; ingest recorded verdicts .* Judges with scores: GPT-4, Gemma-2B, JudgeLM, Llama-13B, Llama-70B, Llama-7B, Llama3-70B, Llama3-8B, Mistral-7B$/
    );
  });

  it("a judge can agree often and still be poorly aligned: Gemma-2B agrees on 74.7% with kappa 0.344", async () => {
    const r = await audit("Gemma-2B", 50);
    expect(r.percent_agreement.estimate! - r.cohen_kappa.estimate!).toBeGreaterThan(0.4);
    // Its base rate of "correct" is far above the human's, which is what chance correction removes.
    expect(r.base_rates.judge["1"]).toBeCloseTo(0.810, 3);
    expect(r.base_rates.reference["1"]).toBeCloseTo(0.685, 3);
  });

  it("per-slice agreement by exam-taker, confusion matrix and base rates add up", async () => {
    const r = await audit("Llama3-70B", 50);
    expect(r.slices.map((s) => s.slice)).toEqual(["gpt-4t", "llama2-13b-chat", "llama2-70b-chat", "llama2-7b-base", "llama2-7b-chat", "mistral-7B"]);
    expect(r.slices.reduce((s, x) => s + x.n_items, 0)).toBe(2395);
    expect(r.confusion.categories).toEqual(["0", "1"]);
    expect(r.confusion.counts).toEqual([[606, 23], [149, 1617]]);
    expect(r.base_rates.reference["1"]).toBeCloseTo((23 + 1617) / 2395, 12);
  });

  it("at threshold 0.78 on kappa, Llama3-70B is trusted and GPT-4 is not; scores are marked in the warehouse", async () => {
    // The CLI defaults: 1,000 resamples of items, seed DEFAULT_SEED.
    const llama = await runAudit({db, judge: "Llama3-70B", threshold: 0.78, statistic: "kappa", seed: DEFAULT_SEED, resamples: AUDIT_RESAMPLES, record: true});
    expect(llama.cohen_kappa.lower!).toBeCloseTo(0.80, 2);
    expect(llama.cohen_kappa.upper!).toBeCloseTo(0.85, 2);
    expect(llama.verdict).toBe("trusted");
    const gpt4 = await runAudit({db, judge: "GPT-4", threshold: 0.78, statistic: "kappa", seed: DEFAULT_SEED, resamples: AUDIT_RESAMPLES, record: true});
    expect(Math.abs(gpt4.cohen_kappa.lower! - 0.744)).toBeLessThan(0.004);
    expect(Math.abs(gpt4.cohen_kappa.upper! - 0.799)).toBeLessThan(0.004);
    expect(gpt4.verdict).toBe("untrusted");

    const w = await openWarehouse(db);
    try {
      const trust = (await w.connection.runAndReadAll(
        `SELECT scorer, list(DISTINCT trust ORDER BY trust) FROM scores WHERE scorer IN ('Llama3-70B', 'GPT-4', 'Gemma-2B', 'EM') GROUP BY scorer ORDER BY scorer`
      )).getRowsJS();
      // EM is a lexical (deterministic) scorer: trust does not apply.
      expect(trust).toEqual([["EM", [null]], ["GPT-4", ["untrusted"]], ["Gemma-2B", ["unaudited"]], ["Llama3-70B", ["trusted"]]]);
      const audits = (await w.connection.runAndReadAll(`SELECT judge, verdict, n_items::INT FROM judge_audits ORDER BY judge`)).getRowsJS();
      expect(audits).toEqual([["GPT-4", "untrusted", 2395], ["Llama3-70B", "trusted", 2395]]);
    } finally {
      w.close();
    }
  }, 300_000);

  it("the verdict is reproducible: the same seed gives the same interval", async () => {
    const a = await audit("Contains", 300);
    const b = await audit("Contains", 300);
    expect(a.cohen_kappa).toEqual(b.cohen_kappa);
    expect(a.seed).toBe(b.seed);
  });

  it("benchlab audit-judge --json prints the overall statistics at the top level", async () => {
    const report = JSON.parse(await benchlabInProcess(["audit-judge", "--db", db, "--judge", "EM", "--json", "--resamples", "50", "--no-record"]));
    expect(report.judge).toBe("EM");
    expect(report.cohen_kappa.estimate).toBeCloseTo(0.433, 3);
    expect(Object.keys(report)).toEqual(expect.arrayContaining(["percent_agreement", "scott_pi", "krippendorff_alpha", "gwet_ac1", "confusion", "base_rates", "slices", "verdict"]));
    expect(report.verdict).toBe("untrusted");
  });

  it("the page path (audit input shipped as JSON, then the pure audit) gives the CLI's numbers exactly", async () => {
    const w = await openWarehouse(db);
    let input;
    try {
      input = JSON.parse(JSON.stringify((await loadAuditInput(w, {judge: "GPT-4"})).input));
    } finally {
      w.close();
    }
    const page = auditJudge(input, {statistic: "cohen_kappa", threshold: 0.78, resamples: 50});
    const cli = await runAudit({db, judge: "GPT-4", threshold: 0.78, statistic: "kappa", seed: DEFAULT_SEED, resamples: 50, record: false});
    expect(page.cohen_kappa).toEqual(cli.cohen_kappa);
    expect(page.slices).toEqual(cli.slices);
  });
});
