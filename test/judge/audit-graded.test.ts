/**
 * Auditing a graded judge (scores on an integer scale) end to end: run records ingested, the llm-judge scorer in
 * graded mode against a real HTTP server on 127.0.0.1 that speaks the OpenAI chat-completions protocol (no judge
 * endpoint is reachable here; test/judge/fake-openai-server.ts), human scores ingested as labels, then
 * `benchlab audit-judge`'s own function. No bundled data set has graded human labels, so the scores are made up
 * here and the expected statistics are worked out by hand below.
 */
import {mkdtempSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {formatAudit, runAudit} from "../../data-loaders/commands/audit-judge.ts";
import {ingestLabels} from "../../data-loaders/judge/labels.ts";
import {setupJudgeRun} from "../../data-loaders/judge/setup.ts";
import {AUDIT_CACHE_ENV, AUDIT_RESAMPLES_ENV, judgeAuditRows} from "../../data-loaders/site/pages/judge-audit.ts";
import {runScoring} from "../../data-loaders/scoring/run.ts";
import {openWarehouse} from "../../data-loaders/warehouse.ts";
import llmJudge from "../../scorers/llm-judge.ts";
import {auditJudge, NO_VERDICT, type AuditInput} from "../../src/lib/judge/audit.ts";
import {DEFAULT_SEED} from "../../src/lib/random.ts";
import {insertRecords} from "../scorers/records.ts";
import {dataOf, startFakeOpenAI, type FakeServer} from "./fake-openai-server.ts";

/** item -> [human score, judge score]; q6's judge never gives a usable verdict. */
const SCORES: Record<string, [number, number | null]> = {q1: [5, 5], q2: [4, 5], q3: [2, 2], q4: [1, 2], q5: [3, 3], q6: [5, null]};

let server: FakeServer;
let db: string;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "benchlab-graded-"));
  db = join(dir, "wh.duckdb");
  server = await startFakeOpenAI((body) => {
    const item = /^answer to (q\d)$/.exec(dataOf(body).output ?? "")![1];
    const score = SCORES[item][1];
    return {content: score === null ? "Somewhere between good and great." : JSON.stringify({reasoning: "compared with the reference", score})};
  });
  const wh = await openWarehouse(db);
  try {
    await insertRecords(wh, Object.keys(SCORES).map((q) => ({benchmark: "essays", item_id: q, model: "m1", run_id: "r1", output: `answer to ${q}`, target: "a model answer"})));
    const run = setupJudgeRun(wh, {mode: "graded", rubric: "How well does the output answer? 1 = not at all, 5 = fully."}, {}, {BENCHLAB_JUDGE_BASE_URL: server.baseURL, BENCHLAB_JUDGE_MODEL: "fake-judge-1"}, false);
    const summary = await runScoring(wh, llmJudge, run.params, {services: run.services});
    expect(summary).toMatchObject({scored: 6, errors: 1});
    const labels = join(dir, "essays.jsonl");
    writeFileSync(labels, Object.entries(SCORES).map(([item_id, [human]]) => JSON.stringify({item_id, rater: "human", label: String(human)})).join("\n") + "\n");
    await ingestLabels(wh, labels, {dataset: "essays"});
  } finally {
    wh.close();
  }
});
afterAll(async () => {
  await server?.close();
});

const audit = (statistic?: string) => runAudit({db, judge: "llm-judge", threshold: 0.8, statistic, seed: DEFAULT_SEED, resamples: 200, record: false});

