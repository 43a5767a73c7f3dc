/**
 * What a live clock may cost, through the real server on a fake clock:
 * - nobody watching, nothing runs: no timer is scheduled for a live episode, and its world does
 *   not move until someone reads or steps it (then it catches up exactly);
 * - a stream subscriber keeps a timer running, so its journal fills as time passes, and the
 *   timer stops when the last subscriber leaves;
 * - the natural end (LIVE_EPISODE_MAX_MINUTES): at that many simulated minutes the episode ends,
 *   truncated and graded, whether wall-clock time or a step took it there; afterwards it holds
 *   still, so an episode abandoned at 60 minutes per second and polled for hours keeps a bounded
 *   history (its minute, its journals, its timeline all stop growing);
 * - turn-based episodes never meet that limit (their step budget ends them);
 * - a live episode past its natural end counts as finished for MAX_LIVE_EPISODES even before
 *   anyone looks at it again, so it is evicted first to make room.
 */
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { describe, expect, it } from "vitest";
import { EpisodeEventKind, EpisodeStatus } from "../gen/incident/v1/enums_pb.js";
import { IncidentEnvService } from "../gen/incident/v1/service_pb.js";
import { DEFAULT_LIMITS } from "../src/env/limits.js";
import { TASKS } from "../src/env/tasks.js";
import { FakeClock } from "./support/fake-clock.js";
import { dig, http, useServer, type RunningServer } from "./support/server.js";

async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function state(server: RunningServer, id: string): Promise<Record<string, unknown>> {
  const response = await http(server.baseUrl, "GET", `/state?episode_id=${id}`);
  expect(response.status, response.text).toBe(200);
  return response.json as Record<string, unknown>;
}

async function resetLive(server: RunningServer, id: string, minutesPerSecond: number): Promise<void> {
  const response = await http(server.baseUrl, "POST", "/reset", {
    episode_id: id,
    seed: 5,
    clock: "live",
    minutes_per_second: minutesPerSecond,
  });
  expect(response.status, response.text).toBe(200);
}

/** Every entry a stream of a finished episode still holds (it ends once they are sent). */
async function keptEntries(server: RunningServer, id: string): Promise<{ logs: number; events: number }> {
  const client = createClient(IncidentEnvService, createGrpcTransport({ baseUrl: server.baseUrl }));
  let logs = 0;
  let events = 0;
  for await (const _ of client.streamLogs({ episodeId: id })) logs++;
  for await (const _ of client.streamEpisodeEvents({ episodeId: id })) events++;
  return { logs, events };
}

describe("nobody watching (default limits)", () => {
  const clock = new FakeClock();
  const server = useServer({ clock });

  it("schedules no timer and runs no minute until someone looks, then catches up exactly", async () => {
    const idle = clock.pendingTimers;
    await resetLive(server, "unwatched", 60);
    expect(clock.pendingTimers).toBe(idle);
    clock.advance(10_000); // 600 simulated minutes due
    expect(server.env.episodeRecord("unwatched").world.minute).toBe(0); // no work was done meanwhile
    expect((await state(server, "unwatched")).time_elapsed_minutes).toBe(600);
    expect(clock.pendingTimers).toBe(idle);
  });

  it(`an abandoned episode at 60 minutes per second, polled for hours, ends at ${DEFAULT_LIMITS.liveEpisodeMaxMinutes} minutes and then holds still`, async () => {
    const limit = DEFAULT_LIMITS.liveEpisodeMaxMinutes;
    await resetLive(server, "abandoned", 60);
    // Polled every 10 s of wall-clock time (which keeps it from idle eviction) for an hour.
    for (let second = 0; second < 3600; second += 10) {
      clock.advance(10_000);
      const polled = await state(server, "abandoned");
      expect(polled.time_elapsed_minutes).toBe(Math.min(limit, (second + 10) * 60));
    }
    const ended = await state(server, "abandoned");
    expect(ended.done).toBe(true);
    expect(ended.truncated).toBe(true);
    expect(["terminated_success", "terminated_failed"]).toContain(ended.status);
    expect(dig(ended, "grade.raw_score")).toBe(ended.total_reward);
    const kept = await keptEntries(server, "abandoned");
    const timeline = server.env.episodeRecord("abandoned").world.timeline.length;

    // Hours more of wall-clock time and polling change nothing: the history is a bounded window.
    for (let hour = 0; hour < 3; hour++) {
      clock.advance(3_600_000);
      expect(await state(server, "abandoned")).toEqual(ended);
    }
    expect(await keptEntries(server, "abandoned")).toEqual(kept);
    expect(server.env.episodeRecord("abandoned").world.timeline.length).toBe(timeline);
    expect(server.env.episodeRecord("abandoned").world.minute).toBe(limit);
  });
});

