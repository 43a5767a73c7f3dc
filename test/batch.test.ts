/**
 * ResetBatch and StepBatch (and their JSON routes POST /reset/batch, /step/batch) through the real
 * server on port 0, with the episodes in the server's thread and in a pool of two workers: results
 * in order and byte-identical to the same requests one by one, per-item errors that fail only
 * their item (with the error the request alone gets), MAX_BATCH_SIZE, MAX_BODY_BYTES, and the
 * REST dialect.
 */
import { toBinary, type JsonObject, type MessageInitShape } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient, type Client } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { describe, expect, it } from "vitest";
import type { ActionSchema } from "../gen/incident/v1/action_pb.js";
import { ActionType, EpisodeStatus, ObservationDetail, TaskLevel } from "../gen/incident/v1/enums_pb.js";
import {
  IncidentEnvService,
  ResetBatchResponseSchema,
  ResetRequestSchema,
  ResetResponseSchema,
  StepBatchResponseSchema,
  StepResponseSchema,
  type ResetBatchResult,
  type ResetResponse,
  type StepBatchResult,
  type StepResponse,
} from "../gen/incident/v1/service_pb.js";
import { DEFAULT_LIMITS } from "../src/env/limits.js";
import { shardOf } from "../src/env/workers/pool.js";
import { fromRestJson } from "../src/json/rest-json.js";
import { dig, http, useServer, useWorkerServer } from "./support/server.js";

const MAX_BATCH = 8;
const WORKERS = 2;
const servers = {
  "in-thread": useServer({ limits: { maxBatchSize: MAX_BATCH } }),
  "2 workers": useWorkerServer({ workers: WORKERS, limits: { maxBatchSize: MAX_BATCH } }),
};
const defaults = useServer();

type EnvClient = Client<typeof IncidentEnvService>;
const grpc = (baseUrl: string): EnvClient => createClient(IncidentEnvService, createGrpcTransport({ baseUrl }));

/** A response with its episode ids blanked: batch and one-by-one episodes differ only by id. */
function resetBytes(response: ResetResponse): Uint8Array {
  const state = response.state ? { ...response.state, episodeId: "" } : undefined;
  return toBinary(ResetResponseSchema, { ...response, episodeId: "", ...(state ? { state } : {}) });
}
function stepBytes(response: StepResponse): Uint8Array {
  return toBinary(StepResponseSchema, { ...response, episodeId: "" });
}

function responses<T>(results: readonly (ResetBatchResult | StepBatchResult)[]): T[] {
  return results.map((r, i) => {
    if (r.result.case !== "response") throw new Error(`item ${i} failed: ${JSON.stringify(r.result.value)}`);
    return r.result.value as T;
  });
}

function errorOf(result: ResetBatchResult | StepBatchResult | undefined) {
  if (result?.result.case !== "error") throw new Error(`expected an error, got ${result?.result.case}`);
  return result.result.value;
}

async function settle<T>(call: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: ConnectError }> {
  try {
    return { ok: true, value: await call };
  } catch (e) {
    return { ok: false, error: ConnectError.from(e) };
  }
}

async function codeOf(call: Promise<unknown>): Promise<{ code: Code | undefined; message: string }> {
  try {
    await call;
    return { code: undefined, message: "" };
  } catch (e) {
    const error = ConnectError.from(e);
    return { code: error.code, message: error.rawMessage };
  }
}

