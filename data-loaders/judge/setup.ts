/**
 * Everything a scoring run of a judge scorer needs, from flags and the environment: the endpoint configuration
 * (BENCHLAB_JUDGE_BASE_URL, BENCHLAB_JUDGE_API_KEY, BENCHLAB_JUDGE_MODEL, or flags, which win), the cached client,
 * the judge service to inject as `services.judge`, the params with the flags' settings filled in (model,
 * max_tokens, structured_output: they change the judge's replies, so they belong in the params hash), and a
 * progress bar that shows the cost so far. `benchlab score` calls `setupJudgeRun` when the scorer's kind is "judge".
 */
import type {Command} from "commander";
import {existsSync} from "node:fs";
import {display} from "../../src/lib/format.ts";
import {judgeService, type JudgeService} from "../../src/lib/judge/judgement.ts";
import type {Warehouse} from "../warehouse.ts";
import {CachedJudgeClient, ENDPOINT_DEFAULTS, type JudgeEndpointConfig} from "./client.ts";
import {DEFAULT_PRICES_FILE, loadPrices} from "./prices.ts";
import {numberOption} from "../commands/options.ts";
import {delayedProgressBar} from "../commands/progress.ts";

export interface JudgeFlags {
  judgeBaseUrl?: string;
  judgeApiKey?: string;
  judgeModel?: string;
  prices?: string;
  maxCost?: number;
  concurrency?: number;
  timeoutMs?: number;
  maxRetries?: number;
  maxTokens?: number;
  structuredOutput?: boolean;
}

/** The endpoint configuration and default model; errors say which variable or flag is missing. */
export function judgeConfig(flags: JudgeFlags, env: NodeJS.ProcessEnv = process.env): {endpoint: JudgeEndpointConfig; model: string | null} {
  const baseURL = flags.judgeBaseUrl ?? env.BENCHLAB_JUDGE_BASE_URL;
  if (!baseURL) {
    throw new Error("no judge endpoint: set BENCHLAB_JUDGE_BASE_URL (e.g. http://127.0.0.1:8000/v1 for a local vLLM server) or pass --judge-base-url");
  }
  checkEndpointUrl(baseURL);
  if (flags.maxCost !== undefined && !(flags.maxCost >= 0)) throw new Error(`--max-cost must be a non-negative number of USD, got ${flags.maxCost}`);
  return {
    endpoint: {
      baseURL,
      apiKey: flags.judgeApiKey ?? env.BENCHLAB_JUDGE_API_KEY ?? null,
      timeoutMs: flags.timeoutMs ?? ENDPOINT_DEFAULTS.timeoutMs,
      maxRetries: flags.maxRetries ?? ENDPOINT_DEFAULTS.maxRetries,
      concurrency: flags.concurrency ?? ENDPOINT_DEFAULTS.concurrency,
      temperature: ENDPOINT_DEFAULTS.temperature,
      maxCost: flags.maxCost ?? null
    },
    model: flags.judgeModel ?? env.BENCHLAB_JUDGE_MODEL ?? null
  };
}

/**
 * An http(s) URL with no user or password in it: the URL is stored with every judge call (judge_calls.base_url) and
 * named in errors, so a credential in it would end up in the warehouse and the logs. The error does not repeat it.
 */
