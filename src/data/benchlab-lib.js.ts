// The browser bundle of src/lib used by pages for live recomputation (see data-loaders/site/pages/browser-lib.ts).
import {browserLibBundle} from "../../data-loaders/site/pages/browser-lib.ts";

process.stdout.write(await browserLibBundle());
