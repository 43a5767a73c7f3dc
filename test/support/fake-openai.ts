/**
 * A local OpenAI-compatible chat endpoint for tests: POST /v1/chat/completions answers from a
 * script (a queue of replies, then a default), and every request is recorded. No network.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface ChatRequest {
  model: string;
  messages: Array<{ role: string; content: string }>;
  temperature?: number;
  max_tokens?: number;
  response_format?: { type: string };
}

/** One scripted answer: a reply text (200), or an HTTP error. */
export type FakeReply = { content: string } | { status: number; message: string };

export interface FakeOpenAI {
  /** Base URL for the SDK, ending in /v1. */
  baseURL: string;
  requests: ChatRequest[];
  /** Replies used in order, before the default one. */
  enqueue(...replies: FakeReply[]): void;
  /** The reply once the queue is empty (or a function of the request). */
  setDefault(reply: FakeReply | ((request: ChatRequest) => FakeReply)): void;
  close(): Promise<void>;
}

async function body(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  const queue: FakeReply[] = [];
  let fallback: FakeReply | ((request: ChatRequest) => FakeReply) = { status: 500, message: "no reply scripted" };
  const requests: ChatRequest[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      if (req.method !== "POST" || !req.url?.endsWith("/chat/completions")) {
        res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "not found" } }));
        return;
      }
      const parsed = JSON.parse(await body(req)) as ChatRequest;
      requests.push(parsed);
      const next = queue.shift() ?? (typeof fallback === "function" ? fallback(parsed) : fallback);
      if ("status" in next) {
        res
          .writeHead(next.status, { "content-type": "application/json" })
          .end(JSON.stringify({ error: { message: next.message, type: "server_error" } }));
        return;
      }
      res.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({
          id: `chatcmpl-${requests.length}`,
          object: "chat.completion",
          created: 1_700_000_000,
          model: parsed.model,
          choices: [{ index: 0, message: { role: "assistant", content: next.content }, finish_reason: "stop" }],
          usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
        }),
      );
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    enqueue: (...replies) => queue.push(...replies),
    setDefault: (reply) => {
      fallback = reply;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
