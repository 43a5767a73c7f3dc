/**
 * StreamLogs and StreamEpisodeEvents through real connect-node clients (gRPC over h2c, Connect,
 * gRPC-Web) while other clients step the episode: filters, resume by after_seq without gaps or
 * duplicates, several subscribers, the end of the stream with the episode, cancel freeing the
 * stream's slot, the per-episode subscriber limit, the overflow policy (a reader that falls behind
 * the bounded history gets a gap, then the oldest entry kept), and 200 concurrent subscribers
 * that are not held up by one stalled subscriber, which the stall watchdog drops.
 */
import { create, toBinary } from "@bufbuild/protobuf";
import { timestampFromMs, timestampMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient, type Client, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ActionType, EpisodeEventKind, EpisodeStatus, LogLevel, TaskLevel } from "../gen/incident/v1/enums_pb.js";
import { IncidentEnvService, StreamLogsRequestSchema } from "../gen/incident/v1/service_pb.js";
import { ServiceMetricSchema, type LogEntry, type ServiceMetric } from "../gen/incident/v1/telemetry_pb.js";
import { Journal, type JournalItem } from "../src/env/journal.js";
import { DEFAULT_STREAM_LIMITS, streamLimitsFromEnv } from "../src/env/limits.js";
import { rawConnectStream } from "./support/raw-stream.js";
import { dig, http, useServer } from "./support/server.js";

const server = useServer();
/** Tiny histories and a subscriber cap, to exercise the overflow policy and the limit. */
const small = useServer({
  limits: { maxLogLinesPerEpisode: 10 },
  streamLimits: { maxEventsPerEpisode: 40, maxSubscribersPerEpisode: 3, streamStallTimeoutMs: 60_000 },
});
/** For the 200-subscriber run: a short stall timeout so that the stalled subscriber is dropped within the test. */
const STALL_MS = 8000;
const crowd = useServer({ streamLimits: { streamStallTimeoutMs: STALL_MS } });

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

/** Steps an episode until it is done; returns the rewards. */
async function playToEnd(client: EnvClient, episodeId: string): Promise<number[]> {
  const rewards: number[] = [];
  for (let i = 0; i < 40; i++) {
    const step = await client.step({ episodeId, action: ESCALATE });
    rewards.push(step.reward);
    if (step.done) return rewards;
  }
  throw new Error("the episode did not end");
}

/** Every log line after afterSeq up to and including lastSeq, then the stream is cancelled. */
async function logsUpTo(client: EnvClient, request: Parameters<EnvClient["streamLogs"]>[0], lastSeq: number): Promise<LogEntry[]> {
  const entries: LogEntry[] = [];
  for await (const m of client.streamLogs(request)) {
    if (m.entry) entries.push(m.entry);
    if ((m.entry?.seq ?? 0) >= lastSeq) break;
  }
  return entries;
}

function contiguous(seqs: readonly unknown[], from = 1): number[] {
  return Array.from({ length: seqs.length }, (_, i) => from + i);
}

