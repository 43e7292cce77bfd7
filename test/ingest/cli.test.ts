/** `benchlab ingest` end to end: summary on stdout, rejected rows with file:line [field] on stderr, exit codes. */
import {parse} from "csv-parse/sync";
import {DuckDBInstance} from "@duckdb/node-api";
import {mkdirSync} from "node:fs";
import {join} from "node:path";
import {PassThrough} from "node:stream";
import {gzipSync} from "node:zlib";
import {afterEach, describe, expect, it, vi} from "vitest";
import {delayedProgressBar} from "../../data-loaders/commands/progress.ts";
import {PROJECT_ROOT} from "../../data-loaders/warehouse.ts";
import {benchlabProcess} from "../cli.ts";
import {jsonl, record, useScratch} from "./helpers.ts";

const s = useScratch();
const cli = (...args: string[]) => benchlabProcess(args, {cwd: s.dir});
const benchlab = (...args: string[]) => cli("ingest", ...args);

describe("benchlab ingest", () => {
  it("exits 0 on a clean file and 1 when a row is rejected, naming file, line and field", () => {
    const db = join(s.dir, "wh.duckdb");
    s.write("good.jsonl", jsonl([record(), record({item_id: "q2"})]));
    s.write("bad.jsonl", jsonl([record({item_id: "q3"}), record({item_id: "q4", tokens_out: "7"})]));
    const ok = benchlab("--db", db, "good.jsonl");
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^good\.jsonl: 2 new, 0 corrections, 0 duplicates, 0 rejected \(/);
    const bad = benchlab("--db", db, "good.jsonl", "bad.jsonl");
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/good\.jsonl: 0 new, 0 corrections, 2 duplicates, 0 rejected/);
    expect(bad.stdout).toMatch(/bad\.jsonl: 1 new, 0 corrections, 0 duplicates, 1 rejected/);
    expect(bad.stderr).toContain("bad.jsonl:2 [tokens_out] tokens_out: Invalid input: expected number, received string");
    expect(bad.stderr).toMatch(new RegExp(`all rejected rows: benchlab quarantine --db ${db} --batch \\S+-\\w{4}\\n$`));
  }, 60_000);

  it("escapes control characters of a file name in its summary and its errors", () => {
    const name = "x\u001b[2J\nFAKE.jsonl";
    s.write(name, jsonl([record()]));
    const r = benchlab("--db", join(s.dir, "wh.duckdb"), name, `${name}.missing`);
    expect(r.stdout).toMatch(/^x\\u001b\[2J\\u000aFAKE\.jsonl: 1 new, /);
    expect(r.stderr).toContain("benchlab ingest: x\\u001b[2J\\u000aFAKE.jsonl.missing: no such file");
  }, 60_000);

  it("goes on to the next file after a file with a bad CSV header, and exits 1", () => {
    s.write("semi.csv", "benchmark;item_id;model;passed\nqa;q1;m1;true\n");
    s.write("good.jsonl", jsonl([record()]));
    const r = benchlab("--db", join(s.dir, "wh.duckdb"), "semi.csv", "good.jsonl");
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("benchlab ingest: semi.csv: column \"benchmark;item_id;model;passed\" matches no run-record field");
    expect(r.stdout).toMatch(/^good\.jsonl: 1 new, 0 corrections, 0 duplicates, 0 rejected/m);
  }, 60_000);

  it("says a file of one JSON document (an array, a pretty-printed object) is not JSON Lines, and how to convert it", () => {
    const text = JSON.stringify([record(), record({item_id: "q2"})], null, 2);
    s.write("array.json", `${text}\n`);
    // Refused whole, with nothing stored or quarantined; the next file is still ingested.
    s.write("good.jsonl", jsonl([record()]));
    s.write("pretty.json.gz", gzipSync(`\uFEFF\n${JSON.stringify(record({item_id: "p"}), null, 2)}\n`));
    const r = benchlab("--db", join(s.dir, "wh.duckdb"), "array.json", "pretty.json.gz", "good.jsonl");
    expect(r.status).toBe(1);
    for (const file of ["array.json", "pretty.json.gz"]) {
      expect(r.stderr).toContain(
        `benchlab ingest: ${file}: one JSON document (an array, or an object over many lines), not JSON Lines (one record per line); nothing was stored. ` +
          "For a tau2-bench results file give --format tau2; for an array of records convert it, e.g. jq -c '.[]' FILE > FILE.jsonl, and ingest that"
      );
    }
    expect(r.stdout).not.toContain("array.json:");
    expect(r.stdout).toMatch(/^good\.jsonl: /m);
    const batches = cli("batches", "--db", join(s.dir, "wh.duckdb"), "--csv");
    expect(batches.stdout).not.toMatch(/array\.json|pretty\.json/);
    // Repeated attempts with no trial: the later lines of a key are corrections within the file, and the CLI warns.
    s.write("attempts.jsonl", jsonl([record({item_id: "a1", passed: true}), record({item_id: "a1", passed: false}), record({item_id: "a1", passed: true, output: "x"})]));
    const attempts = benchlab("--db", join(s.dir, "wh.duckdb"), "attempts.jsonl");
    expect([attempts.status, attempts.stdout]).toEqual([0, expect.stringMatching(/^attempts\.jsonl: 1 new, 2 corrections, 0 duplicates, 0 rejected/)]);
    expect(attempts.stderr).toContain(
      "warning: 2 of the corrections are a key given again, with other values, later in this same file; only the last line of each key counts as its value. " +
        "If they are repeated attempts, give each its own trial (part of the key) and ingest the file again"
    );
    // A JSON Lines file with a bad row gets the usual advice.
    s.write("rows.jsonl", `${jsonl([record()])}[1, 2]\n`);
    const rows = benchlab("--db", join(s.dir, "wh.duckdb"), "rows.jsonl");
    expect(rows.stderr).toContain("rows.jsonl:2 ");
    expect(rows.stderr).toContain("fix the rows and ingest the file again");
    expect(rows.stderr).not.toContain("one JSON document");
  }, 60_000);

  it("reports a missing file, a folder and a bad --map clearly, with exit code 1", () => {
    const missing = benchlab("--db", join(s.dir, "wh.duckdb"), "nope.jsonl");
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("benchlab ingest: nope.jsonl: no such file");
    const folder = benchlab("--db", join(s.dir, "wh.duckdb"), s.dir);
    expect(folder.status).toBe(1);
    expect(folder.stderr).toContain(`benchlab ingest: ${s.dir}: a folder, not a file; give the files in it (e.g. ${s.dir}/*.jsonl)`);
    const map = benchlab("--db", join(s.dir, "wh.duckdb"), "--map", "item_id", "x.csv");
    expect(map.status).toBe(1);
    expect(map.stderr).toContain("--map item_id: expected FIELD=HEADER");
    const set = benchlab("--db", join(s.dir, "wh.duckdb"), "--set", "benchmark=qa", "--set", "benchmark=other", "x.csv");
    expect(set.status).toBe(1);
    expect(set.stderr).toContain("--set benchmark=other: benchmark is given twice");
    const runId = benchlab("--db", join(s.dir, "wh.duckdb"), "--run-id", "", "x.csv");
    expect(runId.status).toBe(1);
    expect(runId.stderr).toContain("--run-id is empty; give the run's id, or leave the option out");
    // An unset shell variable stored 326 LLMBar labels under dataset "", and run records under snapshot "".
    const labels = join(PROJECT_ROOT, "snapshots", "2026-11-22-llmbar-judges", "items.csv.gz");
    const dataset = benchlab("--db", join(s.dir, "wh.duckdb"), "--labels", labels, "--dataset", "");
    expect([dataset.status, dataset.stdout]).toEqual([1, ""]);
    expect(dataset.stderr).toContain("--dataset is empty; give the dataset's name, or leave the option out to take the name of each labels file's folder");
    const snapshot = benchlab("--db", join(s.dir, "wh.duckdb"), "--snapshot", " ", "x.csv");
    expect([snapshot.status, snapshot.stderr]).toEqual([1, expect.stringContaining("--snapshot is empty; give the snapshot's id, or leave the option out")]);
    const delimiter = benchlab("--db", join(s.dir, "wh.duckdb"), "--delimiter", "tabs", "x.csv");
    expect(delimiter.status).toBe(1);
    expect(delimiter.stderr).toContain('--delimiter "tabs": give one character other than a quote or a line end, e.g. --delimiter \';\' or --delimiter tab');
  }, 60_000);

  it("counts many rejected rows by field, then ingests the file with --set for the missing field", () => {
    const db = join(s.dir, "wh.duckdb");
    // 12 rows lack benchmark; the last also has a bad passed, which shows once benchmark is given.
    const rows = Array.from({length: 12}, (_, i) => `q${i + 1},m1,${i === 11 ? "maybe" : "true"}`);
    s.write("nobench.csv", `item_id,model,passed\n${rows.join("\n")}\n`);
    const bad = benchlab("--db", db, "--run-id", "r1", "nobench.csv");
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/nobench\.csv: 0 new, 0 corrections, 0 duplicates, 12 rejected/);
    expect(bad.stderr).toContain("... and 2 more; rejected rows by field:");
    expect(bad.stderr).toMatch(/by field:\n {4}benchmark: 12 rows, first at line 2: benchmark: required field is missing\n {2}fix the rows/);
    const ok = benchlab("--db", db, "--run-id", "r1", "--set", "benchmark=qa", "nobench.csv");
    expect(ok.status).toBe(1);
    expect(ok.stdout).toMatch(/nobench\.csv: 11 new, 0 corrections, 0 duplicates, 1 rejected/);
    expect(ok.stderr).toContain("nobench.csv:13 [passed]");
    // Later, the same counts for every batch, from the quarantine.
    const counts = cli("quarantine", "--db", db, "--by-field");
    expect(counts.stdout.split("\n")).toEqual([
      expect.stringMatching(/nobench\.csv benchmark: 12 rows, first at line 2: benchmark: required field is missing$/),
      expect.stringMatching(/nobench\.csv passed: 1 row, first at line 13: passed: /),
      ""
    ]);
    const csv = parse(cli("quarantine", "--db", db, "--by-field", "--csv", "--file", "nobench.csv").stdout, {columns: true}) as Record<string, string>[];
    expect(csv.map((r) => [r.field, r.rows, r.first_line])).toEqual([
      ["benchmark", "12", "2"],
      ["passed", "1", "13"]
    ]);
  }, 60_000);
});

