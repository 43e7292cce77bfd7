/**
 * Test helper: puts run records into a temporary warehouse through the real ingest path (`ingestFile` on a JSONL
 * file, strict), so hashes, corrections and `records_latest` behave as they do for users.
 */
import {mkdtempSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {ingestFile} from "../../data-loaders/ingest/index.ts";
import {RunRecord, type RunRecordInput} from "../../src/lib/schema.ts";
import {openWarehouse, type Warehouse} from "../../data-loaders/warehouse.ts";

export function tempDbPath(): string {
  return join(mkdtempSync(join(tmpdir(), "benchlab-scorers-")), "wh.duckdb");
}

export async function tempWarehouse(): Promise<Warehouse> {
  return openWarehouse(tempDbPath());
}

/** Ingests the records (each must be valid; strict mode refuses the file otherwise); returns them as parsed. */
export async function insertRecords(wh: Warehouse, inputs: RunRecordInput[]): Promise<RunRecord[]> {
  const records = inputs.map((r) => RunRecord.parse(r));
  const file = join(mkdtempSync(join(tmpdir(), "benchlab-records-")), "records.jsonl");
  writeFileSync(file, records.map((r) => JSON.stringify(r)).join("\n") + "\n");
  const summary = await ingestFile(wh, file, {strict: true});
  if (summary.rowsRejected > 0) throw new Error(`ingest rejected ${summary.rowsRejected} test records: ${JSON.stringify(summary.firstRejection)}`);
  return records;
}
