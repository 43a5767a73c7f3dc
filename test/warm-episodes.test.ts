/**
 * WARM_EPISODES: beyond it, the least recently used episodes sleep as their reset request and
 * actions and are rebuilt when next used. Sleeping must change nothing an agent can observe:
 * through the REST and gRPC interfaces of real servers on port 0, episodes played round-robin on a
 * server that keeps 2 built (so nearly every request wakes one) answer byte for byte what a
 * server that keeps them all answers, journals and streams included; an episode with a stream
 * subscriber or a live clock never sleeps.
 */
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { ActionType, ClockMode, EpisodeEventKind, TaskLevel } from "../gen/incident/v1/enums_pb.js";
import { IncidentEnvService, ResetRequestSchema, GetStateRequestSchema } from "../gen/incident/v1/service_pb.js";
import { IncidentEnvironment } from "../src/env/environment.js";
import { DEFAULT_LIMITS } from "../src/env/limits.js";
import { dig, http, useServer } from "./support/server.js";

const sleepy = useServer({ limits: { warmEpisodes: 2 } });
const awake = useServer();

/** A script of actions for an episode, from its reset: inspections, a query, a diagnosis, a runbook, resolve. */
function script(reset: unknown): unknown[] {
  const services = (dig(reset, "observation.topology.services") as Array<{ name: string }>).map((s) => s.name);
  const paged = (dig(reset, "observation.alert.affected_services") as string[])[0] ?? services[0];
  return [
    { action_type: "inspect", target_service: paged },
    { action_type: "query_logs", target_service: services[1] },
    { action_type: "inspect", target_service: services[2] },
    { action_type: "diagnose", target_service: paged, reasoning: "the paged service is failing" },
    { action_type: "write_runbook", content: `1. Check ${paged} dashboards.\n2. Roll back the last deploy of ${paged}.` },
    { action_type: "resolve" },
  ];
}

/** Plays episodes round-robin (one request each per round) and returns every response text per episode. */
async function roundRobin(
  baseUrl: string,
  episodes: ReadonlyArray<{ id?: string; level: string; seed: number; full?: boolean }>,
): Promise<string[][]> {
  const texts: string[][] = [];
  const actions: unknown[][] = [];
  for (const e of episodes) {
    const reset = await http(baseUrl, "POST", "/reset", {
      task_level: e.level,
      seed: e.seed,
      ...(e.id ? { episode_id: e.id } : {}),
      ...(e.full ? { observation: "full" } : {}),
    });
    expect(reset.status, reset.text).toBe(200);
    texts.push([reset.text.replace(/"episode_id":"[0-9a-f-]{36}"/g, '"episode_id":"<default>"')]);
    actions.push(script(reset.json));
  }
  const ids = episodes.map((e) => e.id);
  for (let k = 0; k < 6; k++) {
    for (const [i, id] of ids.entries()) {
      const query = id ? `?episode_id=${id}` : "";
      const step = await http(baseUrl, "POST", "/step", { ...(id ? { episode_id: id } : {}), action: actions[i]?.[k] });
      const state = await http(baseUrl, "GET", `/state${query}`);
      const observation = await http(baseUrl, "GET", `/observation${query}`);
      texts[i]?.push(
        ...[step.text, state.text, observation.text].map((t) => t.replace(/"episode_id":"[0-9a-f-]{36}"/g, '"episode_id":"<default>"')),
      );
    }
  }
  return texts;
}

