/**
 * The build's warehouse is there whole or not at all: a build killed with SIGKILL while it loads the bundled
 * snapshots left a half-loaded warehouse/build.duckdb (snapshots but no judge labels, or a few snapshots), which
 * `benchlab sql --db warehouse/build.duckdb` and a loader run alone read as the bundled data without a word.
 */
import {spawn} from "node:child_process";
import {existsSync, mkdtempSync, readdirSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {listSnapshotDirs, SNAPSHOTS_DIR} from "../../data-loaders/snapshots/load-bundled.ts";
import {openReadOnly} from "../../data-loaders/site/site-warehouse.ts";

const dir = mkdtempSync(join(tmpdir(), "benchlab-build-kill-"));
afterAll(() => rmSync(dir, {recursive: true, force: true}));
const db = join(dir, "build.duckdb");

/** Runs the child; kills it with SIGKILL once it prints `killAfter` (never, if null). Resolves when it exits. */
function runChild(killAfter: string | null): Promise<{killed: boolean}> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(import.meta.dirname, "build-kill-child.ts"), db], {stdio: ["ignore", "pipe", "inherit"]});
    let killed = false;
    let buffer = "";
    child.stdout.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      if (killAfter !== null && !killed && buffer.split("\n").includes(killAfter)) {
        killed = true;
        child.kill("SIGKILL");
      }
    });
    child.on("error", reject);
    child.on("exit", () => resolve({killed}));
  });
}

async function counts(): Promise<Record<string, number>> {
  const wh = await openReadOnly(db);
  try {
    const q = async (table: string) => Number((await wh.connection.runAndReadAll(`SELECT count(*) FROM ${table}`)).getRows()[0][0]);
    return {bundles: await q("snapshots WHERE manifest->>'part_of' IS NULL"), records: await q("records"), human_labels: await q("human_labels")};
  } finally {
    wh.close();
  }
}

describe("the build's warehouse", () => {
  it("is left whole or not at all by a build killed while loading, and a build after it makes it whole", async () => {
    const folders = listSnapshotDirs(SNAPSHOTS_DIR);
    // After the first snapshot, and after the last one (while the judge labels load).
    for (const killAfter of [`loaded ${folders[0]}`, "labels"]) {
      const {killed} = await runChild(killAfter);
      expect(killed).toBe(true);
      expect(existsSync(db)).toBe(false);
    }
    expect((await runChild(null)).killed).toBe(false);
    const whole = await counts();
    expect(whole).toMatchObject({bundles: folders.length, records: 9885});
    expect(whole.human_labels).toBeGreaterThan(0);
    // Nothing of the interrupted builds is left beside it.
    expect(readdirSync(dir)).toEqual(["build.duckdb"]);
  }, 240_000);
});
