/**
 * The judge's connection to a model: any OpenAI-compatible chat-completions endpoint (vLLM, llama.cpp server,
 * Ollama, hosted APIs), through the `openai` client library, behind a cache in the warehouse.
 *
 * - Cache: every call is stored in `judge_calls` under sha256 of canonical JSON (model, messages, params) with the
 *   raw response, tokens, cost and latency. A request seen before is answered from the table with no HTTP call,
 *   so a re-run costs nothing and a report rebuilds offline.
 * - Retries, backoff, timeouts and rate limits: the openai client's own (exponential backoff with jitter on
 *   connection errors, 408, 409, 429 and 5xx, honouring `retry-after`/`retry-after-ms`; per-request timeout),
 *   configured here (`maxRetries`, `timeoutMs`).
 * - Concurrency: at most `concurrency` HTTP calls in flight (p-limit).
 * - Budget (`maxCost`, USD): before each uncached call the worst case is reserved (prompt tokens bounded by its
 *   UTF-8 bytes plus a per-message allowance, output by max_tokens); a call whose worst case would cross the limit
 *   is not made and `BudgetExhausted` is thrown, so spending never exceeds the limit and what was done is kept.
 *   Without a price for the model the limit cannot be enforced and the call is refused.
 */
import {timestampValue, type DuckDBConnection} from "@duckdb/node-api";
import type OpenAI from "openai";
import pLimit from "p-limit";
import type {ChatCompleter, CompletionRequest} from "../../src/lib/judge/judgement.ts";
import type {Warehouse} from "../warehouse.ts";
import {canonicalJson, sha256} from "./hash.ts";
import {callCost, type ModelPrice} from "./prices.ts";

export interface JudgeEndpointConfig {
  baseURL: string;
  /** Local servers usually need none. */
  apiKey: string | null;
  timeoutMs: number;
  maxRetries: number;
  concurrency: number;
  temperature: number;
  /** USD limit on new spending in this run; null = none. */
  maxCost: number | null;
}

export const ENDPOINT_DEFAULTS = {timeoutMs: 60_000, maxRetries: 4, concurrency: 4, temperature: 0} as const;

/** Thrown instead of making a call that could cross `maxCost`. A scoring run stops on it and keeps what it did. */
export class BudgetExhausted extends Error {
  readonly stopsScoringRun = true;
  constructor(message: string) {
    super(message);
    this.name = "BudgetExhausted";
  }
}

/**
 * Thrown when the judge endpoint itself fails once the client's retries are spent: unreachable, timed out, refusing
 * the key or the model (401, 403, 404), rate-limited (429) or failing (5xx). That says nothing about the record
 * being judged, so it is no score: the run stops, keeps what it scored, and a re-run picks up the rest. A 400 or 422
 * (this record's request refused, e.g. too long) stays that record's error.
 */
export class JudgeEndpointFailed extends Error {
  readonly stopsScoringRun = true;
  constructor(message: string) {
    super(message);
    this.name = "JudgeEndpointFailed";
  }
}

/** HTTP statuses of an endpoint that fails whatever the record: auth, model, rate limit, timeout. */
const ENDPOINT_STATUSES = new Set([401, 403, 404, 408, 409, 429]);

/**
 * Whether an error from the openai package is the endpoint's failure rather than this request's: no connection or
 * a timeout (APIConnectionError and its timeout subclass), or one of the statuses above. The package is already
 * loaded by the call that failed.
 */
async function isEndpointFailure(err: unknown): Promise<boolean> {
  const {APIConnectionError, APIError} = await import("openai");
  if (err instanceof APIConnectionError) return true;
  return err instanceof APIError && typeof err.status === "number" && (ENDPOINT_STATUSES.has(err.status) || err.status >= 500);
}

/** Tokens a chat template may add per message, on top of the content (role markers, separators). */
const MESSAGE_OVERHEAD_TOKENS = 16;

export interface JudgeClientStats {
  /** Calls that went over HTTP. */
  httpCalls: number;
  /** Calls answered from the cache, or by an identical call in flight. */
  cacheHits: number;
  tokensIn: number;
  tokensOut: number;
  /** New spending of this run in USD; null once any call's cost was unknown (no price or no token counts). */
  costUsd: number | null;
}

export class CachedJudgeClient implements ChatCompleter {
  readonly stats: JudgeClientStats = {httpCalls: 0, cacheHits: 0, tokensIn: 0, tokensOut: 0, costUsd: 0};
  /** Replies being fetched, by request key. */
  private readonly inFlight = new Map<string, Promise<string | null>>();
  /** Made on the first call that goes over HTTP: loading the openai package takes half a second, which every
   * `benchlab` command paid, judge or not, when it was imported up front. */
  private openai: Promise<OpenAI> | null = null;
  private readonly http: ReturnType<typeof pLimit>;
  /**
   * The cache's own DuckDB connection (a scoring run streams records on the warehouse's main connection, and a
   * statement on that connection would end the stream), used by one statement at a time.
   */
  private connection: Promise<DuckDBConnection> | null = null;
  private readonly dbLimit = pLimit(1);
  private reserved = 0;
  private spent = 0;

  constructor(
    private readonly wh: Warehouse,
    readonly config: JudgeEndpointConfig,
    private readonly prices: Map<string, ModelPrice>
  ) {
    this.http = pLimit(config.concurrency);
  }

  private client(): Promise<OpenAI> {
    this.openai ??= import("openai").then(
      ({default: OpenAI}) =>
        new OpenAI({
          baseURL: this.config.baseURL,
          // The library insists on a key; local servers ignore the header.
          apiKey: this.config.apiKey ?? "no-key",
          timeout: this.config.timeoutMs,
          maxRetries: this.config.maxRetries
        })
    );
    return this.openai;
  }

