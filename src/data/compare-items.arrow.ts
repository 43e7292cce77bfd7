// Page "Compare models" (src/compare.md): see data-loaders/site/pages/compare.ts.
import {writeArrowLoader} from "../../data-loaders/site/arrow.ts";
import {compareItems} from "../../data-loaders/site/pages/compare.ts";

await writeArrowLoader(compareItems);
