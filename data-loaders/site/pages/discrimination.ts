/**
 * Page "Discriminative power and saturation" (src/discrimination.md). Heavy work happens here, once per build, with
 * the statistics of src/lib; the page filters and draws.
 *
 * Units of analysis ("boards"):
 * - per-item matrices (runs scored once on the same items against the same user simulator; see compare.ts
 *   `selectMatrices`): every statistic;
 * - aggregate-only leaderboard boards, at their latest version (SWE-bench boards without the lowercase duplicates,
 *   aider boards, the tau-bench README and tau2-bench domains): one score per entry in the board's primary metric.
 *   Statistics that need pairs of outcomes per item (McNemar separability, item view) are not computed there;
 *   those that need the number of items (discriminative power from aggregates, Wilson interval, sampling noise,
 *   saturation index) use snapshots/test-sets.yaml and are null where it has no size. Sampling noise from an aggregate rate p over n items is computed by the same
 *   `samplingNoise` on a 0/1 vector with round(p·n) ones: the ideal bootstrap SE of a 0/1 mean depends on p and n only.
 * Each row says what it rests on (`basis`, and `separability_test` for the discriminative power D = tiers × headroom
 * of src/lib/stats/discriminative-power.ts: exact McNemar on a matrix, the conservative z-test on aggregates).
 */
import type {DuckDBConnection} from "@duckdb/node-api";
import {Bool, DateDay, Float64, Table, Utf8, vectorFromArray, type DataType} from "apache-arrow";
import {join} from "node:path";
import {z} from "zod";
import {queryArrow} from "../arrow.ts";
import {
  discriminativePower,
  discriminativePowerFromScores,
  itemStatistics,
  relativeDispersion,
  samplingNoise,
  saturationIndex,
  signalToNoise,
  wilsonInterval
} from "../../../src/lib/stats/index.ts";
import {RESULT_FLAGS} from "../../snapshots/result-line.ts";
import {readYamlAs, SNAPSHOTS_DIR} from "../../snapshots/load-bundled.ts";
import {groupCells, perItemRows, selectMatrices} from "./compare.ts";
import {judgeAuditRows} from "./judge-audit.ts";
import {LEADERBOARD_VERSION_SQL} from "./registry.ts";

/** Text order by UTF-16 code unit, the same on every machine (localeCompare depends on the machine's ICU data). */
const byCodeUnit = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

export const TEST_SETS_FILE = "test-sets.yaml";
export const TRIVIAQA_SNAPSHOT = "2026-11-22-triviaqa-judges-human";

const TestSets = z.object({
  boards: z.array(z.object({board: z.string(), items: z.number().int().positive()})),
  oracles: z.array(z.object({benchmark: z.string(), oracle: z.string(), stricter_label: z.string().optional()}))
});
export type TestSets = z.infer<typeof TestSets>;

export function readTestSets(snapshotsDir: string = SNAPSHOTS_DIR): TestSets {
  const path = join(snapshotsDir, TEST_SETS_FILE);
  return readYamlAs(path, TestSets);
}

/** The primary metric of each benchmark's leaderboard rows, and its scale (100 = percent, 1 = fraction). */
export const PRIMARY_METRIC: Record<string, {metric: string; scale: number}> = {
  "swe-bench": {metric: "resolved_pct", scale: 100},
  "swe-bench-lite": {metric: "resolved_pct", scale: 100},
  "swe-bench-verified": {metric: "resolved_pct", scale: 100},
  "swe-bench-verified-mini": {metric: "resolved_pct", scale: 100},
  "swe-bench-verified-micro": {metric: "resolved_pct", scale: 100},
  "swe-bench-multimodal": {metric: "resolved_pct", scale: 100},
  "aider-polyglot": {metric: "pass_rate_2_pct", scale: 100},
  "aider-code-editing": {metric: "pass_rate_2_pct", scale: 100},
  "tau-bench": {metric: "pass^1", scale: 1},
  "tau2-bench": {metric: "pass^1_pct", scale: 100}
};

