/**
 * Real-browser harness shared by the browser tests and `npm run bench:pages`: a static server for a built site
 * on 127.0.0.1, a headless Chromium driven by playwright-core, and a page visit that records everything that
 * must not happen on an offline report (console errors, page errors, failed requests, HTTP errors, any request
 * to a host other than the local server).
 *
 * Chromium: `$BENCHLAB_CHROMIUM` if set, else Debian's /usr/bin/chromium if installed, else the one shipped
 * inside the @sparticuz/chromium npm package (unpacked to /tmp on first use), so `npm ci` alone gives the tests
 * a browser.
 */
import {createReadStream, existsSync, mkdirSync, statSync} from "node:fs";
import {createServer, type Server} from "node:http";
import {extname, join, normalize, resolve, sep} from "node:path";
import {chromium as playwright, type Browser, type Page} from "playwright-core";
import {PROJECT_ROOT} from "../../data-loaders/warehouse.ts";

export const RESULTS_DIR = join(PROJECT_ROOT, "test-results");

const MIME: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".arrow": "application/vnd.apache.arrow.file",
  ".csv": "text/csv; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8"
};

interface StaticServer {
  origin: string;
  close(): Promise<void>;
}

/**
 * Serves `root` on 127.0.0.1 (a free port) the way a static host serves a Framework build with clean URLs:
 * `/` -> index.html, `/page` -> page.html. Never serves outside `root`.
 */
async function serveStatic(root: string): Promise<StaticServer> {
  const base = resolve(root);
  const server: Server = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? "/", "http://127.0.0.1").pathname);
    const candidates = [pathname, `${pathname}.html`, join(pathname, "index.html")];
    for (const candidate of candidates) {
      const file = normalize(join(base, candidate));
      if (file !== base && !file.startsWith(base + sep)) break;
      if (existsSync(file) && statSync(file).isFile()) {
        res.writeHead(200, {"content-type": MIME[extname(file)] ?? "application/octet-stream"});
        createReadStream(file).pipe(res);
        return;
      }
    }
    res.writeHead(404, {"content-type": "text/plain"}).end("not found");
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("static server has no port");
  return {
    origin: `http://127.0.0.1:${address.port}`,
    close: () => new Promise((ok) => server.close(() => ok()))
  };
}

/** Flags for a quiet, offline, sandbox-free headless Chromium (../shared/notes/offline-build.md). */
const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync"
];

/** Path of the Chromium to run (see the module comment for the order). */
async function chromiumPath(): Promise<string> {
  if (process.env.BENCHLAB_CHROMIUM) return process.env.BENCHLAB_CHROMIUM;
  if (existsSync("/usr/bin/chromium")) return "/usr/bin/chromium";
  const {default: sparticuz} = await import("@sparticuz/chromium");
  return sparticuz.executablePath();
}

interface BrowserSession {
  browser: Browser;
  executablePath: string;
  close(): Promise<void>;
}

/**
 * Launches Chromium. playwright-core gives every `launch` a fresh temporary user-data-dir of its own and removes
 * it on close (it refuses a `--user-data-dir` flag), so no profile state carries over between runs.
 */
async function launchChromium(): Promise<BrowserSession> {
  const executablePath = await chromiumPath();
  const browser = await playwright.launch({executablePath, headless: true, args: CHROMIUM_FLAGS});
  return {browser, executablePath, close: () => browser.close()};
}

/** A built site served on 127.0.0.1 with a Chromium to visit it: what every browser test and bench:pages start with. */
export interface SiteInChromium {
  /** Chromium's executable, for reports. */
  executablePath: string;
  /** Opens a path of the site in a new page (see openPage). */
  visit(path: string): Promise<Visit>;
  close(): Promise<void>;
}

export async function openSiteInChromium(root: string): Promise<SiteInChromium> {
  const server = await serveStatic(root);
  let session: BrowserSession;
  try {
    session = await launchChromium();
  } catch (err) {
    await server.close();
    throw err;
  }
  return {
    executablePath: session.executablePath,
    visit: (path) => openPage(session.browser, server.origin, path),
    async close() {
      await session.close();
      await server.close();
    }
  };
}

