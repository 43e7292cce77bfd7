/**
 * Pages 1-4 of the built report (Registry, Compare models, Discriminative power, Anchor vs rotation) in a real
 * headless Chromium, served from dist/ (built once per `npm test` run by ensureSite): each page loads with no
 * console error, failed request or request off 127.0.0.1; every chart drew an SVG; a few displayed numbers equal
 * the Node computation of the same figure on the build warehouse (with src/lib/stats called directly); changing one
 * input changes the output (and to the Node value where there is one); a screenshot of each page goes to
 * test-results/.
 */
import {readFileSync} from "node:fs";
import type {Page} from "playwright-core";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {perItemRows, selectMatrices} from "../../data-loaders/site/pages/compare.ts";
import {submissionRows, type SubmissionRow} from "../../data-loaders/site/pages/anchor-rotation.ts";
import {registryDatasets} from "../../data-loaders/site/pages/registry.ts";
import {openReadOnly} from "../../data-loaders/site/site-warehouse.ts";
import {anchorRotationFlag, trend} from "../../src/lib/anchor-rotation.ts";
import {discriminativePower, separablePairs} from "../../src/lib/stats/index.ts";
import {chartRowsTopToBottom, intervalMarksTopToBottom, openSiteInChromium, screenshot, type SiteInChromium, type Visit, waitUntilInteractive} from "./harness.ts";
import {ensureSite} from "./site.ts";

let site: SiteInChromium;
const node = {
  outcomes: {} as Record<string, number[]>,
  registryDatasets: 0,
  submissions: [] as SubmissionRow[]
};

beforeAll(async () => {
  const {dir, report} = await ensureSite();
  const wh = await openReadOnly(report.db);
  try {
    const perItem = await perItemRows(wh.connection);
    const cells = selectMatrices(perItem).cells.filter((c) => c.benchmark === "swe-bench-verified");
    const items = [...new Set(cells.map((c) => c.item_id))].sort();
    const pos = new Map(items.map((id, i) => [id, i]));
    for (const c of cells) (node.outcomes[c.model] ??= new Array(items.length).fill(0))[pos.get(c.item_id)!] = c.passed;
    node.submissions = await submissionRows(wh.connection);
    node.registryDatasets = (await registryDatasets(wh.connection)).numRows;
  } finally {
    wh.close();
  }
  site = await openSiteInChromium(dir);
}, 900_000);

afterAll(async () => {
  await site?.close();
});

const visits = new Map<string, Visit>();
async function visit(path: string): Promise<Page> {
  let v = visits.get(path);
  if (!v) {
    v = await site.visit(path);
    await waitUntilInteractive(v.page);
    visits.set(path, v);
  }
  return v.page;
}

async function charts(page: Page): Promise<{drawn: string[]; empty: string[]}> {
  return page.$$eval("[data-chart]", (figures) => ({
    drawn: figures.filter((f) => f.querySelector("svg")).map((f) => f.getAttribute("data-chart") ?? ""),
    empty: figures.filter((f) => !f.querySelector("svg")).map((f) => f.getAttribute("data-chart") ?? "")
  }));
}

const text = (page: Page, selector: string) => page.$eval(selector, (e) => e.textContent?.trim() ?? "");

async function changedText(page: Page, selector: string, before: string): Promise<string> {
  await page.waitForFunction(([s, b]) => (document.querySelector(s)?.textContent?.trim() ?? "") !== b, [selector, before] as const, {timeout: 30_000});
  return text(page, selector);
}

const rate = (model: string) => node.outcomes[model].reduce((s, v) => s + v, 0) / node.outcomes[model].length;

describe.each([
  ["/registry", "1-registry", ["registry-board-history", "registry-flags"]],
  ["/compare", "2-compare", ["compare-pass-rate", "compare-differences", "separability-matrix"]],
  ["/discrimination", "3-discrimination", ["discrimination-ranking", "discrimination-leaders", "saturation-history", "items-solved-by"]],
  ["/anchor-rotation", "4-anchor-rotation", ["anchor-rotation"]]
])("%s in Chromium", (path, name, expectedCharts) => {
  it("loads with no console error, failed request or request off 127.0.0.1, and draws every chart", async () => {
    const page = await visit(path);
    expect(visits.get(path)!.problemLines()).toEqual([]);
    await screenshot(page, `page-${name}`);
    expect(visits.get(path)!.problemLines()).toEqual([]);
    const {drawn, empty} = await charts(page);
    expect(empty).toEqual([]);
    expect(drawn.sort()).toEqual([...expectedCharts].sort());
    expect(await page.$$eval(".benchlab-stamp", (s) => s.length)).toBeGreaterThan(0);
    expect(await text(page, ".benchlab-stamp")).toMatch(/methodology v1/);
  });
});

