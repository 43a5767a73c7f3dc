/**
 * The OpenEnv WebSocket protocol on /ws with a `ws` client, message for message as OpenEnv's
 * Python EnvClient speaks it: reset (episode_id honoured), step (bare action, "metadata"
 * accepted), state, close; every error code (INVALID_JSON, UNKNOWN_TYPE, VALIDATION_ERROR,
 * EXECUTION_ERROR, CAPACITY_REACHED then close); pings; the session's episode being a normal
 * episode (Connect GetState and StreamLogs see it); its end with the connection; MCP messages.
 */
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import WebSocket from "ws";
import { EpisodeStatus } from "../gen/incident/v1/enums_pb.js";
import { IncidentEnvService } from "../gen/incident/v1/service_pb.js";
import { dig, http, useServer } from "./support/server.js";

const server = useServer();
const tight = useServer({ streamLimits: { wsMaxSessions: 2, wsPingIntervalMs: 150, wsMaxMessageBytes: 4096 } });

type Reply = { type: string; data: Record<string, unknown> };

interface Conn {
  ws: WebSocket;
  /** The next reply (in order). */
  next(timeoutMs?: number): Promise<Reply>;
  send(message: unknown): void;
  request(message: unknown): Promise<Reply>;
  closed: Promise<{ code: number; reason: string }>;
}

function connect(baseUrl: string, options: WebSocket.ClientOptions = {}): Promise<Conn> {
  const ws = new WebSocket(`${baseUrl.replace(/^http/, "ws")}/ws`, options);
  const queue: Reply[] = [];
  const waiting: Array<(reply: Reply) => void> = [];
  ws.on("message", (data) => {
    const reply = JSON.parse(String(data)) as Reply;
    const waiter = waiting.shift();
    if (waiter) waiter(reply);
    else queue.push(reply);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on("close", (code, reason) => resolve({ code, reason: String(reason) })),
  );
  const conn: Conn = {
    ws,
    closed,
    next(timeoutMs = 5000) {
      const queued = queue.shift();
      if (queued) return Promise.resolve(queued);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("no reply")), timeoutMs);
        waiting.push((reply) => {
          clearTimeout(timer);
          resolve(reply);
        });
      });
    },
    send(message) {
      ws.send(typeof message === "string" ? message : JSON.stringify(message));
    },
    request(message) {
      conn.send(message);
      return conn.next();
    },
  };
  return new Promise((resolve, reject) => {
    ws.once("open", () => resolve(conn));
    ws.once("error", reject);
  });
}

async function schemas(baseUrl: string) {
  const schema = (await http(baseUrl, "GET", "/schema")).json;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addFormat("date-time", true);
  return { observation: ajv.compile(dig(schema, "observation") as object), state: ajv.compile(dig(schema, "state") as object) };
}

async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const grpc = () => createClient(IncidentEnvService, createGrpcTransport({ baseUrl: server.baseUrl }));

