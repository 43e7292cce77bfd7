/**
 * Node-side logic of pages 5-8 (Slices, Consistency, Decision surface, Judge audit) on the bundled real data: the
 * query modules in data-loaders/site/pages/ run against a warehouse loaded the way `npm run build` loads it
 * (bundled snapshots + judge labels), and their rows are checked against golden values (tau-bench pass^k from the
 * issue, LLMBar's re-coded kappa from src/lib/judge/audit.ts) and against the code the CLI runs
 * (`benchlab audit-judge`), so the pages cannot drift from it. The Pareto helper gets a property test against the
 * definition.
 */
import fc from "fast-check";
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {runAudit} from "../../data-loaders/commands/audit-judge.ts";
import {aiderEntries, sweBenchRuns} from "../../data-loaders/site/pages/decision.ts";
import {reportedPassK, taskTrials} from "../../data-loaders/site/pages/consistency.ts";
import {AUDIT_CACHE_ENV, AUDIT_RESAMPLES_ENV, auditTable, judgeAuditRows, listJudges, pageAuditOptions, PAGE_AUDIT_RESAMPLES} from "../../data-loaders/site/pages/judge-audit.ts";
import {loadBundledJudgeLabels} from "../../data-loaders/site/pages/judge-labels.ts";
import {repoSlices} from "../../data-loaders/site/pages/slices.ts";
import {loadBundledSnapshots} from "../../data-loaders/snapshots/load-bundled.ts";
import {openWarehouse, type Warehouse} from "../../data-loaders/warehouse.ts";
import {bestWithinBudget, paretoSplit} from "../../src/lib/decision/pareto.ts";
import {meanPassAtK, meanPassHatK} from "../../src/lib/stats/index.ts";
import {CLEARED, clearVerdicts} from "./cleared-verdicts.ts";
import {BENCHMARK_INDEX_SQL, BENCHMARK_SOURCES_SQL} from "../../data-loaders/site/benchmark-index.ts";

type Row = Record<string, any>;
const rowsOf = (t: {toArray(): {toJSON(): Row}[]}) => t.toArray().map((r) => r.toJSON());

let dir: string;
let db: string;
let wh: Warehouse;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "benchlab-pages-5-8-"));
  db = join(dir, "pages.duckdb");
  wh = await openWarehouse(db);
  await loadBundledSnapshots(wh);
  await loadBundledJudgeLabels(wh);
}, 300_000);

afterAll(() => {
  wh?.close();
  if (dir) rmSync(dir, {recursive: true, force: true});
});

describe("consistency: tau-bench trials", () => {
  it("has 35 airline tasks with 4 trials each, and pass^1..4 = 0.464 / 0.319 / 0.257 / 0.229", async () => {
    const tasks = rowsOf(await taskTrials(wh.connection));
    expect(tasks).toHaveLength(35);
    expect(new Set(tasks.map((t) => t.n))).toEqual(new Set([4]));
    expect(tasks.every((t) => t.domain === "airline" && t.unscored === 0)).toBe(true);
    const counts = tasks.map((t) => ({n: t.n, c: t.c}));
    expect([1, 2, 3, 4].map((k) => +meanPassHatK(counts, k).toFixed(3))).toEqual([0.464, 0.319, 0.257, 0.229]);
    // pass@k rises with k and meets pass^k at k = 1.
    const at = [1, 2, 3, 4].map((k) => meanPassAtK(counts, k));
    expect(at[0]).toBeCloseTo(meanPassHatK(counts, 1), 12);
    for (let k = 1; k < 4; k++) expect(at[k]).toBeGreaterThan(at[k - 1]);
  });

  it("keeps self-reported pass^k as published, on one 0..1 scale, with unreported values null", async () => {
    const rows = rowsOf(await reportedPassK(wh.connection));
    const readme = rows.find((r) => r.benchmark === "tau-bench" && r.domain === "airline" && r.entry_id === "TC (gpt-4o)")!;
    expect([readme.pass1, readme.pass2, readme.pass3, readme.pass4]).toEqual([0.42, 0.273, 0.22, 0.2]);
    const tau2 = rows.filter((r) => r.benchmark === "tau2-bench");
    expect(tau2.every((r) => r.verification_tier === "self-reported")).toBe(true);
    expect(tau2.every((r) => [r.pass1, r.pass2, r.pass3, r.pass4].every((v) => v === null || (v >= 0 && v <= 1)))).toBe(true);
    const o3 = tau2.find((r) => r.entry_id === "o3_openai_2025-01-15" && r.domain === "airline")!;
    expect(o3.pass1).not.toBeNull();
    expect([o3.pass2, o3.pass3, o3.pass4]).toEqual([null, null, null]);
    expect(o3.reported).toBe(1);
    expect(o3.notes).toMatch(/value-unreported/);
    // Every submission x domain of the board is a row (213 submissions' domain rows), complete or not.
    expect(tau2.filter((r) => r.reported < 4).length).toBeGreaterThan(0);
  });
});

