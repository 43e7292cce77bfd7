/**
 * The bundled SWE-bench Verified matrix (18 mini-SWE-agent runs × 500 instances, pass = resolved), read from the
 * frozen snapshot in the repository (snapshots/2026-11-22-swebench-verified-mini-swe-agent, CC BY-NC 4.0; see its
 * SOURCE.md and LICENCE.md), never from ../shared.
 */
import {readFileSync} from "node:fs";
import {gunzipSync} from "node:zlib";
import type {PassFailMatrix} from "../../src/lib/stats/index.ts";

const SNAPSHOT = new URL("../../snapshots/2026-11-22-swebench-verified-mini-swe-agent/swebench-verified.records.jsonl.gz", import.meta.url);

export function loadSwebenchMatrix(): PassFailMatrix {
  const lines = gunzipSync(readFileSync(SNAPSHOT)).toString("utf8").split("\n").filter((l) => l.trim() !== "");
  const byRun = new Map<string, Map<string, number>>();
  for (const [i, line] of lines.entries()) {
    const r = JSON.parse(line) as {run_id: string; item_id: string; passed: boolean | null};
    if (typeof r.passed !== "boolean") throw new Error(`${SNAPSHOT.pathname}:${i + 1}: field passed is ${r.passed}, expected true/false`);
    if (!byRun.has(r.run_id)) byRun.set(r.run_id, new Map());
    byRun.get(r.run_id)!.set(r.item_id, r.passed ? 1 : 0);
  }
  const models = [...byRun.keys()].sort();
  const items = [...byRun.get(models[0])!.keys()].sort();
  return {models, items, outcomes: models.map((m) => items.map((item) => byRun.get(m)!.get(item) ?? NaN))};
}
