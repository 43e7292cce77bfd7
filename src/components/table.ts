/**
 * The table behind a chart, shared by every page: Inputs.table with null shown as "—", text always escaped,
 * links only for http(s) URLs, and a button that downloads the same rows as CSV.
 *
 * Escaping: Inputs.table inserts formatted values as text nodes, and links are built with htl, which escapes
 * attribute values; no data value is ever parsed as HTML. CSV cells go through `csvCell` (src/lib/format.ts), which
 * keeps a spreadsheet from running a value as a formula.
 */
import * as Inputs from "npm:@observablehq/inputs";
import {html} from "npm:htl";
import {csvFormatRows} from "npm:d3-dsv";
import {csvCell, isIdentifierColumn, isMissing, MISSING} from "../lib/format.js";

export type Row = Record<string, unknown>;

/** The parts of an Arrow table this module reads (Framework's `FileAttachment(...).arrow()` returns one). */
interface ArrowTableLike {
  schema: {fields: {name: string; type: unknown}[]};
  toArray(): {toJSON(): Row}[];
}

function isArrowTable(data: unknown): data is ArrowTableLike {
  return typeof data === "object" && data !== null && "schema" in data && typeof (data as ArrowTableLike).toArray === "function";
}

/**
 * Plain row objects from an Arrow table or an array of objects. Arrow dates and timestamps (milliseconds since
 * the epoch in apache-arrow 21) become `Date`, so tables and CSV show them as dates; nulls stay null.
 */
export function rowsOf(data: ArrowTableLike | Row[]): Row[] {
  if (!isArrowTable(data)) return data;
  const dateColumns = data.schema.fields.filter((f) => /^(Date|Timestamp)/.test(String(f.type))).map((f) => f.name);
  return data.toArray().map((r) => {
    const row = r.toJSON();
    for (const c of dateColumns) if (row[c] != null) row[c] = new Date(Number(row[c]));
    return row;
  });
}

/** CSV text of `rows` restricted to `columns`: a header line, missing values as empty fields. */
export function toCsv(rows: Row[], columns: string[]): string {
  return csvFormatRows([columns, ...rows.map((r) => columns.map((c) => csvCell(r[c])))]);
}

/** A button that saves `rows` as `<filename>.csv`. */
export function downloadButton(rows: Row[], {filename, columns, label = "Download CSV"}: {filename: string; columns: string[]; label?: string}): HTMLButtonElement {
  const button = html`<button type="button" class="benchlab-download">${label}</button>` as HTMLButtonElement;
  button.onclick = () => {
    const url = URL.createObjectURL(new Blob([toCsv(rows, columns)], {type: "text/csv;charset=utf-8"}));
    const a = document.createElement("a");
    a.href = url;
    a.download = `${filename.replace(/[^\w.-]+/g, "-")}.csv`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 0);
  };
  return button;
}

/** Links for the http(s) URLs in `value` (space-separated); any other text is shown as text. */
function linksOf(value: unknown): Node | string {
  const parts = String(value).split(/\s+/).filter(Boolean);
  const nodes = parts.map((part) => {
    let url: URL | null = null;
    try {
      url = new URL(part);
    } catch {
      url = null;
    }
    return url && (url.protocol === "https:" || url.protocol === "http:")
      ? html`<a href=${url.href} target="_blank" rel="noopener noreferrer">${url.host}${url.pathname === "/" ? "" : url.pathname}</a>`
      : part;
  });
  return html`<span>${nodes.flatMap((n, i) => (i ? [" ", n] : [n]))}</span>`;
}

/**
 * Inputs.table leaves the cell of a null or NaN value empty without calling the format, so the gap is written
 * in afterwards: every data cell with no child node gets "—" (a cell holding an empty string keeps its empty
 * text node and stays empty). Rows are added lazily on scroll and rebuilt on sort, hence the observer.
 */
function showMissing(table: HTMLElement): void {
  const fill = () => {
    for (const td of Array.from(table.querySelectorAll("tbody td:not(:first-child)"))) {
      if (td.childNodes.length === 0 && !td.hasAttribute("rowspan")) td.append(MISSING);
    }
  };
  fill();
  new MutationObserver(fill).observe(table, {childList: true, subtree: true});
}

