// Page "Compare models" (src/compare.md): see data-loaders/site/pages/compare.ts.
import {writeArrowLoader} from "../../data-loaders/site/arrow.ts";
import {compareMatrix} from "../../data-loaders/site/pages/compare.ts";

await writeArrowLoader(compareMatrix);
