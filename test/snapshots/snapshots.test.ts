/**
 * The bundled snapshots: manifests match their files, and loading them into a fresh warehouse gives the row
 * counts of the upstream SOURCE.md inventories with nothing rejected and gaps kept as nulls.
 */
import {parse as parseCsv} from "csv-parse/sync";
import {createHash} from "node:crypto";
import {cpSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {gzipSync} from "node:zlib";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {readGzipText, readManifest, verifySnapshot} from "../../data-loaders/snapshots/manifest.ts";
import {BENCHMARKS_FILE, listSnapshotDirs, loadBundledSnapshots, type LoadSummary, readBenchmarks, SNAPSHOTS_DIR} from "../../data-loaders/snapshots/load-bundled.ts";
import {openWarehouse, type Warehouse} from "../../data-loaders/warehouse.ts";

const SWE_VERIFIED = "2026-11-22-swebench-verified-mini-swe-agent";
const SWE_HISTORY = "2026-11-22-swebench-leaderboard-history";
const TAU = "2026-11-22-tau-bench-airline-trials";
const TAU2 = "2026-11-22-tau2-bench-per-task";
const CLAUDE_37 = "20250720_mini-v0.0.0-claude-3-7-sonnet-20250219";

async function rows(wh: Warehouse, sql: string, params: (string | number)[] = []): Promise<Record<string, unknown>[]> {
  return (await wh.connection.runAndReadAll(sql, params as never)).getRowObjectsJS() as Record<string, unknown>[];
}
const count = async (wh: Warehouse, sql: string, params: (string | number)[] = []) => Number((await rows(wh, sql, params))[0].n);

describe("bundled snapshot files", () => {
  const dirs = listSnapshotDirs(SNAPSHOTS_DIR);

  it("has the ten bundled sources", () => {
    expect(dirs).toEqual([
      "2026-11-22-aider-leaderboards",
      "2026-11-22-codesota-registry",
      "2026-11-22-llmbar-judges",
      SWE_HISTORY,
      SWE_VERIFIED,
      TAU,
      "2026-11-22-tau2-bench-leaderboard",
      "2026-11-22-tau2-bench-native-log",
      TAU2,
      "2026-11-22-triviaqa-judges-human"
    ]);
  });

  it.each(dirs)("%s: manifest validates and every file matches its sha256 and row count", (name) => {
    const manifest = verifySnapshot(join(SNAPSHOTS_DIR, name), name);
    expect(manifest.files.length).toBeGreaterThan(0);
    for (const f of manifest.files) expect(statSync(join(SNAPSHOTS_DIR, name, f.path)).size).toBeLessThan(8 * 1024 * 1024);
  });

  it("keeps the repository light (all snapshot files together well under 20 MB)", () => {
    let total = 0;
    for (const name of dirs) {
      for (const f of readManifest(join(SNAPSHOTS_DIR, name)).files) total += statSync(join(SNAPSHOTS_DIR, name, f.path)).size;
    }
    expect(total).toBeLessThan(10 * 1024 * 1024);
  });

  it("row counts equal the upstream SOURCE.md inventories", () => {
    const rowsOf = (name: string) => Object.fromEntries(readManifest(join(SNAPSHOTS_DIR, name)).files.map((f) => [f.path, f.rows]));
    expect(rowsOf(SWE_VERIFIED)).toMatchObject({"swebench-verified.records.jsonl.gz": 9000, "instances.csv.gz": 500, "runs.results.jsonl.gz": 36});
    expect(rowsOf(SWE_HISTORY)).toMatchObject({"leaderboard-history.results.jsonl.gz": 12881, "model_release_dates.csv.gz": 122, "source-snapshots.jsonl.gz": 96});
    expect(rowsOf(TAU)).toMatchObject({"tau-bench-airline.records.jsonl.gz": 140});
    expect(rowsOf("2026-11-22-triviaqa-judges-human")).toEqual({"judgments.csv.gz": 28800});
    expect(rowsOf("2026-11-22-llmbar-judges")).toMatchObject({"items.csv.gz": 326, "judgments.csv.gz": 21190});
    expect(rowsOf("2026-11-22-codesota-registry")).toMatchObject({"datasets.json.gz": 782, "models.json.gz": 2441});
    expect(rowsOf("2026-11-22-aider-leaderboards")).toMatchObject({"aider.results.jsonl.gz": 261 * 4});
    expect(rowsOf("2026-11-22-tau2-bench-leaderboard")).toMatchObject({"submissions.results.jsonl.gz": 213 * 4});
  });

  it("keeps the licence notices the sources require", () => {
    const licence = (name: string) => readFileSync(join(SNAPSHOTS_DIR, name, "LICENCE.md"), "utf8");
    expect(licence("2026-11-22-llmbar-judges")).toContain("Copyright (c) 2023 Princeton Natural Language Processing");
    expect(licence("2026-11-22-llmbar-judges")).toContain("The above copyright notice and this permission notice shall be included");
    expect(licence("2026-11-22-triviaqa-judges-human")).toMatch(/no licence file[\s\S]*arXiv:2406\.12624/);
    expect(licence("2026-11-22-codesota-registry")).toMatch(/CC BY 4\.0[\s\S]*https:\/\/www\.codesota\.com/);
    expect(licence(SWE_VERIFIED)).toContain("CC BY-NC 4.0");
    expect(licence(SWE_VERIFIED)).toMatch(/SWE-bench\/experiments[\s\S]*no licence file: no licence is granted there/);
    expect(licence("2026-11-22-aider-leaderboards")).toContain("Apache License");
    expect(licence(TAU)).toContain("MIT License");
  });

  it("label files are the upstream bytes (decompressed sha256 as in SOURCE.md)", () => {
    const source = readFileSync(join(SNAPSHOTS_DIR, "2026-11-22-llmbar-judges", "SOURCE.md"), "utf8");
    for (const file of ["items.csv", "judgments.csv"]) {
      const sha = createHash("sha256").update(readGzipText(join(SNAPSHOTS_DIR, "2026-11-22-llmbar-judges", `${file}.gz`))).digest("hex");
      expect(source).toContain(sha);
    }
  });
});

describe("manifest checks catch changed files", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "benchlab-snap-"));
  });
  afterAll(() => rmSync(dir, {recursive: true, force: true}));

  it("a changed data file is an error naming the file", async () => {
    const root = join(dir, "sha");
    cpSync(join(SNAPSHOTS_DIR, TAU), join(root, TAU), {recursive: true});
    const file = join(root, TAU, "tau-bench-airline.records.jsonl.gz");
    const text = readGzipText(file).replace('"score":0,"passed":false', '"score":1,"passed":true');
    writeFileSync(file, gzipSync(text));
    const wh = await openWarehouse(":memory:");
    try {
      await expect(loadBundledSnapshots(wh, {snapshotsDir: root})).rejects.toThrow(/tau-bench-airline\.records\.jsonl\.gz: sha256 .* does not match/);
      expect(await count(wh, "SELECT count(*) AS n FROM snapshots")).toBe(0);
    } finally {
      wh.close();
    }
  });

  it("refuses a warehouse holding rows of an interrupted load of the same snapshot", async () => {
    const root = join(dir, "partial");
    cpSync(join(SNAPSHOTS_DIR, TAU), join(root, TAU), {recursive: true});
    const wh = await openWarehouse(":memory:");
    try {
      await wh.connection.run(
        `INSERT INTO ingest_batches VALUES ('b1', 'readme-leaderboard.results.jsonl.gz', 'x', now()::TIMESTAMP, '${TAU}', 'results', 3, 0, 0, 0, NULL)`
      );
      await expect(loadBundledSnapshots(wh, {snapshotsDir: root})).rejects.toThrow(/interrupted load/);
    } finally {
      wh.close();
    }
  });

  it("quarantines bad leaderboard rows (a value as text, a date no calendar has) with their file, line and field, and records the file's batch with its counts", async () => {
    const root = join(dir, "bad-result");
    cpSync(join(SNAPSHOTS_DIR, TAU), join(root, TAU), {recursive: true});
    const file = join(root, TAU, "readme-leaderboard.results.jsonl.gz");
    const lines = readGzipText(file).split("\n");
    lines[1] = lines[1].replace('"value":0.326', '"value":"0.326"');
    // A date of the right form that no calendar has: a quarantined row too, not a failed load.
    lines[2] = lines[2].replace('"as_of":"2026-11-22"', '"as_of":"2026-02-30"');
    const bytes = gzipSync(lines.join("\n"));
    writeFileSync(file, bytes);
    const manifestPath = join(root, TAU, "manifest.json");
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
    manifest.files.find((f: {path: string}) => f.path === "readme-leaderboard.results.jsonl.gz").sha256 = createHash("sha256").update(bytes).digest("hex");
    writeFileSync(manifestPath, JSON.stringify(manifest));
    const wh = await openWarehouse(":memory:");
    try {
      const loaded = await loadBundledSnapshots(wh, {snapshotsDir: root});
      expect(loaded.rejected).toBe(2);
      expect(await rows(wh, "SELECT file, line::INTEGER AS line, field, raw FROM quarantine ORDER BY line")).toEqual([
        {file, line: 2, field: "value", raw: lines[1]},
        {file, line: 3, field: "as_of", raw: lines[2]}
      ]);
      expect(await rows(wh, "SELECT kind, rows_ok::INTEGER AS ok, rows_rejected::INTEGER AS rejected FROM ingest_batches WHERE file = $1", [file])).toEqual([{kind: "results", ok: 54, rejected: 2}]);
      expect(await count(wh, "SELECT count(*) AS n FROM results r JOIN quarantine q USING (batch_id, line)")).toBe(0);
    } finally {
      wh.close();
    }
  });

  it("a manifest path out of the snapshot's folder is refused before anything is read or loaded", async () => {
    const root = join(dir, "escape");
    cpSync(join(SNAPSHOTS_DIR, TAU), join(root, TAU), {recursive: true});
    // The listed file exists outside the folder, with the right sha256 and row count: only its path is wrong.
    renameSync(join(root, TAU, "tau-bench-airline.records.jsonl.gz"), join(dir, "outside.records.jsonl.gz"));
    const manifestPath = join(root, TAU, "manifest.json");
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
    manifest.files.find((f: {path: string}) => f.path === "tau-bench-airline.records.jsonl.gz").path = "../../outside.records.jsonl.gz";
    writeFileSync(manifestPath, JSON.stringify(manifest));
    const wh = await openWarehouse(":memory:");
    try {
      await expect(loadBundledSnapshots(wh, {snapshotsDir: root})).rejects.toThrow(
        `${manifestPath}: invalid manifest: files.0.path: a file name in the snapshot's folder (letters, digits, _ . -; no folder, no ..)`
      );
      expect(await count(wh, "SELECT count(*) AS n FROM records")).toBe(0);
    } finally {
      wh.close();
    }
    for (const path of ["/etc/passwd", "..", "sub/../../x.csv.gz"]) {
      manifest.files[0].path = path;
      writeFileSync(manifestPath, JSON.stringify(manifest));
      expect(() => verifySnapshot(join(root, TAU), TAU)).toThrow(/files\.0\.path: a file name in the snapshot's folder/);
    }
  });

  it("an empty licence note is refused like a missing one", () => {
    const root = join(dir, "empty-licence");
    cpSync(join(SNAPSHOTS_DIR, TAU), join(root, TAU), {recursive: true});
    writeFileSync(join(root, TAU, "LICENCE.md"), "\n");
    expect(() => verifySnapshot(join(root, TAU), TAU)).toThrow(/LICENCE\.md: missing or empty; every snapshot carries its SOURCE\.md and LICENCE\.md/);
  });

  it("a wrong row count in the manifest is an error naming the file", () => {
    const root = join(dir, "rows");
    cpSync(join(SNAPSHOTS_DIR, TAU), join(root, TAU), {recursive: true});
    const manifestPath = join(root, TAU, "manifest.json");
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
    manifest.files[0].rows = 141;
    writeFileSync(manifestPath, JSON.stringify(manifest));
    expect(() => verifySnapshot(join(root, TAU), TAU)).toThrow(
      /tau-bench-airline\.records\.jsonl\.gz: 140 rows but manifest\.json records 141; restore it \(git checkout -- \S+\), or if the change is meant, remake the snapshots \(npx tsx data-loaders\/snapshots\/make-snapshots\.ts\) and review the diff$/
    );
  });
});

