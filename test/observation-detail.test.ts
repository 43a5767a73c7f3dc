/**
 * Lean observations: the topology and the KB articles come with the reset and GetObservation,
 * not with every step, unless the reset asks for observation=full. Through the real REST and
 * gRPC interfaces of a server on port 0.
 */
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { describe, expect, it } from "vitest";
import { ActionType, ObservationDetail, TaskLevel } from "../gen/incident/v1/enums_pb.js";
import { IncidentEnvService } from "../gen/incident/v1/service_pb.js";
import { dig, http, useServer } from "./support/server.js";

const server = useServer();

describe("observation detail over REST", () => {
  it("lean by default: topology and KB on reset and /observation, not on steps", async () => {
    const reset = await http(server.baseUrl, "POST", "/reset", { task_level: "medium", seed: 17, episode_id: "lean-1" });
    expect(reset.status).toBe(200);
    const topology = dig(reset.json, "observation.topology");
    const kb = dig(reset.json, "observation.kb_articles") as unknown[];
    expect(topology).toMatchObject({ services: expect.any(Array) });
    expect(kb.length).toBeGreaterThan(0);

    const step = await http(server.baseUrl, "POST", "/step", {
      episode_id: "lean-1",
      action: { action_type: "inspect", target_service: (dig(reset.json, "observation.alert.affected_services") as string[])[0] },
    });
    expect(step.status).toBe(200);
    expect(dig(step.json, "observation.topology")).toBeNull();
    expect(dig(step.json, "observation.kb_articles")).toEqual([]);
    expect(dig(step.json, "observation.inspection")).not.toBeNull();
    // The lean step is much smaller than the complete observation.
    expect(step.text.length).toBeLessThan(reset.text.length);

    const now = await http(server.baseUrl, "GET", "/observation?episode_id=lean-1");
    expect(now.status).toBe(200);
    expect(dig(now.json, "observation.topology")).toEqual(topology);
    expect(dig(now.json, "observation.kb_articles")).toEqual(kb);
    // The rest of it is the step's observation.
    for (const key of [
      "step",
      "recent_logs",
      "metrics",
      "active_alerts",
      "inspection",
      "feedback",
      "previous_actions",
      "time_elapsed_minutes",
    ]) {
      expect(dig(now.json, `observation.${key}`), key).toEqual(dig(step.json, `observation.${key}`));
    }
    expect(dig(now.json, "done")).toBe(false);
    expect(dig(now.json, "episode_id")).toBe("lean-1");
  });

  it("observation=full carries them on every step", async () => {
    const reset = await http(server.baseUrl, "POST", "/reset", { task_level: "easy", seed: 3, episode_id: "full-1", observation: "full" });
    const step = await http(server.baseUrl, "POST", "/step", {
      episode_id: "full-1",
      action: { action_type: "escalate", reasoning: "paging the owners" },
    });
    expect(step.status).toBe(200);
    expect(dig(step.json, "observation.topology")).toEqual(dig(reset.json, "observation.topology"));
    expect(dig(step.json, "observation.kb_articles")).toEqual(dig(reset.json, "observation.kb_articles"));
  });

  it("the default episode answers /observation without an id; unknown ids and bad words are refused", async () => {
    await http(server.baseUrl, "POST", "/reset", { task_level: "easy", seed: 4 });
    const now = await http(server.baseUrl, "GET", "/observation");
    expect(now.status).toBe(200);
    expect(dig(now.json, "observation.topology")).not.toBeNull();
    const missing = await http(server.baseUrl, "GET", "/observation?episode_id=never-made");
    expect(missing.status).toBe(404);
    expect(dig(missing.json, "code")).toBe("not_found");
    const bad = await http(server.baseUrl, "POST", "/reset", { observation: "everything" });
    expect(bad.status).toBe(400);
    expect(dig(bad.json, "violations.0.field")).toBe("observation");
  });
});

describe("observation detail over gRPC", () => {
  it("GetObservation is complete; steps are lean unless full was asked for", async () => {
    const client = createClient(IncidentEnvService, createGrpcTransport({ baseUrl: server.baseUrl }));
    const reset = await client.reset({ taskLevel: TaskLevel.HARD, seed: 8, episodeId: "grpc-lean" });
    const step = await client.step({ episodeId: "grpc-lean", action: { actionType: ActionType.ESCALATE, reasoning: "paging" } });
    expect(step.observation?.topology).toBeUndefined();
    expect(step.observation?.kbArticles).toEqual([]);
    const now = await client.getObservation({ episodeId: "grpc-lean" });
    expect(now.observation?.topology).toEqual(reset.observation?.topology);
    expect(now.observation?.kbArticles).toEqual(reset.observation?.kbArticles);

    await client.reset({ taskLevel: TaskLevel.HARD, seed: 8, episodeId: "grpc-full", observation: ObservationDetail.FULL });
    const full = await client.step({ episodeId: "grpc-full", action: { actionType: ActionType.ESCALATE, reasoning: "paging" } });
    expect(full.observation?.topology).toEqual(reset.observation?.topology);
    // Apart from the topology and the KB, a full step is the lean step of the same episode.
    expect({ ...full.observation, topology: undefined, kbArticles: [] }).toEqual({
      ...step.observation,
      topology: undefined,
      kbArticles: [],
    });
  });
});