const metricFilter = Object.entries(PRIMARY_METRIC)
  .map(([b, m]) => `(r.benchmark = '${b}' AND r.metric = '${m.metric}')`)
  .join(" OR ");
const OUT_OF_RANGE_FLAG = `%flag:${RESULT_FLAGS.valueOutOfRange}%`;

/**
 * Primary-metric values the snapshot loader flagged as out of range (e.g. a SWE-bench Verified row of 271 "percent",
 * likely a count of resolved instances): left out of every statistic on the page and listed there. The range check
 * itself lives in the loader (result-line.ts `withLoadFlags`); fractions (tau-bench pass^k) carry no flag, and one
 * outside [0, 1] would stop the build in discriminativePowerFromScores.
 */
export const OUT_OF_RANGE_SQL = `
SELECT r.benchmark, r.board, r.snapshot_id, s.snapshot_date, r.system, r.metric, r.value
FROM results r JOIN snapshot_order s USING (snapshot_id)
WHERE (${metricFilter}) AND r.notes LIKE '${OUT_OF_RANGE_FLAG}'
ORDER BY s.version, r.board, r.benchmark, r.system, r.metric, r.value`;

export function discriminationOutOfRange(connection: DuckDBConnection): Promise<Table> {
  return queryArrow(connection, OUT_OF_RANGE_SQL);
}

/**
 * The leaderboard rows the aggregate boards rest on: primary metrics, lowercase duplicate boards and values flagged out
 * of range left out, SWE-bench boards only from the leaderboard versions (the per-instance bundle repeats bash-only
 * rows). Shared by the board scores and the list of boards the ranking leaves out.
 */
const BOARD_ROWS_WHERE = `(${metricFilter})
  AND coalesce(r.notes, '') NOT LIKE '${OUT_OF_RANGE_FLAG}'
  AND coalesce(r.notes, '') NOT LIKE '%flag:duplicate-of-board%'
  AND (r.benchmark NOT LIKE 'swe-bench%' OR ${LEADERBOARD_VERSION_SQL})`;

/**
 * Boards of a primary metric that fewer than two entries score at the latest version that has values (the version
 * `rankingRows` ranks a board at), with their entries at their latest version.
 */
export const BOARDS_LEFT_OUT_SQL = `
WITH rows AS (
  SELECT r.benchmark, r.board, r.metric, r.snapshot_id, s.version, r.entry_id, r.value
  FROM results r JOIN snapshot_order s USING (snapshot_id)
  WHERE ${BOARD_ROWS_WHERE}
),
latest AS (SELECT board, max(version) AS version, max(version) FILTER (WHERE value IS NOT NULL) AS scored_version FROM rows GROUP BY board)
SELECT r.benchmark, r.board, min(r.metric) AS metric, min(r.snapshot_id) FILTER (WHERE r.version = l.version) AS snapshot_id,
       count(DISTINCT r.entry_id) FILTER (WHERE r.version = l.version)::INTEGER AS entries,
       count(DISTINCT r.entry_id) FILTER (WHERE r.version = l.scored_version AND r.value IS NOT NULL)::INTEGER AS scored
FROM rows r JOIN latest l USING (board)
GROUP BY r.benchmark, r.board
HAVING scored < 2
ORDER BY r.benchmark, r.board`;

/**
 * Boards of a benchmark with no entry in PRIMARY_METRIC (a snapshot of one's own results, `benchlab snapshot`), with
 * their entries and metrics at their latest version: the ranking cannot pick the metric to compare on.
 */
