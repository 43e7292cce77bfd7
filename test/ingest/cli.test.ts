/** `benchlab ingest` end to end: summary on stdout, rejected rows with file:line [field] on stderr, exit codes. */
import {spawnSync} from "node:child_process";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {PROJECT_ROOT} from "../../data-loaders/warehouse.ts";
import {jsonl, record, useScratch} from "./helpers.ts";

const s = useScratch();
const benchlab = (...args: string[]) =>
  spawnSync(process.execPath, [join(PROJECT_ROOT, "bin", "benchlab.js"), "ingest", ...args], {encoding: "utf8", cwd: s.dir});

describe("benchlab ingest", () => {
  it("exits 0 on a clean file and 1 when a row is rejected, naming file, line and field", () => {
    const db = join(s.dir, "wh.duckdb");
    s.write("good.jsonl", jsonl([record(), record({item_id: "q2"})]));
    s.write("bad.jsonl", jsonl([record({item_id: "q3"}), record({item_id: "q4", tokens_out: "7"})]));
    const ok = benchlab("--db", db, "good.jsonl");
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^good\.jsonl: 2 new, 0 corrections, 0 duplicates, 0 rejected \(/);
    const bad = benchlab("--db", db, "good.jsonl", "bad.jsonl");
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/good\.jsonl: 0 new, 0 corrections, 2 duplicates, 0 rejected/);
    expect(bad.stdout).toMatch(/bad\.jsonl: 1 new, 0 corrections, 0 duplicates, 1 rejected/);
    expect(bad.stderr).toContain("bad.jsonl:2 [tokens_out] tokens_out: Invalid input: expected number, received string");
    expect(bad.stderr).toMatch(/SELECT line, field, reason FROM quarantine WHERE batch_id = '/);
  }, 60_000);

  it("reports an unreadable file and a bad --map clearly, with exit code 1", () => {
    const missing = benchlab("--db", join(s.dir, "wh.duckdb"), "nope.jsonl");
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("benchlab ingest: nope.jsonl: no such file");
    const map = benchlab("--db", join(s.dir, "wh.duckdb"), "--map", "item_id", "x.csv");
    expect(map.status).toBe(1);
    expect(map.stderr).toContain("--map item_id: expected FIELD=HEADER");
  }, 60_000);
});
