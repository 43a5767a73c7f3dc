/**
 * Property-based fuzzing (fast-check) of every surface of the one port (issue 10, section 6):
 * every JSON route of the route table (random JSON and random well-shaped REST bodies, random
 * queries and paths), the SSE routes, every IncidentEnvService method (random bytes on Connect,
 * gRPC and gRPC-Web, and random well-shaped messages through real clients), /ws and MCP. Whatever
 * arrives, the server never crashes, never answers 500 / internal / unknown, never puts a stack
 * trace in a response, keeps its error shape, and leaves a bystander episode byte for byte as it
 * was.
 *
 * Runs are bounded so the file takes well under a minute on a loaded machine. The seed is fixed
 * and fast-check prints it (and the shrunk counterexample) on failure: rerun with
 * FUZZ_SEED=<seed> to reproduce, FUZZ_SCALE=10 for ten times the runs.
 */
import { toJson, type DescMethod, type JsonValue, type MessageShape } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient, type Client, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import fc from "fast-check";
import { randomUUID } from "node:crypto";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import WebSocket from "ws";
import { ActionSchema } from "../gen/incident/v1/action_pb.js";
import { ActionType } from "../gen/incident/v1/enums_pb.js";
import {
  IncidentEnvService,
  InteractRequestSchema,
  ResetRequestSchema,
  StreamEpisodeEventsRequestSchema,
  StreamLogsRequestSchema,
} from "../gen/incident/v1/service_pb.js";
import type { EnvironmentApi } from "../src/env/api.js";
import { buildMetadata, buildSchemas } from "../src/server/describe.js";
import { restRouteTable, type RestRoute } from "../src/server/rest-routes.js";
import { enumWords } from "../src/sim/enum-words.js";
import { messageArbitrary } from "./support/arbitrary-message.js";
import { restJsonArbitrary } from "./support/arbitrary-rest-json.js";
import { connectGet, connectUnary, frame, grpc, grpcWeb, type RawAnswer } from "./support/raw-rpc.js";
import { http, useServer, useWorkerServer } from "./support/server.js";

const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const runs = (n: number): number => Math.max(1, Math.round(n * SCALE));
const settings = (numRuns: number): fc.Parameters<unknown> => ({ seed: SEED, numRuns: runs(numRuns) });

/** The server's log lines (warn and above): a request must not be able to make the server log an error. */
const logLines: string[] = [];
// A small store, so that the fuzz also meets "every slot is taken" (429), and memory stays small;
// answers compressed from 512 bytes for clients that accept it, so that compressed error paths are fuzzed too.
// FUZZ_WORKERS=n runs the same fuzz against episodes in n worker threads (their pre-encoded answers).
const WORKERS = Number(process.env.FUZZ_WORKERS ?? 0);
const appOptions = { logLevel: "warn", logStream: { write: (line: string) => void logLines.push(line) } };
const server: { baseUrl: string; env: EnvironmentApi } =
  WORKERS > 0
    ? (() => {
        const pool = useWorkerServer({ workers: WORKERS, limits: { maxLiveEpisodes: 150, compressMinBytes: 512 } }, appOptions);
        return {
          get baseUrl() {
            return pool.baseUrl;
          },
          get env() {
            return pool.pool;
          },
        };
      })()
    : useServer({ limits: { maxLiveEpisodes: 150, compressMinBytes: 512 } }, appOptions);
const consoleError = vi.spyOn(console, "error");

afterEach(() => {
  const errors = logLines.filter((line) => (JSON.parse(line) as { level: number }).level >= 50);
  expect(errors.map((line) => line.slice(0, 500))).toEqual([]);
  expect(consoleError.mock.calls.map((args) => args.map(String).join(" ").slice(0, 500))).toEqual([]);
});
const BYSTANDER = "fuzz-bystander";
/** Episode ids the fuzz uses (so that some requests reach real episodes); never the bystander's. */
const POOL = ["fuzz-1", "fuzz-2", "fuzz-3"];
/** Strings worth trying in string fields: the pool's ids, and real family and scenario names. */
const STRINGS = [...POOL, "web-shop", "payments", "INC-EASY-002", "INC-MED-001"];

