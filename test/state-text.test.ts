/**
 * GET /state answers from the state text kept per episode (src/env/state-text.ts in one thread,
 * the directory's entries with WORKERS, src/env/workers/placement.ts). Through the real server on
 * port 0, with one thread and with two workers: every way an episode changes, by any transport,
 * shows in the next read, which is byte for byte what an uncached read (gRPC GetState, written as
 * REST JSON) gives; an episode closed, evicted or lost answers 404 as one never created.
 */
import { create } from "@bufbuild/protobuf";
import { createClient, type Client } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { describe, expect, it } from "vitest";
import WebSocket from "ws";
import { EpisodeStateSchema } from "../gen/incident/v1/episode_pb.js";
import { ActionType } from "../gen/incident/v1/enums_pb.js";
import { GetStateRequestSchema, IncidentEnvService, StepRequestSchema } from "../gen/incident/v1/service_pb.js";
import type { EnvironmentApi } from "../src/env/api.js";
import { toRestJson } from "../src/json/rest-json.js";
import { dig, http, useServer, useWorkerServer } from "./support/server.js";

const LIMITS = { maxLiveEpisodes: 4, episodeIdleTtlMs: 400, liveEpisodeMaxMinutes: 30 };

interface Setup {
  name: string;
  server: { baseUrl: string };
  env: () => EnvironmentApi;
}

const thread = useServer({ limits: LIMITS });
const pooled = useWorkerServer({ workers: 2, limits: LIMITS });
const SETUPS: Setup[] = [
  { name: "one thread", server: thread, env: () => thread.env },
  { name: "WORKERS=2", server: pooled, env: () => pooled.pool },
];

const INSPECT = { action_type: "inspect", target_service: "api-gateway", reasoning: "looking" };

