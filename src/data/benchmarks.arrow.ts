// The landing page's benchmark table, from the site warehouse (see data-loaders/site/benchmark-index.ts).
import {writeArrowLoader} from "../../data-loaders/site/arrow.ts";
import {benchmarkIndex} from "../../data-loaders/site/benchmark-index.ts";

await writeArrowLoader(benchmarkIndex);