/** What no response may contain: a stack frame, node internals, an absolute source path (the README, served as metadata, names files like src/env/limits.ts, which is fine). */
const STACK = /(^|\n|\\n)\s*at [\w$.<>]+ \(|node:internal|\/work\/|\/node_modules\/|\.[jt]s:\d+:\d+/;

let bystanderBefore = "";
let routes: RestRoute[] = [];

async function bystanderState(): Promise<string> {
  return (await http(server.baseUrl, "GET", `/state?episode_id=${BYSTANDER}`)).text;
}

/** The invariants every answer and the server keep, whatever the request. */
async function expectUnharmed(): Promise<void> {
  expect(await bystanderState()).toBe(bystanderBefore);
}

function expectNoStack(text: string): void {
  expect(STACK.test(text), text.slice(0, 400)).toBe(false);
}

/** A REST answer: below 500, in the error shape when an error, without a stack trace. */
function expectRestAnswer(status: number, text: string, label: string): void {
  expect(status, `${label} -> ${status} ${text.slice(0, 300)}`).toBeLessThan(500);
  expectNoStack(text);
  if (status >= 400) {
    const json = JSON.parse(text) as { code?: unknown; message?: unknown; violations?: Array<{ field: string; rule: string }> };
    expect(Object.keys(json).sort(), `${label}: ${text.slice(0, 300)}`).toEqual(["code", "message", "violations"]);
    expect(json.code).not.toBe("internal");
    // A value of the wrong type is blamed on its field, and messages read cleanly.
    for (const v of json.violations ?? []) if (v.rule === "type.mismatch") expect(v.field, `${label}: ${text.slice(0, 300)}`).not.toBe("");
    expect(String(json.message), label).not.toMatch(/^: /);
  }
}

beforeAll(async () => {
  routes = restRouteTable(server.env, () => server.env, { metadata: buildMetadata(), schemas: buildSchemas() });
  expect((await http(server.baseUrl, "POST", "/reset", { scenario_id: "INC-EASY-001", seed: 7, episode_id: BYSTANDER })).status).toBe(200);
  expect(
    (
      await http(server.baseUrl, "POST", "/step", {
        episode_id: BYSTANDER,
        action: { action_type: "inspect", target_service: "postgres-db" },
      })
    ).status,
  ).toBe(200);
  for (const id of POOL) expect((await http(server.baseUrl, "POST", "/reset", { seed: 1, episode_id: id })).status).toBe(200);
  bystanderBefore = await bystanderState();
});

// ---------------------------------------------------------------- REST

const junkPieces = fc.constantFrom("%zz", "%E0%A4%A", "%00", "%2F", "..", "%", "%%", "a%20b", "\u00e9");
const pathPiece = fc.oneof(fc.string({ maxLength: 20 }).map(encodeURIComponent), junkPieces, fc.constantFrom(...POOL));
const queryValue = fc.oneof(fc.string({ maxLength: 20 }).map(encodeURIComponent), junkPieces, fc.constantFrom(...POOL, ""));
const contentTypes = fc.constantFrom(
  "application/json",
  "application/json; charset=utf-8",
  "text/plain",
  "application/x-www-form-urlencoded",
  "application/json; charset=latin1",
);

/** The URL of a route with a random episode id in its path or query (and sometimes a stray query key). */
function urlOf(route: RestRoute, id: string, extraKey: string | undefined, extraValue: string): string {
  const path = route.url.replace(":episode_id", id);
  const query: string[] = [];
  if (route.episodeIdIn === "query") query.push(`episode_id=${id}`);
  if (extraKey !== undefined) query.push(`${encodeURIComponent(extraKey)}=${extraValue}`);
  return query.length > 0 ? `${path}?${query.join("&")}` : path;
}

async function send(method: string, url: string, body: string | undefined, contentType: string): Promise<{ status: number; text: string }> {
  const response = await fetch(server.baseUrl + url, {
    method,
    headers: body === undefined ? {} : { "content-type": contentType },
    ...(body === undefined ? {} : { body }),
  });
  return { status: response.status, text: await response.text() };
}

describe("REST routes", () => {
  it("every route of the table, random JSON or text bodies, ids and query keys", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.oneof(
          fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
          fc.string({ maxLength: 40 }),
          fc.constantFrom("", "{", "[]", "null", '{"items": null}', "\u0000"),
        ),
        pathPiece,
        fc.option(fc.string({ maxLength: 8 }), { freq: 4 }),
        queryValue,
        contentTypes,
        async (route, body, id, extraKey, extraValue, contentType) => {
          const url = urlOf(route, id, extraKey ?? undefined, extraValue);
          const answer = await send(route.method, url, route.method === "POST" ? body : undefined, contentType);
          expectRestAnswer(answer.status, answer.text, `${route.method} ${url} ${body}`);
          await expectUnharmed();
        },
      ),
      settings(150),
    );
  });

  it("every route with a body, random well-shaped REST bodies", async () => {
    const bodyRoutes = routes.filter((route) => route.body !== undefined);
    const request = fc
      .constantFrom(...bodyRoutes)
      .chain((route) =>
        fc.tuple(fc.constant(route), fc.oneof(...(route.body?.shapes ?? []).map((desc) => restJsonArbitrary(desc, { strings: STRINGS })))),
      );
    await fc.assert(
      fc.asyncProperty(request, async ([route, body]) => {
        const answer = await send(route.method, route.url, JSON.stringify(body), "application/json");
        expectRestAnswer(answer.status, answer.text, `${route.method} ${route.url} ${JSON.stringify(body).slice(0, 300)}`);
        await expectUnharmed();
      }),
      settings(200),
    );
  });

  it("concurrent well-shaped requests on the same few episodes", async () => {
    const bodyRoutes = routes.filter((route) => route.body !== undefined);
    const request = fc
      .constantFrom(...bodyRoutes)
      .chain((route) =>
        fc.tuple(
          fc.constant(route),
          fc.oneof(...(route.body?.shapes ?? []).map((desc) => restJsonArbitrary(desc, { strings: POOL, clean: true }))),
        ),
      );
    await fc.assert(
      fc.asyncProperty(fc.array(request, { minLength: 2, maxLength: 8 }), async (requests) => {
        const answers = await Promise.all(
          requests.map(([route, body]) => send(route.method, route.url, JSON.stringify(body), "application/json")),
        );
        answers.forEach((answer, i) =>
          expectRestAnswer(answer.status, answer.text, `${requests[i]?.[0].url} ${JSON.stringify(requests[i]?.[1]).slice(0, 200)}`),
        );
        await expectUnharmed();
      }),
      settings(40),
    );
  });

  it("SSE routes, random ids and filters", async () => {
    const filters = fc.oneof(
      restJsonArbitrary(StreamLogsRequestSchema, { strings: STRINGS, depth: 1 }),
      restJsonArbitrary(StreamEpisodeEventsRequestSchema, { strings: STRINGS, depth: 1 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("logs", "events"),
        pathPiece,
        filters,
        fc.option(fc.string({ maxLength: 12 }), { nil: undefined }),
        async (kind, id, json, lastEventId) => {
          const query = Object.entries(json as Record<string, JsonValue>)
            .filter(([key]) => key !== "episode_id")
            .map(
              ([key, value]) =>
                `${encodeURIComponent(key)}=${encodeURIComponent(typeof value === "string" ? value : JSON.stringify(value))}`,
            )
            .join("&");
          const abort = new AbortController();
          const timer = setTimeout(() => abort.abort(), 2000);
          try {
            const headers: Record<string, string> = { accept: "text/event-stream" };
            if (lastEventId !== undefined && /^[\x20-\x7e]*$/.test(lastEventId)) headers["last-event-id"] = lastEventId;
            const response = await fetch(`${server.baseUrl}/episodes/${id}/${kind}?${query}`, { headers, signal: abort.signal });
            if (response.status === 200) {
              expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
              abort.abort();
            } else {
              expectRestAnswer(response.status, await response.text(), `${kind} ${id} ${query}`);
            }
          } catch (error) {
            if (!abort.signal.aborted) throw error;
          } finally {
            clearTimeout(timer);
          }
          await expectUnharmed();
        },
      ),
      settings(60),
    );
  });
});

