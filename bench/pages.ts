/**
 * `npm run bench:pages`: time to interactive of every page of the built report in headless Chromium.
 *
 * Serves dist/ (run `npm run build` first) on 127.0.0.1, opens each page listed in observablehq.config.ts
 * (plus the index) `RUNS` times in a fresh browser context, and prints the median time to interactive as
 * defined by `waitUntilInteractive` in test/browser/harness.ts: milliseconds from navigation start until no
 * inline cell is pending, every chart container (`.vega-embed`, `[data-chart]`) has drawn, the last network
 * response has ended and the document has stopped changing (quiet for 500 ms, not counted).
 * The goal (issue 6) is at most 3000 ms per page. Pages that log errors or make failed or off-host requests are
 * flagged. Exits non-zero if a page could not be measured.
 */
import {existsSync} from "node:fs";
import {join} from "node:path";
import config from "../observablehq.config.ts";
import {median} from "simple-statistics";
import {DEFAULT_OUT} from "../data-loaders/build.ts";
import {BUILD_DB} from "../data-loaders/warehouse.ts";
import {openSiteInChromium, waitUntilInteractive} from "../test/browser/harness.ts";

const RUNS = Number(process.env.BENCH_PAGES_RUNS ?? 3);
const GOAL_MS = 3000;

type PageEntry = {name: string; path?: string; pages?: PageEntry[]};

/** Every page path of the config's sidebar (sections flattened), the index first. */
function pagePaths(pages: PageEntry[] = []): string[] {
  const paths = new Set<string>(["/"]);
  const visit = (entries: PageEntry[]) => {
    for (const entry of entries) {
      if (entry.path) paths.add(entry.path === "/index" ? "/" : entry.path);
      if (entry.pages) visit(entry.pages);
    }
  };
  visit(pages);
  return [...paths];
}

async function main(): Promise<void> {
  // The build report is written last, and removed when a build starts: without it the site is not a finished build.
  if (!existsSync(join(DEFAULT_OUT, "index.html")) || !existsSync(`${BUILD_DB}.build.json`)) throw new Error(`${DEFAULT_OUT} holds no finished build; run \`npm run build\` first`);
  const site = await openSiteInChromium(DEFAULT_OUT);
  let failed = false;
  try {
    console.log(`chromium: ${site.executablePath}; ${RUNS} run(s) per page; time to interactive (median), goal <= ${GOAL_MS} ms`);
    for (const path of pagePaths((config as {pages?: PageEntry[]}).pages)) {
      const times: number[] = [];
      const problems = new Set<string>();
      try {
        for (let run = 0; run < RUNS; run++) {
          const visit = await site.visit(path);
          times.push(await waitUntilInteractive(visit.page));
          for (const line of visit.problemLines()) problems.add(line);
          await visit.page.context().close();
        }
        const ms = median(times);
        const flag = ms > GOAL_MS ? "  SLOW" : "";
        console.log(`${path.padEnd(32)} ${String(Math.round(ms)).padStart(6)} ms  (runs: ${times.join(", ")})${flag}`);
      } catch (err) {
        failed = true;
        console.log(`${path.padEnd(32)}  not measured: ${err instanceof Error ? err.message : String(err)}`);
      }
      for (const line of problems) console.log(`    problem: ${line}`);
    }
  } finally {
    await site.close();
  }
  if (failed) process.exitCode = 1;
}

await main();
