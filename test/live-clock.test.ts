/**
 * The live clock (Reset{clock: live, minutes_per_second}) on a fake clock: the world advances
 * with wall-clock time between steps and logs and metrics roll in; steps still add their minutes;
 * turn-based episodes ignore the wall clock; a long absence is caught up exactly on the next
 * access; the timer (which runs only while a stream follows the episode) stops when the episode
 * ends or is closed; the proto rules refuse a live clock without a rate, and a rate without a
 * live clock. What a live clock may cost (no timer unwatched, its natural end): live-clock-limits.test.ts.
 */
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { describe, expect, it } from "vitest";
import { ClockMode, EpisodeEventKind } from "../gen/incident/v1/enums_pb.js";
import { IncidentEnvService } from "../gen/incident/v1/service_pb.js";
import { TASKS } from "../src/env/tasks.js";
import { FakeClock } from "./support/fake-clock.js";
import { dig, http, useServer } from "./support/server.js";

const clock = new FakeClock();
const server = useServer({ clock });

async function state(id: string): Promise<Record<string, unknown>> {
  const response = await http(server.baseUrl, "GET", `/state?episode_id=${id}`);
  expect(response.status, response.text).toBe(200);
  return response.json as Record<string, unknown>;
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("turn-based (the default)", () => {
  it("ignores the wall clock: only steps move simulated time", async () => {
    const reset = await http(server.baseUrl, "POST", "/reset", { episode_id: "turn", seed: 5 });
    expect(dig(reset.json, "state.clock")).toBe("turn_based");
    expect(dig(reset.json, "state.minutes_per_second")).toBe(0);
    const before = await state("turn");
    clock.advance(10 * 60_000);
    expect(await state("turn")).toEqual(before);
    await http(server.baseUrl, "POST", "/step", { episode_id: "turn", action: { action_type: "escalate" } });
    expect((await state("turn")).time_elapsed_minutes).toBe(TASKS.easy.minutesPerStep);
  });
});

describe("live clock", () => {
  it("advances the world with wall-clock time between steps, so metrics and logs roll in while the agent thinks", async () => {
    const reset = await http(server.baseUrl, "POST", "/reset", { episode_id: "live", seed: 5, clock: "live", minutes_per_second: 2 });
    expect(reset.status, reset.text).toBe(200);
    expect(dig(reset.json, "state.clock")).toBe("live");
    expect(dig(reset.json, "state.minutes_per_second")).toBe(2);
    expect(dig(reset.json, "observation.time_elapsed_minutes")).toBe(0);

    const client = createClient(IncidentEnvService, createGrpcTransport({ baseUrl: server.baseUrl }));
    const minutes: number[] = [];
    const lines: number[] = [];
    const abort = new AbortController();
    const logsSeen = (await client.getState({ episodeId: "live" })).state?.timeElapsedMinutes;
    expect(logsSeen).toBe(0);
    const metrics = (async () => {
      for await (const m of client.streamEpisodeEvents({ episodeId: "live", kinds: [EpisodeEventKind.METRIC] }, { signal: abort.signal }))
        minutes.push(m.event?.minute ?? -1);
    })().catch(() => {});
    const logs = (async () => {
      for await (const m of client.streamLogs({ episodeId: "live" }, { signal: abort.signal })) lines.push(m.entry?.seq ?? -1);
    })().catch(() => {});
    await waitFor(() => minutes.length > 0 && lines.length > 0, "the opening history");
    const openingLines = lines.length;
    expect(new Set(minutes)).toEqual(new Set([0]));

    clock.advance(1500); // 1.5 s at 2 min/s: 3 simulated minutes
    expect((await state("live")).time_elapsed_minutes).toBe(3);
    clock.advance(2500); // 4 s in all: 8 minutes
    expect((await state("live")).time_elapsed_minutes).toBe(8);
    await waitFor(() => minutes.includes(8), "metric readings at minute 8");
    // A reading for every minute the world ran, each minute once per metric, in order.
    const distinct = [...new Set(minutes)];
    expect(distinct).toEqual([...distinct].sort((a, b) => a - b));
    expect(distinct.at(-1)).toBe(8);

    // Logs roll in without a step (generated incidents print lines every few minutes).
    clock.advance(20_000); // 40 more minutes
    await waitFor(() => lines.length > openingLines, "log lines printed by the live clock");
    expect(lines).toEqual(Array.from({ length: lines.length }, (_, i) => i + 1));

    // A step still adds its own minutes.
    const step = await http(server.baseUrl, "POST", "/step", { episode_id: "live", action: { action_type: "escalate" } });
    expect(dig(step.json, "observation.time_elapsed_minutes")).toBe(48 + TASKS.easy.minutesPerStep);
    abort.abort();
    await Promise.all([metrics, logs]);
  });

  it("is exact on access, not only on timer ticks", async () => {
    await http(server.baseUrl, "POST", "/reset", { episode_id: "exact", seed: 5, clock: "live", minutes_per_second: 60 });
    clock.advance(250); // ticks every 100 ms ran 12 minutes; reading the state catches up to 15
    expect((await state("exact")).time_elapsed_minutes).toBe(15);
  });

  it("catches up every minute due after a long absence, on the next access", async () => {
    await http(server.baseUrl, "POST", "/reset", { episode_id: "frozen", seed: 5, clock: "live", minutes_per_second: 60 });
    clock.jump(10_000); // ten seconds without timers: 600 simulated minutes due
    expect((await state("frozen")).time_elapsed_minutes).toBe(600);
    clock.jump(500);
    expect((await state("frozen")).time_elapsed_minutes).toBe(630);
  });

  it("stops its timer when the episode ends or is closed", async () => {
    for (const id of ["live", "exact", "frozen"]) await http(server.baseUrl, "DELETE", `/episodes/${id}`);
    const idle = clock.pendingTimers;
    await http(server.baseUrl, "POST", "/reset", { episode_id: "stops-1", seed: 5, clock: "live", minutes_per_second: 1 });
    await http(server.baseUrl, "POST", "/reset", { episode_id: "stops-2", seed: 5, clock: "live", minutes_per_second: 1 });
    expect(clock.pendingTimers).toBe(idle); // nobody follows them yet
    // A stream on each: their clocks run on timers (and the streams' stall watchdog on one more).
    const client = createClient(IncidentEnvService, createGrpcTransport({ baseUrl: server.baseUrl }));
    const follows = ["stops-1", "stops-2"].map((episodeId) =>
      (async () => {
        for await (const _ of client.streamEpisodeEvents({ episodeId })) void _;
      })(),
    );
    await waitFor(() => clock.pendingTimers === idle + 3, "a timer per followed live episode");
    const done = await http(server.baseUrl, "POST", "/step", { episode_id: "stops-1", action: { action_type: "resolve" } });
    expect(dig(done.json, "done")).toBe(true);
    await waitFor(() => clock.pendingTimers === idle + 2, "the finished episode's timer stopped");
    const closed = await http(server.baseUrl, "DELETE", "/episodes/stops-2");
    expect(dig(closed.json, "clock")).toBe("live");
    await Promise.all(follows); // both streams end with their episodes
    await waitFor(() => clock.pendingTimers === idle, "every timer stopped");
    // A finished live episode no longer moves, and still says it was live.
    const frozen = await state("stops-1");
    clock.advance(60_000);
    expect(await state("stops-1")).toEqual(frozen);
    expect(frozen.clock).toBe("live");
    expect(frozen.minutes_per_second).toBe(1);
  });

  it("a restarted episode id stops the old episode's clock", async () => {
    const idle = clock.pendingTimers;
    await http(server.baseUrl, "POST", "/reset", { episode_id: "restart", seed: 5, clock: "live", minutes_per_second: 1 });
    await http(server.baseUrl, "POST", "/reset", { episode_id: "restart", seed: 5 });
    expect(clock.pendingTimers).toBe(idle);
    expect((await state("restart")).clock).toBe("turn_based");
  });
});

describe("clock rules (protovalidate, every transport)", () => {
  it.each([
    ["live without a rate", { clock: "live" }, "reset.live_clock_rate"],
    ["a zero rate", { clock: "live", minutes_per_second: 0 }, "double.gt_lte"],
    ["a rate over 60", { clock: "live", minutes_per_second: 61 }, "double.gt_lte"],
    ["a rate without the live clock", { minutes_per_second: 2 }, "reset.rate_needs_live_clock"],
    ["a rate with the turn-based clock", { clock: "turn_based", minutes_per_second: 2 }, "reset.rate_needs_live_clock"],
    ["an unknown clock word", { clock: "fast" }, "enum.defined_only"],
  ])("REST refuses %s with 400", async (_label, body, rule) => {
    const response = await http(server.baseUrl, "POST", "/reset", { episode_id: "bad-clock", ...body });
    expect(response.status, response.text).toBe(400);
    expect(dig(response.json, "code")).toBe("invalid_argument");
    expect(dig(response.json, "violations.0.rule")).toBe(rule);
  });

  it("Connect refuses a live clock without a rate with invalid_argument", async () => {
    const client = createClient(IncidentEnvService, createGrpcTransport({ baseUrl: server.baseUrl }));
    const error = await client.reset({ clock: ClockMode.LIVE }).then(
      () => undefined,
      (e: unknown) => ConnectError.from(e),
    );
    expect(error?.code).toBe(Code.InvalidArgument);
    const ok = await client.reset({ clock: ClockMode.LIVE, minutesPerSecond: 0.5, episodeId: "connect-live" });
    expect(ok.state?.clock).toBe(ClockMode.LIVE);
    expect(ok.state?.minutesPerSecond).toBe(0.5);
    await client.closeEpisode({ episodeId: "connect-live" });
  });
});