  private db<T>(work: (c: DuckDBConnection) => Promise<T>): Promise<T> {
    this.connection ??= this.wh.connect();
    return this.dbLimit(async () => work(await this.connection!));
  }

  /** Closes the cache connection (the warehouse stays open). */
  async close(): Promise<void> {
    if (this.connection) (await this.connection).closeSync();
    this.connection = null;
  }

  /** Refuses up front what `--max-cost` could not enforce. */
  checkBudgetCanBeEnforced(model: string): void {
    if (this.config.maxCost !== null && !this.prices.has(model)) {
      throw new Error(
        `--max-cost ${this.config.maxCost} cannot be enforced: model "${model}" has no price in the price table. ` +
          `Add "${model}: {input: USD_PER_MTOK, output: USD_PER_MTOK}" under models: in judge-prices.yaml, or drop --max-cost.`
      );
    }
  }

  /** The request as sent, and its cache key. */
  private request(req: CompletionRequest) {
    const body = {
      model: req.model,
      messages: req.messages,
      temperature: this.config.temperature,
      max_tokens: req.maxTokens,
      ...(req.structuredOutput
        ? {response_format: {type: "json_schema" as const, json_schema: {name: "verdict", strict: true, schema: req.jsonSchema}}}
        : {})
    };
    return {body, key: sha256(canonicalJson(body))};
  }

  /**
   * The reply to `req`: from the cache, else from the endpoint (stored in the cache). A request identical to one in
   * flight (the same prompt for two records) waits for that one's reply instead of being sent and paid for again.
   */
  async complete(req: CompletionRequest, signal?: AbortSignal): Promise<string | null> {
    const {body, key} = this.request(req);
    const inFlight = this.inFlight.get(key);
    if (inFlight) {
      const text = await inFlight;
      this.stats.cacheHits++;
      return text;
    }
    const reply = this.fetchReply(req, body, key, signal);
    this.inFlight.set(key, reply);
    try {
      return await reply;
    } finally {
      this.inFlight.delete(key);
    }
  }

  private async fetchReply(req: CompletionRequest, body: ReturnType<CachedJudgeClient["request"]>["body"], key: string, signal?: AbortSignal): Promise<string | null> {
    const cached = await this.db((c) => c.runAndReadAll(`SELECT response_text FROM judge_calls WHERE request_sha256 = $1`, [key]));
    const rows = cached.getRows();
    if (rows.length) {
      this.stats.cacheHits++;
      return rows[0][0] as string | null;
    }
    const price = this.prices.get(req.model) ?? null;
    const worstCase = this.reserve(req.model, price, body);
    try {
      return await this.http(async () => {
        signal?.throwIfAborted();
        const started = performance.now();
        const completion = await (await this.client()).chat.completions.create(body, {signal}).catch(async (err: unknown) => {
          if (!(await isEndpointFailure(err))) throw err;
          throw new JudgeEndpointFailed(
            `the judge endpoint ${this.config.baseURL} failed (${err instanceof Error ? err.message : String(err)}) after ${this.config.maxRetries} retries; ` +
              "scores so far are kept, and a re-run scores the rest once the endpoint answers (cached calls cost nothing)"
          );
        });
        const latencyMs = performance.now() - started;
        const text = completion.choices?.[0]?.message?.content ?? null;
        const tokensIn = completion.usage?.prompt_tokens ?? null;
        const tokensOut = completion.usage?.completion_tokens ?? null;
        const cost = callCost(price, tokensIn, tokensOut);
        this.stats.httpCalls++;
        this.stats.tokensIn += tokensIn ?? 0;
        this.stats.tokensOut += tokensOut ?? 0;
        this.spent += cost ?? 0;
        this.stats.costUsd = this.stats.costUsd === null || cost === null ? null : this.stats.costUsd + cost;
        await this.db(async (c) => {
          const insert = await c.prepare(
            `INSERT INTO judge_calls VALUES ($1, $2, $3, CAST($4 AS JSON), $5, CAST($6 AS JSON), $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING`
          );
          insert.bind([
            key,
            req.model,
            this.config.baseURL,
            canonicalJson(body),
            text,
            JSON.stringify(completion),
            tokensIn,
            tokensOut,
            cost,
            latencyMs,
            timestampValue(BigInt(Date.now()) * 1000n)
          ]);
          await insert.run();
        });
        return text;
      });
    } finally {
      this.reserved -= worstCase;
    }
  }

  /** Reserves the worst-case cost of a call under `maxCost`; returns the amount reserved. */
  private reserve(model: string, price: ModelPrice | null, body: {messages: {content: string}[]; max_tokens: number; response_format?: unknown}): number {
    if (this.config.maxCost === null) return 0;
    this.checkBudgetCanBeEnforced(model);
    const promptBytes = body.messages.reduce((s, m) => s + Buffer.byteLength(m.content, "utf8") + MESSAGE_OVERHEAD_TOKENS, 0) +
      Buffer.byteLength(JSON.stringify(body.response_format ?? ""), "utf8");
    const worstCase = callCost(price, promptBytes, body.max_tokens)!;
    if (this.spent + this.reserved + worstCase > this.config.maxCost) {
      throw new BudgetExhausted(
        `--max-cost ${this.config.maxCost} USD reached: spent ${this.spent.toFixed(4)} USD; the next call could cost up to ${worstCase.toFixed(4)} USD. ` +
          `Scores so far are kept; re-run with a higher --max-cost to continue (cached calls cost nothing).`
      );
    }
    this.reserved += worstCase;
    return worstCase;
  }
}
