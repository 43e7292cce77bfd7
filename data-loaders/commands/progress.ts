import {Presets, SingleBar} from "cli-progress";

/**
 * A progress bar on stderr, shown only once the work has run for `delayMs` (a TTY redraws it; a log gets a line every
 * 5 s and the final state): ingest, scoring runs and judge calls use it. It shows `label`, the bar and `format`, in
 * which {elapsed} is the time since the work started (not since the bar appeared) and `payload`'s fields are filled
 * in. It is redrawn every second, so the time and the payload (a judge's calls and cost) move on through a phase that
 * reports no progress (DuckDB writing a million rows: seconds at 69%; a judge's first 2,048 records), and it appears
 * then too: the bar never looks stuck, nor stays away.
 */
export function delayedProgressBar(
  label: string,
  {
    delayMs = 2000,
    stream = process.stderr,
    format = "{percentage}% | {elapsed}",
    payload = () => ({})
  }: {delayMs?: number; stream?: NodeJS.WritableStream; format?: string; payload?: () => Record<string, unknown>} = {}
): {update: (done: number, total: number) => void; stop: () => void} {
  const started = Date.now();
  const values = () => ({...payload(), elapsed: `${Math.round((Date.now() - started) / 1000)} s`});
  let bar: SingleBar | null = null;
  let last: {done: number; total: number} | null = null;
  const show = () => {
    if (bar || !last || Date.now() - started < delayMs) return;
    bar = new SingleBar({stream, format: `${label} [{bar}] ${format}`, noTTYOutput: true, notTTYSchedule: 5000}, Presets.shades_classic);
    bar.start(last.total, last.done, values());
  };
  let ticker: NodeJS.Timeout | undefined;
  return {
    update(done, total) {
      last = {done, total};
      ticker ??= setInterval(() => {
        show();
        bar?.update(values());
      }, 1000).unref();
      show();
      bar?.update(done, values());
    },
    stop() {
      clearInterval(ticker);
      bar?.stop();
      bar = null;
      last = null;
    }
  };
}
