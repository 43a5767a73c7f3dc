/**
 * The server of the soak test (test/soak.test.ts) in a process of its own: the app of src/main.ts
 * (buildApp over an IncidentEnvironment in the server's thread), run with --expose-gc and started
 * with child_process.fork, so that its heap is measured apart from the test's clients. It answers
 * the test's IPC messages:
 * - "measure": forces garbage collection, then reports the heap, live episodes, open streams,
 *   TCP connections, requests in flight, and the sockets and timers Node holds open;
 * - "census": counts the objects on the heap by constructor name (a heap snapshot), for the names
 *   in CENSUS: what a leak of connections, streams, requests or episodes would leave behind;
 * - "expire": moves the episodes' idle clock past EPISODE_IDLE_TTL_SECONDS and sweeps, as the
 *   server's minute timer does once an abandoned episode has been idle that long.
 */
import type { AddressInfo } from "node:net";
import { setImmediate as tick } from "node:timers/promises";
import { IncidentEnvironment } from "../../src/env/environment.js";
import { buildApp } from "../../src/server/app.js";
import type { DualProtocolServer } from "../../src/server/dual-server.js";
import { CENSUS, type SoakMeasure, type SoakReply } from "./soak-protocol.js";

/** Counts the heap's objects whose constructor is one of `names` (one heap snapshot). */
async function census(names: readonly string[]): Promise<Record<string, number>> {
  const v8 = await import("node:v8");
  const chunks: string[] = [];
  for await (const chunk of v8.getHeapSnapshot()) chunks.push(String(chunk));
  const snapshot = JSON.parse(chunks.join("")) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
    strings: string[];
  };
  const fields = snapshot.snapshot.meta.node_fields;
  const typeAt = fields.indexOf("type");
  const nameAt = fields.indexOf("name");
  const objectType = snapshot.snapshot.meta.node_types[0].indexOf("object");
  const wanted = new Set(names);
  const counts: Record<string, number> = Object.fromEntries(names.map((name) => [name, 0]));
  for (let i = 0; i < snapshot.nodes.length; i += fields.length) {
    if (snapshot.nodes[i + typeAt] !== objectType) continue;
    const name = snapshot.strings[snapshot.nodes[i + nameAt] ?? 0] ?? "";
    if (wanted.has(name)) counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

const TTL_MS = 60_000;
let idleClockOffset = 0;
const env = new IncidentEnvironment({
  limits: { maxLiveEpisodes: 100_000, episodeIdleTtlMs: TTL_MS },
  now: () => Date.now() + idleClockOffset,
});
const { app } = await buildApp({ env, logLevel: false });
await app.listen({ port: 0, host: "127.0.0.1" });
const server = app.server as DualProtocolServer;
const send = (reply: SoakReply): void => void process.send?.(reply);

async function measure(): Promise<SoakMeasure> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("run with --expose-gc");
  for (let i = 0; i < 4; i++) {
    gc();
    await tick(); // lets finalizers and weak callbacks run between collections
  }
  const connections = await new Promise<number>((resolve) => server.getConnections((_error, count) => resolve(count)));
  const resources: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) resources[kind] = (resources[kind] ?? 0) + 1;
  const health = env.health();
  return {
    heapUsedBytes: process.memoryUsage().heapUsed,
    liveEpisodes: health.liveEpisodes,
    liveStreams: health.liveStreams,
    connections,
    inFlight: server.traffic.inFlight,
    resources,
  };
}

process.on("message", (message: unknown) => {
  if (message === "measure") void measure().then((m) => send({ type: "measured", measure: m }));
  else if (message === "expire") {
    idleClockOffset += TTL_MS + 1;
    send({ type: "expired", evicted: env.sweep() });
  } else if (message === "census") {
    void census(CENSUS).then((counts) => send({ type: "census", counts }));
  } else if (message === "exit") void app.close().then(() => process.exit(0));
});
send({ type: "listening", port: (app.server.address() as AddressInfo).port });
