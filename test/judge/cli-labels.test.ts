/** `benchlab ingest --labels FILE` then `benchlab audit-judge`, through the real command line, on the bundled LLMBar files. */
import {createHash} from "node:crypto";
import {copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {gunzipSync} from "node:zlib";
import {expect, it} from "vitest";
import {benchlabInProcess as cli} from "../cli.ts";
import {openWarehouse} from "../../data-loaders/warehouse.ts";

it("ingest --labels loads gold, lengths and both-order verdicts; audit-judge prints the pairwise audit and --json the same numbers", async () => {
  const db = join(mkdtempSync(join(tmpdir(), "judge-cli-")), "wh.duckdb");
  const ingested = await cli(["ingest", "--db", db, "--dataset", "llmbar", "--labels", "test/fixtures/judge/llmbar/items.csv.gz", "--labels", "test/fixtures/judge/llmbar/judgments.csv.gz"]);
  expect(ingested).toMatch(/items\.csv\.gz: pairwise-items layout, dataset "llmbar", 326 rows: 326 labels added/);
  expect(ingested).toMatch(/judgments\.csv\.gz: pairwise-verdicts layout, dataset "llmbar", 21190 rows: 0 labels added \(21190 already there\), 42380 judge scores added/);
  // One item row each: the verdicts file repeats the items without their longer output, which adds nothing.
  const items = await openWarehouse(db, {existing: true});
  const counted = (await items.connection.runAndReadAll("SELECT count(*)::INTEGER, count(DISTINCT item_id)::INTEGER, count(longer_output)::INTEGER FROM label_items")).getRows();
  items.close();
  // (One item's outputs are equally long: no longer output.)
  expect(counted).toEqual([[326, 326, 325]]);

  const text = await cli(["audit-judge", "--db", db, "--judge", "GPT-4/Vanilla", "--resamples", "100", "--no-record"]);
  expect(text).toMatch(/^judge GPT-4\/Vanilla vs gold labels \(pairwise, pooled over both presentation orders\)/);
  expect(text).toMatch(/positional agreement 94\.2% of 326 items; first-position preference 50\.8%/);
  expect(text).toMatch(/Natural +100 +95\.5%/);
  expect(text).toMatch(/verdict: UNTRUSTED \(its scores are not trusted\): lower CI bound of /);

  const report = JSON.parse(await cli(["audit-judge", "--db", db, "--judge", "GPT-4/Vanilla", "--resamples", "100", "--no-record", "--json", "--statistic", "ac1", "--threshold", "0.6"]));
  expect(report.statistic).toBe("gwet_ac1");
  expect(report.percent_agreement.estimate).toBeCloseTo((0.955 * 100 + 0.787 * 134 + 0.864 * 92) / 326, 2);
  expect(report.orders.original.n_pairs).toBe(326);
  expect(report.position.positional_agreement).toBeCloseTo(0.942, 3);
  expect(report.gwet_ac1.lower).toBeGreaterThan(0.62);
  expect(report.verdict).toBe("trusted");
}, 300_000);

it("ingest --labels knows gzip by its bytes, not its name (as run-record ingest does)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "judge-cli-"));
  const gzipNamedCsv = join(dir, "items.csv");
  copyFileSync("test/fixtures/judge/llmbar/items.csv.gz", gzipNamedCsv);
  const plainNamedGz = join(dir, "items-plain.csv.gz");
  writeFileSync(plainNamedGz, gunzipSync(readFileSync("test/fixtures/judge/llmbar/items.csv.gz")));
  const out = await cli(["ingest", "--db", join(dir, "wh.duckdb"), "--dataset", "llmbar", "--labels", gzipNamedCsv, "--labels", plainNamedGz]);
  expect(out).toMatch(/items\.csv: pairwise-items layout, dataset "llmbar", 326 rows: 326 labels added/);
  expect(out).toMatch(/items-plain\.csv\.gz: pairwise-items layout, dataset "llmbar", 326 rows: 0 labels added \(326 already there\)/);
  // Each batch records the sha256 of the file as stored (compressed or not), as run-record batches and manifests do.
  const wh = await openWarehouse(join(dir, "wh.duckdb"), {existing: true});
  try {
    const batches = (await wh.connection.runAndReadAll("SELECT file, file_sha256 FROM ingest_batches ORDER BY file")).getRowObjects();
    expect(batches).toEqual([gzipNamedCsv, plainNamedGz].sort().map((file) => ({file, file_sha256: createHash("sha256").update(readFileSync(file)).digest("hex")})));
  } finally {
    wh.close();
  }
});

