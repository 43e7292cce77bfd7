/**
 * `benchlab sql [--db PATH] [--csv] [--limit N] QUERY`: one read-only query on a warehouse, for the questions no
 * page or command answers (`SHOW TABLES`, `DESCRIBE records`, pass rates by model …), with no DuckDB client needed.
 * The warehouse is opened read-only and the file system is closed to the query, so it cannot change the warehouse or
 * write a file: rows change only through ingest and score, which keep every earlier version.
 */
import type {Command} from "commander";
import {openReadOnly} from "../site/site-warehouse.ts";
import {DEFAULT_DB, missingWarehouse} from "../warehouse.ts";
import {cellOf, csvTable, printRows, type Cell} from "./print-rows.ts";
import {numberOption} from "./options.ts";

const DEFAULT_LIMIT = 100;

export function register(program: Command): void {
  program
    .command("sql")
    .description("run one read-only SQL query on the warehouse (e.g. \"SHOW TABLES\", \"DESCRIBE records\") and print the rows")
    .argument("<query>", "the SQL query, in quotes")
    .option("--db <path>", "warehouse file", DEFAULT_DB)
    .option("--csv", "print every row as CSV (values whole) instead of a table")
    .option("--limit <n>", `rows a table shows (default ${DEFAULT_LIMIT}; --csv prints all)`, numberOption("--limit", {integer: true, min: 1}), DEFAULT_LIMIT)
    .action(async (query: string, opts: {db: string; csv?: boolean; limit: number}) => {
      if (!/[^\s;]/.test(query)) throw new Error("the query is empty; give one, e.g. \"SHOW TABLES\"");
      const wh = await openReadOnly(opts.db, missingWarehouse);
      try {
        // Read-only covers the warehouse, not the file system: without this, COPY … TO could overwrite any file, the
        // warehouse itself included. Reading files (read_csv) goes too; ingest is how files come in.
        await wh.connection.run("SET enable_external_access = false");
        // DuckDB runs every statement and returns the last one's rows. A PIVOT parses into two statements of its
        // own, so only a query that also has a ";" inside it is taken for several (a ";" in a string of a PIVOT
        // would be refused too: rare, and the message says what to do).
        const statements = (await wh.connection.extractStatements(query)).count;
        if (statements > 1 && query.replace(/[\s;]+$/, "").includes(";"))
          throw new Error(`this text holds ${statements} statements; benchlab sql runs one query at a time, so run each on its own`);
        const result = await wh.connection.stream(query).catch((err: unknown) => {
          if (!/read-only|file system operations are disabled/i.test(String(err))) throw err;
          throw new Error(
            `${err instanceof Error ? err.message : String(err)}\nbenchlab sql only reads the warehouse, and no other file; ` +
              "the warehouse changes through benchlab ingest and score, which keep every earlier version"
          );
        });
        const columns = result.deduplicatedColumnNames();
        if (opts.csv) {
          process.stdout.write(csvTable(columns, []));
          for await (const rows of result.yieldRows()) process.stdout.write(csvTable(null, rows.map((r) => r.map(cellOf))));
          return;
        }
        const rows: Cell[][] = [];
        for await (const chunk of result.yieldRows()) {
          rows.push(...chunk.map((r) => r.map(cellOf)));
          if (rows.length > opts.limit) break;
        }
        printRows(columns, rows.slice(0, opts.limit));
        if (rows.length > opts.limit) console.error(`(the first ${opts.limit} row${opts.limit === 1 ? "" : "s"}; --limit N shows more, --csv prints all)`);
        else console.error(`(${rows.length} row${rows.length === 1 ? "" : "s"})`);
      } finally {
        wh.close();
      }
    });
}
