/**
 * `benchlab scorers [--scorers-dir DIR]` lists every discovered scorer (name, kind, version, one line);
 * `benchlab scorers show NAME` prints its parameters (from the zod schema: type, default, description) and docs.
 */
import type {Command} from "commander";
import {ScorerRegistry, scorerDirs} from "../scoring/registry.ts";
import type {Scorer} from "../../src/lib/scorer.ts";
import {textTable} from "./print-rows.ts";
import {SCORERS_DIR_OPTION} from "./options.ts";

interface JsonSchemaProperty {
  type?: string;
  const?: unknown;
  properties?: Record<string, JsonSchemaProperty>;
  enum?: unknown[];
  anyOf?: JsonSchemaProperty[];
  items?: JsonSchemaProperty;
  default?: unknown;
  description?: string;
}

function typeName(p: JsonSchemaProperty): string {
  if (p.enum) return p.enum.map((e) => JSON.stringify(e)).join(" | ");
  if (p.const !== undefined) return JSON.stringify(p.const);
  // An object told apart by a constant `type` (a union of rule kinds) is named by it.
  const kind = p.type === "object" ? p.properties?.type : undefined;
  if (kind && (kind.const !== undefined || kind.enum?.length === 1)) return `{type: ${JSON.stringify(kind.const ?? kind.enum![0])}, …}`;
  if (p.anyOf) return p.anyOf.map(typeName).join(" | ");
  if (p.type === "array") {
    const item = p.items ? typeName(p.items) : "any";
    return item.includes(" | ") ? `(${item})[]` : `${item}[]`;
  }
  return p.type ?? "any";
}

/** One line per parameter: name, type, required or default, description. */
export function describeParams(scorer: Scorer): string[] {
  const schema = scorer.paramsJsonSchema() as {properties?: Record<string, JsonSchemaProperty>; required?: string[]};
  const props = Object.entries(schema.properties ?? {});
  if (props.length === 0) return ["  (no parameters)"];
  const width = Math.max(...props.map(([name]) => name.length));
  return props.map(([name, p]) => {
    const need = schema.required?.includes(name) ? "required" : p.default !== undefined ? `default ${JSON.stringify(p.default)}` : "optional";
    return `  ${name.padEnd(width)}  ${typeName(p)}, ${need}${p.description ? ` — ${p.description}` : ""}`;
  });
}

export function register(program: Command): void {
  const cmd = program
    .command("scorers")
    .description("list the scorers found in scorers/, BENCHLAB_SCORERS and --scorers-dir")
    .option(...SCORERS_DIR_OPTION)
    .action(async (opts: {scorersDir: string[]}) => {
      const registry = await ScorerRegistry.discover(scorerDirs(opts.scorersDir));
      const rows = registry.list().map(({scorer}) => [scorer.name, scorer.kind, scorer.version, scorer.description.split("\n")[0]]);
      for (const line of textTable(["name", "kind", "version", "description"], rows, {maxWidth: Infinity})) console.log(line);
    });
  cmd
    .command("show <name>")
    .description("print a scorer's parameters and documentation")
    .option(...SCORERS_DIR_OPTION)
    .action(async (name: string, opts: {scorersDir: string[]}) => {
      const {scorer, file} = (await ScorerRegistry.discover(scorerDirs([...cmd.opts<{scorersDir: string[]}>().scorersDir, ...opts.scorersDir]))).get(name);
      console.log(`${scorer.name} ${scorer.version} (${scorer.kind})  ${file}`);
      console.log(scorer.description);
      console.log("\nparams:");
      for (const l of describeParams(scorer)) console.log(l);
      if (scorer.docs) console.log(`\n${scorer.docs}`);
    });
}
