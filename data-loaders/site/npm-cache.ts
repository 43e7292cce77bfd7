/**
 * Fills Observable Framework's npm cache from node_modules, so `observable build` and `observable preview` never
 * reach the CDN that Framework hard-codes (it is not reachable here; see ../shared/notes/offline-build.md).
 *
 * How Framework 1.13 uses the cache (node_modules/@observablehq/framework/dist/npm.js):
 * - `resolveNpmVersion` takes a package's version from the folder names under `<root>/.observablehq/cache/_npm/`
 *   before it asks the registry, so one folder `<name>@<version>` per package pins the version;
 * - `populateNpmCache` skips the download when `_npm/<name>@<version>/_esm.js` (or the requested file) exists;
 * - `resolveNpmImports` follows relative imports inside a cached file, so a package can import another cached
 *   package as `../<dep>@<version>/_esm.js` and both are copied into dist/.
 *
 * Each package below is bundled with esbuild into one browser ES module. Imports between packages of this list
 * stay separate files (one shared copy of apache-arrow for DuckDB-WASM, Arquero and pages; one d3 for Plot and
 * pages; one vega for vega-embed and `vl`), everything else a package needs is inlined into its file.
 */
import {build, type Plugin} from "esbuild";
import {copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync} from "node:fs";
import {dirname, join, posix, resolve} from "node:path";
import {PROJECT_ROOT} from "../warehouse.ts";

/** esbuild settings shared by every browser bundle of the site: the npm cache and the src/lib bundle for pages. */
export const BROWSER_ESM = {
  absWorkingDir: PROJECT_ROOT,
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  minify: true,
  legalComments: "none"
} as const;

export interface BrowserPackage {
  /** npm package name, as Framework spells it after `npm:`. */
  name: string;
  /** Why Framework asks for it: the built-in or stdlib module that imports it. */
  usedBy: string;
  /** Files copied verbatim from the package (paths inside it), for `import.meta.resolve("npm:<name>/<file>")`. */
  files?: string[];
}

/**
 * Every `npm:` specifier that Framework's built-ins and stdlib resolve for the libraries this project uses.
 * A page that needs another package adds it here (and pins it in package.json); until then the build fails
 * loudly at its network guard, naming the specifier.
 */
export const BROWSER_PACKAGES: readonly BrowserPackage[] = [
  {name: "d3", usedBy: "the `d3` built-in; imported by Plot"},
  {name: "d3-dsv", usedBy: "FileAttachment.csv() / .tsv()"},
  {name: "@observablehq/plot", usedBy: "the `Plot` built-in"},
  {name: "htl", usedBy: "the `html`, `svg` and `htl` built-ins; a dependency of Inputs"},
  {name: "isoformat", usedBy: "a dependency of Inputs and Plot"},
  {name: "apache-arrow", usedBy: "the `Arrow` built-in, FileAttachment.arrow(), DuckDBClient"},
  {
    name: "@duckdb/duckdb-wasm",
    usedBy: "the `duckdb`, `DuckDBClient` and `sql` built-ins",
    files: [
      "dist/duckdb-mvp.wasm",
      "dist/duckdb-browser-mvp.worker.js",
      "dist/duckdb-eh.wasm",
      "dist/duckdb-browser-eh.worker.js"
    ]
  },
  {name: "arquero", usedBy: "the `aq` built-in"},
  {name: "vega", usedBy: "the `vl` built-in; vega-embed"},
  {name: "vega-lite", usedBy: "the `vl` built-in; vega-embed"},
  {name: "vega-lite-api", usedBy: "the `vl` built-in"},
  {name: "vega-embed", usedBy: "Vega-Lite charts in src/components (`npm:vega-embed`)"}
];

/**
 * Framework's client and standard library name many optional packages in dynamic imports (lodash for `_`,
 * react-dom for JSX cells, parquet-wasm for `.parquet()`, ...). Bundling its client only needs a version for
 * each, so every such package not in BROWSER_PACKAGES gets an empty `<name>@0.0.0-not-bundled` folder, which
 * answers the version question without the registry. A page that really uses one makes Framework fetch the file,
 * which the network guard turns into a build failure naming it: then add it to BROWSER_PACKAGES.
 */