export const BOARDS_WITHOUT_METRIC_SQL = `
WITH rows AS (
  SELECT r.benchmark, r.board, r.snapshot_id, s.version, r.entry_id, r.metric
  FROM results r JOIN snapshot_order s USING (snapshot_id)
  WHERE r.benchmark NOT IN (${Object.keys(PRIMARY_METRIC).map((b) => `'${b}'`).join(", ")})
),
latest AS (SELECT benchmark, board, max(version) AS version FROM rows GROUP BY ALL)
SELECT benchmark, board, min(snapshot_id) AS snapshot_id, count(DISTINCT entry_id)::INTEGER AS entries,
       string_agg(DISTINCT metric, ', ' ORDER BY metric) AS metrics
FROM rows JOIN latest USING (benchmark, board, version)
GROUP BY benchmark, board
ORDER BY benchmark, board`;

/**
 * Boards that get no row in the ranking, with the reason: no entry has a value of the primary metric (aider's
 * code-in-json board publishes pass_rate_1 only, no pass_rate_2), fewer than two entries do, or the benchmark has no
 * primary metric (BOARDS_WITHOUT_METRIC_SQL). Listed on the page beside the out-of-range values.
 */
export async function discriminationLeftOut(connection: DuckDBConnection): Promise<Table> {
  const rows = (await connection.runAndReadAll(BOARDS_LEFT_OUT_SQL)).getRowObjectsJS().map((r) => ({
    benchmark: String(r.benchmark),
    board: String(r.board),
    snapshot_id: String(r.snapshot_id),
    entries: Number(r.entries),
    reason:
      Number(r.scored) === 0
        ? `no ${String(r.metric).replace(/_pct$/, "")} values: none of its ${Number(r.entries)} entries has one`
        : `only ${Number(r.scored)} of its ${Number(r.entries)} entries has a ${String(r.metric).replace(/_pct$/, "")} value; a ranking needs two`
  }));
  for (const r of (await connection.runAndReadAll(BOARDS_WITHOUT_METRIC_SQL)).getRowObjectsJS()) {
    rows.push({
      benchmark: String(r.benchmark),
      board: String(r.board),
      snapshot_id: String(r.snapshot_id),
      entries: Number(r.entries),
      reason: `no primary metric is set for ${String(r.benchmark)} (its rows give ${String(r.metrics)}; the ranking compares one metric per board, chosen in PRIMARY_METRIC, data-loaders/site/pages/discrimination.ts)`
    });
  }
  rows.sort((a, b) => byCodeUnit(a.benchmark, b.benchmark) || byCodeUnit(a.board, b.board));
  return tableOf(rows, [
    ...["benchmark", "board", "snapshot_id"].map((name) => ({name, type: new Utf8()})),
    {name: "entries", type: new Float64()},
    {name: "reason", type: new Utf8()}
  ]);
}

/**
 * One score per board entry and version (the best value when an entry id repeats in a version, flagged
 * same-entry-collision, with the system of that value; of equal best values, the greatest system name), from the
 * rows of BOARD_ROWS_WHERE that have a value. Ordered, so leaders among equal scores and the order of a board's
 * entries (which the statistics add up in) are the same on every run.
 */
export const BOARD_SCORES_SQL = `
SELECT r.benchmark, r.board, r.snapshot_id, s.snapshot_date, s.version, r.entry_id, arg_max(r.system, (r.value, r.system)) AS system, max(r.value) AS value
FROM results r JOIN snapshot_order s USING (snapshot_id)
WHERE ${BOARD_ROWS_WHERE} AND r.value IS NOT NULL
GROUP BY ALL
ORDER BY r.benchmark, r.board, s.version, r.entry_id`;

interface BoardScore {
  benchmark: string;
  board: string;
  snapshot_id: string;
  snapshot_date: Date;
  /** The version's place in `snapshot_order` (versions of one date in the order they were taken). */
  version: number;
  entry_id: string;
  system: string;
  value: number;
}

async function boardScores(connection: DuckDBConnection): Promise<BoardScore[]> {
  return (await connection.runAndReadAll(BOARD_SCORES_SQL)).getRowObjectsJS().map((r) => ({
    benchmark: String(r.benchmark),
    board: String(r.board),
    snapshot_id: String(r.snapshot_id),
    snapshot_date: new Date(String(r.snapshot_date)),
    version: Number(r.version),
    entry_id: String(r.entry_id),
    system: String(r.system),
    value: Number(r.value) / PRIMARY_METRIC[String(r.benchmark)].scale
  }));
}