describe("audit of a graded judge", () => {
  it("gives quadratic-weighted kappa over the whole scale, a failed call at the largest weight, and trusts on it by default", async () => {
    const report = await audit();
    expect(report.scale).toEqual({min: 1, max: 5});
    expect(report.statistic).toBe("weighted_kappa");
    // Rows judge, columns human, over 1..5 and "no verdict" (every scale point, used or not).
    expect(report.confusion.categories).toEqual(["1", "2", "3", "4", "5", NO_VERDICT]);
    expect(report.confusion.counts).toEqual([
      [0, 0, 0, 0, 0, 0],
      [1, 1, 0, 0, 0, 0],
      [0, 0, 1, 0, 0, 0],
      [0, 0, 0, 0, 0, 0],
      [0, 0, 0, 1, 1, 0],
      [0, 0, 0, 0, 1, 0]
    ]);
    // By hand, six pairs. Observed: (2,1) and (5,4) weigh 1 each, (no verdict, 5) weighs (5 - 1)^2 = 16: sum w O = 18/6 = 3.
    // Expected, judge margins 1/3 (2), 1/6 (3), 1/3 (5), 1/6 (none); human margins 1/6 each for 1..4, 1/3 for 5:
    // sum w E = 109/18, so weighted kappa = 1 - 3 / (109/18) = 55/109.
    expect(report.weighted_kappa.estimate).toBeCloseTo(55 / 109, 12);
    // Nominal kappa: p_o = 3/6, p_e = 1/3*1/6 + 1/6*1/6 + 1/3*1/3 = 7/36, kappa = (1/2 - 7/36) / (1 - 7/36) = 11/29.
    expect(report.cohen_kappa.estimate).toBeCloseTo(11 / 29, 12);
    // Krippendorff's alpha with the same differences (interval metric, no verdict at 16). Values of the 12 coded
    // ratings: n_c = 1, 3, 2, 1, 4 for 1..5 and 1 for no verdict. Σ o δ² = 2·1 (2,1) + 2·1 (5,4) + 2·16 (none,5) = 36;
    // Σ n_c n_k δ² over ordered c ≠ k = 2 (3 + 8 + 9 + 64 + 6 + 12 + 108 + 2 + 32 + 4 + 1·11·16) = 848;
    // alpha = 1 − 11 · 36 / 848 = 113/212.
    expect(report.krippendorff_alpha.estimate).toBeCloseTo(113 / 212, 12);
    expect(report.lower_bound).toBe(report.weighted_kappa.lower);
    expect(report.weighted_kappa.lower!).toBeLessThan(report.weighted_kappa.estimate!);
    expect(report.verdict).toBe("untrusted");
    const text = formatAudit(report);
    expect(text).toContain("(graded 1..5)");
    expect(text).toMatch(/weighted kappa +0\.505 \[/);
    expect(text).toMatch(/Krippendorff alpha +0\.533 \[.*\(interval\)/);
    expect(text).toContain("lower CI bound of weighted_kappa");
    // Slice names come from the data (here the model): a terminal escape in one is printed as text, not run.
    expect(report.slices.map((sl) => sl.slice)).toEqual(["m1"]);
    const hostile = formatAudit({...report, slices: report.slices.map((sl) => ({...sl, slice: "m1\u001b[2J"}))});
    expect(hostile).toContain("  m1\\u001b[2J ");
    expect(hostile).not.toContain("\u001b");
  });

  it("is judged on the judge-audit page by the CLI's default statistic, weighted kappa", async () => {
    const wh = await openWarehouse(db);
    try {
      const rows = await judgeAuditRows(wh, {env: {[AUDIT_RESAMPLES_ENV]: "50", [AUDIT_CACHE_ENV]: "off"}});
      // The items are run records (not items known only from the labels file), sliced by model.
      expect(rows.map((r) => [r.judge, r.scope, r.slice, r.default_statistic])).toEqual([
        ["llm-judge", "overall", null, "weighted_kappa"],
        ["llm-judge", "slice", "m1", "weighted_kappa"]
      ]);
      expect(rows[0].weighted_kappa).toBeCloseTo(55 / 109, 12);
    } finally {
      wh.close();
    }
  });

  it("still audits a graded judge on nominal kappa when asked", async () => {
    const report = await audit("kappa");
    expect(report.statistic).toBe("cohen_kappa");
    expect(report.lower_bound).toBe(report.cohen_kappa.lower);
  });
});

describe("weighted kappa needs a scale", () => {
  it("refuses it for a pass/fail judge, saying which statistic to use", async () => {
    const dir = mkdtempSync(join(tmpdir(), "benchlab-passfail-"));
    const path = join(dir, "wh.duckdb");
    const wh = await openWarehouse(path);
    const labels = join(dir, "triviaqa.jsonl");
    writeFileSync(labels, ["a", "b", "c"].flatMap((item_id, i) => [{item_id, rater: "human", label: String(i % 2)}, {item_id, rater: "judge-x", rater_type: "llm", label: "1"}]).map((r) => JSON.stringify(r)).join("\n") + "\n");
    await ingestLabels(wh, labels, {dataset: "triviaqa"});
    wh.close();
    await expect(runAudit({db: path, judge: "judge-x", threshold: 0.8, statistic: "weighted-kappa", seed: 1, resamples: 50, record: false})).rejects.toThrow(
      /gives pass\/fail verdicts, not scores on a scale: weighted kappa is for graded judges; use --statistic kappa/
    );
    expect((await runAudit({db: path, judge: "judge-x", threshold: 0.8, seed: 1, resamples: 50, record: false})).statistic).toBe("cohen_kappa");
  });
});

describe("the scale of a graded audit", () => {
  const input = (reference: string): AuditInput => ({
    judge: "j",
    reference_rater: "human",
    mode: "pointwise",
    scale: {min: 0, max: 10},
    items: [{item_id: "a", slice: null, reference, verdicts: {single: "9"}}, {item_id: "b", slice: null, reference: "2", verdicts: {single: "2"}}]
  });

  it("orders its points as numbers (10 after 9), and names an item whose label is off the scale", () => {
    const report = auditJudge(input("10"), {statistic: "weighted_kappa", threshold: 0.5, resamples: 20});
    expect(report.confusion.categories).toEqual(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"]);
    expect(() => auditJudge(input("11"), {statistic: "weighted_kappa", threshold: 0.5, resamples: 20})).toThrow(/item a: reference label "11" is not a point of the judge's scale 0\.\.10/);
  });
});