// ---------------------------------------------------------------- Connect, gRPC, gRPC-Web

const METHODS: readonly DescMethod[] = IncidentEnvService.methods;
const FORBIDDEN_CONNECT_CODES = new Set(["internal", "unknown", "data_loss"]);
const FORBIDDEN_GRPC_CODES = new Set([Code.Internal, Code.Unknown, Code.DataLoss]);

/**
 * The HTTP statuses of the Connect protocol's own mapping of codes that are not server faults
 * (unimplemented 501: an unknown compression; unavailable 503; deadline_exceeded 504: a client's
 * tiny timeout) and 505 for Interact over HTTP/1.1 (documented in the README, "Sessions").
 */
const PROTOCOL_5XX = new Set([501, 503, 504, 505]);

function expectRpcAnswer(answer: RawAnswer, label: string): void {
  if (!PROTOCOL_5XX.has(answer.httpStatus)) expect(answer.httpStatus, `${label}: ${answer.text.slice(0, 300)}`).toBeLessThan(500);
  expectNoStack(answer.text);
  if (typeof answer.code === "string")
    expect(FORBIDDEN_CONNECT_CODES.has(answer.code), `${label}: ${answer.code} ${answer.message}`).toBe(false);
  if (typeof answer.code === "number")
    expect(FORBIDDEN_GRPC_CODES.has(answer.code), `${label}: ${answer.code} ${answer.message}`).toBe(false);
}