describe("StreamLogs over gRPC", () => {
  it("filters by service, level and time, and a client that reconnects resumes after its last seq with no gap and no duplicate", async () => {
    const client = grpc(server.baseUrl);
    await client.reset({ taskLevel: TaskLevel.MEDIUM, seed: 3, episodeId: "filters" });
    let lastSeq = 0;
    for (let i = 0; i < 4; i++)
      lastSeq = (await client.step({ episodeId: "filters", action: ESCALATE })).observation?.recentLogs.at(-1)?.seq ?? 0;
    const all = await logsUpTo(client, { episodeId: "filters" }, lastSeq);
    expect(all.map((e) => e.seq)).toEqual(contiguous(all.map((e) => e.seq)));
    expect(all.length).toBe(lastSeq);

    // Service and level.
    const counts = new Map<string, number>();
    for (const e of all) counts.set(e.service, (counts.get(e.service) ?? 0) + 1);
    const service = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "";
    const wanted = all.filter((e) => e.service === service && e.level >= LogLevel.WARN);
    expect(wanted.length).toBeGreaterThan(0);
    const lastWanted = wanted.at(-1)?.seq ?? 0;
    const filtered = await logsUpTo(client, { episodeId: "filters", services: [service], minLevel: LogLevel.WARN }, lastWanted);
    expect(filtered).toEqual(wanted);

    // Time: only lines stamped at or after `since`.
    const middle = all[Math.floor(all.length / 2)];
    const sinceMs = timestampMs(middle?.timestamp ?? timestampFromMs(0));
    const recent = all.filter((e) => timestampMs(e.timestamp ?? timestampFromMs(0)) >= sinceMs);
    expect(await logsUpTo(client, { episodeId: "filters", since: timestampFromMs(sinceMs) }, recent.at(-1)?.seq ?? 0)).toEqual(recent);

    // Resume: read part, drop the stream, resume after the last seq seen.
    const cut = all[Math.floor(all.length / 3)]?.seq ?? 1;
    const first = await logsUpTo(client, { episodeId: "filters" }, cut);
    const rest = await logsUpTo(client, { episodeId: "filters", afterSeq: cut }, lastSeq);
    expect([...first, ...rest].map((e) => e.seq)).toEqual(all.map((e) => e.seq));

    // A resumed, filtered stream: the filtered lines after the cut, none twice.
    const resumedFiltered = await logsUpTo(
      client,
      { episodeId: "filters", services: [service], minLevel: LogLevel.WARN, afterSeq: cut },
      lastWanted,
    );
    expect(resumedFiltered).toEqual(wanted.filter((e) => e.seq > cut));
    await client.closeEpisode({ episodeId: "filters" });
  });

  it("several subscribers over gRPC, Connect and gRPC-Web get every line in order while another client steps, and each stream ends with the episode", async () => {
    const transports: Transport[] = [
      createGrpcTransport({ baseUrl: server.baseUrl }),
      createConnectTransport({ baseUrl: server.baseUrl, httpVersion: "2", useBinaryFormat: true }),
      createConnectTransport({ baseUrl: server.baseUrl, httpVersion: "1.1" }),
      createGrpcWebTransport({ baseUrl: server.baseUrl, httpVersion: "1.1" }),
    ];
    const stepper = createClient(IncidentEnvService, createConnectTransport({ baseUrl: server.baseUrl, httpVersion: "1.1" }));
    await stepper.reset({ taskLevel: TaskLevel.HARD, seed: 9, episodeId: "many" });
    const received = transports.map(() => [] as number[]);
    const streams = transports.map(async (transport, i) => {
      for await (const m of createClient(IncidentEnvService, transport).streamLogs({ episodeId: "many" }))
        received[i]?.push(m.entry?.seq ?? -1);
    });
    await waitFor(() => received.every((r) => r.length > 0), "every subscriber to start");
    await playToEnd(stepper, "many");
    await Promise.all(streams); // each ends on its own: the episode ended
    const state = (await stepper.getState({ episodeId: "many" })).state;
    expect(state?.done).toBe(true);
    for (const seqs of received) expect(seqs).toEqual(contiguous(seqs));
    expect(new Set(received.map((r) => r.length)).size).toBe(1);
    expect(received[0]?.length).toBeGreaterThan(100);
  });
});

