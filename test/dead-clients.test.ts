/**
 * Dead clients hold nothing (issue 10, section 1), through the real server:
 * - a gRPC or Connect stream client killed (SIGKILL) mid-stream frees its stream slot and its
 *   server-side socket within seconds; so do 256 killed gRPC, Connect and SSE-over-HTTP/2 stream
 *   clients on one episode (MAX_SUBSCRIBERS_PER_EPISODE), after which a new stream opens;
 * - a client that dies while sending a request body, over HTTP/2 or HTTP/1.1, leaves no socket;
 * - REQUEST_TIMEOUT_SECONDS: a body that trickles in is cut (HTTP/1.1: 408 and close; HTTP/2: the
 *   stream is reset, the session goes on), and so is an Interact message half sent; a request that
 *   has arrived is never cut, however long its stream or its Interact session lasts;
 * - an HTTP/2 session with no open stream for the idle time is closed, one with a stream is not.
 */
import { create, fromBinary, toBinary, type MessageInitShape } from "@bufbuild/protobuf";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { spawn } from "node:child_process";
import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IncidentEnvService, InteractRequestSchema, InteractResponseSchema } from "../gen/incident/v1/service_pb.js";
import { TaskLevel } from "../gen/incident/v1/enums_pb.js";
import { createDualProtocolServer } from "../src/server/dual-server.js";
import { EnvelopeProgress } from "../src/server/h2-request-deadline.js";
import { DEFAULT_SERVER_SETTINGS, serverSettingsFromEnv } from "../src/server/server-settings.js";
import {
  envelope,
  openLogStream,
  rawH2,
  startCountedServer,
  tcp,
  waitFor,
  type CountedServer,
  type StreamTransport,
} from "./support/raw-clients.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** Short, so that the slow-request tests run in seconds. */
const REQUEST_TIMEOUT_MS = 1500;

let server: CountedServer;
beforeAll(async () => {
  server = await startCountedServer({}, { requestTimeoutMs: REQUEST_TIMEOUT_MS });
});
afterAll(async () => {
  await server.close();
});

const client = () => createClient(IncidentEnvService, createGrpcTransport({ baseUrl: server.baseUrl }));

async function reset(episodeId: string): Promise<void> {
  await client().reset({ episodeId, taskLevel: TaskLevel.EASY, seed: 11 });
}

/** Waits until the server holds no more sockets than `baseline` and no stream. */
async function backToBaseline(baseline: number, timeoutMs = 8000): Promise<void> {
  await waitFor(
    async () => server.env.health().liveStreams === 0 && server.inFlight() === 0 && (await server.connections()) <= baseline,
    "the streams, requests and sockets of the dead clients to be released",
    timeoutMs,
  );
}

it("a client that closes its connection before sending a byte leaves no socket", async () => {
  const baseline = await server.connections();
  const socket = await tcp(server.port);
  await waitFor(async () => (await server.connections()) === baseline + 1, "the connection");
  socket.end();
  await backToBaseline(baseline, 5000); // well before the 10 s allowed for the first bytes
});

