/** Shared setup for the ingest tests: a scratch folder, a warehouse, and run-record lines. */
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterEach, beforeEach} from "vitest";
import {openWarehouse, type Warehouse} from "../../data-loaders/warehouse.ts";

export interface Scratch {
  dir: string;
  wh: Warehouse;
  /** Writes `content` to dir/name (creating folders) and returns the path. */
  write(name: string, content: string | Buffer): string;
  rows(sql: string, params?: (string | number | null)[]): Promise<Record<string, unknown>[]>;
}

/** A fresh folder and in-memory warehouse per test. */
export function useScratch(): Scratch {
  const scratch = {} as Scratch;
  beforeEach(async () => {
    scratch.dir = mkdtempSync(join(tmpdir(), "benchlab-ingest-"));
    scratch.wh = await openWarehouse(":memory:");
    scratch.write = (name, content) => {
      const path = join(scratch.dir, name);
      mkdirSync(join(path, ".."), {recursive: true});
      writeFileSync(path, content);
      return path;
    };
    scratch.rows = async (sql, params = []) => (await scratch.wh.connection.runAndReadAll(sql, params)).getRowObjectsJS() as Record<string, unknown>[];
  });
  afterEach(() => {
    scratch.wh.close();
    rmSync(scratch.dir, {recursive: true, force: true});
  });
  return scratch;
}

/** A valid run record with overrides; `undefined` in `over` drops the field. */
export function record(over: Record<string, unknown> = {}): Record<string, unknown> {
  const base: Record<string, unknown> = {benchmark: "qa", item_id: "q1", model: "m1", run_id: "r1", passed: true};
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) delete base[k];
    else base[k] = v;
  }
  return base;
}

export const jsonl = (records: unknown[]) => records.map((r) => JSON.stringify(r)).join("\n") + "\n";
