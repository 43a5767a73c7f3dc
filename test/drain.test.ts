/**
 * The drain on SIGTERM (issue 10, section 4), on the real server in a child process
 * (`node --import tsx src/main.ts`), in the server's thread and with WORKERS=2:
 * - a step whose request had arrived when SIGTERM came gets its result (200), never a reset;
 * - a gRPC log stream ends with `unavailable` saying the server is draining; an SSE stream gets
 *   its `end` event with "reason": "draining" and the last id it sent; a /ws session gets a close
 *   frame 1001; an idle Interact session ends with `unavailable`;
 * - during the drain /health answers 503 with status draining, a new request on a connection kept
 *   alive gets 503 `unavailable` with Retry-After and Connection: close, a new gRPC call gets
 *   `unavailable` and gRPC Health says HEALTH_STATUS_DRAINING;
 * - the process exits 0 once all that is done, well within DRAIN_TIMEOUT_SECONDS; and when
 *   something never finishes, the drain cuts it at DRAIN_TIMEOUT_SECONDS and exits 1.
 */
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { describe, expect, it } from "vitest";
import WebSocket from "ws";
import { HealthStatus, TaskLevel } from "../gen/incident/v1/enums_pb.js";
import { IncidentEnvService, InteractRequestSchema, type InteractRequest } from "../gen/incident/v1/service_pb.js";
import { DEFAULT_SERVER_SETTINGS, serverSettingsFromEnv } from "../src/server/server-settings.js";
import { readResponse, tcp, waitFor } from "./support/raw-clients.js";
import { startReplica, type ReplicaProcess } from "./support/replica-process.js";

const DRAIN_TIMEOUT_SECONDS = 10;

/** Resolves with the exit code (and when it came) of a server process. */
function exitOf(server: ReplicaProcess): Promise<{ code: number | null; at: number }> {
  return new Promise((resolve) => server.child.once("exit", (code) => resolve({ code, at: Date.now() })));
}

/** A stream of Interact requests the test feeds one by one. */
function requestQueue(): { push(request: InteractRequest): void; iterable: AsyncIterable<InteractRequest> } {
  const waiting: ((request: InteractRequest) => void)[] = [];
  const queued: InteractRequest[] = [];
  return {
    push(request) {
      const waiter = waiting.shift();
      if (waiter) waiter(request);
      else queued.push(request);
    },
    iterable: {
      async *[Symbol.asyncIterator]() {
        for (;;) yield queued.shift() ?? (await new Promise<InteractRequest>((resolve) => waiting.push(resolve)));
      },
    },
  };
}

describe("DRAIN_TIMEOUT_SECONDS", () => {
  it("is 10 s by default, read from the environment, and refuses a bad value", () => {
    expect(DEFAULT_SERVER_SETTINGS.drainTimeoutMs).toBe(10_000);
    expect(serverSettingsFromEnv({ DRAIN_TIMEOUT_SECONDS: "3" }).drainTimeoutMs).toBe(3000);
    expect(() => serverSettingsFromEnv({ DRAIN_TIMEOUT_SECONDS: "-1" })).toThrow(/DRAIN_TIMEOUT_SECONDS/);
  });
});