describe.each(Object.entries(servers))("batches with episodes %s", (_name, server) => {
  it("answers in order, byte-identical to the same resets and steps one by one, over both workers", async () => {
    const client = grpc(server.baseUrl);
    const plan: MessageInitShape<typeof ResetRequestSchema>[] = [
      { taskLevel: TaskLevel.EASY, seed: 31 },
      { taskLevel: TaskLevel.MEDIUM, seed: 32 },
      { taskLevel: TaskLevel.HARD, seed: 33 },
      { taskLevel: TaskLevel.EXPERT, seed: 34 },
      { taskLevel: TaskLevel.MEDIUM, seed: 35 },
      { taskLevel: TaskLevel.EASY, seed: 36 },
    ];
    const batchIds = plan.map((_, i) => `order-b-${i}`);
    expect(new Set(batchIds.map((id) => shardOf(id, WORKERS))).size).toBe(WORKERS);

    const batch = await client.resetBatch({ items: plan.map((p, i) => ({ ...p, episodeId: batchIds[i] })) });
    const single = await Promise.all(plan.map((p, i) => client.reset({ ...p, episodeId: `order-s-${i}` })));
    const batched = responses<ResetResponse>(batch.results);
    expect(batched.map((r) => r.episodeId)).toEqual(batchIds);
    expect(batched.map((r) => r.state?.seed)).toEqual(plan.map((p) => p.seed));
    batched.forEach((r, i) => expect(resetBytes(r)).toEqual(resetBytes(single[i] as ResetResponse)));

    // An inspection, a diagnosis (which ends the easy episodes) and a resolution: the last rounds
    // pay the grades, and the items of finished episodes fail as the step alone fails.
    const paged = (i: number): string => (single[i] as ResetResponse).observation?.alert?.affectedServices[0] ?? "";
    const rounds: ((i: number) => MessageInitShape<typeof ActionSchema>)[] = [
      (i) => ({ actionType: ActionType.INSPECT, targetService: paged(i) }),
      (i) => ({ actionType: ActionType.DIAGNOSE, targetService: paged(i), reasoning: "errors start here" }),
      () => ({ actionType: ActionType.RESOLVE }),
    ];
    let failures = 0;
    for (const action of rounds) {
      const stepped = await client.stepBatch({ items: batchIds.map((episodeId, i) => ({ episodeId, action: action(i) })) });
      const alone = await Promise.all(plan.map((_, i) => settle(client.step({ episodeId: `order-s-${i}`, action: action(i) }))));
      stepped.results.forEach((result, i) => {
        const expected = alone[i];
        if (result.result.case === "response") {
          expect(result.result.value.episodeId).toBe(batchIds[i]);
          expect(expected?.ok && stepBytes(expected.value)).toEqual(stepBytes(result.result.value));
        } else {
          failures++;
          expect(expected?.ok).toBe(false);
          expect(errorOf(result).message.replace(`order-b-${i}`, "ID")).toBe(
            expected?.ok === false ? expected.error.rawMessage.replace(`order-s-${i}`, "ID") : "",
          );
        }
      });
    }
    expect(failures).toBeGreaterThan(0);
    const states = await Promise.all(batchIds.map((episodeId) => client.getState({ episodeId })));
    const singles = await Promise.all(plan.map((_, i) => client.getState({ episodeId: `order-s-${i}` })));
    expect(states.map((s) => s.state?.done)).toEqual(batchIds.map(() => true));
    expect(states.map((s) => [s.state?.stepCount, s.state?.totalReward])).toEqual(
      singles.map((s) => [s.state?.stepCount, s.state?.totalReward]),
    );
  });

  it("gives reset items without an episode_id fresh ids and leaves the default episode alone", async () => {
    const client = grpc(server.baseUrl);
    const byDefault = await client.reset({ taskLevel: TaskLevel.EASY, seed: 40 });
    const batch = await client.resetBatch({ items: [{ seed: 41 }, { seed: 42 }, { seed: 43, episodeId: "named-41" }] });
    const ids = responses<ResetResponse>(batch.results).map((r) => r.episodeId);
    expect(new Set(ids).size).toBe(3);
    expect(ids).not.toContain(byDefault.episodeId);
    expect(ids[2]).toBe("named-41");
    for (const episodeId of ids) expect((await client.getState({ episodeId })).state?.stepCount).toBe(0);
    // Requests without an id still reach the episode of the last reset without one.
    expect((await client.getState({})).state?.episodeId).toBe(byDefault.episodeId);
    await client.step({ action: { actionType: ActionType.ESCALATE } });
    expect((await client.getState({ episodeId: byDefault.episodeId })).state?.stepCount).toBe(1);
    expect((await client.getState({ episodeId: ids[0] })).state?.stepCount).toBe(0);
  });

  it("fails bad reset items alone, with the error the reset alone gets", async () => {
    const client = grpc(server.baseUrl);
    const items: MessageInitShape<typeof ResetRequestSchema>[] = [
      { seed: 50, episodeId: "mixed-r-0" },
      { taskLevel: 99 as TaskLevel, episodeId: "mixed-r-1" },
      { scenarioId: "INC-NOPE-1", episodeId: "mixed-r-2" },
      { episodeId: "has spaces" },
      { seed: 54, episodeId: "mixed-r-4" },
      { seed: 55, episodeId: "mixed-r-4" },
    ];
    const batch = await client.resetBatch({ items });
    expect(batch.results.map((r) => r.result.case)).toEqual(["response", "error", "error", "error", "response", "error"]);
    expect(errorOf(batch.results[1]).violations[0]).toMatchObject({ field: "task_level", rule: "enum.defined_only" });
    expect(errorOf(batch.results[3]).violations[0]).toMatchObject({ field: "episode_id", rule: "string.pattern" });
    const repeated = errorOf(batch.results[5]);
    expect(repeated.code).toBe("invalid_argument");
    expect(repeated.message).toMatch(/items\[4\].*"mixed-r-4"/);
    // The first item naming the episode was served, and the refused one did not replace it.
    expect((await client.getState({ episodeId: "mixed-r-4" })).state?.seed).toBe(54);
    for (const i of [1, 2]) expect((await codeOf(client.getState({ episodeId: `mixed-r-${i}` }))).code).toBe(Code.NotFound);

    const scenario = await http(server.baseUrl, "POST", "/reset", { scenario_id: "INC-NOPE-1", episode_id: "mixed-r-2" });
    expect(scenario.status).toBe(400);
    const asJson = toErrorJson(errorOf(batch.results[2]));
    expect(asJson).toEqual(scenario.json);
  });

  it("fails bad step items alone: bad enum, unknown, repeated or unnamed episode, finished episode", async () => {
    const client = grpc(server.baseUrl);
    const ids = ["mixed-s-a", "mixed-s-b", "mixed-s-done"];
    await client.resetBatch({ items: ids.map((episodeId, i) => ({ taskLevel: TaskLevel.EASY, seed: 60 + i, episodeId })) });
    await client.step({ episodeId: "mixed-s-done", action: { actionType: ActionType.RESOLVE } });
    const escalate = { actionType: ActionType.ESCALATE, reasoning: "paging the owners" };
    const batch = await client.stepBatch({
      items: [
        { episodeId: "mixed-s-a", action: escalate },
        { episodeId: "no-such-episode", action: escalate },
        { episodeId: "mixed-s-a", action: { actionType: ActionType.RESOLVE } },
        { action: escalate },
        { episodeId: "mixed-s-done", action: escalate },
        { episodeId: "mixed-s-b", action: { actionType: 99 as ActionType } },
        { episodeId: "mixed-s-b" },
      ],
    });
    expect(batch.results.map((r) => (r.result.case === "error" ? r.result.value.code : "ok"))).toEqual([
      "ok",
      "not_found",
      "invalid_argument",
      "invalid_argument",
      "failed_precondition",
      "invalid_argument",
      "invalid_argument",
    ]);
    expect(errorOf(batch.results[2]).message).toMatch(/items\[0\].*"mixed-s-a"/);
    expect(errorOf(batch.results[3]).violations[0]).toMatchObject({ field: "episode_id" });
    expect(errorOf(batch.results[5]).violations[0]).toMatchObject({ field: "action.action_type", rule: "enum.defined_only" });
    expect(errorOf(batch.results[6]).violations[0]).toMatchObject({ field: "action", rule: "required" });
    // Only the first item was served: the repeated RESOLVE never ran, the bad items changed nothing.
    const a = (await client.getState({ episodeId: "mixed-s-a" })).state;
    expect(a?.stepCount).toBe(1);
    expect(a?.status).toBe(EpisodeStatus.RUNNING);
    expect((await client.getState({ episodeId: "mixed-s-b" })).state?.stepCount).toBe(0);
    expect((await client.getState({ episodeId: "mixed-s-done" })).state?.stepCount).toBe(1);

    const alone = await http(server.baseUrl, "POST", "/step", {
      episode_id: "mixed-s-done",
      action: { action_type: "escalate", reasoning: "paging the owners" },
    });
    expect(alone.status).toBe(409);
    expect(toErrorJson(errorOf(batch.results[4]))).toEqual(alone.json);
  });

  it("refuses an empty batch and one over MAX_BATCH_SIZE whole, over gRPC and REST, and runs nothing", async () => {
    const client = grpc(server.baseUrl);
    const live = async () => (await client.health({})).liveEpisodes;
    const before = await live();
    const over = Array.from({ length: MAX_BATCH + 1 }, (_, i) => ({ seed: i, episodeId: `over-${i}` }));
    for (const call of [client.resetBatch({ items: [] }), client.stepBatch({ items: [] })])
      expect((await codeOf(call)).code).toBe(Code.InvalidArgument);
    const refused = await codeOf(client.resetBatch({ items: over }));
    expect(refused.code).toBe(Code.InvalidArgument);
    expect(refused.message).toMatch(new RegExp(`MAX_BATCH_SIZE = ${MAX_BATCH} items, got ${MAX_BATCH + 1}`));
    expect(
      (await codeOf(client.stepBatch({ items: over.map(({ episodeId }) => ({ episodeId, action: { actionType: ActionType.ESCALATE } })) })))
        .code,
    ).toBe(Code.InvalidArgument);

    for (const path of ["/reset/batch", "/step/batch"]) {
      const empty = await http(server.baseUrl, "POST", path, { items: [] });
      expect(empty.status).toBe(400);
      expect(dig(empty.json, "violations.0.rule")).toBe("batch.min_items");
    }
    const tooMany = await http(server.baseUrl, "POST", "/reset/batch", {
      items: over.map(({ seed, episodeId }) => ({ seed, episode_id: episodeId })),
    });
    expect(tooMany.status).toBe(400);
    expect(dig(tooMany.json, "code")).toBe("invalid_argument");
    expect(dig(tooMany.json, "violations.0")).toEqual({
      field: "items",
      rule: "batch.max_items",
      message: `at most ${MAX_BATCH} items (MAX_BATCH_SIZE)`,
    });
    expect(await live()).toBe(before);

    const full = await client.resetBatch({ items: over.slice(0, MAX_BATCH) });
    expect(responses<ResetResponse>(full.results)).toHaveLength(MAX_BATCH);
    expect(await live()).toBe(before + MAX_BATCH);
  });

  it("speaks the REST dialect: items as /reset and /step bodies, results that decode to the gRPC answers", async () => {
    const client = grpc(server.baseUrl);
    const resetItems = [
      { task_level: "medium", seed: 70, episode_id: "rest-r-0", observation: "full" },
      { task_level: "Hard", seed: 71, episode_id: "rest-r-1", timeout_s: 30 },
      { task_level: "legendary", episode_id: "rest-r-2" },
    ];
    const restReset = await http(server.baseUrl, "POST", "/reset/batch", { items: resetItems });
    expect(restReset.status).toBe(200);
    const results = dig(restReset.json, "results") as JsonObject[];
    expect(results.map((r) => Object.keys(r))).toEqual([["response"], ["response"], ["error"]]);
    expect(dig(results[0], "response.reward")).toBeNull();
    expect(dig(results[1], "response.state.task_level")).toBe("hard");
    expect(dig(results[2], "error")).toEqual(
      (await http(server.baseUrl, "POST", "/reset", { task_level: "legendary", episode_id: "rest-r-2" })).json,
    );

    const viaGrpc = await client.resetBatch({
      items: [
        { taskLevel: TaskLevel.MEDIUM, seed: 70, episodeId: "rest-g-0", observation: ObservationDetail.FULL },
        { taskLevel: TaskLevel.HARD, seed: 71, episodeId: "rest-g-1" },
      ],
    });
    const decoded = fromRestJson(ResetBatchResponseSchema, { results: results.slice(0, 2) });
    responses<ResetResponse>(decoded.results).forEach((r, i) =>
      expect(resetBytes(r)).toEqual(resetBytes(responses<ResetResponse>(viaGrpc.results)[i] as ResetResponse)),
    );

    const paged = (i: number) => responses<ResetResponse>(viaGrpc.results)[i]?.observation?.alert?.affectedServices[0];
    const restStep = await http(server.baseUrl, "POST", "/step/batch", {
      items: [
        { episode_id: "rest-r-0", action: { action_type: "inspect", target_service: paged(0) } },
        { episode_id: "rest-r-1", action_type: "INSPECT", target_service: paged(1) },
        { episode_id: "rest-r-1", action: { action_type: "inspect", target_sevice: "typo" } },
      ],
    });
    expect(restStep.status).toBe(200);
    const stepResults = dig(restStep.json, "results") as JsonObject[];
    expect(dig(stepResults[2], "error.violations.0")).toMatchObject({ field: "action.target_sevice", rule: "field.known" });
    const grpcSteps = await client.stepBatch({
      items: [0, 1].map((i) => ({ episodeId: `rest-g-${i}`, action: { actionType: ActionType.INSPECT, targetService: paged(i) ?? "" } })),
    });
    const decodedSteps = fromRestJson(StepBatchResponseSchema, { results: stepResults.slice(0, 2) });
    responses<StepResponse>(decodedSteps.results).forEach((r, i) =>
      expect(stepBytes(r)).toEqual(stepBytes(responses<StepResponse>(grpcSteps.results)[i] as StepResponse)),
    );

    const notABatch = await http(server.baseUrl, "POST", "/step/batch", [{ episode_id: "rest-r-0", action: { action_type: "escalate" } }]);
    expect(notABatch.status).toBe(400);
    expect(dig(notABatch.json, "violations.0.rule")).toBe("type.object");
  });
});

