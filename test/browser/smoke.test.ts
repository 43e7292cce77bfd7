/**
 * Browser smoke test of the built report: the index page, served from dist/ on 127.0.0.1 and opened in a real
 * headless Chromium, loads with no console error, no failed request and no request off the local server, lists
 * every benchmark of the build warehouse with its record count, shows missing values as "—", stamps the table with
 * its snapshots and methodology version, and downloads the table as CSV.
 */
import {parse} from "csv-parse/sync";
import {readFileSync} from "node:fs";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {openReadOnly} from "../../data-loaders/site/site-warehouse.ts";
import {BENCHMARK_INDEX_SQL, BENCHMARK_SOURCES_SQL} from "../../data-loaders/site/benchmark-index.ts";
import {openSiteInChromium, screenshot, type SiteInChromium, type Visit, waitUntilInteractive} from "./harness.ts";
import {ensureSite} from "./site.ts";

let site: SiteInChromium;
let visit: Visit;
let expected: {benchmark: string; records: number; direction: string | null}[];
let sources: {id: string; date: string}[];

beforeAll(async () => {
  const {dir, report} = await ensureSite();
  const warehouse = await openReadOnly(report.db);
  try {
    expected = (await warehouse.connection.runAndReadAll(BENCHMARK_INDEX_SQL)).getRowObjectsJS().map((r) => ({
      benchmark: String(r.benchmark),
      records: Number(r.records),
      direction: r.direction === null ? null : String(r.direction)
    }));
    sources = (
      await warehouse.connection.runAndReadAll(`SELECT snapshot_id, strftime(snapshot_date, '%Y-%m-%d') AS date FROM snapshots WHERE snapshot_id IN (${BENCHMARK_SOURCES_SQL})`)
    )
      .getRowObjectsJS()
      .map((r) => ({id: String(r.snapshot_id), date: String(r.date)}));
  } finally {
    warehouse.close();
  }
  site = await openSiteInChromium(dir);
  visit = await site.visit("/");
  await waitUntilInteractive(visit.page);
  await screenshot(visit.page, "index");
  // Generous: the first browser test of a run waits for the whole site build.
}, 1_800_000);

afterAll(async () => {
  await site?.close();
});

describe("index page in Chromium", () => {
  it("loads with no console error, failed request or request off 127.0.0.1", () => {
    expect(visit.problemLines()).toEqual([]);
  });

  it("lists every benchmark of the build warehouse with its record count", async () => {
    expect(expected.length).toBeGreaterThan(0);
    const rows = await visit.page.$$eval(".benchlab-table tbody tr", (trs) =>
      trs.map((tr) => Array.from(tr.querySelectorAll("td")).map((td) => td.textContent?.trim() ?? ""))
    );
    const header = await visit.page.$$eval(".benchlab-table thead th", (ths) => ths.map((th) => th.textContent?.trim() ?? ""));
    const at = (name: string) => header.indexOf(name);
    expect(at("benchmark")).toBeGreaterThanOrEqual(0);
    const shown = new Map(rows.map((cells) => [cells[at("benchmark")], cells]));
    expect([...shown.keys()].sort()).toEqual(expected.map((e) => e.benchmark).sort());
    for (const e of expected) {
      const cells = shown.get(e.benchmark)!;
      expect(Number(cells[at("records")].replace(/[^\d]/g, "")), e.benchmark).toBe(e.records);
      expect(cells[at("better when")], e.benchmark).toBe(e.direction === null ? "—" : e.direction.replace(/-is-better$/, ""));
    }
    // Judge benchmarks show their labels and verdicts (2,400 human labels of TriviaQA answers) and dates, not 0 and —.
    const trivia = shown.get("triviaqa-judges")!;
    expect(Number(trivia[at("labels")].replace(/[^\d]/g, ""))).toBe(2400);
    expect(Number(trivia[at("judge verdicts")].replace(/[^\d]/g, ""))).toBeGreaterThan(0);
    expect(trivia[at("to")]).not.toBe("—");
  });

  it("stamps the table with the snapshots of its records and board rows and the methodology version", async () => {
    const dates = sources.map((s) => s.date).sort();
    expect(sources.length).toBeGreaterThan(1);
    const stamps = await visit.page.$$eval(".benchlab-stamp", (els) => els.map((e) => ({text: e.textContent ?? "", title: e.getAttribute("title") ?? "", href: e.querySelector("a")?.getAttribute("href")})));
    expect(stamps).toHaveLength(1);
    expect(stamps[0].text).toMatch(new RegExp(`^${sources.length} snapshots, ${dates[0]} to ${dates[dates.length - 1]} · methodology v1 · `));
    expect(stamps[0].title.split("\n").sort()).toEqual(sources.map((s) => s.id).sort());
    expect(stamps[0].href).toBe("#benchmarks-table");
    expect(await visit.page.$$eval("#benchmarks-table table", (t) => t.length)).toBe(1);
  });

  it("downloads the table behind it as CSV", async () => {
    const [download] = await Promise.all([visit.page.waitForEvent("download"), visit.page.click(".benchlab-table button.benchlab-download")]);
    const csv: Record<string, string>[] = parse(readFileSync((await download.path())!, "utf-8"), {columns: true});
    expect(download.suggestedFilename()).toBe("benchlab-benchmarks.csv");
    // The CSV holds the raw values: full direction names, empty fields for missing values.
    expect(csv.map((r) => [r.benchmark, r.direction || null, Number(r.records)]).sort()).toEqual(
      expected.map((e) => [e.benchmark, e.direction, e.records]).sort()
    );
  });
});