describe("IncidentEnvService", () => {
  /** Headers a client may add to an RPC: compression and time-outs, good, bad and absurd. */
  const rpcHeaders = (encodingHeader: string, acceptHeader: string, timeoutHeader: string): fc.Arbitrary<Record<string, string>> =>
    fc
      .tuple(
        fc.option(fc.constantFrom("gzip", "br", "identity", "zstd", "")),
        fc.option(fc.constantFrom("gzip", "br", "gzip, br", "zstd")),
        fc.option(fc.constantFrom("1", "abc", "99999999999", "-1", "5000", "1m", "1S", "100000000H")),
      )
      .map(([encoding, accept, timeout]) => ({
        ...(encoding === null ? {} : { [encodingHeader]: encoding }),
        ...(accept === null ? {} : { [acceptHeader]: accept }),
        ...(timeout === null ? {} : { [timeoutHeader]: timeout }),
      }));
  const queryPart = fc.oneof(fc.string({ maxLength: 20 }).map(encodeURIComponent), fc.constantFrom("e30", "%7B%7D", "%zz", "CgNub3A", ""));

  it("every method, random bytes on Connect (binary and JSON, POST and GET), gRPC and gRPC-Web, with random compression and time-outs", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...METHODS),
        fc.constantFrom("connect-proto", "connect-json", "connect-get", "grpc", "grpc-web"),
        fc.uint8Array({ maxLength: 80 }),
        fc.constantFrom("framed", "framed", "compressed-flag", "raw"),
        rpcHeaders("content-encoding", "accept-encoding", "connect-timeout-ms"),
        rpcHeaders("grpc-encoding", "grpc-accept-encoding", "grpc-timeout"),
        fc.tuple(queryPart, fc.constantFrom("proto", "json", "xml"), fc.constantFrom("", "1", "0"), fc.constantFrom("", "gzip", "zstd")),
        async (method, protocol, bytes, framing, connectHeaders, grpcHeaders, [message, encoding, base64, compression]) => {
          const body = framing === "raw" ? bytes : frame(bytes, framing === "compressed-flag" ? 1 : 0);
          const label = `${protocol} ${method.name} ${framing} ${JSON.stringify({ connectHeaders, grpcHeaders })} ${Buffer.from(bytes).toString("hex")}`;
          const query = `message=${message}&encoding=${encoding}${base64 ? `&base64=${base64}` : ""}${compression ? `&compression=${compression}` : ""}&connect=v1`;
          const answer =
            protocol === "connect-proto"
              ? await connectUnary(server.baseUrl, method.name, bytes, "application/proto", connectHeaders)
              : protocol === "connect-json"
                ? await connectUnary(server.baseUrl, method.name, Buffer.from(bytes).toString("latin1"), "application/json", connectHeaders)
                : protocol === "connect-get"
                  ? await connectGet(server.baseUrl, method.name, query)
                  : protocol === "grpc"
                    ? await grpc(server.baseUrl, method.name, body, "application/grpc", 500, grpcHeaders)
                    : await grpcWeb(server.baseUrl, method.name, body, "application/grpc-web+proto", 500, grpcHeaders);
          expectRpcAnswer(answer, label);
          await expectUnharmed();
        },
      ),
      settings(200),
    );
  });

  const transports: Record<string, () => Transport> = {
    "connect-binary": () => createConnectTransport({ baseUrl: server.baseUrl, httpVersion: "1.1" }),
    "connect-json": () => createConnectTransport({ baseUrl: server.baseUrl, httpVersion: "1.1", useBinaryFormat: false }),
    "connect-h2": () => createConnectTransport({ baseUrl: server.baseUrl, httpVersion: "2" }),
    grpc: () => createGrpcTransport({ baseUrl: server.baseUrl }),
    "grpc-web": () => createGrpcWebTransport({ baseUrl: server.baseUrl, httpVersion: "1.1" }),
  };
  const H2 = new Set(["connect-h2", "grpc"]);

  type AnyCall = (request: unknown, options: { signal?: AbortSignal; timeoutMs?: number }) => unknown;

  /** Calls one method; resolves with the error it failed with, if any (our own time-outs of open streams are not errors). */
  async function call(client: Client<typeof IncidentEnvService>, method: DescMethod, input: unknown): Promise<ConnectError | undefined> {
    const fn = (client as unknown as Record<string, AnyCall>)[method.localName];
    if (fn === undefined) throw new Error(`no client method ${method.localName}`);
    const signal = AbortSignal.timeout(method.methodKind === "unary" ? 10_000 : 400);
    try {
      if (method.methodKind === "unary") {
        await fn.call(client, input, { signal });
        return undefined;
      }
      const messages = fn.call(client, input, { signal }) as AsyncIterable<{
        response?: { case?: string; value?: { code?: string; message?: string } };
      }>;
      for await (const message of messages) {
        // Interact answers a failed request with an error response: never an internal one.
        if (message.response?.case === "error") {
          expect(message.response.value?.code, message.response.value?.message).not.toBe("internal");
          expectNoStack(message.response.value?.message ?? "");
        }
      }
      return undefined;
    } catch (error) {
      const connectError = ConnectError.from(error);
      if (signal.aborted && (connectError.code === Code.Canceled || connectError.code === Code.DeadlineExceeded)) return undefined;
      return connectError;
    }
  }

  function encodableAsJson(method: DescMethod, input: unknown): boolean {
    try {
      toJson(method.input, input as MessageShape<typeof method.input>);
      return true;
    } catch {
      return false;
    }
  }

  it("every method, random well-shaped messages through Connect, gRPC and gRPC-Web clients", async () => {
    const clients = Object.fromEntries(Object.entries(transports).map(([name, make]) => [name, createClient(IncidentEnvService, make())]));
    const request = fc.constantFrom(...METHODS).chain((method) => {
      const names = Object.keys(transports).filter((name) => method.methodKind !== "bidi_streaming" || H2.has(name));
      const input =
        method.methodKind === "bidi_streaming"
          ? fc.array(messageArbitrary(InteractRequestSchema, { strings: STRINGS }), { minLength: 1, maxLength: 4 }).map((items) =>
              (async function* () {
                yield* items;
              })(),
            )
          : messageArbitrary(method.input, { strings: STRINGS });
      return fc.tuple(fc.constant(method), fc.constantFrom(...names), input);
    });
    await fc.assert(
      fc.asyncProperty(request, async ([method, transport, input]) => {
        const client = clients[transport];
        if (client === undefined) throw new Error(transport);
        // A message the JSON client cannot even encode (NaN in a google.protobuf.Value) never reaches the server.
        if (transport === "connect-json") fc.pre(encodableAsJson(method, input));
        const error = await call(client, method, input);
        if (error) {
          expect(FORBIDDEN_GRPC_CODES.has(error.code), `${transport} ${method.name}: ${Code[error.code]} ${error.rawMessage}`).toBe(false);
          expectNoStack(error.rawMessage);
        }
        await expectUnharmed();
      }),
      settings(200),
    );
  });
});

