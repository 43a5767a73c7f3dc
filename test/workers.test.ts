/**
 * WORKERS: episodes simulated in worker threads behind one port. Through the real server on port
 * 0 with a pool of two workers: the same responses as one thread, episodes on every worker, the
 * default episode, capacity and eviction over all workers, and streams (following steps, ending,
 * resuming, slot limits, cancel and the stall watchdog).
 */
import { Code, ConnectError, createClient, type Client } from "@connectrpc/connect";
import { toBinary } from "@bufbuild/protobuf";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { describe, expect, it } from "vitest";
import WebSocket from "ws";
import { ActionType, TaskLevel } from "../gen/incident/v1/enums_pb.js";
import { IncidentEnvService, ResetResponseSchema, StepResponseSchema } from "../gen/incident/v1/service_pb.js";
import { shardOf } from "../src/env/workers/pool.js";
import { settingsFromEnv, startEnvironment, MAX_WORKERS } from "../src/env/start-environment.js";
import { WorkerPool } from "../src/env/workers/pool.js";
import { IncidentEnvironment } from "../src/env/environment.js";
import { rawConnectStream } from "./support/raw-stream.js";
import { dig, http, useServer, useWorkerServer } from "./support/server.js";

const WORKERS = 2;
const pooled = useWorkerServer({ workers: WORKERS });
const single = useServer();
const small = useWorkerServer({
  workers: WORKERS,
  limits: { maxLiveEpisodes: 3 },
  streamLimits: { maxSubscribersPerEpisode: 2, streamStallTimeoutMs: 1500 },
});

type EnvClient = Client<typeof IncidentEnvService>;
const grpc = (baseUrl: string): EnvClient => createClient(IncidentEnvService, createGrpcTransport({ baseUrl }));
const ESCALATE = { actionType: ActionType.ESCALATE, reasoning: "paging the owners" };

async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function codeOf(call: Promise<unknown>): Promise<Code | undefined> {
  try {
    await call;
    return undefined;
  } catch (e) {
    return ConnectError.from(e).code;
  }
}

/** A fixed script over REST: reset, inspect the paged service and two others, diagnose, resolve; every response text. */
async function script(baseUrl: string, level: string, seed: number, episodeId: string): Promise<string[]> {
  const reset = await http(baseUrl, "POST", "/reset", { task_level: level, seed, episode_id: episodeId });
  const services = (dig(reset.json, "observation.topology.services") as Array<{ name: string }>).map((s) => s.name);
  const paged = (dig(reset.json, "observation.alert.affected_services") as string[])[0] ?? services[0];
  const texts = [reset.text];
  const actions = [
    { action_type: "inspect", target_service: paged },
    { action_type: "inspect", target_service: services[1] },
    { action_type: "inspect", target_service: services[2] },
    // Reasoning outside ASCII comes back in previous_actions: the worker's UTF-8 bytes must match the thread's text.
    { action_type: "diagnose", target_service: paged, reasoning: "the paged service is failing (überlastet 🔥)" },
    { action_type: "resolve" },
  ];
  for (const action of actions) {
    const step = await http(baseUrl, "POST", "/step", { episode_id: episodeId, action });
    texts.push(step.text);
    if (dig(step.json, "done") === true) break;
  }
  texts.push((await http(baseUrl, "GET", `/state?episode_id=${episodeId}`)).text);
  texts.push((await http(baseUrl, "GET", `/observation?episode_id=${episodeId}`)).text);
  return texts;
}