describe("the OpenEnv exchange", () => {
  it("reset (episode_id and seed honoured), step with metadata, state, close; the episode is a normal episode", async () => {
    const { observation: observationValid, state: stateValid } = await schemas(server.baseUrl);
    const conn = await connect(server.baseUrl);

    const reset = await conn.request({
      type: "reset",
      data: { seed: 42, episode_id: "ws-play", task_level: "easy", scenario_id: "INC-EASY-001" },
    });
    expect(reset.type).toBe("observation");
    expect(Object.keys(reset.data).sort()).toEqual(["done", "observation", "reward"]);
    expect(reset.data.reward).toBeNull();
    expect(reset.data.done).toBe(false);
    expect(observationValid(reset.data.observation), JSON.stringify(observationValid.errors)).toBe(true);

    // Visible over Connect by the same id, and streamable.
    expect((await grpc().getState({ episodeId: "ws-play" })).state?.seed).toBe(42);
    const lines = grpc().streamLogs({ episodeId: "ws-play" })[Symbol.asyncIterator]();
    expect((await lines.next()).value?.entry?.seq).toBe(1);
    await lines.return?.();

    const inspect = await conn.request({
      type: "step",
      data: { action_type: "inspect", target_service: "postgres-db", reasoning: "look closer", metadata: {} },
    });
    expect(inspect.type).toBe("observation");
    expect(Object.keys(inspect.data).sort()).toEqual(["done", "observation", "reward"]);
    expect(typeof inspect.data.reward).toBe("number");
    expect(inspect.data.done).toBe(false);
    expect(dig(inspect.data, "observation.inspection.service")).toBe("postgres-db");
    expect(observationValid(inspect.data.observation), JSON.stringify(observationValid.errors)).toBe(true);

    const state = await conn.request({ type: "state" });
    expect(state.type).toBe("state");
    expect(state.data).toMatchObject({ episode_id: "ws-play", step_count: 1, status: "running" });
    expect(stateValid(state.data), JSON.stringify(stateValid.errors)).toBe(true);
    expect((await grpc().getState({ episodeId: "ws-play" })).state?.stepCount).toBe(1);

    const diagnose = await conn.request({
      type: "step",
      data: { action_type: "diagnose", target_service: "postgres-db", reasoning: "connection slots exhausted", metadata: { run: 7 } },
    });
    expect(diagnose.data.done).toBe(true);
    expect(diagnose.data.reward).toBeGreaterThan(0.5);

    conn.send({ type: "close" });
    expect((await conn.closed).code).toBe(1000);
    // A finished episode stays readable after its connection is gone.
    expect((await grpc().getState({ episodeId: "ws-play" })).state?.status).toBe(EpisodeStatus.TERMINATED_SUCCESS);
  });

  it("names the episode itself when reset gives no id, without touching the REST default episode", async () => {
    const rest = await http(server.baseUrl, "POST", "/reset", { seed: 1 });
    const defaultId = dig(rest.json, "episode_id");
    const conn = await connect(server.baseUrl);
    await conn.request({ type: "reset" }); // no data at all
    const state = await conn.request({ type: "state", data: {} }); // a data key on state is tolerated
    expect(String(state.data.episode_id)).toMatch(/^ws-[0-9a-f-]{36}$/);
    expect(state.data.step_count).toBe(0);
    expect(dig((await http(server.baseUrl, "GET", "/state")).json, "episode_id")).toBe(defaultId);
    conn.ws.close();
    await conn.closed;
  });

  it("replies to pipelined messages one each, in order, and accepts an action wrapped as {action: ...}", async () => {
    const conn = await connect(server.baseUrl);
    conn.send({ type: "reset", data: { seed: 3, episode_id: "ws-order" } });
    conn.send({ type: "step", data: { action: { action_type: "escalate" } } });
    conn.send({ type: "bogus" });
    conn.send({ type: "state" });
    conn.send({ type: "step", data: { action_type: "escalate" } });
    const replies = [await conn.next(), await conn.next(), await conn.next(), await conn.next(), await conn.next()];
    expect(replies.map((r) => r.type)).toEqual(["observation", "observation", "error", "state", "observation"]);
    expect(replies[3]?.data.step_count).toBe(1);
    expect(dig(replies[4]?.data, "observation.step")).toBe(2);
    conn.ws.close();
    await conn.closed;
  });

  it("a second reset with another id closes the first, still running, episode", async () => {
    const conn = await connect(server.baseUrl);
    await conn.request({ type: "reset", data: { episode_id: "ws-first" } });
    await conn.request({ type: "reset", data: { episode_id: "ws-second" } });
    expect((await http(server.baseUrl, "GET", "/state?episode_id=ws-first")).status).toBe(404);
    expect((await conn.request({ type: "state" })).data.episode_id).toBe("ws-second");
    conn.ws.close();
    await conn.closed;
  });

  it("a running episode is closed when its connection drops: its streams end and its slot frees", async () => {
    const conn = await connect(server.baseUrl);
    await conn.request({ type: "reset", data: { episode_id: "ws-dropped", task_level: "medium" } });
    const events: Array<string | undefined> = [];
    const stream = (async () => {
      for await (const m of grpc().streamEpisodeEvents({ episodeId: "ws-dropped", kinds: [3] })) events.push(m.event?.kind.case);
    })();
    await waitFor(() => events.length === 1, "the opening status");
    conn.ws.terminate(); // no close message: the network went away
    await stream; // ends with the episode
    expect(events).toEqual(["status", "status"]);
    expect((await http(server.baseUrl, "GET", "/state?episode_id=ws-dropped")).status).toBe(404);
  });

  it("speaks MCP on the connection's episode", async () => {
    const conn = await connect(server.baseUrl);
    const list = await conn.request({ type: "mcp", data: { jsonrpc: "2.0", id: 1, method: "tools/list" } });
    expect(list.type).toBe("mcp");
    expect((dig(list.data, "result.tools") as Array<{ name: string }>).map((t) => t.name)).toContain("diagnose");
    const reset = await conn.request({
      type: "mcp",
      data: { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "reset", arguments: { seed: 4 } } },
    });
    const episodeId = String(dig(reset.data, "result.structuredContent.episode_id"));
    expect(episodeId).toMatch(/^ws-/);
    const state = await conn.request({ type: "state" });
    expect(state.data.episode_id).toBe(episodeId); // MCP's reset is the connection's episode
    const step = await conn.request({ type: "step", data: { action_type: "escalate" } });
    expect(dig(step.data, "observation.step")).toBe(1);
    const viaMcp = await conn.request({
      type: "mcp",
      data: { jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "get_state", arguments: {} } },
    });
    expect(dig(viaMcp.data, "result.structuredContent.step_count")).toBe(1);
    const bad = await conn.request({ type: "mcp", data: {} });
    expect(dig(bad.data, "error.code")).toBe(-32600);
    conn.ws.close();
    await conn.closed;
  });
});