// ---------------------------------------------------------------- /ws and MCP

const WS_REPLY_TYPES = new Set(["observation", "state", "mcp", "error"]);
const WS_ERROR_CODES = new Set(["INVALID_JSON", "UNKNOWN_TYPE", "VALIDATION_ERROR", "EXECUTION_ERROR", "CAPACITY_REACHED"]);
const INTERNAL_MESSAGE = "internal error; see the server log";

const jsonRpcRequest = fc.record(
  {
    jsonrpc: fc.oneof(fc.constant("2.0"), fc.jsonValue({ maxDepth: 1 })),
    id: fc.oneof(fc.integer(), fc.string({ maxLength: 6 }), fc.constant(null), fc.jsonValue({ maxDepth: 1 })),
    method: fc.oneof(
      fc.constantFrom(
        "initialize",
        "ping",
        "tools/list",
        "tools/call",
        "openenv/session/create",
        "openenv/session/close",
        "notifications/initialized",
      ),
      fc.string({ maxLength: 12 }),
    ),
    params: fc.oneof(
      fc.record(
        {
          name: fc.oneof(fc.constantFrom("reset", ...enumWords(ActionType), "get_observation", "get_state"), fc.string({ maxLength: 8 })),
          arguments: fc.oneof(
            restJsonArbitrary(ResetRequestSchema, { strings: STRINGS, depth: 1 }),
            restJsonArbitrary(ActionSchema, { strings: STRINGS, depth: 1 }),
            fc.jsonValue({ maxDepth: 2 }),
          ),
          session_id: fc.oneof(fc.constantFrom(...POOL), fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 1 })),
          protocolVersion: fc.constantFrom("2025-06-18", "1999"),
        },
        { requiredKeys: [] },
      ),
      fc.jsonValue({ maxDepth: 2 }),
    ),
  },
  { requiredKeys: [] },
);

