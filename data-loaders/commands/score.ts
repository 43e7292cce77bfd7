/**
 * `benchlab score --scorer NAME [--params JSON] [--benchmark B] [--db PATH] [--scorers-dir DIR]`: runs one scorer
 * over the latest warehouse records and stores one score per record with scorer, version, params hash and time.
 * Records already scored by the same version and params are skipped.
 */
import type {Command} from "commander";
import {addJudgeOptions, JUDGE_ONLY_OPTIONS, setupJudgeRun, type JudgeFlags} from "../judge/setup.ts";
import {ScorerResultError} from "../../src/lib/scorer.ts";
import {runScoring, type ScoringSummary} from "../scoring/run.ts";
import {ScorerRegistry, scorerDirs} from "../scoring/registry.ts";
import {benchlabCommand, DEFAULT_DB, openWarehouse, type Warehouse} from "../warehouse.ts";
import {knownFilters} from "./batches.ts";
import {delayedProgressBar} from "./progress.ts";
import {queryRows, terminalSafe} from "./print-rows.ts";
import {SCORERS_DIR_OPTION} from "./options.ts";

/** --params as a JSON object; anything else (null, a list, a number: taken as no params before) names what to give. */
function parseParams(text: string): Record<string, unknown> {
  const example = `e.g. --params '{"ignoreCase": true}'`;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`--params is not valid JSON (${err instanceof Error ? err.message : String(err)}); quote it for the shell, ${example}`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new Error(`--params ${text}: expected a JSON object of parameters, ${example} ({} for none)`);
  return value as Record<string, unknown>;
}

export function register(program: Command): void {
  addJudgeOptions(program
    .command("score")
    .description("score warehouse records with a scorer; re-runs skip records already scored by the same version and params")
    .option("--db <path>", "warehouse file", DEFAULT_DB)
    .option("--scorer <name>", "the scorer to run (see `benchlab scorers`)")
    .option("--params <json>", "scorer parameters as JSON (see `benchlab scorers show NAME`)", "{}")
    .option("--benchmark <name>", "only records of this benchmark")
    .option(...SCORERS_DIR_OPTION))
    .action(async (opts: {db: string; scorer?: string; params: string; benchmark?: string; scorersDir: string[]} & JudgeFlags, command: Command) => {
      const registry = await ScorerRegistry.discover(scorerDirs(opts.scorersDir));
      if (!opts.scorer) {
        throw new Error(`give --scorer NAME; scorers: ${registry.list().map((r) => r.scorer.name).join(", ")}`);
      }
      const {scorer, file} = registry.get(opts.scorer);
      // A judge's flags would be silently ignored by any other scorer: the user would think they applied.
      const judgeOnly = JUDGE_ONLY_OPTIONS.filter(([key]) => command.getOptionValueSource(key) === "cli").map(([, flag]) => flag);
      if (scorer.kind !== "judge" && judgeOnly.length)
        throw new Error(`${judgeOnly.join(", ")}: only judge scorers use ${judgeOnly.length === 1 ? "this option" : "these options"}, and ${scorer.name} is a ${scorer.kind} scorer; leave ${judgeOnly.length === 1 ? "it" : "them"} out`);
      const params = parseParams(opts.params);
      const wh = await openWarehouse(opts.db, {existing: true});
      const bar = delayedProgressBar(scorer.name, {format: "{percentage}% | {value}/{total} records | {elapsed}, {eta_formatted} left"});
      let judge: ReturnType<typeof setupJudgeRun> | null = null;
      try {
        if (!(await knownFilters(wh.connection, "score", {benchmark: opts.benchmark}, opts.db))) return;
        // A judge scorer gets the judge service (endpoint, cache, budget), its model in params, and a cost bar.
        judge = scorer.kind === "judge" ? setupJudgeRun(wh, params, opts) : null;
        const summary = await runScoring(wh, scorer, judge?.params ?? params, {
          benchmark: opts.benchmark ?? null,
          services: judge?.services,
          concurrency: opts.concurrency,
          onProgress: judge?.onProgress ?? bar.update
        }).catch((err: unknown) => {
          throw err instanceof ScorerResultError ? new ScorerResultError(`${err.message} (the scorer's file: ${file})`) : err;
        });
        bar.stop();
        if (judge) console.log(judge.finish());
        // Stopped early (--max-cost reached, the judge endpoint failing): records are left unscored, so exit 1.
        if (summary.stopped) {
          console.log(`stopped early: ${summary.stopped}`);
          process.exitCode = 1;
        }
        console.log(
          `${summary.scorer}@${summary.version} (${summary.kind}, params sha256 ${summary.paramsHash.slice(0, 12)}): ` +
            `scored ${summary.scored} records, skipped ${summary.skipped} already scored, ${summary.errors} errors; ` +
            `${summary.seconds.toFixed(2)} s, ${Math.round(summary.recordsPerSecond).toLocaleString("en-US")} records/s`
        );
        // As ingest does for rejected rows: the errors are stored, and a script sees that some records have no score;
        // a re-run, which skips them, says so too.
        if (summary.errors > 0) await printErrors(wh, summary.runId, opts.db);
        const earlier = summary.skipped > 0 ? await printEarlierErrors(wh, summary, opts.benchmark ?? null, opts.db) : 0;
        if (summary.errors > 0 || earlier > 0) process.exitCode = 1;
      } finally {
        bar.stop();
        judge?.finish();
        wh.close();
      }
    });
}