describe("StreamEpisodeEvents", () => {
  it("tells log lines, metric readings, status changes and steps in one numbered order; steps carry the rewards the stepper got", async () => {
    const client = grpc(server.baseUrl);
    const reset = await client.reset({ taskLevel: TaskLevel.EASY, scenarioId: "INC-EASY-001", seed: 42, episodeId: "events" });
    const events: Array<{ seq: number; kind: string | undefined; value: unknown }> = [];
    const stream = (async () => {
      for await (const m of client.streamEpisodeEvents({ episodeId: "events" }))
        events.push({ seq: m.event?.seq ?? -1, kind: m.event?.kind.case, value: m.event?.kind.value });
    })();
    const inspected = await client.step({ episodeId: "events", action: { actionType: ActionType.INSPECT, targetService: "postgres-db" } });
    const done = await client.step({
      episodeId: "events",
      action: { actionType: ActionType.DIAGNOSE, targetService: "postgres-db", reasoning: "connection slots exhausted" },
    });
    expect(done.done).toBe(true);
    await stream;

    expect(events.map((e) => e.seq)).toEqual(contiguous(events.map((e) => e.seq)));
    const kinds = new Set(events.map((e) => e.kind));
    expect(kinds).toEqual(new Set(["log", "metric", "status", "step"]));
    // The first status event tells the starting statuses; the last event is the terminal status.
    const statuses = events
      .filter((e) => e.kind === "status")
      .map((e) => e.value as { episodeStatus: EpisodeStatus; previousEpisodeStatus: EpisodeStatus });
    expect(statuses[0]).toMatchObject({ episodeStatus: EpisodeStatus.RUNNING, previousEpisodeStatus: EpisodeStatus.UNSPECIFIED });
    expect(events.at(-1)?.kind).toBe("status");
    expect(statuses.at(-1)).toMatchObject({
      episodeStatus: EpisodeStatus.TERMINATED_SUCCESS,
      previousEpisodeStatus: EpisodeStatus.RUNNING,
    });
    const steps = events
      .filter((e) => e.kind === "step")
      .map((e) => e.value as { step: number; reward: number; done: boolean; actionType: ActionType });
    expect(steps.map((s) => [s.step, s.actionType, s.done])).toEqual([
      [1, ActionType.INSPECT, false],
      [2, ActionType.DIAGNOSE, true],
    ]);
    expect(steps[1]?.reward).toBe(done.reward);
    // Log events carry the log's own numbering: the lines the reset observation showed are there.
    const logSeqs = events.filter((e) => e.kind === "log").map((e) => (e.value as LogEntry).seq);
    expect(logSeqs).toEqual(contiguous(logSeqs));
    expect(logSeqs).toEqual(expect.arrayContaining((reset.observation?.recentLogs ?? []).map((l) => l.seq)));
    // Each time the world advances, the events tell the overview metrics the observation shows then,
    // one event per reading, in the observation's order, with the same fields.
    const samples: ServiceMetric[][] = [];
    events.forEach((e, i) => {
      if (e.kind !== "metric") return;
      if (events[i - 1]?.kind !== "metric") samples.push([]);
      samples.at(-1)?.push(e.value as ServiceMetric);
    });
    expect(samples.length).toBeGreaterThanOrEqual(2);
    const shown = [reset.observation?.metrics ?? [], inspected.observation?.metrics ?? []];
    for (const [i, metrics] of shown.entries()) {
      expect(metrics.length).toBeGreaterThan(0);
      expect(samples[i]?.map((m) => toBinary(ServiceMetricSchema, m))).toEqual(metrics.map((m) => toBinary(ServiceMetricSchema, m)));
    }
  });

  it("filters by kind, service and level, and resumes by after_seq", async () => {
    const client = grpc(server.baseUrl);
    await client.reset({ taskLevel: TaskLevel.MEDIUM, seed: 4, episodeId: "kinds" });
    await playToEnd(client, "kinds");
    type Seen = { seq: number; kind: string | undefined; service: string | undefined; level: LogLevel | undefined };
    const read = async (request: {
      kinds?: EpisodeEventKind[];
      services?: string[];
      minLevel?: LogLevel;
      afterSeq?: number;
    }): Promise<Seen[]> => {
      const got: Seen[] = [];
      // The episode is over, so each stream sends what is kept and ends.
      for await (const m of client.streamEpisodeEvents({ episodeId: "kinds", ...request })) {
        const e = m.event;
        const service = e?.kind.case === "log" ? e.kind.value.service : e?.kind.case === "metric" ? e.kind.value.serviceName : undefined;
        got.push({ seq: e?.seq ?? -1, kind: e?.kind.case, service, level: e?.kind.case === "log" ? e.kind.value.level : undefined });
      }
      return got;
    };
    const all = await read({});
    expect(all.map((e) => e.seq)).toEqual(contiguous(all.map((e) => e.seq)));
    expect(await read({ kinds: [EpisodeEventKind.METRIC, EpisodeEventKind.STEP] })).toEqual(
      all.filter((e) => e.kind === "metric" || e.kind === "step"),
    );
    const service = all.find((e) => e.kind === "metric")?.service ?? "";
    expect(await read({ services: [service] })).toEqual(all.filter((e) => e.service === undefined || e.service === service));
    expect(await read({ minLevel: LogLevel.ERROR, kinds: [EpisodeEventKind.LOG] })).toEqual(
      all.filter((e) => e.kind === "log" && (e.level ?? 0) >= LogLevel.ERROR),
    );
    const cut = all[Math.floor(all.length / 2)]?.seq ?? 0;
    expect(await read({ afterSeq: cut })).toEqual(all.filter((e) => e.seq > cut));
    expect(await read({ afterSeq: all.at(-1)?.seq ?? 0 })).toEqual([]);
  });

  it("ends cleanly when the episode is closed, after a closed status event", async () => {
    const client = grpc(server.baseUrl);
    await client.reset({ taskLevel: TaskLevel.EASY, seed: 8, episodeId: "closing" });
    const kinds: Array<string | undefined> = [];
    let last: unknown;
    const stream = (async () => {
      for await (const m of client.streamEpisodeEvents({ episodeId: "closing", kinds: [EpisodeEventKind.STATUS] })) {
        kinds.push(m.event?.kind.case);
        last = m.event?.kind.value;
      }
    })();
    await waitFor(() => kinds.length === 1, "the opening status");
    const closed = await http(server.baseUrl, "DELETE", "/episodes/closing");
    expect(dig(closed.json, "status")).toBe("closed");
    await stream; // no error: the stream ends with OK
    expect(kinds).toEqual(["status", "status"]);
    expect(last).toMatchObject({ episodeStatus: EpisodeStatus.CLOSED, previousEpisodeStatus: EpisodeStatus.RUNNING });
    expect(await codeOf(client.streamLogs({ episodeId: "closing" })[Symbol.asyncIterator]().next())).toBe(Code.NotFound);
  });
});

