/**
 * Pages 5 and 8 (Slices, Judge audit): the audit of every judge in the warehouse against its human or gold labels,
 * computed exactly as `benchlab audit-judge --judge NAME --resamples 1000 --no-record` computes it: `loadAuditInput`
 * (data-loaders/judge/audit-input.ts) reads the judge's verdicts and the reference labels, `auditJudge`
 * (src/lib/judge/audit.ts) gives the five agreement statistics with their percentile bootstrap CIs (items
 * resampled, fixed seed), confusion matrix, base rates, per-order blocks and position/length bias of pairwise
 * judges, per slice too. Nothing is recomputed here: the report is only flattened into rows.
 *
 * The bundled judge data is TriviaQA (11 pointwise judges vs one human label per answer, sliced by exam-taker) and
 * LLMBar (65 pairwise evaluator/strategy judges vs gold, sliced by subset). The bootstrap is the expensive part
 * (under a CPU-second per judge at B = 1000), so the audits run in a pool of worker threads, one per core up to
 * `AUDIT_WORKERS`, with PAGE_AUDIT_RESAMPLES resamples.
 *
 * Finished audits are cached by content: the key is the sha256 of the audit code (src/lib/judge, src/lib/stats,
 * src/lib/random.ts), the options and the judge's complete AuditInput (every verdict and reference label), so a
 * cached report is exactly what a rerun would compute, and any change to data, code or options misses the cache.
 * It lives in warehouse/cache/judge-audit (git-ignored like the warehouses; delete it freely), so it survives
 * `npm ci` and fresh build warehouses; BENCHLAB_AUDIT_CACHE=off disables it.
 *
 * The verdict (trusted / borderline / untrusted) depends on a threshold the reader chooses, so it is not stored:
 * the page recomputes it from the lower bounds with `trustVerdict` (src/lib/judge/trust.ts), the rule the CLI uses.
 */
import type {DuckDBConnection} from "@duckdb/node-api";
import {Float64, Int32, Table, Utf8, vectorFromArray, type DataType} from "apache-arrow";
import {existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync} from "node:fs";
import {availableParallelism} from "node:os";
import {join} from "node:path";
import {Worker} from "node:worker_threads";
import {AGREEMENT_STATISTICS, AUDIT_RESAMPLES, defaultStatistic, type AgreementBlock, type AuditInput, type AuditReport, type PositionBias} from "../../../src/lib/judge/audit.ts";
import {DEFAULT_SEED} from "../../../src/lib/random.ts";
import {DEFAULT_THRESHOLD} from "../../commands/audit-judge.ts";
import {AUDIT_ITEMS_SQL, loadAuditInput} from "../../judge/audit-input.ts";
import {canonicalJson, sha256} from "../../judge/hash.ts";
import {PROJECT_ROOT, type Warehouse} from "../../warehouse.ts";

/**
 * Bootstrap resamples of the page audits: the CLI default (AUDIT_RESAMPLES), so the page prints the CIs of
 * `benchlab audit-judge --judge NAME --no-record` to the last digit. The table bootstrap of the audit makes the 76
 * bundled judges cost about 25 CPU-seconds at B = 1000. `BENCHLAB_AUDIT_RESAMPLES` overrides it.
 */
export const PAGE_AUDIT_RESAMPLES = AUDIT_RESAMPLES;
export const AUDIT_RESAMPLES_ENV = "BENCHLAB_AUDIT_RESAMPLES";

/** The options every page audit runs with: the CLI defaults except for the number of resamples. */
export function pageAuditOptions(env: NodeJS.ProcessEnv = process.env) {
  const resamples = env[AUDIT_RESAMPLES_ENV] ? Number(env[AUDIT_RESAMPLES_ENV]) : PAGE_AUDIT_RESAMPLES;
  if (!Number.isInteger(resamples) || resamples < 1) throw new Error(`${AUDIT_RESAMPLES_ENV}=${env[AUDIT_RESAMPLES_ENV]}: expected a positive integer (default ${PAGE_AUDIT_RESAMPLES}; the CLI's is ${AUDIT_RESAMPLES})`);
  return {statistic: "cohen_kappa", threshold: DEFAULT_THRESHOLD, seed: DEFAULT_SEED, resamples, confidence: 0.95} as const;
}

/** At most this many worker threads (the build machine has 2 cores; more only adds contention). */
export const AUDIT_WORKERS = 2;

/**
 * Every judge with verdicts on items that have reference labels, with the dataset its items come from: items known
 * only from a labels file (`label_items`, dataset = snapshot id) and run records (dataset = benchmark): the items
 * `loadAuditInput` resolves, from the same AUDIT_ITEMS_SQL.
 */
