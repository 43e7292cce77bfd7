/**
 * Which warehouse the report is built from, and read-only access to it for data loaders.
 *
 * `npm run build` loads the bundled snapshots into a fresh `BUILD_DB` and runs Framework with `BENCHLAB_DB`
 * pointing at it; observablehq.config.ts sets the same default so `npm run dev` reads it too. Loaders open it
 * read-only: Framework may run several loaders at once, and DuckDB lets many processes read a file but only one
 * write it.
 */
import type {DuckDBConnection} from "@duckdb/node-api";
import {existsSync} from "node:fs";
import {resolve} from "node:path";
import {BUILD_DB, DEFAULT_DB, openInstance} from "../warehouse.ts";

/** Environment variable naming the warehouse that data loaders read. */
export const SITE_DB_ENV = "BENCHLAB_DB";

export {BUILD_DB};

/** The warehouse loaders read: `$BENCHLAB_DB`, else the default warehouse. */
export function siteWarehousePath(): string {
  return resolve(process.env[SITE_DB_ENV] || DEFAULT_DB);
}

export interface ReadOnlyWarehouse {
  path: string;
  connection: DuckDBConnection;
  close(): void;
}

/**
 * Opens a warehouse read-only. A missing one fails with `missing(path)`; by default, the message for the report's
 * loaders, naming the command that builds it.
 */
export async function openReadOnly(
  path: string = siteWarehousePath(),
  missing = (p: string) => new Error(`${p}: no warehouse here. Run \`npm run build\` (or set ${SITE_DB_ENV} to an existing warehouse).`)
): Promise<ReadOnlyWarehouse> {
  if (!existsSync(path)) throw missing(path);
  const instance = await openInstance(path, {access_mode: "READ_ONLY"});
  const connection = await instance.connect();
  return {
    path,
    connection,
    close() {
      connection.closeSync();
      instance.closeSync();
    }
  };
}