describe("stream clients that die", () => {
  for (const protocol of ["grpc", "connect"] as const) {
    it(`a ${protocol} stream client killed with SIGKILL frees its stream slot and its socket within seconds`, async () => {
      await reset(`killed-${protocol}`);
      const baseline = await server.connections();
      const child = spawn(
        process.execPath,
        ["--import", "tsx", "test/support/stream-client.ts", server.baseUrl, `killed-${protocol}`, protocol],
        { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
      );
      let output = "";
      child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      try {
        await waitFor(() => output.includes("streaming"), `the child's stream (output: ${output})`, 30_000);
        expect(server.env.health().liveStreams).toBe(1);
        expect(await server.connections()).toBe(baseline + 1);
      } finally {
        child.kill("SIGKILL");
      }
      await exited;
      await backToBaseline(baseline);
    }, 45_000);
  }

  it("256 killed gRPC, Connect and SSE-over-HTTP/2 clients leave the episode's 256 stream slots free: a new stream opens", async () => {
    await reset("crowd");
    const baseline = await server.connections();
    const limit = server.env.streamLimits.maxSubscribersPerEpisode;
    expect(limit).toBe(256);
    const transports: StreamTransport[] = ["grpc", "connect", "sse"];
    const clients = await Promise.all(
      Array.from({ length: limit }, async (_, i) => {
        const h2 = await rawH2(server.port);
        openLogStream(h2.session, transports[i % transports.length] ?? "grpc", "crowd");
        return h2;
      }),
    );
    await waitFor(() => server.env.health().liveStreams === limit, "every stream to be open");
    // Each client dies: half of them as a killed process does (the socket closes: FIN), half
    // closing only their sending side (FIN, still reading): neither ever comes back.
    clients.forEach(({ socket }, i) => (i % 2 === 0 ? socket.destroy() : socket.end()));
    await backToBaseline(baseline);

    const cancel = new AbortController();
    const fresh = client().streamLogs({ episodeId: "crowd" }, { signal: cancel.signal });
    const first = await fresh[Symbol.asyncIterator]().next();
    expect(first.done).toBe(false);
    expect(first.value?.entry?.seq).toBe(1);
    cancel.abort();
    await waitFor(() => server.env.health().liveStreams === 0, "the new stream to be cancelled");
  }, 60_000);
});

describe("clients that die while sending a request body", () => {
  it("HTTP/2: the stream and the socket are released", async () => {
    await reset("half-body-h2");
    const baseline = await server.connections();
    const { socket, session } = await rawH2(server.port);
    const stream = session.request({ ":method": "POST", ":path": "/step", "content-type": "application/json", "content-length": "200" });
    stream.on("error", () => {});
    stream.write('{"episode_id": "half-body-h2", "action": {');
    await waitFor(() => server.inFlight() === 1, "the request to arrive");
    socket.destroy();
    await backToBaseline(baseline);
  });

  it("HTTP/1.1: the socket is released", async () => {
    const baseline = await server.connections();
    const socket = await tcp(server.port);
    socket.write('POST /step HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{"episode_id": "x", ');
    await waitFor(() => server.inFlight() === 1, "the request to arrive");
    socket.destroy();
    await backToBaseline(baseline);
  });
});

describe("REQUEST_TIMEOUT_SECONDS: a request must arrive whole in time", () => {
  it("is 30 s by default, read from the environment, and refuses a bad value", () => {
    expect(DEFAULT_SERVER_SETTINGS.requestTimeoutMs).toBe(30_000);
    expect(serverSettingsFromEnv({}).requestTimeoutMs).toBe(30_000);
    expect(serverSettingsFromEnv({ REQUEST_TIMEOUT_SECONDS: "7" }).requestTimeoutMs).toBe(7000);
    expect(() => serverSettingsFromEnv({ REQUEST_TIMEOUT_SECONDS: "0" })).toThrow(/REQUEST_TIMEOUT_SECONDS/);
    expect(() => serverSettingsFromEnv({ REQUEST_TIMEOUT_SECONDS: "1.5" })).toThrow(/REQUEST_TIMEOUT_SECONDS/);
  });

  it("HTTP/1.1: a body that stops halfway gets 408 and the connection closes after the timeout", async () => {
    const socket = await tcp(server.port);
    let received = "";
    socket.on("data", (chunk: Buffer) => (received += chunk.toString()));
    const closed = new Promise<number>((resolve) => socket.once("close", () => resolve(Date.now())));
    const started = Date.now();
    socket.write('POST /step HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{"episode_id": ');
    const at = await closed;
    expect(at - started).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 100);
    expect(at - started).toBeLessThan(REQUEST_TIMEOUT_MS + 5000);
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
  });

  it("HTTP/1.1: a body trickling in, a byte at a time, is cut too", async () => {
    const socket = await tcp(server.port);
    const closed = new Promise<number>((resolve) => socket.once("close", () => resolve(Date.now())));
    const started = Date.now();
    socket.write("POST /step HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n");
    const drip = setInterval(() => socket.write(" "), 100);
    const at = await closed;
    clearInterval(drip);
    expect(at - started).toBeLessThan(REQUEST_TIMEOUT_MS + 5000);
  });

  it("HTTP/2: a body that stops halfway has its stream reset after the timeout, and the session goes on", async () => {
    const { session, socket } = await rawH2(server.port);
    const stream = session.request({ ":method": "POST", ":path": "/step", "content-type": "application/json", "content-length": "200" });
    stream.on("error", () => {});
    const started = Date.now();
    stream.write('{"episode_id": ');
    const closedAt = await new Promise<number>((resolve) => stream.once("close", () => resolve(Date.now())));
    expect(stream.rstCode).toBe(http2.constants.NGHTTP2_CANCEL);
    expect(closedAt - started).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 100);
    expect(closedAt - started).toBeLessThan(REQUEST_TIMEOUT_MS + 5000);
    // The same session still serves a request.
    const health = session.request({ ":method": "GET", ":path": "/health" });
    const status = await new Promise<number | undefined>((resolve) => health.once("response", (headers) => resolve(headers[":status"])));
    expect(status).toBe(200);
    health.resume();
    // (Destroying the socket, not the session: Node's HTTP/2 client can spin in session.destroy()
    // after the server has reset one of its streams that still had data to send.)
    socket.destroy();
  });

  it("does not cut a stream whose request has arrived, nor an Interact session idle between messages, but cuts an Interact message half sent", async () => {
    await reset("long-lived");
    const { session, socket } = await rawH2(server.port);
    // A log stream (gRPC) and an SSE stream, both open for longer than the timeout.
    const grpcStream = openLogStream(session, "grpc", "long-lived");
    const sseStream = openLogStream(session, "sse", "long-lived");
    // An Interact session (gRPC): one reset now, one step after an idle time longer than the timeout.
    const interact = session.request({
      ":method": "POST",
      ":path": "/incident.v1.IncidentEnvService/Interact",
      "content-type": "application/grpc",
      te: "trailers",
    });
    interact.on("error", () => {});
    let received = Buffer.alloc(0);
    interact.on("data", (chunk: Buffer) => (received = Buffer.concat([received, chunk])));
    const payloads = (): Buffer[] => {
      const out: Buffer[] = [];
      for (let at = 0; at + 5 <= received.length; at += 5 + received.readUInt32BE(at + 1))
        out.push(received.subarray(at + 5, at + 5 + received.readUInt32BE(at + 1)));
      return out;
    };
    const responses = (): number => payloads().length;
    const send = (request: MessageInitShape<typeof InteractRequestSchema>): Buffer =>
      envelope(toBinary(InteractRequestSchema, create(InteractRequestSchema, request)));
    interact.write(send({ requestId: 1n, request: { case: "reset", value: { episodeId: "interact-idle", seed: 3 } } }));
    await waitFor(() => responses() === 1, "the reset's response");
    await new Promise((resolve) => setTimeout(resolve, REQUEST_TIMEOUT_MS * 2));
    expect(grpcStream.closed || sseStream.closed || interact.closed).toBe(false);
    expect(server.env.health().liveStreams).toBe(2);

    // After the idle time, the session still answers.
    interact.write(send({ requestId: 2n, request: { case: "state", value: {} } }));
    await waitFor(() => responses() === 2, "the state's response");
    const second = fromBinary(InteractResponseSchema, payloads()[1] ?? Buffer.alloc(0));
    expect(second.requestId).toBe(2n);
    expect(second.response.case).toBe("state");

    // Half a message, then nothing: the stream is reset after the timeout.
    const message = send({ requestId: 3n, request: { case: "state", value: {} } });
    const started = Date.now();
    interact.write(message.subarray(0, 3));
    const closedAt = await new Promise<number>((resolve) => interact.once("close", () => resolve(Date.now())));
    expect(interact.rstCode).toBe(http2.constants.NGHTTP2_CANCEL);
    expect(closedAt - started).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 100);
    expect(closedAt - started).toBeLessThan(REQUEST_TIMEOUT_MS + 5000);
    // The log streams go on.
    expect(grpcStream.closed || sseStream.closed).toBe(false);
    socket.destroy();
    await waitFor(() => server.env.health().liveStreams === 0, "the streams to end with their session");
  }, 30_000);

  it("cuts an Interact session whose first message stops halfway", async () => {
    const { session, socket } = await rawH2(server.port);
    const interact = session.request({
      ":method": "POST",
      ":path": "/incident.v1.IncidentEnvService/Interact",
      "content-type": "application/grpc",
      te: "trailers",
    });
    interact.on("error", () => {});
    const started = Date.now();
    interact.write(Buffer.from([0, 0, 0]));
    const closedAt = await new Promise<number>((resolve) => interact.once("close", () => resolve(Date.now())));
    expect(interact.rstCode).toBe(http2.constants.NGHTTP2_CANCEL);
    expect(closedAt - started).toBeLessThan(REQUEST_TIMEOUT_MS + 5000);
    socket.destroy();
  });

  it("finds the message boundaries of a stream cut anywhere (EnvelopeProgress)", () => {
    const stream = Buffer.concat([envelope(Buffer.from("abc")), envelope(Buffer.alloc(0)), envelope(Buffer.from("defgh"))]);
    for (let cut = 0; cut <= stream.length; cut++) {
      const progress = new EnvelopeProgress();
      const completed = progress.feed(stream.subarray(0, cut)) + progress.feed(stream.subarray(cut));
      expect(completed).toBe(3);
      expect(progress.midMessage).toBe(false);
    }
    const progress = new EnvelopeProgress();
    expect(progress.feed(stream.subarray(0, 6))).toBe(0);
    expect(progress.midMessage).toBe(true);
  });
});

