/**
 * A real HTTP server on 127.0.0.1 that speaks the OpenAI chat-completions protocol (POST /v1/chat/completions),
 * answering with replies the tests write. No live judge endpoint exists in this environment, so the tests drive the
 * real `openai` client library against this server instead; every request it receives is recorded.
 */
import {createServer, type IncomingMessage, type Server} from "node:http";
import type {AddressInfo} from "node:net";

export interface ChatRequestBody {
  model: string;
  messages: {role: string; content: string}[];
  temperature?: number;
  max_tokens?: number;
  response_format?: unknown;
}

/** What the test wants returned: a reply text, or an HTTP status with headers (e.g. 429 with retry-after-ms). */
export type FakeReply = {content: string | null; promptTokens?: number; completionTokens?: number} | {status: number; headers?: Record<string, string>; body?: unknown};

export interface FakeServer {
  baseURL: string;
  requests: ChatRequestBody[];
  /** Most requests that were being answered at the same time. */
  maxInFlight: number;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startFakeOpenAI(answer: (body: ChatRequestBody, index: number) => FakeReply | Promise<FakeReply>): Promise<FakeServer> {
  const requests: ChatRequestBody[] = [];
  let inFlight = 0;
  const state = {maxInFlight: 0};
  const server: Server = createServer(async (req, res) => {
    if (req.method !== "POST" || req.url !== "/v1/chat/completions") {
      res.writeHead(404, {"content-type": "application/json"}).end(JSON.stringify({error: {message: `no route ${req.method} ${req.url}`}}));
      return;
    }
    const body = JSON.parse(await readBody(req)) as ChatRequestBody;
    const index = requests.push(body) - 1;
    inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, inFlight);
    const reply = await answer(body, index);
    inFlight--;
    if ("status" in reply) {
      res.writeHead(reply.status, {"content-type": "application/json", ...reply.headers}).end(JSON.stringify(reply.body ?? {error: {message: "fake error"}}));
      return;
    }
    const promptTokens = reply.promptTokens ?? 100;
    const completionTokens = reply.completionTokens ?? 20;
    res.writeHead(200, {"content-type": "application/json"}).end(
      JSON.stringify({
        id: `chatcmpl-fake-${index}`,
        object: "chat.completion",
        created: 1_700_000_000,
        model: body.model,
        choices: [{index: 0, message: {role: "assistant", content: reply.content}, finish_reason: "stop", logprobs: null}],
        usage: {prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens}
      })
    );
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const {port} = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    get maxInFlight() {
      return state.maxInFlight;
    },
    close: () => new Promise<void>((done, fail) => server.close((err) => (err ? fail(err) : done())))
  };
}

/** The JSON object inside the prompt's <data> block (what the judge is shown as data). */
export function dataOf(body: ChatRequestBody): Record<string, string | null> {
  const user = body.messages.filter((m) => m.role === "user")[0].content;
  const match = /<data>\n([\s\S]*?)\n<\/data>/.exec(user);
  if (!match) throw new Error("no <data> block in the prompt");
  return JSON.parse(match[1]);
}
