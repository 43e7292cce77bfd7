/**
 * `benchlab snapshot`: one's own files frozen as a dated snapshot that the report build loads. Made from bundled real
 * data (the tau-bench trials and README leaderboard, the SWE-bench Verified runs), as a user would bring their own.
 */
import {spawn} from "node:child_process";
import {cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {createSnapshot, type NewSnapshot, STAGING_PREFIX} from "../../data-loaders/snapshots/create-snapshot.ts";
import {listSnapshotDirs, loadBundledSnapshots, SNAPSHOTS_DIR} from "../../data-loaders/snapshots/load-bundled.ts";
import {readGzipText, verifySnapshot} from "../../data-loaders/snapshots/manifest.ts";
import {benchmarkIndex} from "../../data-loaders/site/benchmark-index.ts";
import {openWarehouse} from "../../data-loaders/warehouse.ts";
import {BENCHLAB_BIN, benchlabProcess} from "../cli.ts";

const TAU = join(SNAPSHOTS_DIR, "2026-11-22-tau-bench-airline-trials");
const SWE = join(SNAPSHOTS_DIR, "2026-11-22-swebench-verified-mini-swe-agent");
const dir = mkdtempSync(join(tmpdir(), "benchlab-new-snapshot-"));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

/** The tau-bench trials as a user's own benchmark (renamed), and its README leaderboard as their results. */
const ID = "2026-11-23-my-tau-rerun";
const records = join(dir, "tau-rerun.records.jsonl");
writeFileSync(records, readGzipText(join(TAU, "tau-bench-airline.records.jsonl.gz")).replaceAll('"benchmark":"tau-bench"', '"benchmark":"my-tau-rerun"'));
const results = join(dir, "readme.results.jsonl");
writeFileSync(results, readGzipText(join(TAU, "readme-leaderboard.results.jsonl.gz")).replaceAll('"snapshot_id":"2026-11-22-tau-bench-airline-trials"', `"snapshot_id":"${ID}"`).replaceAll('"benchmark":"tau-bench"', '"benchmark":"my-tau-rerun"'));
const sourceNote = join(dir, "SOURCE.md");
writeFileSync(sourceNote, "# tau-bench airline re-run\n\nThe historical gpt-4o trials, renamed for this test.\n");
const licenceNote = join(TAU, "LICENCE.md");

const spec = (over: Partial<NewSnapshot> = {}): NewSnapshot => ({
  slug: "my-tau-rerun",
  date: "2026-11-23",
  title: "tau-bench airline re-run",
  source: "https://github.com/sierra-research/tau-bench",
  licence: "MIT",
  methodologyVersion: "1",
  sourceNote,
  licenceNote,
  files: [records, results, join(TAU, "tau_bench_v1_gpt4o_airline_trials.csv.gz")],
  ...over
});

const freshFolder = (name: string) => {
  const to = join(dir, name);
  mkdirSync(to);
  return to;
};

describe("createSnapshot", () => {
  it("writes a folder the build's loader accepts, and the index lists its benchmark with uncurated facts as gaps", async () => {
    const to = freshFolder("ok");
    const made = await createSnapshot(spec(), {to});
    expect(made.dir).toBe(join(to, ID));
    expect(readdirSync(to)).toEqual([ID]);
    expect(readdirSync(made.dir).sort()).toEqual(["LICENCE.md", "SOURCE.md", "manifest.json", "readme.results.jsonl.gz", "tau-rerun.records.jsonl.gz", "tau_bench_v1_gpt4o_airline_trials.csv.gz"]);
    const manifest = verifySnapshot(made.dir, ID);
    expect(manifest.files.map((f) => [f.path, f.kind, f.rows])).toEqual([
      ["tau-rerun.records.jsonl.gz", "records", 140],
      ["readme.results.jsonl.gz", "results", 56],
      ["tau_bench_v1_gpt4o_airline_trials.csv.gz", "other", 140]
    ]);
    expect(manifest).toMatchObject({snapshot_date: "2026-11-23", sources: ["https://github.com/sierra-research/tau-bench"], source_commit: null});
    expect(made.loaded).toEqual({snapshots: 1, records: 140, results: 56, rejected: 0});
    // A .gz input is stored byte for byte.
    expect(readGzipText(join(made.dir, "tau_bench_v1_gpt4o_airline_trials.csv.gz"))).toBe(readGzipText(join(TAU, "tau_bench_v1_gpt4o_airline_trials.csv.gz")));

    const wh = await openWarehouse(":memory:");
    try {
      expect(await loadBundledSnapshots(wh, {snapshotsDir: to})).toEqual({snapshots: 1, records: 140, results: 56, rejected: 0});
      const index = (await benchmarkIndex(wh.connection)).toArray().map((r) => r.toJSON());
      expect(index).toEqual([expect.objectContaining({benchmark: "my-tau-rerun", direction: null, records: 140, results: 56, first_snapshot: expect.anything()})]);
      const pass1 = (await wh.connection.runAndReadAll("SELECT count(*)::INT FROM records_latest WHERE benchmark = 'my-tau-rerun' AND passed")).getRows()[0][0];
      expect(pass1).toBe(65); // SOURCE.md: pass^1 over the 35 shared tasks is 0.464 (65 of 140 trials)
    } finally {
      wh.close();
    }
  });

  it("refuses a file with a bad row, naming the input file, line and field, and writes nothing", async () => {
    const to = freshFolder("bad-row");
    const lines = readGzipText(join(TAU, "tau-bench-airline.records.jsonl.gz")).split("\n");
    lines[2] = lines[2].replace('"passed":false', '"passed":"no"');
    const bad = join(dir, "bad.records.jsonl");
    writeFileSync(bad, lines.join("\n"));
    await expect(createSnapshot(spec({files: [bad]}), {to})).rejects.toThrow(new RegExp(`1 row\\(s\\) would be rejected[^]*${bad}:3 \\[passed\\]`));
    expect(readdirSync(to)).toEqual([]);
  });

  it("refuses results whose snapshot_id is not the new snapshot's, naming the id to write", async () => {
    const to = freshFolder("bad-id");
    await expect(createSnapshot(spec({files: [join(TAU, "readme-leaderboard.results.jsonl.gz")]}), {to})).rejects.toThrow(
      /56 row\(s\) would be rejected[^]*readme-leaderboard\.results\.jsonl\.gz:1 \[snapshot_id\].*this bundle \(2026-11-23-my-tau-rerun\)[^]*and 46 more/
    );
    // A line with no snapshot_id at all (a user's own results rarely carry one) is told the id to write, too.
    const noId = join(dir, "no-id.results.jsonl");
    writeFileSync(noId, readGzipText(join(TAU, "readme-leaderboard.results.jsonl.gz")).replaceAll('"snapshot_id":"2026-11-22-tau-bench-airline-trials",', ""));
    await expect(createSnapshot(spec({files: [noId]}), {to})).rejects.toThrow(/56 row\(s\) would be rejected[^]*no-id\.results\.jsonl:1 \[snapshot_id\].*this bundle's id \(2026-11-23-my-tau-rerun\)/);
    expect(readdirSync(to)).toEqual([]);
  });

  it("never replaces a snapshot, and refuses bad names, notes and ids before writing anything", async () => {
    const to = freshFolder("refusals");
    await createSnapshot(spec({files: [records]}), {to});
    await expect(createSnapshot(spec({files: [records]}), {to})).rejects.toThrow(/exists and is never replaced/);
    const cases: [Partial<NewSnapshot>, RegExp][] = [
      [{files: [join(TAU, "SOURCE.md")]}, /SOURCE\.md: a snapshot file must be named \*\.records\.jsonl/],
      [{files: [join(dir, "missing.records.jsonl")]}, /missing\.records\.jsonl: file not found/],
      [{files: []}, /no data files/],
      [{slug: "My Runs"}, /expected <snapshot_date>-<slug>/],
      [{date: "2026-13-01"}, /snapshot_date/],
      // The day the data was taken cannot be after today: a future date would stand as the newest snapshot (the
      // index's "to" date, and the version every correction is compared against) until that day.
      [{date: `${new Date().getUTCFullYear() + 1}-06-01`, files: [records]}, /snapshot_date \d{4}-06-01 is after today \(\d{4}-\d\d-\d\d, UTC\)/],
      [{licenceNote: join(dir, "none.md")}, /none\.md: not found \(the LICENCE\.md note\)/]
    ];
    for (const [over, error] of cases) await expect(createSnapshot(spec({slug: "other", ...over}), {to}), JSON.stringify(over)).rejects.toThrow(error);
    const empty = join(dir, "empty.md");
    writeFileSync(empty, " \n");
    await expect(createSnapshot(spec({sourceNote: empty, slug: "other"}), {to})).rejects.toThrow(/empty\.md: empty; the SOURCE\.md note/);
    const twin = join(freshFolder("twin"), "tau-rerun.records.jsonl.gz");
    cpSync(join(TAU, "tau-bench-airline.records.jsonl.gz"), twin);
    await expect(createSnapshot(spec({files: [records, twin], slug: "other"}), {to})).rejects.toThrow(/would both be stored as tau-rerun\.records\.jsonl\.gz/);
    const notGzip = join(dir, "plain.records.jsonl.gz");
    writeFileSync(notGzip, "{}\n");
    await expect(createSnapshot(spec({files: [notGzip], slug: "other"}), {to})).rejects.toThrow(/plain\.records\.jsonl\.gz: not a readable gzip file/);
    expect(readdirSync(to)).toEqual([ID]);
  });
});

describe("benchlab snapshot (command line)", () => {
  const args = (to: string, files: string[]) => [
    "snapshot",
    "--to", to, "--slug", "swe-runs", "--date", "2026-11-23", "--title", "mini-SWE-agent runs", "--source", "https://github.com/SWE-bench/experiments",
    "--licence", "CC BY-NC 4.0", "--source-note", join(SWE, "SOURCE.md"), "--licence-note", join(SWE, "LICENCE.md"), ...files
  ];

  it("prints each stored file and the snapshot id; exit 0", () => {
    const to = freshFolder("cli");
    const run = benchlabProcess(args(to, [join(SWE, "swebench-verified.records.jsonl.gz")]));
    expect(run.stderr).toContain("swebench-verified.records.jsonl.gz: 9000 rows accepted");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`${join(to, "2026-11-23-swe-runs", "swebench-verified.records.jsonl.gz")}: 9000 rows (records)`);
    expect(run.stdout).toContain("snapshot 2026-11-23-swe-runs: 9000 records, 0 results");
    verifySnapshot(join(to, "2026-11-23-swe-runs"), "2026-11-23-swe-runs");
  });

  it("exits 1 naming what is wrong", () => {
    const to = freshFolder("cli-bad");
    const run = benchlabProcess(args(to, [join(SWE, "SOURCE.md")]));
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^benchlab: .*SOURCE\.md: a snapshot file must be named/);
    expect(readdirSync(to)).toEqual([]);
  });

  it("killed at any moment, leaves either the whole snapshot or none, and a leftover staging folder is not loaded", async () => {
    const to = freshFolder("kill");
    const file = join(SWE, "swebench-verified.records.jsonl.gz");
    const outcomes: string[] = [];
    // Kills spread over the run, then a run left to finish (null): on a slow machine a late kill must not be taken for it.
    for (const afterMs of [200, 500, 800, 1100, 1400, 1700, 2000, 2600, null]) {
      rmSync(to, {recursive: true, force: true});
      mkdirSync(to);
      const child = spawn(process.execPath, [BENCHLAB_BIN, ...args(to, [file])], {stdio: "ignore"});
      const timer = afterMs === null ? undefined : setTimeout(() => child.kill("SIGKILL"), afterMs);
      const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
      clearTimeout(timer);
      const id = "2026-11-23-swe-runs";
      const made = existsSync(join(to, id));
      outcomes.push(code === 0 ? "finished" : made ? "complete before the kill" : "none");
      if (made) verifySnapshot(join(to, id), id);
      expect(readdirSync(to).filter((n) => !n.startsWith(STAGING_PREFIX))).toEqual(made ? [id] : []);
      expect(listSnapshotDirs(to)).toEqual(made ? [id] : []);
      const wh = await openWarehouse(":memory:");
      try {
        expect((await loadBundledSnapshots(wh, {snapshotsDir: to})).records).toBe(made ? 9000 : 0);
      } finally {
        wh.close();
      }
    }
    // The delays span the run: some kills land before the rename, and the run left alone finishes.
    expect(outcomes).toContain("none");
    expect(outcomes.at(-1)).toBe("finished");
  }, 60_000);
});
