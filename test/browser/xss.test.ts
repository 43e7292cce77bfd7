/**
 * Untrusted text renders as text (issue 6): a site is built from a test-only fixture (test/fixtures/xss: run
 * records whose model name, output and slice, a leaderboard system, a judge name, and a snapshot's title, source
 * and licence are all `<img src=x onerror=alert(1)>`) with the same pipeline as `npm run build`, into its own warehouse and output
 * folder under test-results/ (never dist/, never the published data). Every page that shows those names is opened
 * in Chromium: the string must appear as text, no element may be created from it, and no dialog may open.
 * (Registry, Discrimination and Anchor vs rotation need the bundled data itself and are not built here.)
 *
 * The fixture site holds the real pages, components and src/lib; its data loaders are one-line shims that import
 * the real loaders in src/data/ (so they keep resolving data-loaders/ from their own location), and they read the
 * fixture warehouse through BENCHLAB_DB like the real build.
 */
import {cpSync, mkdirSync, readdirSync, rmSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {pathToFileURL} from "node:url";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {buildSite} from "../../data-loaders/build.ts";
import {ingestFile} from "../../data-loaders/ingest/index.ts";
import {ingestLabels} from "../../data-loaders/judge/labels.ts";
import {PROJECT_ROOT, type Warehouse} from "../../data-loaders/warehouse.ts";
import {openSiteInChromium, RESULTS_DIR, screenshot, type SiteInChromium, waitUntilInteractive} from "./harness.ts";
import {withBuildLock} from "./site.ts";

const HOSTILE = "<img src=x onerror=alert(1)>";
const FIXTURE = join(PROJECT_ROOT, "test", "fixtures", "xss");
const ROOT = join(RESULTS_DIR, "browser", "xss-site");
const OUT = join(RESULTS_DIR, "browser", "xss-dist");
const DB = join(RESULTS_DIR, "browser", "xss.duckdb");
const PAGES = ["index", "compare", "slices", "consistency", "decision", "judge-audit"];

const SNAPSHOTS = {
  records: "2025-01-01-xss-records",
  results: "2025-01-01-xss-results",
  labels: "2025-01-01-xss-judges"
};

async function loadFixture(wh: Warehouse): Promise<void> {
  const c = wh.connection;
  const ingested = await ingestFile(wh, join(FIXTURE, "records.jsonl"), {snapshotId: SNAPSHOTS.records});
  if (ingested.rowsRejected > 0) throw new Error(`xss fixture: ${ingested.rowsRejected} record(s) rejected`);
  await ingestLabels(wh, join(FIXTURE, "labels.csv"), {dataset: SNAPSHOTS.labels, snapshotId: SNAPSHOTS.labels});
  // Leaderboard rows: an aider entry and a tau2 submission named HOSTILE (tau2 incomplete: pass^2 unreported).
  const results: [string, string, string, string, string, number | null, number | null, number | null][] = [
    ["polyglot_leaderboard", "aider-polyglot", "xss-a", HOSTILE, "pass_rate_2_pct", 40, 10, 1.5],
    ["polyglot_leaderboard", "aider-polyglot", "xss-a", HOSTILE, "seconds_per_case", 12, 10, 1.5],
    ["polyglot_leaderboard", "aider-polyglot", "xss-b", "plain-system", "pass_rate_2_pct", 60, 10, null],
    ["tau2-bench/airline", "tau2-bench", "xss-t", HOSTILE, "pass^1_pct", 50, null, null],
    ["tau2-bench/airline", "tau2-bench", "xss-t", HOSTILE, "pass^2_pct", null, null, null]
  ];
  for (const [i, [board, benchmark, entry, system, metric, value, n, cost]] of results.entries()) {
    await c.run(
      `INSERT INTO results (board, benchmark, snapshot_id, entry_id, system, model, metric, value, n, as_of, source,
         verification_tier, cost_usd, notes, content_hash, batch_id, line)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, DATE '2025-01-01', 'test fixture', 'self-reported', ?, ?, ?, 'xss-fixture', ?)`,
      [board, benchmark, SNAPSHOTS.results, entry, system, system, metric, value, n, cost, value === null ? `flag:value-unreported ${HOSTILE}` : null, `xss-${i}`, i + 1]
    );
  }
  // A snapshot's title, source and licence come from its manifest (`benchlab snapshot` takes them from a user): the
  // results snapshot's are HOSTILE, shown by the index and the stamps.
  for (const id of Object.values(SNAPSHOTS)) {
    const text = id === SNAPSHOTS.results ? HOSTILE : null;
    await c.run(
      `INSERT INTO snapshots VALUES (?, DATE '2025-01-01', ?, ?, NULL, '1', ?, ?::JSON)`,
      [id, text ?? "xss fixture", text ?? "test/fixtures/xss", text ?? "test only", JSON.stringify({fixture: true})]
    );
  }
}

/** The fixture root: the real pages, components and src/lib, and shims of the real data loaders. */
function prepareRoot(): void {
  rmSync(ROOT, {recursive: true, force: true});
  mkdirSync(join(ROOT, "data"), {recursive: true});
  cpSync(join(PROJECT_ROOT, "src", "components"), join(ROOT, "components"), {recursive: true});
  cpSync(join(PROJECT_ROOT, "src", "lib"), join(ROOT, "lib"), {recursive: true});
  for (const page of PAGES) cpSync(join(PROJECT_ROOT, "src", `${page}.md`), join(ROOT, `${page}.md`));
  for (const loader of readdirSync(join(PROJECT_ROOT, "src", "data")).filter((f) => f.endsWith(".ts"))) {
    writeFileSync(join(ROOT, "data", loader), `import ${JSON.stringify(pathToFileURL(join(PROJECT_ROOT, "src", "data", loader)).href)};\n`);
  }
  const config = {
    title: "xss fixture",
    root: ROOT,
    globalStylesheets: [],
    duckdb: {extensions: {json: null, parquet: null}},
    pages: PAGES.map((p) => ({name: p, path: `/${p}`})),
    search: false
  };
  // The output folder is the build's (BENCHLAB_SITE_OUT: OUT.partial, renamed to OUT when built).
  writeFileSync(join(ROOT, "observablehq.config.js"), `export default {...${JSON.stringify(config, null, 2)}, output: process.env.BENCHLAB_SITE_OUT};\n`);
}

let site: SiteInChromium;

beforeAll(async () => {
  await withBuildLock(async () => {
    prepareRoot();
    await buildSite({config: join(ROOT, "observablehq.config.js"), root: ROOT, out: OUT, db: DB, load: loadFixture});
  }, 1_800_000); // the lock may be held by the full site build (judge audits take minutes)
  site = await openSiteInChromium(OUT);
}, 1_800_000); // a cold build audits 76 judges (minutes on two shared cores)

afterAll(async () => {
  await site?.close();
});

describe("hostile names and outputs render as text", () => {
  for (const page of PAGES) {
    it(`/${page}`, async () => {
      const visit = await site.visit(`/${page}`);
      const dialogs: string[] = [];
      visit.page.on("dialog", (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      await waitUntilInteractive(visit.page);
      await screenshot(visit.page, `xss-${page}`);
      expect(visit.problemLines()).toEqual([]);
      const found = await visit.page.evaluate((hostile) => {
        const main = document.querySelector("#observablehq-main") ?? document.body;
        return {
          text: (main.textContent ?? "").includes(hostile),
          svgText: Array.from(main.querySelectorAll("svg text, svg title")).some((t) => (t.textContent ?? "").includes(hostile)),
          injected: main.querySelectorAll('img[src="x"], img[onerror], [onerror]').length
        };
      }, HOSTILE);
      expect(found.text || found.svgText, `${page} shows the hostile string`).toBe(true);
      expect(found.injected).toBe(0);
      expect(dialogs).toEqual([]);
      await visit.page.context().close();
    });
  }
});