describe("slices: SWE-bench Verified by repository", () => {
  it("splits each of the 18 runs' 500 instances over the 12 repositories, resolved counts matching the records", async () => {
    const rows = rowsOf(await repoSlices(wh.connection));
    const models = new Set(rows.map((r) => r.model));
    expect(models.size).toBe(18);
    for (const m of models) {
      const mine = rows.filter((r) => r.model === m);
      expect(mine.reduce((s, r) => s + r.n, 0), m).toBe(500);
      expect(mine).toHaveLength(12);
    }
    const django = rows.find((r) => r.model === "claude-3-7-sonnet-20250219" && r.repo === "django/django")!;
    expect(django.n).toBe(231);
    const resolved37 = rows.filter((r) => r.model === "claude-3-7-sonnet-20250219").reduce((s, r) => s + r.resolved, 0);
    expect(resolved37).toBe(51); // the per-instance file resolves 51 of 500 (flagged against the published 52.8%)
  });
});

describe("unscored records (passed NULL) are not failures", () => {
  it("slices, decision and consistency count only scored records in n, report the unscored, and give null (not 0) where nothing is scored", async () => {
    const {model, wholeRepo, partRepo} = CLEARED;
    const read = async () => ({
      repos: rowsOf(await repoSlices(wh.connection)).filter((r) => r.model === model),
      run: rowsOf(await sweBenchRuns(wh.connection)).find((r) => r.model === model)!,
      tasks: rowsOf(await taskTrials(wh.connection))
    });
    const before = await read();
    const c = wh.connection;
    await c.run("BEGIN TRANSACTION");
    let after: Awaited<ReturnType<typeof read>>;
    let cleared: {mixedTask: string; otherTask: string};
    try {
      cleared = await clearVerdicts(c);
      after = await read();
    } finally {
      await c.run("ROLLBACK");
    }

    const repo = (rows: Row[], name: string) => rows.find((r) => r.repo === name)!;
    expect(repo(before.repos, partRepo).resolved).toBeGreaterThan(0); // a resolved instance is among those cleared
    expect(repo(after.repos, wholeRepo)).toMatchObject({n: 0, resolved: null, unscored: CLEARED.wholeRepoSize});
    expect(repo(after.repos, partRepo)).toMatchObject({n: repo(before.repos, partRepo).n - 3, resolved: repo(before.repos, partRepo).resolved - 1, unscored: 3});
    const others = (rows: Row[]) => rows.filter((r) => r.repo !== wholeRepo && r.repo !== partRepo);
    expect(others(after.repos)).toEqual(others(before.repos));

    expect(after.run).toMatchObject({n: 500 - 231 - 3, resolved: 51 - repo(before.repos, wholeRepo).resolved - 1, unscored: 234});
    expect(after.run.cost_usd).toBe(before.run.cost_usd); // the run's cost still covers every instance

    const task = (rows: Row[], id: string) => rows.find((t) => t.task === id)!;
    expect(task(after.tasks, cleared.mixedTask)).toMatchObject({n: 2, c: task(before.tasks, cleared.mixedTask).c - 1, unscored: 2});
    expect(task(after.tasks, cleared.otherTask)).toMatchObject({n: 0, c: null, unscored: 4});
    const rest = (rows: Row[]) => rows.filter((t) => t.task !== cleared.mixedTask && t.task !== cleared.otherTask);
    expect(rest(after.tasks)).toEqual(rest(before.tasks));
    expect(rest(after.tasks)).toHaveLength(33);
  });
});

