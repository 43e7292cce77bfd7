/**
 * Loader logic of pages 1-4 (Registry, Compare models, Discriminative power, Anchor vs rotation) on the bundled
 * snapshots, loaded into an in-memory warehouse. Expected values come from an independent path where one exists
 * (a SQL count, the per-instance result rows, the stats function called directly) rather than from the module.
 */
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {loadBundledSnapshots, SNAPSHOTS_DIR} from "../../data-loaders/snapshots/load-bundled.ts";
import {openWarehouse, type Warehouse} from "../../data-loaders/warehouse.ts";
import {compareRuns, perItemRows, selectMatrices} from "../../data-loaders/site/pages/compare.ts";
import {registryBoardHistory, registryBoards, registryCorrections, registryFlags, registryRows, readCodesotaMapping} from "../../data-loaders/site/pages/registry.ts";
import {rankingRows, historyRows, triviaqaOracleDrift, discriminationLeftOut, discriminationOutOfRange, TRIVIAQA_SNAPSHOT, TRUST_BENCHMARKS_SQL} from "../../data-loaders/site/pages/discrimination.ts";
import {loadBundledJudgeLabels} from "../../data-loaders/site/pages/judge-labels.ts";
import {readGzipText} from "../../data-loaders/snapshots/manifest.ts";
import {parse as parseCsv} from "csv-parse/sync";
import {join} from "node:path";
import {submissionRows, versionFamily} from "../../data-loaders/site/pages/anchor-rotation.ts";
import {compareModels} from "../../src/lib/compare-models.ts";
import {bootstrapMeanCI, cohenKappa, discriminativePower, discriminativePowerFromScores, itemsNeededPassFail, separablePairs, wilsonInterval} from "../../src/lib/stats/index.ts";

let wh: Warehouse;
const rows = async (sql: string, params: (string | number)[] = []) => (await wh.connection.runAndReadAll(sql, params)).getRowObjectsJS();
const objects = (t: {toArray(): {toJSON(): Record<string, unknown>}[]}) => t.toArray().map((r) => r.toJSON());

beforeAll(async () => {
  wh = await openWarehouse(":memory:");
  await loadBundledSnapshots(wh);
}, 120_000);
afterAll(() => wh?.close());

async function sweBenchMatrix() {
  const perItem = await perItemRows(wh.connection);
  const {cells, excluded} = selectMatrices(perItem);
  const outcomes: Record<string, number[]> = {};
  const items = [...new Set(cells.filter((c) => c.benchmark === "swe-bench-verified").map((c) => c.item_id))].sort();
  const pos = new Map(items.map((id, i) => [id, i]));
  for (const c of cells.filter((c) => c.benchmark === "swe-bench-verified")) (outcomes[c.model] ??= new Array(items.length).fill(NaN))[pos.get(c.item_id)!] = c.passed;
  return {cells, excluded, outcomes, items};
}