describe("WORKERS: episodes in worker threads", () => {
  it("serves byte-identical episodes to one thread, with episodes on every worker", async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `w-${i}`);
    expect(new Set(ids.map((id) => shardOf(id, WORKERS))).size).toBe(WORKERS);
    const levels = ["easy", "medium", "hard", "expert"];
    const runs = ids.map(async (id, i) => {
      const level = levels[i % levels.length] ?? "easy";
      const [inPool, inThread] = await Promise.all([
        script(pooled.baseUrl, level, 100 + i, id),
        script(single.baseUrl, level, 100 + i, id),
      ]);
      expect(inPool).toEqual(inThread);
      expect(inPool.some((text) => text.includes("überlastet 🔥"))).toBe(true);
    });
    await Promise.all(runs);
    expect(dig((await http(pooled.baseUrl, "GET", "/health")).json, "live_episodes")).toBeGreaterThanOrEqual(ids.length);
  });

  it("gives gRPC, gRPC-Web, Connect binary and Connect JSON clients the same messages as one thread", async () => {
    const transports = {
      grpc: (baseUrl: string) => createGrpcTransport({ baseUrl }),
      grpcWeb: (baseUrl: string) => createGrpcWebTransport({ baseUrl, httpVersion: "1.1" }),
      connectBinary: (baseUrl: string) => createConnectTransport({ baseUrl, httpVersion: "2", useBinaryFormat: true }),
      connectJson: (baseUrl: string) => createConnectTransport({ baseUrl, httpVersion: "1.1", useBinaryFormat: false }),
    };
    for (const [name, transport] of Object.entries(transports)) {
      const play = async (baseUrl: string): Promise<Uint8Array[]> => {
        const client = createClient(IncidentEnvService, transport(baseUrl));
        const id = `rpc-${name}`;
        const reset = await client.reset({ taskLevel: TaskLevel.HARD, seed: 31, episodeId: id });
        const encoded = [toBinary(ResetResponseSchema, reset)];
        const services = reset.observation?.topology?.services.map((s) => s.name) ?? [];
        for (const target of services.slice(0, 3)) {
          encoded.push(
            toBinary(
              StepResponseSchema,
              await client.step({ episodeId: id, action: { actionType: ActionType.INSPECT, targetService: target } }),
            ),
          );
        }
        encoded.push(toBinary(StepResponseSchema, await client.step({ episodeId: id, action: { actionType: ActionType.RESOLVE } })));
        return encoded;
      };
      const [inPool, inThread] = await Promise.all([play(pooled.baseUrl), play(single.baseUrl)]);
      expect(inPool, name).toEqual(inThread);
    }
  });

  it("gives OpenEnv /ws clients the same messages as one thread (written in the worker), errors included", async () => {
    // One connection, messages answered in order: each reply is the next message received.
    const play = async (baseUrl: string): Promise<string[]> => {
      const ws = new WebSocket(`${baseUrl.replace(/^http/, "ws")}/ws`);
      const replies: string[] = [];
      const waiters: Array<(text: string) => void> = [];
      ws.on("message", (data: Buffer, isBinary: boolean) => {
        expect(isBinary).toBe(false); // OpenEnv's messages are text frames
        const text = data.toString("utf8");
        const waiter = waiters.shift();
        if (waiter) waiter(text);
        else replies.push(text);
      });
      await new Promise<void>((resolve, reject) => ws.once("open", () => resolve()).once("error", reject));
      const ask = (message: unknown): Promise<string> =>
        new Promise((resolve) => {
          waiters.push(resolve);
          ws.send(JSON.stringify(message));
        });
      const texts = [await ask({ type: "reset", data: { task_level: "hard", seed: 37, episode_id: "ws-pooled" } })];
      const services = (dig(JSON.parse(texts[0] as string), "data.observation.topology.services") as Array<{ name: string }>).map(
        (s) => s.name,
      );
      for (const target of services.slice(0, 3))
        texts.push(await ask({ type: "step", data: { action_type: "inspect", target_service: target } }));
      texts.push(await ask({ type: "step", data: { action_type: "inspect", target_service: "no-such-service" } }));
      // Echoed in previous_actions: text outside ASCII goes through the worker's UTF-8 bytes.
      texts.push(await ask({ type: "step", data: { action_type: "escalate", reasoning: "Überlast 🔥" } }));
      texts.push(await ask({ type: "step", data: { action_type: "resolve" } }));
      texts.push(await ask({ type: "step", data: { action_type: "resolve" } })); // after the end
      texts.push(await ask({ type: "reset", data: { task_level: "easy", seed: 5, episode_id: "ws-pooled-2" } }));
      ws.close();
      return [...texts, ...replies];
    };
    const [inPool, inThread] = await Promise.all([play(pooled.baseUrl), play(single.baseUrl)]);
    expect(inPool.length).toBe(9);
    expect(inPool.some((text) => text.includes("Überlast 🔥"))).toBe(true);
    expect(inPool.filter((t) => t.startsWith('{"type":"observation"')).length).toBeGreaterThanOrEqual(6);
    expect(inPool).toEqual(inThread);
  });

  it("keeps the default episode: requests without an id follow the last reset without one, whichever worker holds it", async () => {
    for (const seed of [1, 2, 3, 4]) {
      const reset = await http(pooled.baseUrl, "POST", "/reset", { task_level: "easy", seed });
      const id = dig(reset.json, "state.episode_id");
      const step = await http(pooled.baseUrl, "POST", "/step", { action_type: "escalate" });
      expect(step.status).toBe(200);
      expect(dig(step.json, "episode_id")).toBe(id);
      expect(dig((await http(pooled.baseUrl, "GET", "/state")).json, "step_count")).toBe(1);
      expect(dig((await http(pooled.baseUrl, "GET", "/observation")).json, "episode_id")).toBe(id);
    }
  });

  it("refuses what one thread refuses, with the same codes", async () => {
    expect((await http(pooled.baseUrl, "POST", "/step", { episode_id: "never-made", action: { action_type: "escalate" } })).status).toBe(
      404,
    );
    expect((await http(pooled.baseUrl, "POST", "/reset", { scenario_id: "no-such-scenario" })).status).toBe(400);
    await http(pooled.baseUrl, "POST", "/reset", { task_level: "easy", seed: 9, episode_id: "over" });
    await http(pooled.baseUrl, "POST", "/step", { episode_id: "over", action: { action_type: "resolve" } });
    const after = await http(pooled.baseUrl, "POST", "/step", { episode_id: "over", action: { action_type: "escalate" } });
    expect(after.status).toBe(409);
    // A refused restart leaves the episode as it was.
    expect((await http(pooled.baseUrl, "POST", "/reset", { episode_id: "over", scenario_id: "no-such-scenario" })).status).toBe(400);
    expect(dig((await http(pooled.baseUrl, "GET", "/state?episode_id=over")).json, "step_count")).toBe(1);
    const closed = await http(pooled.baseUrl, "DELETE", "/episodes/over");
    expect(closed.status).toBe(200);
    expect((await http(pooled.baseUrl, "GET", "/state?episode_id=over")).status).toBe(404);
  });

  it("holds MAX_LIVE_EPISODES over all workers: running episodes are kept, a finished one makes room", async () => {
    const ids = ["cap-a", "cap-b", "cap-c"];
    expect(new Set(ids.map((id) => shardOf(id, WORKERS))).size).toBe(WORKERS);
    for (const id of ids)
      expect((await http(small.baseUrl, "POST", "/reset", { task_level: "easy", seed: 5, episode_id: id })).status).toBe(200);
    const refused = await http(small.baseUrl, "POST", "/reset", { task_level: "easy", seed: 5, episode_id: "cap-d" });
    expect(refused.status).toBe(429);
    expect(dig(refused.json, "code")).toBe("resource_exhausted");
    // Concurrent resets cannot slip past the limit either.
    const burst = await Promise.all(
      ["cap-e", "cap-f", "cap-g"].map((id) => http(small.baseUrl, "POST", "/reset", { task_level: "easy", seed: 5, episode_id: id })),
    );
    expect(burst.map((r) => r.status)).toEqual([429, 429, 429]);
    await http(small.baseUrl, "POST", "/step", { episode_id: "cap-b", action: { action_type: "resolve" } });
    expect((await http(small.baseUrl, "POST", "/reset", { task_level: "easy", seed: 5, episode_id: "cap-d" })).status).toBe(200);
    expect((await http(small.baseUrl, "GET", "/state?episode_id=cap-b")).status).toBe(404);
    const health = (await http(small.baseUrl, "GET", "/health")).json;
    expect(dig(health, "live_episodes")).toBe(3);
    expect(dig(health, "max_live_episodes")).toBe(3);
    for (const id of ["cap-a", "cap-c", "cap-d"]) await http(small.baseUrl, "DELETE", `/episodes/${id}`);
  });
});

