/**
 * ListEpisodes (src/env/episode-listing.ts, src/env/episode-access.ts): GET /episodes and the RPC
 * list the live episodes a caller may see with their level, scenario, step, score, status and the
 * transport that played them last; with API keys a key lists only its own episodes. In memory,
 * over worker threads (WORKERS) and on the shared store (EPISODE_STORE).
 */
import { createClient, type Client } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { ActionType, ClientTransport, EpisodeStatus, TaskLevel } from "../gen/incident/v1/enums_pb.js";
import { IncidentEnvService } from "../gen/incident/v1/service_pb.js";
import type { EnvironmentApi } from "../src/env/api.js";
import { IncidentEnvironment } from "../src/env/environment.js";
import { LIST_EPISODES_DEFAULT, LIST_EPISODES_MAX } from "../src/env/episode-listing.js";
import { WorkerPool } from "../src/env/workers/pool.js";
import { ApiKeys } from "../src/server/api-keys.js";
import { buildApp, type App } from "../src/server/app.js";
import { testRedis } from "./support/redis.js";
import { startReplicaServer } from "./support/shared-store-server.js";
import { http } from "./support/server.js";

type EnvClient = Client<typeof IncidentEnvService>;
const ALICE = "alice-token-0123456789abcdef";
const BOB = "bob-token-0123456789abcdef00";
const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

interface Listed {
  episodes: {
    state: {
      episode_id: string;
      step_count: number;
      task_level: string;
      scenario_id: string;
      status: string;
      total_reward: number;
      grade?: unknown;
    };
    transport: string;
    last_active: string;
  }[];
  truncated: boolean;
}