describe("a --db that is not a warehouse", () => {
  /** A DuckDB file made by another program: its tables, and their columns. */
  const duckdb = async (name: string, ddl: string) => {
    const path = join(s.dir, name);
    const instance = await DuckDBInstance.create(path);
    const c = await instance.connect();
    await c.run(ddl);
    c.closeSync();
    instance.closeSync();
    return path;
  };
  const tablesOf = async (path: string) => {
    const instance = await DuckDBInstance.create(path, {access_mode: "READ_ONLY"});
    try {
      const c = await instance.connect();
      return (await c.runAndReadAll("SELECT table_name FROM duckdb_tables() ORDER BY ALL")).getRows().flat();
    } finally {
      instance.closeSync();
    }
  };

  it("is refused by every command with the path and what to give instead, and is left as it was", async () => {
    s.write("notes.duckdb", "not a database\n");
    mkdirSync(join(s.dir, "folder"));
    const theirs = await duckdb("theirs.duckdb", "CREATE TABLE stuff (x INTEGER); INSERT INTO stuff VALUES (1)");
    // A table with one of benchlab's names but another layout: DuckDB stopped at the first view, after adding 17 tables.
    const clash = await duckdb("clash.duckdb", "CREATE TABLE records (x INTEGER)");
    s.write("runs.jsonl", jsonl([record()]));
    const cases: [string[], RegExp][] = [
      [["batches", "--db", "notes.duckdb"], /^benchlab: notes\.duckdb: not a DuckDB file, so not a benchlab warehouse .*give the --db of a warehouse, or a new path for ingest to create one\n$/],
      [["ingest", "--db", "notes.duckdb", "runs.jsonl"], /^benchlab: notes\.duckdb: not a DuckDB file/],
      [["sql", "--db", "folder", "SELECT 1"], /^benchlab: folder: a folder, not a warehouse file; give the path of a \.duckdb file, e.g\. --db folder\/benchlab\.duckdb\n$/],
      [["score", "--db", "folder", "--scorer", "exact-match"], /^benchlab: folder: a folder, not a warehouse file/],
      [["batches", "--db", "theirs.duckdb"], /^benchlab: theirs\.duckdb: a DuckDB database that is not a benchlab warehouse \(its tables: stuff\); it is left as it is\. Give the --db of a warehouse/],
      [["ingest", "--db", "theirs.duckdb", "runs.jsonl"], /^benchlab: theirs\.duckdb: a DuckDB database that is not a benchlab warehouse/],
      [["ingest", "--db", "clash.duckdb", "runs.jsonl"], /^benchlab: clash\.duckdb: not a warehouse of this benchlab \(Binder Error: .*\); it is left as it is\. Give the --db of a warehouse/]
    ];
    for (const [args, message] of cases) {
      const r = cli(...args);
      expect([args, r.status, r.stdout]).toEqual([args, 1, ""]);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/IO Error|\n\s+at /);
    }
    expect(await tablesOf(theirs)).toEqual(["stuff"]);
    expect(await tablesOf(clash)).toEqual(["records"]);
  }, 60_000);
});

