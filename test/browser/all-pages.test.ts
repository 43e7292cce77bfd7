/**
 * Every page in the site's navigation, opened in Chromium from the built dist/: it loads with no console error,
 * failed request or request off 127.0.0.1, becomes interactive, draws at least one chart unless it is a text
 * page, shows every chart SVG at the width it was drawn at (not scaled down by the theme's 640 px figure cap), shows every table value in full rather than cut to an ellipsis (except in a column of long text at the width
 * cap, and never in the first column: the row's name), and is saved as a screenshot. The per-page tests check numbers and inputs; this one makes
 * sure a page added to `pages` in observablehq.config.ts is never left unvisited.
 */
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import config from "../../observablehq.config.ts";
import {openSiteInChromium, screenshot, type SiteInChromium, waitUntilInteractive} from "./harness.ts";
import {ensureSite} from "./site.ts";

/** Pages of prose, code and tables only (the index lists benchmarks in a table): no chart is expected on them. */
const TEXT_PAGES = new Set(["/", "/write-a-scorer"]);
/** Pages with no data table (every other page shows the table behind its charts). */
const PAGES_WITHOUT_TABLES = new Set(["/write-a-scorer"]);
const pages = (config.pages as {name: string; path: string}[]).map((p) => ({name: p.name, path: p.path}));

let site: SiteInChromium;

beforeAll(async () => {
  const {dir} = await ensureSite();
  site = await openSiteInChromium(dir);
}, 1_800_000);

afterAll(async () => {
  await site?.close();
});

describe("every page of the navigation in Chromium", () => {
  it("lists the nine report pages", () => {
    expect(pages.length).toBeGreaterThanOrEqual(9);
  });

  it.each(pages)("$name ($path) loads cleanly and draws its charts", async ({path}) => {
    const visit = await site.visit(path);
    try {
      await waitUntilInteractive(visit.page);
      await screenshot(visit.page, `all-pages${path === "/" ? "-index" : path}`);
      expect(visit.problemLines()).toEqual([]);
      const charts = await visit.page.$$eval(".vega-embed, [data-chart]", (els) => els.filter((e) => e.matches("svg") || e.querySelector("svg, canvas")).length);
      if (!TEXT_PAGES.has(path)) expect(charts, `${path} should draw at least one chart`).toBeGreaterThan(0);
      // Each chart is shown at the size it is drawn at: Framework's figure { max-width: 640px } scaled 912 px
      // charts (and their 10 px text) down to 70% until figure.benchlab-chart was exempted (chart-width.ts).
      const svgs = await visit.page.$$eval("[data-chart] svg[width]", (els) =>
        els
          .filter((svg) => !svg.parentElement?.closest("svg"))
          .map((svg) => ({chart: svg.closest("[data-chart]")!.getAttribute("data-chart"), width: Number(svg.getAttribute("width")), shown: svg.clientWidth}))
      );
      if (!TEXT_PAGES.has(path)) expect(svgs.some((s) => s.width > 640), `${path}: a chart drawn wider than 640 px`).toBe(true);
      expect(svgs.filter((s) => Math.abs(s.shown - s.width) > 0.5).map((s) => `${s.chart}: drawn ${s.width} px, shown ${s.shown} px`), `${path}: charts scaled`).toEqual([]);
      // A value is cut to an ellipsis only in a column at the width cap (MAX_COLUMN_PX, 280 px, in
      // src/components/table.ts: long text such as outputs and URLs), never in the first column (the row's name).
      const cells = await visit.page.$$eval(".benchlab-table tbody tr td:not(:first-child)", (tds) => {
        const columnWidth = (td: Element) => {
          const th = td.closest("table")!.querySelectorAll("thead th")[(td as HTMLTableCellElement).cellIndex];
          const style = getComputedStyle(th);
          return th.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        };
        return tds.map((td) => ({
          text: td.textContent ?? "",
          firstColumn: (td as HTMLTableCellElement).cellIndex === 1,
          cut: td.scrollWidth > td.clientWidth,
          columnWidth: columnWidth(td)
        }));
      });
      const cut = cells.filter((c) => c.cut);
      expect(cut.filter((c) => c.firstColumn).map((c) => c.text), `${path}: names cut short in a table's first column`).toEqual([]);
      expect(cut.filter((c) => c.columnWidth < 279).map((c) => `${c.text} (${c.columnWidth} px)`), `${path}: values cut short below the width cap`).toEqual([]);
      if (!PAGES_WITHOUT_TABLES.has(path)) expect(cells.filter((c) => c.firstColumn).length, `${path} should show a table`).toBeGreaterThan(0);
      // Every page that shows data stamps it with its snapshots and methodology version (src/components/stamp.ts).
      if (!PAGES_WITHOUT_TABLES.has(path)) expect(await visit.page.$$eval(".benchlab-stamp", (s) => s.length), `${path} should stamp its numbers`).toBeGreaterThan(0);
      const heading = await visit.page.$eval("h1", (h) => h.textContent ?? "");
      expect(heading.trim().length).toBeGreaterThan(0);
    } finally {
      await visit.page.context().close();
    }
  }, 120_000);
});