describe("WORKERS: streams", () => {
  it("a gRPC subscriber follows steps taken by another client and ends with the episode, with what one thread streams", async () => {
    const streamed = async (baseUrl: string): Promise<string[]> => {
      const client = grpc(baseUrl);
      await client.reset({ taskLevel: TaskLevel.MEDIUM, seed: 21, episodeId: "follow" });
      const lines: string[] = [];
      const reading = (async () => {
        for await (const m of client.streamLogs({ episodeId: "follow" }))
          lines.push(`${m.entry?.seq} ${m.entry?.service} ${m.entry?.message}`);
      })();
      for (let i = 0; i < 30; i++) if ((await client.step({ episodeId: "follow", action: ESCALATE })).done) break;
      await reading;
      return lines;
    };
    const [inPool, inThread] = await Promise.all([streamed(pooled.baseUrl), streamed(single.baseUrl)]);
    expect(inPool.length).toBeGreaterThan(20);
    expect(inPool).toEqual(inThread);
  });

  it("SSE resumes with Last-Event-ID and answers 204 once a finished episode has nothing more", async () => {
    const client = grpc(pooled.baseUrl);
    await client.reset({ taskLevel: TaskLevel.EASY, seed: 22, episodeId: "sse-pool" });
    for (let i = 0; i < 30; i++) if ((await client.step({ episodeId: "sse-pool", action: ESCALATE })).done) break;
    const all = await fetch(`${pooled.baseUrl}/episodes/sse-pool/logs`);
    const text = await all.text();
    const lastLine = Math.max(...[...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1])));
    const resumed = await fetch(`${pooled.baseUrl}/episodes/sse-pool/logs`, { headers: { "last-event-id": String(lastLine - 3) } });
    const logIds = (frames: string): number[] =>
      frames
        .split("\n\n")
        .filter((frame) => /^event: log$/m.test(frame))
        .map((frame) => Number(/^id: (\d+)$/m.exec(frame)?.[1]));
    const resumedIds = logIds(await resumed.text());
    expect(resumedIds).toEqual([lastLine - 2, lastLine - 1, lastLine]);
    const over = await fetch(`${pooled.baseUrl}/episodes/sse-pool/logs`, { headers: { "last-event-id": String(lastLine) } });
    expect(over.status).toBe(204);
  });

  it("MAX_SUBSCRIBERS_PER_EPISODE holds in the worker; a cancelled subscriber frees its slot at once", async () => {
    const client = grpc(small.baseUrl);
    await client.reset({ taskLevel: TaskLevel.EASY, seed: 23, episodeId: "slots" });
    const abort = new AbortController();
    const open = [0, 1].map(async () => {
      try {
        for await (const _ of client.streamLogs({ episodeId: "slots" }, { signal: abort.signal })) {
          // keep reading
        }
      } catch (e) {
        expect(ConnectError.from(e).code).toBe(Code.Canceled);
      }
    });
    await waitFor(async () => (await small.pool.streamsOf("slots")) === 2, "two streams");
    expect(dig((await http(small.baseUrl, "GET", "/health")).json, "live_streams")).toBe(2);
    expect(await codeOf(client.streamLogs({ episodeId: "slots" })[Symbol.asyncIterator]().next())).toBe(Code.ResourceExhausted);
    expect((await http(small.baseUrl, "GET", "/episodes/slots/events")).status).toBe(429);
    abort.abort();
    await Promise.all(open);
    await waitFor(async () => (await small.pool.streamsOf("slots")) === 0, "the slots to be freed", 2000);
    expect(dig((await http(small.baseUrl, "GET", "/health")).json, "live_streams")).toBe(0);
    await http(small.baseUrl, "DELETE", "/episodes/slots");
  });

  it("the stall watchdog drops a subscriber that stops reading, and frees its slot", async () => {
    const client = grpc(small.baseUrl);
    await client.reset({ taskLevel: TaskLevel.HARD, seed: 24, episodeId: "stall" });
    const stalled = rawConnectStream(small.baseUrl, "/incident.v1.IncidentEnvService/StreamEpisodeEvents", { episodeId: "stall" }, 256);
    await waitFor(async () => (await small.pool.streamsOf("stall")) === 1, "the stream");
    for (let i = 0; i < 6; i++) await client.step({ episodeId: "stall", action: ESCALATE });
    await stalled.whenClosed;
    expect(stalled.end).toBeUndefined(); // dropped, not ended
    await waitFor(async () => (await small.pool.streamsOf("stall")) === 0, "the stalled slot to be freed", 3000);
    expect(dig((await http(small.baseUrl, "GET", "/health")).json, "live_streams")).toBe(0);
    await http(small.baseUrl, "DELETE", "/episodes/stall");
  });
});