describe("loading the bundled snapshots into a fresh warehouse", () => {
  let wh: Warehouse;
  let summary: LoadSummary;
  beforeAll(async () => {
    wh = await openWarehouse(":memory:");
    summary = await loadBundledSnapshots(wh);
  }, 60_000);
  afterAll(() => wh?.close());

  it("rejects nothing and loads every bundle", async () => {
    expect(summary.rejected).toBe(0);
    expect(await count(wh, "SELECT count(*) AS n FROM quarantine")).toBe(0);
    expect(summary.snapshots).toBe(10);
    // 10 bundles + the 96 committed SWE-bench leaderboard versions their results point to
    expect(await count(wh, "SELECT count(*) AS n FROM snapshots")).toBe(106);
  });

  it("loads all 12,881 leaderboard rows, keeping collisions and flagging duplicates", async () => {
    const history = `FROM results r JOIN ingest_batches b USING (batch_id) WHERE b.snapshot_id = '${SWE_HISTORY}'`;
    expect(await count(wh, `SELECT count(*) AS n ${history}`)).toBe(12881);
    expect(await count(wh, `SELECT count(DISTINCT r.snapshot_id) AS n ${history}`)).toBe(96);
    // every results row points to a snapshot row with a date
    expect(await count(wh, "SELECT count(*) AS n FROM results LEFT JOIN snapshots USING (snapshot_id) WHERE snapshots.snapshot_date IS NULL")).toBe(0);
    expect(await count(wh, `SELECT count(*) AS n ${history} AND r.entry_id LIKE '%#%'`)).toBe(684);
    expect(await count(wh, `SELECT count(*) AS n ${history} AND r.notes LIKE '%flag:same-name-collision%'`)).toBe(770);
    expect(
      await count(wh, `SELECT count(*) AS n FROM (SELECT DISTINCT r.snapshot_id, r.board, r.system ${history} AND r.notes LIKE '%flag:same-name-collision%')`)
    ).toBe(371);
    expect(await count(wh, `SELECT count(*) AS n ${history} AND r.notes LIKE '%flag:same-entry-collision%'`)).toBe(6);
    expect(await count(wh, `SELECT count(*) AS n ${history} AND r.notes LIKE '%flag:unparseable-date%' AND r.submitted IS NULL`)).toBe(2);
    const dups = await rows(wh, `SELECT r.board, count(*) AS n, count(DISTINCT r.as_of) AS dates ${history} AND r.notes LIKE '%flag:duplicate-of-board%' GROUP BY r.board ORDER BY r.board`);
    expect(dups).toEqual([
      {board: "lite", n: 89n, dates: 3n},
      {board: "test", n: 41n, dates: 3n}
    ]);
    // deduplicated, the lowercase boards add nothing
    expect(await count(wh, `SELECT count(*) AS n ${history} AND r.board IN ('lite', 'test') AND (r.notes IS NULL OR r.notes NOT LIKE '%flag:duplicate-of-board%')`)).toBe(0);
  });

  it("flags the one percentage outside [0, 100]: SWE-bench Verified 271 (2025-09-10, mini-SWE-agent + GLM-4.5), kept as published", async () => {
    const flagged = await rows(wh, `SELECT r.board, r.system, r.metric, r.value, strftime(s.snapshot_date, '%Y-%m-%d') AS snapshot_date, r.notes FROM results r JOIN snapshots s USING (snapshot_id) WHERE r.notes LIKE '%flag:value-out-of-range%'`);
    expect(flagged.map(({notes: _notes, ...r}) => r)).toEqual([
      {board: "Verified", system: expect.stringMatching(/mini-SWE-agent.*GLM-4\.5/i), metric: "resolved_pct", value: 271, snapshot_date: "2025-09-10"}
    ]);
    expect(String(flagged[0].notes)).toMatch(/resolved_pct = 271 is not a percentage in \[0, 100\]/);
    // every other percentage is in range, so the flag is the whole list
    expect(await count(wh, `SELECT count(*) AS n FROM results WHERE (metric LIKE '%pct%' OR metric LIKE 'percent%') AND (value < 0 OR value > 100) AND coalesce(notes, '') NOT LIKE '%flag:value-out-of-range%'`)).toBe(0);
  });

  it("keeps the claude-3-7-sonnet published 52.8% beside the per-instance 51/500, flagged", async () => {
    const got = await rows(wh, "SELECT metric, value, n, notes FROM results WHERE entry_id = $1 AND board = 'bash-only' AND snapshot_id = $2 ORDER BY metric", [CLAUDE_37, SWE_VERIFIED]);
    expect(got.map((r) => [r.metric, r.value, r.n])).toEqual([
      ["resolved_pct", 52.8, null],
      ["resolved_pct_per_instance", 10.2, 500n]
    ]);
    for (const r of got) expect(r.notes).toMatch(/flag:published-vs-per-item published 52\.8% vs per-instance 51\/500/);
    // the other two differences SOURCE.md lists (claude-sonnet-4 64.93 vs 64.8, Llama-4-Maverick 21.04 vs 21.0)
    expect(await count(wh, "SELECT count(DISTINCT entry_id) AS n FROM results WHERE snapshot_id = $1 AND notes LIKE '%flag:published-vs-per-item%'", [SWE_VERIFIED])).toBe(3);
  });

  it("keeps an unreported aider cost as null, with the published 0 in its attributes", async () => {
    const raw = readGzipText(join(SNAPSHOTS_DIR, "2026-11-22-aider-leaderboards", "aider.results.jsonl.gz"));
    // 89 runs publish total_cost 0.0 and 2 publish 0 (upstream aider_benchmark_runs.csv); 4 metric rows each
    const zeroCostLines = raw
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as {attributes: Record<string, string>})
      .filter((l) => l.attributes.total_cost !== undefined && Number(l.attributes.total_cost) === 0);
    expect(zeroCostLines.length).toBe(91 * 4);
    const got = await rows(
      wh,
      `SELECT count(*) AS n, count(cost_usd) AS with_cost, count(*) FILTER (WHERE notes LIKE '%flag:cost-unreported%') AS flagged
       FROM results r JOIN result_attributes a USING (batch_id, line)
       WHERE a.attribute = 'total_cost' AND TRY_CAST(a.value AS DOUBLE) = 0`
    );
    expect(got[0]).toEqual({n: 91n * 4n, with_cost: 0n, flagged: 91n * 4n});
  });

  it("keeps a SWE-bench leaderboard cost of 0 with 0 calls per instance as null, flagged: no run makes no calls", async () => {
    const got = await rows(
      wh,
      `SELECT count(*) AS n, count(r.cost_usd) AS with_cost, count(*) FILTER (WHERE notes LIKE '%flag:cost-unreported%') AS flagged
       FROM results r JOIN result_attributes a USING (batch_id, line)
       WHERE r.benchmark LIKE 'swe-bench%' AND a.attribute = 'instance_calls' AND TRY_CAST(a.value AS DOUBLE) = 0`
    );
    // 18 rows of the raw history (Kimi K2, Qwen2.5-Coder, Gemini 2.0 flash in three versions); the per-instance
    // bundle gives the same runs real costs ($265.80 for Kimi K2).
    expect(got[0]).toEqual({n: 18n, with_cost: 0n, flagged: 18n});
    expect(await count(wh, "SELECT count(*) AS n FROM results WHERE benchmark LIKE 'swe-bench%' AND cost_usd = 0")).toBe(0);
  });

  it("keeps a tau2 submission's cost of 0 as null, flagged (28 domain rows, API models among them, e.g. Qwen3-Max)", async () => {
    const got = await rows(
      wh,
      `SELECT count(*) AS n, count(cost_usd) AS with_cost, count(*) FILTER (WHERE notes LIKE '%flag:cost-unreported%') AS flagged
       FROM results WHERE benchmark = 'tau2-bench' AND metric = 'pass^1_pct' AND notes LIKE '%flag:cost-unreported%'`
    );
    expect(got[0]).toEqual({n: 28n, with_cost: 0n, flagged: 28n});
    expect(await count(wh, "SELECT count(*) AS n FROM results WHERE benchmark = 'tau2-bench' AND cost_usd = 0")).toBe(0);
  });

  it("stores a tau2 leaderboard row with its version and pass^k as submitted", async () => {
    const got = await rows(
      wh,
      `SELECT r.metric, r.value, a.value AS version FROM results r JOIN result_attributes a USING (batch_id, line)
       WHERE r.entry_id = 'qwen3-max_qwen_2024_09_23' AND r.board = 'tau2-bench/telecom' AND a.attribute = 'tau2_bench_version' ORDER BY r.metric`
    );
    expect(got).toEqual([
      {metric: "pass^1_pct", value: 84.2, version: "0.1.3"},
      {metric: "pass^2_pct", value: 77.6, version: "0.1.3"},
      {metric: "pass^3_pct", value: null, version: "0.1.3"},
      {metric: "pass^4_pct", value: 61.4, version: "0.1.3"}
    ]);
  });

  it("benchmarks.yaml curates every benchmark the loaded records and results name", async () => {
    expect(readBenchmarks(join(SNAPSHOTS_DIR, BENCHMARKS_FILE)).length).toBe(await count(wh, "SELECT count(*) AS n FROM benchmarks"));
    const uncurated = await rows(
      wh,
      "SELECT benchmark FROM (SELECT benchmark FROM records UNION SELECT benchmark FROM results) WHERE benchmark NOT IN (SELECT benchmark FROM benchmarks)"
    );
    expect(uncurated).toEqual([]);
  });

  it("loads the model release dates and the curated benchmarks", async () => {
    expect(await count(wh, "SELECT count(*) AS n FROM model_releases")).toBe(122);
    expect(await rows(wh, "SELECT direction, split, released::VARCHAR AS released FROM benchmarks WHERE benchmark = 'swe-bench-verified'")).toEqual([
      {direction: "higher-is-better", split: "test", released: "2024-08-13"}
    ]);
    // omitted facts stay null, never a default
    expect(await rows(wh, "SELECT released FROM benchmarks WHERE benchmark = 'tau2-bench'")).toEqual([{released: null}]);
  });

  it("loads the run records: 9,000 SWE-bench, 140 tau-bench trials, the tau2 rewards", async () => {
    const perSnapshot = await rows(wh, "SELECT snapshot_id, count(*) AS n FROM records_latest GROUP BY snapshot_id ORDER BY snapshot_id");
    const tau2Rows = parseCsv(readGzipText(join(SNAPSHOTS_DIR, TAU2, "per_task_rewards.csv.gz")), {columns: true}) as Record<string, string>[];
    const withReward = tau2Rows.filter((r) => r.reward !== "");
    expect(perSnapshot).toEqual([
      {snapshot_id: TAU, n: 140n},
      {snapshot_id: TAU2, n: BigInt(withReward.length)},
      {snapshot_id: SWE_VERIFIED, n: 9000n}
    ].sort((a, b) => a.snapshot_id.localeCompare(b.snapshot_id)));
    expect(summary.records).toBe(9000 + 140 + withReward.length);
  });

  it("per-instance records resolve 51 of 500 for claude-3-7-sonnet and keep missing costs null", async () => {
    expect(await rows(wh, "SELECT count(*) FILTER (WHERE passed) AS resolved, count(*) AS n FROM records_latest WHERE run_id = $1", [CLAUDE_37])).toEqual([
      {resolved: 51n, n: 500n}
    ]);
    const tau2Rows = parseCsv(readGzipText(join(SNAPSHOTS_DIR, TAU2, "per_task_rewards.csv.gz")), {columns: true}) as Record<string, string>[];
    const missingCost = tau2Rows.filter((r) => r.reward !== "" && r.agent_cost === "").length;
    expect(missingCost).toBeGreaterThan(0);
    expect(await count(wh, "SELECT count(*) AS n FROM records_latest WHERE snapshot_id = $1 AND cost_usd IS NULL", [TAU2])).toBe(missingCost);
  });

  it("loading again into the same warehouse adds nothing", async () => {
    const before = await count(wh, "SELECT count(*) AS n FROM results");
    const again = await loadBundledSnapshots(wh);
    expect(again).toEqual({snapshots: 0, records: 0, results: 0, rejected: 0});
    expect(await count(wh, "SELECT count(*) AS n FROM results")).toBe(before);
  });
});
