/**
 * Every named limit, exercised through the real server: live episodes (with idle eviction),
 * per-episode log lines, and serialized steps. Body and field size limits are in bad-input.test.ts,
 * MAX_BATCH_SIZE in batch.test.ts.
 */
import { create, toBinary } from "@bufbuild/protobuf";
import { createClient } from "@connectrpc/connect";
import { connect } from "node:http2";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { describe, expect, it } from "vitest";
import { IncidentEnvService, ResetRequestSchema } from "../gen/incident/v1/service_pb.js";
import { limitsFromEnv } from "../src/env/limits.js";
import { TASKS } from "../src/env/tasks.js";
import { dig, http, useServer } from "./support/server.js";

let fakeNow = 1_000_000;
const TTL_MS = 60_000;
const server = useServer({ limits: { maxLiveEpisodes: 3, episodeIdleTtlMs: TTL_MS, maxLogLinesPerEpisode: 8 }, now: () => fakeNow });

async function reset(id: string) {
  return http(server.baseUrl, "POST", "/reset", { episode_id: id, seed: 5 });
}

describe("MAX_LIVE_EPISODES with idle eviction", () => {
  it("refuses a new episode with 429 when every slot holds a fresh running episode, then evicts idle ones after the TTL", async () => {
    for (const id of ["cap-1", "cap-2", "cap-3"]) expect((await reset(id)).status).toBe(200);
    const refused = await reset("cap-4");
    expect(refused.status).toBe(429);
    expect(dig(refused.json, "code")).toBe("resource_exhausted");
    expect((await http(server.baseUrl, "GET", "/health")).json).toMatchObject({ live_episodes: 3, max_live_episodes: 3 });

    // Restarting an existing id needs no new slot.
    expect((await reset("cap-2")).status).toBe(200);

    fakeNow += TTL_MS / 2;
    await http(server.baseUrl, "GET", "/state?episode_id=cap-3"); // touching cap-3 keeps it alive
    fakeNow += TTL_MS / 2 + 1;
    expect((await reset("cap-4")).status).toBe(200);
    expect((await http(server.baseUrl, "GET", "/state?episode_id=cap-1")).status).toBe(404);
    expect((await http(server.baseUrl, "GET", "/state?episode_id=cap-3")).status).toBe(200);
  });

  it("makes room by dropping the longest-idle finished episode before refusing", async () => {
    for (const id of ["fin-1", "fin-2", "fin-3"]) await http(server.baseUrl, "DELETE", `/episodes/${id}`);
    fakeNow += TTL_MS * 10;
    server.env.sweep();
    for (const id of ["fin-1", "fin-2", "fin-3"]) expect((await reset(id)).status).toBe(200);
    const done = await http(server.baseUrl, "POST", "/step", { episode_id: "fin-2", action: { action_type: "resolve" } });
    expect(dig(done.json, "done")).toBe(true);
    expect((await reset("fin-4")).status).toBe(200);
    expect((await http(server.baseUrl, "GET", "/state?episode_id=fin-2")).status).toBe(404);
  });

  it("DELETE /episodes/:id frees a slot and ends the episode's log streams", async () => {
    fakeNow += TTL_MS * 10;
    server.env.sweep();
    expect((await reset("close-me")).status).toBe(200);
    const client = createClient(IncidentEnvService, createGrpcTransport({ baseUrl: server.baseUrl }));
    const lines: number[] = [];
    let started!: () => void;
    const firstLine = new Promise<void>((resolve) => (started = resolve));
    const stream = (async () => {
      for await (const m of client.streamLogs({ episodeId: "close-me" })) {
        lines.push(m.entry?.seq ?? 0);
        started();
      }
    })();
    await firstLine;
    const closed = await http(server.baseUrl, "DELETE", "/episodes/close-me");
    expect(closed.status).toBe(200);
    expect(dig(closed.json, "status")).toBe("closed");
    await stream;
    expect(lines.length).toBeGreaterThan(0);
    expect((await http(server.baseUrl, "GET", "/state?episode_id=close-me")).status).toBe(404);
  });
});

describe("MAX_LOG_LINES_PER_EPISODE", () => {
  it("keeps only the newest lines, numbered without gaps", async () => {
    fakeNow += TTL_MS * 10;
    server.env.sweep();
    await reset("logs");
    for (let i = 0; i < 4; i++) await http(server.baseUrl, "POST", "/step", { episode_id: "logs", action: { action_type: "escalate" } });
    const client = createClient(IncidentEnvService, createGrpcTransport({ baseUrl: server.baseUrl }));
    await http(server.baseUrl, "POST", "/step", { episode_id: "logs", action: { action_type: "resolve" } });
    const seqs: number[] = [];
    for await (const m of client.streamLogs({ episodeId: "logs" })) seqs.push(m.entry?.seq ?? 0);
    expect(seqs.length).toBe(8);
    const last = seqs[seqs.length - 1] ?? 0;
    expect(seqs).toEqual(Array.from({ length: 8 }, (_, i) => last - 7 + i));
  });
});

