/** Child process for build-kill.test.ts: the build's warehouse step on the bundled data, reporting each snapshot loaded. */
import {freshWarehouse} from "../../data-loaders/build.ts";
import {loadBundledJudgeLabels} from "../../data-loaders/site/pages/judge-labels.ts";
import {loadBundledSnapshots} from "../../data-loaders/snapshots/load-bundled.ts";

const [db] = process.argv.slice(2);
await freshWarehouse(
  db,
  async (wh) => {
    await loadBundledSnapshots(wh, {onProgress: (e) => void (e.step === "done" && process.stdout.write(`loaded ${e.snapshot}\n`))});
    process.stdout.write("labels\n");
    await loadBundledJudgeLabels(wh);
  },
  () => {}
);
process.stdout.write("built\n");
