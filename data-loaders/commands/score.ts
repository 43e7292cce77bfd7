/**
 * `benchlab score --scorer NAME [--params JSON] [--benchmark B] [--db PATH] [--scorers-dir DIR]`: runs one scorer
 * over the latest warehouse records and stores one score per record with scorer, version, params hash and time.
 * Records already scored by the same version and params are skipped.
 */
import {SingleBar, Presets} from "cli-progress";
import type {Command} from "commander";
import {addJudgeOptions, setupJudgeRun, type JudgeFlags} from "../judge/setup.ts";
import {runScoring} from "../scoring/run.ts";
import {ScorerRegistry, scorerDirs} from "../scoring/registry.ts";
import {DEFAULT_DB, openWarehouse} from "../warehouse.ts";

const collect = (value: string, previous: string[]) => [...previous, value];

function parseParams(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`--params is not valid JSON (${err instanceof Error ? err.message : String(err)}); quote it for the shell, e.g. --params '{"ignoreCase": true}'`);
  }
}

export function register(program: Command): void {
  addJudgeOptions(program
    .command("score")
    .description("score warehouse records with a scorer; re-runs skip records already scored by the same version and params")
    .option("--db <path>", "warehouse file", DEFAULT_DB)
    .option("--scorer <name>", "the scorer to run (see `benchlab scorers`)")
    .option("--params <json>", "scorer parameters as JSON (see `benchlab scorers show NAME`)", "{}")
    .option("--benchmark <name>", "only records of this benchmark")
    .option("--scorers-dir <dir>", "another directory of scorer plugins (repeatable)", collect, [] as string[]))
    .action(async (opts: {db: string; scorer?: string; params: string; benchmark?: string; scorersDir: string[]} & JudgeFlags) => {
      const registry = await ScorerRegistry.discover(scorerDirs(opts.scorersDir));
      if (!opts.scorer) {
        throw new Error(`give --scorer NAME; scorers: ${registry.list().map((r) => r.scorer.name).join(", ")}`);
      }
      const {scorer} = registry.get(opts.scorer);
      const params = parseParams(opts.params);
      const wh = await openWarehouse(opts.db, {existing: true});
      const bar = new SingleBar({stream: process.stderr, format: `${scorer.name} [{bar}] {percentage}% | {value}/{total} records | {eta_formatted} left`}, Presets.shades_classic);
      try {
        // A judge scorer gets the judge service (endpoint, cache, budget), its model in params, and a cost bar.
        const judge = scorer.kind === "judge" ? setupJudgeRun(wh, params as Record<string, unknown>, opts) : null;
        const summary = await runScoring(wh, scorer, judge?.params ?? params, {
          benchmark: opts.benchmark ?? null,
          services: judge?.services,
          concurrency: opts.concurrency,
          onProgress: judge?.onProgress ?? ((done, total) => {
            if (done === 0) bar.start(total, 0);
            else bar.update(done);
          })
        });
        bar.stop();
        if (judge) console.log(judge.finish());
        if (summary.stopped) console.log(`stopped early: ${summary.stopped}`);
        console.log(
          `${summary.scorer}@${summary.version} (${summary.kind}, params sha256 ${summary.paramsHash.slice(0, 12)}): ` +
            `scored ${summary.scored} records, skipped ${summary.skipped} already scored, ${summary.errors} errors; ` +
            `${summary.seconds.toFixed(2)} s, ${Math.round(summary.recordsPerSecond).toLocaleString("en-US")} records/s`
        );
      } finally {
        bar.stop();
        wh.close();
      }
    });
}
