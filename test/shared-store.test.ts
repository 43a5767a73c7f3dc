/**
 * EPISODE_STORE: episodes in a shared Valkey/Redis store, served by any replica. Through real
 * servers on port 0: two server processes sharing one store, episodes alternating between them
 * step by step, one killed with SIGKILL mid-episode and its episodes finished on the other, a
 * restarted one continuing the open episodes, all byte-identical to one in-memory process;
 * concurrent steps on one episode from both replicas applied exactly once each; a stream on one
 * replica following steps on the other with the in-memory sequence numbers, resumed on the other
 * with the same tokens. In-process replicas (same server, same store) cover the default episode,
 * capacity and eviction across replicas, the per-replica stream limit and stall watchdog, the
 * bounded replica cache, live clocks refused, the settings, and a store that is down (503).
 *
 * Redis: REDIS_URL when set (CI; unreachable fails), else a redis-server spawned on a free port,
 * else the file is skipped with the reason.
 */
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient, type Client } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { randomUUID } from "node:crypto";
import { connect, createServer, type Server, type Socket } from "node:net";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { parse } from "yaml";
import { ActionSchema } from "../gen/incident/v1/action_pb.js";
import { ActionType, ClockMode, EpisodeEventKind, TaskLevel } from "../gen/incident/v1/enums_pb.js";
import { EpisodeStateSchema } from "../gen/incident/v1/episode_pb.js";
import { GetStateRequestSchema, IncidentEnvService, ResetRequestSchema } from "../gen/incident/v1/service_pb.js";
import type { EpisodeEvent } from "../gen/incident/v1/stream_pb.js";
import { buildEpisode, encodeAction, journalMarks, journalWrites, encodeReset } from "../src/env/shared-store/replay.js";
import { parseStoreUrl } from "../src/env/shared-store/settings.js";
import { StoreClient } from "../src/env/shared-store/store-client.js";
import { settingsFromEnv } from "../src/env/start-environment.js";
import { toRestJson } from "../src/json/rest-json.js";
import { freePort, redisBinary, spawnRedis, testRedis } from "./support/redis.js";
import { startReplica, type ReplicaProcess } from "./support/replica-process.js";
import { rawConnectStream } from "./support/raw-stream.js";
import { dig, http, useServer, useWorkerServer } from "./support/server.js";
import { startReplicaServer, useReplicaServer } from "./support/shared-store-server.js";

const redis = await testRedis();
const url = redis.url ?? "";
const prefix = (name: string): string => `test-${name}-${randomUUID().slice(0, 8)}`;

type EnvClient = Client<typeof IncidentEnvService>;
const grpc = (baseUrl: string): EnvClient => createClient(IncidentEnvService, createGrpcTransport({ baseUrl }));
const ESCALATE = { actionType: ActionType.ESCALATE, reasoning: "paging the owners" };

async function codeOf(call: Promise<unknown>): Promise<Code | undefined> {
  try {
    await call;
    return undefined;
  } catch (e) {
    return ConnectError.from(e).code;
  }
}

async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The steps of a fixed script for an episode, from its reset response: escalate, three inspects, diagnose, resolve. */
function scriptActions(reset: unknown): unknown[] {
  const services = (dig(reset, "observation.topology.services") as Array<{ name: string }>).map((s) => s.name);
  const paged = (dig(reset, "observation.alert.affected_services") as string[])[0] ?? services[0];
  return [
    { action_type: "escalate", reasoning: "paging the owning team" },
    { action_type: "inspect", target_service: paged },
    { action_type: "inspect", target_service: services[1] },
    { action_type: "inspect", target_service: services[2] },
    { action_type: "diagnose", target_service: paged, reasoning: "the paged service is failing" },
    { action_type: "resolve" },
  ];
}

/**
 * Plays an episode over REST where `serverFor(k)` names the server of the k-th request
 * (0: the reset); returns every response text, then the state and the observation at the end.
 * `pause` runs before step `pause.before` (1-based), e.g. to kill a replica mid-episode.
 */
async function play(
  id: string,
  level: string,
  seed: number,
  serverFor: (k: number) => string,
  pause?: { before: number; run: () => Promise<void> },
): Promise<string[]> {
  const reset = await http(serverFor(0), "POST", "/reset", { task_level: level, seed, episode_id: id });
  expect(reset.status, reset.text).toBe(200);
  const texts = [reset.text];
  const actions = scriptActions(reset.json);
  for (const [i, action] of actions.entries()) {
    if (pause?.before === i + 1) await pause.run();
    const step = await http(serverFor(i + 1), "POST", "/step", { episode_id: id, action });
    expect(step.status, step.text).toBe(200);
    texts.push(step.text);
    if (dig(step.json, "done") === true) break;
  }
  const last = serverFor(actions.length + 1);
  texts.push((await http(last, "GET", `/state?episode_id=${id}`)).text);
  texts.push((await http(last, "GET", `/observation?episode_id=${id}`)).text);
  return texts;
}

/** Every event of a stream until it ends; the end's last sequence number from the events' order. */
async function collect(stream: AsyncIterable<{ event?: EpisodeEvent }>): Promise<EpisodeEvent[]> {
  const events: EpisodeEvent[] = [];
  for await (const message of stream) if (message.event) events.push(message.event);
  return events;
}

/** The seq and JSON-free content of events, for comparison across servers. */
function eventKeys(events: EpisodeEvent[]): string[] {
  return events.map(
    (e) => `${e.seq}:${e.kind.case}:${JSON.stringify(e.kind.value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))}`,
  );
}

/** Server-Sent Events of a finished stream: [id, event] pairs. */
async function sseFrames(
  baseUrl: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; frames: Array<{ id: string; event: string }> }> {
  const response = await fetch(baseUrl + path, { headers: { accept: "text/event-stream", ...headers } });
  const text = await response.text();
  const frames: Array<{ id: string; event: string }> = [];
  for (const block of text.split("\n\n")) {
    const id = /^id: ?(.*)$/m.exec(block)?.[1];
    const event = /^event: ?(.*)$/m.exec(block)?.[1];
    if (id !== undefined && event !== undefined) frames.push({ id, event });
  }
  return { status: response.status, frames };
}

