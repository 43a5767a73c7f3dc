/**
 * Who reaches which episode (src/env/episode-access.ts, src/server/callers.ts, src/server/api-keys.ts):
 * the default episode cannot leak slots or mix HTTP/2 clients, and with API keys every episode
 * belongs to its key, on every transport, without telling other keys that it exists.
 */
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient, type Client, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport, Http2SessionManager } from "@connectrpc/connect-node";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { ActionSchema } from "../gen/incident/v1/action_pb.js";
import { ActionType } from "../gen/incident/v1/enums_pb.js";
import { IncidentEnvService } from "../gen/incident/v1/service_pb.js";
import type { EnvironmentApi } from "../src/env/api.js";
import { IncidentEnvironment } from "../src/env/environment.js";
import { WorkerPool } from "../src/env/workers/pool.js";
import { ApiKeys, MIN_TOKEN_LENGTH } from "../src/server/api-keys.js";
import { buildApp, type App, type AppOptions } from "../src/server/app.js";
import { http } from "./support/server.js";

const ALICE = "alice-token-0123456789abcdef";
const BOB = "bob-token-0123456789abcdef00";
const KEYS = new ApiKeys([
  { name: "alice", token: ALICE },
  { name: "bob", token: BOB },
]);

interface Running {
  baseUrl: string;
  built: App;
}