describe("benchlab with an unknown command", () => {
  it("reports it and exits 1, with --help too (commander printed the main help and exited 0)", () => {
    for (const args of [["scroe"], ["scroe", "--help"], ["scroe", "-h", "--db", "x.duckdb"]]) {
      const r = cli(...args);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain("error: unknown command 'scroe'\n(Did you mean score?)");
      expect(r.stdout).toBe("");
    }
    const help = cli("score", "--help");
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: benchlab score /);
  }, 60_000);
});

describe("ingest's progress bar", () => {
  const capture = () => {
    const stream = new PassThrough();
    let text = "";
    stream.on("data", (chunk: Buffer) => (text += chunk.toString()));
    return {stream, text: () => text};
  };

  it("stays silent on a file ingested within the delay", () => {
    const out = capture();
    const bar = delayedProgressBar("quick.jsonl", {delayMs: 60_000, stream: out.stream});
    bar.update(50, 100);
    bar.stop();
    expect(out.text()).toBe("");
  });

  // The clock is faked (Date and timers), so what the bar shows does not depend on how busy the machine is.
  const fakeClock = () => vi.useFakeTimers({toFake: ["Date", "setTimeout", "clearTimeout", "setInterval", "clearInterval"]});
  afterEach(() => void vi.useRealTimers());
  // The stream passes writes on at the next tick (not faked).
  const written = () => new Promise((resolve) => setImmediate(resolve));

  it("after the delay shows the file, the percentage and the time since the ingest started", async () => {
    fakeClock();
    const out = capture();
    const bar = delayedProgressBar("runs.jsonl", {delayMs: 1000, stream: out.stream});
    bar.update(10, 100);
    vi.advanceTimersByTime(1600);
    bar.update(45, 100);
    bar.update(70, 100);
    bar.stop();
    await written();
    // 1.6 s since the start (rounded: 2 s); the bar itself appeared just now (it would say 0 s).
    expect(out.text()).toMatch(/runs\.jsonl \[[█░]+\] 70% \| 2 s\s*$/);
  });

  it("appears once the delay has passed though no progress has come since the start (a judge's first 2,048 records), its payload redrawn", async () => {
    fakeClock();
    const out = capture();
    let http = 0;
    const bar = delayedProgressBar("judging", {delayMs: 1000, stream: out.stream, format: "{value}/{total} records | HTTP {http} | {elapsed}", payload: () => ({http})});
    bar.update(0, 5000);
    http = 3;
    vi.advanceTimersByTime(1500);
    http = 7;
    vi.advanceTimersByTime(1000);
    bar.stop();
    await written();
    // Drawn at 1 s with the calls made by then, and at the end with those made since, though `done` never moved.
    expect(out.text()).toMatch(/judging \[[█░]+\] 0\/5000 records \| HTTP 3 \| 1 s\n/);
    expect(out.text()).toMatch(/judging \[[█░]+\] 0\/5000 records \| HTTP 7 \| 2 s\s*$/);
  });

  it("keeps counting the time while no progress comes (a long write), so it does not look stuck", async () => {
    fakeClock();
    const out = capture();
    const bar = delayedProgressBar("big.jsonl", {delayMs: 0, stream: out.stream});
    bar.update(69, 100);
    vi.advanceTimersByTime(3200);
    bar.stop();
    await written();
    // No update came after the first, yet the final state shows the time that passed (it showed 0 s).
    expect(out.text()).toMatch(/big\.jsonl \[[█░]+\] 69% \| 3 s\s*$/);
  });
});