describe("batches in worker threads", () => {
  it("write the same REST JSON text as one thread, errors included (the workers' text is joined as it is)", async () => {
    const play = async (baseUrl: string): Promise<string[]> => {
      const resets = await http(baseUrl, "POST", "/reset/batch", {
        items: [
          { task_level: "medium", seed: 61, episode_id: "text-a" },
          { task_level: "hard", seed: 62, episode_id: "text-b" },
          { scenario_id: "no-such-scenario", episode_id: "text-c" },
          { task_level: "easy", seed: 63, episode_id: "text-d" },
        ],
      });
      const steps = await http(baseUrl, "POST", "/step/batch", {
        items: [
          { episode_id: "text-a", action: { action_type: "escalate", reasoning: "paging" } },
          { episode_id: "text-missing", action: { action_type: "escalate" } },
          { episode_id: "text-d", action: { action_type: "resolve" } },
          { episode_id: "text-b", action: { action_type: "inspect", target_service: "not-a-service" } },
        ],
      });
      const again = await http(baseUrl, "POST", "/step/batch", { items: [{ episode_id: "text-d", action: { action_type: "escalate" } }] });
      return [resets.text, steps.text, again.text];
    };
    const [inPool, inThread] = await Promise.all([play(servers["2 workers"].baseUrl), play(servers["in-thread"].baseUrl)]);
    expect(inPool).toEqual(inThread);
    expect(JSON.parse(inPool[1] ?? "{}").results.map((r: Record<string, unknown>) => Object.keys(r)[0])).toEqual([
      "response",
      "error",
      "response",
      "error",
    ]);
  });
});

