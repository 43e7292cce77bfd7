// Page data: taskTrials (data-loaders/site/pages/consistency.ts).
import {writeArrowLoader} from "../../data-loaders/site/arrow.ts";
import {taskTrials} from "../../data-loaders/site/pages/consistency.ts";

await writeArrowLoader(taskTrials);
