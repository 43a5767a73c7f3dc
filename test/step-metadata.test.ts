/**
 * Action.metadata (OpenEnv clients send "metadata" with every step) is ignored, and not kept:
 * through the real server, steps with 200 KB of metadata on REST, WebSocket and gRPC leave an
 * episode whose actions (what WARM_EPISODES keeps of a sleeping episode, and what the graders
 * read) are as small as without it, a slept and rebuilt episode included; so are unknown fields
 * that a binary client adds; with the shared store
 * (EPISODE_STORE), the committed actions in Redis are as small too. Observations and rewards are
 * byte-identical to the same steps without metadata.
 */
import { create, toBinary } from "@bufbuild/protobuf";
import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import WebSocket from "ws";
import { ActionSchema } from "../gen/incident/v1/action_pb.js";
import { ActionType, RemediationKind } from "../gen/incident/v1/enums_pb.js";
import { IncidentEnvService } from "../gen/incident/v1/service_pb.js";
import { testRedis } from "./support/redis.js";
import { dig, http, useServer } from "./support/server.js";
import { useReplicaServer } from "./support/shared-store-server.js";

/** About 200 KB of client data: under MAX_BODY_BYTES, and far more than an action. */
const BIG = { trace: "x".repeat(200_000), nested: { tags: ["a", "b"], count: 3 } };
/** Most bytes one stored action of these steps may take (their reasoning is a few dozen bytes). */
const ACTION_BYTES = 1024;

const STEPS = [
  { action_type: "escalate", reasoning: "paging the owners" },
  { action_type: "inspect", target_service: "api-gateway" },
  { action_type: "inspect", reasoning: "no target: the feedback says so" },
  { action_type: "escalate", reasoning: "again" },
];

/** The response without the parts that name the episode. */
function comparable(json: unknown): string {
  return JSON.stringify(json, (key, value: unknown) => (key === "episode_id" ? undefined : value));
}