export const VERSION_ONLY_MARKER = "0.0.0-not-bundled";

export interface CachedPackage {
  name: string;
  version: string;
  /** Files written, relative to the cache root (`<root>/.observablehq/cache`). */
  files: string[];
}

/** Where a package is installed; read directly because some packages' `exports` hide package.json and files. */
function packageRoot(name: string): string {
  return join(PROJECT_ROOT, "node_modules", name);
}

/** The installed version of a package, read from node_modules (never the registry). */
export function installedVersion(name: string): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot(name), "package.json"), "utf-8")) as {version: string};
  return pkg.version;
}

/** Names of the packages Framework's client code imports as `npm:<name>[/path]` (see VERSION_ONLY_MARKER). */
export function frameworkClientPackages(): string[] {
  const names = new Set<string>();
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, {withFileTypes: true})) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.name.endsWith(".js")) {
        for (const [, specifier] of readFileSync(path, "utf-8").matchAll(/["']npm:([^"']+)["']/g)) {
          const parts = specifier.split("/");
          names.add(specifier.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0]);
        }
      }
    }
  };
  visit(join(packageRoot("@observablehq/framework"), "dist", "client"));
  return [...names].sort();
}

/** `/_npm/<name>@<version>/_esm.js`-style folder of a package, relative to the cache root. */
function packageDir(name: string, version: string): string {
  return posix.join("_npm", `${name}@${version}`);
}

/** Keeps imports of other listed packages external, pointing at their cached files by relative path. */
function sharedPackages(fromDir: string, versions: Map<string, string>): Plugin {
  const names = [...versions.keys()].map((n) => n.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"));
  return {
    name: "benchlab-shared-packages",
    setup(b) {
      b.onResolve({filter: new RegExp(`^(${names.join("|")})$`)}, (args) => {
        const target = posix.join(packageDir(args.path, versions.get(args.path)!), "_esm.js");
        const path = posix.relative(fromDir, target);
        return {path: path.startsWith(".") ? path : `./${path}`, external: true};
      });
    }
  };
}

/**
 * Rebuilds `<srcRoot>/.observablehq/cache/_npm` from node_modules. Removes the folder first so no stale file
 * (from another version or a CDN download) survives. Returns what was written.
 */
export async function fillNpmCache(srcRoot: string, packages: readonly BrowserPackage[] = BROWSER_PACKAGES): Promise<CachedPackage[]> {
  const cacheRoot = resolve(srcRoot, ".observablehq", "cache");
  rmSync(join(cacheRoot, "_npm"), {recursive: true, force: true});
  const bundled = new Set(packages.map((p) => p.name));
  for (const name of frameworkClientPackages()) {
    if (!bundled.has(name)) mkdirSync(join(cacheRoot, packageDir(name, VERSION_ONLY_MARKER)), {recursive: true});
  }
  const versions = new Map(packages.map((p) => [p.name, installedVersion(p.name)]));
  return Promise.all(
    packages.map(async (p) => {
      const version = versions.get(p.name)!;
      const dir = packageDir(p.name, version);
      const others = new Map([...versions].filter(([n]) => n !== p.name));
      const entry = join(cacheRoot, dir, "_esm.js");
      await build({
        entryPoints: [p.name],
        ...BROWSER_ESM,
        outfile: entry,
        define: {"process.env.NODE_ENV": '"production"', global: "globalThis"},
        plugins: [sharedPackages(dir, others)],
        logLevel: "error"
      });
      const files = [posix.join(dir, "_esm.js")];
      for (const file of p.files ?? []) {
        const target = join(cacheRoot, dir, file);
        mkdirSync(dirname(target), {recursive: true});
        copyFileSync(join(packageRoot(p.name), file), target);
        files.push(posix.join(dir, file));
      }
      return {name: p.name, version, files};
    })
  );
}
