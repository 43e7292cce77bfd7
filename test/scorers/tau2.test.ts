/**
 * The trajectory scorer on 20 real tau2-bench simulations, with each task's expected actions as rules, compared
 * with tau2's own action_checks (not with tau2's reward: in 18 of the 20 simulations the reward rests on
 * environment assertions only, reward_basis = ["ENV_ASSERTION"]).
 */
import {mkdtempSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {beforeAll, describe, expect, it} from "vitest";
import {importTau2File, type Tau2Import} from "../../data-loaders/ingest/tau2.ts";
import {runScoring} from "../../data-loaders/scoring/run.ts";
import trajectory, {checkRule} from "../../scorers/trajectory.ts";
import {RunRecord} from "../../src/lib/schema.ts";
import {openWarehouse} from "../../data-loaders/warehouse.ts";
import {benchlabProcess} from "../cli.ts";
import {insertRecords, tempWarehouse} from "./records.ts";
import {score} from "./score-helper.ts";

const FILE = join(import.meta.dirname, "../fixtures/scorers/tau2_bench/2025-08-10T02-44-06.496849_telecom_llm_agent_gpt-4o_user_simulator_gpt-4o.json.gz");

let imported: Tau2Import;
beforeAll(async () => {
  imported = await importTau2File(FILE);
});

describe("tau2-bench importer", () => {
  it("imports 20 simulations as valid run records with actor-tagged steps and 27 expected-action rules", () => {
    expect(imported.records).toHaveLength(20);
    for (const r of imported.records) expect(RunRecord.safeParse(r).success).toBe(true);
    const rules = imported.records.flatMap((r) => JSON.parse(r.target!).rules);
    expect(rules).toHaveLength(27);
    expect(rules.filter((r) => r.actor === "user")).toHaveLength(20);
    const steps = imported.records.flatMap((r) => r.trajectory!);
    expect(new Set(steps.map((s) => s.actor))).toEqual(new Set(["agent", "user", "tool"]));
    // The user simulator calls device tools itself (toggle_roaming, reboot_device, ...): 125 calls, one per tool
    // message with requestor "user" in the file.
    expect(steps.filter((s) => s.actor === "user" && s.tool).length).toBe(125);
    expect(imported.records.map((r) => r.score).filter((s) => s === 1)).toHaveLength(14);
  });

  it("names the file and field of a malformed document", async () => {
    const {importTau2Results} = await import("../../data-loaders/ingest/tau2.ts");
    expect(() => importTau2Results({timestamp: "x", info: {}, tasks: [], simulations: []}, "bad.json")).toThrow(/^bad\.json: not a tau2-bench results file: field info\.agent_info: /);
  });
});

describe("trajectory verdicts vs tau2's action_checks", () => {
  it("agrees on every simulation and every expected action", async () => {
    const simulationDisagreements: string[] = [];
    const actionDisagreements: string[] = [];
    let failing = 0;
    for (const record of imported.records) {
      const ours = await score(trajectory, record, {rulesFromTarget: true});
      const checks = imported.actionChecks.get(`${record.item_id}#${record.trial}`)!;
      const theirs = checks.every((c) => c.match);
      if (ours.passed !== theirs) simulationDisagreements.push(record.item_id);
      if (!ours.passed) failing++;
      const rules = JSON.parse(record.target!).rules;
      checks.forEach((c, i) => {
        const ok = checkRule(trajectory.params.parse({rules: [rules[i]]}).rules[0], record.trajectory!).length === 0;
        if (ok !== c.match) actionDisagreements.push(`${record.item_id} ${c.action_id}`);
      });
    }
    // No disagreement on this file. Two differences of rule semantics could have produced one, and did not:
    // (1) our rules match on the actor, tau2's compare_with_tool_call ignores the requestor: no tool here is called
    //     by both the agent and the user with the expected arguments;
    // (2) with compare_args null tau2 compares only the arguments the call has (a call lacking an expected
    //     argument still matches), ours needs the same argument names: no call here omits an expected argument.
    expect(simulationDisagreements).toEqual([]);
    expect(actionDisagreements).toEqual([]);
    expect(failing).toBe(6);
  });

  it("reports each failed expected action with the near misses a reader checks first", async () => {
    const record = imported.records.find((r) => r.item_id === "[service_issue]overdue_bill_suspension[PERSONA:Easy]")!;
    const result = await score(trajectory, record, {rulesFromTarget: true});
    // The agent resumed line L1001 where the task expected L1002: the other three expected actions hold.
    expect(result).toMatchObject({passed: false, value: 3 / 4});
    expect(result.violations).toEqual([
      {
        rule: "resume_line_2",
        step: null,
        message: expect.stringMatching(/^no step matches agent resume_line\(\{"customer_id":"C1001","line_id":"L1002"\}\); near misses: step \d+: agent resume_line\(\{"customer_id":"C1001","line_id":"L1001"\}\)$/)
      }
    ]);
  });

  it("matches on the actor: the user's toggle_data is not the agent's", async () => {
    const record = imported.records.find((r) => r.item_id === "[mobile_data_issue]data_mode_off[PERSONA:None]")!;
    expect(await score(trajectory, record, {rules: [{type: "must-call", actor: "user", tool: "toggle_data"}]})).toMatchObject({passed: true});
    expect(await score(trajectory, record, {rules: [{type: "must-call", actor: "agent", tool: "toggle_data"}]})).toMatchObject({passed: false});
  });

  it("a scoring run stores each simulation's verdict with its violations", async () => {
    const wh = await tempWarehouse();
    try {
      await insertRecords(wh, imported.records);
      const summary = await runScoring(wh, trajectory, {rulesFromTarget: true}, {benchmark: "tau2-bench"});
      expect(summary).toMatchObject({selected: 20, scored: 20, skipped: 0, errors: 0});
      const rows = (await wh.connection.runAndReadAll(
        `SELECT count(*) FILTER (WHERE passed) AS passed, count(*) FILTER (WHERE violations IS NOT NULL AND json_array_length(violations) > 0) AS with_violations FROM scores WHERE scorer = 'trajectory'`
      )).getRowObjectsJson();
      expect(rows).toEqual([{passed: "14", with_violations: "6"}]);
    } finally {
      wh.close();
    }
  });
});

describe("benchlab ingest --format tau2, then benchlab score", () => {
  const benchlab = (...args: string[]) => benchlabProcess(args);

  it("stores the 20 simulations as validated records, adds nothing on re-ingest, and the trajectory scorer passes 14", async () => {
    const dir = mkdtempSync(join(tmpdir(), "benchlab-tau2-cli-"));
    const db = join(dir, "wh.duckdb");
    const first = benchlab("ingest", "--db", db, "--format", "tau2", FILE);
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/: 20 new, 0 corrections, 0 duplicates, 0 rejected/);
    expect(benchlab("ingest", "--db", db, "--format", "tau2", FILE).stdout).toMatch(/: 0 new, 0 corrections, 20 duplicates, 0 rejected/);
    const scored = benchlab("score", "--db", db, "--scorer", "trajectory", "--params", JSON.stringify({rulesFromTarget: true}));
    expect(scored.status).toBe(0);
    expect(scored.stdout).toMatch(/scored 20 records/);
    const wh = await openWarehouse(db);
    try {
      const rows = (await wh.connection.runAndReadAll(
        `SELECT b.kind, b.file_sha256, count(*) FILTER (WHERE s.passed) AS passed, count(*) AS n
         FROM scores s JOIN records r USING (record_id) JOIN ingest_batches b USING (batch_id) WHERE s.scorer = 'trajectory' GROUP BY ALL`
      )).getRowObjectsJS();
      // The batch keeps the sha256 of the file as given (gzipped), not of the staged lines.
      const {createHash} = await import("node:crypto");
      const {readFileSync} = await import("node:fs");
      expect(rows).toEqual([{kind: "tau2", file_sha256: createHash("sha256").update(readFileSync(FILE)).digest("hex"), passed: 14n, n: 20n}]);
    } finally {
      wh.close();
    }
  }, 60_000);

  it("a file that is not a tau2-bench results file is a clear error naming it, and stores nothing", () => {
    const dir = mkdtempSync(join(tmpdir(), "benchlab-tau2-cli-"));
    const file = join(dir, "runs.json");
    writeFileSync(file, JSON.stringify({simulations: []}));
    const run = benchlab("ingest", "--db", join(dir, "wh.duckdb"), "--format", "tau2", file);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`benchlab ingest: ${file}: not a tau2-bench results file: field timestamp:`);
  }, 60_000);
});
