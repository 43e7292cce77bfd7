// Page data: benchmarkSources (data-loaders/site/benchmark-index.ts), the snapshots behind the index's table.
import {writeArrowLoader} from "../../data-loaders/site/arrow.ts";
import {benchmarkSources} from "../../data-loaders/site/benchmark-index.ts";

await writeArrowLoader(benchmarkSources);
