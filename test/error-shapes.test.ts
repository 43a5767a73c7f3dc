/**
 * Every error in the documented shape, with the right code (issue 10, section 5), through the real
 * server: undecodable protobuf requests on Connect, gRPC and gRPC-Web; URLs the router cannot decode;
 * requests over MAX_HEADER_BYTES; unsupported media types; /reset bodies with keys a reset does not
 * know; numbers in strings, read one way on every surface. A bystander episode reads the same after
 * every refused request.
 */
import { Code } from "@connectrpc/connect";
import net from "node:net";
import { beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { httpLimitsFromEnv } from "../src/env/limits.js";
import { connectUnary, frame, grpc, grpcWeb } from "./support/raw-rpc.js";
import { dig, http, useServer } from "./support/server.js";

const server = useServer();
const small = useServer({}, { httpLimits: { maxHeaderBytes: 4096 } });
const compressing = useServer({ limits: { compressMinBytes: 1 } });
const BYSTANDER = "error-shapes-bystander";

async function bystanderState(): Promise<string> {
  const state = await http(server.baseUrl, "GET", `/state?episode_id=${BYSTANDER}`);
  expect(state.status).toBe(200);
  return state.text;
}

function expectErrorShape(json: unknown, code: string): void {
  expect(Object.keys(json as object).sort()).toEqual(["code", "message", "violations"]);
  expect(dig(json, "code")).toBe(code);
  expect(typeof dig(json, "message")).toBe("string");
}

beforeAll(async () => {
  expect((await http(server.baseUrl, "POST", "/reset", { scenario_id: "INC-EASY-001", seed: 5, episode_id: BYSTANDER })).status).toBe(200);
  expect(
    (
      await http(server.baseUrl, "POST", "/step", {
        episode_id: BYSTANDER,
        action: { action_type: "inspect", target_service: "postgres-db" },
      })
    ).status,
  ).toBe(200);
});

/** Not a protobuf message of any type: a field tag announcing more bytes than follow. */
const GARBAGE = new Uint8Array([0xff, 0xff, 0xff]);

describe("undecodable protobuf requests are invalid_argument on every protocol", () => {
  it.each(["Reset", "Step", "GetState", "CloseEpisode", "StepBatch"])(
    "Connect unary %s: HTTP 400 invalid_argument, not 500 internal",
    async (method) => {
      const before = await bystanderState();
      const answer = await connectUnary(server.baseUrl, method, GARBAGE);
      expect(answer.httpStatus, answer.text).toBe(400);
      expect(answer.code).toBe("invalid_argument");
      expect(answer.message).toContain(`not a valid incident.v1.${method}Request message`);
      expect(await bystanderState()).toBe(before);
    },
  );

  it.each([
    ["a garbage message", frame(GARBAGE)],
    ["a compressed flag without an encoding", frame(new Uint8Array([8, 1]), 1)],
  ])("gRPC and gRPC-Web, unary and streaming methods, %s: invalid_argument", async (_label, body) => {
    const before = await bystanderState();
    for (const method of ["Reset", "Step", "StreamLogs", "Interact"]) {
      const answer = await grpc(server.baseUrl, method, body);
      expect(answer.httpStatus).toBe(200);
      expect([method, answer.code, answer.message]).toEqual([
        method,
        Code.InvalidArgument,
        expect.stringContaining("not a valid incident.v1."),
      ]);
    }
    for (const method of ["Reset", "Step", "StreamLogs"]) {
      const answer = await grpcWeb(server.baseUrl, method, body);
      expect([method, answer.code, answer.message]).toEqual([
        method,
        Code.InvalidArgument,
        expect.stringContaining("not a valid incident.v1."),
      ]);
    }
    expect(await bystanderState()).toBe(before);
  });

  it("also when the server compresses its answers (RPC_COMPRESS_MIN_BYTES)", async () => {
    const connect = await connectUnary(compressing.baseUrl, "Step", GARBAGE, "application/proto", { "accept-encoding": "gzip" });
    expect([connect.httpStatus, connect.code]).toEqual([400, "invalid_argument"]);
    const web = await grpcWeb(compressing.baseUrl, "Step", frame(GARBAGE), "application/grpc-web+proto", 10_000, {
      "grpc-accept-encoding": "gzip",
    });
    expect(web.code).toBe(Code.InvalidArgument);
    const h2 = await grpc(compressing.baseUrl, "Step", frame(GARBAGE), "application/grpc", 10_000, { "grpc-accept-encoding": "gzip" });
    expect(h2.code).toBe(Code.InvalidArgument);
  });

  it("a well-formed message still gets its answer, and other errors keep their codes", async () => {
    const ok = await grpc(server.baseUrl, "GetState", frame(new Uint8Array([0x0a, BYSTANDER.length, ...Buffer.from(BYSTANDER)])));
    expect(ok.code).toBe(0);
    const missing = await connectUnary(server.baseUrl, "GetState", new Uint8Array([0x0a, 3, 0x6e, 0x6f, 0x70]));
    expect([missing.httpStatus, missing.code]).toEqual([404, "not_found"]);
  });
});

describe("errors before a route are in the REST error shape", () => {
  it.each([
    ["GET", "/%zz"],
    ["GET", "/episodes/%E0%A4%A"],
    ["DELETE", "/episodes/%zz"],
    ["GET", "/episodes/%zz/logs"],
  ])("bad percent-encoding in the path: %s %s is 400 invalid_argument", async (method, path) => {
    const before = await bystanderState();
    const response = await http(server.baseUrl, method, path);
    expect(response.status, response.text).toBe(400);
    expectErrorShape(response.json, "invalid_argument");
    expect(await bystanderState()).toBe(before);
  });

  it("bad percent-encoding in the query is refused by the field's rule", async () => {
    const response = await http(server.baseUrl, "GET", "/state?episode_id=%E0%A4%A");
    expect(response.status).toBe(400);
    expectErrorShape(response.json, "invalid_argument");
  });

  it("an episode id of up to 255 characters fits in a path (the router's own limit was 100)", async () => {
    const id = "p".repeat(200);
    const response = await http(server.baseUrl, "GET", `/episodes/${id}`);
    expect(response.status, response.text).toBe(404);
    expectErrorShape(response.json, "not_found");
    const tooLong = await http(server.baseUrl, "GET", `/episodes/${"p".repeat(300)}`);
    expect(tooLong.status).toBe(400);
    expect(dig(tooLong.json, "violations.0.rule")).toBe("string.max_len");
  });

  it("a URL over MAX_HEADER_BYTES (16 KiB by default) is 431 resource_exhausted, naming the limit", async () => {
    const response = await http(server.baseUrl, "GET", `/state?episode_id=${"a".repeat(20_000)}`);
    expect(response.status).toBe(431);
    expectErrorShape(response.json, "resource_exhausted");
    expect(dig(response.json, "message")).toContain("MAX_HEADER_BYTES = 16384");
  });

  it("MAX_HEADER_BYTES is configurable: URLs and headers over it are refused, requests under it served", async () => {
    const under = await http(small.baseUrl, "GET", `/state?episode_id=${"a".repeat(3000)}`);
    expect(under.status).toBe(400);
    expect(dig(under.json, "violations.0.rule")).toBe("string.max_len");
    const overUrl = await http(small.baseUrl, "GET", `/state?episode_id=${"a".repeat(5000)}`);
    expect(overUrl.status).toBe(431);
    expect(dig(overUrl.json, "message")).toContain("MAX_HEADER_BYTES = 4096");
    const overHeader = await http(small.baseUrl, "GET", "/health", undefined, { "x-padding": "p".repeat(5000) });
    expect(overHeader.status).toBe(431);
    expectErrorShape(overHeader.json, "resource_exhausted");
  });

  it("MAX_HEADER_BYTES is read from the environment, 16 KiB by default", () => {
    expect(httpLimitsFromEnv({})).toEqual({ maxHeaderBytes: 16384 });
    expect(httpLimitsFromEnv({ MAX_HEADER_BYTES: "4096" })).toEqual({ maxHeaderBytes: 4096 });
    expect(() => httpLimitsFromEnv({ MAX_HEADER_BYTES: "lots" })).toThrow(/MAX_HEADER_BYTES/);
  });

  it("a request node's HTTP parser cannot read is 400 invalid_argument in the same shape", async () => {
    const { port } = new URL(server.baseUrl);
    const text = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(port), "127.0.0.1", () =>
        socket.write("GET /health HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n"),
      );
      let received = "";
      socket.on("data", (chunk) => (received += chunk.toString()));
      socket.on("close", () => resolve(received));
      socket.on("error", reject);
    });
    expect(text).toMatch(/^HTTP\/1\.1 400 /);
    expectErrorShape(JSON.parse(text.slice(text.indexOf("\r\n\r\n") + 4)), "invalid_argument");
  });

  it.each([
    ["/reset", "application/xml", "<reset/>"],
    ["/step", "image/png", "x"],
    ["/incident.v1.IncidentEnvService/Reset", "text/xml", "<reset/>"],
  ])("an unsupported media type on %s (%s) is 415 unimplemented, not invalid_argument", async (path, type, body) => {
    const before = await bystanderState();
    const response = await http(server.baseUrl, "POST", path, body, { "content-type": type });
    expect(response.status).toBe(415);
    expectErrorShape(response.json, "unimplemented");
    expect(dig(response.json, "message")).toContain(type);
    expect(await bystanderState()).toBe(before);
  });
});

