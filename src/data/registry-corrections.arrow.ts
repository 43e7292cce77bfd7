// Page "Registry" (src/registry.md): see data-loaders/site/pages/registry.ts.
import {writeArrowLoader} from "../../data-loaders/site/arrow.ts";
import {registryCorrections} from "../../data-loaders/site/pages/registry.ts";

await writeArrowLoader(registryCorrections);
