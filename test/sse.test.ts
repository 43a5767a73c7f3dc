/**
 * Server-Sent Events (GET /episodes/{id}/logs and /events) with the `eventsource` client: a
 * client cut off mid-stream reconnects with Last-Event-ID and resumes with no gap and no
 * duplicate; the end of the episode is an `end` event after which a reconnect gets 204 and
 * EventSource stops; filters; REST-dialect payloads; errors in the common shape; heartbeats;
 * a stalled SSE client over h2c is dropped by the stall watchdog.
 */
import { EventSource, type EventSourceFetchInit } from "eventsource";
import http2 from "node:http2";
import { describe, expect, it } from "vitest";
import { dig, http, useServer } from "./support/server.js";

const server = useServer();
const quick = useServer({ streamLimits: { sseHeartbeatMs: 100, streamStallTimeoutMs: 800 } });

async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function step(
  baseUrl: string,
  episodeId: string,
  action: Record<string, unknown> = { action_type: "escalate" },
): Promise<Record<string, unknown>> {
  const response = await http(baseUrl, "POST", "/step", { episode_id: episodeId, action });
  expect(response.status, response.text).toBe(200);
  return response.json as Record<string, unknown>;
}

async function playToEnd(baseUrl: string, episodeId: string): Promise<void> {
  for (let i = 0; i < 40; i++) if ((await step(baseUrl, episodeId)).done === true) return;
  throw new Error("the episode did not end");
}

/** Reads an SSE response body as raw text until `until` holds or the stream ends. */
async function readSse(response: Response, until: (text: string) => boolean): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return "";
  const decoder = new TextDecoder();
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    if (until(text)) {
      await reader.cancel();
      break;
    }
  }
  return text;
}

interface Frame {
  id: string | undefined;
  event: string;
  data: Record<string, unknown>;
}

function frames(text: string): Frame[] {
  return text
    .split("\n\n")
    .map((block) => block.split("\n").filter((line) => line !== "" && !line.startsWith(":")))
    .filter((lines) => lines.some((l) => l.startsWith("data: ")))
    .map((lines) => {
      const field = (name: string) => lines.find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2);
      return { id: field("id"), event: field("event") ?? "message", data: JSON.parse(field("data") ?? "null") as Record<string, unknown> };
    });
}

describe("resume after a disconnect (eventsource client)", () => {
  it("reconnects with Last-Event-ID and gets every line once, in order, then `end`, then 204 stops it", async () => {
    await http(server.baseUrl, "POST", "/reset", { task_level: "medium", seed: 3, episode_id: "sse-resume" });
    await step(server.baseUrl, "sse-resume");

    // A fetch that lets the test cut the first connection mid-stream (the body just ends, as when
    // a proxy or the network drops it), and records what each connection asked for.
    const requests: Array<{ lastEventId: string | undefined; status: number }> = [];
    let cut: (() => void) | undefined;
    const cuttingFetch = async (url: string | URL, init: EventSourceFetchInit) => {
      const headers = init.headers as Record<string, string>;
      const response = await fetch(url, init as RequestInit);
      requests.push({ lastEventId: headers["Last-Event-ID"], status: response.status });
      if (requests.length > 1 || !response.body) return response;
      const reader = response.body.getReader();
      let closed = false;
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          cut = () => {
            if (closed) return;
            closed = true;
            controller.close();
            void reader.cancel();
          };
        },
        async pull(controller) {
          const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
          if (closed) return;
          if (done || value === undefined) {
            closed = true;
            controller.close();
          } else controller.enqueue(value);
        },
      });
      return new Response(body, { status: response.status, headers: response.headers });
    };

    const seqs: number[] = [];
    const ids: string[] = [];
    let end: { lastEventId: string; data: Record<string, unknown> } | undefined;
    let failedWith: number | undefined;
    const source = new EventSource(`${server.baseUrl}/episodes/sse-resume/logs`, { fetch: cuttingFetch });
    source.addEventListener("log", (event: MessageEvent<string>) => {
      seqs.push(Number((JSON.parse(event.data) as { seq: number }).seq));
      ids.push(event.lastEventId);
      if (seqs.length === 10) cut?.();
    });
    source.addEventListener("end", (event: MessageEvent<string>) => {
      end = { lastEventId: event.lastEventId, data: JSON.parse(event.data) as Record<string, unknown> };
    });
    source.addEventListener("error", (event) => {
      failedWith = (event as { code?: number }).code;
    });

    await waitFor(() => requests.length === 1 && seqs.length >= 10, "the first connection");
    // While the client is cut off, the episode prints more lines.
    await step(server.baseUrl, "sse-resume");
    await step(server.baseUrl, "sse-resume");
    await waitFor(() => requests.length === 2, "the reconnection");
    await playToEnd(server.baseUrl, "sse-resume");
    await waitFor(() => source.readyState === source.CLOSED, "EventSource to stop", 15_000);

    const lastSeq =
      Number(dig((await http(server.baseUrl, "GET", "/state?episode_id=sse-resume")).json, "step_count")) > 0 ? Math.max(...seqs) : -1;
    expect(seqs).toEqual(Array.from({ length: lastSeq }, (_, i) => i + 1)); // no gap, no duplicate
    expect(ids).toEqual(seqs.map(String)); // id: is the sequence number
    expect(requests[0]?.lastEventId).toBeUndefined();
    expect(Number(requests[1]?.lastEventId)).toBeGreaterThanOrEqual(10); // resumed after what it had
    expect(end).toEqual({ lastEventId: String(lastSeq), data: { last_seq: lastSeq } });
    expect(requests.at(-1)).toEqual({ lastEventId: String(lastSeq), status: 204 });
    expect(requests.length).toBe(3);
    expect(failedWith).toBe(204);
    expect(server.env.streamsOf("sse-resume")).toBe(0);
  }, 30_000);
});

