// Every loaded snapshot (id, date, methodology version, licence): the provenance behind each page's stamps.
import {writeArrowLoader} from "../../data-loaders/site/arrow.ts";
import {snapshotRows} from "../../data-loaders/site/pages/snapshots.ts";

await writeArrowLoader(snapshotRows);
