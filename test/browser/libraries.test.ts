/**
 * Every browser library a page may use works offline from the npm cache `npm run build` fills: a fixture site
 * (test/browser/fixtures/libraries, built with the same pipeline from its own tiny warehouse) renders Plot, d3,
 * `vl`, vega-embed, a `sql` cell on DuckDB-WASM over an Arrow loader, Arquero and the shared table helper in
 * Chromium, with no console error and no request off 127.0.0.1. The fixture also holds a hostile system name
 * (test-only data, never in the published report): the table must show it as text.
 */
import {cpSync, mkdirSync, rmSync} from "node:fs";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {buildSite} from "../../data-loaders/build.ts";
import {PROJECT_ROOT, type Warehouse} from "../../data-loaders/warehouse.ts";
import {openSiteInChromium, RESULTS_DIR, screenshot, type SiteInChromium, type Visit, waitUntilInteractive} from "./harness.ts";
import {withBuildLock} from "./site.ts";

const HOSTILE = "<img src=x onerror=alert(1)>";
const FIXTURE = join(PROJECT_ROOT, "test", "browser", "fixtures", "libraries");
// Same depth below the project as the fixture, so the loader's relative import of data-loaders/ still resolves.
const ROOT = join(RESULTS_DIR, "browser", "fixtures", "libraries");
const OUT = join(RESULTS_DIR, "browser", "libraries-dist");

const ROWS: [string, string, number | null, number | null][] = [
  ["e1", "model-a", 0.5, 1.25],
  ["e2", HOSTILE, 0.25, null],
  ["e3", "model-c", null, 3]
];

async function loadFixture(warehouse: Warehouse): Promise<void> {
  for (const [i, [entry, system, value, cost]] of ROWS.entries()) {
    await warehouse.connection.run(
      `INSERT INTO results (board, benchmark, snapshot_id, entry_id, system, metric, value, as_of, source,
         verification_tier, cost_usd, content_hash, batch_id, line)
       VALUES ('fixture', 'fixture', '2025-01-01-fixture', ?, ?, 'accuracy', ?, DATE '2025-01-01', 'test fixture',
         'self-reported', ?, ?, 'fixture', ?)`,
      [entry, system, value, cost, `hash-${entry}`, i + 1]
    );
  }
}

let site: SiteInChromium;
let visit: Visit;
const dialogs: string[] = [];

beforeAll(async () => {
  await withBuildLock(async () => {
    rmSync(ROOT, {recursive: true, force: true});
    mkdirSync(ROOT, {recursive: true});
    cpSync(FIXTURE, ROOT, {recursive: true});
    cpSync(join(PROJECT_ROOT, "src", "components"), join(ROOT, "components"), {recursive: true});
    cpSync(join(PROJECT_ROOT, "src", "lib"), join(ROOT, "lib"), {recursive: true});
    await buildSite({
      config: join(ROOT, "observablehq.config.js"),
      root: ROOT,
      out: OUT,
      db: join(RESULTS_DIR, "browser", "libraries.duckdb"),
      load: loadFixture
    });
  });
  site = await openSiteInChromium(OUT);
  visit = await site.visit("/");
  visit.page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await waitUntilInteractive(visit.page);
  // The sql cell's output appears only after DuckDB-WASM has started; wait for it by name.
  await visit.page.waitForSelector('[data-check="sql"]', {timeout: 30_000});
  await screenshot(visit.page, "libraries-fixture");
  // Generous: it may wait for the site build of another test file to release the build lock.
}, 1_800_000);

afterAll(async () => {
  await site?.close();
});

const text = (check: string) => visit.page.$eval(`[data-check="${check}"]`, (e) => e.textContent?.trim() ?? "");
const count = (selector: string) => visit.page.$$eval(selector, (es) => es.length);

describe("browser libraries from the offline npm cache", () => {
  it("load with no console error, failed request or request off 127.0.0.1", () => {
    expect(visit.problemLines()).toEqual([]);
  });

  it("Plot, vl and vega-embed draw their charts", async () => {
    expect(await count('[data-check="plot"] svg')).toBeGreaterThan(0);
    expect(await count('[data-check="vl"] svg')).toBeGreaterThan(0);
    expect(await count('[data-check="embed"] svg')).toBeGreaterThan(0);
  });

  it("d3, DuckDB-WASM (sql cell over the Arrow loader) and Arquero compute on the loaded rows", async () => {
    expect(await text("d3")).toBe("0.750");
    expect(await text("sql")).toBe("model-a=0.5");
    expect(await text("aq")).toBe("2");
  });

  it("the table shows a hostile name as text, a missing value as —, and runs no script", async () => {
    const cells = await visit.page.$$eval('[data-check="table"] tbody td', (tds) => tds.map((td) => td.textContent ?? ""));
    expect(cells).toContain(HOSTILE);
    expect(cells).toContain("—");
    expect(await count('[data-check="table"] img')).toBe(0);
    expect(dialogs).toEqual([]);
  });
});