export interface VisitProblems {
  consoleErrors: string[];
  pageErrors: string[];
  failedRequests: string[];
  httpErrors: string[];
  offHostRequests: string[];
}

export interface Visit {
  page: Page;
  problems: VisitProblems;
  /** Every problem as one line each; empty for a clean visit. */
  problemLines(): string[];
}

/**
 * Opens `origin + path` in a new page and records problems from the first request on. Requests to any host but
 * the server's are aborted (and recorded), so a page can never silently depend on the network.
 */
async function openPage(browser: Browser, origin: string, path: string): Promise<Visit> {
  const context = await browser.newContext({viewport: {width: 1280, height: 900}});
  // Records when the document last changed, for waitUntilInteractive.
  await context.addInitScript(() => {
    const w = window as unknown as {__benchlabLastMutation: number};
    w.__benchlabLastMutation = 0;
    new MutationObserver(() => (w.__benchlabLastMutation = performance.now())).observe(document, {
      childList: true,
      subtree: true,
      attributes: true,
      characterData: true
    });
  });
  const page = await context.newPage();
  const problems: VisitProblems = {consoleErrors: [], pageErrors: [], failedRequests: [], httpErrors: [], offHostRequests: []};
  const host = new URL(origin).host;
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if ((url.protocol === "http:" || url.protocol === "https:") && url.host !== host) {
      problems.offHostRequests.push(url.href);
      return route.abort("blockedbyclient");
    }
    return route.continue();
  });
  page.on("console", (msg) => {
    if (msg.type() === "error") problems.consoleErrors.push(`${msg.text()} (${msg.location().url}:${msg.location().lineNumber})`);
  });
  page.on("pageerror", (err) => problems.pageErrors.push(err.stack ?? err.message));
  // A request fails when it got no response or an HTTP error. Chromium also reports "net::ERR_ABORTED" when the
  // page itself stops reading a body it received in full (apache-arrow's tableFromIPC cancels the stream once it
  // has read the end-of-stream marker); that is not a failure.
  page.on("requestfailed", async (req) => {
    if (problems.offHostRequests.includes(req.url())) return;
    const response = await req.response().catch(() => null);
    if (response && response.status() < 400 && req.failure()?.errorText === "net::ERR_ABORTED") return;
    problems.failedRequests.push(`${req.url()}: ${req.failure()?.errorText}`);
  });
  page.on("response", (res) => {
    if (res.status() >= 400) problems.httpErrors.push(`${res.status()} ${res.url()}`);
  });
  await page.goto(origin + path, {waitUntil: "load"});
  return {
    page,
    problems,
    problemLines: () =>
      Object.entries(problems).flatMap(([kind, lines]) => (lines as string[]).map((line) => `${kind}: ${line}`))
  };
}

/**
 * Time to interactive, in milliseconds since navigation start: the latest of
 *   - the first animation frame at which no inline Framework cell is pending (no `<observablehq-loading>`
 *     placeholder is left) and every chart container (a Vega-Embed container or an element marked `data-chart`,
 *     see "Page conventions" in README.md) has drawn its SVG or canvas,
 *   - the end of the last network response, and
 *   - the last change to the document,
 * measured once the page has been quiet (no request in flight, no DOM change) for `quietMs`. Block cells have no
 * placeholder, so "the page stopped changing" stands in for "every cell has run"; a test that needs one
 * particular output should also wait for its selector. Rejects after `timeoutMs` naming what was outstanding.
 */
