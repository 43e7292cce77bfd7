// Page data: reportedPassK (data-loaders/site/pages/consistency.ts).
import {writeArrowLoader} from "../../data-loaders/site/arrow.ts";
import {reportedPassK} from "../../data-loaders/site/pages/consistency.ts";

await writeArrowLoader(reportedPassK);
