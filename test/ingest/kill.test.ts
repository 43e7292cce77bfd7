/**
 * One file is one transaction: an ingest killed with SIGKILL at any point leaves the warehouse holding all of that
 * file's good rows or none, its quarantine rows and batch row likewise, and a later ingest of the file stores it once.
 */
import {spawn} from "node:child_process";
import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {openWarehouse} from "../../data-loaders/warehouse.ts";

const dir = mkdtempSync(join(tmpdir(), "benchlab-kill-"));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

const ROWS = 60_000;
const BAD_EVERY = 100; // 600 bad rows
const file = join(dir, "runs.jsonl");
const db = join(dir, "wh.duckdb");
writeFileSync(
  file,
  Array.from({length: ROWS}, (_, i) =>
    i % BAD_EVERY === 7
      ? JSON.stringify({benchmark: "qa", item_id: `q${i}`, model: "m", score: "not a number"})
      : JSON.stringify({benchmark: "qa", item_id: `q${i}`, model: "m", score: (i % 10) / 10, output: `answer ${i}`, slices: {k: String(i % 3)}})
  ).join("\n") + "\n"
);
const GOOD = ROWS - ROWS / BAD_EVERY;

/** Runs the child; kills it with SIGKILL when it reports progress >= killAt (never, if null). Resolves when it exits. */
function runChild(killAt: number | null): Promise<{killed: boolean; lastProgress: number}> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(import.meta.dirname, "kill-child.ts"), db, file], {stdio: ["ignore", "pipe", "inherit"]});
    let lastProgress = -1;
    let killed = false;
    let buffer = "";
    child.stdout.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      for (let nl = buffer.indexOf("\n"); nl !== -1; nl = buffer.indexOf("\n")) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        const m = /^progress (\d+)/.exec(line);
        if (m) lastProgress = Number(m[1]);
        const trigger = killAt === 0 ? line === "ready" : m && killAt !== null && lastProgress >= killAt;
        if (trigger && !killed) {
          killed = true;
          child.kill("SIGKILL");
        }
      }
    });
    child.on("error", reject);
    child.on("exit", () => resolve({killed, lastProgress}));
  });
}

async function warehouseState() {
  const wh = await openWarehouse(db);
  try {
    const q = async (sql: string) => Number((await wh.connection.runAndReadAll(sql)).getRows()[0][0]);
    const batches = (await wh.connection.runAndReadAll("SELECT batch_id, rows_ok, rows_corrected, rows_rejected FROM ingest_batches")).getRows();
    for (const [batch, ok, corrected, rejected] of batches as [string, bigint, bigint, bigint][]) {
      expect(await q(`SELECT count(*) FROM records WHERE batch_id = '${batch}'`)).toBe(Number(ok + corrected));
      expect(await q(`SELECT count(*) FROM quarantine WHERE batch_id = '${batch}'`)).toBe(Number(rejected));
    }
    return {
      batches: batches.length,
      records: await q("SELECT count(*) FROM records"),
      orphans: await q("SELECT count(*) FROM records WHERE batch_id NOT IN (SELECT batch_id FROM ingest_batches)"),
      quarantined: await q("SELECT count(*) FROM quarantine")
    };
  } finally {
    wh.close();
  }
}

describe("ingest is atomic per file", () => {
  it("SIGKILL at any stage leaves all good rows of the file or none, and a re-run stores them once", async () => {
    // Before the transaction, after staging, after the bulk insert, and just before COMMIT.
    let killedMidway = 0;
    for (const killAt of [0, 30, 70, 95]) {
      const {killed} = await runChild(killAt);
      const state = await warehouseState();
      expect(state.orphans).toBe(0);
      if (killed && state.batches === 0) {
        expect(state).toMatchObject({records: 0, quarantined: 0});
        killedMidway++;
      } else expect(state).toMatchObject({batches: 1, records: GOOD, quarantined: ROWS / BAD_EVERY});
    }
    // The kills must really have landed before COMMIT (the signal arrives long before the work after 30% and 70%).
    expect(killedMidway).toBeGreaterThanOrEqual(3);
    const {killed} = await runChild(null);
    expect(killed).toBe(false);
    const state = await warehouseState();
    expect(state.records).toBe(GOOD);
    expect(state.orphans).toBe(0);
  }, 240_000);
});