export interface DataTableOptions {
  /** Columns to show, in order; default all. The CSV has the same columns. */
  columns?: string[];
  /** Column headers; default the column name. */
  header?: Record<string, string>;
  /**
   * Formats of (non-missing) values by column; missing values always show as "—". By default numbers get the
   * locale's thousands separators, except in identifier columns (`isIdentifierColumn`: seed, year, id, *_id ...).
   */
  format?: Record<string, (value: any, i: number, rows: Row[]) => unknown>;
  /** Columns whose values are URLs, shown as links when they are http(s). */
  links?: string[];
  /** Base name of the CSV file. */
  filename: string;
  sort?: string;
  reverse?: boolean;
  rows?: number;
  /** Passed through to Inputs.table. */
  width?: Record<string, number | string> | number | string;
  select?: boolean;
}

/** Pixels per character of Inputs.table's 12 px system font: digits measure 7.6 px in Chromium's default sans. */
const CHAR_PX = 7.6;
/** Headers are bold, and wider: "percent agreement" measures 8.3 px per character. */
const HEADER_CHAR_PX = 8.5;
const MIN_COLUMN_PX = 28;
/** A column of long text (model outputs, URLs) stops here and ends in an ellipsis; the CSV has the full text. */
const MAX_COLUMN_PX = 280;
/** Rows read to size a column: enough to see the long values of a page's tables, cheap on 10,000-row ones. */
const SIZING_ROWS = 500;

/**
 * Width of a column the caller did not size: its header or its longest shown value, within [28, 280] px. Without
 * it, Inputs.table's fixed layout gives every column an equal share, which cut model names short while numeric
 * columns had room to spare. The width is the cell's content box: Inputs.table adds its 6.5 px padding either side.
 */
function contentWidth(column: string, header: string, rows: Row[], format: (value: any, i: number, rows: Row[]) => unknown): number {
  let chars = 0;
  for (let i = 0; i < Math.min(rows.length, SIZING_ROWS); i++) {
    const value = rows[i][column];
    if (isMissing(value)) continue;
    const shown = format(value, i, rows);
    chars = Math.max(chars, (typeof shown === "string" ? shown : shown instanceof Node ? (shown.textContent ?? "") : String(value)).length);
  }
  return Math.round(Math.min(MAX_COLUMN_PX, Math.max(MIN_COLUMN_PX, chars * CHAR_PX, header.length * HEADER_CHAR_PX)));
}

/**
 * The table of `data` (an Arrow table or row objects) with its CSV download. Returns a container holding the
 * Inputs.table (as `.table`, whose `.value` is the selection) and the download button.
 */
export function dataTable(data: ArrowTableLike | Row[], options: DataTableOptions): HTMLElement & {table: HTMLElement} {
  const rows = rowsOf(data);
  const columns = options.columns ?? (isArrowTable(data) ? data.schema.fields.map((f) => f.name) : Object.keys(rows[0] ?? {}));
  const sample = (c: string) => rows.find((r) => !isMissing(r[c]))?.[c];
  const format = Object.fromEntries(
    columns.map((c) => {
      const first = sample(c);
      const base =
        options.format?.[c] ??
        (options.links?.includes(c)
          ? linksOf
          : first instanceof Date
            ? Inputs.formatDate
            : typeof first === "number"
              ? isIdentifierColumn(c)
                ? String // a seed, year or id: digits as written, no thousands separators
                : Inputs.formatLocaleNumber()
              : Inputs.formatLocaleAuto());
      return [c, base];
    })
  );
  const align = Object.fromEntries(columns.filter((c) => typeof sample(c) === "number").map((c) => [c, "right"]));
  // A width for the whole table is the caller's; otherwise columns the caller did not size are sized by content.
  const given = options.width;
  const width =
    typeof given === "number" || typeof given === "string"
      ? given
      : Object.fromEntries(columns.map((c) => [c, given?.[c] ?? contentWidth(c, options.header?.[c] ?? c, rows, format[c])]));
  const table = Inputs.table(rows, {
    columns,
    header: options.header,
    format,
    align,
    sort: options.sort,
    reverse: options.reverse,
    rows: options.rows ?? (rows.length <= 25 ? rows.length + 1 : 25.5),
    width,
    select: options.select ?? false
  }) as HTMLElement;
  showMissing(table);
  const container = html`<div class="benchlab-table">${table}<p>${downloadButton(rows, {filename: options.filename, columns})} <small>${rows.length.toLocaleString("en-US")} rows</small></p></div>` as HTMLElement & {table: HTMLElement};
  container.table = table;
  return container;
}