/**
 * Records this run skipped as already scored whose stored score (by the same scorer, version and params) is an error.
 * They are not retried: the same record, params and (for a judge) cached request give the same error. Returns how many.
 */
async function printEarlierErrors(wh: Warehouse, summary: ScoringSummary, benchmark: string | null, db: string): Promise<number> {
  const rows = await queryRows(
    wh.connection,
    `SELECT s.run_id, count(*) FROM scores s JOIN records_latest r USING (record_id)
     WHERE s.scorer = $1 AND s.scorer_version = $2 AND s.params_hash = $3 AND s.error IS NOT NULL AND s.run_id <> $4::BIGINT
       AND ($5::VARCHAR IS NULL OR r.benchmark = $5)
     GROUP BY s.run_id ORDER BY s.run_id`,
    [summary.scorer, summary.version, summary.paramsHash, String(summary.runId), benchmark]
  );
  const count = rows.reduce((n, [, k]) => n + Number(k), 0);
  if (count === 0) return 0;
  const runs = rows.map(([run]) => String(run)).join(", ");
  console.error(
    `${count} of the records skipped as already scored have an error in place of a score, from earlier run${rows.length > 1 ? "s" : ""} ${runs} ` +
      `(not retried: the same record and params give the same error; fix the records or params, or use a new scorer version)`
  );
  console.error(`  every one: ${benchlabCommand(db, "sql", `"SELECT r.benchmark, r.model, r.item_id, s.error FROM scores s JOIN records_latest r USING (record_id) WHERE s.run_id IN (${runs}) AND s.error IS NOT NULL ORDER BY ALL"`)}`);
  return count;
}

/** Why records failed to score: each distinct error with its count, most frequent first (a missing field usually). */
async function printErrors(wh: Warehouse, runId: number, db: string): Promise<void> {
  const shown = 5;
  const rows = await queryRows(
    wh.connection,
    "SELECT error, count(*) AS n FROM scores WHERE run_id = $1::BIGINT AND error IS NOT NULL GROUP BY error ORDER BY n DESC, error",
    [String(runId)]
  );
  console.error("errors (each stored in place of its record's score):");
  for (const [error, n] of rows.slice(0, shown)) console.error(`  ${n} × ${terminalSafe(String(error))}`);
  if (rows.length > shown) console.error(`  ... and ${rows.length - shown} other errors`);
  console.error(`  every one: ${benchlabCommand(db, "sql", `"SELECT r.benchmark, r.model, r.item_id, s.error FROM scores s JOIN records r USING (record_id) WHERE s.run_id = ${runId} AND s.error IS NOT NULL ORDER BY ALL"`)}`);
}
