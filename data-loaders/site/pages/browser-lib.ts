/**
 * The browser build of the pure core (src/lib) that pages call for live recomputation: one ES module bundled with
 * esbuild from the same source files Node runs, served to pages as the file `data/benchlab-lib.js`.
 *
 * Why a bundle: src/lib modules import each other with `.ts` specifiers (as tsx and vitest run them), and
 * Observable Framework 1.13 serves and copies local imports only under `.js` paths (preview.js `/_import/*.js`;
 * build.js skips local imports not ending in `.js`), so `import ... from "./lib/stats/index.js"` in a page fails
 * with a 404 on `/_import/lib/stats/index.ts`. A page loads this bundle with
 * `const lib = await import(await FileAttachment("data/benchlab-lib.js").url())`.
 */
import {build} from "esbuild";
import {join} from "node:path";
import {PROJECT_ROOT} from "../../warehouse.ts";
import {BROWSER_ESM} from "../npm-cache.ts";

/** The src/lib modules pages use; each is re-exported whole, so pages see their public API unchanged. */
export const BROWSER_LIB_MODULES = ["src/lib/stats/index.ts", "src/lib/compare-models.ts", "src/lib/anchor-rotation.ts", "src/lib/format.ts", "src/lib/judge/trust.ts", "src/lib/decision/pareto.ts"] as const;

export async function browserLibBundle(): Promise<string> {
  const result = await build({
    stdin: {
      contents: BROWSER_LIB_MODULES.map((m) => `export * from ${JSON.stringify(`./${m}`)};`).join("\n"),
      resolveDir: PROJECT_ROOT,
      sourcefile: "benchlab-lib.ts",
      loader: "ts"
    },
    ...BROWSER_ESM,
    write: false,
    logLevel: "error",
    tsconfig: join(PROJECT_ROOT, "tsconfig.json")
  });
  return result.outputFiles[0].text;
}
