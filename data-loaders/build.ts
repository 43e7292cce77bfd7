/**
 * `npm run build`: the static report from the bundled snapshots, with no host reachable but loopback.
 *
 *   a. deletes the build warehouse and creates it fresh (never reused: a report must not carry rows from an
 *      earlier run);
 *   b. loads the bundled snapshots into it and fails if any row was rejected (quarantined);
 *   c. fills Framework's npm cache from node_modules (data-loaders/site/npm-cache.ts);
 *   d. deletes Framework's cached loader outputs so every data loader reruns against the new warehouse;
 *   e. runs `observable build` into dist/ with the network guard preloaded (data-loaders/site/deny-network.mjs),
 *      so any CDN, registry or extension download fails the build, naming the URL.
 *
 * `--prepare-only` does a-d (used by `npm run dev`, which then runs `observable preview`).
 * `--out DIR` builds into DIR instead of dist/ (observablehq.config.ts reads BENCHLAB_SITE_OUT; Framework writes into
 * DIR.partial, renamed to DIR once the site is built and checked). DIR is replaced, so it must be new, empty or an
 * earlier build's, and never holds the project.
 * A finished build writes its report (inputs fingerprint, row counts, timings) to `<warehouse>.build.json`.
 */
import {spawn} from "node:child_process";
import {existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync} from "node:fs";
import {delimiter, isAbsolute, join, relative, resolve} from "node:path";
import {pathToFileURL} from "node:url";
import {withBuildLock} from "./site/build-lock.ts";
import {buildFingerprint} from "./site/fingerprint.ts";
import {fillNpmCache} from "./site/npm-cache.ts";
import {loadBundledSnapshots} from "./snapshots/load-bundled.ts";
import {loadBundledJudgeLabels} from "./site/pages/judge-labels.ts";
import {BUILD_DB, SITE_DB_ENV} from "./site/site-warehouse.ts";
import {openWarehouse, PROJECT_ROOT, type Warehouse} from "./warehouse.ts";

export const SRC_ROOT = join(PROJECT_ROOT, "src");
export const DEFAULT_OUT = join(PROJECT_ROOT, "dist");
/** Environment variable observablehq.config.ts reads for the output folder. */
export const SITE_OUT_ENV = "BENCHLAB_SITE_OUT";
const FRAMEWORK_CLI = join(PROJECT_ROOT, "node_modules", "@observablehq", "framework", "dist", "bin", "observable.js");
const NETWORK_GUARD = join(PROJECT_ROOT, "data-loaders", "site", "deny-network.mjs");

export interface BuildOptions {
  /** Stop after step d (warehouse, npm cache, loader cache); do not run Framework. */
  prepareOnly?: boolean;
  /** Warehouse file to create; deleted first. */
  db?: string;
  /** Output folder of the built site. */
  out?: string;
  /**
   * A Framework config file in JavaScript (default: the project's observablehq.config.ts) and its source root
   * (default src/): a test builds a fixture site from its own config and root with the same pipeline.
   */
  config?: string;
  root?: string;
  /** Fills the fresh warehouse; defaults to loading the bundled snapshots. */
  load?: (warehouse: Warehouse) => Promise<unknown>;
  log?: (line: string) => void;
}

export interface BuildReport {
  db: string;
  out: string | null;
  /** Fingerprint of the inputs (data-loaders/site/fingerprint.ts) of a default build; null for fixture builds. */
  fingerprint: string | null;
  rows: Record<string, number>;
  npmPackages: string[];
  seconds: Record<string, number>;
}

/** The default step b: every bundled snapshot; fails if the loader itself reports a rejected row. */
async function loadBundled(warehouse: Warehouse): Promise<void> {
  const summary = await loadBundledSnapshots(warehouse);
  console.log(`build: bundled snapshots: ${summary.snapshots} bundles, ${summary.records} records, ${summary.results} results, ${summary.rejected} rejected`);
  // A rejected row is in quarantine: the build's check after loading names where (file:line, field, reason).
  // Judge labels (TriviaQA, LLMBar) into human_labels/scores, for the judge-audit and slices pages.
  const labels = await loadBundledJudgeLabels(warehouse);
  console.log(`build: judge labels: ${labels.map((l) => `${l.file.split("/").slice(-2).join("/")} ${l.labels_added} labels, ${l.scores_added} verdicts`).join("; ")}`);
}