const memory = useServer();
/** Tiny journals, to compare how a reader that fell behind is told what it missed. */
const TINY = { limits: { maxLogLinesPerEpisode: 10 }, streamLimits: { maxEventsPerEpisode: 40 } };
const tinyMemory = useServer(TINY);

describe.skipIf(redis.url === undefined)(`EPISODE_STORE on Valkey/Redis${redis.skipReason ? ` (${redis.skipReason})` : ""}`, () => {
  afterAll(() => redis.stop());

  describe("two server processes sharing one store", () => {
    const storePrefix = prefix("processes");
    const env = { EPISODE_STORE: url, EPISODE_STORE_PREFIX: storePrefix };
    // A (and its restart) simulates in two worker threads, each a replica of its own; B in its server thread.
    const withWorkers = { ...env, WORKERS: "2" };
    let a: ReplicaProcess | undefined;
    let b: ReplicaProcess | undefined;
    let restarted: ReplicaProcess | undefined;

    beforeAll(async () => {
      [a, b] = await Promise.all([startReplica(withWorkers), startReplica(env)]);
    }, 120_000);

    afterAll(() => {
      for (const replica of [a, b, restarted]) replica?.child.kill("SIGKILL");
    });

    it("alternates episodes between replicas step by step, survives SIGKILL mid-episode, and a restarted replica continues the open ones, identically to one in-memory process", async () => {
      if (!a || !b) throw new Error("replicas not started");
      const first = a;
      const second = b;
      const episodes = [
        { id: `proc-easy-${randomUUID()}`, level: "easy", seed: 11 },
        { id: `proc-medium-${randomUUID()}`, level: "medium", seed: 12 },
        { id: `proc-hard-${randomUUID()}`, level: "hard", seed: 13 },
        { id: `proc-expert-${randomUUID()}`, level: "expert", seed: 14 },
      ];
      const references = await Promise.all(episodes.map((e) => play(e.id, e.level, e.seed, () => memory.baseUrl)));

      // Phase 1: every episode is reset on A and stepped on B, then A, then B.
      const runs = await Promise.all(
        episodes.map(async (e) => {
          const reset = await http(first.baseUrl, "POST", "/reset", { task_level: e.level, seed: e.seed, episode_id: e.id });
          expect(reset.status, reset.text).toBe(200);
          return { ...e, texts: [reset.text], actions: scriptActions(reset.json), done: false };
        }),
      );
      const stepOn = async (replica: ReplicaProcess, run: (typeof runs)[number]): Promise<void> => {
        if (run.done) return;
        const action = run.actions[run.texts.length - 1];
        const step = await http(replica.baseUrl, "POST", "/step", { episode_id: run.id, action });
        expect(step.status, step.text).toBe(200);
        run.texts.push(step.text);
        run.done = dig(step.json, "done") === true || run.texts.length > run.actions.length;
      };
      const finish = async (replica: ReplicaProcess, run: (typeof runs)[number]): Promise<string[]> => [
        ...run.texts,
        (await http(replica.baseUrl, "GET", `/state?episode_id=${run.id}`)).text,
        (await http(replica.baseUrl, "GET", `/observation?episode_id=${run.id}`)).text,
      ];
      for (const replica of [second, first, second]) await Promise.all(runs.map((run) => stepOn(replica, run)));

      // A dies mid-episode (SIGKILL: no shutdown of any kind).
      first.child.kill("SIGKILL");
      await first.exited;

      // Phase 2: B finishes the first two episodes alone.
      for (const run of runs.slice(0, 2)) {
        while (!run.done) await stepOn(second, run);
        expect(await finish(second, run)).toEqual(references[runs.indexOf(run)]);
      }
      // Phase 3: A restarted (a new process with an empty cache) continues the other two,
      // alternating with B.
      restarted = await startReplica(withWorkers);
      const again = restarted;
      for (const run of runs.slice(2)) {
        for (let k = 0; !run.done; k++) await stepOn(k % 2 === 0 ? again : second, run);
        expect(await finish(again, run)).toEqual(references[runs.indexOf(run)]);
      }
    }, 180_000);

    it("serialises concurrent steps on one episode from both replicas: each applied exactly once", async () => {
      const replicas = [restarted, b].filter((r): r is ReplicaProcess => r !== undefined);
      expect(replicas).toHaveLength(2);
      const id = `concurrent-${randomUUID()}`;
      await grpc(replicas[0]?.baseUrl ?? "").reset({ taskLevel: TaskLevel.EXPERT, seed: 21, episodeId: id });
      const PER_REPLICA = 8;
      const calls = replicas.flatMap((replica) => {
        const client = grpc(replica.baseUrl);
        return Array.from({ length: PER_REPLICA }, () => client.step({ episodeId: id, action: ESCALATE }));
      });
      const settled = await Promise.allSettled(calls);
      const ok = settled.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
      const failed = settled.flatMap((s) => (s.status === "rejected" ? [ConnectError.from(s.reason).code] : []));
      // Refused steps were refused as concurrent (aborted), nothing else.
      expect(failed.every((code) => code === Code.Aborted)).toBe(true);
      expect(ok.length).toBeGreaterThan(0);
      // Every successful step got its own step number: 1..n, each once.
      expect(ok.map((s) => s.observation?.step).sort((x, y) => (x ?? 0) - (y ?? 0))).toEqual(
        Array.from({ length: ok.length }, (_, i) => i + 1),
      );
      const state = await http(replicas[1]?.baseUrl ?? "", "GET", `/state?episode_id=${id}`);
      expect(dig(state.json, "step_count")).toBe(ok.length);
      // The same number of escalations in one process gives the same state, byte for byte.
      await http(memory.baseUrl, "POST", "/reset", { task_level: "expert", seed: 21, episode_id: id });
      for (let i = 0; i < ok.length; i++)
        await http(memory.baseUrl, "POST", "/step", {
          episode_id: id,
          action: { action_type: "escalate", reasoning: "paging the owners" },
        });
      expect(state.text).toBe((await http(memory.baseUrl, "GET", `/state?episode_id=${id}`)).text);
      // The journal has one step event per applied step, numbered 1..n: a stream of step events
      // opened on one replica ends when the other closes the episode.
      const stepEvents = collect(grpc(replicas[0]?.baseUrl ?? "").streamEpisodeEvents({ episodeId: id, kinds: [EpisodeEventKind.STEP] }));
      await new Promise((resolve) => setTimeout(resolve, 200));
      await grpc(replicas[1]?.baseUrl ?? "").closeEpisode({ episodeId: id });
      const steps = (await stepEvents).map((e) => (e.kind.case === "step" ? e.kind.value.step : -1));
      expect(steps).toEqual(Array.from({ length: ok.length }, (_, i) => i + 1));
    }, 60_000);

    it("a stream on one replica follows steps on the other with the in-memory sequence numbers, and resumes on the other with the same tokens", async () => {
      const [follower, stepper] = [restarted, b];
      if (!follower || !stepper) throw new Error("replicas not started");
      const id = `stream-${randomUUID()}`;
      const reset = await http(stepper.baseUrl, "POST", "/reset", { task_level: "medium", seed: 31, episode_id: id });
      const actions = scriptActions(reset.json);
      const following = collect(grpc(follower.baseUrl).streamEpisodeEvents({ episodeId: id }));
      await new Promise((resolve) => setTimeout(resolve, 200)); // the stream is open before the steps
      for (const action of actions) {
        const step = await http(stepper.baseUrl, "POST", "/step", { episode_id: id, action });
        expect(step.status, step.text).toBe(200);
        await new Promise((resolve) => setTimeout(resolve, 30));
        if (dig(step.json, "done") === true) break;
      }
      const followed = await following;

      // The same episode in one process: its whole event history.
      await http(memory.baseUrl, "POST", "/reset", { task_level: "medium", seed: 31, episode_id: id });
      for (const action of actions) {
        const step = await http(memory.baseUrl, "POST", "/step", { episode_id: id, action });
        if (dig(step.json, "done") === true) break;
      }
      const reference = await collect(grpc(memory.baseUrl).streamEpisodeEvents({ episodeId: id }));
      expect(followed.some((e) => e.kind.case === "step")).toBe(true);
      expect(eventKeys(followed)).toEqual(eventKeys(reference));

      // Resume on the stepping replica after a token the follower saw.
      const middle = followed[Math.floor(followed.length / 2)]?.seq ?? 0;
      const resumed = await collect(grpc(stepper.baseUrl).streamEpisodeEvents({ episodeId: id, afterSeq: middle }));
      expect(eventKeys(resumed)).toEqual(eventKeys(reference.filter((e) => e.seq > middle)));
      // SSE with Last-Event-ID, on either replica: the same ids, then the end.
      const lastSeq = reference[reference.length - 1]?.seq ?? 0;
      for (const replica of [follower, stepper]) {
        const sse = await sseFrames(replica.baseUrl, `/episodes/${id}/events`, { "last-event-id": String(middle) });
        expect(sse.status).toBe(200);
        expect(sse.frames.map((f) => Number(f.id))).toEqual([...reference.filter((e) => e.seq > middle).map((e) => e.seq), lastSeq]);
        expect(sse.frames[sse.frames.length - 1]?.event).toBe("end");
        // Resuming after the end: nothing more, and EventSource is told to stop.
        expect((await sseFrames(replica.baseUrl, `/episodes/${id}/events`, { "last-event-id": String(lastSeq) })).status).toBe(204);
      }
      // Log streams resume with the same tokens too.
      const logSeqs = async (baseUrl: string): Promise<number[]> => {
        const seqs: number[] = [];
        for await (const m of grpc(baseUrl).streamLogs({ episodeId: id, afterSeq: 3 })) if (m.entry) seqs.push(m.entry.seq);
        return seqs;
      };
      const referenceLogs = await logSeqs(memory.baseUrl);
      expect(referenceLogs.length).toBeGreaterThan(0);
      expect(await logSeqs(follower.baseUrl)).toEqual(referenceLogs);
    }, 60_000);
  });

  describe("a replica killed under load", () => {
    const env = { EPISODE_STORE: url, EPISODE_STORE_PREFIX: prefix("kill-under-load") };
    let doomed: ReplicaProcess | undefined;
    let survivor: ReplicaProcess | undefined;

    beforeAll(async () => {
      [doomed, survivor] = await Promise.all([startReplica({ ...env, WORKERS: "2" }), startReplica(env)]);
    }, 120_000);

    afterAll(() => {
      for (const replica of [doomed, survivor]) replica?.child.kill("SIGKILL");
    });

    it("loses no episode: 24 actors alternating between two replicas, one SIGKILLed mid-run, finish every episode on the other exactly as one in-memory process", async () => {
      if (!doomed || !survivor) throw new Error("replicas not started");
      const [a, b] = [doomed, survivor];
      let dead = false;
      let requests = 0;
      let failures = 0;
      let applied = 0;
      const KILL_AFTER = 150;
      // A is first frozen (SIGSTOP), so that the requests sent to it from then on are certainly in flight and
      // unanswered when it is killed: a kill landing between two bursts of requests would prove nothing.
      const CAUGHT_IN_FLIGHT = 4;
      let frozen = false;
      let sentWhileFrozen = 0;
      const kill = () => {
        if (dead) return;
        dead = true;
        a.child.kill("SIGKILL");
      };
      /** A request on A or B (alternating by k); once A is gone, or when it fails, on B. */
      const send = async (
        k: number,
        method: string,
        path: string,
        body?: unknown,
      ): Promise<Awaited<ReturnType<typeof http>> | undefined> => {
        if (++requests === KILL_AFTER) {
          frozen = true;
          a.child.kill("SIGSTOP");
          setTimeout(kill, 3000); // in case fewer requests reach it
        }
        const target = !dead && k % 2 === 0 ? a : b;
        if (target === a && frozen && ++sentWhileFrozen === CAUGHT_IN_FLIGHT) setTimeout(kill, 100);
        try {
          const response = await http(target.baseUrl, method, path, body);
          if (target === a && response.status >= 500) throw new Error(`${response.status}`);
          return response;
        } catch {
          if (target === b) throw new Error("the surviving replica failed");
          failures++;
          return undefined;
        }
      };
      const actor = async (n: number): Promise<Array<{ id: string; seed: number; finals: string[] }>> => {
        const played = [];
        for (let e = 0; e < 3; e++) {
          const id = `kill-${n}-${e}-${randomUUID()}`;
          const seed = 1000 + n * 10 + e;
          let k = n;
          let reset = await send(k++, "POST", "/reset", { task_level: "medium", seed, episode_id: id });
          // A reset that may not have happened is simply sent again: resetting the same id and seed gives the same episode.
          reset ??= await send(1, "POST", "/reset", { task_level: "medium", seed, episode_id: id });
          expect(reset?.status, reset?.text).toBe(200);
          const actions = scriptActions(reset?.json);
          for (const [i, action] of actions.entries()) {
            let step = await send(k++, "POST", "/step", { episode_id: id, action });
            if (!step) {
              // Ambiguous: the step may have been applied before the replica died. The store knows.
              const state = await send(1, "GET", `/state?episode_id=${id}`);
              if (dig(state?.json, "step_count") === i + 1) {
                applied++;
                if (dig(state?.json, "done") === true) break;
              } else step = await send(1, "POST", "/step", { episode_id: id, action });
            }
            expect(step === undefined || step.status === 200, step?.text).toBe(true);
            if (dig(step?.json, "done") === true) break;
          }
          const finals = [
            (await send(1, "GET", `/state?episode_id=${id}`))?.text ?? "",
            (await send(1, "GET", `/observation?episode_id=${id}`))?.text ?? "",
          ];
          played.push({ id, seed, finals });
        }
        return played;
      };
      const results = (await Promise.all(Array.from({ length: 24 }, (_, n) => actor(n)))).flat();
      expect(dead).toBe(true);
      // The same episodes in one in-memory process, played without interruption.
      for (const { id, seed, finals } of results) {
        const reference = await play(id, "medium", seed, () => memory.baseUrl);
        expect(finals, id).toEqual(reference.slice(-2));
      }
      expect(results).toHaveLength(72);
      // The kill hit requests in flight (connections reset), and the test saw it.
      expect(failures).toBeGreaterThanOrEqual(CAUGHT_IN_FLIGHT);
      console.info(
        `replica killed after ${KILL_AFTER} requests: ${failures} requests failed on it, ${applied} of them steps already applied (read back from the store), 72 episodes finished on the survivor, none lost`,
      );
    }, 180_000);
  });

  describe("replicas in one process", () => {
    const storePrefix = prefix("replicas");
    const options = () => ({
      store: { url, prefix: storePrefix },
      streamLimits: { maxSubscribersPerEpisode: 2, streamStallTimeoutMs: 1500 },
    });
    const a = useReplicaServer(options);
    const b = useReplicaServer(options);

    it("shares the default episode and the capacity, evicting the finished episode first", async () => {
      const shared = prefix("capacity");
      const opts = { store: { url, prefix: shared }, limits: { maxLiveEpisodes: 3 } };
      const [a, b] = await Promise.all([startReplicaServer(opts), startReplicaServer(opts)]);
      try {
        const reset = await http(a.baseUrl, "POST", "/reset", { task_level: "easy", seed: 41 });
        expect(reset.status).toBe(200);
        const defaultId = dig(reset.json, "episode_id");
        // B steps and reads the default episode A created.
        const step = await http(b.baseUrl, "POST", "/step", { action: { action_type: "escalate" } });
        expect(step.status, step.text).toBe(200);
        expect(dig(step.json, "episode_id")).toBe(defaultId);
        expect(dig((await http(a.baseUrl, "GET", "/state")).json, "step_count")).toBe(1);
        // Capacity 3 over both replicas.
        for (const [i, replica] of [b, a].entries())
          expect((await http(replica.baseUrl, "POST", "/reset", { episode_id: `cap-${i}` })).status).toBe(200);
        for (const replica of [a, b]) expect(dig((await http(replica.baseUrl, "GET", "/health")).json, "live_episodes")).toBe(3);
        const refused = await http(b.baseUrl, "POST", "/reset", { episode_id: "cap-x" });
        expect(refused.status).toBe(429);
        expect(await codeOf(grpc(a.baseUrl).reset({ episodeId: "cap-y" }))).toBe(Code.ResourceExhausted);
        // Restarting an existing episode needs no room.
        expect((await http(b.baseUrl, "POST", "/reset", { episode_id: "cap-1", seed: 5 })).status).toBe(200);
        // Finish one on A; the next reset on B evicts it (finished first) and succeeds.
        let done = false;
        for (let i = 0; i < 20 && !done; i++)
          done =
            dig((await http(a.baseUrl, "POST", "/step", { episode_id: "cap-0", action: { action_type: "escalate" } })).json, "done") ===
            true;
        expect(done).toBe(true);
        expect((await http(b.baseUrl, "POST", "/reset", { episode_id: "cap-x" })).status).toBe(200);
        expect((await http(a.baseUrl, "GET", "/state?episode_id=cap-0")).status).toBe(404);
        // Closing on one replica removes it for both, the default included.
        expect((await http(b.baseUrl, "DELETE", `/episodes/${String(defaultId)}`)).status).toBe(200);
        expect((await http(a.baseUrl, "GET", "/state")).status).toBe(404);
        expect((await http(a.baseUrl, "POST", "/step", { episode_id: defaultId, action: { action_type: "escalate" } })).status).toBe(404);
        expect(dig((await http(b.baseUrl, "GET", "/health")).json, "live_episodes")).toBe(2);
        // Resets without an id replace the default, on either replica, and close the one replaced:
        // they never fill the store, even when it is full of running episodes.
        let previous: unknown; // the first fills the last slot, the others replace it
        for (let i = 0; i < 6; i++) {
          const replica = i % 2 === 0 ? a : b;
          const reset = await http(replica.baseUrl, "POST", "/reset", { seed: i });
          expect(reset.status, reset.text).toBe(200);
          if (previous !== undefined)
            expect((await http(replica.baseUrl, "GET", `/state?episode_id=${String(previous)}`)).status).toBe(404);
          previous = dig(reset.json, "episode_id");
        }
        expect(dig((await http(b.baseUrl, "GET", "/health")).json, "live_episodes")).toBe(3);
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });

    it("GET /state on one replica shows the steps another replica took since its last read, then the same text again", async () => {
      const id = `state-${randomUUID()}`;
      expect((await http(a.baseUrl, "POST", "/reset", { task_level: "medium", seed: 77, episode_id: id })).status).toBe(200);
      const before = await http(a.baseUrl, "GET", `/state?episode_id=${id}`);
      expect(dig(before.json, "step_count")).toBe(0);
      const step = await http(b.baseUrl, "POST", "/step", { episode_id: id, action: { action_type: "escalate" } });
      expect(step.status, step.text).toBe(200);
      const after = await http(a.baseUrl, "GET", `/state?episode_id=${id}`);
      expect(dig(after.json, "step_count")).toBe(1);
      // The text A sends is the one B makes of the same store state, and the one A's gRPC GetState gives.
      expect(after.text).toBe((await http(b.baseUrl, "GET", `/state?episode_id=${id}`)).text);
      expect(after.json).toEqual(
        toRestJson(EpisodeStateSchema, (await grpc(a.baseUrl).getState({ episodeId: id })).state ?? create(EpisodeStateSchema)),
      );
      expect((await http(a.baseUrl, "GET", `/state?episode_id=${id}`)).text).toBe(after.text);
      // Closed on B: A's next read is a 404, not the text it kept.
      expect((await http(b.baseUrl, "DELETE", `/episodes/${id}`)).status).toBe(200);
      expect((await http(a.baseUrl, "GET", `/state?episode_id=${id}`)).status).toBe(404);
    });

    it("GET /state reads of one episode that arrive together share store reads, and none answers from before it was asked", async () => {
      const id = `shared-reads-${randomUUID()}`;
      expect((await http(a.baseUrl, "POST", "/reset", { task_level: "medium", seed: 78, episode_id: id })).status).toBe(200);
      // Forty reads arriving at once (asked of the replica in one go, so that they surely overlap): one store read.
      const readsBefore = a.env.stats.stateReads;
      const together = await Promise.all(
        Array.from({ length: 40 }, () => a.env.stateText(create(GetStateRequestSchema, { episodeId: id }))),
      );
      expect(a.env.stats.stateReads - readsBefore).toBe(1);
      const overHttp = await http(a.baseUrl, "GET", `/state?episode_id=${id}`);
      for (const text of together) expect(text).toBe(overHttp.text);
      expect(dig(overHttp.json, "step_count")).toBe(0);
      // Reads in flight on A while B steps; every read sent after B's step answered shows the step.
      const inFlight = Array.from({ length: 20 }, () => http(a.baseUrl, "GET", `/state?episode_id=${id}`));
      expect((await http(b.baseUrl, "POST", "/step", { episode_id: id, action: { action_type: "escalate" } })).status).toBe(200);
      const later = await Promise.all(Array.from({ length: 20 }, () => http(a.baseUrl, "GET", `/state?episode_id=${id}`)));
      for (const r of later) expect(dig(r.json, "step_count")).toBe(1);
      for (const r of await Promise.all(inFlight)) expect([0, 1]).toContain(dig(r.json, "step_count"));
      // A default-episode read and a named read of a closed episode both fail cleanly; nothing stays waiting.
      expect((await http(b.baseUrl, "DELETE", `/episodes/${id}`)).status).toBe(200);
      const gone = await Promise.all(Array.from({ length: 5 }, () => http(a.baseUrl, "GET", `/state?episode_id=${id}`)));
      for (const r of gone) expect(r.status).toBe(404);
    });

    it("evicts idle episodes to make room, and on any replica's sweep", async () => {
      const short = prefix("idle");
      const opts = { store: { url, prefix: short }, limits: { maxLiveEpisodes: 1, episodeIdleTtlMs: 300 } };
      const [x, y] = await Promise.all([startReplicaServer(opts), startReplicaServer(opts)]);
      try {
        expect((await http(x.baseUrl, "POST", "/reset", { episode_id: "idle-1" })).status).toBe(200);
        expect((await http(y.baseUrl, "POST", "/reset", { episode_id: "idle-2" })).status).toBe(429);
        await new Promise((resolve) => setTimeout(resolve, 500));
        // idle-1 has been idle past the TTL: a reset on the other replica takes its slot.
        expect((await http(y.baseUrl, "POST", "/reset", { episode_id: "idle-2" })).status).toBe(200);
        expect((await http(x.baseUrl, "GET", "/state?episode_id=idle-1")).status).toBe(404);
        expect(await x.env.sweep()).toBe(0);
        await new Promise((resolve) => setTimeout(resolve, 500));
        expect(await x.env.sweep()).toBe(1);
        expect((await http(y.baseUrl, "GET", "/state?episode_id=idle-2")).status).toBe(404);
      } finally {
        await Promise.all([x.close(), y.close()]);
      }
    });

    it("limits streams per episode on each replica, and drops a stalled subscriber whose steps come from the other replica", async () => {
      const id = `streams-${randomUUID()}`;
      await grpc(a.baseUrl).reset({ taskLevel: TaskLevel.EXPERT, seed: 51, episodeId: id });
      const held = [0, 1].map(() => new AbortController());
      const streams = held.map((c) => grpc(a.baseUrl).streamLogs({ episodeId: id }, { signal: c.signal })[Symbol.asyncIterator]());
      await Promise.all(streams.map((s) => s.next()));
      await waitFor(() => a.env.streamsOf(id) === 2, "two streams on A");
      // The third on A is refused; on B the limit is B's own.
      expect(await codeOf(grpc(a.baseUrl).streamLogs({ episodeId: id })[Symbol.asyncIterator]().next())).toBe(Code.ResourceExhausted);
      const onB = grpc(b.baseUrl).streamLogs({ episodeId: id })[Symbol.asyncIterator]();
      expect((await onB.next()).done).toBe(false);
      await onB.return?.();
      for (const c of held) c.abort();
      await waitFor(() => a.env.streamsOf(id) === 0, "the streams freed on A");

      // A client that stops reading on A while B steps: dropped by A's watchdog, its slot freed.
      const stalled = rawConnectStream(a.baseUrl, "/incident.v1.IncidentEnvService/StreamEpisodeEvents", { episodeId: id }, 512);
      await waitFor(() => a.env.streamsOf(id) === 1, "the stalled stream open");
      for (let i = 0; i < 10; i++) await grpc(b.baseUrl).step({ episodeId: id, action: ESCALATE });
      await Promise.race([
        stalled.whenClosed,
        new Promise((_, reject) => setTimeout(() => reject(new Error("the stalled stream was not dropped")), 15_000)),
      ]);
      await waitFor(() => a.env.streamsOf(id) === 0, "the stalled stream's slot freed");
      stalled.destroy();
    }, 40_000);

    it("bounds the journals like one process: a reader behind the oldest kept entry gets the same gap, then the same entries", async () => {
      const replica = await startReplicaServer({ store: { url, prefix: prefix("tiny") }, ...TINY });
      try {
        const id = `tiny-${randomUUID()}`;
        for (const server of [replica.baseUrl, tinyMemory.baseUrl]) {
          const reset = await http(server, "POST", "/reset", { task_level: "medium", seed: 81, episode_id: id });
          for (const action of scriptActions(reset.json)) {
            const step = await http(server, "POST", "/step", { episode_id: id, action });
            if (dig(step.json, "done") === true) break;
          }
        }
        const items = async (baseUrl: string): Promise<string[]> => {
          const out: string[] = [];
          for await (const m of grpc(baseUrl).streamLogs({ episodeId: id, afterSeq: 1 }))
            out.push(m.gap ? `gap ${m.gap.firstMissingSeq}-${m.gap.lastMissingSeq}` : `log ${m.entry?.seq} ${m.entry?.message}`);
          for await (const m of grpc(baseUrl).streamEpisodeEvents({ episodeId: id, afterSeq: 2 }))
            out.push(
              m.event?.kind.case === "gap"
                ? `event gap ${m.event.kind.value.firstMissingSeq}-${m.event.kind.value.lastMissingSeq}`
                : `event ${m.event?.seq}`,
            );
          return out;
        };
        const expected = await items(tinyMemory.baseUrl);
        expect(expected[0]).toMatch(/^gap 2-/);
        expect(expected.filter((line) => line.startsWith("log"))).toHaveLength(10);
        expect(await items(replica.baseUrl)).toEqual(expected);
      } finally {
        await replica.close();
      }
    });

    it("plays a /ws session on one replica whose episode another replica steps and sees closed", async () => {
      const id = `ws-${randomUUID()}`;
      const ws = new WebSocket(`${a.baseUrl.replace(/^http/, "ws")}/ws`);
      const replies: unknown[] = [];
      ws.on("message", (data) => replies.push(JSON.parse(String(data))));
      await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
      const ask = async (message: unknown): Promise<unknown> => {
        const count = replies.length;
        ws.send(JSON.stringify(message));
        await waitFor(() => replies.length > count, "a /ws reply");
        return replies[count];
      };
      expect(dig(await ask({ type: "reset", data: { episode_id: id, seed: 91 } }), "type")).toBe("observation");
      expect((await http(b.baseUrl, "POST", "/step", { episode_id: id, action: { action_type: "escalate" } })).status).toBe(200);
      expect(dig(await ask({ type: "state" }), "data.step_count")).toBe(1);
      expect(dig(await ask({ type: "step", data: { action_type: "escalate" } }), "data.observation.step")).toBe(2);
      expect(dig((await http(b.baseUrl, "GET", `/state?episode_id=${id}`)).json, "step_count")).toBe(2);
      ws.send(JSON.stringify({ type: "close" }));
      await waitFor(async () => (await http(b.baseUrl, "GET", `/state?episode_id=${id}`)).status === 404, "the session's episode closed");
    });

    it("refuses live clocks with failed_precondition", async () => {
      const refused = await http(a.baseUrl, "POST", "/reset", { clock: "live", minutes_per_second: 6 });
      expect(refused.status).toBe(409);
      expect(refused.text).toMatch(/clock live is not available with the shared episode store/);
      expect(await codeOf(grpc(b.baseUrl).reset({ clock: ClockMode.LIVE, minutesPerSecond: 6 }))).toBe(Code.FailedPrecondition);
    });

    it("rebuilds episodes that fell out of a small replica cache, identically", async () => {
      const small = prefix("cache");
      const replica = await startReplicaServer({ store: { url, prefix: small }, storeLimits: { replicaCacheEpisodes: 2 } });
      try {
        const ids = [0, 1, 2].map((i) => `cache-${i}-${randomUUID()}`);
        const resets = await Promise.all(
          ids.map((id, i) => http(replica.baseUrl, "POST", "/reset", { task_level: "medium", seed: 60 + i, episode_id: id })),
        );
        const actions = resets.map((r) => scriptActions(r.json));
        const references = await Promise.all(
          ids.map((id, i) => http(memory.baseUrl, "POST", "/reset", { task_level: "medium", seed: 60 + i, episode_id: id })),
        );
        expect(resets.map((r) => r.text)).toEqual(references.map((r) => r.text));
        const rebuiltBefore = replica.env.stats.rebuilt;
        // Round-robin over three episodes with room for two: every step finds its copy evicted.
        for (let k = 0; k < 4; k++) {
          for (const [i, id] of ids.entries()) {
            const action = actions[i]?.[k];
            const [served, expected] = await Promise.all([
              http(replica.baseUrl, "POST", "/step", { episode_id: id, action }),
              http(memory.baseUrl, "POST", "/step", { episode_id: id, action }),
            ]);
            expect(served.text).toBe(expected.text);
          }
        }
        expect(replica.env.stats.rebuilt - rebuiltBefore).toBeGreaterThanOrEqual(8);
      } finally {
        await replica.close();
      }
    });

    it("recognises a commit resent after it landed instead of applying it twice", async () => {
      const store = new StoreClient({ url, prefix: prefix("token"), timeoutMs: 2000, onNotice: () => {}, onResubscribed: () => {} });
      await store.connect();
      try {
        const limits = { maxLogLines: 10_000, maxEvents: 20_000 };
        const caps = { logs: 10_000, events: 20_000 };
        const { episode, stored } = buildEpisode(create(ResetRequestSchema, { seed: 70 }), "token-1", limits);
        const created = await store.reset(
          "token-1",
          encodeReset(stored),
          false,
          { maxLive: 10, idleTtlMs: 60_000 },
          journalWrites(episode, { logs: 0, events: 0 }),
          caps,
        );
        if (created === "exhausted") throw new Error("no room");
        const action = create(ActionSchema, ESCALATE);
        const marks = journalMarks(episode);
        const outcome = episode.step(action);
        const writes = journalWrites(episode, marks);
        const commit = () => store.commitStep("token-1", created.gen, 0, "token-a", encodeAction(action), outcome.done, writes, caps);
        expect(await commit()).toBe("ok");
        expect(await commit()).toBe("ok"); // the same commit again: recognised
        expect(await store.commitStep("token-1", created.gen, 0, "token-b", encodeAction(action), outcome.done, writes, caps)).toBe(
          "conflict",
        );
        expect((await store.info("token-1"))?.steps).toBe(1);
        expect(await store.commitStep("token-1", "999999", 1, "token-c", encodeAction(action), false, writes, caps)).toBe("gone");
      } finally {
        await store.quit();
      }
    });
  });

  describe("worker threads as replicas (WORKERS with EPISODE_STORE)", () => {
    const storePrefix = prefix("pool");
    const pool = useWorkerServer({ workers: 2, store: { url, prefix: storePrefix }, storeLimits: { replicaCacheEpisodes: 4 } });
    const single = useReplicaServer(() => ({ store: { url, prefix: storePrefix } }));

    it("plays episodes and the default episode across a 2-worker pool and another replica, identically to one in-memory process, with the store's counts and streams", async () => {
      const ids = Array.from({ length: 6 }, (_, i) => `pool-${i}-${randomUUID()}`);
      const references = await Promise.all(ids.map((id, i) => play(id, "medium", 50 + i, () => memory.baseUrl)));
      const played = await Promise.all(
        ids.map((id, i) => play(id, "medium", 50 + i, (k) => (k % 2 === 0 ? pool.baseUrl : single.baseUrl))),
      );
      expect(played).toEqual(references);
      // The default episode: reset through the pool (one worker answers requests without an id), stepped on the other replica.
      const reset = await http(pool.baseUrl, "POST", "/reset", { task_level: "easy", seed: 61 });
      expect(reset.status, reset.text).toBe(200);
      const step = await http(single.baseUrl, "POST", "/step", { action: { action_type: "escalate" } });
      expect(dig(step.json, "episode_id")).toBe(dig(reset.json, "episode_id"));
      expect(dig((await http(pool.baseUrl, "GET", "/state")).json, "step_count")).toBe(1);
      // The pool's GET /state text (made in a worker, which asks the store) is the other replica's, also when many read at once.
      const fromSingle = (await http(single.baseUrl, "GET", "/state")).text;
      for (const r of await Promise.all(Array.from({ length: 8 }, () => http(pool.baseUrl, "GET", "/state"))))
        expect(r.text).toBe(fromSingle);
      // Health is the store's: the same live count on both.
      const live = dig((await http(single.baseUrl, "GET", "/health")).json, "live_episodes");
      expect(dig((await http(pool.baseUrl, "GET", "/health")).json, "live_episodes")).toBe(live);
      // A stream through the pool follows steps taken on the other replica and ends when it closes the episode.
      const id = ids[0] ?? "";
      await http(single.baseUrl, "POST", "/reset", { task_level: "medium", seed: 70, episode_id: id });
      const events = collect(grpc(pool.baseUrl).streamEpisodeEvents({ episodeId: id, kinds: [EpisodeEventKind.STEP] }));
      await new Promise((resolve) => setTimeout(resolve, 200));
      for (let i = 0; i < 3; i++)
        expect((await http(single.baseUrl, "POST", "/step", { episode_id: id, action: { action_type: "escalate" } })).status).toBe(200);
      await grpc(single.baseUrl).closeEpisode({ episodeId: id });
      expect((await events).map((e) => (e.kind.case === "step" ? e.kind.value.step : -1))).toEqual([1, 2, 3]);
      expect((await http(pool.baseUrl, "GET", `/state?episode_id=${id}`)).status).toBe(404);
    }, 60_000);
  });

  describe("a store that is down", () => {
    let hung: Server | undefined;
    let proxy: Server | undefined;
    const sockets = new Set<Socket>();
    afterAll(() => {
      for (const s of sockets) s.destroy();
      hung?.close();
      proxy?.close();
    });

    it("answers 503 / Unavailable quickly when nothing listens, and recovers when the store comes back", async () => {
      const binary = redisBinary();
      const port = await freePort();
      const replica = await startReplicaServer({
        store: { url: `redis://127.0.0.1:${port}`, prefix: prefix("down") },
        storeLimits: { storeTimeoutMs: 500 },
      });
      try {
        const started = Date.now();
        expect((await http(replica.baseUrl, "POST", "/reset", {})).status).toBe(503);
        expect((await http(replica.baseUrl, "POST", "/step", { episode_id: "x", action: { action_type: "escalate" } })).status).toBe(503);
        expect((await http(replica.baseUrl, "GET", "/state?episode_id=x")).status).toBe(503);
        expect((await http(replica.baseUrl, "GET", "/health")).status).toBe(503);
        expect(await codeOf(grpc(replica.baseUrl).reset({}))).toBe(Code.Unavailable);
        expect(await codeOf(grpc(replica.baseUrl).streamLogs({ episodeId: "x" })[Symbol.asyncIterator]().next())).toBe(Code.Unavailable);
        expect(Date.now() - started).toBeLessThan(5000);
        expect(await replica.env.sweep()).toBe(0);
        if (!binary) return;
        // The store comes up on that port: the replica reconnects by itself.
        const { child } = await spawnRedis(binary, port);
        try {
          await waitFor(async () => (await http(replica.baseUrl, "POST", "/reset", {})).status === 200, "the replica to reconnect");
        } finally {
          child.kill("SIGKILL");
        }
      } finally {
        await replica.close();
      }
    }, 30_000);

    it("keeps a stream open while the store's answers are held up past the timeout, and delivers what came meanwhile", async () => {
      // A proxy to the store that can hold up its answers on command connections (not on the
      // notification connection, so that the replica hears of the step and reads at once).
      const target = new URL(url);
      let heldUntil = 0;
      proxy = createServer((client) => {
        const upstream = connect(Number(target.port), target.hostname);
        sockets.add(client);
        sockets.add(upstream);
        let subscriber = false;
        const held: Buffer[] = [];
        let release: NodeJS.Timeout | undefined;
        client.on("data", (chunk: Buffer) => {
          if (chunk.toString("latin1").toLowerCase().includes("subscribe")) subscriber = true;
          upstream.write(chunk);
        });
        upstream.on("data", (chunk: Buffer) => {
          const wait = heldUntil - Date.now();
          if (subscriber || (wait <= 0 && held.length === 0)) {
            client.write(chunk);
            return;
          }
          held.push(chunk);
          release ??= setTimeout(
            () => {
              release = undefined;
              for (const c of held.splice(0)) client.write(c);
            },
            Math.max(0, wait),
          );
        });
        for (const [a, b] of [
          [client, upstream],
          [upstream, client],
        ] as const) {
          a.on("error", () => {});
          a.on("close", () => b.destroy());
        }
      });
      await new Promise<void>((resolve) => proxy?.listen(0, "127.0.0.1", resolve));
      const address = proxy.address();
      const port = typeof address === "object" && address ? address.port : 0;
      const shared = prefix("held");
      const direct = await startReplicaServer({ store: { url, prefix: shared } });
      const proxied = await startReplicaServer({
        store: { url: `redis://127.0.0.1:${port}`, prefix: shared },
        storeLimits: { storeTimeoutMs: 300 },
      });
      try {
        const id = `held-${randomUUID()}`;
        await grpc(direct.baseUrl).reset({ taskLevel: TaskLevel.MEDIUM, seed: 81, episodeId: id });
        const events = collect(grpc(proxied.baseUrl).streamEpisodeEvents({ episodeId: id, kinds: [EpisodeEventKind.STEP] }));
        await waitFor(async () => (await proxied.env.streamsOf(id)) === 1, "the stream open on the proxied replica");
        await new Promise((resolve) => setTimeout(resolve, 200));
        // Answers held for 900 ms: the replica's read times out (300 ms) twice before one is answered.
        heldUntil = Date.now() + 900;
        await grpc(direct.baseUrl).step({ episodeId: id, action: ESCALATE });
        await new Promise((resolve) => setTimeout(resolve, 1500));
        await grpc(direct.baseUrl).step({ episodeId: id, action: ESCALATE });
        await new Promise((resolve) => setTimeout(resolve, 300));
        await grpc(direct.baseUrl).closeEpisode({ episodeId: id });
        expect((await events).map((e) => (e.kind.case === "step" ? e.kind.value.step : -1))).toEqual([1, 2]);
      } finally {
        await Promise.all([direct.close(), proxied.close()]);
      }
    }, 30_000);

    it("answers 503 within EPISODE_STORE_TIMEOUT_MS when the store accepts connections but never answers", async () => {
      hung = createServer((socket) => {
        sockets.add(socket);
        socket.on("data", () => {}); // read, never answer
      });
      await new Promise<void>((resolve) => hung?.listen(0, "127.0.0.1", resolve));
      const address = hung.address();
      const port = typeof address === "object" && address ? address.port : 0;
      const replica = await startReplicaServer({
        store: { url: `redis://127.0.0.1:${port}`, prefix: prefix("hung") },
        storeLimits: { storeTimeoutMs: 400 },
      });
      try {
        const started = Date.now();
        const answer = await http(replica.baseUrl, "POST", "/reset", {});
        expect(answer.status).toBe(503);
        expect(Date.now() - started).toBeLessThan(3000);
      } finally {
        await replica.close();
      }
    });
  });
});

describe("EPISODE_STORE settings", () => {
  it("keeps episodes in memory without EPISODE_STORE, and reads the store, prefix and replica limits with it", () => {
    expect(settingsFromEnv({}).store).toBeUndefined();
    expect(settingsFromEnv({ EPISODE_STORE: "" }).store).toBeUndefined();
    const settings = settingsFromEnv({
      EPISODE_STORE: "redis://valkey:6379/2",
      EPISODE_STORE_PREFIX: "prod",
      REPLICA_CACHE_EPISODES: "50",
      WORKERS: "4",
    });
    expect(settings.store).toEqual({ url: "redis://valkey:6379/2", prefix: "prod" });
    expect(settings.storeLimits).toEqual({ replicaCacheEpisodes: 50, storeTimeoutMs: 2000 });
    expect(settings.workers).toBe(4);
    expect(settingsFromEnv({ EPISODE_STORE: "redis://127.0.0.1" }).store?.prefix).toBe("ire");
  });

  it("rejects URLs and prefixes it cannot use, naming the expected form", () => {
    for (const bad of ["localhost:6379", "http://h:6379", "redis://h:99999", "redis://h:6379/x", "redis://:6379", "redis://h:6379?db=1"]) {
      expect(() => settingsFromEnv({ EPISODE_STORE: bad }), bad).toThrow(/EPISODE_STORE must be redis:\/\/host:port\[\/db\]/);
    }
    expect(() => parseStoreUrl("rediss://secure.example:6380/0")).not.toThrow();
    expect(() => settingsFromEnv({ EPISODE_STORE: "redis://h", EPISODE_STORE_PREFIX: "has space" })).toThrow(/EPISODE_STORE_PREFIX/);
    expect(() => settingsFromEnv({ EPISODE_STORE: "redis://h", REPLICA_CACHE_EPISODES: "0" })).toThrow(/REPLICA_CACHE_EPISODES/);
  });
});

describe("docker-compose.yml", () => {
  interface Service {
    image?: string;
    build?: string;
    environment?: Record<string, string>;
    ports?: string[];
    depends_on?: Record<string, unknown>;
  }
  const compose = parse(readFileSync(new URL("../docker-compose.yml", import.meta.url), "utf8"), { merge: true }) as {
    services: Record<string, Service>;
  };
  const services = Object.entries(compose.services);
  const replicas = services.filter(([, s]) => s.environment?.EPISODE_STORE !== undefined);

  it("runs two replicas of this project's image on one Valkey", () => {
    const stores = services.filter(([, s]) => s.image?.startsWith("valkey/valkey:"));
    expect(stores).toHaveLength(1);
    const storeName = stores[0]?.[0] ?? "";
    expect(replicas).toHaveLength(2);
    for (const [, replica] of replicas) {
      expect(replica.build).toBe(".");
      expect(replica.depends_on).toHaveProperty(storeName);
      const settings = settingsFromEnv(replica.environment ?? {});
      expect(new URL(settings.store?.url ?? "").hostname).toBe(storeName);
      expect(replica.ports?.[0]).toMatch(/^\d+:7860$/);
    }
    expect(new Set(replicas.map(([, r]) => r.ports?.[0])).size).toBe(2);
  });
});
