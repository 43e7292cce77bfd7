/**
 * `benchlab quarantine [--batch ID] [--file PATH] [--csv]`: the rows ingest rejected, with file, line, field and
 * reason (and, in CSV, the row's text as it was in the file). Nothing rejected is lost: this is where it is found.
 */
import type {Command} from "commander";
import {benchlabCommand, DEFAULT_DB, openWarehouse} from "../warehouse.ts";
import {FILE_OPTION, fileFilter} from "./batches.ts";
import {printRows, queryRows, terminalSafe} from "./print-rows.ts";

/** One rejected row as `file:line [field] reason`, the form ingest prints and editors jump to. */
export function rejectionLine(file: string, line: number | bigint, field: string | null, reason: string): string {
  return terminalSafe(`${file}:${line}${field ? ` [${field}]` : ""} ${reason}`);
}

const CSV_COLUMNS = ["batch", "file", "line", "field", "reason", "raw", "quarantined_at"];

export function register(program: Command): void {
  program
    .command("quarantine")
    .description("list the rows ingest rejected: file:line [field] reason (--csv adds each row's text)")
    .option("--db <path>", "warehouse file", DEFAULT_DB)
    .option("--batch <id>", "only the rows of this ingest batch (`benchlab batches` lists them)")
    .option(...FILE_OPTION)
    .option("--csv", "print CSV (batch, file, line, field, reason, raw, quarantined_at) instead of lines")
    .action(async (opts: {db: string; batch?: string; file?: string; csv?: boolean}) => {
      const wh = await openWarehouse(opts.db, {existing: true});
      try {
        const conn = wh.connection;
        if (opts.batch && (await queryRows(conn, "SELECT 1 FROM ingest_batches WHERE batch_id = $1", [opts.batch])).length === 0) {
          console.error(`benchlab quarantine: no ingest batch ${opts.batch} in ${opts.db}; ${benchlabCommand(opts.db, "batches")} lists them`);
          process.exitCode = 1;
          return;
        }
        const rows = await queryRows(
          conn,
          `SELECT batch_id, file, line, field, reason, raw, strftime(quarantined_at, '%Y-%m-%d %H:%M:%S') FROM quarantine
           WHERE ($1::VARCHAR IS NULL OR batch_id = $1) AND ${fileFilter("$2")}
           ORDER BY quarantined_at, batch_id, line`,
          [opts.batch ?? null, opts.file ?? null]
        );
        if (opts.csv) printRows(CSV_COLUMNS, rows, {csv: true});
        else if (rows.length === 0) console.error("no rejected rows");
        else for (const [, file, line, field, reason] of rows) console.log(rejectionLine(String(file), Number(line), field as string | null, String(reason)));
      } finally {
        wh.close();
      }
    });
}