function groupBy<T>(rows: readonly T[], key: (r: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const r of rows) m.set(key(r), [...(m.get(key(r)) ?? []), r]);
  return m;
}

/** A 0/1 vector with round(p·n) ones: the per-item view of an aggregate rate that `samplingNoise` needs. */
function binaryOf(p: number, n: number): Float64Array {
  const ones = Math.round(p * n);
  return Float64Array.from({length: n}, (_, i) => (i < ones ? 1 : 0));
}

export interface RankingRow {
  benchmark: string;
  board: string;
  basis: string;
  as_of: Date;
  snapshot_id: string;
  models: number;
  items: number | null;
  leader: string;
  leader_pct: number;
  leader_lo_pct: number | null;
  leader_hi_pct: number | null;
  ceiling_distance_pct: number;
  spread_pct: number;
  /** D = tiers × headroom (src/lib/stats/discriminative-power.ts); null for aggregates of unknown test-set size. */
  discriminative_power: number | null;
  tiers: number | null;
  /** The ceiling factor min(1, (1 − leader)/0.1) of D. */
  headroom: number | null;
  /** The longest chain of pairwise-separable models, best first, joined by " > ". */
  chain: string | null;
  /** How pairs were judged separable for D and the separable-pair fraction. */
  separability_test: string | null;
  signal: number | null;
  noise: number | null;
  snr: number | null;
  separable_fraction: number | null;
  saturation_index: number | null;
  saturation_category: string | null;
  /** Leader minus fifth place, and 1.96 binomial standard errors of that gap over the n items (n_eff = n). */
  top_fifth_gap_pp: number | null;
  gap_noise_pp: number | null;
  top_within_noise: boolean | null;
}

/**
 * Board entries keyed by a unique label for the stats core, which takes model name → score: the system name, with
 * the entry id added where two entries of one board share a name (flagged same-name-collision upstream).
 */
function scoresByLabel(scores: readonly {system: string; entry_id?: string; value: number}[]): Record<string, number> {
  const named = new Map<string, number>();
  for (const s of scores) named.set(s.system, (named.get(s.system) ?? 0) + 1);
  return Object.fromEntries(scores.map((s) => [named.get(s.system)! > 1 ? `${s.system} (${s.entry_id})` : s.system, s.value]));
}

/** Statistics of one set of model scores (proportions); `items` null when the test-set size is unknown. */
export function scoreStatistics(
  scores: {system: string; entry_id?: string; value: number}[],
  items: number | null,
  perItem: Record<string, ArrayLike<number>> | null
): Omit<RankingRow, "benchmark" | "board" | "basis" | "as_of" | "snapshot_id"> {
  const values = scores.map((s) => s.value);
  const leader = scores.reduce((a, b) => (b.value > a.value ? b : a));
  const dp = perItem ? discriminativePower(perItem) : items === null ? null : discriminativePowerFromScores(scoresByLabel(scores), items);
  const ci = items === null ? null : wilsonInterval(Math.round(leader.value * items), items);
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const signal = mean > 0 ? relativeDispersion(values) : null;
  const noise = perItem ? samplingNoise(Object.values(perItem)) : items === null || mean === 0 ? null : samplingNoise(values.map((v) => binaryOf(v, items)));
  const snr = signal === null || noise === null ? null : signalToNoise(signal, noise);
  const saturation = items === null || values.length < 5 ? null : saturationIndex(values, items);
  // The same top-vs-fifth test with the full test-set size as n (n_eff = n): is the gap beyond binomial noise?
  const gapTest = items === null || values.length < 5 ? null : saturationIndex(values, items, {nEffectiveExponent: 1});
  return {
    models: values.length,
    items,
    leader: leader.system,
    leader_pct: 100 * leader.value,
    leader_lo_pct: ci ? 100 * ci[0] : null,
    leader_hi_pct: ci ? 100 * ci[1] : null,
    ceiling_distance_pct: 100 * (1 - leader.value),
    spread_pct: 100 * (Math.max(...values) - Math.min(...values)),
    discriminative_power: dp ? dp.score : null,
    tiers: dp ? dp.tiers : null,
    headroom: dp ? dp.headroom : null,
    chain: dp ? dp.chain.join(" > ") : null,
    separability_test: dp ? (perItem ? "exact McNemar (paired), Holm" : `two-proportion z-test on aggregates (n = ${items}), Holm; conservative`) : null,
    signal,
    noise,
    snr: snr !== null && Number.isFinite(snr) ? snr : null,
    separable_fraction: dp ? dp.fractionSeparable : null,
    saturation_index: saturation ? saturation.index : null,
    saturation_category: saturation ? saturation.category : null,
    top_fifth_gap_pp: gapTest ? 100 * (gapTest.top - gapTest.fifth) : null,
    gap_noise_pp: gapTest ? 100 * 1.96 * gapTest.seDelta : null,
    top_within_noise: gapTest ? gapTest.statisticallySimilar : null
  };
}