function useApp(make: () => Promise<EnvironmentApi>, apiKeys?: ApiKeys): { baseUrl: string; built: App } {
  const running = { baseUrl: "", built: undefined as unknown as App };
  beforeAll(async () => {
    running.built = await buildApp({ env: await make(), logLevel: false, ...(apiKeys ? { apiKeys } : {}) });
    await running.built.app.listen({ port: 0, host: "127.0.0.1" });
    running.baseUrl = `http://127.0.0.1:${(running.built.app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await running.built?.app.close();
    await running.built?.env.shutdown();
  });
  return running;
}

async function list(baseUrl: string, query = "", headers: Record<string, string> = {}): Promise<Listed> {
  const answer = await http(baseUrl, "GET", `/episodes${query}`, undefined, headers);
  expect(answer.status, answer.text).toBe(200);
  return answer.json as Listed;
}

const byId = (listed: Listed, id: string) => listed.episodes.find((e) => e.state.episode_id === id);

describe.each([
  ["one thread", async () => new IncidentEnvironment({ limits: { warmEpisodes: 2 } })],
  ["WORKERS=2", async () => WorkerPool.start({ workers: 2 })],
] as const)("ListEpisodes (%s)", (_name, make) => {
  const server = useApp(make);

  it("lists each episode with its level, scenario, step, score, status and the transport that played it last", async () => {
    const tag = randomUUID().slice(0, 8);
    const grpc: EnvClient = createClient(IncidentEnvService, createGrpcTransport({ baseUrl: server.baseUrl }));
    const grpcWeb: EnvClient = createClient(IncidentEnvService, createGrpcWebTransport({ baseUrl: server.baseUrl, httpVersion: "1.1" }));
    await http(server.baseUrl, "POST", "/reset", { episode_id: `rest-${tag}`, task_level: "medium", seed: 7 });
    await http(server.baseUrl, "POST", "/step", { episode_id: `rest-${tag}`, action: { action_type: "escalate", reasoning: "paging" } });
    await grpc.reset({ episodeId: `grpc-${tag}`, taskLevel: TaskLevel.EASY, seed: 3 });
    await grpcWeb.reset({ episodeId: `web-${tag}`, taskLevel: TaskLevel.EASY, seed: 4 });
    await http(server.baseUrl, "POST", "/reset", { episode_id: `console-${tag}`, seed: 5 }, { "x-incident-client": "console" });
    const connectJson: EnvClient = createClient(
      IncidentEnvService,
      createConnectTransport({ baseUrl: server.baseUrl, httpVersion: "1.1", useBinaryFormat: false }),
    );
    await connectJson.reset({ episodeId: `connect-${tag}`, seed: 13 });
    // A REST reset then a gRPC step: the last one counts.
    await http(server.baseUrl, "POST", "/reset", { episode_id: `moved-${tag}`, seed: 6 });
    await grpc.step({ episodeId: `moved-${tag}`, action: { actionType: ActionType.RESOLVE } });
    // Many episodes so that some sleep (WARM_EPISODES=2 in one thread): a sleeping one is listed as it was.
    const listed = await list(server.baseUrl);
    const rest = byId(listed, `rest-${tag}`);
    expect(rest?.state).toMatchObject({ step_count: 1, task_level: "medium", status: "running", total_reward: 0 });
    expect(rest?.state.scenario_id).not.toBe("");
    expect(rest?.transport).toBe("rest");
    expect(byId(listed, `grpc-${tag}`)?.transport).toBe("grpc");
    expect(byId(listed, `web-${tag}`)?.transport).toBe("grpc_web");
    expect(byId(listed, `console-${tag}`)?.transport).toBe("console");
    expect(byId(listed, `connect-${tag}`)?.transport).toBe("connect");
    const moved = byId(listed, `moved-${tag}`);
    expect(moved?.transport).toBe("grpc");
    expect(moved?.state.status).not.toBe("running");
    expect(moved?.state.grade ?? null).toBeNull(); // GetState has the grade
    // Most recently active first.
    expect(listed.episodes[0]?.state.episode_id).toBe(`moved-${tag}`);

    // The same over Connect (JSON), where the listing itself is not a play.
    const connect: EnvClient = createClient(
      IncidentEnvService,
      createConnectTransport({ baseUrl: server.baseUrl, httpVersion: "1.1", useBinaryFormat: false }),
    );
    const answer = await connect.listEpisodes({});
    const viaRpc = answer.episodes.find((e) => e.state?.episodeId === `grpc-${tag}`);
    expect(viaRpc?.transport).toBe(ClientTransport.GRPC);
    expect(viaRpc?.state?.taskLevel).toBe(TaskLevel.EASY);
    expect(viaRpc?.state?.status).toBe(EpisodeStatus.RUNNING);
    expect(answer.episodes.length).toBe(listed.episodes.length);
  });

  it("knows who plays over /ws, MCP, and in the default episode of plain REST (answered pre-encoded by worker threads)", async () => {
    const tag = randomUUID().slice(0, 8);
    const socket = new WebSocket(`${server.baseUrl.replace("http", "ws")}/ws`);
    await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
    const reply = new Promise((resolve) => socket.once("message", resolve));
    socket.send(JSON.stringify({ type: "reset", data: { episode_id: `ws-${tag}`, seed: 9 } }));
    await reply; // the socket stays open: closing it ends its episode
    const mcp = async (body: unknown, headers: Record<string, string> = {}) => {
      const response = await fetch(`${server.baseUrl}/mcp`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers },
        body: JSON.stringify(body),
      });
      await response.text();
      return response.headers.get("mcp-session-id") ?? "";
    };
    const session = await mcp({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18" } });
    await mcp(
      { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "reset", arguments: { seed: 10 } } },
      { "mcp-session-id": session },
    );
    const plain = (await http(server.baseUrl, "POST", "/reset", {})).json as { episode_id: string; observation: { step: number } };
    expect(plain.observation.step).toBe(0);
    await http(server.baseUrl, "POST", "/step", { action: { action_type: "escalate", reasoning: "paging" } });
    const listed = await list(server.baseUrl);
    expect(byId(listed, `ws-${tag}`)?.transport).toBe("ws");
    expect(byId(listed, session)?.transport).toBe("mcp");
    expect(byId(listed, plain.episode_id)).toMatchObject({ transport: "rest", state: { step_count: 1 } });
    socket.close();
  });

  it("cuts the page at page_size and says so; refuses a bad page_size on both transports", async () => {
    const tag = randomUUID().slice(0, 8);
    for (const n of [1, 2, 3]) await http(server.baseUrl, "POST", "/reset", { episode_id: `page-${n}-${tag}` });
    const one = await list(server.baseUrl, "?page_size=1");
    expect(one.episodes).toHaveLength(1);
    expect(one.truncated).toBe(true);
    expect(one.episodes[0]?.state.episode_id).toBe(`page-3-${tag}`);
    for (const bad of ["501", "-1", "many"]) {
      const refused = await http(server.baseUrl, "GET", `/episodes?page_size=${bad}`);
      expect(refused.status, bad).toBe(400);
      expect((refused.json as { code: string }).code).toBe("invalid_argument");
    }
    const grpc: EnvClient = createClient(IncidentEnvService, createGrpcTransport({ baseUrl: server.baseUrl }));
    await expect(grpc.listEpisodes({ pageSize: 501 })).rejects.toThrow(/page_size/);
    // Without page_size: LIST_EPISODES_DEFAULT (100) episodes; 500 at most.
    const batch = await http(server.baseUrl, "POST", "/reset/batch", {
      items: Array.from({ length: 101 }, (_, i) => ({ episode_id: `many-${i}-${tag}` })),
    });
    expect(batch.status).toBe(200);
    const page = await list(server.baseUrl);
    expect(page.episodes).toHaveLength(LIST_EPISODES_DEFAULT);
    expect(page.truncated).toBe(true);
    const all = await list(server.baseUrl, `?page_size=${LIST_EPISODES_MAX}`);
    expect(all.episodes.length).toBeGreaterThanOrEqual(104);
    expect(all.truncated).toBe(false);
  });
});

describe("ListEpisodes with API keys", () => {
  const server = useApp(
    async () => new IncidentEnvironment(),
    new ApiKeys([
      { name: "alice", token: ALICE },
      { name: "bob", token: BOB },
    ]),
  );

  it("lists only the caller's key's episodes, in its own ids, on REST and gRPC", async () => {
    await http(server.baseUrl, "POST", "/reset", { episode_id: "mine" }, bearer(ALICE));
    await http(server.baseUrl, "POST", "/reset", { episode_id: "theirs" }, bearer(BOB));
    const alice = await list(server.baseUrl, "", bearer(ALICE));
    expect(alice.episodes.map((e) => e.state.episode_id)).toEqual(["mine"]);
    const bob = await list(server.baseUrl, "", bearer(BOB));
    expect(bob.episodes.map((e) => e.state.episode_id)).toEqual(["theirs"]);
    const grpc: EnvClient = createClient(
      IncidentEnvService,
      createGrpcTransport({
        baseUrl: server.baseUrl,
        interceptors: [(next) => (req) => (req.header.set("authorization", `Bearer ${BOB}`), next(req))],
      }),
    );
    expect((await grpc.listEpisodes({})).episodes.map((e) => e.state?.episodeId)).toEqual(["theirs"]);
    expect((await http(server.baseUrl, "GET", "/episodes")).status).toBe(401);
  });
});

const redis = await testRedis();
describe.skipIf(redis.url === undefined)("ListEpisodes on the shared store", () => {
  afterAll(() => redis.stop());

  it("lists the store's episodes from any replica; the transport is known where it was played", async () => {
    const options = { store: { url: redis.url ?? "", prefix: `test-list-${randomUUID().slice(0, 8)}` } };
    const [a, b] = await Promise.all([startReplicaServer(options), startReplicaServer(options)]);
    try {
      await http(a.baseUrl, "POST", "/reset", { episode_id: "one", seed: 1 });
      await http(b.baseUrl, "POST", "/reset", { episode_id: "two", seed: 2 });
      await http(b.baseUrl, "POST", "/step", { episode_id: "two", action: { action_type: "escalate", reasoning: "paging" } });
      const fromA = await list(a.baseUrl);
      expect(fromA.episodes.map((e) => e.state.episode_id)).toEqual(["two", "one"]);
      expect(byId(fromA, "two")?.state.step_count).toBe(1);
      expect(byId(fromA, "one")?.transport).toBe("rest");
      expect(byId(fromA, "two")?.transport).toBe("unspecified"); // played on the other replica
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