describe("Compare models: per-item matrices", () => {
  it("holds the 18 SWE-bench Verified runs on the same 500 instances and the 4 tau2 airline runs (one simulator) on 50 tasks", async () => {
    const {cells, excluded, outcomes, items} = await sweBenchMatrix();
    expect(Object.keys(outcomes)).toHaveLength(18);
    expect(items).toHaveLength(500);
    for (const x of Object.values(outcomes)) expect(x.every((v) => v === 0 || v === 1)).toBe(true);
    const tau2 = cells.filter((c) => c.benchmark === "tau2-bench");
    expect(new Set(tau2.map((c) => c.run_id)).size).toBe(4);
    expect(new Set(tau2.map((c) => c.item_id)).size).toBe(50);
    expect(excluded.find((e) => e.benchmark === "tau-bench")?.reason).toMatch(/several trials/);
    expect(excluded.filter((e) => e.benchmark === "swe-bench-verified")).toEqual([]);
  });

  it("per-model pass counts equal the per-instance result rows (claude-3-7-sonnet: 51 of 500)", async () => {
    const {outcomes} = await sweBenchMatrix();
    const published = await rows("SELECT model, value FROM results WHERE metric = 'resolved_pct_per_instance'");
    expect(published).toHaveLength(18);
    for (const p of published) expect(outcomes[String(p.model)].reduce((s, v) => s + v, 0)).toBe(Math.round((Number(p.value) * 500) / 100));
    expect(outcomes["claude-3-7-sonnet-20250219"].reduce((s, v) => s + v, 0)).toBe(51);
  });

  it("the comparison agrees with the statistics called directly (Holm separability, items needed)", async () => {
    const {outcomes, items} = await sweBenchMatrix();
    const c = compareModels({items, outcomes}, {confidenceLevel: 0.95, nResamples: 200, correction: "holm", method: "percentile", reference: "claude-opus-4-5-20251101", gap: 0.03});
    const direct = separablePairs(outcomes, {alpha: 0.05});
    expect(c.nSeparable).toBe(direct.nSeparableHolm);
    expect(c.nSeparable).toBe(113);
    expect(c.pairs).toHaveLength(153);
    const none = compareModels({items, outcomes}, {confidenceLevel: 0.95, nResamples: 200, correction: "none", method: "percentile", reference: "claude-opus-4-5-20251101", gap: 0.03});
    expect(none.nSeparable).toBe(direct.nSeparableRaw);
    const pair = c.pairs[0];
    expect(pair.items_needed).toBe(itemsNeededPassFail(0.03, pair.discordance, {alpha: 0.05, power: 0.8}));
    const wide = compareModels({items, outcomes}, {confidenceLevel: 0.95, nResamples: 200, correction: "holm", method: "percentile", reference: "claude-opus-4-5-20251101", gap: 0.5});
    expect(wide.pairs.filter((p) => p.discordance < 0.5).every((p) => p.items_needed === null)).toBe(true);
    for (const m of c.models) expect(m.lo).toBeLessThanOrEqual(m.rate), expect(m.hi).toBeGreaterThanOrEqual(m.rate);
    expect(c.differences).toHaveLength(17);
    // Percentile intervals from the shared-resample matrix bootstrap agree with the one-model bootstrap to within
    // resampling noise; BCa intervals are exactly bootstrapMeanCI's.
    const kimi = c.models.find((m) => m.model === "Kimi-K2-Instruct")!;
    const single = bootstrapMeanCI(outcomes["Kimi-K2-Instruct"], {nResamples: 200}).percentile;
    expect(Math.abs(kimi.lo - single[0])).toBeLessThan(0.02);
    expect(Math.abs(kimi.hi - single[1])).toBeLessThan(0.02);
    const bca = compareModels({items, outcomes}, {confidenceLevel: 0.95, nResamples: 200, correction: "holm", method: "bca", reference: "claude-opus-4-5-20251101", gap: 0.03});
    expect([bca.models[0].lo, bca.models[0].hi]).toEqual(bootstrapMeanCI(outcomes[bca.models[0].model], {nResamples: 200}).bca);
    const diff = c.differences.find((d) => d.model === "Kimi-K2-Instruct")!;
    // Opus resolved 372 of 500 (74.4%, its published value); the difference is of the two pass rates.
    const opus = c.models.find((m) => m.model === "claude-opus-4-5-20251101")!;
    expect(opus).toMatchObject({n: 500, passed: 372, rate: 0.744});
    expect(diff.difference).toBeCloseTo((kimi.passed - 372) / 500, 12);
    expect(diff.lo).toBeLessThanOrEqual(diff.difference);
    expect(diff.hi).toBeGreaterThanOrEqual(diff.difference);
  });

  it("a matrix row is a run: a model's separate single-trial runs are neither merged nor excluded as 'several trials'", async () => {
    const runs = objects(await compareRuns(wh.connection)).filter((r) => r.benchmark === "tau2-bench");
    const opus = runs.filter((r) => r.base_model === "claude-opus-4-6" && String(r.run_id).includes("airline"));
    expect(opus.map((r) => r.run_id).sort()).toEqual(["adaptive-agent_airline_claude-opus-4-6_1trial@1d455eb1", "adaptive_agent_airline_opus46_cascata@e34cbd25", "airline@b25ec856", "ironshell_airline_opus46_run1@d8bfdae1"]);
    // Each is one trial per item: the SQL count per (run, item) never exceeds 1.
    const trials = await rows("SELECT max(c)::INTEGER AS m FROM (SELECT count(*) AS c FROM records_latest WHERE benchmark = 'tau2-bench' AND model IN ('claude-opus-4-6', 'gpt-5.4') AND passed IS NOT NULL GROUP BY run_id, item_id)");
    expect(trials[0].m).toBe(1);
    for (const r of runs) expect(String(r.excluded_reason ?? ""), String(r.run_id)).not.toMatch(/several trials/);
    expect(opus.find((r) => r.run_id === "airline@b25ec856")).toMatchObject({excluded_reason: null, model: "claude-opus-4-6 (airline@b25ec856)", items: 50});
    expect(opus.find((r) => r.run_id === "ironshell_airline_opus46_run1@d8bfdae1")?.excluded_reason).toMatch(/different item set/);
    const gpt54 = runs.find((r) => r.run_id === "ironshell_airline_gpt54_run1@e77229c1")!;
    expect(gpt54).toMatchObject({excluded_reason: null, items: 50});
    // Compared runs share the user simulator; runs against another one are left out saying so.
    const kept = runs.filter((r) => r.excluded_reason === null);
    expect(kept).toHaveLength(4);
    expect(new Set(kept.map((r) => r.user_simulator))).toEqual(new Set(["gpt-4.1"]));
    expect(runs.find((r) => r.base_model === "openai/gpt-oss-120b")?.excluded_reason).toMatch(/user simulator openai\/gpt-oss-120b differs/);
    expect(runs.find((r) => r.base_model === "whissle")?.excluded_reason).toMatch(/user simulator gpt-4o differs/);
    expect(opus.find((r) => r.run_id === "adaptive_agent_airline_opus46_cascata@e34cbd25")?.excluded_reason).toMatch(/user simulator not recorded/);
  });

  it("lists every run with per-item data, with the reason when it is left out", async () => {
    const runs = objects(await compareRuns(wh.connection));
    const models = await rows("SELECT count(DISTINCT (benchmark, run_id))::INTEGER AS n FROM records_latest WHERE passed IS NOT NULL");
    expect(runs).toHaveLength(Number(models[0].n));
    expect(runs.filter((r) => r.benchmark === "swe-bench-verified" && r.excluded_reason === null)).toHaveLength(18);
  });
});