describe("decision surface", () => {
  it("SWE-bench runs: 18 runs with total cost, API calls and the published/per-instance flag", async () => {
    const runs = rowsOf(await sweBenchRuns(wh.connection));
    expect(runs).toHaveLength(18);
    expect(runs.every((r) => r.n === 500 && r.cost_usd > 0 && r.api_calls_n === 500)).toBe(true);
    const c37 = runs.find((r) => r.model === "claude-3-7-sonnet-20250219")!;
    expect(c37.resolved).toBe(51);
    expect(c37.published_resolved_pct).toBe(52.8);
    expect(c37.flags).toMatch(/published-vs-per-item/);
    expect(c37.cost_usd).toBeCloseTo(177.3077, 3);
    expect(c37.cost_per_instance_usd).toBeCloseTo(c37.cost_usd / 500, 12);
  });

  it("aider: total_cost 0 is unreported (null cost, flagged), and success counts reproduce the published pass rate", async () => {
    const entries = rowsOf(await aiderEntries(wh.connection));
    expect(entries).toHaveLength(261);
    const zero = entries.filter((r) => r.total_cost_published !== null && Number(r.total_cost_published) === 0); // "0" and "0.0"
    expect(zero.length).toBeGreaterThan(0);
    for (const r of zero) {
      expect(r.cost_usd, r.entry_id).toBeNull();
      expect(r.flags, r.entry_id).toMatch(/cost-unreported/);
    }
    const scored = entries.filter((r) => r.pass_rate_2_pct !== null);
    expect(scored.filter((r) => r.passed_cases_from === "pass_num_2").length).toBeGreaterThan(0);
    // Reconstructed counts reproduce the published rate unless marked approximate; approximate ones stay within one case.
    for (const r of scored) {
      const error = Math.abs((100 * r.passed_cases) / r.test_cases - r.pass_rate_2_pct);
      if (/approximate/.test(r.passed_cases_from)) expect(error, r.entry_id).toBeLessThanOrEqual(100 / r.test_cases);
      else if (r.passed_cases_from !== "pass_num_2") expect(error, r.entry_id).toBeLessThanOrEqual(0.05 + 1e-9);
    }
    const approximate = scored.filter((r) => /approximate/.test(r.passed_cases_from));
    expect(approximate.map((r) => r.entry_id)).toContain("2024-12-04-00-10-39--architect-qwq-qwen");
    expect(approximate.length).toBeLessThan(scored.length / 10);
  });

  it("Pareto set: the polyglot frontier excludes runs without a cost and is monotone", async () => {
    const polyglot = rowsOf(await aiderEntries(wh.connection)).filter((r) => r.board === "polyglot_leaderboard");
    const value = (r: Row) => ({cost: r.cost_usd, quality: r.pass_rate_2_pct});
    const {frontier, dominated, unknown} = paretoSplit(polyglot, value);
    expect(frontier.length + dominated.length + unknown.length).toBe(polyglot.length);
    expect(unknown.every((r) => r.cost_usd === null)).toBe(true);
    expect(unknown.length).toBe(polyglot.filter((r) => r.cost_usd === null).length);
    for (let i = 1; i < frontier.length; i++) {
      expect(frontier[i].cost_usd).toBeGreaterThanOrEqual(frontier[i - 1].cost_usd);
      expect(frontier[i].pass_rate_2_pct).toBeGreaterThan(frontier[i - 1].pass_rate_2_pct);
    }
    const top = bestWithinBudget(polyglot, value, Infinity)!;
    expect(top.pass_rate_2_pct).toBe(Math.max(...polyglot.filter((r) => r.cost_usd !== null).map((r) => r.pass_rate_2_pct)));
  });

  it("paretoSplit agrees with the definition of domination on random points", () => {
    const point = fc.record({cost: fc.option(fc.integer({min: 0, max: 6}), {nil: null}), quality: fc.option(fc.integer({min: 0, max: 6}), {nil: null})});
    fc.assert(
      fc.property(fc.array(point, {maxLength: 25}), (points) => {
        const {frontier, dominated, unknown} = paretoSplit(points, (p) => p);
        const comparable = points.filter((p) => p.cost !== null && p.quality !== null) as {cost: number; quality: number}[];
        const isDominated = (p: {cost: number; quality: number}) =>
          comparable.some((q) => q.cost <= p.cost && q.quality >= p.quality && (q.cost < p.cost || q.quality > p.quality));
        expect(unknown.length).toBe(points.length - comparable.length);
        for (const p of frontier) expect(isDominated(p as {cost: number; quality: number})).toBe(false);
        for (const p of dominated) expect(isDominated(p as {cost: number; quality: number})).toBe(true);
        const best = bestWithinBudget(points, (p) => p, 3);
        const affordable = comparable.filter((p) => p.cost <= 3);
        expect(best === null ? null : best.quality).toBe(affordable.length ? Math.max(...affordable.map((p) => p.quality)) : null);
      })
    );
  });
});

