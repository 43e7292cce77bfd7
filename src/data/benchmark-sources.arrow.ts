// Page data: benchmarkSources (data-loaders/site/pages/benchmark-sources.ts), the snapshots behind the index's table.
import {writeArrowLoader} from "../../data-loaders/site/arrow.ts";
import {benchmarkSources} from "../../data-loaders/site/pages/benchmark-sources.ts";

await writeArrowLoader(benchmarkSources);
