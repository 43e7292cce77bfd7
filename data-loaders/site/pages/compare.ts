/**
 * Page "Compare models": per-item pass/fail matrices, one per benchmark, for the in-page bootstrap, paired
 * differences, separability and items-needed computations (src/compare.md).
 *
 * A benchmark gets a matrix when at least two models were scored once on exactly the same items: for each
 * benchmark the models are grouped by their item set and the largest group (ties: the larger item set) is kept.
 * Models outside that group (other items, or several trials per item) are left out of the matrix and listed in
 * `excluded` with the reason, so the page can say so. Bundled: the 18 SWE-bench Verified runs x 500 instances.
 */
import type {DuckDBConnection} from "@duckdb/node-api";
import {Float64, Table, Utf8, vectorFromArray} from "apache-arrow";
import {queryArrow} from "../arrow.ts";

// An item a model was scored on several times can come from several runs: min(run_id) names the same one every time
// (any_value took whichever row a parallel scan reached first, and compareRuns shows the first item's).
export const PER_ITEM_SQL = `
SELECT benchmark, model, item_id, count(*)::INTEGER AS rows, bool_and(passed) AS passed, min(run_id) AS run_id,
       min(snapshot_id) AS snapshot_id
FROM records_latest
WHERE passed IS NOT NULL
GROUP BY benchmark, model, item_id
ORDER BY benchmark, model, item_id`;

export interface MatrixCell {
  benchmark: string;
  model: string;
  item_id: string;
  passed: number;
}

export interface Excluded {
  benchmark: string;
  model: string;
  reason: string;
}

/** Splits per-(model, item) rows into the matrix cells and the excluded models (see the module comment). */
export function selectMatrices(rows: readonly {benchmark: string; model: string; item_id: string; rows: number; passed: boolean; run_id: string; snapshot_id: string}[]): {cells: MatrixCell[]; excluded: Excluded[]} {
  const byBenchmark = new Map<string, Map<string, typeof rows[number][]>>();
  for (const r of rows) {
    const models = byBenchmark.get(r.benchmark) ?? new Map();
    byBenchmark.set(r.benchmark, models);
    models.set(r.model, [...(models.get(r.model) ?? []), r]);
  }
  const cells: MatrixCell[] = [];
  const excluded: Excluded[] = [];
  for (const [benchmark, models] of byBenchmark) {
    const groups = new Map<string, string[]>();
    for (const [model, items] of models) {
      if (items.some((i) => i.rows > 1)) {
        excluded.push({benchmark, model, reason: "several trials per item (see the Consistency page)"});
        continue;
      }
      const key = items.map((i) => i.item_id).join("\u0000");
      groups.set(key, [...(groups.get(key) ?? []), model]);
    }
    const best = [...groups.entries()].sort((a, b) => b[1].length - a[1].length || b[0].length - a[0].length)[0];
    for (const [key, group] of groups) {
      const kept = best !== undefined && key === best[0] && group.length >= 2;
      for (const model of group) {
        if (kept) {
          for (const i of models.get(model)!) cells.push({benchmark, model, item_id: i.item_id, passed: i.passed ? 1 : 0});
        } else {
          excluded.push({benchmark, model, reason: group.length < 2 && key === best?.[0] ? "no other model scored on the same items" : "scored on a different item set than the compared models"});
        }
      }
    }
  }
  return {cells, excluded};
}

/** One row per (benchmark, model, item) with per-item outcomes (PER_ITEM_SQL), typed. */
export async function perItemRows(connection: DuckDBConnection) {
  return (await connection.runAndReadAll(PER_ITEM_SQL)).getRowObjectsJS().map((r) => ({
    benchmark: String(r.benchmark),
    model: String(r.model),
    item_id: String(r.item_id),
    rows: Number(r.rows),
    passed: Boolean(r.passed),
    run_id: String(r.run_id),
    snapshot_id: String(r.snapshot_id)
  }));
}

/**
 * The matrices as Arrow, one row per (benchmark, model): `outcomes` is a string of "0"/"1", one character per
 * item in the order of `compareItems` (item ids sorted). 18 x 500 outcomes take 9 kB this way instead of 0.7 MB of
 * one row per cell.
 */
export async function compareMatrix(connection: DuckDBConnection): Promise<Table> {
  const {cells} = selectMatrices(await perItemRows(connection));
  const rows = [...groupCells(cells)].flatMap(([benchmark, {items, byModel}]) =>
    [...byModel].map(([model, outcome]) => ({benchmark, model, outcomes: items.map((id) => String(outcome.get(id))).join("")}))
  );
  return new Table({
    benchmark: vectorFromArray(rows.map((r) => r.benchmark), new Utf8()),
    model: vectorFromArray(rows.map((r) => r.model), new Utf8()),
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
 * One row per model with per-item data: its run and snapshot, how many items, and whether it is in its
 * benchmark's matrix (`reason` says why not).
 */
export async function compareRuns(connection: DuckDBConnection): Promise<Table> {
  const rows = await perItemRows(connection);
  const {excluded} = selectMatrices(rows);
  const runs = new Map<string, {benchmark: string; model: string; run_id: string; snapshot_id: string; items: number}>();
  for (const r of rows) {
    const key = `${r.benchmark}\u0000${r.model}`;
    const run = runs.get(key) ?? {benchmark: r.benchmark, model: r.model, run_id: r.run_id, snapshot_id: r.snapshot_id, items: 0};
    run.items++;
    runs.set(key, run);
  }
  const list = [...runs.values()];
  const reasonOf = (r: {benchmark: string; model: string}) => excluded.find((e) => e.benchmark === r.benchmark && e.model === r.model)?.reason ?? null;
  return new Table({
    benchmark: vectorFromArray(list.map((r) => r.benchmark), new Utf8()),
    model: vectorFromArray(list.map((r) => r.model), new Utf8()),
    run_id: vectorFromArray(list.map((r) => r.run_id), new Utf8()),
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