describe("index: judge benchmarks", () => {
  it("counts TriviaQA judges' and LLMBar's labels and judge verdicts, dated by their snapshots, instead of 0 and —", async () => {
    const index = (await wh.connection.runAndReadAll(BENCHMARK_INDEX_SQL)).getRowObjectsJS();
    const row = (b: string) => index.find((r) => r.benchmark === b)!;
    const count = async (sql: string) => Number((await wh.connection.runAndReadAll(sql)).getRows()[0][0]);
    // Independent counts: the label tables by snapshot id; verdicts on the label files' items.
    for (const [benchmark, dataset] of [["triviaqa-judges", "2026-11-22-triviaqa-judges-human"], ["llmbar", "2026-11-22-llmbar-judges"]]) {
      expect(Number(row(benchmark).labels), benchmark).toBe(await count(`SELECT count(*) FROM human_labels WHERE dataset = '${dataset}'`));
      expect(Number(row(benchmark).judge_verdicts), benchmark).toBe(
        await count(`SELECT count(*) FROM recorded_scores WHERE key_hash IN (SELECT key_hash FROM label_items WHERE dataset = '${dataset}')`)
      );
      expect(String(row(benchmark).last_snapshot).slice(0, 10), benchmark).not.toBe("null");
      expect(new Date(String(row(benchmark).first_snapshot)).toISOString().slice(0, 10)).toBe("2026-11-22");
    }
    expect(Number(row("triviaqa-judges").labels) + Number(row("llmbar").labels)).toBe(2726);
    expect(Number(row("triviaqa-judges").judge_verdicts) + Number(row("llmbar").judge_verdicts)).toBe(68725);
    expect(Number(row("swe-bench-verified").labels)).toBe(0);
    // The page's stamp names the label snapshots the counts rest on.
    const sources = (await wh.connection.runAndReadAll(BENCHMARK_SOURCES_SQL)).getRows().map((r) => String(r[0]));
    expect(sources).toEqual(expect.arrayContaining(["2026-11-22-triviaqa-judges-human", "2026-11-22-llmbar-judges"]));
  });
});