function checkEndpointUrl(baseURL: string): void {
  const example = "e.g. http://127.0.0.1:8000/v1";
  let url: URL;
  try {
    url = new URL(baseURL);
  } catch {
    throw new Error(`judge endpoint ${JSON.stringify(baseURL)} is not a URL; give BENCHLAB_JUDGE_BASE_URL or --judge-base-url as an http(s) URL, ${example}`);
  }
  if (url.username !== "" || url.password !== "") {
    throw new Error(
      `judge endpoint ${url.protocol}//${url.host}${url.pathname}: the URL carries a user or password, which would be stored with every judge call and printed in errors; ` +
        "give the key in BENCHLAB_JUDGE_API_KEY (or --judge-api-key) and the URL without it"
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error(`judge endpoint ${JSON.stringify(baseURL)}: expected an http(s) URL, ${example}`);
  }
}

export interface JudgeRun {
  services: {judge: JudgeService};
  /** The scorer params with `model`, `max_tokens` and `structured_output` filled in from flags/environment. */
  params: Record<string, unknown>;
  client: CachedJudgeClient;
  /** Progress callback for runScoring: a bar with records done, cost so far, HTTP calls and cache hits (on stderr). */
  onProgress: (done: number, total: number) => void;
  /** Stops the bar and returns a one-line summary of calls and cost (again if called again). */
  finish(): string;
}

/** `showBar` false: no progress bar (a caller with output of its own). The bar is on stderr in a terminal and in a log alike. */
export function setupJudgeRun(wh: Warehouse, rawParams: Record<string, unknown>, flags: JudgeFlags, env: NodeJS.ProcessEnv = process.env, showBar = true): JudgeRun {
  const {endpoint, model: defaultModel} = judgeConfig(flags, env);
  const params = {
    ...rawParams,
    ...fromFlag(rawParams, "model", "--judge-model", flags.judgeModel),
    ...fromFlag(rawParams, "max_tokens", "--max-tokens", flags.maxTokens),
    // Commander sets structuredOutput true unless --no-structured-output is given: only false is a choice.
    ...fromFlag(rawParams, "structured_output", "--no-structured-output", flags.structuredOutput === false ? false : undefined)
  };
  const model = (params.model as string | undefined) ?? defaultModel;
  if (!model) throw new Error("no judge model: set BENCHLAB_JUDGE_MODEL, pass --judge-model, or give params {\"model\": NAME}");
  params.model = model;
  // The project's table may be absent (every cost unknown); a table the user names must be there, or a typo in its
  // path would hide every price.
  if (flags.prices !== undefined && flags.prices !== DEFAULT_PRICES_FILE && !existsSync(flags.prices))
    throw new Error(`--prices ${flags.prices}: no such file; give the path of a price table (models: {MODEL: {input: USD_PER_MTOK, output: USD_PER_MTOK}}), or leave --prices out for the project's`);
  const prices = loadPrices(flags.prices ?? DEFAULT_PRICES_FILE);
  const client = new CachedJudgeClient(wh, endpoint, prices);
  client.checkBudgetCanBeEnforced(model);
  // Unknown (shown "—") when the model has no price, or once any call's cost could not be computed.
  const cost = () => (!prices.has(model) || client.stats.costUsd === null ? display(null) : `$${client.stats.costUsd.toFixed(4)}`);
  // Redrawn every second: a judge run reports records done once per 2,048, but its calls and cost move on meanwhile.
  const bar = delayedProgressBar("judging", {
    format: "{value}/{total} records | cost so far {cost} | HTTP {http} | cached {cached} | {elapsed}",
    payload: () => ({cost: cost(), http: client.stats.httpCalls, cached: client.stats.cacheHits})
  });
  return {
    services: {judge: judgeService(client)},
    params,
    client,
    onProgress: showBar ? bar.update : () => undefined,
    finish() {
      bar.stop();
      const s = client.stats;
      return `judge ${model}: ${s.httpCalls} HTTP calls, ${s.cacheHits} from cache, ${s.tokensIn} tokens in, ${s.tokensOut} out, cost ${cost()}`;
    }
  };
}

/** `{[param]: flag's value}` when the flag was given; the flag and a different value in --params are refused. */
function fromFlag(rawParams: Record<string, unknown>, param: string, flag: string, value: unknown): Record<string, unknown> {
  if (value === undefined) return {};
  if (rawParams[param] !== undefined && rawParams[param] !== value) {
    throw new Error(`${flag} ${JSON.stringify(value)} and --params {"${param}": ${JSON.stringify(rawParams[param])}} disagree: give one of them`);
  }
  return {[param]: value};
}

/** The judge flags of `benchlab score` (used when the scorer's kind is "judge"); values land in JudgeFlags. */
/** The options of `addJudgeOptions` that only a judge scorer uses (--concurrency limits any scorer that awaits). */
export const JUDGE_ONLY_OPTIONS: [key: keyof JudgeFlags, flag: string][] = [
  ["judgeBaseUrl", "--judge-base-url"],
  ["judgeApiKey", "--judge-api-key"],
  ["judgeModel", "--judge-model"],
  ["prices", "--prices"],
  ["maxCost", "--max-cost"],
  ["timeoutMs", "--timeout-ms"],
  ["maxRetries", "--max-retries"],
  ["maxTokens", "--max-tokens"],
  ["structuredOutput", "--no-structured-output"]
];

export function addJudgeOptions(command: Command): Command {
  return command
    .option("--judge-base-url <url>", "judge scorers: OpenAI-compatible endpoint (default $BENCHLAB_JUDGE_BASE_URL)")
    .option("--judge-api-key <key>", "judge scorers: API key (default $BENCHLAB_JUDGE_API_KEY; local servers need none)")
    .option("--judge-model <name>", "judge scorers: model (default $BENCHLAB_JUDGE_MODEL)")
    .option("--prices <file>", "judge scorers: price table (USD per million tokens)", DEFAULT_PRICES_FILE)
    .option("--max-cost <usd>", "judge scorers: stop before new spending could exceed this; needs a price for the model", numberOption("--max-cost", {min: 0}))
    .option("--concurrency <n>", "judge scorers: most calls in flight", numberOption("--concurrency", {integer: true, min: 1}))
    .option("--timeout-ms <ms>", "judge scorers: per-request timeout", numberOption("--timeout-ms", {min: 1}))
    .option("--max-retries <n>", "judge scorers: retries on connection errors, 408/409/429/5xx (with backoff)", numberOption("--max-retries", {integer: true, min: 0}))
    .option("--max-tokens <n>", "judge scorers: max_tokens of each judge reply (sets params.max_tokens)", numberOption("--max-tokens", {integer: true, min: 1}))
    .option("--no-structured-output", "judge scorers: do not send response_format, for servers that reject it (sets params.structured_output false)");
}