export async function waitUntilInteractive(page: Page, {quietMs = 500, timeoutMs = 30_000} = {}): Promise<number> {
  let inFlight = 0;
  let lastActivity = Date.now();
  const onStart = () => {
    inFlight++;
    lastActivity = Date.now();
  };
  const onEnd = () => {
    inFlight = Math.max(0, inFlight - 1);
    lastActivity = Date.now();
  };
  page.on("request", onStart);
  page.on("requestfinished", onEnd);
  page.on("requestfailed", onEnd);
  const deadline = Date.now() + timeoutMs;
  const state = () =>
    page.evaluate(() => ({
      pending: document.querySelectorAll("observablehq-loading").length,
      undrawn: Array.from(document.querySelectorAll(".vega-embed, [data-chart]")).filter((e) => !e.matches("svg") && !e.querySelector("svg, canvas")).length,
      now: performance.now(),
      lastMutation: (window as unknown as {__benchlabLastMutation?: number}).__benchlabLastMutation ?? 0,
      lastResponse: Math.max(0, ...performance.getEntriesByType("resource").map((e) => (e as PerformanceResourceTiming).responseEnd))
    }));
  try {
    const cellsDone = await page
      .waitForFunction(
        () =>
          document.querySelectorAll("observablehq-loading").length === 0 &&
          Array.from(document.querySelectorAll(".vega-embed, [data-chart]")).every((e) => e.matches("svg") || e.querySelector("svg, canvas")) &&
          performance.now(),
        undefined,
        {polling: "raf", timeout: timeoutMs}
      )
      .then((handle) => handle.jsonValue() as Promise<number>)
      .catch(async () => {
        const s = await state();
        throw new Error(`not interactive after ${timeoutMs} ms: ${s.pending} pending cell(s), ${s.undrawn} undrawn chart(s)`);
      });
    for (;;) {
      const s = await state();
      if (inFlight === 0 && Date.now() - lastActivity >= quietMs && s.now - s.lastMutation >= quietMs) {
        return Math.round(Math.max(cellsDone, s.lastResponse, s.lastMutation));
      }
      if (Date.now() > deadline) {
        throw new Error(`not interactive after ${timeoutMs} ms: ${inFlight} request(s) in flight, last DOM change at ${Math.round(s.lastMutation)} ms`);
      }
      await new Promise((ok) => setTimeout(ok, 50));
    }
  } finally {
    page.off("request", onStart);
    page.off("requestfinished", onEnd);
    page.off("requestfailed", onEnd);
  }
}

/** Saves a full-page screenshot to test-results/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(RESULTS_DIR, {recursive: true});
  const path = join(RESULTS_DIR, `${name.replace(/[^\w.-]+/g, "-")}.png`);
  await page.screenshot({path, fullPage: true});
  return path;
}

/**
 * The y-axis tick labels of the Plot chart marked `data-chart="<name>"` (its first SVG), top to bottom as drawn on
 * the screen: the rows of an IntervalChart in the order a reader sees them.
 */
export async function chartRowsTopToBottom(page: Page, name: string): Promise<string[]> {
  return page.$eval(`[data-chart="${name}"]`, (figure) =>
    Array.from(figure.querySelectorAll('svg [aria-label="y-axis tick label"] text'))
      .map((t) => ({text: t.textContent ?? "", top: t.getBoundingClientRect().top}))
      .sort((a, b) => a.top - b.top)
      .map((t) => t.text)
  );
}

/**
 * Where the marks of the IntervalChart marked `data-chart="<name>"` are drawn, top to bottom: the x of each dot's
 * centre (the estimate) and the left end of each horizontal rule (the interval's low bound), in screen pixels.
 * Lower x is a lower value, so "worst on top" means both lists ascend.
 */
export async function intervalMarksTopToBottom(page: Page, name: string): Promise<{estimates: number[]; lows: number[]}> {
  return page.$eval(`[data-chart="${name}"]`, (figure) => {
    const svg = figure.querySelector("svg")!;
    const byTop = (els: Element[], x: (r: DOMRect) => number) =>
      els
        .map((e) => e.getBoundingClientRect())
        .sort((a, b) => a.top + a.height / 2 - (b.top + b.height / 2))
        .map(x);
    const dots = Array.from(svg.querySelectorAll('[aria-label="dot"] > *'));
    // Horizontal rules only: the interval of each row (the vertical reference line is a rule too).
    const rules = Array.from(svg.querySelectorAll('[aria-label="rule"] line')).filter((l) => l.getBoundingClientRect().height < 0.5);
    return {estimates: byTop(dots, (r) => r.left + r.width / 2), lows: byTop(rules, (r) => r.left)};
  });
}