describe("stream resources", () => {
  it("a cancelled client frees its slot at once", async () => {
    const client = grpc(server.baseUrl);
    await client.reset({ taskLevel: TaskLevel.EASY, seed: 2, episodeId: "cancel" });
    const health = async () => Number(dig((await http(server.baseUrl, "GET", "/health")).json, "live_streams"));
    const baseline = await health();
    const controllers = [new AbortController(), new AbortController(), new AbortController()];
    const started = controllers.map(() => false);
    const streams = controllers.map(async (abort, i) => {
      try {
        const call =
          i === 0
            ? client.streamEpisodeEvents({ episodeId: "cancel" }, { signal: abort.signal })
            : client.streamLogs({ episodeId: "cancel" }, { signal: abort.signal });
        for await (const _ of call) started[i] = true;
      } catch (e) {
        expect(ConnectError.from(e).code).toBe(Code.Canceled);
      }
    });
    await waitFor(() => started.every(Boolean), "three streams");
    expect(server.env.streamsOf("cancel")).toBe(3);
    expect(await health()).toBe(baseline + 3);
    for (const abort of controllers) abort.abort();
    await Promise.all(streams);
    await waitFor(() => server.env.streamsOf("cancel") === 0, "the slots to be freed", 2000);
    expect(await health()).toBe(baseline);
    // The episode plays on.
    expect((await client.step({ episodeId: "cancel", action: ESCALATE })).observation?.step).toBe(1);
  });

  it("MAX_SUBSCRIBERS_PER_EPISODE refuses one stream too many with resource_exhausted (gRPC) and 429 (SSE)", async () => {
    const client = grpc(small.baseUrl);
    await client.reset({ taskLevel: TaskLevel.EASY, seed: 2, episodeId: "crowded" });
    const abort = new AbortController();
    const open = [0, 1, 2].map(async () => {
      for await (const _ of client.streamLogs({ episodeId: "crowded" }, { signal: abort.signal })) {
        // keep reading
      }
    });
    await waitFor(() => small.env.streamsOf("crowded") === 3, "three streams");
    expect(await codeOf(client.streamLogs({ episodeId: "crowded" })[Symbol.asyncIterator]().next())).toBe(Code.ResourceExhausted);
    const sse = await http(small.baseUrl, "GET", "/episodes/crowded/events");
    expect(sse.status).toBe(429);
    expect(dig(sse.json, "code")).toBe("resource_exhausted");
    expect(String(dig(sse.json, "message"))).toMatch(/MAX_SUBSCRIBERS_PER_EPISODE/);
    abort.abort();
    await Promise.allSettled(open);
    await waitFor(() => small.env.streamsOf("crowded") === 0, "the slots to be freed", 2000);
    // A slot is free again.
    const again = client.streamLogs({ episodeId: "crowded" })[Symbol.asyncIterator]();
    expect((await again.next()).done).toBe(false);
    await again.return?.();
  });

  it("refuses an unknown episode (not_found) and broken filters (invalid_argument) before streaming", async () => {
    const client = grpc(server.baseUrl);
    await client.reset({ taskLevel: TaskLevel.EASY, seed: 2, episodeId: "rules" });
    expect(await codeOf(client.streamLogs({ episodeId: "no-such-episode" })[Symbol.asyncIterator]().next())).toBe(Code.NotFound);
    expect(await codeOf(client.streamEpisodeEvents({ episodeId: "no-such-episode" })[Symbol.asyncIterator]().next())).toBe(Code.NotFound);
    expect(
      await codeOf(
        client
          .streamLogs({ episodeId: "rules", services: ["a", "a"] })
          [Symbol.asyncIterator]()
          .next(),
      ),
    ).toBe(Code.InvalidArgument);
    expect(
      await codeOf(
        client
          .streamLogs({ episodeId: "rules", services: [""] })
          [Symbol.asyncIterator]()
          .next(),
      ),
    ).toBe(Code.InvalidArgument);
    expect(
      await codeOf(
        client
          .streamEpisodeEvents({ episodeId: "rules", kinds: [9 as EpisodeEventKind] })
          [Symbol.asyncIterator]()
          .next(),
      ),
    ).toBe(Code.InvalidArgument);
    expect(
      await codeOf(
        client
          .streamLogs({ episodeId: "rules", minLevel: 42 as LogLevel })
          [Symbol.asyncIterator]()
          .next(),
      ),
    ).toBe(Code.InvalidArgument);
    expect(server.env.streamsOf("rules")).toBe(0);
  });
});