describe("error codes (the socket stays open after each)", () => {
  it.each([
    ["INVALID_JSON", "malformed JSON", "{nope", undefined],
    ["UNKNOWN_TYPE", "an unknown type", { type: "dance" }, undefined],
    ["UNKNOWN_TYPE", "no type", { data: {} }, undefined],
    ["VALIDATION_ERROR", "a message that is not an object", [1, 2, 3], "type.object"],
    ["VALIDATION_ERROR", "a step without data", { type: "step" }, "required"],
    ["VALIDATION_ERROR", "a step whose data is not an object", { type: "step", data: "diagnose" }, "required"],
    ["VALIDATION_ERROR", "an unknown action field", { type: "step", data: { action_type: "diagnose", target_sevice: "x" } }, "field.known"],
    ["VALIDATION_ERROR", "an invented action type", { type: "step", data: { action_type: "dance" } }, "enum.defined_only"],
    ["VALIDATION_ERROR", "a missing action type", { type: "step", data: { reasoning: "hm" } }, "required"],
    [
      "VALIDATION_ERROR",
      "an oversized reasoning",
      { type: "step", data: { action_type: "escalate", reasoning: "x".repeat(4001) } },
      "string.max_len",
    ],
    ["VALIDATION_ERROR", "a reset with a negative seed", { type: "reset", data: { seed: -1 } }, "type.mismatch"],
    ["VALIDATION_ERROR", "a reset with an unknown scenario", { type: "reset", data: { scenario_id: "INC-NOPE-1" } }, "scenario.exists"],
    ["VALIDATION_ERROR", "a reset with a live clock and no rate", { type: "reset", data: { clock: "live" } }, "reset.live_clock_rate"],
    ["VALIDATION_ERROR", "reset data that is not an object", { type: "reset", data: 5 }, "type.object"],
  ])("%s for %s", async (code, _label, message, rule) => {
    const conn = await connect(server.baseUrl);
    await conn.request({ type: "reset", data: { episode_id: "ws-errors", seed: 2 } });
    const before = await conn.request({ type: "state" });
    const reply = await conn.request(message);
    expect(reply.type).toBe("error");
    expect(reply.data.code).toBe(code);
    expect(typeof reply.data.message).toBe("string");
    if (code === "VALIDATION_ERROR") {
      const errors = reply.data.errors as Array<{ field: string; rule: string; message: string }>;
      expect(Array.isArray(errors)).toBe(true);
      expect(errors[0]?.rule).toBe(rule);
    } else {
      expect(Object.keys(reply.data).sort()).toEqual(["code", "message"]);
    }
    // Nothing changed, and the session goes on.
    expect(await conn.request({ type: "state" })).toEqual(before);
    conn.ws.close();
    await conn.closed;
  });

  it("EXECUTION_ERROR for step or state before reset, and for a step after the episode ended", async () => {
    const conn = await connect(server.baseUrl);
    for (const message of [{ type: "step", data: { action_type: "escalate" } }, { type: "state" }]) {
      const reply = await conn.request(message);
      expect(reply).toMatchObject({ type: "error", data: { code: "EXECUTION_ERROR" } });
      expect(String(reply.data.message)).toMatch(/reset first/);
    }
    await conn.request({ type: "reset", data: { episode_id: "ws-over", seed: 2 } });
    const end = await conn.request({ type: "step", data: { action_type: "resolve" } });
    expect(end.data.done).toBe(true);
    const after = await conn.request({ type: "step", data: { action_type: "escalate" } });
    expect(after).toMatchObject({ type: "error", data: { code: "EXECUTION_ERROR" } });
    expect(String(after.data.message)).toMatch(/is over/);
    expect((await conn.request({ type: "state" })).data.step_count).toBe(1);
    conn.ws.close();
    await conn.closed;
  });

  it("CAPACITY_REACHED right after the upgrade when WS_MAX_SESSIONS are open, then the socket closes; a freed slot is usable", async () => {
    const first = await connect(tight.baseUrl);
    const second = await connect(tight.baseUrl);
    const third = await connect(tight.baseUrl);
    const refusal = await third.next();
    expect(refusal).toEqual({
      type: "error",
      data: { code: "CAPACITY_REACHED", message: expect.stringMatching(/WS_MAX_SESSIONS/) as unknown, active_sessions: 2, max_sessions: 2 },
    });
    expect((await third.closed).code).toBe(1013);
    // The first two are unaffected.
    expect((await first.request({ type: "reset", data: { episode_id: "cap-a" } })).type).toBe("observation");
    first.send({ type: "close" });
    await first.closed;
    const fourth = await connect(tight.baseUrl);
    expect((await fourth.request({ type: "reset", data: { episode_id: "cap-b" } })).type).toBe("observation");
    for (const c of [second, fourth]) {
      c.ws.close();
      await c.closed;
    }
  });
});