describe("WARM_EPISODES", () => {
  it(`defaults to ${DEFAULT_LIMITS.warmEpisodes}, the default MAX_LIVE_EPISODES: nothing sleeps unless more episodes are allowed`, () => {
    expect(DEFAULT_LIMITS.warmEpisodes).toBe(DEFAULT_LIMITS.maxLiveEpisodes);
  });

  it("episodes that slept and were rebuilt answer byte for byte as episodes that stayed built", async () => {
    const episodes = [
      { id: "warm-easy", level: "easy", seed: 1 },
      { id: "warm-medium", level: "medium", seed: 2 },
      { id: "warm-hard", level: "hard", seed: 3, full: true },
      { id: "warm-expert", level: "expert", seed: 4 },
      { level: "medium", seed: 5 }, // the default episode (no id)
    ];
    const before = sleepy.env.warmStats().rebuilt;
    const [slept, stayed] = [await roundRobin(sleepy.baseUrl, episodes), await roundRobin(awake.baseUrl, episodes)];
    expect(slept).toEqual(stayed);
    // It really slept: each round woke every episode (5 episodes, 6 rounds), and at most 2 are built.
    expect(sleepy.env.warmStats().rebuilt - before).toBe(30);
    expect(sleepy.env.warmStats().warm).toBeLessThanOrEqual(2);
    expect(awake.env.warmStats().rebuilt).toBe(0);
    // Both hold the same live episodes.
    expect(dig((await http(sleepy.baseUrl, "GET", "/health")).json, "live_episodes")).toBe(
      dig((await http(awake.baseUrl, "GET", "/health")).json, "live_episodes"),
    );
  });

  it("a sleeping episode's stream history and close are those of one that stayed built; an episode with a subscriber stays built", async () => {
    const grpc = (baseUrl: string) => createClient(IncidentEnvService, createGrpcTransport({ baseUrl }));
    const run = async (baseUrl: string): Promise<unknown[]> => {
      const client = grpc(baseUrl);
      await client.reset({ taskLevel: TaskLevel.MEDIUM, seed: 9, episodeId: "streamed" });
      for (const [i, id] of ["other-1", "other-2", "other-3"].entries())
        await client.reset({ taskLevel: TaskLevel.EASY, seed: 20 + i, episodeId: id });
      await client.step({ episodeId: "streamed", action: { actionType: ActionType.ESCALATE, reasoning: "escalating" } });
      // Follow it live while other episodes push it out of the warm set, then step it and close it.
      const seen: unknown[] = [];
      const following = (async () => {
        for await (const item of client.streamEpisodeEvents({
          episodeId: "streamed",
          kinds: [EpisodeEventKind.STEP, EpisodeEventKind.STATUS],
        }))
          seen.push(item.event?.seq, item.event?.kind.case);
      })();
      await new Promise((resolve) => setTimeout(resolve, 100));
      for (const id of ["other-1", "other-2", "other-3"]) await client.getState({ episodeId: id });
      await client.step({ episodeId: "streamed", action: { actionType: ActionType.ESCALATE, reasoning: "escalating again" } });
      for (const id of ["other-1", "other-2", "other-3"]) await client.getState({ episodeId: id });
      const closed = await client.closeEpisode({ episodeId: "streamed" });
      await following;
      // The history after close, from a fresh stream on a sleeping episode: none left, it is closed.
      return [...seen, closed.state?.stepCount, closed.state?.status];
    };
    const [slept, stayed] = [await run(sleepy.baseUrl), await run(awake.baseUrl)];
    expect(slept).toEqual(stayed);
    expect(slept).toContain("step");
  });

  it("never puts an episode with a live clock to sleep (its world follows wall-clock time)", () => {
    const env = new IncidentEnvironment({ limits: { warmEpisodes: 1 } });
    env.reset(
      create(ResetRequestSchema, { taskLevel: TaskLevel.EASY, seed: 1, episodeId: "live", clock: ClockMode.LIVE, minutesPerSecond: 1 }),
    );
    env.reset(create(ResetRequestSchema, { taskLevel: TaskLevel.EASY, seed: 2, episodeId: "turns-1" }));
    env.reset(create(ResetRequestSchema, { taskLevel: TaskLevel.EASY, seed: 3, episodeId: "turns-2" }));
    const rebuilt = env.warmStats().rebuilt;
    env.getState(create(GetStateRequestSchema, { episodeId: "live" }));
    expect(env.warmStats().rebuilt).toBe(rebuilt);
    env.getState(create(GetStateRequestSchema, { episodeId: "turns-1" }));
    expect(env.warmStats().rebuilt).toBe(rebuilt + 1);
    void env.shutdown();
  });
});