describe("Registry page", () => {
  it("shows the claude-3-7-sonnet published value beside its per-instance count, and the CC BY attribution", async () => {
    const page = await visit("/registry");
    expect(await text(page, "#registry-published-vs-per-item")).toContain("published 52.8% vs per-instance 51/500");
    const links = await page.$$eval("a", (as) => as.map((a) => a.getAttribute("href")));
    expect(links).toContain("https://www.codesota.com");
    expect(links).toContain("https://creativecommons.org/licenses/by/4.0/");
    expect(node.registryDatasets).toBe(782);
    expect(await text(page, "#registry-codesota-table small")).toBe(`${node.registryDatasets} rows`);
  });

  it("filters the registry when a search is typed", async () => {
    const page = await visit("/registry");
    await page.fill('input[type="search"]', "SWE-bench");
    const after = await changedText(page, "#registry-codesota-table small", "782 rows");
    expect(Number(after.replace(/\D/g, ""))).toBeGreaterThan(0);
    expect(Number(after.replace(/\D/g, ""))).toBeLessThan(782);
  });
});

describe("Compare models page", () => {
  it("shows the Node figures: Holm-separable pairs and each model's pass count", async () => {
    const page = await visit("/compare");
    expect(Number(await text(page, "#compare-separable"))).toBe(separablePairs(node.outcomes).nSeparableHolm);
    const rows = await page.$eval("#compare-models-table", (el) => {
      const header = Array.from(el.querySelectorAll("thead th")).map((th) => th.textContent?.trim() ?? "");
      return Array.from(el.querySelectorAll("tbody tr")).map((tr) => Object.fromEntries(Array.from(tr.querySelectorAll("td")).map((td, i) => [header[i], td.textContent?.trim() ?? ""])));
    });
    expect(rows.length).toBeGreaterThanOrEqual(18);
    for (const r of rows.slice(0, 18)) expect(Number(r["pass rate (%)"])).toBeCloseTo(100 * rate(r.model), 1);
    // Both interval charts draw the worst model on top: the lowest pass rate, the most negative difference.
    const worstModel = Object.keys(node.outcomes).sort((a, b) => rate(a) - rate(b) || a.localeCompare(b))[0];
    expect((await chartRowsTopToBottom(page, "compare-pass-rate"))[0]).toBe(worstModel);
    for (const chart of ["compare-pass-rate", "compare-differences"]) {
      const {estimates} = await intervalMarksTopToBottom(page, chart);
      expect(estimates.length, chart).toBeGreaterThan(1);
      expect(estimates, `${chart}: worst on top`).toEqual([...estimates].sort((a, b) => a - b));
    }
    console.info(`compare: per-model intervals recomputed in ${await text(page, "#compare-timing")} ms in the page`);
  });

  it("recomputes separability when the correction changes (none = raw exact McNemar)", async () => {
    const page = await visit("/compare");
    const before = await text(page, "#compare-separable");
    await page.getByLabel("none", {exact: true}).check();
    const after = await changedText(page, "#compare-separable", before);
    expect(Number(after)).toBe(separablePairs(node.outcomes).nSeparableRaw);
  });

  it("names the benchmarks with per-item runs but no matrix, with each run's reason (tau-bench: several trials per item)", async () => {
    const page = await visit("/compare");
    const benchmarks = await page.$$eval("select option", (options) => options.map((o) => o.textContent?.trim() ?? ""));
    expect(benchmarks).not.toContain("tau-bench");
    expect(await text(page, "#compare-no-matrix")).toMatch(/no matrix to compare[^]*tau-bench: gpt-4o \(several trials per item in this run \(up to 4; see the Consistency page\)\)/);
  });

  it("downloads the per-model table as CSV", async () => {
    const page = await visit("/compare");
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#compare-models-table button.benchlab-download")]);
    const lines = readFileSync((await download.path())!, "utf-8").trim().split("\n");
    expect(lines[0].split(",")[0]).toBe("model");
    expect(lines.length - 1).toBe(Object.keys(node.outcomes).length);
  });
});