describe("in memory (WARM_EPISODES=1, so episodes sleep as their actions)", () => {
  const server = useServer({ limits: { warmEpisodes: 1 } });

  /** Bytes of the actions an episode keeps. */
  function keptActionBytes(id: string): number {
    return server.env.episodeRecord(id).steps.reduce((sum, step) => sum + toBinary(ActionSchema, step.action).length, 0);
  }

  it("REST steps with large metadata keep nothing of it, and answer as without it", async () => {
    for (const id of ["meta-plain", "meta-big"]) await http(server.baseUrl, "POST", "/reset", { episode_id: id, seed: 11 });
    for (const step of STEPS) {
      const plain = await http(server.baseUrl, "POST", "/step", { episode_id: "meta-plain", action: step });
      const big = await http(server.baseUrl, "POST", "/step", { episode_id: "meta-big", action: { ...step, metadata: BIG } });
      expect(big.status, big.text).toBe(200);
      expect(comparable(big.json)).toBe(comparable(plain.json));
    }
    expect(keptActionBytes("meta-big")).toBeLessThan(STEPS.length * ACTION_BYTES);
    expect(keptActionBytes("meta-big")).toBe(keptActionBytes("meta-plain"));
    // The other episode's steps put this one to sleep (as its actions) and woke it again.
    expect(server.env.warmStats().rebuilt).toBeGreaterThan(0);
    const plainState = await http(server.baseUrl, "GET", "/state?episode_id=meta-plain");
    const bigState = await http(server.baseUrl, "GET", "/state?episode_id=meta-big");
    expect(comparable(bigState.json)).toBe(comparable(plainState.json));
  });

  it("the bare-action REST body and the WebSocket step keep nothing of it either", async () => {
    await http(server.baseUrl, "POST", "/reset", { episode_id: "meta-bare", seed: 12 });
    const bare = await http(server.baseUrl, "POST", "/step", { episode_id: "meta-bare", action_type: "escalate", metadata: BIG });
    expect(bare.status, bare.text).toBe(200);

    const ws = new WebSocket(`${server.baseUrl.replace(/^http/, "ws")}/ws`);
    await new Promise((resolve, reject) => {
      ws.once("open", resolve);
      ws.once("error", reject);
    });
    const replies: unknown[] = [];
    const reply = (): Promise<unknown> =>
      new Promise((resolve) => ws.once("message", (data) => resolve(JSON.parse(String(data)) as unknown)));
    ws.send(JSON.stringify({ type: "reset", data: { episode_id: "meta-ws", seed: 12 } }));
    replies.push(await reply());
    for (let i = 0; i < 3; i++) {
      ws.send(JSON.stringify({ type: "step", data: { action_type: "escalate", reasoning: `step ${i}`, metadata: BIG } }));
      replies.push(await reply());
    }
    ws.close();
    expect(replies.map((r) => dig(r, "type"))).toEqual(["observation", "observation", "observation", "observation"]);
    expect(keptActionBytes("meta-bare")).toBeLessThan(ACTION_BYTES);
    expect(keptActionBytes("meta-ws")).toBeLessThan(3 * ACTION_BYTES);
  });

  it("gRPC Step and StepBatch keep nothing of it, nor unknown fields a binary client adds", async () => {
    const client = createClient(IncidentEnvService, createGrpcTransport({ baseUrl: server.baseUrl }));
    await client.reset({ episodeId: "meta-grpc", seed: 13 });
    const metadata = { note: "y".repeat(100_000) };
    await client.step({ episodeId: "meta-grpc", action: create(ActionSchema, { actionType: ActionType.ESCALATE, metadata }) });
    await client.stepBatch({
      items: [{ episodeId: "meta-grpc", action: create(ActionSchema, { actionType: ActionType.ESCALATE, metadata }) }],
    });
    // Field 99 is in no proto: protobuf keeps such fields and writes them back unless told not to.
    const unknown = { no: 99, wireType: WireType.LengthDelimited, data: new BinaryWriter().bytes(new Uint8Array(100_000)).finish() };
    const withUnknown = create(ActionSchema, {
      actionType: ActionType.APPLY_FIX,
      targetService: "api-gateway",
      remediation: { kind: RemediationKind.RESTART },
    });
    withUnknown.$unknown = [unknown];
    if (withUnknown.remediation) withUnknown.remediation.$unknown = [unknown];
    await client.step({ episodeId: "meta-grpc", action: withUnknown });
    const steps = server.env.episodeRecord("meta-grpc").steps;
    expect(steps).toHaveLength(3);
    expect(steps[2]?.action.remediation?.kind).toBe(RemediationKind.RESTART);
    expect(keptActionBytes("meta-grpc")).toBeLessThan(3 * ACTION_BYTES);
  });
});

const redis = await testRedis();

describe.skipIf(redis.url === undefined)("with the shared store (EPISODE_STORE)", () => {
  const storePrefix = `test-metadata-${randomUUID().slice(0, 8)}`;
  const replica = useReplicaServer(() => ({ store: { url: redis.url ?? "", prefix: storePrefix } }));

  it("commits the actions to the store without their metadata", async () => {
    const id = "meta-store";
    const reset = await http(replica.baseUrl, "POST", "/reset", { episode_id: id, seed: 11 });
    expect(reset.status, reset.text).toBe(200);
    for (const step of STEPS) {
      const response = await http(replica.baseUrl, "POST", "/step", { episode_id: id, action: { ...step, metadata: BIG } });
      expect(response.status, response.text).toBe(200);
    }
    const store = new Redis(redis.url ?? "");
    try {
      const actions = await store.lrangeBuffer(`${storePrefix}:ep:{${id}}:actions`, 0, -1);
      expect(actions).toHaveLength(STEPS.length);
      const bytes = actions.reduce((sum, blob) => sum + blob.length, 0);
      expect(bytes).toBeLessThan(STEPS.length * ACTION_BYTES);
    } finally {
      store.disconnect();
    }
  });
});