async function countRows(warehouse: Warehouse, tables: string[]): Promise<Record<string, number>> {
  const rows: Record<string, number> = {};
  for (const table of tables) {
    const reader = await warehouse.connection.runAndReadAll(`SELECT count(*)::DOUBLE AS n FROM "${table}"`);
    rows[table] = Number(reader.getRowObjectsJS()[0].n);
  }
  return rows;
}

/**
 * Steps a and b: a fresh warehouse at `db`, filled by `load`; throws if any row was quarantined. It is filled under
 * another name and moved to `db` once loaded, so a build stopped midway (killed, a snapshot that fails to load) leaves
 * no warehouse at `db`, never half of one that `benchlab sql --db` or a loader run alone would read as the bundled data.
 */
export async function freshWarehouse(db: string, load: BuildOptions["load"], log: (line: string) => void): Promise<Record<string, number>> {
  const partial = `${db}.partial`;
  for (const file of [db, `${db}.wal`, `${db}.build.json`, partial, `${partial}.wal`]) rmSync(file, {force: true});
  const warehouse = await openWarehouse(partial);
  let rows: Record<string, number>;
  let rejected: Error | null = null;
  try {
    await load!(warehouse);
    const tables = (await warehouse.connection.runAndReadAll("SELECT table_name FROM duckdb_tables() ORDER BY table_name"))
      .getRowObjectsJS()
      .map((r) => String(r.table_name));
    rows = await countRows(warehouse, tables);
    log(`warehouse ${relative(PROJECT_ROOT, db)}: ${tables.map((t) => `${t} ${rows[t]}`).join(", ")}`);
    if (rows.quarantine > 0) {
      const sample = (
        await warehouse.connection.runAndReadAll("SELECT file, line, field, reason FROM quarantine ORDER BY file, line LIMIT 10")
      ).getRowObjectsJS();
      rejected = new Error(
        `${rows.quarantine} bundled row(s) were rejected; the report is built only from data with zero rejected rows. First:\n` +
          sample.map((r) => `  ${r.file}:${r.line} ${r.field ?? ""}: ${r.reason}`).join("\n") +
          `\nAll of them: npx benchlab quarantine --db ${relative(process.cwd(), db) || db}. Fix the snapshot's file (and its manifest's sha256 and row count), then build again`
      );
    }
  } finally {
    warehouse.close();
  }
  // Loaded in full (rejected rows too, for `benchlab quarantine` to list): now it is the build's warehouse.
  renameSync(partial, db);
  if (rejected) throw rejected;
  log("rejected rows: 0");
  return rows;
}

/** Step d: removes Framework's cached loader outputs (everything in the cache but the npm folder just filled). */
function clearLoaderCache(root: string): void {
  const cache = join(root, ".observablehq", "cache");
  if (!existsSync(cache)) return;
  for (const entry of readdirSync(cache)) if (entry !== "_npm") rmSync(join(cache, entry), {recursive: true, force: true});
}

/** What only a site build writes at the top of its output folder (Framework's client files, attachments, first page). */
const SITE_OUTPUT_MARKS = ["_observablehq", "_file", "index.html"];

/**
 * Deletes the output folder before a build, but only a folder a build made (or an empty one): with `--out .` or
 * `--out ~` the build deleted the checkout, or a home folder, before anything else.
 */
function clearOutput(out: string): void {
  const refuse = (why: string) =>
    new Error(`output folder ${out}: ${why}; the build deletes its output folder first, so give a new or empty folder, or an earlier build's (default ${DEFAULT_OUT})`);
  const toProject = relative(out, PROJECT_ROOT);
  if (toProject === "" || (!toProject.startsWith("..") && !isAbsolute(toProject))) throw refuse(`it holds this project (${PROJECT_ROOT})`);
  if (!existsSync(out)) return;
  if (!statSync(out).isDirectory()) throw refuse("a file, not a folder");
  if (readdirSync(out).length > 0 && !SITE_OUTPUT_MARKS.some((mark) => existsSync(join(out, mark))))
    throw refuse(`it holds files but none of ${SITE_OUTPUT_MARKS.join(", ")}, so it is no earlier site build`);
  rmSync(out, {recursive: true, force: true});
}

