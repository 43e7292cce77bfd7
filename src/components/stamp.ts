/**
 * The provenance stamp every displayed number carries: which snapshot(s) it comes from (id and date), the
 * methodology version of those snapshots (snapshots/<id>/manifest.json, `methodology_version`), optionally how the
 * statistic was computed (e.g. "percentile bootstrap, B = 2000, seed 1"), and a link to the rows it came from
 * (the table behind the chart, whose CSV download holds the same rows).
 *
 * One function for every page: `stamp(sources, {rows, method})`. `sources` are rows of the `snapshots` table
 * (src/data/snapshots.arrow); several sources (e.g. the 96 SWE-bench leaderboard versions) collapse to a count and
 * a date range. All text goes through htl, so a snapshot id is never parsed as HTML.
 */
import {html} from "npm:htl";

/** A row of the `snapshots` table, as loaded from src/data/snapshots.arrow (dates as Date or ISO text). */
export interface StampSource {
  snapshot_id: string;
  snapshot_date: Date | string;
  methodology_version: string;
}

export interface StampOptions {
  /** Id of the element that holds the rows behind the number (a `dataTable`); the stamp links to `#<rows>`. */
  rows?: string;
  /** How the number was computed from those rows, when it is a statistic (method, B, seed, confidence level). */
  method?: string;
}

function isoDate(d: Date | string): string {
  return d instanceof Date ? d.toISOString().slice(0, 10) : String(d).slice(0, 10);
}

/** What a stamp without sources says: it stamps nothing, since no number rests on a snapshot. */
export const NO_SOURCE_TEXT = "no snapshot: no number shown here";

/** Text of the stamp (without the link), e.g. "snapshot 2026-11-22-tau2-bench-leaderboard (2026-11-22) · methodology v1". */
export function stampText(sources: readonly StampSource[], method?: string): string {
  // No source means no number is shown (e.g. a selection with no usable rows): say so rather than fail the page.
  if (sources.length === 0) return NO_SOURCE_TEXT;
  const dates = sources.map((s) => isoDate(s.snapshot_date)).sort();
  const versions = [...new Set(sources.map((s) => String(s.methodology_version)))].sort();
  const what =
    sources.length === 1
      ? `snapshot ${sources[0].snapshot_id} (${dates[0]})`
      : `${sources.length} snapshots, ${dates[0] === dates[dates.length - 1] ? dates[0] : `${dates[0]} to ${dates[dates.length - 1]}`}`;
  return [what, `methodology v${versions.join(", v")}`, method].filter(Boolean).join(" · ");
}

/**
 * The stamp element: `<small class="benchlab-stamp">` with the text above and, when `rows` is given, a link
 * "rows" to the table behind the number. The full list of snapshot ids is in the element's title.
 */
export function stamp(sources: StampSource | readonly StampSource[], options: StampOptions = {}): HTMLElement {
  const list = Array.isArray(sources) ? (sources as readonly StampSource[]) : [sources as StampSource];
  const link = options.rows ? html` · <a href=${`#${options.rows}`}>rows</a>` : "";
  const element = html`<small class="benchlab-stamp">${stampText(list, options.method)}${link}</small>` as HTMLElement;
  element.title = list.map((s) => s.snapshot_id).join("\n");
  return element;
}

/**
 * The sources among `snapshots` whose id is in `ids` (or matches `ids`, a RegExp). No ids (nothing shown) gives no
 * sources; ids of which none matches fail, since then the warehouse lacks the snapshots the data came from.
 */
export function sourcesOf(snapshots: readonly StampSource[], ids: readonly string[] | RegExp): StampSource[] {
  if (Array.isArray(ids) && ids.length === 0) return [];
  const found = snapshots.filter((s) => (ids instanceof RegExp ? ids.test(s.snapshot_id) : ids.includes(s.snapshot_id)));
  if (found.length === 0) throw new Error(`stamp: no snapshot matches ${String(ids)}; was the build warehouse loaded?`);
  return found;
}
