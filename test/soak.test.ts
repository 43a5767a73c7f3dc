/**
 * Soak (issue 10, sections 1 and 2): thousands of short easy episodes on loopback against the real
 * app in a process of its own (test/support/soak-server.ts), most of whose clients vanish: in the
 * middle of a step (the request sent, the socket destroyed before the answer), in the middle of a
 * request body, in the middle of a stream (SSE over HTTP/1.1, gRPC, Connect and SSE over HTTP/2),
 * and in the middle of a /ws session. Afterwards the server holds no stream, no request, no
 * connection and no socket or timer more than at the start, and once the abandoned episodes have
 * been idle past EPISODE_IDLE_TTL_SECONDS and swept, no episode; its heap after forced garbage
 * collection is back near its baseline (what stays is compiled code), and a heap census finds no
 * more sockets, HTTP/2 sessions and streams, requests, /ws sessions, abort signals, timers or
 * episodes than at the start.
 *
 * Bounded: EPISODES episodes at CONCURRENCY at a time take about 15-25 s on a loaded 2-core machine.
 */
import { fork, type ChildProcess } from "node:child_process";
import http from "node:http";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { openLogStream, rawH2, tcp, waitFor, type StreamTransport } from "./support/raw-clients.js";
import { CENSUS, type SoakMeasure, type SoakReply } from "./support/soak-protocol.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const ROUNDS = 2;
const EPISODES = 2500;
const WARM_UP_EPISODES = 240;
const CONCURRENCY = 24;
/** Heap the server may keep above its baseline after the soak (JIT code, caches that fill once). */
const HEAP_SLACK_BYTES = 6 * 1024 * 1024;

let child: ChildProcess;
let port = 0;
const replies: SoakReply[] = [];
const waiters: (() => void)[] = [];

async function ask<T extends SoakReply["type"]>(message: string, type: T): Promise<Extract<SoakReply, { type: T }>> {
  child.send(message);
  for (;;) {
    const index = replies.findIndex((r) => r.type === type);
    if (index >= 0) return replies.splice(index, 1)[0] as Extract<SoakReply, { type: T }>;
    await new Promise<void>((resolve) => waiters.push(resolve));
  }
}

beforeAll(async () => {
  child = fork("test/support/soak-server.ts", [], {
    cwd: ROOT,
    execArgv: ["--expose-gc", "--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  child.on("message", (reply: SoakReply) => {
    replies.push(reply);
    for (const resolve of waiters.splice(0)) resolve();
  });
  const listening = new Promise<SoakReply>((resolve) => child.once("message", resolve));
  const first = await listening;
  if (first.type !== "listening") throw new Error(`unexpected ${first.type}`);
  replies.splice(replies.indexOf(first), 1);
  port = first.port;
}, 60_000);

afterAll(() => {
  child?.kill("SIGKILL");
});

/** A polite client's requests: one keep-alive agent, destroyed between phases. */
let agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function post(path: string, body: unknown): Promise<number> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: "127.0.0.1",
        port,
        path,
        method: "POST",
        agent,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(payload) },
      },
      (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode ?? 0));
      },
    );
    request.on("error", reject);
    request.end(payload);
  });
}

const step = (id: string) => ({ episode_id: id, action: { action_type: "inspect", target_service: "api-gateway" } });

/** Waits for the first bytes on a socket (a stream has started), or its end. */
function firstBytes(socket: NodeJS.EventEmitter): Promise<void> {
  return new Promise((resolve) => {
    socket.once("data", () => resolve());
    socket.once("close", () => resolve());
  });
}