describe("Discriminative power page", () => {
  it("shows the stats core's discriminative power of the SWE-bench matrix (tiers, headroom, chain) and the items no model solves", async () => {
    const page = await visit("/discrimination");
    const d = discriminativePower(node.outcomes);
    const row = await page.$eval("#discrimination-ranking-table", (el) => {
      // A sorted column's header carries a sort arrow: keep the name only.
      const header = Array.from(el.querySelectorAll("thead th")).map((th) => (th.textContent ?? "").replace(/[^\w()%\s−-]+/g, "").trim());
      const tr = Array.from(el.querySelectorAll("tbody tr")).find((t) => t.textContent?.includes("swe-bench-verified per-item runs"));
      return tr ? Object.fromEntries(Array.from(tr.querySelectorAll("td")).map((td, i) => [header[i], td.textContent?.trim() ?? ""])) : null;
    });
    expect(row?.["discriminative power"]).toBe(d.score.toFixed(3));
    expect([row?.tiers, row?.headroom, row?.chain]).toEqual([String(d.tiers), d.headroom.toFixed(3), d.chain.join(" > ")]);
    expect(row?.["separable pairs (Holm)"]).toBe(d.fractionSeparable.toFixed(3));
    const summary = await text(page, '.discriminative-power-summary[data-board="swe-bench-verified per-item runs"]');
    expect(summary).toContain(`D = ${d.score.toFixed(2)} = ${d.tiers} tiers × headroom ${d.headroom.toFixed(2)}`);
    expect(summary).toContain(`Chain: ${d.chain.join(" > ")}.`);
    const n = node.outcomes[Object.keys(node.outcomes)[0]].length;
    const solvedByNone = Array.from({length: n}, (_, i) => Object.values(node.outcomes).every((x) => x[i] === 0)).filter(Boolean).length;
    expect(Number(await text(page, "#items-solved-by-none"))).toBe(solvedByNone);
  });

  it("re-ranks the boards when the measure changes", async () => {
    const page = await visit("/discrimination");
    const order = () => page.$$eval('[data-chart="discrimination-ranking"] g[aria-label="y-axis tick label"] text', (ts) => ts.map((t) => t.textContent).join("|"));
    const before = await order();
    await page.selectOption("select", {label: "SNR"});
    await page.waitForFunction((b) => Array.from(document.querySelectorAll('[data-chart="discrimination-ranking"] g[aria-label="y-axis tick label"] text')).map((t) => t.textContent).join("|") !== b, before, {timeout: 30_000});
    expect(await order()).not.toBe(before);
  });
});

describe("Anchor vs rotation page", () => {
  const slope = (layer: string, domains: string[]) => {
    const t = trend(
      node.submissions
        .filter((s) => s.layer === layer && domains.includes(s.domain) && s.pass1_pct !== null && s.submitted !== null && s.date_flag === null)
        .map((s) => ({date: s.submitted!, estimate: s.pass1_pct!}))
    );
    return t;
  };
  const fmt = (t: ReturnType<typeof trend>) => `${t!.slopePerYear >= 0 ? "+" : ""}${t!.slopePerYear.toFixed(1)} pp per year [${t!.lo.toFixed(1)}, ${t!.hi.toFixed(1)}] over ${t!.n} submissions`;
  const all = ["airline", "retail", "telecom", "banking_knowledge"];

  it("shows the Node layer trends and flag, and lists the implausible telecom date", async () => {
    const page = await visit("/anchor-rotation");
    expect(await text(page, "#anchor-slope")).toBe(fmt(slope("anchor", all)));
    expect(await text(page, "#rotation-slope")).toBe(fmt(slope("rotation", all)));
    expect(await page.$eval("#anchor-rotation-flag", (e) => e.getAttribute("data-flag"))).toBe(anchorRotationFlag(slope("anchor", all), slope("rotation", all)));
    expect(await page.textContent("body")).toContain("Qwen3-Max (Alibaba), telecom, dated 2024-09-23: predates the domain");
  });

  it("refits the rotation trend on telecom alone when banking_knowledge is unticked", async () => {
    const page = await visit("/anchor-rotation");
    const before = await text(page, "#rotation-slope");
    await page.getByLabel("banking_knowledge", {exact: true}).uncheck();
    expect(await changedText(page, "#rotation-slope", before)).toBe(fmt(slope("rotation", ["telecom"])));
  });
});
