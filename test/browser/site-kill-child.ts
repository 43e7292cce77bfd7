/** Child process for site-kill.test.ts: builds the fixture site ROOT into OUT with the pipeline of `npm run build`. */
import {buildSite} from "../../data-loaders/build.ts";

const [root, out, db] = process.argv.slice(2);
await buildSite({config: `${root}/observablehq.config.js`, root, out, db, load: async () => {}, log: () => {}});
process.stdout.write("built\n");
