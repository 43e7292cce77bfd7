/** `benchlab batches`, `quarantine`, `corrections` and `sql` end to end: what ingest stored, rejected and corrected. */
import {spawnSync, type SpawnSyncReturns} from "node:child_process";
import {createHash} from "node:crypto";
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {parse} from "csv-parse/sync";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {BENCHLAB_BIN, benchlabProcess} from "../cli.ts";
import {jsonl, record} from "./helpers.ts";

const ESC = "\u001b";
const dir = mkdtempSync(join(tmpdir(), "benchlab-inspect-"));
const db = join(dir, "wh.duckdb");
const run = (...args: string[]) => benchlabProcess(args, {cwd: dir});
const csvRows = (text: string) => parse(text, {columns: true}) as Record<string, string>[];
const write = (name: string, text: string) => writeFileSync(join(dir, name), text);

// One warehouse for every test here (they only read it): three files ingested in one command, a rejected row with
// terminal escapes in its field name, then two corrections of q1. The field name holds ESC (a JSON escape in the
// file): a terminal would clear the screen on it.
const hostile = `{"benchmark":"qa","item_id":"q3","model":"m1","run_id":"r1","colour\\u001b[2J":"x","passed":true}`;
let ingest: SpawnSyncReturns<string>;
let batches: Record<string, string>[];
beforeAll(() => {
  write("runs.jsonl", `${jsonl([record({score: 0.5, passed: undefined}), record({item_id: "q2"})])}${hostile}\n${JSON.stringify(record({item_id: "q4", passed: "yes"}))}\n`);
  write("runs-v2.jsonl", jsonl([record({score: 0.75, passed: undefined, output: "=HYPERLINK(1)"})]));
  write("runs-v3.jsonl", jsonl([record({score: 1, passed: undefined, output: "=HYPERLINK(1)"}), record({item_id: "q9", benchmark: "other"})]));
  ingest = run("ingest", "--db", db, "runs.jsonl", "runs-v2.jsonl", "runs-v3.jsonl");
  batches = csvRows(run("batches", "--db", db, "--csv").stdout);
}, 60_000);
afterAll(() => rmSync(dir, {recursive: true, force: true}));

