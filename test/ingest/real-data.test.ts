/**
 * Real data: the bundled snapshots (snapshots/, with their SOURCE and licence notes) ingest with zero rejected rows,
 * row counts as in their manifests, and the published facts recomputed from the stored rows.
 */
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {ingestFile} from "../../data-loaders/ingest/index.ts";
import {PROJECT_ROOT} from "../../data-loaders/warehouse.ts";
import {useScratch} from "./helpers.ts";

const s = useScratch();
const snapshot = (id: string) => join(PROJECT_ROOT, "snapshots", id);
const manifestRows = (id: string, path: string) =>
  (JSON.parse(readFileSync(join(snapshot(id), "manifest.json"), "utf8")) as {files: {path: string; rows: number}[]}).files.find((f) => f.path === path)!.rows;

describe("ingest of the bundled snapshots", () => {
  it("SWE-bench Verified per-instance runs: 9,000 records, none rejected, 73 instances resolved by no run", async () => {
    const id = "2026-11-22-swebench-verified-mini-swe-agent";
    const summary = await ingestFile(s.wh, join(snapshot(id), "swebench-verified.records.jsonl.gz"), {snapshotId: id});
    expect(summary).toMatchObject({rowsOk: manifestRows(id, "swebench-verified.records.jsonl.gz"), rowsRejected: 0, rowsDuplicate: 0});
    expect(summary.rowsOk).toBe(9000);
    // ../shared/data/README_datasets.md: 73/500 instances resolved by no run, 1/500 by every run.
    const [row] = await s.rows(`SELECT count(*) FILTER (WHERE n = 0) AS none, count(*) FILTER (WHERE n = 18) AS every
      FROM (SELECT item_id, count(*) FILTER (WHERE passed) AS n FROM records_latest GROUP BY item_id)`);
    expect(row).toEqual({none: 73n, every: 1n});
    // Re-ingesting the snapshot adds nothing.
    const again = await ingestFile(s.wh, join(snapshot(id), "swebench-verified.records.jsonl.gz"), {snapshotId: id});
    expect(again).toMatchObject({rowsOk: 0, rowsDuplicate: 9000, rowsCorrected: 0, rowsRejected: 0});
  }, 60_000);

  it("tau-bench airline trials as a CSV long table mapped by flags: 140 records, pass^1 = 0.464 on the 35 tasks", async () => {
    const id = "2026-11-22-tau-bench-airline-trials";
    const summary = await ingestFile(s.wh, join(snapshot(id), "tau_bench_v1_gpt4o_airline_trials.csv.gz"), {
      runId: "tau-bench-v1-gpt-4o-airline",
      columns: {item_id: "task_id", harness: "agent_strategy", score: "reward", cost_usd: "user_cost", "slices.domain": "domain", "slices.user_model": "user_model", "slices.n_messages": "n_messages"}
    });
    expect(summary).toMatchObject({rowsOk: 140, rowsRejected: 0});
    const [row] = await s.rows("SELECT count(DISTINCT item_id) AS tasks, count(DISTINCT trial) AS trials, round(avg(score), 3) AS pass1 FROM records");
    expect(row).toEqual({tasks: 35n, trials: 4n, pass1: 0.464});
  });
});