describe("steps on one episode are serialized", () => {
  it("concurrent steps each get their own step number and the rewards add up", async () => {
    fakeNow += TTL_MS * 10;
    server.env.sweep();
    await reset("parallel");
    const budget = TASKS.easy.maxSteps;
    const responses = await Promise.all(
      Array.from({ length: budget + 2 }, (_, i) =>
        http(server.baseUrl, "POST", "/step", { episode_id: "parallel", action: { action_type: "escalate", reasoning: `call ${i}` } }),
      ),
    );
    const ok = responses.filter((r) => r.status === 200);
    const over = responses.filter((r) => r.status === 409);
    expect(ok.length).toBe(budget);
    expect(over.length).toBe(2);
    expect(ok.map((r) => Number(dig(r.json, "observation.step"))).sort((a, b) => a - b)).toEqual(
      Array.from({ length: budget }, (_, i) => i + 1),
    );
    const rewards = ok.reduce((sum, r) => sum + Number(dig(r.json, "reward")), 0);
    const state = await http(server.baseUrl, "GET", "/state?episode_id=parallel");
    expect(dig(state.json, "step_count")).toBe(budget);
    expect(Number(dig(state.json, "total_reward"))).toBeCloseTo(rewards, 6);
    expect(dig(state.json, "truncated")).toBe(true);
  });
});

describe("limits from environment variables", () => {
  it("reads each variable and rejects nonsense", () => {
    expect(
      limitsFromEnv({
        MAX_LIVE_EPISODES: "7",
        EPISODE_IDLE_TTL_SECONDS: "2",
        MAX_BODY_BYTES: "1024",
        MAX_LOG_LINES_PER_EPISODE: "9",
        MAX_BATCH_SIZE: "16",
        WARM_EPISODES: "5",
        RPC_COMPRESS_MIN_BYTES: "2048",
        LIVE_EPISODE_MAX_MINUTES: "90",
      }),
    ).toEqual({
      maxLiveEpisodes: 7,
      episodeIdleTtlMs: 2000,
      maxBodyBytes: 1024,
      maxLogLinesPerEpisode: 9,
      maxBatchSize: 16,
      warmEpisodes: 5,
      compressMinBytes: 2048,
      liveEpisodeMaxMinutes: 90,
    });
    expect(limitsFromEnv({}).compressMinBytes).toBe(Number.POSITIVE_INFINITY);
    expect(() => limitsFromEnv({ MAX_LIVE_EPISODES: "-3" })).toThrow(/MAX_LIVE_EPISODES/);
    expect(() => limitsFromEnv({ MAX_BODY_BYTES: "lots" })).toThrow(/MAX_BODY_BYTES/);
    expect(() => limitsFromEnv({ MAX_BATCH_SIZE: "0" })).toThrow(/MAX_BATCH_SIZE/);
    expect(() => limitsFromEnv({ WARM_EPISODES: "1.5" })).toThrow(/WARM_EPISODES/);
    expect(() => limitsFromEnv({ LIVE_EPISODE_MAX_MINUTES: "0" })).toThrow(/LIVE_EPISODE_MAX_MINUTES/);
  });
});

describe("RPC_COMPRESS_MIN_BYTES", () => {
  const compressing = useServer({ limits: { compressMinBytes: 1024 } });
  /** The compressed flag of a gRPC reset response's message, for a client that accepts gzip (as gRPC clients do by default). */
  async function compressedFlag(baseUrl: string): Promise<number | undefined> {
    const session = connect(baseUrl);
    try {
      const message = toBinary(ResetRequestSchema, create(ResetRequestSchema, { seed: 3 }));
      const frame = new Uint8Array(5 + message.length);
      new DataView(frame.buffer).setUint32(1, message.length);
      frame.set(message, 5);
      const stream = session.request({
        ":method": "POST",
        ":path": "/incident.v1.IncidentEnvService/Reset",
        "content-type": "application/grpc",
        te: "trailers",
        "grpc-accept-encoding": "gzip",
      });
      stream.end(frame);
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks);
      expect(body.length).toBeGreaterThan(5);
      return body[0];
    } finally {
      session.close();
    }
  }

  it("sends responses uncompressed by default, and gzips those of at least that many bytes when set", async () => {
    expect(await compressedFlag(server.baseUrl)).toBe(0);
    expect(await compressedFlag(compressing.baseUrl)).toBe(1);
  });
});
