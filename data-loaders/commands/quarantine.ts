/**
 * `benchlab quarantine [--batch ID] [--file PATH] [--by-field] [--csv]`: the rows ingest rejected, with file, line,
 * field and reason (and, in CSV, the row's text as it was in the file), or counted by field. Nothing rejected is
 * lost: this is where it is found.
 */
import type {DuckDBConnection} from "@duckdb/node-api";
import type {Command} from "commander";
import {DEFAULT_DB, openWarehouse, type QuarantinedRow} from "../warehouse.ts";
import {FILE_OPTION, fileFilter, knownFilters} from "./batches.ts";
import {printRows, queryRows, terminalSafe} from "./print-rows.ts";

/** One rejected row as `file:line [field] reason`, the form ingest prints and editors jump to. */
export function rejectionLine(file: string, line: number, field: string | null, reason: string): string {
  return terminalSafe(`${file}:${line}${field ? ` [${field}]` : ""} ${reason}`);
}

const CSV_COLUMNS = ["batch", "file", "line", "field", "reason", "raw", "quarantined_at"];
const BY_FIELD_COLUMNS = ["batch", "file", "field", "rows", "first_line", "first_reason"];

/** One rejected row as `quarantine` holds it: the row as ingest stored it, with its batch, file and time. */
export interface StoredRejection extends QuarantinedRow {
  batch: string;
  file: string;
  /** `YYYY-MM-DD HH:MM:SS`, UTC. */
  quarantinedAt: string;
}

/** Rejected rows in the order they were rejected (batch, then line); the first `limit` of them if given. */
export async function quarantinedRows(
  conn: DuckDBConnection,
  {batch = null, file = null, limit = null}: {batch?: string | null; file?: string | null; limit?: number | null}
): Promise<StoredRejection[]> {
  const rows = await queryRows(
    conn,
    `SELECT batch_id, file, line, field, reason, raw, strftime(quarantined_at, '%Y-%m-%d %H:%M:%S') FROM quarantine
     WHERE ($1::VARCHAR IS NULL OR batch_id = $1) AND ${fileFilter("$2")}
     ORDER BY quarantined_at, batch_id, line LIMIT $3::BIGINT`,
    [batch, file, limit]
  );
  return rows.map(([b, f, line, field, reason, raw, at]) => ({
    batch: String(b),
    file: String(f),
    line: Number(line),
    field: field as string | null,
    reason: String(reason),
    raw: raw as string | null,
    quarantinedAt: String(at)
  }));
}

/** The rejected rows of one field counted: how many, and the first of them (line and reason). */
export interface FieldCount {
  batch: string;
  file: string;
  field: string | null;
  rows: number;
  firstLine: number;
  firstReason: string;
}

/**
 * Rejected rows counted by batch, file and field (null: the whole row, e.g. malformed JSON), most rows first within
 * a batch. Many rejections usually share a few causes (a field every row lacks), which a count per field shows.
 */
export async function rejectionsByField(conn: DuckDBConnection, {batch = null, file = null}: {batch?: string | null; file?: string | null}): Promise<FieldCount[]> {
  const rows = await queryRows(
    conn,
    `SELECT batch_id, file, field, count(*)::BIGINT AS n, min(line)::BIGINT AS first, arg_min(reason, line)
     FROM quarantine WHERE ($1::VARCHAR IS NULL OR batch_id = $1) AND ${fileFilter("$2")}
     GROUP BY batch_id, file, field ORDER BY min(quarantined_at), batch_id, n DESC, first`,
    [batch, file]
  );
  return rows.map(([b, f, field, n, first, reason]) => ({
    batch: String(b),
    file: String(f),
    field: field as string | null,
    rows: Number(n),
    firstLine: Number(first),
    firstReason: String(reason)
  }));
}

/** One field's count as `field: N rows, first at line L: reason`, control characters escaped. */
export function fieldCountLine(c: FieldCount): string {
  return terminalSafe(`${c.field ?? "(whole row)"}: ${c.rows} row${c.rows === 1 ? "" : "s"}, first at line ${c.firstLine}: ${c.firstReason}`);
}

export function register(program: Command): void {
  program
    .command("quarantine")
    .description("list the rows ingest rejected: file:line [field] reason (--csv adds each row's text)")
    .option("--db <path>", "warehouse file", DEFAULT_DB)
    .option("--batch <id>", "only the rows of this ingest batch (`benchlab batches` lists them)")
    .option(...FILE_OPTION)
    .option("--by-field", "count the rows by file and field instead, each with its first line and reason")
    .option("--csv", "print CSV (batch, file, line, field, reason, raw, quarantined_at; with --by-field its counts) instead of lines")
    .action(async (opts: {db: string; batch?: string; file?: string; byField?: boolean; csv?: boolean}) => {
      const wh = await openWarehouse(opts.db, {existing: true});
      try {
        const conn = wh.connection;
        if (!(await knownFilters(conn, "quarantine", {batch: opts.batch, file: opts.file}, opts.db))) return;
        if (opts.byField) {
          const counts = await rejectionsByField(conn, {batch: opts.batch, file: opts.file});
          if (opts.csv) printRows(BY_FIELD_COLUMNS, counts.map((c) => [c.batch, c.file, c.field, c.rows, c.firstLine, c.firstReason]), {csv: true});
          else if (counts.length === 0) console.error("no rejected rows");
          else for (const c of counts) console.log(`${terminalSafe(c.file)} ${fieldCountLine(c)}`);
          return;
        }
        const rows = await quarantinedRows(conn, {batch: opts.batch, file: opts.file});
        if (opts.csv) printRows(CSV_COLUMNS, rows.map((r) => [r.batch, r.file, r.line, r.field, r.reason, r.raw, r.quarantinedAt]), {csv: true});
        else if (rows.length === 0) console.error("no rejected rows");
        else for (const r of rows) console.log(rejectionLine(r.file, r.line, r.field, r.reason));
      } finally {
        wh.close();
      }
    });
}