/** A reset over /ws: the reply to {"type": "reset", "data": data}. */
async function wsReset(data: unknown): Promise<{ type: string; data: Record<string, unknown> }> {
  const ws = new WebSocket(`${server.baseUrl.replace(/^http/, "ws")}/ws`);
  try {
    await new Promise((resolve, reject) => {
      ws.once("open", resolve);
      ws.once("error", reject);
    });
    const reply = new Promise<string>((resolve) => ws.once("message", (raw) => resolve(String(raw))));
    ws.send(JSON.stringify({ type: "reset", data }));
    const parsed = JSON.parse(await reply) as { type: string; data: Record<string, unknown> };
    if (parsed.type === "observation") {
      const state = new Promise<string>((resolve) => ws.once("message", (raw) => resolve(String(raw))));
      ws.send(JSON.stringify({ type: "state" }));
      return JSON.parse(await state) as { type: string; data: Record<string, unknown> };
    }
    return parsed;
  } finally {
    ws.close();
  }
}

/** An MCP reset tool call in a session of its own; the session's state, or the error. */
async function mcpReset(args: Record<string, unknown>): Promise<{ state?: unknown; error?: unknown }> {
  const session = { "mcp-session-id": `mcp-numbers-${Math.random().toString(36).slice(2)}` };
  const reset = await http(
    server.baseUrl,
    "POST",
    "/mcp",
    { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "reset", arguments: args } },
    session,
  );
  if (dig(reset.json, "error") !== undefined) return { error: dig(reset.json, "error") };
  const state = await http(
    server.baseUrl,
    "POST",
    "/mcp",
    { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "get_state", arguments: {} } },
    session,
  );
  return { state: dig(state.json, "result.structuredContent") };
}