describe("filters and payloads", () => {
  it("logs: services, min_level and after_seq; data is a LogEntry in the REST dialect", async () => {
    await http(server.baseUrl, "POST", "/reset", { task_level: "hard", seed: 5, episode_id: "sse-filters" });
    await playToEnd(server.baseUrl, "sse-filters");
    const all = frames(await (await fetch(`${server.baseUrl}/episodes/sse-filters/logs`)).text());
    const logs = all.filter((f) => f.event === "log");
    expect(all.at(-1)?.event).toBe("end");
    expect(logs.map((f) => f.data.seq)).toEqual(logs.map((_, i) => i + 1));
    expect(Object.keys(logs[0]?.data ?? {}).sort()).toEqual(["level", "message", "seq", "service", "timestamp", "trace_id"]);
    expect(["DEBUG", "INFO", "WARN", "ERROR", "CRITICAL"]).toContain(logs[0]?.data.level);

    const service = String(logs.find((f) => f.data.level === "ERROR")?.data.service);
    const wanted = logs.filter((f) => f.data.service === service && ["WARN", "ERROR", "CRITICAL"].includes(String(f.data.level)));
    const filtered = frames(
      await (await fetch(`${server.baseUrl}/episodes/sse-filters/logs?services=${service},nothing-else&min_level=warn`)).text(),
    );
    expect(filtered.filter((f) => f.event === "log")).toEqual(wanted);

    const cut = 20;
    const after = frames(await (await fetch(`${server.baseUrl}/episodes/sse-filters/logs?after_seq=${cut}`)).text()).filter(
      (f) => f.event === "log",
    );
    expect(after).toEqual(logs.filter((f) => Number(f.data.seq) > cut));
  });

  it("events: kinds and the event name of each kind; data is an EpisodeEvent in the REST dialect", async () => {
    const text = await (await fetch(`${server.baseUrl}/episodes/sse-filters/events?kinds=status,step`)).text();
    const events = frames(text).filter((f) => f.event !== "end");
    expect(new Set(events.map((f) => f.event))).toEqual(new Set(["status", "step"]));
    for (const f of events) {
      expect(f.id).toBe(String(f.data.seq));
      expect(f.data[f.event]).toBeDefined();
    }
    const firstStatus = events.find((f) => f.event === "status")?.data.status;
    expect(firstStatus).toEqual({
      incident_status: "open",
      episode_status: "running",
      previous_incident_status: "unspecified",
      previous_episode_status: "unspecified",
    });
    const lastStep = events.filter((f) => f.event === "step").at(-1)?.data.step as Record<string, unknown>;
    expect(lastStep).toMatchObject({ action_type: "escalate", done: true, truncated: true });
    const all = frames(await (await fetch(`${server.baseUrl}/episodes/sse-filters/events`)).text());
    expect(new Set(all.map((f) => f.event))).toEqual(new Set(["log", "metric", "status", "step", "end"]));
  });

  it("answers 204 to a client that already has everything of a finished episode", async () => {
    const all = frames(await (await fetch(`${server.baseUrl}/episodes/sse-filters/events`)).text());
    const end = all.at(-1);
    expect(end?.event).toBe("end");
    const again = await fetch(`${server.baseUrl}/episodes/sse-filters/events`, { headers: { "Last-Event-ID": String(end?.id) } });
    expect(again.status).toBe(204);
    expect(await again.text()).toBe("");
  });
});