async function perItemMatrices(connection: DuckDBConnection) {
  const rows = await perItemRows(connection);
  const {cells} = selectMatrices(rows);
  const snapshotOf = new Map(rows.map((r) => [r.benchmark, r.snapshot_id]));
  return [...groupCells(cells)].map(([benchmark, {items, byModel}]) => {
    const outcomes = Object.fromEntries([...byModel].map(([model, outcome]) => [model, Float64Array.from(items, (id) => outcome.get(id) ?? 0)]));
    return {benchmark, items, outcomes, snapshot_id: snapshotOf.get(benchmark)!};
  });
}

export async function rankingRows(connection: DuckDBConnection, testSets: TestSets = readTestSets()): Promise<RankingRow[]> {
  const sizes = new Map(testSets.boards.map((b) => [b.board, b.items]));
  const rows: RankingRow[] = [];
  for (const m of await perItemMatrices(connection)) {
    const snapshotDate = (await connection.runAndReadAll("SELECT snapshot_date FROM snapshots WHERE snapshot_id = ?", [m.snapshot_id])).getRowObjectsJS()[0];
    const scores = Object.entries(m.outcomes).map(([system, x]) => ({system, value: x.reduce((s, v) => s + v, 0) / x.length}));
    rows.push({
      benchmark: m.benchmark,
      board: `${m.benchmark} per-item runs`,
      basis: `per-item matrix (${scores.length} runs × ${m.items.length} items)`,
      as_of: new Date(String(snapshotDate.snapshot_date)),
      snapshot_id: m.snapshot_id,
      ...scoreStatistics(scores, m.items.length, m.outcomes)
    });
  }
  const byBoard = groupBy(await boardScores(connection), (s) => s.board);
  for (const [board, list] of byBoard) {
    const latest = list.reduce((a, b) => (b.version > a.version ? b : a));
    const scores = list.filter((s) => s.snapshot_id === latest.snapshot_id);
    if (scores.length < 2) continue;
    const items = sizes.get(board) ?? null;
    rows.push({
      benchmark: latest.benchmark,
      board,
      basis: `aggregates (${scores.length} leaderboard rows${items === null ? "; test-set size unknown" : `; n = ${items} from test-sets.yaml`})`,
      as_of: latest.snapshot_date,
      snapshot_id: latest.snapshot_id,
      ...scoreStatistics(scores, items, null)
    });
  }
  // Highest D first, boards without one (—) last. Equal D is common (small integers, or none): per-item matrices
  // first, then by benchmark and board, compared by code unit (localeCompare depends on the machine's ICU data).
  const aggregates = (r: RankingRow) => (r.basis.startsWith("per-item") ? 0 : 1);
  return rows.sort(
    (a, b) =>
      (b.discriminative_power ?? -Infinity) - (a.discriminative_power ?? -Infinity) ||
      aggregates(a) - aggregates(b) ||
      byCodeUnit(a.benchmark, b.benchmark) ||
      byCodeUnit(a.board, b.board)
  );
}