describe("plain HTTP on /ws", () => {
  it("answers 426 Upgrade Required in the common error shape", async () => {
    const response = await http(server.baseUrl, "GET", "/ws");
    expect(response.status).toBe(426);
    expect(Object.keys(response.json as object).sort()).toEqual(["code", "message", "violations"]);
  });
});

describe("liveness and size", () => {
  it("answers WebSocket pings, and pings its clients", async () => {
    const conn = await connect(tight.baseUrl);
    const pong = new Promise<string>((resolve) => conn.ws.once("pong", (data) => resolve(String(data))));
    conn.ws.ping("are you there");
    expect(await pong).toBe("are you there");
    await new Promise<void>((resolve) => conn.ws.once("ping", () => resolve()));
    conn.ws.close();
    await conn.closed;
  });

  it("drops a client that does not answer the server's pings", async () => {
    const conn = await connect(tight.baseUrl, { autoPong: false });
    const { code } = await conn.closed;
    expect(code).toBe(1006); // terminated
  });

  it("closes the socket with 1009 on a message over WS_MAX_MESSAGE_BYTES", async () => {
    const conn = await connect(tight.baseUrl);
    conn.send({ type: "step", data: { action_type: "escalate", reasoning: "x".repeat(5000) } });
    expect((await conn.closed).code).toBe(1009);
  });
});