describe("/reset refuses keys a reset does not know, except OpenEnv's envelope keys", () => {
  it('{"task_levle": "hard"} is 400 naming the field, and starts nothing', async () => {
    const before = await bystanderState();
    const live = dig((await http(server.baseUrl, "GET", "/health")).json, "live_episodes");
    const response = await http(server.baseUrl, "POST", "/reset", { task_levle: "hard", episode_id: "typo" });
    expect(response.status).toBe(400);
    expectErrorShape(response.json, "invalid_argument");
    expect(dig(response.json, "violations.0")).toMatchObject({ field: "task_levle", rule: "field.known" });
    expect(dig(response.json, "message")).toContain("task_level");
    expect((await http(server.baseUrl, "GET", "/state?episode_id=typo")).status).toBe(404);
    expect(dig((await http(server.baseUrl, "GET", "/health")).json, "live_episodes")).toBe(live);
    expect(await bystanderState()).toBe(before);
  });

  it("timeout_s and request_id (OpenEnv's request envelope) are accepted and ignored", async () => {
    const response = await http(server.baseUrl, "POST", "/reset", {
      task_level: "hard",
      seed: 3,
      episode_id: "envelope-keys",
      timeout_s: 30,
      request_id: "r-1",
    });
    expect(response.status, response.text).toBe(200);
    expect(dig((await http(server.baseUrl, "GET", "/state?episode_id=envelope-keys")).json, "task_level")).toBe("hard");
  });

  it("the same rule holds for /reset/batch items and /ws reset data", async () => {
    const batch = await http(server.baseUrl, "POST", "/reset/batch", { items: [{ task_levle: "hard" }, { seed: 1, timeout_s: 5 }] });
    expect(batch.status).toBe(200);
    expect(dig(batch.json, "results.0.error.violations.0")).toMatchObject({ field: "task_levle", rule: "field.known" });
    expect(dig(batch.json, "results.1.response")).toBeDefined();
    const ws = await wsReset({ task_levle: "hard" });
    expect(ws.type).toBe("error");
    expect(ws.data.code).toBe("VALIDATION_ERROR");
    expect(dig(ws.data, "errors.0")).toMatchObject({ field: "task_levle", rule: "field.known" });
    expect((await wsReset({ seed: 2, request_id: "r-2" })).type).toBe("state");
  });
});

