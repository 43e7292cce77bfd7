// Page data: sweBenchRuns (data-loaders/site/pages/decision.ts).
import {writeArrowLoader} from "../../data-loaders/site/arrow.ts";
import {sweBenchRuns} from "../../data-loaders/site/pages/decision.ts";

await writeArrowLoader(sweBenchRuns);
