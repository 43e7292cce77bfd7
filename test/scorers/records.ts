/**
 * Test helper: puts run records into a temporary warehouse with parameterised INSERTs (record text never enters
 * SQL). Hashes follow the warehouse's meaning: key_hash over the canonical key, content_hash over the whole record.
 * TODO(ingest): switch to `ingestFile` from data-loaders/ingest/index.ts once it lands.
 */
import {mkdtempSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {RECORD_FIELD_KINDS, RECORD_KEY, RunRecord, type RunRecordInput} from "../../src/lib/schema.ts";
import {canonicalJson, sha256} from "../../data-loaders/judge/hash.ts";
import {openWarehouse, type Warehouse} from "../../data-loaders/warehouse.ts";

const FIELDS = Object.keys(RECORD_FIELD_KINDS) as (keyof typeof RECORD_FIELD_KINDS)[];

export function tempDbPath(): string {
  return join(mkdtempSync(join(tmpdir(), "benchlab-scorers-")), "wh.duckdb");
}

export async function tempWarehouse(): Promise<Warehouse> {
  return openWarehouse(tempDbPath());
}

/** Validates each record with the zod schema and inserts it; returns the records as stored. */
export async function insertRecords(wh: Warehouse, inputs: RunRecordInput[], batchId = "test-batch"): Promise<RunRecord[]> {
  const placeholders = FIELDS.map((f, i) => {
    const kind = RECORD_FIELD_KINDS[f];
    if (kind === "json") return `CAST($${i + 1} AS JSON)`;
    if (kind === "map") return `CAST($${i + 1} AS JSON)::MAP(VARCHAR, VARCHAR)`;
    if (kind === "date") return `CAST($${i + 1} AS DATE)`;
    return `$${i + 1}`;
  });
  const n = FIELDS.length;
  const sql = `INSERT INTO records (${FIELDS.join(", ")}, key_hash, content_hash, batch_id, line, snapshot_id, ingested_at)
    VALUES (${placeholders.join(", ")}, $${n + 1}, $${n + 2}, $${n + 3}, $${n + 4}, NULL, now())`;
  const stored: RunRecord[] = [];
  for (const [line, input] of inputs.entries()) {
    const r = RunRecord.parse(input);
    const values = FIELDS.map((f) => {
      const v = (r as Record<string, unknown>)[f];
      if (v === undefined || v === null) return null;
      const kind = RECORD_FIELD_KINDS[f];
      return kind === "json" || kind === "map" ? JSON.stringify(v) : v;
    });
    const key = sha256(canonicalJson(RECORD_KEY.map((k) => (r as Record<string, unknown>)[k] ?? null)));
    await wh.connection.run(sql, [...values, key, sha256(canonicalJson(r)), batchId, line + 1] as never);
    stored.push(r);
  }
  return stored;
}
