/**
 * The scorer registry: finds scorer plugins at run time, so a new file in a scorers directory works with no edit
 * anywhere else.
 *
 * A plugin is every `*.ts` file (not `*.test.ts`, not `*.d.ts`) in a scorers directory whose default export is
 * made by `defineScorer`. The directories are the project's `scorers/`, then each directory of the
 * `BENCHLAB_SCORERS` environment variable (a path list, separated like PATH), then each `--scorers-dir`.
 *
 * Plugins load through tsx with a tsconfig whose `paths` maps
 * `benchlab/scorer` to src/lib/scorer.ts: that is what lets a plugin in a user's own folder, with no
 * node_modules and no package.json, import the documented path.
 */
import {existsSync, readdirSync, statSync} from "node:fs";
import {delimiter, join, resolve} from "node:path";
import {fileURLToPath, pathToFileURL} from "node:url";
import {register as registerCjs} from "tsx/cjs/api";
import {register as registerEsm} from "tsx/esm/api";
import {isScorer, type Scorer} from "../../src/lib/scorer.ts";
import {PROJECT_ROOT} from "../warehouse.ts";

/** The project's own scorers directory. */
export const PROJECT_SCORERS = resolve(PROJECT_ROOT, "scorers");
const PLUGIN_TSCONFIG = fileURLToPath(new URL("./plugin-tsconfig.json", import.meta.url));

/** A loaded plugin and the file it came from. */
export interface RegisteredScorer {
  scorer: Scorer;
  file: string;
}

/** The directories to search, in order: the project's, then BENCHLAB_SCORERS, then the given extra ones. */
export function scorerDirs(extra: readonly string[] = [], env: NodeJS.ProcessEnv = process.env): string[] {
  const fromEnv = (env.BENCHLAB_SCORERS ?? "").split(delimiter).filter((d) => d.trim() !== "");
  return [...new Set([PROJECT_SCORERS, ...fromEnv, ...extra].map((d) => resolve(d)))];
}

/** Plugin files of one directory, sorted by name. */
export function pluginFiles(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new Error(`scorers directory ${dir} does not exist or is not a directory (check --scorers-dir and BENCHLAB_SCORERS)`);
  }
  return readdirSync(dir)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && !f.endsWith(".d.ts"))
    .sort()
    .map((f) => join(dir, f));
}

/**
 * A tsx loader in a namespace of its own (both its ES-module and CommonJS hooks, as tsx's `tsImport` sets them
 * up), one per discovery: plugins of one discovery share the scorer API and zod, and a plugin edited on disk is
 * read afresh by the next discovery rather than served from the module cache. tsx's CommonJS hook, used for a
 * plugin in a folder without a package.json, reads its tsconfig from TSX_TSCONFIG_PATH when it is registered; the
 * variable is restored right after.
 */
function pluginLoader(): (file: string) => Promise<Record<string, unknown>> {
  const namespace = `benchlab-scorers-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const previous = process.env.TSX_TSCONFIG_PATH;
  process.env.TSX_TSCONFIG_PATH = PLUGIN_TSCONFIG;
  try {
    registerCjs({namespace});
    const esm = registerEsm({namespace, tsconfig: PLUGIN_TSCONFIG});
    return (file) => esm.import(pathToFileURL(file).href, import.meta.url);
  } finally {
    if (previous === undefined) delete process.env.TSX_TSCONFIG_PATH;
    else process.env.TSX_TSCONFIG_PATH = previous;
  }
}

/** The scorer a module exports by default. A CommonJS-mode plugin's default export sits one level deeper. */
function defaultScorer(mod: Record<string, unknown>): Scorer | null {
  const d = mod.default;
  if (isScorer(d)) return d;
  if (typeof d === "object" && d !== null && isScorer((d as Record<string, unknown>).default)) return (d as Record<string, unknown>).default as Scorer;
  return null;
}

/** Every scorer of the given directories, by name. Two plugins with one name are an error naming both files. */
export class ScorerRegistry {
  private constructor(private readonly byName: Map<string, RegisteredScorer>) {}

  /** Loads every plugin file of `dirs` (default: `scorerDirs()`). */
  static async discover(dirs: readonly string[] = scorerDirs()): Promise<ScorerRegistry> {
    const load = pluginLoader();
    const byName = new Map<string, RegisteredScorer>();
    for (const file of dirs.flatMap(pluginFiles)) {
      let mod: Record<string, unknown>;
      try {
        mod = await load(file);
      } catch (err) {
        throw new Error(`scorer plugin ${file} failed to load: ${err instanceof Error ? err.message : String(err)}`);
      }
      const scorer = defaultScorer(mod);
      if (!scorer) throw new Error(`scorer plugin ${file}: the default export is not a scorer; write \`export default defineScorer({...})\` with defineScorer from "benchlab/scorer"`);
      const clash = byName.get(scorer.name);
      if (clash) throw new Error(`two scorers are named "${scorer.name}": ${clash.file} and ${file}; rename one (the name identifies stored scores)`);
      byName.set(scorer.name, {scorer, file});
    }
    return new ScorerRegistry(byName);
  }

  /** All scorers, sorted by name. */
  list(): RegisteredScorer[] {
    return [...this.byName.values()].sort((a, b) => a.scorer.name.localeCompare(b.scorer.name));
  }

  /** The scorer called `name`; an unknown name is an error listing the known ones. */
  get(name: string): RegisteredScorer {
    const found = this.byName.get(name);
    if (!found) throw new Error(`unknown scorer "${name}"; known scorers: ${[...this.byName.keys()].sort().join(", ")} (run \`benchlab scorers\`)`);
    return found;
  }
}