describe("overflow policy: a reader that falls behind the bounded history gets one gap, then the oldest entry kept", () => {
  it("in the environment itself, deterministically", async () => {
    const client = grpc(small.baseUrl);
    await client.reset({ taskLevel: TaskLevel.MEDIUM, seed: 3, episodeId: "gap-env" });
    const reader = small.env.streamLogs(create(StreamLogsRequestSchema, { episodeId: "gap-env" }));
    const first = await reader.next();
    const firstSeq = first.value?.entry?.seq ?? 0; // history starts with the oldest of the 10 lines kept: no gap
    expect(first.value?.gap).toBeUndefined();
    // The reader holds still while the episode prints far more than 10 lines.
    await playToEnd(client, "gap-env");
    const rest: Array<{ seq?: number; gap?: [number, number] }> = [];
    for await (const m of reader) rest.push(m.gap ? { gap: [m.gap.firstMissingSeq, m.gap.lastMissingSeq] } : { seq: m.entry?.seq ?? -1 });
    const lastSeq = rest.at(-1)?.seq ?? 0;
    expect(rest[0]).toEqual({ gap: [firstSeq + 1, lastSeq - 10] });
    expect(rest.slice(1).map((r) => r.seq)).toEqual(contiguous(rest.slice(1), lastSeq - 9));
    expect(small.env.streamsOf("gap-env")).toBe(0);
  });

  it("over HTTP/2, for a client whose flow-control window stays full while the episode runs on", async () => {
    const client = grpc(small.baseUrl);
    await client.reset({ taskLevel: TaskLevel.MEDIUM, seed: 3, episodeId: "gap-h2" });
    const stalled = rawConnectStream(small.baseUrl, "/incident.v1.IncidentEnvService/StreamEpisodeEvents", { episodeId: "gap-h2" });
    await waitFor(() => small.env.streamsOf("gap-h2") === 1, "the stream to open");
    await playToEnd(client, "gap-h2"); // the episode never waits for the stalled reader
    stalled.read();
    await stalled.whenClosed;
    expect(stalled.end).toEqual({});
    const items = (stalled.messages as Array<{ event: { seq: number; gap?: { firstMissingSeq: number; lastMissingSeq: number } } }>).map(
      (m) => m.event,
    );
    // Every number from the first to the last is accounted for exactly once: delivered, or inside
    // a gap reported where it happened. (A step that prints more than the 40 events kept opens a
    // gap even for a fast reader; the stall opens a large one.)
    const accounted = items.flatMap((e) =>
      e.gap
        ? Array.from({ length: e.gap.lastMissingSeq - e.gap.firstMissingSeq + 1 }, (_, i) => (e.gap?.firstMissingSeq ?? 0) + i)
        : [e.seq],
    );
    expect(accounted).toEqual(contiguous(accounted, accounted[0]));
    const gaps = items.filter((e) => e.gap !== undefined).map((e) => e.gap);
    for (const gap of gaps) expect(items.find((e) => e.gap === gap)?.seq).toBe(gap?.lastMissingSeq);
    const biggest = Math.max(...gaps.map((g) => (g?.lastMissingSeq ?? 0) - (g?.firstMissingSeq ?? 0) + 1));
    expect(biggest).toBeGreaterThan(accounted.length / 2); // the stall: most of the episode went by unread
    // After the last gap: exactly the history kept at the end (MAX_EVENTS_PER_EPISODE = 40).
    const lastGapAt = items.map((e) => e.gap !== undefined).lastIndexOf(true);
    expect(items.slice(lastGapAt + 1).length).toBe(40);
  });
});

