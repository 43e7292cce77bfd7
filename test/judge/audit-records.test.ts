/**
 * Auditing a live judge on run records where several records share an item (two models answered the same questions):
 * each judged record is its own audit item, a label names the output it judged by its slice (the model), a label that
 * could belong to more than one judged record is refused, and a verdict on an output since corrected does not count.
 * The judge is llm-judge against a real HTTP server on 127.0.0.1 speaking the OpenAI chat-completions protocol (no
 * judge endpoint is reachable here; test/judge/fake-openai-server.ts). It passes an output containing "good".
 */
import {mkdtempSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {runAudit} from "../../data-loaders/commands/audit-judge.ts";
import {ingestFile} from "../../data-loaders/ingest/index.ts";
import {ingestLabels} from "../../data-loaders/judge/labels.ts";
import {setupJudgeRun} from "../../data-loaders/judge/setup.ts";
import {runScoring} from "../../data-loaders/scoring/run.ts";
import {openWarehouse} from "../../data-loaders/warehouse.ts";
import llmJudge from "../../scorers/llm-judge.ts";
import {dataOf, startFakeOpenAI, type FakeServer} from "./fake-openai-server.ts";

const ITEMS = ["q0", "q1", "q2", "q3", "q4", "q5"];
let server: FakeServer;
let dir: string;

beforeAll(async () => {
  server = await startFakeOpenAI((body) => ({content: JSON.stringify({reasoning: "checked", verdict: /good/.test(dataOf(body).output ?? "") ? "pass" : "fail"})}));
  dir = mkdtempSync(join(tmpdir(), "benchlab-audit-records-"));
});
afterAll(async () => {
  await server?.close();
});

const record = (model: string, item_id: string, output: string) => JSON.stringify({benchmark: "jb", item_id, model, run_id: model, output, target: "the answer"});

/** A warehouse with m1 (outputs "good") and m2 (outputs "bad") on the same six items, all judged. */
async function judgedWarehouse(name: string): Promise<string> {
  const db = join(dir, `${name}.duckdb`);
  const wh = await openWarehouse(db);
  try {
    const file = join(dir, `${name}.jsonl`);
    writeFileSync(file, ITEMS.flatMap((q) => [record("m1", q, `good ${q}`), record("m2", q, `bad ${q}`)]).join("\n") + "\n");
    await ingestFile(wh, file);
    await judge(wh);
  } finally {
    wh.close();
  }
  return db;
}

async function judge(wh: Awaited<ReturnType<typeof openWarehouse>>) {
  const run = setupJudgeRun(wh, {mode: "pointwise", rubric: "Is the output right?"}, {}, {BENCHLAB_JUDGE_BASE_URL: server.baseURL, BENCHLAB_JUDGE_MODEL: "fake-judge-1"}, false);
  return runScoring(wh, llmJudge, run.params, {services: run.services});
}

async function withLabels(db: string, name: string, rows: object[]) {
  const wh = await openWarehouse(db);
  try {
    const file = join(dir, `${name}-labels.jsonl`);
    writeFileSync(file, rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
    await ingestLabels(wh, file, {dataset: "jb"});
  } finally {
    wh.close();
  }
}

const audit = (db: string) => runAudit({db, judge: "llm-judge", threshold: 0.8, seed: 1, resamples: 100, record: false});

describe("audit of a judge on run records that share items", () => {
  it("refuses labels that name only the item when two models' outputs on it were judged", async () => {
    const db = await judgedWarehouse("item-labels");
    await withLabels(db, "item", ITEMS.map((item_id) => ({item_id, rater: "human", label: "1"})));
    await expect(audit(db)).rejects.toThrow(
      /judge "llm-judge": 6 human labels could each belong to more than one judged record \(jb item q0: 2 judged records; jb item q1: 2 judged records; jb item q2: 2 judged records; …\)\. A label names one output: give the labels file a slice column/
    );
  });

  it("matches a label to the record of the model its slice names: every judged record is one item", async () => {
    const db = await judgedWarehouse("model-labels");
    // m1's outputs are right, m2's are wrong: the judge agrees on all twelve.
    await withLabels(db, "model", ITEMS.flatMap((item_id) => [{item_id, rater: "human", label: "1", slice: "m1"}, {item_id, rater: "human", label: "0", slice: "m2"}]));
    const report = await audit(db);
    expect(report.n_items).toBe(12);
    expect(report.cohen_kappa.estimate).toBe(1);
    expect(report.slices.map((s) => [s.slice, s.n_items, s.percent_agreement.estimate])).toEqual([
      ["m1", 6, 1],
      ["m2", 6, 1]
    ]);
  });

  it("counts only verdicts on a record's latest version: a corrected output is audited once judged again", async () => {
    const db = await judgedWarehouse("corrected");
    await withLabels(db, "corrected", ITEMS.flatMap((item_id) => [{item_id, rater: "human", label: "1", slice: "m1"}, {item_id, rater: "human", label: "0", slice: "m2"}]));
    const wh = await openWarehouse(db);
    try {
      // m1's answer to q0 is corrected to a wrong one; the labels (m1 right on q0) now disagree with what is stored.
      const file = join(dir, "m1.jsonl");
      writeFileSync(file, `${record("m1", "q0", "bad q0, corrected")}\n`);
      expect(await ingestFile(wh, file)).toMatchObject({rowsCorrected: 1});
    } finally {
      wh.close();
    }
    // The verdict on the old output ("good") would agree with the label; it no longer counts.
    expect((await audit(db)).n_items).toBe(11);
    const wh2 = await openWarehouse(db);
    try {
      expect(await judge(wh2)).toMatchObject({scored: 1});
    } finally {
      wh2.close();
    }
    const report = await audit(db);
    expect(report.n_items).toBe(12);
    expect(report.percent_agreement.estimate).toBeCloseTo(11 / 12, 12);
  });
});