const wsMessage = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc
    .oneof(
      fc.record(
        {
          type: fc.constant("reset"),
          data: fc.option(restJsonArbitrary(ResetRequestSchema, { strings: STRINGS, depth: 1 }), { nil: undefined }),
        },
        { requiredKeys: ["type"] },
      ),
      fc.record(
        {
          type: fc.constant("step"),
          data: fc.oneof(restJsonArbitrary(ActionSchema, { strings: STRINGS, depth: 2 }), fc.jsonValue({ maxDepth: 2 })),
        },
        { requiredKeys: ["type"] },
      ),
      fc.record({ type: fc.constantFrom("state", "close"), data: fc.jsonValue({ maxDepth: 1 }) }, { requiredKeys: ["type"] }),
      fc.record({ type: fc.constant("mcp"), data: fc.oneof(jsonRpcRequest, fc.jsonValue({ maxDepth: 2 })) }, { requiredKeys: ["type"] }),
      fc.record({ type: fc.jsonValue({ maxDepth: 1 }), data: fc.jsonValue({ maxDepth: 1 }) }, { requiredKeys: [] }),
    )
    .map((m) => JSON.stringify(m)),
);

/** Sends the messages on a fresh /ws connection, then a sentinel, and returns every reply up to the sentinel's (or the close). */
async function wsExchange(messages: readonly string[], binary: boolean): Promise<string[]> {
  const ws = new WebSocket(`${server.baseUrl.replace(/^http/, "ws")}/ws`);
  const sentinel = `sentinel-${randomUUID()}`;
  const replies: string[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    const done = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no reply to the sentinel; replies: ${replies.join("\n").slice(0, 500)}`)), 10_000);
      const finish = (): void => {
        clearTimeout(timer);
        resolve();
      };
      ws.on("message", (raw) => {
        const text = String(raw);
        if (text.includes(sentinel)) finish();
        else replies.push(text);
      });
      ws.on("close", finish);
    });
    for (const message of messages) ws.send(binary ? Buffer.from(message) : message);
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: sentinel }));
    await done;
    return replies;
  } finally {
    ws.terminate();
  }
}

describe("/ws and MCP", () => {
  it("/ws: random text and binary messages, random and well-shaped protocol messages", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(wsMessage, { minLength: 1, maxLength: 5 }), fc.boolean(), async (messages, binary) => {
        const replies = await wsExchange(messages, binary);
        for (const text of replies) {
          expectNoStack(text);
          const reply = JSON.parse(text) as { type?: unknown; data?: { code?: unknown; message?: unknown } };
          expect(WS_REPLY_TYPES.has(String(reply.type)), text.slice(0, 300)).toBe(true);
          if (reply.type === "error") {
            expect(WS_ERROR_CODES.has(String(reply.data?.code)), text.slice(0, 300)).toBe(true);
            expect(reply.data?.message, text.slice(0, 300)).not.toBe(INTERNAL_MESSAGE);
          }
          if (reply.type === "mcp") expect(JSON.stringify(reply.data), text.slice(0, 300)).not.toContain('"code":-32603');
        }
        await expectUnharmed();
      }),
      settings(60),
    );
  });

  it("MCP: random JSON and random JSON-RPC requests, with and without sessions", async () => {
    const sessionHeader = fc.option(fc.oneof(fc.constantFrom(...POOL), fc.stringMatching(/^[A-Za-z0-9._:@-]{1,16}$/)), { nil: undefined });
    const body = fc.oneof(
      jsonRpcRequest.map((r) => JSON.stringify(r)),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 30 }),
    );
    await fc.assert(
      fc.asyncProperty(body, sessionHeader, async (text, session) => {
        const response = await fetch(`${server.baseUrl}/mcp`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            accept: "application/json, text/event-stream",
            ...(session ? { "mcp-session-id": session } : {}),
          },
          body: text,
        });
        const answer = await response.text();
        expect(response.status, `${text} -> ${answer.slice(0, 300)}`).toBeLessThan(500);
        expectNoStack(answer);
        if (response.status >= 400) expectRestAnswer(response.status, answer, text);
        else if (answer !== "") {
          const json = JSON.parse(answer) as unknown;
          expect(JSON.stringify(json), `${text} -> ${answer.slice(0, 300)}`).not.toContain('"code":-32603');
        }
        await expectUnharmed();
      }),
      settings(150),
    );
  });

  it("the server is still up and the bystander plays on", async () => {
    expect((await http(server.baseUrl, "GET", "/health")).status).toBe(200);
    const step = await http(server.baseUrl, "POST", "/step", {
      episode_id: BYSTANDER,
      action: { action_type: "escalate", reasoning: "after the fuzz" },
    });
    expect(step.status).toBe(200);
  });
});
