/**
 * Two builds from the same snapshots must give the same site files. Every `src/data/*.arrow.ts` loader's query is
 * run RUNS times against one warehouse, loaded the way `npm run build` loads it (bundled snapshots + judge labels),
 * each run on a fresh read-only instance as a loader process opens it, with several DuckDB threads (parallel scans,
 * aggregates and windows are where row order, any_value, string_agg and float sums come out differently), and the
 * Arrow bytes it writes (`arrowLoaderOutput`, the code `writeArrowLoader` runs) must be identical.
 *
 * The loaders are found by reading src/data/, so a new one is covered without being listed here; a loader that is
 * not `import {query} from "…"; await writeArrowLoader(query);` fails its test, to be taught to this file.
 */
import {createHash} from "node:crypto";
import {mkdtempSync, readdirSync, readFileSync, rmSync} from "node:fs";
import {availableParallelism, tmpdir} from "node:os";
import {join, resolve} from "node:path";
import {tableFromIPC} from "apache-arrow";
import {afterAll, beforeAll, describe, expect, it, vi} from "vitest";
import {arrowLoaderOutput, type PageQuery} from "../../data-loaders/site/arrow.ts";
import {AUDIT_CACHE_ENV, AUDIT_RESAMPLES_ENV} from "../../data-loaders/site/pages/judge-audit.ts";
import {loadBundledJudgeLabels} from "../../data-loaders/site/pages/judge-labels.ts";
import {openReadOnly} from "../../data-loaders/site/site-warehouse.ts";
import {loadBundledSnapshots} from "../../data-loaders/snapshots/load-bundled.ts";
import {openWarehouse, PROJECT_ROOT} from "../../data-loaders/warehouse.ts";

const RUNS = 3;
/** More threads than the build machine's 2 cores: a reordering that needs parallelism shows up more often. */
const THREADS = Math.max(4, availableParallelism());
const DATA_DIR = join(PROJECT_ROOT, "src", "data");

interface Loader {
  file: string;
  /** The page query's export name and the module it comes from; null when the loader has another shape. */
  query: {name: string; module: string} | null;
}

function arrowLoaders(): Loader[] {
  return readdirSync(DATA_DIR)
    .filter((f) => f.endsWith(".arrow.ts"))
    .sort()
    .map((file) => {
      const text = readFileSync(join(DATA_DIR, file), "utf-8");
      const name = /^await writeArrowLoader\((\w+)\);$/m.exec(text)?.[1];
      const from = name && new RegExp(`^import \\{[^}]*\\b${name}\\b[^}]*\\} from "([^"]+)";$`, "m").exec(text)?.[1];
      return {file, query: name && from ? {name, module: resolve(DATA_DIR, from)} : null};
    });
}

const rowsOf = (bytes: Uint8Array) => tableFromIPC(bytes).toArray().map((r) => JSON.stringify(r.toJSON(), (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v)));
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

let dir: string;
let db: string;
const savedEnv = {cache: process.env[AUDIT_CACHE_ENV], resamples: process.env[AUDIT_RESAMPLES_ENV]};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "benchlab-determinism-"));
  db = join(dir, "site.duckdb");
  const wh = await openWarehouse(db);
  try {
    await loadBundledSnapshots(wh);
    await loadBundledJudgeLabels(wh);
  } finally {
    wh.close();
  }
  // The judge audit computes every run (no cache to hand back the first run's report) with few resamples: what
  // varies with the warehouse is which items reach the seeded bootstrap, and in what order, not B.
  process.env[AUDIT_CACHE_ENV] = "off";
  process.env[AUDIT_RESAMPLES_ENV] = "20";
  // The audit's progress lines (stderr of the loader), not wanted 3 x 76 times in the test output.
  const error = console.error.bind(console);
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => (String(args[0]).startsWith("judge audit:") ? undefined : error(...args)));
}, 300_000);

afterAll(() => {
  vi.restoreAllMocks();
  for (const [key, value] of [[AUDIT_CACHE_ENV, savedEnv.cache], [AUDIT_RESAMPLES_ENV, savedEnv.resamples]] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  if (dir) rmSync(dir, {recursive: true, force: true});
});

describe(`every src/data/*.arrow.ts loader writes the same bytes ${RUNS} times over (DuckDB threads = ${THREADS})`, () => {
  const loaders = arrowLoaders();

  it("finds the report's loaders", () => {
    expect(loaders.length).toBeGreaterThanOrEqual(23);
  });

  for (const {file, query} of loaders) {
    it(file, async () => {
      expect(query, `${file}: expected \`import {query} from "…"; await writeArrowLoader(query);\``).not.toBeNull();
      const run = (await import(query!.module))[query!.name] as PageQuery;
      expect(typeof run, `${query!.module} exports no function ${query!.name}`).toBe("function");
      const outputs: Uint8Array[] = [];
      for (let i = 0; i < RUNS; i++) {
        const warehouse = await openReadOnly(db);
        try {
          await warehouse.connection.run(`SET threads = ${THREADS}`);
          const threads = (await warehouse.connection.runAndReadAll("SELECT current_setting('threads') AS t")).getRowObjectsJS()[0].t;
          expect(Number(threads)).toBeGreaterThan(1);
          outputs.push(await arrowLoaderOutput(warehouse.connection, run));
        } finally {
          warehouse.close();
        }
      }
      // Rows first, for a readable diff; then the bytes, which also catch a column type or a NaN/null that differs.
      const first = rowsOf(outputs[0]);
      for (const other of outputs.slice(1)) expect(rowsOf(other), `${file}: rows of run 1 vs a later run`).toEqual(first);
      expect(outputs.map(sha256), `${file}: bytes of each run`).toEqual(outputs.map(() => sha256(outputs[0])));
    }, 60_000);
  }
});
