/**
 * The judge price table: a YAML file the user edits (default `judge-prices.yaml` at the project root), mapping a
 * model name to USD per million input and output tokens. A model that is not listed has no price: its cost is null
 * (shown as "—") and a `--max-cost` limit cannot be enforced, so a run with one refuses to start.
 */
import {existsSync, readFileSync} from "node:fs";
import {resolve} from "node:path";
import {parse} from "yaml";
import {describeZodIssues} from "../../src/lib/zod-issues.ts";
import {z} from "zod";
import {PROJECT_ROOT} from "../warehouse.ts";

export const DEFAULT_PRICES_FILE = resolve(PROJECT_ROOT, "judge-prices.yaml");

export const ModelPrice = z
  .object({
    input: z.number().nonnegative().describe("USD per million input (prompt) tokens"),
    output: z.number().nonnegative().describe("USD per million output (completion) tokens")
  })
  .strict();
export type ModelPrice = z.infer<typeof ModelPrice>;

const PriceFile = z.object({models: z.record(z.string(), ModelPrice).nullish()}).strict();

/** Prices by model name. A missing file is an empty table (every cost unknown), not an error. */
export function loadPrices(file: string = DEFAULT_PRICES_FILE): Map<string, ModelPrice> {
  if (!existsSync(file)) return new Map();
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new Error(`${file}: not valid YAML (${err instanceof Error ? err.message : err})`);
  }
  const parsed = PriceFile.safeParse(raw ?? {});
  if (!parsed.success) {
    throw new Error(`${file}: ${describeZodIssues(parsed.error, "(file)")}. Expected "models: {MODEL: {input: USD_PER_MTOK, output: USD_PER_MTOK}}"`);
  }
  return new Map(Object.entries(parsed.data.models ?? {}));
}

/** Cost in USD of a call, or null when the model has no price or the server did not report token counts. */
export function callCost(price: ModelPrice | null, tokensIn: number | null, tokensOut: number | null): number | null {
  if (!price || tokensIn === null || tokensOut === null) return null;
  return (tokensIn * price.input + tokensOut * price.output) / 1e6;
}