describe("Registry", () => {
  it("lists all 782 CodeSOTA datasets; only the curated ones get direction and tier", async () => {
    const curated = new Map((await rows("SELECT benchmark, direction, split, verification_tier, released FROM benchmarks")).map((r) => [String(r.benchmark), {direction: r.direction as string, split: r.split as string | null, verification_tier: r.verification_tier as string, released: null}]));
    const registry = registryRows(SNAPSHOTS_DIR, curated);
    expect(registry).toHaveLength(782);
    const mapping = readCodesotaMapping();
    const mapped = registry.filter((r) => r.benchmark !== null);
    expect(mapped.map((r) => r.codesota_id).sort()).toEqual([...mapping.keys()].sort());
    expect(mapped.every((r) => r.direction === "higher-is-better")).toBe(true);
    expect(registry.filter((r) => r.benchmark === null).every((r) => r.direction === null && r.verification_tier === null)).toBe(true);
  });

  it("deduplicates the lowercase SWE-bench boards (130 rows) in the history and reports them per board", async () => {
    const history = objects(await registryBoardHistory(wh.connection));
    expect(history.some((h) => h.board === "lite" || h.board === "test")).toBe(false);
    expect(new Set(history.map((h) => h.snapshot_id)).size).toBe(96);
    const boards = objects(await registryBoards(wh.connection));
    const dup = boards.filter((b) => Number(b.duplicate_rows) > 0);
    expect(dup.map((b) => b.board).sort()).toEqual(["lite", "test"]);
    expect(dup.reduce((s, b) => s + Number(b.duplicate_rows), 0)).toBe(130);
  });

  it("shows corrected values with both values and the correction date, versions of one day in commit order", async () => {
    const corrections = objects(await registryCorrections(wh.connection));
    expect(corrections).toHaveLength(19);
    for (const c of corrections) {
      expect(c.corrected_value).not.toBe(c.previous_value);
      expect(Number(c.previous_date)).toBeLessThanOrEqual(Number(c.corrected_on));
      expect(c.previous_snapshot_id).not.toBe(c.snapshot_id);
    }
    // 2025-07-31 has four versions, committed fa20e1e8, a56b68c9, 1d2b395a, c03a702a (the history's own order).
    // Ordered by id, gpt-4.1-mini's one correction (24.25 -> 23.94) showed as two that undid each other.
    const on = (system: RegExp) =>
      corrections.filter((c) => c.board === "Verified" && system.test(String(c.entry_id)) && String(c.snapshot_id).startsWith("2025-07-31"))
        .map((c) => [c.previous_value, c.corrected_value, String(c.previous_snapshot_id).slice(-8), String(c.snapshot_id).slice(-8)]);
    expect(on(/gpt-4\.1-mini/)).toEqual([[24.25, 23.94, "a56b68c9", "1d2b395a"]]);
    // gemini-2.5-flash is given twice (28.73 and 14.61) in two of those versions: a flagged collision, not corrections.
    expect(on(/gemini-2\.5-flash/)).toEqual([]);
  });

  it("keeps the claude-3-7-sonnet published 52.8% beside its 51/500 per-instance value", async () => {
    const flags = objects(await registryFlags(wh.connection)).filter((f) => f.flag === "published-vs-per-item" && String(f.system).startsWith("Claude 3.7 Sonnet"));
    expect(flags.map((f) => f.value).sort()).toEqual([10.2, 52.8]);
    expect(String(flags[0].notes)).toContain("51/500");
  });
});

