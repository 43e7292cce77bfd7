/**
 * Page "Compare models": per-item pass/fail matrices, one per benchmark, for the in-page bootstrap, paired
 * differences, separability and items-needed computations (src/compare.md).
 *
 * A matrix row is one run (run_id), not one model: a model can have several runs by different systems (four
 * single-trial tau2 airline runs of claude-opus-4-6), and merging them per item would pass off several systems'
 * outcomes as one. A row is labelled by its model alone where the model has one run on the benchmark, else by
 * model and run id (`runLabel`).
 *
 * A benchmark gets a matrix when at least two runs were scored once on exactly the same items under the same
 * conditions: for each benchmark the runs are grouped by (user simulator, item set) and the largest group (ties: the
 * larger item set) is kept. The user simulator is part of the key because in tau-bench/tau2-bench it is half the
 * conversation: runs scored against different simulators (gpt-4.1 vs gpt-4o vs gpt-oss-120b) differ by more than
 * the model, and McNemar or a paired bootstrap over them would credit the model with the simulator's effect. We
 * compare within one simulator rather than state the confound, because the pairwise tests cannot separate the two.
 * The simulator is records.slices['user_llm'], with a trailing release date dropped (gpt-4.1-2025-04-14 is the
 * only gpt-4.1 release, so it names the same model as gpt-4.1). Where some runs of a benchmark record a simulator,
 * a run that records none cannot be matched to it and is left out; where no run records one (SWE-bench), it does
 * not matter. Runs outside the kept group (several trials per item, other simulator, other items) are listed in
 * `excluded` with the reason, so the page can say so. Bundled: the 18 SWE-bench Verified runs x 500 instances.
 */
import type {DuckDBConnection} from "@duckdb/node-api";
import {Float64, Table, Utf8, vectorFromArray} from "apache-arrow";
import {queryArrow} from "../arrow.ts";

/** Per (run, item): how many scored rows (trials), all passed, and the run's user simulator where recorded. */
export const PER_ITEM_SQL = `
SELECT benchmark, run_id, min(model) AS model, item_id, count(*)::INTEGER AS rows, bool_and(passed) AS passed,
       min(slices['user_llm']) AS user_llm, min(snapshot_id) AS snapshot_id
FROM records_latest
WHERE passed IS NOT NULL
GROUP BY benchmark, run_id, item_id
ORDER BY benchmark, run_id, item_id`;

export interface PerItemRow {
  benchmark: string;
  run_id: string;
  model: string;
  item_id: string;
  rows: number;
  passed: boolean;
  user_llm: string | null;
  snapshot_id: string;
}

export interface MatrixCell {
  benchmark: string;
  /** The run's label (`runLabel`): the matrix row. */
  model: string;
  run_id: string;
  /** The user simulator all runs of the matrix share (`simulatorOf`), null where records name none. */
  simulator: string | null;
  item_id: string;
  passed: number;
}

export interface Excluded {
  benchmark: string;
  run_id: string;
  model: string;
  reason: string;
}

/** The user simulator of a run, without a trailing release date (gpt-4.1-2025-04-14 -> gpt-4.1); null when not recorded. */
export function simulatorOf(userLlm: string | null): string | null {
  return userLlm === null ? null : userLlm.replace(/-\d{4}-\d{2}-\d{2}$/, "");
}

/** A run's label: its model where the model has one run on the benchmark, else "model (run id)". */
export function runLabel(model: string, runId: string, runsOfModel: number): string {
  return runsOfModel > 1 ? `${model} (${runId})` : model;
}

/** The rows of each benchmark's runs: Map benchmark -> Map run_id -> rows (in item order). */
function runsByBenchmark<T extends {benchmark: string; run_id: string}>(rows: readonly T[]): Map<string, Map<string, T[]>> {
  const out = new Map<string, Map<string, T[]>>();
  for (const r of rows) {
    const runs = out.get(r.benchmark) ?? new Map<string, T[]>();
    out.set(r.benchmark, runs);
    runs.set(r.run_id, [...(runs.get(r.run_id) ?? []), r]);
  }
  return out;
}

/** Labels of the runs of each benchmark (`runLabel`), keyed by benchmark and run id. */
export function runLabels(rows: readonly {benchmark: string; run_id: string; model: string}[]): Map<string, string> {
  const labels = new Map<string, string>();
  for (const [benchmark, runs] of runsByBenchmark(rows)) {
    const perModel = new Map<string, number>();
    for (const items of runs.values()) perModel.set(items[0].model, (perModel.get(items[0].model) ?? 0) + 1);
    for (const [run_id, items] of runs) labels.set(`${benchmark}\u0000${run_id}`, runLabel(items[0].model, run_id, perModel.get(items[0].model)!));
  }
  return labels;
}