describe("benchlab batches, quarantine, corrections and sql", () => {
  it("batches lists every ingest with its counts and the file's sha256; --file picks one by path or name", () => {
    expect(ingest.status).toBe(1);
    expect(batches.map((b) => [b.file, b.kind, b.new, b.corrections, b.duplicates, b.rejected])).toEqual([
      ["runs.jsonl", "jsonl", "2", "0", "0", "2"],
      ["runs-v2.jsonl", "jsonl", "0", "1", "0", "0"],
      ["runs-v3.jsonl", "jsonl", "1", "1", "0", "0"]
    ]);
    expect(batches[0].file_sha256).toBe(createHash("sha256").update(readFileSync(join(dir, "runs.jsonl"))).digest("hex"));
    expect(batches[0].snapshot).toBe("");
    const text = run("batches", "--db", db);
    expect(text.status).toBe(0);
    expect(text.stdout.split("\n")[0]).toMatch(/^batch +ingested_at +kind +file +snapshot +new +corrections +duplicates +rejected +options$/);
    expect(text.stdout).toMatch(new RegExp(`${batches[1].batch} +\\S+ \\S+ +jsonl +runs-v2\\.jsonl +— +0 +1 +0 +0 +—\\n`));
    // Stored as given on the command line (runs-v3.jsonl); a path names the file by its name.
    for (const file of ["runs-v3.jsonl", join(dir, "runs-v3.jsonl")])
      expect(csvRows(run("batches", "--db", db, "--csv", "--file", file).stdout).map((b) => b.batch)).toEqual([batches[2].batch]);
    const none = run("batches", "--db", db, "--file", "nope.jsonl");
    expect(none.status).toBe(1);
    expect(none.stderr).toContain(`no batch of nope.jsonl in ${db}; benchlab batches --db ${db} lists them all`);
  }, 60_000);

  it("quarantine lists every rejected row as file:line [field] reason, with control characters escaped; --csv keeps the row's text exact", () => {
    // ingest's own message names the command that lists the rest.
    expect(ingest.stderr).toContain(`all rejected rows: benchlab quarantine --db ${db} --batch ${batches[0].batch}`);
    expect(ingest.stderr).toContain("runs.jsonl:3 [colour\\u001b[2J]");
    expect(ingest.stderr).not.toContain(ESC);
    const text = run("quarantine", "--db", db);
    expect(text.status).toBe(0);
    expect(text.stdout.split("\n")).toEqual([
      expect.stringMatching(/^runs\.jsonl:3 \[colour\\u001b\[2J\] unknown field colour\\u001b\[2J: not part of the run-record schema/),
      "runs.jsonl:4 [passed] passed: Invalid input: expected boolean, received string",
      ""
    ]);
    expect(text.stdout).not.toContain(ESC);
    const csv = csvRows(run("quarantine", "--db", db, "--csv", "--batch", batches[0].batch).stdout);
    expect(csv.map((r) => [r.batch, r.file, r.line, r.field])).toEqual([
      [batches[0].batch, "runs.jsonl", "3", `colour${ESC}[2J`],
      [batches[0].batch, "runs.jsonl", "4", "passed"]
    ]);
    expect(csv[0].raw).toBe(hostile);
    // Another batch has no rejected rows; an unknown one is an error that names the command listing batches.
    expect(run("quarantine", "--db", db, "--batch", batches[1].batch).stderr).toBe("no rejected rows\n");
    const unknown = run("quarantine", "--db", db, "--batch", "nope");
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain(`no ingest batch nope in ${db}; benchlab batches --db ${db} lists them`);
    expect(run("quarantine", "--db", db, "--file", "runs-v2.jsonl").stderr).toBe("no rejected rows\n");
    // A file no batch read is an error too, as in `batches --file`, not "no rejected rows".
    const typo = run("quarantine", "--db", db, "--file", "runs-v9.jsonl");
    expect([typo.status, typo.stderr]).toEqual([1, `benchlab quarantine: no batch of runs-v9.jsonl in ${db}; benchlab batches --db ${db} lists them all\n`]);
  }, 60_000);

  it("corrections shows every version of a corrected key and the fields each changed; --csv has one row per changed field", () => {
    expect(ingest.stdout).toContain(`runs-v2.jsonl: 0 new, 1 corrections`);
    expect(ingest.stdout).toContain(`what the corrections changed: benchlab corrections --db ${db} --batch ${batches[1].batch}`);
    expect(ingest.stdout).toContain(`what the corrections changed: benchlab corrections --db ${db} --batch ${batches[2].batch}`);
    const text = run("corrections", "--db", db);
    expect(text.status).toBe(0);
    const [b1, b2, b3] = batches.map((b) => b.batch);
    expect(text.stdout.split("\n")).toEqual([
      "benchmark=qa split=— run_id=r1 model=m1 harness=— mode=— plugins=— item_id=q1 trial=0",
      expect.stringMatching(new RegExp(`^  v1  batch ${b1} line 1, \\S+ \\S+$`)),
      expect.stringMatching(new RegExp(`^  v2  batch ${b2} line 1, \\S+ \\S+  score: 0\\.5 -> 0\\.75; output: — -> "=HYPERLINK\\(1\\)"$`)),
      expect.stringMatching(new RegExp(`^  v3 \\(latest\\)  batch ${b3} line 1, \\S+ \\S+  score: 0\\.75 -> 1\\.0$`)),
      ""
    ]);
    const csv = csvRows(run("corrections", "--db", db, "--csv").stdout);
    expect(csv.map((r) => [r.item_id, r.split, r.version, r.field, r.before, r.after, r.batch, r.previous_batch, r.latest])).toEqual([
      ["q1", "", "2", "score", "0.5", "0.75", b2, b1, "false"],
      ["q1", "", "2", "output", "", `"=HYPERLINK(1)"`, b2, b1, "false"],
      ["q1", "", "3", "score", "0.75", "1.0", b3, b2, "true"]
    ]);
    // Filters: the batch that made the key's first version still shows it; another benchmark has none.
    expect(csvRows(run("corrections", "--db", db, "--csv", "--batch", b1).stdout)).toHaveLength(3);
    const other = run("corrections", "--db", db, "--benchmark", "other");
    expect([other.status, other.stdout, other.stderr]).toEqual([0, "", "no corrections among the keys of benchmark other\n"]);
    // A benchmark with no records is a typo, not a benchmark without corrections: refused, listing those there are.
    const misspelt = run("corrections", "--db", db, "--benchmark", "qaa");
    expect([misspelt.status, misspelt.stdout, misspelt.stderr]).toEqual([
      1,
      "",
      `benchlab corrections: --benchmark qaa: no records of that benchmark in ${db}; benchmarks with records: other (1), qa (2)\n`
    ]);
    // A batch that does not exist is said to be unknown, not to have no corrections.
    const unknown = run("corrections", "--db", db, "--batch", "nosuch");
    expect([unknown.status, unknown.stdout]).toEqual([1, ""]);
    expect(unknown.stderr).toContain(`benchlab corrections: no ingest batch nosuch in ${db}; benchlab batches --db ${db} lists them`);
  }, 60_000);

  it("ends quietly, exit 0, when the reader of its output stops early (| head)", () => {
    // `head -c 1` exits after one byte, closing the pipe while sql is still writing 100,000 rows; with pipefail the
    // status is benchlab's.
    const piped = spawnSync("bash", ["-c", `set -o pipefail; "${process.execPath}" "${BENCHLAB_BIN}" sql --db "${db}" --csv "SELECT range AS n FROM range(100000)" | head -c 1; echo " status=$?"`], {encoding: "utf8"});
    expect(piped.stdout).toBe("n status=0\n");
    expect(piped.stderr).not.toMatch(/EPIPE|Error/);
  }, 60_000);

  it("sql runs one read-only query: numbers and 128-bit hashes exact, a row limit in a table, every row in CSV; a write is refused", () => {
    // key_hash: md5 of the canonical key as JSON, its 16 bytes read little-endian (as DuckDB's md5_number).
    const md5 = (text: string) => BigInt(`0x${createHash("md5").update(text).digest().reverse().toString("hex")}`);
    const keyHash = md5(JSON.stringify(["qa", null, "r1", "m1", null, null, null, "q1", "0"]));
    const one = run("sql", "--db", db, "SELECT item_id, 1 / 3 AS third, key_hash FROM records_latest WHERE item_id = 'q1'");
    expect(one.status).toBe(0);
    expect(one.stdout.split("\n")).toEqual([expect.stringMatching(/^item_id +third +key_hash$/), expect.stringMatching(new RegExp(`^q1 +0\\.3333333333333333 +${keyHash}$`)), ""]);
    expect(one.stderr).toBe("(1 row)\n");
    const all = "SELECT item_id, score, output FROM records ORDER BY benchmark, item_id, ingested_at";
    const limited = run("sql", "--db", db, "--limit", "2", all);
    expect(limited.stdout.split("\n")).toHaveLength(4); // header, two rows, end
    expect(limited.stderr).toBe("(the first 2 rows; --limit N shows more, --csv prints all)\n");
    expect(csvRows(run("sql", "--db", db, "--csv", all).stdout)).toEqual([
      {item_id: "q9", score: "", output: ""},
      {item_id: "q1", score: "0.5", output: ""},
      {item_id: "q1", score: "0.75", output: "'=HYPERLINK(1)"},
      {item_id: "q1", score: "1", output: "'=HYPERLINK(1)"},
      {item_id: "q2", score: "", output: ""}
    ]);
    // The warehouse is opened read-only: a write fails, saying how the warehouse does change, and changes nothing.
    const write = run("sql", "--db", db, "DELETE FROM records");
    expect(write.status).toBe(1);
    expect(write.stderr).toContain("benchlab sql only reads the warehouse, and no other file; the warehouse changes through benchlab ingest and score");
    // Nor can it write a file (COPY TO could overwrite the warehouse itself), or run several statements, or none.
    const copy = run("sql", "--db", db, `COPY (SELECT 1 AS x) TO '${db}' (FORMAT csv)`);
    expect(copy.status).toBe(1);
    expect(copy.stderr).toContain("file system operations are disabled by configuration\nbenchlab sql only reads the warehouse, and no other file");
    const two = run("sql", "--db", db, "SELECT 1; DELETE FROM records");
    expect(two.status).toBe(1);
    expect(two.stderr).toContain("this text holds 2 statements; benchlab sql runs one query at a time, so run each on its own");
    expect(run("sql", "--db", db, " ; ").stderr).toContain('the query is empty; give one, e.g. "SHOW TABLES"');
    expect(run("sql", "--db", db, "--csv", "SELECT count(*) AS n FROM records;").stdout).toBe("n\n5\n");
    // Column names can be run-record text (a PIVOT's columns are its values): escaped like the cells.
    const pivot = run("sql", "--db", db, "PIVOT (SELECT 'm' || chr(27) || '[2J' AS model, 1 AS v) ON model USING sum(v)");
    expect(pivot.stdout.split("\n")[0]).toBe("m\\u001b[2J");
    const missing = run("sql", "--db", join(dir, "nope.duckdb"), "SELECT 1");
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain(`${join(dir, "nope.duckdb")}: no warehouse there; give the --db of an existing one`);
  }, 60_000);
});
