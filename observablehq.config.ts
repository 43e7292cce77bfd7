/**
 * Observable Framework configuration of the benchlab report.
 *
 * Offline by construction (../shared/notes/offline-build.md): no global stylesheet (the default theme's web-font
 * link would reach a font host), no DuckDB extension (json and parquet would be downloaded at build time; pages
 * load Arrow instead), and browser libraries come from the npm cache that `npm run build` fills from
 * node_modules. Pages append themselves to `pages`.
 */
import {openReadOnly, SITE_DB_ENV, BUILD_DB} from "./data-loaders/site/site-warehouse.ts";

// The report reads the warehouse `npm run build` prepared, in `observable build` and in `npm run dev` alike.
process.env[SITE_DB_ENV] ||= BUILD_DB;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The footer: every snapshot the report is built from, with its date and licence. */
async function snapshotFooter(): Promise<string> {
  let rows: Record<string, unknown>[] = [];
  try {
    const warehouse = await openReadOnly();
    try {
      rows = (
        await warehouse.connection.runAndReadAll(
          "SELECT snapshot_id, strftime(snapshot_date, '%Y-%m-%d') AS snapshot_date, licence FROM snapshots ORDER BY snapshot_date, snapshot_id"
        )
      ).getRowObjectsJS();
    } finally {
      warehouse.close();
    }
  } catch {
    return "No data snapshot loaded: run <code>npm run build</code>.";
  }
  if (rows.length === 0) return "No data snapshot loaded: run <code>npm run build</code>.";
  const items = rows.map((r) => `${escapeHtml(String(r.snapshot_id))} (${escapeHtml(String(r.licence))})`);
  const dates = rows.map((r) => String(r.snapshot_date)).sort();
  return `Data snapshots ${escapeHtml(dates[0])} to ${escapeHtml(dates[dates.length - 1])}: ${items.join(", ")}. Built with benchlab.`;
}

export default {
  title: "benchlab",
  root: "src",
  output: process.env.BENCHLAB_SITE_OUT || "dist",
  globalStylesheets: [],
  duckdb: {extensions: {json: null, parquet: null}},
  pages: [{name: "Benchmarks", path: "/"}],
  footer: await snapshotFooter(),
  search: false
};