describe("messages of rules about the whole request", () => {
  it('have no stray field prefix (the fuzz found ": minutes_per_second applies only to clock live")', async () => {
    const response = await http(server.baseUrl, "POST", "/reset", { minutes_per_second: 5 });
    expect(response.status).toBe(400);
    expect(dig(response.json, "message")).toBe("minutes_per_second applies only to clock live");
    expect(dig(response.json, "violations.0")).toMatchObject({ field: "", rule: "reset.rate_needs_live_clock" });
  });
});

describe('well-known types of the wrong form are refused naming their field (the fuzz found them named "" or by their parent)', () => {
  it.each([
    ["GET", `/episodes/${BYSTANDER}/logs?since=2020-13-01T00:00:00Z`, undefined, "since"],
    ["GET", `/episodes/${BYSTANDER}/events?since=-1`, undefined, "since"],
    ["POST", "/step", { episode_id: BYSTANDER, action: { action_type: "escalate", metadata: "not an object" } }, "action.metadata"],
    ["POST", "/step", { episode_id: BYSTANDER, action: { action_type: "escalate", metadata: [1, 2] } }, "action.metadata"],
  ])("%s %s %j", async (method, path, body, field) => {
    const before = await bystanderState();
    const response = await http(server.baseUrl, method, path, body);
    expect(response.status).toBe(400);
    expect(dig(response.json, "violations.0")).toMatchObject({ field, rule: "type.mismatch" });
    expect(dig(response.json, "message")).toMatch(
      new RegExp(`^${field.replace(".", "\\.")}: expected a (Timestamp|Struct) in its JSON form`),
    );
    expect(await bystanderState()).toBe(before);
  });
});

describe("numbers in strings are read one way on every surface", () => {
  it('"42" is the number 42 on /reset, /reset/batch, /ws and MCP', async () => {
    expect(
      dig((await http(server.baseUrl, "POST", "/reset", { seed: "42", episode_id: "seed-string" })).json, "observation"),
    ).toBeDefined();
    expect(dig((await http(server.baseUrl, "GET", "/state?episode_id=seed-string")).json, "seed")).toBe(42);
    const batch = await http(server.baseUrl, "POST", "/reset/batch", { items: [{ seed: "42", episode_id: "seed-string-batch" }] });
    expect(dig(batch.json, "results.0.response")).toBeDefined();
    expect(dig((await http(server.baseUrl, "GET", "/state?episode_id=seed-string-batch")).json, "seed")).toBe(42);
    expect(dig((await wsReset({ seed: "42" })).data, "seed")).toBe(42);
    expect(dig((await mcpReset({ seed: "42" })).state, "seed")).toBe(42);
  });

  it.each([" 42", "42 ", "0x2a", "+42", "042", "", "NaN", "4_2", "0b101"])("%j is refused everywhere, naming the field", async (seed) => {
    const rest = await http(server.baseUrl, "POST", "/reset", { seed, episode_id: "seed-refused" });
    expect(rest.status).toBe(400);
    expect(dig(rest.json, "violations.0")).toMatchObject({ field: "seed", rule: "type.mismatch" });
    const batch = await http(server.baseUrl, "POST", "/reset/batch", { items: [{ seed }] });
    expect(dig(batch.json, "results.0.error.violations.0")).toMatchObject({ field: "seed", rule: "type.mismatch" });
    const ws = await wsReset({ seed });
    expect([ws.type, ws.data.code, dig(ws.data, "errors.0.field")]).toEqual(["error", "VALIDATION_ERROR", "seed"]);
    const mcp = await mcpReset({ seed });
    expect(dig(mcp.error, "data.violations.0")).toMatchObject({ field: "arguments.seed", rule: "type.mismatch" });
    const sse = await http(server.baseUrl, "GET", `/episodes/${BYSTANDER}/logs?after_seq=${encodeURIComponent(seed)}`);
    expect([seed, sse.status, dig(sse.json, "violations.0.field")]).toEqual([seed, 400, "after_seq"]);
  });
});