describe("a subscriber keeps the clock running", () => {
  const clock = new FakeClock();
  const server = useServer({ clock });

  it("runs a timer while a stream is open, so readings arrive without a request, and stops it when the stream ends", async () => {
    const idle = clock.pendingTimers;
    await resetLive(server, "watched", 2);
    expect(clock.pendingTimers).toBe(idle);

    const client = createClient(IncidentEnvService, createGrpcTransport({ baseUrl: server.baseUrl }));
    const abort = new AbortController();
    const minutes: number[] = [];
    const reading = (async () => {
      for await (const m of client.streamEpisodeEvents(
        { episodeId: "watched", kinds: [EpisodeEventKind.METRIC] },
        { signal: abort.signal },
      ))
        minutes.push(m.event?.minute ?? -1);
    })().catch(() => {});
    await waitFor(() => minutes.length > 0, "the opening readings");
    // Two timers now: the episode's clock, and the stall watchdog of the streams.
    await waitFor(() => clock.pendingTimers === idle + 2, "the live clock's timer");

    clock.advance(3000); // 6 simulated minutes, and no request meanwhile
    await waitFor(() => minutes.includes(6), "readings of minute 6, sent by the timer");

    abort.abort();
    await reading;
    await waitFor(() => clock.pendingTimers === idle, "every timer stopped once the stream ended");
    const minute = server.env.episodeRecord("watched").world.minute;
    clock.advance(60_000);
    expect(server.env.episodeRecord("watched").world.minute).toBe(minute);
    expect((await state(server, "watched")).time_elapsed_minutes).toBe(6 + 120);
  });
});

describe("the natural end (LIVE_EPISODE_MAX_MINUTES=30)", () => {
  const LIMIT = 30;
  const clock = new FakeClock();
  const server = useServer({ clock, limits: { liveEpisodeMaxMinutes: LIMIT } });

  it("wall-clock time ends the episode at the limit: truncated, graded, its streams ended, its clock stopped", async () => {
    const idle = clock.pendingTimers;
    await resetLive(server, "by-time", 1);
    const client = createClient(IncidentEnvService, createGrpcTransport({ baseUrl: server.baseUrl }));
    const statuses: EpisodeStatus[] = [];
    let ended = false;
    const following = (async () => {
      for await (const m of client.streamEpisodeEvents({ episodeId: "by-time", kinds: [EpisodeEventKind.STATUS] })) {
        if (m.event?.kind.case === "status") statuses.push(m.event.kind.value.episodeStatus);
      }
      ended = true;
    })();
    await waitFor(() => statuses.length > 0, "the opening status");

    clock.advance(45_000); // 45 minutes due; the episode stops at 30
    await waitFor(() => ended, "the stream to end with the episode");
    await following;
    expect(statuses.at(-1)).not.toBe(EpisodeStatus.RUNNING);
    await waitFor(() => clock.pendingTimers === idle, "the clock's timer stopped");

    const over = await state(server, "by-time");
    expect(over.time_elapsed_minutes).toBe(LIMIT);
    expect(over.done).toBe(true);
    expect(over.truncated).toBe(true);
    expect(over.step_count).toBe(0);
    expect(dig(over, "grade.raw_score")).toBe(over.total_reward);

    const late = await http(server.baseUrl, "POST", "/step", { episode_id: "by-time", action: { action_type: "escalate" } });
    expect(late.status, late.text).toBe(409);
    expect(dig(late.json, "code")).toBe("failed_precondition");
    expect(String(dig(late.json, "message"))).toContain(`time limit of ${LIMIT} simulated minutes`);
  });

  it("a step that reaches the limit ends the episode, truncated, with the grade as its reward, like the last step of the budget", async () => {
    await resetLive(server, "by-steps", 0.001); // the wall clock hardly moves it: the steps do
    const steps = LIMIT / TASKS.easy.minutesPerStep;
    expect(steps).toBeLessThan(TASKS.easy.maxSteps);
    for (let k = 1; k <= steps; k++) {
      const step = await http(server.baseUrl, "POST", "/step", {
        episode_id: "by-steps",
        action: { action_type: "escalate", reasoning: `step ${k}` },
      });
      expect(step.status, step.text).toBe(200);
      const last = k === steps;
      expect(dig(step.json, "done")).toBe(last);
      expect(dig(step.json, "info.truncated")).toBe(last);
      if (last) {
        const over = await state(server, "by-steps");
        expect(dig(step.json, "reward")).toBe(over.total_reward);
        expect(dig(step.json, "info.breakdown.raw_score")).toBe(over.total_reward);
        expect(over.time_elapsed_minutes).toBe(LIMIT);
      } else {
        expect(dig(step.json, "reward")).toBe(0);
      }
    }
  });

  it("does not apply to turn-based episodes: their step budget ends them", async () => {
    await http(server.baseUrl, "POST", "/reset", { episode_id: "turns", seed: 5 });
    for (let k = 1; k < TASKS.easy.maxSteps; k++) {
      const step = await http(server.baseUrl, "POST", "/step", {
        episode_id: "turns",
        action: { action_type: "escalate", reasoning: `step ${k}` },
      });
      expect(dig(step.json, "done"), `step ${k}`).toBe(false);
    }
    expect((await state(server, "turns")).time_elapsed_minutes).toBeGreaterThan(LIMIT);
  });
});

describe("a live episode past its natural end frees its slot (MAX_LIVE_EPISODES=2)", () => {
  const clock = new FakeClock();
  const server = useServer({ clock, limits: { maxLiveEpisodes: 2, liveEpisodeMaxMinutes: 10 } });

  it("counts as finished, though nobody looked since, and is evicted first to make room", async () => {
    await resetLive(server, "expired", 1);
    await http(server.baseUrl, "POST", "/reset", { episode_id: "running", seed: 5 });
    clock.advance(20_000); // the live one's 10 minutes are long over; nobody has read it
    const third = await http(server.baseUrl, "POST", "/reset", { episode_id: "third", seed: 5 });
    expect(third.status, third.text).toBe(200);
    expect((await http(server.baseUrl, "GET", "/state?episode_id=expired")).status).toBe(404);
    expect((await http(server.baseUrl, "GET", "/state?episode_id=running")).status).toBe(200);
  });
});