export const JUDGES_SQL = `
WITH items AS (${AUDIT_ITEMS_SQL})
SELECT DISTINCT i.dataset, s.scorer AS judge, s.scorer_kind
FROM scores s JOIN items i USING (key_hash)
WHERE EXISTS (SELECT 1 FROM human_labels h WHERE h.dataset = i.dataset AND h.item_id = i.item_id)
ORDER BY i.dataset, s.scorer, s.scorer_kind`;

export interface JudgeRef {
  dataset: string;
  judge: string;
  scorer_kind: string;
}

export async function listJudges(connection: DuckDBConnection): Promise<JudgeRef[]> {
  const rows = (await connection.runAndReadAll(JUDGES_SQL)).getRowObjectsJS();
  return rows.map((r) => ({dataset: String(r.dataset), judge: String(r.judge), scorer_kind: String(r.scorer_kind)}));
}

/** One row of the page table: a block of the audit (overall, one presentation order, or one slice) of one judge. */
export interface AuditRow {
  dataset: string;
  judge: string;
  scorer_kind: string;
  mode: string;
  reference_rater: string;
  /**
   * "overall" (all items, pooled over orders), "slice" (one slice, pooled), or "original" / "swapped" (one
   * presentation order of a pairwise judge: all items when `slice` is null, else that slice).
   */
  scope: string;
  slice: string | null;
  n_items: number;
  n_pairs: number;
  /** The statistic the CLI judges this judge by when none is chosen (`defaultStatistic`): the page's default too. */
  default_statistic: string;
  /** `<statistic>`, `<statistic>_lo`, `<statistic>_hi` for each of AGREEMENT_STATISTICS. */
  [statistic: string]: string | number | null;
}

const POSITION_FIELDS = ["positional_agreement", "first_position_preference", "longer_share", "reference_longer_share"] as const;

function blockRow(ref: JudgeRef, report: AuditReport, scope: string, slice: string | null, block: AgreementBlock, position?: PositionBias): AuditRow {
  const row: AuditRow = {
    dataset: ref.dataset,
    judge: ref.judge,
    scorer_kind: ref.scorer_kind,
    mode: report.mode,
    reference_rater: report.reference_rater,
    scope,
    slice,
    n_items: block.n_items,
    n_pairs: block.n_pairs,
    default_statistic: defaultStatistic(report)
  };
  for (const s of AGREEMENT_STATISTICS) {
    row[s] = block[s].estimate;
    row[`${s}_lo`] = block[s].lower;
    row[`${s}_hi`] = block[s].upper;
  }
  row.confusion = JSON.stringify(block.confusion);
  row.base_rates = JSON.stringify(block.base_rates);
  for (const f of POSITION_FIELDS) row[f] = position ? position[f] : null;
  row.resamples = report.resamples;
  row.seed = report.seed;
  row.confidence = report.confidence;
  return row;
}

/** The report of one judge as rows: overall, per presentation order (pairwise), per slice, per slice and order. */
export function auditRows(ref: JudgeRef, report: AuditReport): AuditRow[] {
  const rows = [blockRow(ref, report, "overall", null, report, report.position)];
  if (report.orders) for (const [order, block] of Object.entries(report.orders)) rows.push(blockRow(ref, report, order, null, block));
  for (const s of report.slices) {
    rows.push(blockRow(ref, report, "slice", s.slice, s, s.position));
    if (s.orders) for (const [order, block] of Object.entries(s.orders)) rows.push(blockRow(ref, report, order, s.slice, block));
  }
  return rows;
}

const COLUMN_TYPES: [string, DataType][] = [
  ["dataset", new Utf8()],
  ["judge", new Utf8()],
  ["scorer_kind", new Utf8()],
  ["mode", new Utf8()],
  ["reference_rater", new Utf8()],
  ["scope", new Utf8()],
  ["slice", new Utf8()],
  ["n_items", new Int32()],
  ["n_pairs", new Int32()],
  ["default_statistic", new Utf8()],
  ...AGREEMENT_STATISTICS.flatMap((s): [string, DataType][] => [[s, new Float64()], [`${s}_lo`, new Float64()], [`${s}_hi`, new Float64()]]),
  ["confusion", new Utf8()],
  ["base_rates", new Utf8()],
  ...POSITION_FIELDS.map((f): [string, DataType] => [f, new Float64()]),
  ["resamples", new Int32()],
  ["seed", new Float64()],
  ["confidence", new Float64()]
];

export function auditTable(rows: readonly AuditRow[]): Table {
  return new Table(Object.fromEntries(COLUMN_TYPES.map(([name, type]) => [name, vectorFromArray(rows.map((r) => r[name] ?? null), type)])));
}

/**
 * The worker module is TypeScript, like this one; a worker thread does not inherit tsx's loader hooks (nor take
 * `--import` in its execArgv), so it registers tsx itself before importing the module.
 */
