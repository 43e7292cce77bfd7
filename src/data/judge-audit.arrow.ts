// Page data: judgeAudit (data-loaders/site/pages/judge-audit.ts).
import {writeArrowLoader} from "../../data-loaders/site/arrow.ts";
import {judgeAudit} from "../../data-loaders/site/pages/judge-audit.ts";

await writeArrowLoader(judgeAudit);