async function waitFor(condition: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.each(SETUPS)("GET /state's kept text, $name", ({ server, env }) => {
  const grpc = (): Client<typeof IncidentEnvService> => createClient(IncidentEnvService, createGrpcTransport({ baseUrl: server.baseUrl }));
  const read = (id: string) => http(server.baseUrl, "GET", `/state?episode_id=${id}`);
  /** The state as an uncached read has it: gRPC GetState, written as the REST route writes it. */
  const truth = async (id: string): Promise<string> => {
    const { state } = await grpc().getState({ episodeId: id });
    if (!state) throw new Error("GetState answered without a state");
    return JSON.stringify(toRestJson(EpisodeStateSchema, state));
  };
  const reset = async (id: string, body: Record<string, unknown> = {}) => {
    const answer = await http(server.baseUrl, "POST", "/reset", { task_level: "easy", seed: 3, episode_id: id, ...body });
    expect(answer.status, answer.text).toBe(200);
    return answer;
  };
  /** Resets the episode and reads its state once, so that the server keeps its text. */
  const resetAndRead = async (id: string, body: Record<string, unknown> = {}): Promise<void> => {
    await reset(id, body);
    const first = await read(id);
    expect(first.status).toBe(200);
    expect(dig(first.json, "step_count")).toBe(0);
    expect((await read(id)).text).toBe(first.text);
  };
  const expectFresh = async (id: string, steps: number): Promise<void> => {
    const after = await read(id);
    expect(after.status, after.text).toBe(200);
    expect(dig(after.json, "step_count")).toBe(steps);
    expect(after.text).toBe(await truth(id));
  };

  it("shows a step over REST, gRPC, a REST batch and /ws", async () => {
    await resetAndRead("kept-steps");
    await http(server.baseUrl, "POST", "/step", { episode_id: "kept-steps", action: INSPECT });
    await expectFresh("kept-steps", 1);

    await grpc().step({ episodeId: "kept-steps", action: { actionType: ActionType.INSPECT, targetService: "api-gateway" } });
    await expectFresh("kept-steps", 2);

    const batch = await http(server.baseUrl, "POST", "/step/batch", { items: [{ episode_id: "kept-steps", action: INSPECT }] });
    expect(batch.status, batch.text).toBe(200);
    await expectFresh("kept-steps", 3);

    const ws = new WebSocket(`${server.baseUrl.replace(/^http/, "ws")}/ws`);
    await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
    const reply = (): Promise<unknown> => new Promise((resolve) => ws.once("message", (data) => resolve(JSON.parse(String(data)))));
    ws.send(JSON.stringify({ type: "reset", data: { task_level: "easy", seed: 4, episode_id: "kept-ws" } }));
    await reply();
    expect(dig((await read("kept-ws")).json, "step_count")).toBe(0);
    ws.send(JSON.stringify({ type: "step", data: INSPECT }));
    await reply();
    await expectFresh("kept-ws", 1);
    ws.close();
  });

  it("shows a step that ends the episode, and a failed step changes nothing", async () => {
    await resetAndRead("kept-end");
    const refused = await http(server.baseUrl, "POST", "/step", {
      episode_id: "kept-end",
      action: { action_type: "inspect", target_service: "no-such-service" },
    });
    await expectFresh("kept-end", refused.status === 200 ? 1 : 0);
    const before = dig((await read("kept-end")).json, "step_count") as number;
    await http(server.baseUrl, "POST", "/step", { episode_id: "kept-end", action: { action_type: "resolve" } });
    await expectFresh("kept-end", before + 1);
    expect(dig((await read("kept-end")).json, "done")).toBe(true);
  });

  it("shows a reset of the same id, and a close answers 404 as an id never used", async () => {
    await resetAndRead("kept-reset");
    await http(server.baseUrl, "POST", "/step", { episode_id: "kept-reset", action: INSPECT });
    await expectFresh("kept-reset", 1);
    await reset("kept-reset", { seed: 9 });
    await expectFresh("kept-reset", 0);
    expect(dig((await read("kept-reset")).json, "seed")).toBe(9);

    const closed = await http(server.baseUrl, "DELETE", "/episodes/kept-reset");
    expect(closed.status).toBe(200);
    const gone = await read("kept-reset");
    expect(gone.status).toBe(404);
    const never = await read("kept-never");
    expect(gone.text).toBe(never.text.replace("kept-never", "kept-reset"));
  });

  it("answers 404 once the episode is evicted, idle or to make room, and shows a new episode of that id", async () => {
    await resetAndRead("kept-idle");
    await new Promise((resolve) => setTimeout(resolve, LIMITS.episodeIdleTtlMs + 100));
    await env().sweep();
    expect((await read("kept-idle")).status).toBe(404);
    await reset("kept-idle", { seed: 11 });
    await expectFresh("kept-idle", 0);
    expect(dig((await read("kept-idle")).json, "seed")).toBe(11);

    // A finished episode is the first to go when room is needed: it is the only one left here.
    await http(server.baseUrl, "DELETE", "/episodes/kept-idle");
    expect(dig((await http(server.baseUrl, "GET", "/health")).json, "live_episodes")).toBe(0);
    await resetAndRead("kept-finished");
    await http(server.baseUrl, "POST", "/step", { episode_id: "kept-finished", action: { action_type: "resolve" } });
    await expectFresh("kept-finished", 1);
    for (let i = 0; i < LIMITS.maxLiveEpisodes; i++) await reset(`kept-fill-${i}`);
    expect((await read("kept-finished")).status).toBe(404);
    for (let i = 0; i < LIMITS.maxLiveEpisodes; i++) await http(server.baseUrl, "DELETE", `/episodes/kept-fill-${i}`);
  });

  it("follows the default episode from one reset without an id to the next", async () => {
    const first = await http(server.baseUrl, "POST", "/reset", { task_level: "easy", seed: 5 });
    const firstId = dig(first.json, "episode_id");
    expect(dig((await http(server.baseUrl, "GET", "/state")).json, "episode_id")).toBe(firstId);
    await http(server.baseUrl, "POST", "/step", { action: INSPECT });
    const stepped = await http(server.baseUrl, "GET", "/state");
    expect(dig(stepped.json, "step_count")).toBe(1);
    expect(stepped.text).toBe(await truth(firstId as string));

    const second = await http(server.baseUrl, "POST", "/reset", { task_level: "easy", seed: 6 });
    const now = await http(server.baseUrl, "GET", "/state");
    expect(dig(now.json, "episode_id")).toBe(dig(second.json, "episode_id"));
    expect(dig(now.json, "step_count")).toBe(0);
    expect((await read(firstId as string)).status).toBe(404);
    await http(server.baseUrl, "DELETE", `/episodes/${String(dig(second.json, "episode_id"))}`);
  });

  it("refuses bad input as before, whether or not the id was read already", async () => {
    await resetAndRead("kept-input");
    const twice = await http(server.baseUrl, "GET", "/state?episode_id=kept-input&episode_id=kept-input");
    const twiceNew = await http(server.baseUrl, "GET", "/state?episode_id=kept-other&episode_id=kept-other");
    expect(twice.status).toBe(400);
    expect(twice.text).toBe(twiceNew.text.replaceAll("kept-other", "kept-input"));
    for (const bad of ["", "a%2Fb", "x".repeat(256)]) {
      const answer = await http(server.baseUrl, "GET", `/state?episode_id=${bad}`);
      expect(answer.status, bad).toBe(400);
      expect((await http(server.baseUrl, "GET", `/state?episode_id=${bad}`)).text).toBe(answer.text);
    }
    expect((await http(server.baseUrl, "GET", "/episodes/kept-input")).text).toBe((await read("kept-input")).text);
    await http(server.baseUrl, "DELETE", "/episodes/kept-input");
    expect((await read("kept-input")).status).toBe(404);
  });

  it("follows a live clock between reads, and keeps the state once its time is up", async () => {
    await reset("kept-live", { clock: "live", minutes_per_second: 60 });
    const minutes = async (): Promise<number> => dig((await read("kept-live")).json, "time_elapsed_minutes") as number;
    const start = await minutes();
    await waitFor(async () => (await minutes()) > start, "the live clock to move");
    await waitFor(async () => dig((await read("kept-live")).json, "done") === true, "the live clock's natural end");
    const ended = await read("kept-live");
    expect(dig(ended.json, "time_elapsed_minutes")).toBe(LIMITS.liveEpisodeMaxMinutes);
    expect(ended.text).toBe(await truth("kept-live"));
    await http(server.baseUrl, "DELETE", "/episodes/kept-live");
  });
});

describe("GET /state's kept text, WORKERS=2, races and a worker lost", () => {
  it("does not keep a read that a step overtook: the worker answered it before the step", async () => {
    const read = (id: string) => http(pooled.baseUrl, "GET", `/state?episode_id=${id}`);
    await http(pooled.baseUrl, "POST", "/reset", { task_level: "easy", seed: 3, episode_id: "kept-race" });
    // The read goes to the worker first, the step right after; the read's answer arrives after the step was sent.
    const before = pooled.pool.stateText(create(GetStateRequestSchema, { episodeId: "kept-race" }));
    const step = pooled.pool.step(create(StepRequestSchema, { episodeId: "kept-race", action: { actionType: ActionType.ESCALATE } }));
    expect(dig(JSON.parse(await before), "step_count")).toBe(0);
    await step;
    expect(dig((await read("kept-race")).json, "step_count")).toBe(1);
  });

  it("answers 404 for the episodes of a worker that died", async () => {
    const read = (id: string) => http(pooled.baseUrl, "GET", `/state?episode_id=${id}`);
    const reset = await http(pooled.baseUrl, "POST", "/reset", { task_level: "easy", seed: 3, episode_id: "kept-lost" });
    expect(reset.status).toBe(200);
    expect((await read("kept-lost")).status).toBe(200);
    const dying = pooled.pool.threadFor("kept-lost");
    await dying.kill();
    await waitFor(async () => (await read("kept-lost")).status === 404, "the lost episode to answer 404");
    // The replacement serves the id afresh.
    await waitFor(async () => pooled.pool.threadFor("kept-lost") !== dying && pooled.pool.threadFor("kept-lost").alive, "the replacement");
    const again = await http(pooled.baseUrl, "POST", "/reset", { task_level: "easy", seed: 8, episode_id: "kept-lost" });
    expect(again.status, again.text).toBe(200);
    expect(dig((await read("kept-lost")).json, "seed")).toBe(8);
  });
});
