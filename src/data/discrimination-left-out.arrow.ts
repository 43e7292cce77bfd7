// Page "Discriminative power and saturation" (src/discrimination.md): see data-loaders/site/pages/discrimination.ts.
import {writeArrowLoader} from "../../data-loaders/site/arrow.ts";
import {discriminationLeftOut} from "../../data-loaders/site/pages/discrimination.ts";

await writeArrowLoader(discriminationLeftOut);
