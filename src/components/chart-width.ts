/**
 * The width a chart is drawn at: Framework's reactive `width`, but never below MIN_CHART_WIDTH. While the page
 * is resized (e.g. by a full-page screenshot) `width` can briefly be near 0; a chart with wide label margins would
 * then get negative plot areas and the browser logs "<rect> attribute width: A negative value is not valid".
 * Below the minimum the chart scrolls horizontally instead.
 *
 * A chart is shown at the size it is drawn at by the `head` style of observablehq.config.ts.
 */
export const MIN_CHART_WIDTH = 480;

export function chartWidth(width: number): number {
  return Math.max(MIN_CHART_WIDTH, Number.isFinite(width) ? width : MIN_CHART_WIDTH);
}
