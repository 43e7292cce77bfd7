/**
 * Which warehouse the report is built from, and read-only access to it for data loaders.
 *
 * `npm run build` loads the bundled snapshots into a fresh `BUILD_DB` and runs Framework with `BENCHLAB_DB`
 * pointing at it; `npm run dev` and a loader run alone read it by default. Loaders open it
 * read-only: Framework may run several loaders at once, and DuckDB lets many processes read a file but only one
 * write it.
 */
import type {DuckDBConnection} from "@duckdb/node-api";
import {existsSync} from "node:fs";
import {resolve} from "node:path";
import {BUILD_DB, openInstance} from "../warehouse.ts";

/** Environment variable naming the warehouse that data loaders read. */
export const SITE_DB_ENV = "BENCHLAB_DB";

export {BUILD_DB};

/** The warehouse loaders read: `$BENCHLAB_DB`, else the one `npm run build` makes (also for a loader run alone). */
export function siteWarehousePath(): string {
  return resolve(process.env[SITE_DB_ENV] || BUILD_DB);
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
  // Loaders read tables only: no file or URL beyond the warehouse.
  const instance = await openInstance(path, {access_mode: "READ_ONLY", enable_external_access: "false"});
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
