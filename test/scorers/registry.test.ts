import {mkdtempSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {PROJECT_SCORERS, ScorerRegistry, pluginFiles, scorerDirs} from "../../data-loaders/scoring/registry.ts";
import {parseScorerParams} from "../../src/lib/scorer.ts";
import {insertRecords, tempDbPath} from "./records.ts";
import {openWarehouse} from "../../data-loaders/warehouse.ts";
import {benchlabProcess} from "../cli.ts";

const BUILT_INS = ["exact-match", "field-recovery", "includes", "json-field", "json-valid", "llm-judge", "multiple-choice", "numeric", "regex", "state", "structured-wer", "token-f1", "trajectory", "wer"];

/** A plugin in a folder outside the repository: it must resolve `benchlab/scorer` with no node_modules there. */
const SHOUT = `import {defineScorer, z} from "benchlab/scorer";
export default defineScorer({
  name: "shout",
  version: "0.1.0",
  kind: "deterministic",
  description: "Output is written in capitals.",
  params: z.object({minLength: z.number().int().min(1).default(1).describe("shortest output that counts")}),
  score(record, params) {
    const out = record.output ?? "";
    const ok = out.length >= params.minLength && out === out.toUpperCase();
    return {value: ok ? 1 : 0, passed: ok, explanation: ok ? "all capitals" : "not all capitals"};
  }
});
`;

function userDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "benchlab-user-scorers-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** stdout of `benchlab ARGS`; a failing command throws with its stderr. */
function cli(args: string[], env: NodeJS.ProcessEnv = {}): string {
  const r = benchlabProcess(args, {env});
  if (r.status !== 0) throw new Error(`benchlab ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

describe("scorer registry", () => {
  it("discovers every built-in plugin of scorers/ and skips test files", async () => {
    const registry = await ScorerRegistry.discover([PROJECT_SCORERS]);
    expect(registry.list().map((r) => r.scorer.name)).toEqual(BUILT_INS);
    const dir = userDir({"shout.ts": SHOUT, "shout.test.ts": "throw new Error('a test file is not a plugin')", "types.d.ts": "export {};"});
    expect(pluginFiles(dir).map((f) => f.slice(dir.length + 1))).toEqual(["shout.ts"]);
  });

  it("loads a plugin from a folder outside the repo, as an ES module or as CommonJS (no package.json)", async () => {
    const cjs = userDir({"shout.ts": SHOUT});
    const esm = userDir({"shout.ts": SHOUT, "package.json": '{"type": "module"}'});
    for (const dir of [cjs, esm]) {
      const registry = await ScorerRegistry.discover([dir]);
      const {scorer, file} = registry.get("shout");
      expect(file).toBe(join(dir, "shout.ts"));
      const params = parseScorerParams(scorer, {});
      expect(await scorer.score({output: "HELLO"}, params, {services: {}})).toEqual({value: 1, passed: true, explanation: "all capitals"});
      expect(await scorer.score({output: "Hello"}, params, {services: {}})).toMatchObject({passed: false});
    }
  });

  it("adds directories from BENCHLAB_SCORERS and --scorers-dir after the project's", () => {
    const dirs = scorerDirs(["/x/extra"], {BENCHLAB_SCORERS: ["/a/one", "/b/two"].join(":")});
    expect(dirs).toEqual([PROJECT_SCORERS, "/a/one", "/b/two", "/x/extra"]);
  });

  it("refuses two scorers with one name, naming both files", async () => {
    const dir = userDir({"exact.ts": SHOUT.replace('"shout"', '"exact-match"')});
    await expect(ScorerRegistry.discover([PROJECT_SCORERS, dir])).rejects.toThrow(/two scorers are named "exact-match": .*scorers\/exact-match\.ts and .*exact\.ts/);
  });

  it("refuses a file whose default export is not a scorer, and a broken declaration", async () => {
    await expect(ScorerRegistry.discover([userDir({"plain.ts": "export default {name: 'x'};"})])).rejects.toThrow(/plain\.ts: the default export is not a scorer/);
    const bad = SHOUT.replace('version: "0.1.0"', 'version: ""');
    await expect(ScorerRegistry.discover([userDir({"bad.ts": bad})])).rejects.toThrow(/bad\.ts failed to load: defineScorer\("shout"\): version must be a non-empty string/);
  });

  it("names scorer and field when params are invalid", async () => {
    const registry = await ScorerRegistry.discover([PROJECT_SCORERS]);
    expect(() => parseScorerParams(registry.get("numeric").scorer, {abs: -1})).toThrow(/scorer "numeric": invalid params: abs: .*>=0/);
    expect(() => parseScorerParams(registry.get("regex").scorer, {pattern: "a(b"})).toThrow(/scorer "regex": invalid params: pattern: not a valid RE2 pattern/);
    expect(() => parseScorerParams(registry.get("regex").scorer, {pattern: "(a)", group: 2})).toThrow(/scorer "regex": invalid params: group: the pattern has 1 groups/);
    expect(() => registry.get("nope")).toThrow(/unknown scorer "nope"; known scorers: exact-match, /);
  });

  it("refuses a param the scorer does not declare (zod would drop it, and a misspelt one would run with its default)", async () => {
    const registry = await ScorerRegistry.discover([PROJECT_SCORERS]);
    const exact = registry.get("exact-match").scorer;
    expect(() => parseScorerParams(exact, {ignorecase: true})).toThrow(
      /scorer "exact-match": unknown param "ignorecase"; its params are ignoreCase, whitespace, ignorePunctuation, nfkc\./
    );
    expect(parseScorerParams(exact, {ignoreCase: true})).toMatchObject({ignoreCase: true});
    // A strict schema (llm-judge's) says the same.
    expect(() => parseScorerParams(registry.get("llm-judge").scorer, {modle: "x"})).toThrow(/scorer "llm-judge": unknown param "modle"/);
    // A graded scale upside down is refused with the params, before any record is read.
    expect(() => parseScorerParams(registry.get("llm-judge").scorer, {model: "m", mode: "graded", scale: {min: 5, max: 1}})).toThrow(
      /scorer "llm-judge": invalid params: scale: scale max must be above min/
    );
    expect(() => parseScorerParams(registry.get("json-valid").scorer, {strict: true})).toThrow(/scorer "json-valid": unknown param "strict"; its params are type\./);
  });

  it("`benchlab score --scorer` runs a new scorer file from a temporary directory with no other change", async () => {
    const dir = userDir({"shout.ts": SHOUT});
    const db = tempDbPath();
    const wh = await openWarehouse(db);
    await insertRecords(wh, [
      {benchmark: "demo", item_id: "1", model: "m", run_id: "r", output: "YES"},
      {benchmark: "demo", item_id: "2", model: "m", run_id: "r", output: "no"},
      {benchmark: "other", item_id: "3", model: "m", run_id: "r", output: "LOUD"}
    ]);
    wh.close();
    const out = cli(["score", "--db", db, "--scorer", "shout", "--params", '{"minLength": 2}', "--benchmark", "demo", "--scorers-dir", dir]);
    expect(out).toMatch(/shout@0\.1\.0 \(deterministic, params sha256 [0-9a-f]{12}\): scored 2 records, skipped 0 already scored, 0 errors; .* records\/s/);
    // The same scorer found through BENCHLAB_SCORERS instead of the flag; everything is already scored.
    expect(cli(["score", "--db", db, "--scorer", "shout", "--params", '{"minLength": 2}', "--benchmark", "demo"], {BENCHLAB_SCORERS: dir})).toMatch(/scored 0 records, skipped 2 already scored/);
    const check = await openWarehouse(db);
    const rows = (await check.connection.runAndReadAll("SELECT r.item_id, s.value, s.passed, s.scorer_version, s.params FROM scores s JOIN records r USING (key_hash) ORDER BY r.item_id")).getRowObjectsJson();
    check.close();
    expect(rows).toEqual([
      {item_id: "1", value: 1, passed: true, scorer_version: "0.1.0", params: '{"minLength":2}'},
      {item_id: "2", value: 0, passed: false, scorer_version: "0.1.0", params: '{"minLength":2}'}
    ]);
  });

  it("`benchlab score` stops on a plugin's forbidden result, naming its file; judge options on another scorer, and --params that is not an object, are refused", async () => {
    const dir = userDir({"too-much.ts": SHOUT.replace('name: "shout"', 'name: "too-much"').replace(/score\([^]*$/, "score: () => ({value: 2, explanation: \"over\"})\n});\n")});
    const db = tempDbPath();
    const wh = await openWarehouse(db);
    await insertRecords(wh, [{benchmark: "demo", item_id: "1", model: "m", run_id: "r", output: "YES"}]);
    wh.close();
    const run = (...args: string[]) => benchlabProcess(["score", "--db", db, ...args]);
    const broken = run("--scorer", "too-much", "--scorers-dir", dir);
    expect(broken.status).toBe(1);
    expect(broken.stderr).toContain(
      `benchlab: scorer "too-much" returned value 2, expected a number in [0, 1] or null on the record of benchmark demo, item 1, model m, run r, trial 0; ` +
        `the scorer is broken, so the run stopped. Fix the scorer and run again: the records it scored before are kept, the rest are scored then (the scorer's file: ${join(dir, "too-much.ts")})`
    );
    const judgeFlags = run("--scorer", "exact-match", "--max-cost", "1", "--no-structured-output");
    expect(judgeFlags.status).toBe(1);
    expect(judgeFlags.stderr).toContain("benchlab: --max-cost, --no-structured-output: only judge scorers use these options, and exact-match is a deterministic scorer; leave them out");
    for (const params of ["null", "[]", "5"]) {
      const notObject = run("--scorer", "exact-match", "--params", params);
      expect(notObject.status).toBe(1);
      expect(notObject.stderr).toContain(`benchlab: --params ${params}: expected a JSON object of parameters, e.g. --params '{"ignoreCase": true}' ({} for none)`);
    }
    expect(run("--scorer", "exact-match", "--concurrency", "2").stdout).toMatch(/^exact-match@\S+ \(deterministic, params sha256 \w+\): scored 1 records/m);
  });

  it("`benchlab score` refuses a --benchmark with no records, and counts a run's errors by reason", async () => {
    const db = tempDbPath();
    const wh = await openWarehouse(db);
    await insertRecords(wh, [
      {benchmark: "demo", item_id: "1", model: "m", run_id: "r", output: "YES", target: "YES"},
      {benchmark: "demo", item_id: "2", model: "m", run_id: "r", output: "no"},
      {benchmark: "demo", item_id: "3", model: "m", run_id: "r", output: "x"},
      {benchmark: "other", item_id: "4", model: "m", run_id: "r", output: "x"}
    ]);
    wh.close();
    const score = (...args: string[]) => benchlabProcess(["score", "--db", db, "--scorer", "exact-match", ...args]);
    const typo = score("--benchmark", "dmeo");
    expect(typo.status).toBe(1);
    expect(typo.stderr).toContain(`--benchmark dmeo: no records of that benchmark in ${db}; benchmarks with records: demo (3), other (1)`);
    // An empty one (an unset shell variable) is refused the same way, not taken as "no filter" or as a match.
    const empty = score("--benchmark", "");
    expect(empty.status).toBe(1);
    expect(empty.stderr).toContain(`--benchmark : no records of that benchmark in ${db}`);
    const run = score("--benchmark", "demo");
    // Records that failed to score make the exit status 1, as rejected rows do for ingest.
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/scored 3 records, skipped 0 already scored, 2 errors/);
    expect(run.stderr.split("\n").slice(-4)).toEqual([
      "errors (each stored in place of its record's score):",
      "  2 × record has no target to compare with",
      expect.stringMatching(new RegExp(`^  every one: benchlab sql --db ${db} "SELECT r\\.benchmark, r\\.model, r\\.item_id, s\\.error FROM scores s JOIN records r USING \\(record_id\\) WHERE s\\.run_id = \\d+ AND s\\.error IS NOT NULL ORDER BY ALL"$`)),
      ""
    ]);
    // The query it prints lists exactly those records.
    const listed = benchlabProcess(["sql", "--db", db, "--csv", /"(SELECT .*)"$/m.exec(run.stderr)![1]]);
    expect(listed.stdout).toBe("benchmark,model,item_id,error\ndemo,m,2,record has no target to compare with\ndemo,m,3,record has no target to compare with\n");
    // A re-run skips those records and still exits 1, saying which earlier run stored their errors.
    const again = score("--benchmark", "demo");
    expect(again.status).toBe(1);
    expect(again.stdout).toMatch(/scored 0 records, skipped 3 already scored, 0 errors/);
    const runId = /WHERE s\.run_id = (\d+) AND/.exec(run.stderr)![1];
    expect(again.stderr).toContain(`2 of the records skipped as already scored have an error in place of a score, from earlier run ${runId} (not retried:`);
    const relisted = benchlabProcess(["sql", "--db", db, "--csv", /"(SELECT .*)"$/m.exec(again.stderr)![1]]);
    expect(relisted.stdout).toBe(listed.stdout);
    // A clean run exits 0: the records of "other" score with no error.
    const clean = benchlabProcess(["score", "--db", db, "--scorer", "json-valid", "--benchmark", "other"]);
    expect([clean.status, clean.stdout]).toEqual([0, expect.stringMatching(/scored 1 records, skipped 0 already scored, 0 errors/)]);
    // Its re-run skips a record scored without error: exit 0, nothing on stderr.
    const cleanAgain = benchlabProcess(["score", "--db", db, "--scorer", "json-valid", "--benchmark", "other"]);
    expect([cleanAgain.status, cleanAgain.stderr]).toEqual([0, ""]);
  });

  it("`benchlab scorers` lists name, kind, version and one line; `scorers show` prints params and docs", () => {
    const list = cli(["scorers"]);
    for (const name of BUILT_INS) expect(list).toMatch(new RegExp(`^${name} +(deterministic|state|trajectory|judge) +1\\.\\d+\\.\\d+ +\\S`, "m"));
    const show = cli(["scorers", "show", "numeric"]);
    expect(show).toContain("abs                ");
    expect(show).toMatch(/rel +number, default 0 — relative tolerance, a fraction of \|target\|/);
    expect(show).toMatch(/Reads numbers in forms like 1,234\.5/);
    // A list of a union of rule kinds shows each kind by its type, in parentheses.
    expect(cli(["scorers", "show", "trajectory"])).toMatch(/^ {2}rules +\(\{type: "must-call", …\} \| \{type: "must-not-call", …\} \| .*\)\[\], default \[\]/m);
  });
});