type Column = {name: string; type: DataType};

function tableOf<T extends object>(rows: readonly T[], columns: Column[]): Table {
  return new Table(Object.fromEntries(columns.map(({name, type}) => [name, vectorFromArray(rows.map((r) => (r as Record<string, unknown>)[name] ?? null), type)])));
}

const RANKING_COLUMNS: Column[] = [
  ...["benchmark", "board", "basis"].map((name) => ({name, type: new Utf8()})),
  {name: "as_of", type: new DateDay()},
  {name: "snapshot_id", type: new Utf8()},
  {name: "models", type: new Float64()},
  {name: "items", type: new Float64()},
  {name: "leader", type: new Utf8()},
  {name: "chain", type: new Utf8()},
  {name: "separability_test", type: new Utf8()},
  ...["leader_pct", "leader_lo_pct", "leader_hi_pct", "ceiling_distance_pct", "spread_pct", "discriminative_power", "tiers", "headroom", "signal", "noise", "snr", "separable_fraction", "saturation_index", "top_fifth_gap_pp", "gap_noise_pp"].map((name) => ({name, type: new Float64()})),
  {name: "saturation_category", type: new Utf8()},
  {name: "top_within_noise", type: new Bool()}
];

export async function discriminationRanking(connection: DuckDBConnection): Promise<Table> {
  return tableOf(await rankingRows(connection), RANKING_COLUMNS);
}

export interface HistoryRow {
  benchmark: string;
  board: string;
  snapshot_id: string;
  snapshot_date: Date;
  entries: number;
  items: number | null;
  leader: string;
  leader_pct: number;
  leader_lo_pct: number | null;
  leader_hi_pct: number | null;
  fifth_pct: number | null;
  ceiling_distance_pct: number;
  saturation_index: number | null;
}

/** Leader, its Wilson interval, fifth place and saturation index of every SWE-bench board at every version. */
export async function historyRows(connection: DuckDBConnection, testSets: TestSets = readTestSets()): Promise<HistoryRow[]> {
  const sizes = new Map(testSets.boards.map((b) => [b.board, b.items]));
  const scores = (await boardScores(connection)).filter((s) => s.benchmark.startsWith("swe-bench"));
  return [...groupBy(scores, (s) => `${s.board}\u0000${s.snapshot_id}`).values()]
    // Versions in the order they were taken, then boards (by code unit: localeCompare depends on the machine's ICU).
    .sort((x, y) => x[0].version - y[0].version || byCodeUnit(x[0].board, y[0].board))
    .map((list) => {
      const values = list.map((s) => s.value).sort((a, b) => b - a);
      const leader = list.reduce((a, b) => (b.value > a.value ? b : a));
      const items = sizes.get(leader.board) ?? null;
      const ci = items === null ? null : wilsonInterval(Math.round(leader.value * items), items);
      return {
        benchmark: leader.benchmark,
        board: leader.board,
        snapshot_id: leader.snapshot_id,
        snapshot_date: leader.snapshot_date,
        entries: list.length,
        items,
        leader: leader.system,
        leader_pct: 100 * leader.value,
        leader_lo_pct: ci ? 100 * ci[0] : null,
        leader_hi_pct: ci ? 100 * ci[1] : null,
        fifth_pct: values.length >= 5 ? 100 * values[4] : null,
        ceiling_distance_pct: 100 * (1 - leader.value),
        saturation_index: items !== null && values.length >= 5 ? saturationIndex(values, items).index : null
      };
    });
}