describe("WORKERS: a worker that dies", () => {
  it("fails its episodes with unavailable or not_found, never a hang, and a new worker serves new episodes", async () => {
    const client = grpc(pooled.baseUrl);
    const victim = "doomed-1";
    const survivor = ["keep-1", "keep-2", "keep-3", "keep-4"].find((id) => shardOf(id, WORKERS) !== shardOf(victim, WORKERS)) ?? "keep-1";
    await client.reset({ taskLevel: TaskLevel.EASY, seed: 41, episodeId: victim });
    await client.reset({ taskLevel: TaskLevel.EASY, seed: 42, episodeId: survivor });
    const dying = pooled.pool.threadFor(victim);
    const inFlight = client.step({ episodeId: victim, action: ESCALATE }).then(
      () => "answered",
      (e: unknown) => ConnectError.from(e).code,
    );
    await dying.kill();
    // A step already on its way is either answered or fails with unavailable; afterwards the episode is gone.
    expect(["answered", Code.Unavailable]).toContain(await inFlight);
    await waitFor(() => pooled.pool.threadFor(victim).alive && pooled.pool.threadFor(victim) !== dying, "the replacement worker");
    expect(await codeOf(client.step({ episodeId: victim, action: ESCALATE }))).toBe(Code.NotFound);
    // The other worker's episode plays on; the dead worker's shard takes new episodes.
    expect((await client.step({ episodeId: survivor, action: ESCALATE })).observation?.step).toBe(1);
    const again = await client.reset({ taskLevel: TaskLevel.EASY, seed: 41, episodeId: victim });
    expect(again.episodeId).toBe(victim);
    expect((await client.step({ episodeId: victim, action: ESCALATE })).observation?.step).toBe(1);
  });
});

describe("WORKERS setting", () => {
  it("defaults to the machine's cores, accepts 1 to MAX_WORKERS, rejects nonsense", async () => {
    expect(settingsFromEnv({}).workers).toBeGreaterThanOrEqual(1);
    expect(settingsFromEnv({ WORKERS: "3" }).workers).toBe(3);
    for (const bad of ["0", "-1", "1.5", "many", String(MAX_WORKERS + 1)])
      expect(() => settingsFromEnv({ WORKERS: bad })).toThrow(/WORKERS/);
    const one = await startEnvironment(settingsFromEnv({ WORKERS: "1" }));
    expect(one).toBeInstanceOf(IncidentEnvironment);
    const two = await startEnvironment(settingsFromEnv({ WORKERS: "2" }));
    expect(two).toBeInstanceOf(WorkerPool);
    expect((two as WorkerPool).workers).toBe(2);
    await two.shutdown();
  });
});