/** Step e: `observable build` with the network guard in it and in every loader it spawns. */
function runFramework(db: string, out: string, config: string | undefined): Promise<void> {
  const env = {
    ...process.env,
    [SITE_DB_ENV]: db,
    [SITE_OUT_ENV]: out,
    OBSERVABLE_TELEMETRY_DISABLE: "true",
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import="${pathToFileURL(NETWORK_GUARD).href}"`.trim(),
    PATH: [join(PROJECT_ROOT, "node_modules", ".bin"), process.env.PATH].join(delimiter)
  };
  return new Promise((resolvePromise, reject) => {
    // An explicit --config must be JavaScript: Framework registers its TypeScript loader only for the default file.
    const args = [FRAMEWORK_CLI, "build", ...(config ? ["--config", config] : [])];
    const child = spawn(process.execPath, args, {cwd: PROJECT_ROOT, env, stdio: ["ignore", "inherit", "inherit"]});
    child.on("error", reject);
    child.on("exit", (code, signal) =>
      code === 0 ? resolvePromise() : reject(new Error(`observable build failed (${signal ?? `exit code ${code}`}); see the messages above`))
    );
  });
}

/** Fails if a built page loads a script or stylesheet from another host (the browser test checks the rest). */
function checkNoRemoteAssets(out: string): void {
  const offending: string[] = [];
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, {withFileTypes: true})) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.name.endsWith(".html")) {
        const html = readFileSync(path, "utf-8");
        for (const m of html.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="(https?:)?\/\/[^"]*"|\bimport\b[^;]*?["']https?:\/\/[^"']*["']/g)) {
          offending.push(`${relative(out, path)}: ${m[0].slice(0, 120)}`);
        }
      }
    }
  };
  visit(out);
  if (offending.length) throw new Error(`built pages load assets from another host:\n  ${offending.join("\n  ")}`);
}

/** Lock serialising site builds in this checkout (data-loaders/site/build-lock.ts). */
export const BUILD_LOCK = join(PROJECT_ROOT, "warehouse", ".site-build.lock");

/** Runs the pipeline (steps a-e, see the module comment), one build at a time per checkout. */
export function buildSite(options: BuildOptions = {}): Promise<BuildReport> {
  return withBuildLock(BUILD_LOCK, () => buildSiteUnlocked(options), {log: options.log});
}

async function buildSiteUnlocked(options: BuildOptions): Promise<BuildReport> {
  const log = options.log ?? ((line: string) => console.log(`build: ${line}`));
  const db = resolve(options.db ?? BUILD_DB);
  const out = resolve(options.out ?? DEFAULT_OUT);
  const root = resolve(options.root ?? SRC_ROOT);
  const config = options.config && resolve(options.config);
  const isDefault = !options.config && !options.root && !options.load;
  const fingerprint = isDefault ? buildFingerprint() : null;
  const seconds: Record<string, number> = {};
  const timed = async <T>(step: string, f: () => Promise<T> | T): Promise<T> => {
    const start = performance.now();
    const result = await f();
    seconds[step] = +((performance.now() - start) / 1000).toFixed(2);
    log(`${step}: ${seconds[step]} s`);
    return result;
  };
  // A failed build must not leave the previous site in place, as if it were this one.
  if (!options.prepareOnly) clearOutput(out);
  const rows = await timed("warehouse", () => freshWarehouse(db, options.load ?? loadBundled, log));
  const cached = await timed("npm cache", () => fillNpmCache(root));
  log(`npm cache: ${cached.map((p) => `${p.name}@${p.version}`).join(", ")}`);
  clearLoaderCache(root);
  if (!options.prepareOnly) {
    // Framework writes the site file by file: into a folder beside `out`, moved into place once built and checked, so
    // a build stopped midway (Ctrl-C, killed) or failing the check leaves no half-built site at `out`.
    const staging = `${out}.partial`;
    rmSync(staging, {recursive: true, force: true});
    await timed("observable build", () => runFramework(db, staging, config));
    checkNoRemoteAssets(staging);
    rmSync(out, {recursive: true, force: true});
    renameSync(staging, out);
  }
  seconds.total = +Object.values(seconds).reduce((a, b) => a + b, 0).toFixed(2);
  log(`total: ${seconds.total} s`);
  const report: BuildReport = {
    db,
    out: options.prepareOnly ? null : out,
    fingerprint,
    rows,
    npmPackages: cached.map((p) => `${p.name}@${p.version}`),
    seconds
  };
  if (!options.prepareOnly) writeFileSync(`${db}.build.json`, JSON.stringify(report, null, 2));
  return report;
}

function parseArgs(argv: string[]): BuildOptions {
  const options: BuildOptions = {};
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--prepare-only") options.prepareOnly = true;
    else if (argv[i] === "--out" && argv[i + 1]) options.out = argv[++i];
    else throw new Error(`unknown argument ${argv[i]}; usage: tsx data-loaders/build.ts [--prepare-only] [--out DIR]`);
  }
  return options;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  try {
    await buildSite(parseArgs(process.argv.slice(2)));
  } catch (err) {
    console.error(`build failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}