export async function discriminationHistory(connection: DuckDBConnection): Promise<Table> {
  return tableOf(await historyRows(connection), [
    ...["benchmark", "board", "snapshot_id"].map((name) => ({name, type: new Utf8()})),
    {name: "snapshot_date", type: new DateDay()},
    {name: "entries", type: new Float64()},
    {name: "items", type: new Float64()},
    {name: "leader", type: new Utf8()},
    ...["leader_pct", "leader_lo_pct", "leader_hi_pct", "fifth_pct", "ceiling_distance_pct", "saturation_index"].map((name) => ({name, type: new Float64()}))
  ]);
}

/**
 * Per item of every per-item matrix: how many models solve it, and its discrimination, the corrected point-biserial
 * correlation with the models' rest score (src/lib/stats/item-statistics.ts; null where the item or the rest score is
 * constant across models).
 */
export async function discriminationItems(connection: DuckDBConnection): Promise<Table> {
  const rows: {benchmark: string; item_id: string; group: string; solved_by: number; models: number; discrimination: number | null; snapshot_id: string}[] = [];
  for (const m of await perItemMatrices(connection)) {
    const models = Object.keys(m.outcomes);
    const stats = itemStatistics({models, items: m.items, outcomes: models.map((k) => m.outcomes[k])}).items;
    m.items.forEach((item_id, i) => {
      const solved = models.reduce((s, k) => s + m.outcomes[k][i], 0);
      // Item ids of SWE-bench are "<owner>__<repo>-<number>"; other benchmarks' ids carry no group.
      const group = /^([^_]+)__(.+)-\d+$/.exec(item_id);
      rows.push({benchmark: m.benchmark, item_id, group: group ? `${group[1]}/${group[2]}` : "", solved_by: solved, models: models.length, discrimination: Number.isNaN(stats[i].pointBiserial) ? null : stats[i].pointBiserial, snapshot_id: m.snapshot_id});
    });
  }
  return tableOf(rows, [
    {name: "benchmark", type: new Utf8()},
    {name: "item_id", type: new Utf8()},
    {name: "group", type: new Utf8()},
    {name: "solved_by", type: new Float64()},
    {name: "models", type: new Float64()},
    {name: "discrimination", type: new Float64()},
    {name: "snapshot_id", type: new Utf8()}
  ]);
}

export interface OracleDrift {
  judge: string;
  items: number;
  judge_pass_pct: number;
  stricter_pass_pct: number;
  drift_pp: number;
  kappa: number;
  kappa_lo: number;
  kappa_hi: number;
}

/**
 * How far each lexical judge of the bundled TriviaQA labels drifts from the human label: pass rates by each, their
 * difference, and Cohen's kappa with its 95% interval, over answers both labelled. The figures are the judge
 * audit's (`judgeAuditRows`: the same input, seed and resamples as the Judge audit page and `benchlab
 * audit-judge`), so the two pages never disagree; the labels must be loaded (`loadBundledJudgeLabels`).
 */
export async function triviaqaOracleDrift(connection: DuckDBConnection, judges: readonly string[] = ["EM", "Contains"]): Promise<OracleDrift[]> {
  const rows = await judgeAuditRows({connection}, {only: (j) => j.dataset === TRIVIAQA_SNAPSHOT && judges.includes(j.judge)});
  return judges.map((judge) => {
    const row = rows.find((r) => r.judge === judge && r.scope === "overall");
    if (!row) throw new Error(`no TriviaQA verdicts of judge "${judge}" in the warehouse: load snapshots/${TRIVIAQA_SNAPSHOT}/judgments.csv.gz with benchlab ingest --labels`);
    const rates = JSON.parse(String(row.base_rates)) as {judge: Record<string, number>; reference: Record<string, number>};
    const judgePass = 100 * (rates.judge["1"] ?? 0);
    const humanPass = 100 * (rates.reference["1"] ?? 0);
    return {
      judge,
      items: row.n_items,
      judge_pass_pct: judgePass,
      stricter_pass_pct: humanPass,
      drift_pp: judgePass - humanPass,
      kappa: Number(row.cohen_kappa),
      kappa_lo: Number(row.cohen_kappa_lo),
      kappa_hi: Number(row.cohen_kappa_hi)
    };
  });
}