function useApp(make: () => Promise<EnvironmentApi>, apiKeys?: ApiKeys, guard?: AppOptions["guard"]): Running {
  const running = { baseUrl: "", built: undefined as unknown as App };
  beforeAll(async () => {
    const env = await make();
    running.built = await buildApp({ env, logLevel: false, ...(apiKeys ? { apiKeys } : {}), ...(guard ? { guard } : {}) });
    await running.built.app.listen({ port: 0, host: "127.0.0.1" });
    running.baseUrl = `http://127.0.0.1:${(running.built.app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await running.built?.app.close();
    await running.built?.env.shutdown();
  });
  return running;
}

const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
const dig = (json: unknown, key: string): unknown => (json as Record<string, unknown>)[key];

async function until(check: () => Promise<boolean>, ms = 10_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

async function rpcCode(run: () => Promise<unknown>): Promise<Code | "ok"> {
  try {
    await run();
    return "ok";
  } catch (error) {
    return ConnectError.from(error).code;
  }
}

const escalate = () => create(ActionSchema, { actionType: ActionType.ESCALATE, reasoning: "paging the owner" });

describe.each([
  ["one thread", async () => new IncidentEnvironment({ limits: { maxLiveEpisodes: 5 } })],
  ["WORKERS=2", async () => WorkerPool.start({ workers: 2, limits: { maxLiveEpisodes: 5 } })],
] as const)("the default episode (%s)", (_name, make) => {
  const server = useApp(make);

  it("a reset without an episode_id closes the default it replaces: 30 such resets on 5 slots never run out of room", async () => {
    let previous: string | undefined;
    for (let i = 0; i < 30; i++) {
      const reset = await http(server.baseUrl, "POST", "/reset", { task_level: "easy", seed: i });
      expect(reset.status, reset.text).toBe(200);
      const id = dig(reset.json, "episode_id") as string;
      if (previous !== undefined) expect((await http(server.baseUrl, "GET", `/state?episode_id=${previous}`)).status).toBe(404);
      previous = id;
    }
    expect(dig((await http(server.baseUrl, "GET", "/health")).json, "live_episodes")).toBe(1);
    const step = await http(server.baseUrl, "POST", "/step", { action: { action_type: "escalate" } });
    expect(dig(step.json, "episode_id")).toBe(previous);
  });

  it("each HTTP/2 connection has a default episode of its own, which does not mix with another's or the plain HTTP one, and outlives the connection by its id", async () => {
    const manager = new Http2SessionManager(server.baseUrl);
    const mine = createClient(IncidentEnvService, createGrpcTransport({ baseUrl: server.baseUrl, sessionManager: manager }));
    const theirs = createClient(IncidentEnvService, createGrpcTransport({ baseUrl: server.baseUrl }));
    const restReset = await http(server.baseUrl, "POST", "/reset", { task_level: "easy", seed: 7 });
    const [a, b] = await Promise.all([mine.reset({ seed: 1 }), theirs.reset({ seed: 2 })]);
    expect(a.episodeId).not.toBe(b.episodeId);
    expect((await mine.step({ action: escalate() })).episodeId).toBe(a.episodeId);
    expect((await theirs.getState({})).state?.episodeId).toBe(b.episodeId);
    expect((await theirs.getState({})).state?.stepCount).toBe(0);
    // The plain HTTP default is untouched.
    expect(dig((await http(server.baseUrl, "GET", "/state")).json, "episode_id")).toBe(dig(restReset.json, "episode_id"));
    // A second reset on one connection closes that connection's previous default only.
    const again = await mine.reset({ seed: 3 });
    expect(await rpcCode(() => theirs.getState({ episodeId: a.episodeId }))).toBe(Code.NotFound);
    expect((await theirs.getState({ episodeId: b.episodeId })).state?.episodeId).toBe(b.episodeId);
    // The connection goes away: it is forgotten within moments, and its episode stays, by its id.
    manager.abort();
    expect(await until(async () => server.built.callers.access.scopedDefaults === 1)).toBe(true);
    expect((await theirs.getState({ episodeId: again.episodeId })).state?.stepCount).toBe(0);
    expect((await theirs.getState({})).state?.episodeId).toBe(b.episodeId);
    // A new connection has no default episode until it resets.
    expect(await rpcCode(() => createClient(IncidentEnvService, createGrpcTransport({ baseUrl: server.baseUrl })).getState({}))).toBe(
      Code.NotFound,
    );
  });
});

describe.each([
  ["one thread", async () => new IncidentEnvironment()],
  ["WORKERS=2", async () => WorkerPool.start({ workers: 2 })],
] as const)("API keys (%s)", (_name, make) => {
  const server = useApp(make, KEYS);
  const transports: Record<string, (token?: string) => Transport> = {
    gRPC: (token) =>
      createGrpcTransport({
        baseUrl: server.baseUrl,
        ...(token ? { interceptors: [(next) => (req) => (req.header.set("authorization", `Bearer ${token}`), next(req))] } : {}),
      }),
    "Connect JSON": (token) =>
      createConnectTransport({
        baseUrl: server.baseUrl,
        httpVersion: "1.1",
        ...(token ? { interceptors: [(next) => (req) => (req.header.set("authorization", `Bearer ${token}`), next(req))] } : {}),
      }),
    "gRPC-Web": (token) =>
      createGrpcWebTransport({
        baseUrl: server.baseUrl,
        httpVersion: "1.1",
        ...(token ? { interceptors: [(next) => (req) => (req.header.set("authorization", `Bearer ${token}`), next(req))] } : {}),
      }),
  };
  const client = (transport: string, token?: string): Client<typeof IncidentEnvService> =>
    createClient(IncidentEnvService, (transports[transport] as (t?: string) => Transport)(token));

  it("refuses requests without a valid key on every transport, and leaves /health, the Health RPC and the docs open", async () => {
    for (const [headers, why] of [
      [{}, "no key"],
      [bearer("not-a-key-but-long-enough"), "wrong key"],
      [{ authorization: `Basic ${Buffer.from(`alice:${ALICE}`).toString("base64")}` }, "wrong scheme"],
    ] as const) {
      const reset = await http(server.baseUrl, "POST", "/reset", {}, headers);
      expect(reset.status, why).toBe(401);
      expect(dig(reset.json, "code")).toBe("unauthenticated");
      for (const path of ["/state", "/tasks", "/episodes/x/logs", "/scenarios"])
        expect((await http(server.baseUrl, "GET", path, undefined, headers)).status, path).toBe(401);
      expect((await http(server.baseUrl, "POST", "/mcp", { jsonrpc: "2.0", id: 1, method: "tools/list" }, headers)).status).toBe(401);
    }
    const refused = await fetch(`${server.baseUrl}/reset`, { method: "POST" });
    expect(refused.headers.get("www-authenticate")).toMatch(/^Bearer /);
    for (const transport of Object.keys(transports)) {
      expect(await rpcCode(() => client(transport).reset({})), transport).toBe(Code.Unauthenticated);
      expect(await rpcCode(() => client(transport, "not-a-key-but-long-enough").listTasks({})), transport).toBe(Code.Unauthenticated);
      expect(await rpcCode(() => client(transport).health({})), transport).toBe("ok");
    }
    // The refused upgrade gets its 401, and the server closes the socket (the client waits for that).
    const upgrade = await new Promise<{ status: number; closed: Promise<boolean> }>((resolve, reject) => {
      const ws = new WebSocket(`${server.baseUrl.replace(/^http/, "ws")}/ws`);
      ws.on("unexpected-response", (req, res) => {
        const closed = new Promise<boolean>((done) => {
          req.socket?.once("close", () => done(true));
          setTimeout(() => done(false), 5000).unref();
        });
        res.resume();
        resolve({ status: res.statusCode ?? 0, closed });
      });
      ws.on("open", () => reject(new Error("upgraded without a key")));
      ws.on("error", () => undefined);
    });
    expect(upgrade.status).toBe(401);
    expect(await upgrade.closed).toBe(true);
    expect((await http(server.baseUrl, "GET", "/health")).status).toBe(200);
    expect((await http(server.baseUrl, "GET", "/openapi.json")).status).toBe(200);
  });

  it("an episode belongs to its key: another key gets exactly what it gets for an id never used, on every transport", async () => {
    const id = `owned-${Math.random().toString(36).slice(2)}`;
    const created = await http(server.baseUrl, "POST", "/reset", { task_level: "easy", seed: 5, episode_id: id }, bearer(ALICE));
    expect(created.status).toBe(200);
    expect(dig(created.json, "episode_id")).toBe(id);
    expect(dig(dig(created.json, "state"), "episode_id")).toBe(id);
    const aliceStep = await http(server.baseUrl, "POST", "/step", { episode_id: id, action: { action_type: "escalate" } }, bearer(ALICE));
    expect(dig(aliceStep.json, "episode_id")).toBe(id);

    const never = `never-${Math.random().toString(36).slice(2)}`;
    const same = (a: { status: number; text: string }, b: { status: number; text: string }): void => {
      expect(a.status).toBe(b.status);
      expect(a.text.split(id).join("ID")).toBe(b.text.split(never).join("ID"));
    };
    for (const [method, path, body] of [
      ["GET", "/state?episode_id=", undefined],
      ["GET", "/observation?episode_id=", undefined],
      ["GET", "/episodes/", undefined],
      ["DELETE", "/episodes/", undefined],
      ["GET", "/episodes/{}/logs", undefined],
      ["GET", "/episodes/{}/events", undefined],
    ] as const) {
      const at = (x: string) => (path.includes("{}") ? path.replace("{}", x) : path + x);
      const theirs = await http(server.baseUrl, method, at(id), body, bearer(BOB));
      expect(theirs.status, path).toBe(404);
      same(theirs, await http(server.baseUrl, method, at(never), body, bearer(BOB)));
    }
    const step = (x: string) => http(server.baseUrl, "POST", "/step", { episode_id: x, action: { action_type: "escalate" } }, bearer(BOB));
    same(await step(id), await step(never));
    const batch = (x: string) =>
      http(server.baseUrl, "POST", "/step/batch", { items: [{ episode_id: x, action: { action_type: "escalate" } }] }, bearer(BOB));
    same(await batch(id), await batch(never));
    const mcp = (x: string) =>
      http(
        server.baseUrl,
        "POST",
        "/mcp",
        { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "get_state", arguments: {}, session_id: x } },
        bearer(BOB),
      );
    same(await mcp(id), await mcp(never));
    for (const transport of Object.keys(transports)) {
      const bob = client(transport, BOB);
      expect(await rpcCode(() => bob.getState({ episodeId: id })), transport).toBe(Code.NotFound);
      expect(await rpcCode(() => bob.step({ episodeId: id, action: escalate() })), transport).toBe(Code.NotFound);
      expect(
        await rpcCode(async () => {
          for await (const _ of bob.streamLogs({ episodeId: id })) break;
        }),
        transport,
      ).toBe(Code.NotFound);
      const alice = client(transport, ALICE);
      expect((await alice.getState({ episodeId: id })).state?.episodeId, transport).toBe(id);
    }
    // Bob may use the same id: he gets an episode of his own, and Alice's is untouched.
    const bobs = await http(server.baseUrl, "POST", "/reset", { task_level: "medium", seed: 9, episode_id: id }, bearer(BOB));
    expect(bobs.status).toBe(200);
    expect(dig(bobs.json, "episode_id")).toBe(id);
    const aliceState = await http(server.baseUrl, "GET", `/state?episode_id=${id}`, undefined, bearer(ALICE));
    expect(dig(aliceState.json, "step_count")).toBe(1);
    expect(dig(aliceState.json, "task_level")).toBe("easy");
  });

  it("each key has its own default episode, and a key's /ws session and MCP sessions are its own", async () => {
    const aliceDefault = await http(server.baseUrl, "POST", "/reset", { seed: 3 }, bearer(ALICE));
    expect((await http(server.baseUrl, "POST", "/reset", { seed: 4 }, bearer(BOB))).status).toBe(200);
    await http(server.baseUrl, "POST", "/step", { action: { action_type: "escalate" } }, bearer(BOB));
    const state = await http(server.baseUrl, "GET", "/state", undefined, bearer(ALICE));
    expect(dig(state.json, "episode_id")).toBe(dig(aliceDefault.json, "episode_id"));
    expect(dig(state.json, "step_count")).toBe(0);

    const ws = new WebSocket(`${server.baseUrl.replace(/^http/, "ws")}/ws`, { headers: bearer(ALICE) });
    await new Promise((resolve, reject) => (ws.once("open", resolve), ws.once("error", reject)));
    const reply = new Promise<unknown>((resolve) => ws.once("message", (data) => resolve(JSON.parse(String(data)))));
    ws.send(JSON.stringify({ type: "reset", data: { seed: 11, episode_id: "ws-owned" } }));
    expect(dig(dig(await reply, "data"), "done")).toBe(false);
    expect((await http(server.baseUrl, "GET", "/state?episode_id=ws-owned", undefined, bearer(ALICE))).status).toBe(200);
    expect((await http(server.baseUrl, "GET", "/state?episode_id=ws-owned", undefined, bearer(BOB))).status).toBe(404);
    ws.close();
  });
});

describe("API keys with RATE_LIMIT_PER_MINUTE", () => {
  const server = useApp(async () => new IncidentEnvironment(), KEYS, { rateLimitPerMinute: 5 });

  it("counts each key on its own, even from one address", async () => {
    for (let i = 0; i < 5; i++) expect((await http(server.baseUrl, "GET", "/tasks", undefined, bearer(ALICE))).status).toBe(200);
    const refused = await http(server.baseUrl, "GET", "/tasks", undefined, bearer(ALICE));
    expect(refused.status).toBe(429);
    expect((await http(server.baseUrl, "GET", "/tasks", undefined, bearer(BOB))).status).toBe(200);
  });
});

describe("API key settings", () => {
  it("reads API_KEYS and API_KEYS_FILE, and refuses short tokens, bad names and repeats without printing a token", () => {
    expect(ApiKeys.fromEnv({})).toBeUndefined();
    const keys = ApiKeys.fromEnv({ API_KEYS: `alice:${ALICE}, bob:${BOB}` });
    expect(keys?.size).toBe(2);
    expect(keys?.authenticate(`Bearer ${BOB}`)).toBe("bob");
    expect(keys?.authenticate(`bearer   ${ALICE}`)).toBe("alice");
    expect(keys?.authenticate(`Bearer ${ALICE}x`)).toBeUndefined();
    expect(keys?.authenticate(undefined)).toBeUndefined();
    const short = "x".repeat(MIN_TOKEN_LENGTH - 1);
    expect(() => ApiKeys.fromEnv({ API_KEYS: `alice:${short}` })).toThrow(/at least 16 characters/);
    expect(() => ApiKeys.fromEnv({ API_KEYS: `al/ice:${ALICE}` })).toThrow(/name/);
    expect(() => ApiKeys.fromEnv({ API_KEYS: `alice:${ALICE},alice:${BOB}` })).toThrow(/twice/);
    expect(() => ApiKeys.fromEnv({ API_KEYS: `alice:${ALICE},bob:${ALICE}` })).toThrow(/share/);
    expect(() => ApiKeys.fromEnv({ API_KEYS: `${ALICE}` })).toThrow(new RegExp(`^((?!${ALICE}).)*$`));
    expect(() => ApiKeys.fromEnv({ API_KEYS_FILE: "/nonexistent/keys" })).toThrow(/cannot read \/nonexistent\/keys \(ENOENT\)/);
  });
});
