/**
 * The `benchlab` command line. Each command lives in data-loaders/commands/<name>.ts and exports
 * `register(program)`; this file only assembles them.
 */
import {Command} from "commander";
import {pathToFileURL} from "node:url";
import {COMMANDS} from "./commands/index.ts";

export function buildProgram(): Command {
  const program = new Command("benchlab")
    .description("benchlab: is this benchmark still measuring something? Ingest, score and analyse run records.")
    .showHelpAfterError("(run `benchlab --help` for usage)");
  for (const register of COMMANDS) register(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  // A reader that stops early (`benchlab sql --csv … | head`) closes the pipe: that ends the output, as it ends any
  // Unix tool's, instead of an unhandled EPIPE with a stack trace.
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code !== "EPIPE") throw err;
    process.exit(process.exitCode ?? 0);
  });
  try {
    const program = buildProgram();
    await program.parseAsync(withoutHelpForUnknownCommand(program, argv));
  } catch (err) {
    console.error(`benchlab: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = process.exitCode || 1;
  }
}

/**
 * Commander handles --help before it looks up the command, so `benchlab bogus --help` printed the main help and
 * exited 0. For an unknown command the help flags are dropped, and commander reports it (with a suggestion) and
 * exits 1.
 */
function withoutHelpForUnknownCommand(program: Command, argv: string[]): string[] {
  const first = argv.slice(2).find((arg) => !arg.startsWith("-"));
  const known = first === undefined || first === "help" || program.commands.some((c) => c.name() === first || c.aliases().includes(first));
  return known ? argv : argv.filter((arg, i) => i < 2 || (arg !== "--help" && arg !== "-h"));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main(process.argv);
