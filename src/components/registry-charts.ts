/** Charts of the Registry page: leaderboard entries over versions, and flagged rows by flag code. */
import * as Plot from "npm:@observablehq/plot";
import {html} from "npm:htl";
import {chartWidth} from "./chart-width.js";

/** Entries per board over leaderboard versions: one line per board. Rows: snapshot_date, board, entries. */
export function BoardHistoryChart(rows: readonly {snapshot_date: Date; board: string; entries: number}[], {width, caption}: {width: number; caption: string}): HTMLElement {
  const plot = Plot.plot({
    width: chartWidth(width),
    height: 320,
    x: {label: "leaderboard version date", type: "utc"},
    y: {label: "entries", grid: true},
    color: {legend: true},
    caption,
    marks: [
      Plot.line(rows, {x: "snapshot_date", y: "entries", stroke: "board", curve: "step-after"}),
      Plot.dot(rows, {x: "snapshot_date", y: "entries", stroke: "board", r: 1.5, tip: true})
    ]
  });
  return html`<figure class="benchlab-chart" data-chart="registry-board-history">${plot}</figure>` as HTMLElement;
}

/** Flagged rows per flag code and benchmark. Rows: flag, benchmark. */
export function FlagCountChart(rows: readonly {flag: string; benchmark: string}[], {width, caption}: {width: number; caption: string}): HTMLElement {
  const plot = Plot.plot({
    width: chartWidth(width),
    height: 260,
    marginLeft: 170,
    x: {label: "flagged rows", grid: true},
    y: {label: null},
    color: {legend: true},
    caption,
    marks: [Plot.barX(rows, Plot.groupY({x: "count"}, {y: "flag", fill: "benchmark", tip: true, sort: {y: "-x"}}))]
  });
  return html`<figure class="benchlab-chart" data-chart="registry-flags">${plot}</figure>` as HTMLElement;
}