describe("batch limits with the defaults", () => {
  it(`MAX_BATCH_SIZE defaults to ${DEFAULT_LIMITS.maxBatchSize}`, async () => {
    const client = grpc(defaults.baseUrl);
    const items = Array.from({ length: DEFAULT_LIMITS.maxBatchSize + 1 }, (_, i) => ({
      episodeId: `d-${i}`,
      action: { actionType: ActionType.ESCALATE },
    }));
    expect((await codeOf(client.stepBatch({ items }))).code).toBe(Code.InvalidArgument);
    const rest = await http(defaults.baseUrl, "POST", "/step/batch", {
      items: items.map((i) => ({ episode_id: i.episodeId, action: { action_type: "escalate" } })),
    });
    expect(rest.status).toBe(400);
    expect(dig(rest.json, "violations.0.rule")).toBe("batch.max_items");
  });

  it("MAX_BODY_BYTES bounds a batch within MAX_BATCH_SIZE: a full batch of long write-ups is refused whole", async () => {
    const client = grpc(defaults.baseUrl);
    const reasoning = "x".repeat(Math.ceil(DEFAULT_LIMITS.maxBodyBytes / DEFAULT_LIMITS.maxBatchSize) + 100);
    const items = Array.from({ length: DEFAULT_LIMITS.maxBatchSize }, (_, i) => ({
      episodeId: `big-${i}`,
      action: { actionType: ActionType.DIAGNOSE, reasoning },
    }));
    expect((await codeOf(client.stepBatch({ items }))).code).toBe(Code.ResourceExhausted);
    const rest = await http(defaults.baseUrl, "POST", "/step/batch", {
      items: items.map((i) => ({ episode_id: i.episodeId, action: { action_type: "diagnose", reasoning } })),
    });
    expect(rest.status).toBe(413);
    expect(dig(rest.json, "code")).toBe("resource_exhausted");
  });
});

/** An ErrorResponse item as the REST routes write an error body. */
function toErrorJson(error: { code: string; message: string; violations: { field: string; rule: string; message: string }[] }): JsonObject {
  return {
    code: error.code,
    message: error.message,
    violations: error.violations.map((v) => ({ field: v.field, rule: v.rule, message: v.message })),
  };
}