describe("judge audit", () => {
  it("the build's labels give 76 judges: 11 on TriviaQA, 65 on LLMBar", async () => {
    const judges = await listJudges(wh.connection);
    const by = (re: RegExp) => judges.filter((j) => re.test(j.dataset));
    expect(by(/triviaqa/).length).toBe(11);
    expect(by(/llmbar/).length).toBe(65);
    expect(by(/triviaqa/).map((j) => j.judge)).toContain("EM");
  });

  it("resamples default to 1000 and can be set; anything else is refused", () => {
    expect(PAGE_AUDIT_RESAMPLES).toBe(1000);
    expect(pageAuditOptions({}).resamples).toBe(1000);
    expect(pageAuditOptions({[AUDIT_RESAMPLES_ENV]: "300"}).resamples).toBe(300);
    expect(() => pageAuditOptions({[AUDIT_RESAMPLES_ENV]: "many"})).toThrow(AUDIT_RESAMPLES_ENV);
  });

  it("a cached audit is the computed one, and a different B misses the cache", async () => {
    const only = (j: {judge: string}) => j.judge === "EM";
    const fresh = await judgeAuditRows(wh, {env: {[AUDIT_RESAMPLES_ENV]: "60", [AUDIT_CACHE_ENV]: "off"}, only});
    const first = await judgeAuditRows(wh, {env: {[AUDIT_RESAMPLES_ENV]: "60"}, only});
    const cached = await judgeAuditRows(wh, {env: {[AUDIT_RESAMPLES_ENV]: "60"}, only});
    expect(first).toEqual(fresh);
    expect(cached).toEqual(fresh);
    const other = await judgeAuditRows(wh, {env: {[AUDIT_RESAMPLES_ENV]: "61"}, only});
    expect(other[0].resamples).toBe(61);
    expect(other[0].cohen_kappa).toBe(fresh[0].cohen_kappa); // the point estimate does not depend on B
  }, 120_000);

  it("the page rows equal `benchlab audit-judge` (CLI code, same resamples) for a pointwise and a pairwise judge", async () => {
    const resamples = 200;
    const env = {[AUDIT_RESAMPLES_ENV]: String(resamples), [AUDIT_CACHE_ENV]: "off"};
    const picked = new Set(["GPT-4", "ChatGPT/Vanilla"]);
    const rows = await judgeAuditRows(wh, {env, only: (j) => picked.has(j.judge)});
    expect(auditTable(rows).numRows).toBe(rows.length);
    wh.close(); // runAudit opens the warehouse file itself
    try {
      for (const judge of picked) {
        const cli = await runAudit({db, judge, threshold: 0.8, statistic: "kappa", seed: pageAuditOptions({}).seed, resamples, record: false});
        const mine = rows.filter((r) => r.judge === judge);
        const overall = mine.find((r) => r.scope === "overall")!;
        for (const s of ["percent_agreement", "cohen_kappa", "scott_pi", "krippendorff_alpha", "gwet_ac1"] as const) {
          expect([overall[s], overall[`${s}_lo`], overall[`${s}_hi`]], `${judge} ${s}`).toEqual([cli[s].estimate, cli[s].lower, cli[s].upper]);
        }
        expect(JSON.parse(String(overall.confusion))).toEqual(cli.confusion);
        expect(overall.n_items).toBe(cli.n_items);
        // Pass/fail and pairwise judges: the page's default statistic is the CLI's, Cohen's kappa.
        expect(new Set(mine.map((r) => r.default_statistic))).toEqual(new Set(["cohen_kappa"]));
        for (const slice of cli.slices) {
          const row = mine.find((r) => r.scope === "slice" && r.slice === slice.slice)!;
          expect([row.cohen_kappa, row.cohen_kappa_lo, row.cohen_kappa_hi], `${judge} ${slice.slice}`).toEqual([slice.cohen_kappa.estimate, slice.cohen_kappa.lower, slice.cohen_kappa.upper]);
        }
      }
    } finally {
      wh = await openWarehouse(db);
    }
    // LLMBar re-coded: ChatGPT/Vanilla on Natural, original order, kappa 0.603 (0.194 in upstream statistics.json).
    const natural = rows.find((r) => r.judge === "ChatGPT/Vanilla" && r.scope === "original" && r.slice === "Natural")!;
    expect(Number(natural.cohen_kappa).toFixed(3)).toBe("0.603");
    // TriviaQA GPT-4: slices are the 6 exam-takers.
    expect(rows.filter((r) => r.judge === "GPT-4" && r.scope === "slice").map((r) => r.slice).sort()).toEqual(
      ["gpt-4t", "llama2-13b-chat", "llama2-70b-chat", "llama2-7b-base", "llama2-7b-chat", "mistral-7B"]
    );
  }, 300_000);
});
