// Page data: aiderEntries (data-loaders/site/pages/decision.ts).
import {writeArrowLoader} from "../../data-loaders/site/arrow.ts";
import {aiderEntries} from "../../data-loaders/site/pages/decision.ts";

await writeArrowLoader(aiderEntries);
