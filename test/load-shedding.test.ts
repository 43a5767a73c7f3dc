/**
 * Rate limits (RATE_LIMIT_PER_MINUTE), overload protection (MAX_HEAP_USED_BYTES,
 * MAX_EVENT_LOOP_DELAY_MS) and Retry-After on "all slots are full", through the real server with the
 * real clients of every transport: each must see its protocol's code (ResourceExhausted, Unavailable)
 * and, where the protocol carries headers, Retry-After; /health and the Health RPC stay open.
 */
import { Code, ConnectError, createClient, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import nodeHttp from "node:http";
import { describe, expect, it } from "vitest";
import WebSocket from "ws";
import { IncidentEnvService } from "../gen/incident/v1/service_pb.js";
import { guardSettingsFromEnv } from "../src/server/guard-settings.js";
import { dig, http, useServer, type RunningServer } from "./support/server.js";

const RATE = 20;
const OFF = { maxEventLoopDelayMs: 0, maxHeapUsedBytes: 0 };
const limited = useServer({}, { guard: { ...OFF, rateLimitPerMinute: RATE } });
const heavy = useServer({}, { guard: { ...OFF, maxHeapUsedBytes: 1 } });
const full = useServer({ limits: { maxLiveEpisodes: 1 } }, { guard: OFF });
const lagging = useServer({}, { guard: { ...OFF, maxEventLoopDelayMs: 200 } });

const transports: Record<string, (baseUrl: string) => Transport> = {
  "Connect JSON (HTTP/1.1)": (baseUrl) => createConnectTransport({ baseUrl, httpVersion: "1.1" }),
  "Connect binary (h2c)": (baseUrl) => createConnectTransport({ baseUrl, httpVersion: "2", useBinaryFormat: true }),
  gRPC: (baseUrl) => createGrpcTransport({ baseUrl }),
  "gRPC-Web": (baseUrl) => createGrpcWebTransport({ baseUrl, httpVersion: "1.1" }),
};

interface RpcOutcome {
  code: Code | "ok";
  retryAfter: string | null;
}

async function rpc(call: () => Promise<unknown>): Promise<RpcOutcome> {
  try {
    await call();
    return { code: "ok", retryAfter: null };
  } catch (error) {
    const e = ConnectError.from(error);
    return { code: e.code, retryAfter: e.metadata.get("retry-after") };
  }
}

/** The status that refused a WebSocket handshake (and its Retry-After), or "open". */
function wsHandshake(server: RunningServer): Promise<{ status: number | "open"; retryAfter?: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${server.baseUrl.replace(/^http/, "ws")}/ws`);
    ws.on("open", () => {
      ws.close();
      resolve({ status: "open" });
    });
    ws.on("unexpected-response", (_request, response) => {
      const retry = response.headers["retry-after"];
      resolve({ status: response.statusCode ?? 0, ...(retry !== undefined ? { retryAfter: String(retry) } : {}) });
      response.resume();
    });
    ws.on("error", reject);
  });
}

/** GET from a given local address (any 127.x.y.z reaches the loopback server). */
function getFrom(server: RunningServer, localAddress: string, path: string): Promise<number> {
  const url = new URL(server.baseUrl);
  return new Promise((resolve, reject) => {
    const request = nodeHttp.get({ host: url.hostname, port: url.port, path, localAddress, agent: false }, (response) => {
      response.resume();
      response.on("end", () => resolve(response.statusCode ?? 0));
    });
    request.on("error", reject);
  });
}

/** Retry-After, a number of seconds; a Connect client may list it twice (from the headers and from the end of the stream). */
function expectRetryAfter(received: string | null | undefined, atMost: number): void {
  const values = new Set((received ?? "").split(",").map((v) => v.trim()));
  expect(values.size, `one Retry-After value: ${received}`).toBe(1);
  const [value] = values;
  expect(value, "Retry-After").toMatch(/^\d+$/);
  expect(Number(value)).toBeGreaterThanOrEqual(1);
  expect(Number(value)).toBeLessThanOrEqual(atMost);
}

/** Every transport's answer while the server refuses, with the code each must show. */
async function expectRefusedEverywhere(
  server: RunningServer,
  status: number,
  kind: string,
  code: Code,
  retryAtMost: number,
): Promise<void> {
  const rest = await fetch(`${server.baseUrl}/tasks`);
  expect(rest.status).toBe(status);
  expect(dig(await rest.json(), "code")).toBe(kind);
  expectRetryAfter(rest.headers.get("retry-after"), retryAtMost);

  const reset = await http(server.baseUrl, "POST", "/reset", {});
  expect(reset.status).toBe(status);

  const sse = await fetch(`${server.baseUrl}/episodes/any/events`, { headers: { accept: "text/event-stream" } });
  expect(sse.status).toBe(status);
  expect(sse.headers.get("content-type")).toContain("application/json");
  expect(dig(await sse.json(), "code")).toBe(kind);
  expectRetryAfter(sse.headers.get("retry-after"), retryAtMost);

  const mcp = await http(server.baseUrl, "POST", "/mcp", { jsonrpc: "2.0", id: 1, method: "tools/list" });
  expect(mcp.status).toBe(status);
  expect(dig(mcp.json, "code")).toBe(kind);

  const ws = await wsHandshake(server);
  expect(ws.status).toBe(status);
  expectRetryAfter(ws.retryAfter, retryAtMost);

  for (const [name, make] of Object.entries(transports)) {
    const client = createClient(IncidentEnvService, make(server.baseUrl));
    const unary = await rpc(() => client.listTasks({}));
    expect(unary.code, `${name} unary`).toBe(code);
    expectRetryAfter(unary.retryAfter, retryAtMost);
    const stream = await rpc(async () => {
      for await (const _ of client.streamLogs({ episodeId: "any" })) break;
    });
    expect(stream.code, `${name} stream`).toBe(code);
    expectRetryAfter(stream.retryAfter, retryAtMost);
    const health = await rpc(() => client.health({}));
    expect(health.code, `${name} Health`).toBe("ok");
  }

  const health = await fetch(`${server.baseUrl}/health`);
  expect(health.status).toBe(200);
}

describe("RATE_LIMIT_PER_MINUTE", () => {
  it(`lets a client start ${RATE} requests a minute, then refuses the next on every transport with resource_exhausted and Retry-After`, async () => {
    for (let i = 0; i < 3 * RATE; i++) expect((await fetch(`${limited.baseUrl}/health`)).status).toBe(200);
    for (let i = 0; i < RATE; i++) expect((await fetch(`${limited.baseUrl}/tasks`)).status, `request ${i + 1}`).toBe(200);
    await expectRefusedEverywhere(limited, 429, "resource_exhausted", Code.ResourceExhausted, 60);
  });

  it("counts each address on its own", async () => {
    expect(await getFrom(limited, "127.0.0.1", "/tasks")).toBe(429);
    expect(await getFrom(limited, "127.0.0.2", "/tasks")).toBe(200);
  });

  it("is off by default and read from the environment", () => {
    expect(guardSettingsFromEnv({}).rateLimitPerMinute).toBe(0);
    expect(guardSettingsFromEnv({ RATE_LIMIT_PER_MINUTE: "600" }).rateLimitPerMinute).toBe(600);
    expect(() => guardSettingsFromEnv({ RATE_LIMIT_PER_MINUTE: "-1" })).toThrow(/RATE_LIMIT_PER_MINUTE/);
  });

  it("does not limit a server without the setting", async () => {
    for (let i = 0; i < 3 * RATE; i++) expect((await fetch(`${full.baseUrl}/tasks`)).status).toBe(200);
  });
});

describe("overload protection", () => {
  it("MAX_HEAP_USED_BYTES: over it, every transport gets unavailable with Retry-After, and /health still answers", async () => {
    // The heap is sampled once a second: wait for the first sample.
    const deadline = Date.now() + 5000;
    while ((await fetch(`${heavy.baseUrl}/tasks`)).status !== 503) {
      if (Date.now() > deadline) throw new Error("the server never reported pressure");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await expectRefusedEverywhere(heavy, 503, "unavailable", Code.Unavailable, 10);
  });

  it("MAX_EVENT_LOOP_DELAY_MS: a stalled event loop makes new requests wait, then the server serves again", async () => {
    let refused = false;
    for (let attempt = 0; attempt < 3 && !refused; attempt++) {
      const until = Date.now() + 1500;
      while (Date.now() < until) {
        // a stall, as a long synchronous task would cause
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
      const reply = await fetch(`${lagging.baseUrl}/tasks`);
      if (reply.status === 503) {
        refused = true;
        expect(dig(await reply.json(), "message")).toMatch(/MAX_EVENT_LOOP_DELAY_MS/);
        expectRetryAfter(reply.headers.get("retry-after"), 10);
      }
    }
    expect(refused).toBe(true);
    const deadline = Date.now() + 8000;
    while ((await fetch(`${lagging.baseUrl}/tasks`)).status !== 200) {
      if (Date.now() > deadline) throw new Error("the server stayed under pressure");
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  });

  it("has defaults that a busy trainer does not reach, and 0 turns a check off", () => {
    const defaults = guardSettingsFromEnv({});
    expect(defaults.maxEventLoopDelayMs).toBe(0); // off unless set: see GuardSettings
    expect(defaults.maxHeapUsedBytes).toBeGreaterThan(256 * 1024 * 1024);
    expect(guardSettingsFromEnv({ MAX_EVENT_LOOP_DELAY_MS: "0", MAX_HEAP_USED_BYTES: "0" })).toMatchObject({
      maxEventLoopDelayMs: 0,
      maxHeapUsedBytes: 0,
    });
  });
});

describe("Retry-After on a full server (MAX_LIVE_EPISODES)", () => {
  it("REST 429 and every RPC protocol's ResourceExhausted carry Retry-After", async () => {
    expect((await http(full.baseUrl, "POST", "/reset", { episode_id: "only" })).status).toBe(200);
    const response = await fetch(`${full.baseUrl}/reset`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ episode_id: "second" }),
    });
    expect(response.status).toBe(429);
    expect(dig(await response.json(), "code")).toBe("resource_exhausted");
    expectRetryAfter(response.headers.get("retry-after"), 60);
    for (const [name, make] of Object.entries(transports)) {
      const client = createClient(IncidentEnvService, make(full.baseUrl));
      const outcome = await rpc(() => client.reset({ episodeId: `second-${name.length}` }));
      expect(outcome.code, name).toBe(Code.ResourceExhausted);
      expectRetryAfter(outcome.retryAfter, 60);
    }
  });
});