/**
 * The trust card's facts of each benchmark, with the date of its latest published result. A row dated only by the
 * day its snapshot was taken (flag as-of-taken) says nothing about when results were published: left out.
 */
export const TRUST_BENCHMARKS_SQL = `
SELECT b.benchmark, b.task, b.metric, b.released, b.dataset,
       (SELECT max(r.as_of) FROM results r WHERE r.benchmark = b.benchmark AND coalesce(r.notes, '') NOT LIKE '%flag:${RESULT_FLAGS.asOfTaken}%') AS latest_result
FROM benchmarks b ORDER BY b.benchmark`;

/**
 * The "can I trust this score?" card of every bundled benchmark: public since when, whether the top models'
 * gap exceeds its noise (from the ranking rows), task shape, and the oracle with its measured drift where a
 * stricter label is bundled.
 */
export async function discriminationTrust(connection: DuckDBConnection): Promise<Table> {
  const testSets = readTestSets();
  const ranking = await rankingRows(connection, testSets);
  const drift = await triviaqaOracleDrift(connection);
  const benchmarks = (await connection.runAndReadAll(TRUST_BENCHMARKS_SQL)).getRowObjectsJS();
  const oracles = new Map(testSets.oracles.map((o) => [o.benchmark, o]));
  const rows = benchmarks.map((b) => {
    const benchmark = String(b.benchmark);
    const released = b.released === null ? null : new Date(String(b.released));
    const latest = b.latest_result === null ? null : new Date(String(b.latest_result));
    const publicYears = released && latest ? (+latest - +released) / (365.25 * 86_400_000) : null;
    const own = ranking.filter((r) => r.benchmark === benchmark);
    const judged = own.filter((r) => r.top_within_noise !== null);
    const gap =
      judged.length === 0
        ? null
        : judged
            .map((r) => `${r.board}: leader − fifth = ${r.top_fifth_gap_pp!.toFixed(1)} pp ${r.top_within_noise ? "≤" : ">"} noise ±${r.gap_noise_pp!.toFixed(1)} pp`)
            .join("; ");
    const oracle = oracles.get(benchmark);
    const drifts = oracle?.stricter_label ? drift : [];
    return {
      benchmark,
      released,
      latest_result: latest,
      public_years: publicYears,
      top_gap: gap,
      top_gap_exceeds_noise: judged.length === 0 ? null : judged.some((r) => r.top_within_noise === false),
      task_shape: `${String(b.task ?? "")}${b.metric ? `; scored as ${String(b.metric)}` : ""}`,
      oracle: oracle?.oracle ?? null,
      oracle_drift:
        drifts.length === 0
          ? null
          : drifts
              .map((d) => `${d.judge} passes ${d.judge_pass_pct.toFixed(1)}% vs human ${d.stricter_pass_pct.toFixed(1)}% (drift ${d.drift_pp >= 0 ? "+" : ""}${d.drift_pp.toFixed(1)} pp), κ = ${d.kappa.toFixed(3)} [${d.kappa_lo.toFixed(3)}, ${d.kappa_hi.toFixed(3)}] over ${d.items} answers`)
              .join("; ")
    };
  });
  return tableOf(rows, [
    {name: "benchmark", type: new Utf8()},
    {name: "released", type: new DateDay()},
    {name: "latest_result", type: new DateDay()},
    {name: "public_years", type: new Float64()},
    {name: "top_gap", type: new Utf8()},
    {name: "top_gap_exceeds_noise", type: new Bool()},
    {name: "task_shape", type: new Utf8()},
    {name: "oracle", type: new Utf8()},
    {name: "oracle_drift", type: new Utf8()}
  ]);
}