describe("idle HTTP/2 sessions", () => {
  it("are closed (GOAWAY) once they have had no open stream for the idle time, never while a stream is open", async () => {
    const IDLE_MS = 400;
    const server = createDualProtocolServer(
      (req, res) => {
        if (req.url === "/slow") setTimeout(() => res.end("slow"), IDLE_MS * 4);
        else res.end("ok");
      },
      { h2IdleTimeoutMs: IDLE_MS },
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const busy = await rawH2(port);
      const busyGoaway = new Promise<number>((resolve) => busy.session.once("goaway", () => resolve(Date.now())));
      const idle = await rawH2(port);
      const idleGoaway = new Promise<number>((resolve) => idle.session.once("goaway", () => resolve(Date.now())));
      const started = Date.now();
      const slow = busy.session.request({ ":path": "/slow" });
      slow.resume();
      const slowDone = new Promise<number>((resolve) => slow.once("close", () => resolve(Date.now())));
      const idleAt = await idleGoaway;
      expect(idleAt - started).toBeGreaterThanOrEqual(IDLE_MS - 50);
      const doneAt = await slowDone;
      expect(slow.rstCode).toBe(http2.constants.NGHTTP2_NO_ERROR);
      const busyAt = await busyGoaway;
      expect(busyAt).toBeGreaterThanOrEqual(doneAt + IDLE_MS - 50); // idle only once its stream was over
      busy.socket.destroy();
      idle.socket.destroy();
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
