// Page data: repoSlices (data-loaders/site/pages/slices.ts).
import {writeArrowLoader} from "../../data-loaders/site/arrow.ts";
import {repoSlices} from "../../data-loaders/site/pages/slices.ts";

await writeArrowLoader(repoSlices);
