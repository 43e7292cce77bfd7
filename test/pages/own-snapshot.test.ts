/**
 * A user's own snapshot beside the bundled ones (`benchlab snapshot`, then the build's loader): real Inspect AI runs
 * of a benchmark the bundle does not have (test/fixtures/inspect-popularity: gpt-4o-mini scored on samples 1-3,
 * llama3.1 on sample 1, and an unscored gpt-4o-mini run). Pages must either use such data or say why they do not.
 */
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {createSnapshot} from "../../data-loaders/snapshots/create-snapshot.ts";
import {loadBundledSnapshots} from "../../data-loaders/snapshots/load-bundled.ts";
import {compareRuns} from "../../data-loaders/site/pages/compare.ts";
import {discriminationLeftOut} from "../../data-loaders/site/pages/discrimination.ts";
import {openWarehouse, PROJECT_ROOT, type Warehouse} from "../../data-loaders/warehouse.ts";

const FIXTURE = join(PROJECT_ROOT, "test", "fixtures", "inspect-popularity");
const dir = mkdtempSync(join(tmpdir(), "benchlab-own-snapshot-"));
let wh: Warehouse;
const objects = (t: {toArray(): {toJSON(): Record<string, unknown>}[]}) => t.toArray().map((r) => r.toJSON());

beforeAll(async () => {
  await createSnapshot(
    {
      slug: "inspect-popularity",
      date: "2026-11-23",
      title: "Inspect AI popularity runs",
      source: "https://github.com/UKGovernmentBEIS/inspect_ai",
      licence: "MIT",
      methodologyVersion: "1",
      sourceNote: join(FIXTURE, "SOURCE.md"),
      licenceNote: join(FIXTURE, "LICENSE"),
      files: [join(FIXTURE, "inspect-popularity.records.jsonl"), join(FIXTURE, "inspect-popularity.results.jsonl")]
    },
    {to: dir}
  );
  wh = await openWarehouse(":memory:");
  await loadBundledSnapshots(wh);
  await loadBundledSnapshots(wh, {snapshotsDir: dir});
}, 120_000);
afterAll(() => {
  wh?.close();
  rmSync(dir, {recursive: true, force: true});
});

describe("Compare models with a benchmark that has no matrix", () => {
  it("says of every scored run why it is not compared: no two runs share their items, so there are no compared runs", async () => {
    const runs = objects(await compareRuns(wh.connection)).filter((r) => r.benchmark === "inspect-popularity");
    expect(runs.map((r) => [r.base_model, r.items, r.excluded_reason])).toEqual([
      ["openai/gpt-4o-mini", 3, "no other run scored on the same items"],
      ["ollama/llama3.1", 1, "no other run scored on the same items"]
    ]);
  });
});

describe("Discrimination with a board of a benchmark the page has no primary metric for", () => {
  it("lists the board as left out of the ranking, saying why, instead of dropping it silently", async () => {
    const leftOut = objects(await discriminationLeftOut(wh.connection)).filter((r) => r.benchmark === "inspect-popularity");
    expect(leftOut).toEqual([
      {benchmark: "inspect-popularity", board: "inspect/popularity", snapshot_id: "2026-11-23-inspect-popularity", entries: 2, reason: expect.stringMatching(/no primary metric is set for inspect-popularity/)}
    ]);
  });
});
