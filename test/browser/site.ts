/**
 * The built site under test: `npm run build`'s pipeline (buildSite) run at most once per `npm test` run, however
 * many browser test files ask for it (or, in CI, the build .ci/run just made; see reusableBuild). Files coordinate
 * through a lock directory and a marker in test-results/ that records which run built dist/ and whether the build
 * succeeded.
 */
import {existsSync, readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {inject} from "vitest";
import {buildSite, DEFAULT_OUT, type BuildReport} from "../../data-loaders/build.ts";
import {buildFingerprint} from "../../data-loaders/site/fingerprint.ts";
import {BUILD_DB} from "../../data-loaders/site/site-warehouse.ts";
import {withBuildLock as withLockDir} from "../../data-loaders/site/build-lock.ts";
import {RESULTS_DIR} from "./harness.ts";

const LOCK = join(RESULTS_DIR, ".site-build.lock");
const MARKER = join(RESULTS_DIR, ".site-build.json");

interface Marker {
  runId: string;
  error: string | null;
  report: BuildReport | null;
}

function readMarker(): Marker | null {
  return existsSync(MARKER) ? (JSON.parse(readFileSync(MARKER, "utf-8")) as Marker) : null;
}

/**
 * Runs `f` holding the test-run lock, so one test file checks the marker and builds (or builds a fixture site)
 * while the others wait. buildSite also serialises builds itself; this lock makes "check, then build" atomic.
 */
export function withBuildLock<T>(f: () => Promise<T>, timeoutMs = 3_600_000): Promise<T> {
  return withLockDir(LOCK, f, {timeoutMs});
}

/**
 * With BENCHLAB_REUSE_BUILD=1 (set by .ci/run right after its own `npm run build`), a dist/ whose build report
 * carries the fingerprint of the current inputs is reused instead of built again. Without it every test run
 * builds afresh.
 */
function reusableBuild(): BuildReport | null {
  if (process.env.BENCHLAB_REUSE_BUILD !== "1") return null;
  const path = `${BUILD_DB}.build.json`;
  if (!existsSync(path) || !existsSync(join(DEFAULT_OUT, "index.html"))) return null;
  const report = JSON.parse(readFileSync(path, "utf-8")) as BuildReport;
  return report.out === DEFAULT_OUT && report.fingerprint === buildFingerprint() ? report : null;
}

/** Builds dist/ from the bundled snapshots unless this test run already did; returns the folder. */
export async function ensureSite(): Promise<{dir: string; report: BuildReport}> {
  const runId = inject("benchlabRunId");
  if (!runId) throw new Error("benchlabRunId missing: vitest.config.ts must list test/browser/global-setup.ts in globalSetup");
  const marker = await withBuildLock(async () => {
    const existing = readMarker();
    if (existing?.runId === runId) return existing;
    const reused = reusableBuild();
    if (reused) {
      const marker: Marker = {runId, error: null, report: reused};
      writeFileSync(MARKER, JSON.stringify(marker, null, 2));
      return marker;
    }
    let fresh: Marker;
    try {
      fresh = {runId, error: null, report: await buildSite({out: DEFAULT_OUT})};
    } catch (err) {
      fresh = {runId, error: err instanceof Error ? err.message : String(err), report: null};
    }
    writeFileSync(MARKER, JSON.stringify(fresh, null, 2));
    return fresh;
  });
  if (marker.error !== null || marker.report === null) throw new Error(`site build failed: ${marker.error}`);
  return {dir: DEFAULT_OUT, report: marker.report};
}