describe("The trust card", () => {
  it("dates results by their source's own dates: tau-bench's README rows, dated only by the day taken, give no date", async () => {
    const card = await rows(TRUST_BENCHMARKS_SQL);
    const latest = (benchmark: string) => card.find((c) => c.benchmark === benchmark)!.latest_result;
    expect(latest("tau-bench")).toBeNull();
    expect((latest("swe-bench-verified") as Date).toISOString().slice(0, 10)).toBe("2025-12-10");
  });
});

describe("Discriminative power and saturation", () => {
  it("ranks the SWE-bench per-item matrix by the stats core's D = tiers × headroom (McNemar on the matrix)", async () => {
    const ranking = await rankingRows(wh.connection);
    const row = ranking.find((r) => r.board === "swe-bench-verified per-item runs")!;
    const {outcomes} = await sweBenchMatrix();
    const d = discriminativePower(outcomes);
    // 6 separable tiers, leader at 74.4% (full headroom), 113 of 153 pairs separable after Holm: D = 6
    expect([row.discriminative_power, row.tiers, row.headroom, row.separable_fraction]).toEqual([d.score, d.tiers, d.headroom, d.fractionSeparable]);
    expect([row.discriminative_power, row.tiers, row.headroom]).toEqual([6, 6, 1]);
    expect(row.separable_fraction).toBeCloseTo(113 / 153, 12);
    expect(row.leader_pct).toBeCloseTo(74.4, 9);
    expect(row.chain).toBe(d.chain.join(" > "));
    expect(row.chain!.split(" > ")[0]).toBe(row.leader);
    expect(row.separability_test).toMatch(/McNemar/);
    expect(row.basis).toBe("per-item matrix (18 runs × 500 items)");
  });

  it("gives aggregate-only boards the z-test D where the test-set size is known, and — where it is not", async () => {
    const ranking = await rankingRows(wh.connection);
    const airline = ranking.find((r) => r.board === "tau2-bench/airline")!;
    // one score per entry (several submissions share a display name; D does not depend on the labels)
    const published = await rows(`SELECT entry_id, max(value) AS value FROM results WHERE board = 'tau2-bench/airline' AND metric = 'pass^1_pct' AND snapshot_id = $1 AND value IS NOT NULL GROUP BY entry_id`, [airline.snapshot_id]);
    const scores = Object.fromEntries(published.map((r) => [String(r.entry_id), Number(r.value) / 100]));
    expect(Object.keys(scores)).toHaveLength(airline.models);
    const d = discriminativePowerFromScores(scores, 50);
    expect([airline.discriminative_power, airline.tiers, airline.headroom, airline.separable_fraction]).toEqual([d.score, d.tiers, d.headroom, d.fractionSeparable]);
    expect(airline.separability_test).toMatch(/z-test on aggregates \(n = 50\)/);
    expect(airline.basis).toMatch(/^aggregates/);
    const unknown = ranking.find((r) => r.board === "tau2-bench/banking_knowledge")!;
    expect(unknown.basis).toMatch(/test-set size unknown/);
    expect([unknown.discriminative_power, unknown.tiers, unknown.chain, unknown.separable_fraction, unknown.saturation_index, unknown.snr, unknown.leader_lo_pct]).toEqual([null, null, null, null, null, null, null]);
    // ranked by D, boards without one last
    const ds = ranking.map((r) => r.discriminative_power);
    const known = ds.filter((x) => x !== null) as number[];
    expect(ds.slice(0, known.length)).toEqual([...known].sort((a, b) => b - a));
  });

  it("leaves the 271% SWE-bench Verified row the loader flags value-out-of-range out of the statistics and lists it", async () => {
    const out = objects(await discriminationOutOfRange(wh.connection));
    expect(out.map((o) => [o.board, o.value])).toEqual([["Verified", 271]]);
    const history = await historyRows(wh.connection);
    expect(history.every((h) => h.leader_pct <= 100)).toBe(true);
    expect(history.some((h) => h.board === "lite" || h.board === "test")).toBe(false);
    const verified = history.filter((h) => h.board === "Verified");
    const [lo, hi] = wilsonInterval(Math.round((verified[0].leader_pct / 100) * 500), 500);
    expect([verified[0].leader_lo_pct, verified[0].leader_hi_pct]).toEqual([100 * lo, 100 * hi]);
  });

  it("lists the boards it cannot rank with the reason: aider code-in-json (44 entries, no pass_rate_2 values)", async () => {
    const counts = await rows("SELECT count(*)::INTEGER AS n, count(value)::INTEGER AS v FROM results WHERE board = 'code-in-json' AND metric = 'pass_rate_2_pct'");
    expect(counts[0]).toEqual({n: 44, v: 0});
    const ranking = await rankingRows(wh.connection);
    expect(ranking.some((r) => r.board === "code-in-json")).toBe(false);
    const left = objects(await discriminationLeftOut(wh.connection));
    expect(left.find((r) => r.board === "code-in-json")).toMatchObject({benchmark: "aider-code-editing", entries: 44, reason: "no pass_rate_2 values: none of its 44 entries has one"});
    // Every board of a primary metric is either ranked or listed.
    const boards = await rows(`SELECT DISTINCT board FROM results WHERE metric IN ('resolved_pct', 'pass_rate_2_pct', 'pass^1', 'pass^1_pct') AND coalesce(notes, '') NOT LIKE '%flag:duplicate-of-board%' AND benchmark NOT LIKE 'swe-bench%'`);
    for (const b of boards) expect(ranking.some((r) => r.board === b.board) || left.some((r) => r.board === b.board), String(b.board)).toBe(true);
  });

  it("measures how far exact match drifts from the human TriviaQA label, with the judge audit's figures", async () => {
    await loadBundledJudgeLabels(wh);
    const [em] = await triviaqaOracleDrift(wh.connection, ["EM"]);
    // Independent path: the snapshot's CSV, items both labelled, kappa and pass rates computed here.
    const csv = parseCsv(readGzipText(join(SNAPSHOTS_DIR, TRIVIAQA_SNAPSHOT, "judgments.csv.gz")), {columns: true, bom: true}) as Record<string, string>[];
    const label = (judge: string) => new Map(csv.filter((r) => r.judge === judge && r.label !== "").map((r) => [r.item_id, Number(r.label)]));
    const [ours, human] = [label("EM"), label("human")];
    const ids = [...ours.keys()].filter((id) => human.has(id));
    const a = ids.map((id) => ours.get(id)!), b = ids.map((id) => human.get(id)!);
    const pct = (xs: number[]) => (100 * xs.reduce((s, x) => s + x, 0)) / xs.length;
    expect(em.items).toBe(ids.length);
    expect(em.judge_pass_pct).toBeCloseTo(pct(a), 9);
    expect(em.stricter_pass_pct).toBeCloseTo(pct(b), 9);
    expect(em.drift_pp).toBeLessThan(0); // exact match is stricter than the human judges
    expect(em.kappa).toBeCloseTo(cohenKappa(a, b, {categories: [0, 1]}), 9);
    expect(em.kappa_lo).toBeLessThan(em.kappa);
    expect(em.kappa_hi).toBeGreaterThan(em.kappa);
    expect(cohenKappa([1, 0, 1, 0], [1, 0, 0, 0], {categories: [0, 1]})).toBeCloseTo(0.5, 12);
  });
});