it("ingest --labels names a missing file, a folder and cut-short gzip data, and says what to do", async () => {
  const dir = mkdtempSync(join(tmpdir(), "judge-cli-"));
  const db = join(dir, "wh.duckdb");
  await expect(cli(["ingest", "--db", db, "--labels", join(dir, "none.csv")])).rejects.toThrow(`${join(dir, "none.csv")}: no such file`);
  await expect(cli(["ingest", "--db", db, "--labels", dir])).rejects.toThrow(`${dir}: a folder, not a file; give the files in it`);
  const cut = join(dir, "items.csv.gz");
  writeFileSync(cut, readFileSync("test/fixtures/judge/llmbar/items.csv.gz").subarray(0, 200));
  await expect(cli(["ingest", "--db", db, "--labels", cut])).rejects.toThrow(`${cut}: the gzip data is corrupt or cut short (unexpected end of file); copy the file again`);
});

it("audit-judge and score refuse a warehouse that is not there, and leave no file behind", async () => {
  const db = join(mkdtempSync(join(tmpdir(), "judge-cli-")), "typo.duckdb");
  const refusal = `${db}: no warehouse there; give the --db of an existing one, or ingest run records first (benchlab ingest --db ${db} FILE)`;
  await expect(cli(["audit-judge", "--db", db, "--judge", "GPT-4/Vanilla"])).rejects.toThrow(refusal);
  await expect(cli(["score", "--db", db, "--scorer", "exact-match"])).rejects.toThrow(refusal);
  expect(existsSync(db)).toBe(false);
});

it("numeric flags refuse empty text (an unset shell variable, which Number() reads as 0) and values out of range", async () => {
  const db = join(mkdtempSync(join(tmpdir(), "judge-cli-")), "none.duckdb");
  // A threshold of 0 would have marked a judge with kappa 0.3 trusted.
  await expect(cli(["audit-judge", "--db", db, "--judge", "j", "--threshold", ""])).rejects.toThrow('--threshold "": give a number from -1 to 1');
  await expect(cli(["audit-judge", "--db", db, "--judge", "j", "--threshold", "2"])).rejects.toThrow('--threshold "2": give a number from -1 to 1');
  await expect(cli(["audit-judge", "--db", db, "--judge", "j", "--resamples", "0"])).rejects.toThrow('--resamples "0": give a whole number of at least 1');
  await expect(cli(["score", "--db", db, "--scorer", "llm-judge", "--max-cost", " "])).rejects.toThrow('--max-cost " ": give a number of at least 0');
  await expect(cli(["score", "--db", db, "--scorer", "llm-judge", "--max-tokens", "1.5"])).rejects.toThrow('--max-tokens "1.5": give a whole number of at least 1');
  await expect(cli(["sql", "--db", db, "--limit", "0", "SELECT 1"])).rejects.toThrow('--limit "0": give a whole number of at least 1');
  expect(existsSync(db)).toBe(false);
});

it("ingest refuses run-record options with only --labels files, and --dataset without them, before opening the warehouse", async () => {
  const db = join(mkdtempSync(join(tmpdir(), "judge-cli-")), "none.duckdb");
  await expect(cli(["ingest", "--db", db, "--labels", "labels.csv", "--strict", "--run-id", "z", "--set", "benchmark=q"])).rejects.toThrow(
    "--run-id, --strict, --set apply to run-record files, and none is given; --labels files take --dataset and --snapshot"
  );
  await expect(cli(["ingest", "--db", db, "runs.jsonl", "--dataset", "d"])).rejects.toThrow("--dataset names the dataset of --labels files, and none is given");
  expect(existsSync(db)).toBe(false);
});