const WORKER_BOOT = `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))})
  .then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL("./judge-audit-worker.ts", import.meta.url).href)}); })`;

/** Runs `auditJudge` on each input in a pool of worker threads; results in input order. */
async function auditInParallel(inputs: AuditInput[], workers: number, options: ReturnType<typeof pageAuditOptions>): Promise<AuditReport[]> {
  if (inputs.length === 0) return [];
  const results: AuditReport[] = new Array(inputs.length);
  let next = 0;
  let done = 0;
  const runWorker = () =>
    new Promise<void>((resolveWorker, reject) => {
      const worker = new Worker(WORKER_BOOT, {eval: true, workerData: {options}});
      const feed = () => {
        if (next >= inputs.length) {
          void worker.terminate().then(() => resolveWorker());
          return;
        }
        const index = next++;
        worker.postMessage({index, input: inputs[index]});
      };
      worker.on("message", (m: {index: number; report?: AuditReport; error?: string}) => {
        if (m.error !== undefined) {
          reject(new Error(`audit of judge "${inputs[m.index].judge}" failed: ${m.error}`));
          void worker.terminate();
          return;
        }
        results[m.index] = m.report!;
        done++;
        // Progress on stderr (Framework shows a loader's stderr; stdout is the Arrow file).
        if (done % 10 === 0 || done === inputs.length) console.error(`judge audit: ${done}/${inputs.length} judges (B = ${options.resamples})`);
        feed();
      });
      worker.on("error", reject);
      feed();
    });
  await Promise.all(Array.from({length: Math.max(1, Math.min(workers, inputs.length))}, runWorker));
  return results;
}

export const AUDIT_CACHE_DIR = join(PROJECT_ROOT, "warehouse", "cache", "judge-audit");
export const AUDIT_CACHE_ENV = "BENCHLAB_AUDIT_CACHE";

/** sha256 over the source of the code an audit runs (file names and contents, in sorted order). */
function auditCodeHash(): string {
  const lib = join(PROJECT_ROOT, "src", "lib");
  const files = [
    ...["judge", "stats"].flatMap((dir) => readdirSync(join(lib, dir)).filter((f) => f.endsWith(".ts")).map((f) => join(dir, f))),
    "random.ts"
  ].sort();
  return sha256(files.map((f) => `${f}\u0000${readFileSync(join(lib, f), "utf-8")}`).join("\u0000"));
}

/** Reports from the cache where present; the rest computed in the worker pool and then cached. */
async function cachedAudits(inputs: AuditInput[], workers: number, options: ReturnType<typeof pageAuditOptions>, env: NodeJS.ProcessEnv): Promise<AuditReport[]> {
  if (env[AUDIT_CACHE_ENV] === "off") return auditInParallel(inputs, workers, options);
  const code = auditCodeHash();
  const keys = inputs.map((input) => sha256(`${code}\u0000${canonicalJson(options)}\u0000${canonicalJson(input)}`));
  const path = (key: string) => join(AUDIT_CACHE_DIR, `${key}.json`);
  const reports: (AuditReport | null)[] = keys.map((key) => (existsSync(path(key)) ? (JSON.parse(readFileSync(path(key), "utf-8")) as AuditReport) : null));
  const missing = reports.flatMap((r, i) => (r === null ? [i] : []));
  console.error(`judge audit: ${inputs.length - missing.length} of ${inputs.length} judges from the cache, ${missing.length} to compute`);
  const computed = await auditInParallel(missing.map((i) => inputs[i]), workers, options);
  mkdirSync(AUDIT_CACHE_DIR, {recursive: true});
  missing.forEach((i, j) => {
    reports[i] = computed[j];
    // Write then rename, so a concurrent build never reads half a file.
    const tmp = `${path(keys[i])}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(computed[j]));
    renameSync(tmp, path(keys[i]));
  });
  return reports as AuditReport[];
}

/** The audit rows of every judge in the warehouse (`wh` needs only a connection; read-only is enough). */
export async function judgeAuditRows(
  wh: Pick<Warehouse, "connection">,
  options: {workers?: number; env?: NodeJS.ProcessEnv; only?: (judge: JudgeRef) => boolean} = {}
): Promise<AuditRow[]> {
  const judges = (await listJudges(wh.connection)).filter(options.only ?? (() => true));
  const inputs: AuditInput[] = [];
  for (const ref of judges) inputs.push((await loadAuditInput(wh as Warehouse, {judge: ref.judge})).input);
  const env = options.env ?? process.env;
  const reports = await cachedAudits(inputs, options.workers ?? Math.min(AUDIT_WORKERS, availableParallelism()), pageAuditOptions(env), env);
  return judges.flatMap((ref, i) => auditRows(ref, reports[i]));
}

export async function judgeAudit(connection: DuckDBConnection): Promise<Table> {
  return auditTable(await judgeAuditRows({connection}));
}