describe("the journal (property)", () => {
  it("whatever the capacity, batches and reading pace: every number after the start is delivered or inside a reported gap, exactly once, in order", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.tuple(fc.nat(25), fc.nat(8)), { maxLength: 25 }),
        fc.nat(6),
        async (capacity, rounds, afterSeq) => {
          const journal = new Journal<{ seq: number }>(capacity);
          const reader = journal.read(afterSeq);
          const items: Array<JournalItem<{ seq: number }>> = [];
          let accounted = afterSeq;
          const take = async (): Promise<void> => {
            const next = await reader.next();
            if (next.done) return;
            items.push(next.value);
            accounted = next.value.gap ? next.value.gap.last : next.value.seq;
          };
          for (const [batch, reads] of rounds) {
            journal.append(Array.from({ length: batch }, () => ({ seq: 0 })));
            // Read only what is there (a reader with nothing to read waits, as it should).
            for (let i = 0; i < reads && journal.nextSeq - 1 > accounted; i++) await take();
          }
          journal.close();
          for await (const item of reader) items.push(item);
          const numbers = items.flatMap((item) =>
            item.gap ? Array.from({ length: item.gap.last - item.gap.first + 1 }, (_, i) => (item.gap?.first ?? 0) + i) : [item.seq],
          );
          const end = journal.nextSeq - 1;
          if (end <= afterSeq) {
            expect(numbers).toEqual([]);
            return;
          }
          expect(numbers).toEqual(contiguous(numbers, numbers[0]));
          expect(numbers.at(-1)).toBe(end);
          // Resuming after N starts at N+1 (as an entry or a gap); 0 starts at the oldest kept, without a gap.
          if (afterSeq > 0) expect(numbers[0]).toBe(afterSeq + 1);
          else expect(items[0]?.gap).toBeUndefined();
          expect(journal.size).toBeLessThanOrEqual(capacity);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("200 concurrent subscribers and one stalled subscriber", () => {
  it("every subscriber gets every line in order, none waits for the stalled one, and the watchdog drops the stalled one after STREAM_STALL_TIMEOUT", async () => {
    const SUBSCRIBERS = 200;
    const stepper = grpc(crowd.baseUrl);
    await stepper.reset({ taskLevel: TaskLevel.MEDIUM, seed: 11, episodeId: "crowd" });
    // One client that opens a stream and never reads it (tiny flow-control window).
    const stalled = rawConnectStream(crowd.baseUrl, "/incident.v1.IncidentEnvService/StreamEpisodeEvents", { episodeId: "crowd" }, 256);
    // 200 subscribers on 10 HTTP/2 connections.
    const clients = Array.from({ length: 10 }, () => grpc(crowd.baseUrl));
    const received = Array.from({ length: SUBSCRIBERS }, () => [] as number[]);
    const finishedAt = Array.from({ length: SUBSCRIBERS }, () => 0);
    const streams = received.map(async (seqs, i) => {
      for await (const m of (clients[i % clients.length] as EnvClient).streamLogs({ episodeId: "crowd" })) seqs.push(m.entry?.seq ?? -1);
      finishedAt[i] = Date.now();
    });
    await waitFor(
      () => crowd.env.streamsOf("crowd") === SUBSCRIBERS + 1 && received.every((r) => r.length > 0),
      "every subscriber to start",
      20_000,
    );

    const started = Date.now();
    await playToEnd(stepper, "crowd");
    const lastStepAt = Date.now();
    await Promise.all(streams);
    const allDoneAt = Math.max(...finishedAt);

    const lastSeq = (await stepper.getState({ episodeId: "crowd" })).state?.done ? Math.max(...received.map((r) => r.at(-1) ?? 0)) : -1;
    expect(lastSeq).toBeGreaterThan(100);
    for (const seqs of received) expect(seqs).toEqual(contiguous(seqs, 1));
    for (const seqs of received) expect(seqs.length).toBe(lastSeq);

    // The stalled subscriber held nobody up: the others were all done before the watchdog even
    // dropped it, and within a small time of the last step.
    expect(stalled.closed).toBe(false);
    expect(crowd.env.streamsOf("crowd")).toBe(1);
    expect(allDoneAt - lastStepAt).toBeLessThan(2000);
    console.log(
      `200 subscribers: episode played in ${lastStepAt - started} ms; last subscriber done ${allDoneAt - lastStepAt} ms after the last step`,
    );

    // Policy: after STREAM_STALL_TIMEOUT without taking a waiting entry, the stalled client is dropped.
    await stalled.whenClosed;
    const droppedAfter = Date.now() - lastStepAt;
    expect(droppedAfter).toBeLessThan(STALL_MS * 3);
    await waitFor(() => crowd.env.streamsOf("crowd") === 0, "the stalled slot to be freed", 2000);
    expect(dig((await http(crowd.baseUrl, "GET", "/health")).json, "live_streams")).toBe(0);
    expect(stalled.end).toBeUndefined(); // dropped, not ended
  }, 90_000);
});

describe("streaming limits from environment variables", () => {
  it("reads each variable, falls back to the defaults, and rejects nonsense", () => {
    expect(streamLimitsFromEnv({})).toEqual(DEFAULT_STREAM_LIMITS);
    expect(
      streamLimitsFromEnv({
        MAX_EVENTS_PER_EPISODE: "500",
        MAX_SUBSCRIBERS_PER_EPISODE: "9",
        STREAM_STALL_TIMEOUT_SECONDS: "3",
        SSE_HEARTBEAT_SECONDS: "2",
        WS_MAX_SESSIONS: "4",
        WS_MAX_MESSAGE_BYTES: "2048",
        WS_PING_INTERVAL_SECONDS: "7",
      }),
    ).toEqual({
      maxEventsPerEpisode: 500,
      maxSubscribersPerEpisode: 9,
      streamStallTimeoutMs: 3000,
      sseHeartbeatMs: 2000,
      wsMaxSessions: 4,
      wsMaxMessageBytes: 2048,
      wsPingIntervalMs: 7000,
    });
    expect(() => streamLimitsFromEnv({ WS_MAX_SESSIONS: "0" })).toThrow(/WS_MAX_SESSIONS/);
    expect(() => streamLimitsFromEnv({ STREAM_STALL_TIMEOUT_SECONDS: "soon" })).toThrow(/STREAM_STALL_TIMEOUT_SECONDS/);
  });
});
