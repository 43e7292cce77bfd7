/** Child process for kill.test.ts: ingests FILE into DB, reporting progress on stdout so the parent can kill it mid-way. */
import {ingestFile} from "../../data-loaders/ingest/index.ts";
import {openWarehouse} from "../../data-loaders/warehouse.ts";

const [db, file] = process.argv.slice(2);
const wh = await openWarehouse(db);
process.stdout.write("ready\n");
const summary = await ingestFile(wh, file, {onProgress: (done) => process.stdout.write(`progress ${done}\n`)});
wh.close();
process.stdout.write(`done ${JSON.stringify(summary)}\n`);