/** Splits per-(run, item) rows into the matrix cells and the excluded runs (see the module comment). */
export function selectMatrices(rows: readonly PerItemRow[]): {cells: MatrixCell[]; excluded: Excluded[]} {
  const labels = runLabels(rows);
  const cells: MatrixCell[] = [];
  const excluded: Excluded[] = [];
  for (const [benchmark, runs] of runsByBenchmark(rows)) {
    const recordsSimulator = [...runs.values()].some((items) => items.some((i) => i.user_llm !== null));
    const groups = new Map<string, {simulator: string | null; runs: string[]}>();
    for (const [run_id, items] of runs) {
      const model = labels.get(`${benchmark}\u0000${run_id}`)!;
      const trials = Math.max(...items.map((i) => i.rows));
      if (trials > 1) {
        excluded.push({benchmark, run_id, model, reason: `several trials per item in this run (up to ${trials}; see the Consistency page)`});
        continue;
      }
      const simulators = [...new Set(items.map((i) => simulatorOf(i.user_llm)))];
      if (recordsSimulator && (simulators.length !== 1 || simulators[0] === null)) {
        excluded.push({benchmark, run_id, model, reason: simulators.length > 1 ? `several user simulators within the run (${simulators.join(", ")})` : "user simulator not recorded (slices.user_llm), so it cannot be matched to the compared runs' simulator"});
        continue;
      }
      const simulator = simulators[0];
      const key = `${simulator ?? ""}\u0001${items.map((i) => i.item_id).join("\u0000")}`;
      const group = groups.get(key) ?? {simulator, runs: []};
      groups.set(key, group);
      group.runs.push(run_id);
    }
    const best = [...groups.entries()].sort((a, b) => b[1].runs.length - a[1].runs.length || b[0].length - a[0].length)[0];
    // No two runs share their items: the benchmark has no matrix, so there are no compared runs to differ from.
    const noMatrix = best === undefined || best[1].runs.length < 2;
    for (const [key, group] of groups) {
      const kept = !noMatrix && key === best[0];
      for (const run_id of group.runs) {
        const model = labels.get(`${benchmark}\u0000${run_id}`)!;
        if (kept) {
          for (const i of runs.get(run_id)!) cells.push({benchmark, model, run_id, simulator: group.simulator, item_id: i.item_id, passed: i.passed ? 1 : 0});
          continue;
        }
        const keptSimulator = best?.[1].simulator ?? null;
        const reason =
          noMatrix
            ? "no other run scored on the same items"
            : recordsSimulator && group.simulator !== keptSimulator
              ? `user simulator ${group.simulator} differs from the compared runs' ${keptSimulator}`
              : "scored on a different item set than the compared runs";
        excluded.push({benchmark, run_id, model, reason});
      }
    }
  }
  return {cells, excluded};
}

/** One row per (benchmark, run, item) with per-item outcomes (PER_ITEM_SQL), typed. */
export async function perItemRows(connection: DuckDBConnection): Promise<PerItemRow[]> {
  return (await connection.runAndReadAll(PER_ITEM_SQL)).getRowObjectsJS().map((r) => ({
    benchmark: String(r.benchmark),
    run_id: String(r.run_id),
    model: String(r.model),
    item_id: String(r.item_id),
    rows: Number(r.rows),
    passed: Boolean(r.passed),
    user_llm: r.user_llm === null ? null : String(r.user_llm),
    snapshot_id: String(r.snapshot_id)
  }));
}

/**
 * The matrices as Arrow, one row per (benchmark, run): `model` is the run's label (`runLabel`), `outcomes` a string
 * of "0"/"1", one character per item in the order of `compareItems` (item ids sorted), `user_simulator` the
 * simulator all runs of the matrix share (null where records name none). 18 x 500 outcomes take 9 kB this way
 * instead of 0.7 MB of one row per cell.
 */
export async function compareMatrix(connection: DuckDBConnection): Promise<Table> {
  const {cells} = selectMatrices(await perItemRows(connection));
  const runOf = new Map(cells.map((c) => [`${c.benchmark}\u0000${c.model}`, c]));
  const rows = [...groupCells(cells)].flatMap(([benchmark, {items, byModel}]) =>
    [...byModel].map(([model, outcome]) => {
      const {run_id, simulator} = runOf.get(`${benchmark}\u0000${model}`)!;
      return {benchmark, model, run_id, user_simulator: simulator, outcomes: items.map((id) => String(outcome.get(id))).join("")};
    })
  );
  return new Table({
    benchmark: vectorFromArray(rows.map((r) => r.benchmark), new Utf8()),
    model: vectorFromArray(rows.map((r) => r.model), new Utf8()),
    run_id: vectorFromArray(rows.map((r) => r.run_id), new Utf8()),
    user_simulator: vectorFromArray(rows.map((r) => r.user_simulator), new Utf8()),
    outcomes: vectorFromArray(rows.map((r) => r.outcomes), new Utf8())
  });
}

