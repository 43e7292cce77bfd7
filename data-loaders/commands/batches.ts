/**
 * `benchlab batches [--file PATH] [--csv]`: every ingest into the warehouse, oldest first, with what it added and the
 * options that shaped its rows (--run-id, --set, --map …: values that are in no file). A batch id leads to the rows
 * it rejected (`benchlab quarantine --batch ID`) and to its rows in `records` (batch_id).
 */
import type {DuckDBConnection} from "@duckdb/node-api";
import type {Command} from "commander";
import {benchlabCommand, DEFAULT_DB, openWarehouse} from "../warehouse.ts";
import {printRows, queryRows, shownPath, terminalSafe} from "./print-rows.ts";

/**
 * The --file option of the commands that list batches and their rows: a path names its file by its file name, so
 * `runs/a.jsonl` finds the batches of `/data/runs/a.jsonl`.
 */
export const FILE_OPTION = ["--file <path>", "only files with this name (a path counts by its file name)"] as const;

/** SQL filter on a `file` column for the --file option given as parameter `param` (NULL: every file). */
export const fileFilter = (param: string) => `(${param}::VARCHAR IS NULL OR parse_filename(file) = parse_filename(${param}))`;

/**
 * Refuses a --benchmark with no records (listing those with records), a --batch that names no ingest batch, or a
 * --file that no batch read: a filter on it would find nothing, as if there were nothing to find. Prints what to run
 * instead and sets exit code 1; returns whether to go on.
 */
export async function knownFilters(conn: DuckDBConnection, command: string, {batch, file, benchmark}: {batch?: string; file?: string; benchmark?: string}, db: string): Promise<boolean> {
  if (benchmark !== undefined) {
    const rows = await queryRows(conn, "SELECT benchmark, count(*) FROM records_latest GROUP BY benchmark ORDER BY benchmark");
    if (!rows.some(([b]) => b === benchmark)) {
      const known = rows.map(([b, n]) => `${terminalSafe(String(b))} (${n})`).join(", ");
      console.error(
        `benchlab ${command}: --benchmark ${terminalSafe(benchmark)}: no records of that benchmark in ${db}; ` +
          (known ? `benchmarks with records: ${known}` : `it has no records yet (${benchlabCommand(db, "ingest")} FILE)`)
      );
      process.exitCode = 1;
      return false;
    }
  }
  const filters = [
    {value: batch, where: "batch_id = $1", what: "ingest batch", list: "lists them"},
    {value: file, where: fileFilter("$1"), what: "batch of", list: "lists them all"}
  ];
  for (const {value, where, what, list} of filters) {
    if (value === undefined || (await queryRows(conn, `SELECT 1 FROM ingest_batches WHERE ${where} LIMIT 1`, [value])).length > 0) continue;
    console.error(`benchlab ${command}: no ${what} ${terminalSafe(value)} in ${db}; ${benchlabCommand(db, "batches")} ${list}`);
    process.exitCode = 1;
    return false;
  }
  return true;
}

const COLUMNS = ["batch", "ingested_at", "kind", "file", "snapshot", "new", "corrections", "duplicates", "rejected", "options"];

export function register(program: Command): void {
  program
    .command("batches")
    .description("list the ingest batches (file, time, snapshot; rows new, corrected, duplicate, rejected; options such as --set), oldest first")
    .option("--db <path>", "warehouse file", DEFAULT_DB)
    .option(...FILE_OPTION)
    .option("--csv", "print CSV (with each file's sha256) instead of a table")
    .action(async (opts: {db: string; file?: string; csv?: boolean}) => {
      const wh = await openWarehouse(opts.db, {existing: true});
      try {
        const rows = await queryRows(
          wh.connection,
          `SELECT batch_id, strftime(ingested_at, '%Y-%m-%d %H:%M:%S'), kind, file, snapshot_id,
                  rows_ok, rows_corrected, rows_duplicate, rows_rejected, options::VARCHAR, file_sha256
           FROM ingest_batches WHERE ${fileFilter("$1")}
           ORDER BY ingested_at, batch_id`,
          [opts.file ?? null]
        );
        if (rows.length === 0) {
          if (await knownFilters(wh.connection, "batches", {file: opts.file}, opts.db)) console.error(`no batches in ${opts.db} yet`);
          return;
        }
        if (opts.csv) printRows([...COLUMNS, "file_sha256"], rows, {csv: true});
        // A path under the working folder is shown relative to it (the bundled snapshots: snapshots/…).
        else printRows(COLUMNS, rows.map((r) => r.slice(0, COLUMNS.length).map((v, i) => (COLUMNS[i] === "file" ? shownPath(String(v)) : v))), {keepEnd: ["file"]});
      } finally {
        wh.close();
      }
    });
}
