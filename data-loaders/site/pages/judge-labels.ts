/**
 * Loads the bundled judge label files into a warehouse with the LLM-judge ingest (`ingestLabels`,
 * data-loaders/judge/labels.ts, the code behind `benchlab ingest --labels`): the TriviaQA human labels and judge
 * verdicts, and the LLMBar items (gold, longer output) and pairwise verdicts. The site build calls this after the
 * snapshots are loaded, so the judge-audit and slices pages audit the same rows `benchlab audit-judge` would.
 *
 * The dataset of each file is its snapshot folder name (the ingest's default), which is also the snapshot id the
 * pages stamp their numbers with. Items before verdicts: the items file brings LLMBar's output lengths.
 */
import {existsSync} from "node:fs";
import {join} from "node:path";
import {ingestLabels, type IngestLabelsSummary} from "../../judge/labels.ts";
import {listSnapshotDirs, SNAPSHOTS_DIR} from "../../snapshots/load-bundled.ts";
import type {Warehouse} from "../../warehouse.ts";

/** Snapshot folders (by name suffix) and their label files, in load order. */
export const BUNDLED_JUDGE_LABELS: {folder: RegExp; files: string[]}[] = [
  {folder: /-triviaqa-judges-human$/, files: ["judgments.csv.gz"]},
  {folder: /-llmbar-judges$/, files: ["items.csv.gz", "judgments.csv.gz"]}
];

export async function loadBundledJudgeLabels(wh: Warehouse, snapshotsDir: string = SNAPSHOTS_DIR): Promise<IngestLabelsSummary[]> {
  const folders = listSnapshotDirs(snapshotsDir);
  const summaries: IngestLabelsSummary[] = [];
  for (const {folder, files} of BUNDLED_JUDGE_LABELS) {
    for (const name of folders.filter((f) => folder.test(f))) {
      for (const file of files) {
        const path = join(snapshotsDir, name, file);
        if (!existsSync(path)) throw new Error(`${path}: judge label file missing from snapshot ${name}; regenerate the snapshot (data-loaders/snapshots/make-snapshots.ts)`);
        summaries.push(await ingestLabels(wh, path, {snapshotId: name}));
      }
    }
  }
  return summaries;
}