/** One episode, played by a client that behaves (kind 0) or vanishes in one of several ways. */
async function episode(i: number): Promise<void> {
  const id = `soak-${i}`;
  const kind = i % 7;
  // INC-EASY-001: a system with an api-gateway to inspect (an inspect of a service the system lacks is refused).
  if (kind !== 6) expect(await post("/reset", { episode_id: id, task_level: "easy", scenario_id: "INC-EASY-001", seed: i })).toBe(200);
  switch (kind) {
    case 0: // polite: a few steps
      for (let s = 0; s < 3; s++) expect(await post("/step", step(id))).toBe(200);
      return;
    case 1: {
      // vanishes in the middle of a step: the request is sent, the answer never read
      const socket = await tcp(port);
      const body = JSON.stringify(step(id));
      socket.end(
        `POST /step HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
      socket.destroy();
      return;
    }
    case 2: {
      // vanishes in the middle of a request body
      const socket = await tcp(port);
      socket.write(
        `POST /step HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"episode_id": "${id}", `,
      );
      await new Promise((resolve) => setTimeout(resolve, 5));
      socket.destroy();
      return;
    }
    case 3: {
      // vanishes in the middle of an SSE stream over HTTP/1.1
      const socket = await tcp(port);
      socket.write(`GET /episodes/${id}/events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n`);
      await firstBytes(socket);
      socket.destroy();
      return;
    }
    case 4:
    case 5: {
      // vanishes in the middle of a gRPC, Connect or SSE stream over HTTP/2
      const transports: StreamTransport[] = ["grpc", "connect", "sse"];
      const { socket, session } = await rawH2(port);
      const stream = openLogStream(session, transports[i % 3] ?? "grpc", id);
      await firstBytes(stream);
      socket.destroy();
      return;
    }
    case 6: {
      // vanishes in the middle of a /ws session, a step sent and not answered
      const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
      ws.on("error", () => {});
      await new Promise((resolve) => ws.once("open", resolve));
      const replied = new Promise((resolve) => ws.once("message", resolve));
      ws.send(JSON.stringify({ type: "reset", data: { episode_id: id, task_level: "easy", scenario_id: "INC-EASY-001", seed: i } }));
      await replied;
      ws.send(JSON.stringify({ type: "step", data: { action_type: "inspect", target_service: "api-gateway" } }));
      ws.terminate();
      return;
    }
  }
}

/** Plays episodes [from, to) with CONCURRENCY clients at a time. */
async function play(from: number, to: number): Promise<void> {
  let next = from;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < to) await episode(next++);
    }),
  );
}

/** Lets every vanished client's leftovers go, then expires and sweeps the abandoned episodes. */
async function settle(): Promise<SoakMeasure> {
  agent.destroy();
  agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let last: SoakMeasure | undefined;
  await waitFor(
    async () => {
      last = (await ask("measure", "measured")).measure;
      return last.liveStreams === 0 && last.connections === 0 && last.inFlight === 0;
    },
    "the server to release every stream, request and connection",
    15_000,
  ).catch((error: unknown) => {
    throw new Error(`${String(error)}: ${JSON.stringify(last)}`);
  });
  await ask("expire", "expired");
  return (await ask("measure", "measured")).measure;
}

describe("soak: clients that vanish mid-step and mid-stream", () => {
  it(`${ROUNDS} rounds of ${EPISODES} episodes leave no stream, socket, timer, episode or heap behind`, async () => {
    await play(0, WARM_UP_EPISODES);
    const baseline = await settle();
    expect(baseline).toMatchObject({ liveEpisodes: 0, liveStreams: 0, connections: 0, inFlight: 0 });
    const baseCensus = (await ask("census", "census")).counts;
    const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);

    let previous = baseline;
    for (let round = 0; round < ROUNDS; round++) {
      const from = WARM_UP_EPISODES + round * EPISODES;
      const started = Date.now();
      await play(from, from + EPISODES);
      const playedMs = Date.now() - started;
      const loaded = (await ask("measure", "measured")).measure;
      const after = await settle();
      const growth = after.heapUsedBytes - previous.heapUsedBytes;
      console.log(
        `soak round ${round + 1}: ${EPISODES} episodes in ${(playedMs / 1000).toFixed(1)} s; server heap after GC ${mib(previous.heapUsedBytes)} MiB before, ` +
          `${mib(loaded.heapUsedBytes)} MiB with the abandoned episodes (${loaded.liveEpisodes} live), ${mib(after.heapUsedBytes)} MiB after ` +
          `(${(growth / 1024).toFixed(0)} KiB, ${(growth / EPISODES).toFixed(0)} B per episode); open resources ${JSON.stringify(after.resources)}`,
      );
      expect(loaded.liveEpisodes).toBeGreaterThan(EPISODES / 2); // the abandoned episodes were there...
      expect(after).toMatchObject({ liveEpisodes: 0, liveStreams: 0, connections: 0, inFlight: 0 }); // ...and are gone
      expect(after.resources.TCPSocketWrap ?? 0).toBe(baseline.resources.TCPSocketWrap ?? 0);
      expect(after.resources.Timeout ?? 0).toBeLessThanOrEqual((baseline.resources.Timeout ?? 0) + 2);
      expect(after.heapUsedBytes - baseline.heapUsedBytes).toBeLessThan(HEAP_SLACK_BYTES);
      previous = after;
    }
    // Not one connection, stream, request, /ws session or episode more than at the start.
    const counts = (await ask("census", "census")).counts;
    console.log(
      `soak census (objects on the server's heap) at the start ${JSON.stringify(baseCensus)}, at the end ${JSON.stringify(counts)}`,
    );
    for (const name of CENSUS) expect(counts[name] ?? 0, `${name} objects on the heap`).toBeLessThanOrEqual((baseCensus[name] ?? 0) + 2);
  }, 120_000);
});
