/**
 * The width a chart is drawn at: Framework's reactive `width`, but never below MIN_CHART_WIDTH. While the page
 * is resized (e.g. by a full-page screenshot) `width` can briefly be near 0; a chart with wide label margins would
 * then get negative plot areas and the browser logs "<rect> attribute width: A negative value is not valid".
 * Below the minimum the chart scrolls horizontally instead.
 *
 * Every chart module imports this one, which also makes sure a chart is shown at the size it is drawn at (see
 * CHART_CSS).
 */
export const MIN_CHART_WIDTH = 480;

export function chartWidth(width: number): number {
  return Math.max(MIN_CHART_WIDTH, Number.isFinite(width) ? width : MIN_CHART_WIDTH);
}

/**
 * Framework's global.css caps every `figure` at 640 px (a measure for prose), and Plot gives its SVG
 * `max-width: 100%`, so a chart drawn at chartWidth(width) (the main column: 912 px on a 1280 px window in the
 * "wide" theme) was scaled down to 640 px, its 10 px text to 7 px. Charts sit in `<figure class="benchlab-chart">`,
 * and Plot wraps a captioned chart in a figure of its own: both may take the width the chart is drawn at. Captions
 * and notes keep the prose measure.
 */
export const CHART_CSS = "figure.benchlab-chart, figure.benchlab-chart figure { max-width: none; }";
const CHART_STYLE_ID = "benchlab-chart-style";

// The site has no stylesheet of its own (observablehq.config.ts loads none, to stay offline), so the rule goes
// into the document once, when the first page module that draws a chart loads.
if (typeof document !== "undefined" && !document.getElementById(CHART_STYLE_ID)) {
  const style = document.createElement("style");
  style.id = CHART_STYLE_ID;
  style.textContent = CHART_CSS;
  document.head.append(style);
}