describe("Anchor vs rotation", () => {
  it("flags the telecom submission dated 2024-09-23 as predating the domain and keeps the rest unflagged", async () => {
    const subs = await submissionRows(wh.connection);
    expect(subs).toHaveLength(Number((await rows("SELECT count(*)::INTEGER AS n FROM results WHERE benchmark = 'tau2-bench' AND metric = 'pass^1_pct'"))[0].n));
    const telecom = subs.find((s) => s.domain === "telecom" && s.submitted?.toISOString().startsWith("2024-09-23"))!;
    expect(telecom.date_flag).toMatch(/predates the domain/);
    expect(subs.filter((s) => s.date_flag !== null).every((s) => s.submitted! < new Date("2025-06-09"))).toBe(true);
    expect(new Set(subs.map((s) => s.layer))).toEqual(new Set(["anchor", "rotation", null]));
    const airline = subs.find((s) => s.domain === "airline" && s.pass1_pct !== null)!;
    const [lo, hi] = wilsonInterval(Math.round((airline.pass1_pct! / 100) * 50), 50);
    expect([airline.lo_pct, airline.hi_pct]).toEqual([100 * lo, 100 * hi]);
    expect(subs.filter((s) => s.domain === "banking_knowledge").every((s) => s.lo_pct === null)).toBe(true);
  });

  it("groups submitted tau2 versions into families", () => {
    expect(["0.1.3", "v0.1.3", "0.2.1-dev", "1.0.1", "v1.0", "original tau-bench", "tau2-bench", null].map(versionFamily)).toEqual([
      "0.1", "0.1", "0.2", "1.0", "1.0", "original tau-bench", "other (custom or unnamed checkout)", "not reported"
    ]);
  });
});
