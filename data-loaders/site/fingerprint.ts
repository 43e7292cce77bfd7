/**
 * A fingerprint of everything a site build reads: pages, loaders, components, the Node side, snapshots, scorers,
 * the Framework config and the locked dependency versions. Two builds with the same fingerprint produce the same
 * report, so a test run may reuse a dist/ that `npm run build` just made from identical inputs (see
 * test/browser/site.ts) instead of building it twice.
 */
import {createHash} from "node:crypto";
import {existsSync, readdirSync, readFileSync, statSync} from "node:fs";
import {join, relative} from "node:path";
import {PROJECT_ROOT} from "../warehouse.ts";

/** Inputs of the build, relative to the project root. Framework's cache (`.observablehq`) is output, not input. */
export const BUILD_INPUTS = ["src", "data-loaders", "snapshots", "scorers", "observablehq.config.ts", "package-lock.json"];

function files(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((name) => name !== ".observablehq" && name !== "node_modules")
    .sort()
    .flatMap((name) => files(join(path, name)));
}

/** sha256 over the relative path and bytes of every input file, in a fixed order. */
export function buildFingerprint(root: string = PROJECT_ROOT): string {
  const hash = createHash("sha256");
  for (const file of BUILD_INPUTS.flatMap((input) => files(join(root, input)))) {
    hash.update(relative(root, file)).update("\0").update(readFileSync(file)).update("\0");
  }
  return hash.digest("hex");
}
