/**
 * Observable Framework configuration of the benchlab report.
 *
 * Offline by construction (../shared/notes/offline-build.md): no global stylesheet (the default theme's web-font
 * link would reach a font host), no DuckDB extension (json and parquet would be downloaded at build time; pages
 * load Arrow instead), and browser libraries come from the npm cache that `npm run build` fills from
 * node_modules. Pages append themselves to `pages`.
 */
import {openReadOnly} from "./data-loaders/site/site-warehouse.ts";

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The footer: the snapshots the report is built from, with dates and licences. Snapshots of one source taken
 * at several commits (ids `<date>-<slug>-<8 hex digits>`) are counted under their slug.
 */
async function snapshotFooter(): Promise<string> {
  const none = "No data snapshot loaded: run <code>npm run build</code>.";
  let rows: Record<string, unknown>[];
  try {
    const warehouse = await openReadOnly();
    try {
      rows = (
        await warehouse.connection.runAndReadAll(`
          SELECT regexp_replace(regexp_replace(snapshot_id, '^\\d{4}-\\d{2}-\\d{2}-', ''), '-[0-9a-f]{8}$', '') AS family,
                 licence,
                 count(*)::INTEGER AS n,
                 strftime(min(snapshot_date), '%Y-%m-%d') AS first,
                 strftime(max(snapshot_date), '%Y-%m-%d') AS last
          FROM snapshots GROUP BY ALL ORDER BY family`)
      ).getRowObjectsJS();
    } finally {
      warehouse.close();
    }
  } catch {
    return none;
  }
  if (rows.length === 0) return none;
  const items = rows.map(({family, licence, n, first, last}) => {
    const dates = first === last ? String(first) : `${first} to ${last}`;
    return `${escapeHtml(String(family))}${Number(n) > 1 ? ` (${n} snapshots)` : ""} ${escapeHtml(dates)}, ${escapeHtml(String(licence))}`;
  });
  return `Data snapshots: ${items.join("; ")}.`;
}

/**
 * Framework's global.css caps every `figure` at 640 px (a measure for prose), and Plot gives its SVG
 * `max-width: 100%`, so a chart drawn at chartWidth(width) (the main column: 912 px on a 1280 px window in the
 * "wide" theme) was scaled down to 640 px, its 10 px text to 7 px. Charts sit in `<figure class="benchlab-chart">`,
 * and Plot wraps a captioned chart in a figure of its own: both may take the width the chart is drawn at. Captions
 * and notes keep the prose measure. (Inline, in every page's head: the site loads no stylesheet file.)
 */
const CHART_STYLE = "<style>figure.benchlab-chart, figure.benchlab-chart figure { max-width: none; }</style>";

export default {
  title: "benchlab",
  root: "src",
  output: process.env.BENCHLAB_SITE_OUT || "dist",
  globalStylesheets: [],
  // "wide" lets tables and charts use the full width; Framework still keeps prose to a readable measure.
  theme: ["air", "near-midnight", "wide"],
  head: CHART_STYLE,
  duckdb: {extensions: {json: null, parquet: null}},
  pages: [
    {name: "Benchmarks", path: "/"},
    {name: "Registry", path: "/registry"},
    {name: "Compare models", path: "/compare"},
    {name: "Discriminative power", path: "/discrimination"},
    {name: "Anchor vs rotation", path: "/anchor-rotation"},
    {name: "Slices", path: "/slices"},
    {name: "Consistency", path: "/consistency"},
    {name: "Decision surface", path: "/decision"},
    {name: "Judge audit", path: "/judge-audit"},
    {name: "Write a scorer", path: "/write-a-scorer"}
  ],
  footer: await snapshotFooter(),
  search: false
};