/** The items of each matrix, in the order of the `outcomes` strings. */
export async function compareItems(connection: DuckDBConnection): Promise<Table> {
  const {cells} = selectMatrices(await perItemRows(connection));
  const rows = [...groupCells(cells)].flatMap(([benchmark, {items}]) => items.map((item_id) => ({benchmark, item_id})));
  return new Table({
    benchmark: vectorFromArray(rows.map((r) => r.benchmark), new Utf8()),
    item_id: vectorFromArray(rows.map((r) => r.item_id), new Utf8())
  });
}

/** Cells by benchmark: the sorted item ids and each model's outcome per item. */
export function groupCells(cells: readonly MatrixCell[]): Map<string, {items: string[]; byModel: Map<string, Map<string, number>>}> {
  const out = new Map<string, {items: string[]; byModel: Map<string, Map<string, number>>}>();
  for (const c of cells) {
    const g = out.get(c.benchmark) ?? {items: [], byModel: new Map()};
    out.set(c.benchmark, g);
    const m = g.byModel.get(c.model) ?? new Map<string, number>();
    g.byModel.set(c.model, m);
    m.set(c.item_id, c.passed);
  }
  for (const g of out.values()) g.items = [...new Set([...g.byModel.values()].flatMap((m) => [...m.keys()]))].sort();
  return out;
}

/**
 * One row per run with per-item data: its label (`model`, as in the matrix), model, run id, user simulator and
 * snapshot, how many items, and whether it is in its benchmark's matrix (`excluded_reason` says why not).
 */
export async function compareRuns(connection: DuckDBConnection): Promise<Table> {
  const rows = await perItemRows(connection);
  const {excluded} = selectMatrices(rows);
  const labels = runLabels(rows);
  const runs = new Map<string, {benchmark: string; model: string; run_id: string; label: string; user_simulator: string | null; snapshot_id: string; items: number}>();
  for (const r of rows) {
    const key = `${r.benchmark}\u0000${r.run_id}`;
    const run = runs.get(key) ?? {benchmark: r.benchmark, model: r.model, run_id: r.run_id, label: labels.get(key)!, user_simulator: simulatorOf(r.user_llm), snapshot_id: r.snapshot_id, items: 0};
    run.items++;
    runs.set(key, run);
  }
  const list = [...runs.values()];
  const reasonOf = (r: {benchmark: string; run_id: string}) => excluded.find((e) => e.benchmark === r.benchmark && e.run_id === r.run_id)?.reason ?? null;
  return new Table({
    benchmark: vectorFromArray(list.map((r) => r.benchmark), new Utf8()),
    model: vectorFromArray(list.map((r) => r.label), new Utf8()),
    base_model: vectorFromArray(list.map((r) => r.model), new Utf8()),
    run_id: vectorFromArray(list.map((r) => r.run_id), new Utf8()),
    user_simulator: vectorFromArray(list.map((r) => r.user_simulator), new Utf8()),
    snapshot_id: vectorFromArray(list.map((r) => r.snapshot_id), new Utf8()),
    items: vectorFromArray(list.map((r) => r.items), new Float64()),
    excluded_reason: vectorFromArray(list.map(reasonOf), new Utf8())
  });
}
/**
 * The published pass rate beside the per-item one, for the runs whose per-item records are bundled: the
 * SWE-bench bash-only rows of the per-instance snapshot (metric resolved_pct as published, resolved_pct_per_instance
 * recomputed from the instance file), with their data-quality flags.
 */
export const PUBLISHED_SQL = `
SELECT benchmark, model, system,
       max(value) FILTER (WHERE metric = 'resolved_pct') AS published_pct,
       max(value) FILTER (WHERE metric = 'resolved_pct_per_instance') AS per_item_pct,
       max(cost_usd) AS cost_usd,
       max(notes) AS flags,
       min(snapshot_id) AS snapshot_id
FROM results
WHERE model IS NOT NULL
  AND metric IN ('resolved_pct', 'resolved_pct_per_instance')
  AND snapshot_id IN (SELECT DISTINCT snapshot_id FROM records)
GROUP BY benchmark, model, system
ORDER BY benchmark, model, system`;

export function comparePublished(connection: DuckDBConnection): Promise<Table> {
  return queryArrow(connection, PUBLISHED_SQL);
}