describe.each([{ workers: "1" }, { workers: "2" }])("SIGTERM with WORKERS=$workers", ({ workers }) => {
  it("answers what it had, ends every stream with a clear status, refuses new work with 503 / unavailable, and exits 0", async () => {
    const server = await startReplica({ WORKERS: workers, DRAIN_TIMEOUT_SECONDS: String(DRAIN_TIMEOUT_SECONDS) });
    const exit = exitOf(server);
    try {
      const grpc = createClient(IncidentEnvService, createGrpcTransport({ baseUrl: server.baseUrl }));
      await grpc.reset({ episodeId: "drain", taskLevel: TaskLevel.EASY, seed: 4 });

      // A gRPC log stream.
      const logs: number[] = [];
      const grpcEnd = (async (): Promise<ConnectError | undefined> => {
        try {
          for await (const m of grpc.streamLogs({ episodeId: "drain" })) if (m.entry) logs.push(m.entry.seq);
          return undefined;
        } catch (error) {
          return ConnectError.from(error);
        }
      })();
      // An SSE stream over HTTP/1.1.
      const sse = await fetch(`${server.baseUrl}/episodes/drain/logs`);
      let sseText = "";
      const sseDone = (async () => {
        const decoder = new TextDecoder();
        for await (const chunk of sse.body ?? []) sseText += decoder.decode(chunk as Uint8Array, { stream: true });
      })();
      // A /ws session with its episode.
      const ws = new WebSocket(`${server.baseUrl.replace(/^http/, "ws")}/ws`);
      const wsClosed = new Promise<{ code: number; reason: string }>((resolve) =>
        ws.on("close", (code, reason) => resolve({ code, reason: String(reason) })),
      );
      const wsReplies: string[] = [];
      ws.on("message", (data) => wsReplies.push(String(data)));
      await new Promise((resolve) => ws.once("open", resolve));
      ws.send(JSON.stringify({ type: "reset", data: { seed: 2 } }));
      // An Interact session, idle after its reset.
      const queue = requestQueue();
      const interactions = grpc.interact(queue.iterable);
      const interactIterator = interactions[Symbol.asyncIterator]();
      queue.push(
        create(InteractRequestSchema, { requestId: 1n, request: { case: "reset", value: { episodeId: "drain-interact", seed: 5 } } }),
      );
      expect((await interactIterator.next()).value?.response.case).toBe("reset");
      // Two connections kept alive after a request each.
      const keptAlive = await Promise.all([tcp(Number(new URL(server.baseUrl).port)), tcp(Number(new URL(server.baseUrl).port))]);
      for (const socket of keptAlive) {
        socket.write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
        expect((await readResponse(socket))?.status).toBe(200);
      }
      // A step whose headers are in (the server said 100 Continue) and whose body is not yet sent.
      const body = JSON.stringify({ episode_id: "drain", action: { action_type: "inspect", target_service: "api-gateway" } });
      const held = await tcp(Number(new URL(server.baseUrl).port));
      const heldResponse = readResponse(held);
      held.write(
        `POST /step HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nExpect: 100-continue\r\n\r\n`,
      );
      await new Promise<void>((resolve) =>
        held.once("data", (chunk: Buffer) => (chunk.toString().startsWith("HTTP/1.1 100") ? resolve() : undefined)),
      );

      await waitFor(() => logs.length > 0 && sseText.includes("event: log") && wsReplies.length === 1, "every stream to be flowing");
      const lastSseId = [...sseText.matchAll(/^id: (\d+)$/gm)].map((m) => m[1]).at(-1);

      const sigterm = Date.now();
      server.child.kill("SIGTERM");
      await waitFor(() => server.output().includes("draining:"), "the drain to begin");

      // Streams end, each with its clear status.
      const grpcError = await grpcEnd;
      expect(grpcError?.code).toBe(Code.Unavailable);
      expect(grpcError?.rawMessage).toMatch(/draining/);
      await sseDone;
      const end = /event: end\ndata: (.*)\n/.exec(sseText.replace(/^id: .*\n(?=event: end)/m, ""));
      expect(end?.[1] && JSON.parse(end[1])).toEqual({ reason: "draining", last_seq: Number(lastSseId) });
      expect(sseText).toMatch(new RegExp(`id: ${lastSseId}\\nevent: end\\n`));
      expect(await wsClosed).toMatchObject({ code: 1001 });
      const interactEnd = await interactIterator.next().then(
        () => undefined,
        (error: unknown) => ConnectError.from(error),
      );
      expect(interactEnd?.code).toBe(Code.Unavailable);

      // New requests on connections kept alive: 503 with Retry-After, and the connection closes.
      const [first, second] = keptAlive as [typeof held, typeof held];
      first.write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
      const health = await readResponse(first);
      expect(health?.status).toBe(503);
      expect(JSON.parse(health?.body ?? "{}")).toMatchObject({ status: "draining" });
      expect(health?.headers["retry-after"]).toBeDefined();
      second.write("POST /reset HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
      const refused = await readResponse(second);
      expect(refused?.status).toBe(503);
      expect(JSON.parse(refused?.body ?? "{}")).toMatchObject({ code: "unavailable" });
      expect(refused?.headers["retry-after"]).toBeDefined();
      expect(refused?.headers.connection).toBe("close");
      // gRPC on the session still open: Health says draining, anything else is unavailable.
      expect((await grpc.health({})).status).toBe(HealthStatus.DRAINING);
      const resetError = await grpc.reset({ episodeId: "too-late" }).then(
        () => undefined,
        (error: unknown) => ConnectError.from(error),
      );
      expect(resetError?.code).toBe(Code.Unavailable);

      // The held step is still answered, with its result.
      held.write(body);
      const stepped = await heldResponse;
      expect(stepped?.status).toBe(200);
      expect(JSON.parse(stepped?.body ?? "{}")).toMatchObject({ done: false });
      expect(stepped?.headers.connection).toBe("close");

      const { code, at } = await exit;
      expect(code, server.output()).toBe(0);
      expect(at - sigterm).toBeLessThan(DRAIN_TIMEOUT_SECONDS * 1000);
      expect(server.output()).toMatch(/drained in \d+ ms/);
    } finally {
      server.child.kill("SIGKILL");
    }
  }, 90_000);
});

describe("a drain that cannot finish", () => {
  it("cuts what is left at DRAIN_TIMEOUT_SECONDS and exits 1", async () => {
    const server = await startReplica({ DRAIN_TIMEOUT_SECONDS: "2", REQUEST_TIMEOUT_SECONDS: "600" });
    const exit = exitOf(server);
    try {
      // A request whose body never comes.
      const stuck = await tcp(Number(new URL(server.baseUrl).port));
      stuck.write(
        "POST /step HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\nExpect: 100-continue\r\n\r\n",
      );
      await new Promise((resolve) => stuck.once("data", resolve));
      const closed = new Promise<void>((resolve) => stuck.once("close", () => resolve()));
      const sigterm = Date.now();
      server.child.kill("SIGTERM");
      const { code, at } = await exit;
      await closed;
      expect(code).toBe(1);
      expect(at - sigterm).toBeGreaterThanOrEqual(1900);
      expect(at - sigterm).toBeLessThan(2000 + 5000);
      expect(server.output()).toMatch(/cutting 1 requests/);
    } finally {
      server.child.kill("SIGKILL");
    }
  }, 90_000);
});