describe("errors before the stream starts use the common error shape", () => {
  it.each([
    ["/episodes/no-such-episode/logs", {}, 404, "not_found", undefined],
    ["/episodes/no-such-episode/events", {}, 404, "not_found", undefined],
    ["/episodes/sse-filters/logs?min_level=loud", {}, 400, "invalid_argument", "enum.defined_only"],
    ["/episodes/sse-filters/logs?after_seq=-4", {}, 400, "invalid_argument", "type.mismatch"],
    ["/episodes/sse-filters/events?kinds=log,nonsense", {}, 400, "invalid_argument", "enum.defined_only"],
    ["/episodes/sse-filters/logs?colour=blue", {}, 400, "invalid_argument", "field.known"],
    ["/episodes/sse-filters/logs?kinds=log", {}, 400, "invalid_argument", "field.known"],
    ["/episodes/sse-filters/logs", { "Last-Event-ID": "abc" }, 400, "invalid_argument", "header.seq"],
  ])("GET %s -> %i", async (path, headers, status, code, rule) => {
    const response = await http(server.baseUrl, "GET", path, undefined, headers);
    expect(response.status, response.text).toBe(status);
    expect(Object.keys(response.json as object).sort()).toEqual(["code", "message", "violations"]);
    expect(dig(response.json, "code")).toBe(code);
    if (rule) expect(dig(response.json, "violations.0.rule")).toBe(rule);
  });

  it("EventSource sees the 404 as a failed connection and does not retry", async () => {
    const source = new EventSource(`${server.baseUrl}/episodes/no-such-episode/logs`);
    const code = await new Promise<number | undefined>((resolve) =>
      source.addEventListener("error", (e) => resolve((e as { code?: number }).code)),
    );
    expect(code).toBe(404);
    expect(source.readyState).toBe(source.CLOSED);
  });
});

describe("liveness", () => {
  it("sends a heartbeat comment every SSE_HEARTBEAT_SECONDS while nothing happens", async () => {
    await http(quick.baseUrl, "POST", "/reset", { episode_id: "beat", seed: 1 });
    const response = await fetch(`${quick.baseUrl}/episodes/beat/events?kinds=step`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/text\/event-stream/);
    const text = await readSse(response, (t) => (t.match(/: heartbeat/g) ?? []).length >= 2);
    expect((text.match(/: heartbeat/g) ?? []).length).toBeGreaterThanOrEqual(2);
    expect(text).toMatch(/^retry: 1000\n\n/);
    await waitFor(() => quick.env.streamsOf("beat") === 0, "the closed stream's slot", 2000);
  });

  it("drops an SSE client over h2c that stops reading, after STREAM_STALL_TIMEOUT_SECONDS", async () => {
    await http(quick.baseUrl, "POST", "/reset", { task_level: "medium", episode_id: "sse-stall", seed: 4 });
    const session = http2.connect(quick.baseUrl, { settings: { initialWindowSize: 256 } });
    session.on("error", () => {});
    const stream = session.request({ ":path": "/episodes/sse-stall/events", accept: "text/event-stream" });
    stream.on("error", () => {});
    stream.pause();
    const closed = new Promise<void>((resolve) => stream.on("close", () => resolve()));
    await waitFor(() => quick.env.streamsOf("sse-stall") === 1, "the SSE stream");
    await playToEnd(quick.baseUrl, "sse-stall"); // never waits for the stalled client
    await closed;
    expect(stream.rstCode).toBe(http2.constants.NGHTTP2_CANCEL);
    expect(quick.env.streamsOf("sse-stall")).toBe(0);
    session.destroy();
  });
});
