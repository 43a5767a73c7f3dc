/**
 * One server on port 0; a full episode of every level over every protocol it speaks:
 * curl-style REST JSON (fetch), Connect JSON, Connect binary, gRPC over h2c, gRPC-Web; and
 * StreamLogs over gRPC while another client steps the episode.
 */
import { create } from "@bufbuild/protobuf";
import { createClient, type Client, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { describe, expect, it } from "vitest";
import { ActionSchema } from "../gen/incident/v1/action_pb.js";
import { EpisodeStatus, TaskLevel } from "../gen/incident/v1/enums_pb.js";
import { EpisodeStateSchema } from "../gen/incident/v1/episode_pb.js";
import { ObservationSchema } from "../gen/incident/v1/observation_pb.js";
import { IncidentEnvService, StepResponseSchema } from "../gen/incident/v1/service_pb.js";
import { oracleAgent } from "../src/agents/oracle.js";
import { fromRestJson, toRestJson } from "../src/json/rest-json.js";
import { dig, http, useServer } from "./support/server.js";

const server = useServer();

const LEVELS = [
  { level: TaskLevel.EASY, word: "easy" },
  { level: TaskLevel.MEDIUM, word: "medium" },
  { level: TaskLevel.HARD, word: "hard" },
] as const;

const transports: Record<string, () => Transport> = {
  "Connect JSON (HTTP/1.1)": () => createConnectTransport({ baseUrl: server.baseUrl, httpVersion: "1.1", useBinaryFormat: false }),
  "Connect binary (h2c)": () => createConnectTransport({ baseUrl: server.baseUrl, httpVersion: "2", useBinaryFormat: true }),
  "gRPC (h2c)": () => createGrpcTransport({ baseUrl: server.baseUrl }),
  "gRPC-Web (HTTP/1.1)": () => createGrpcWebTransport({ baseUrl: server.baseUrl, httpVersion: "1.1" }),
};

/** The oracle for an episode of the in-process server: it reads the ground truth and the facts. */
function oracleFor(episodeId: string) {
  return oracleAgent(server.env.episodeRecord(episodeId).spec, () => server.env.episodeRecord(episodeId).world);
}

async function playOverRpc(client: Client<typeof IncidentEnvService>, level: TaskLevel, seed: number) {
  const reset = await client.reset({ taskLevel: level, seed });
  expect(reset.done).toBe(false);
  expect(reset.reward).toBeUndefined();
  const agent = oracleFor(reset.episodeId);
  let observation = reset.observation ?? create(ObservationSchema);
  let total = 0;
  for (let i = 0; i < 30; i++) {
    const step = await client.step({ episodeId: reset.episodeId, action: agent.act(observation) });
    total += step.reward;
    observation = step.observation ?? observation;
    if (step.done) break;
  }
  const { state } = await client.getState({ episodeId: reset.episodeId });
  return { state, total };
}

describe.each(Object.entries(transports))("%s", (_name, makeTransport) => {
  it.each(LEVELS)("plays a full $word episode", async ({ level }) => {
    const client = createClient(IncidentEnvService, makeTransport());
    const { state, total } = await playOverRpc(client, level, 7);
    expect(state?.done).toBe(true);
    expect(state?.status).toBe(EpisodeStatus.TERMINATED_SUCCESS);
    expect(state?.totalReward).toBeGreaterThanOrEqual(0.9);
    expect(total).toBeCloseTo(state?.totalReward ?? -1, 6);
  });

  it("answers Health and ListTasks", async () => {
    const client = createClient(IncidentEnvService, makeTransport());
    expect((await client.health({})).environment).toBe("incident-response-env");
    expect((await client.listTasks({})).tasks.map((t) => t.name)).toEqual(["easy", "medium", "hard", "expert"]);
  });
});

describe("curl-style REST JSON", () => {
  it.each(LEVELS)("plays a full $word episode", async ({ word }) => {
    const reset = await http(server.baseUrl, "POST", "/reset", { task_level: word, seed: 7 });
    expect(reset.status).toBe(200);
    expect(dig(reset.json, "reward")).toBeNull();
    expect(dig(reset.json, "done")).toBe(false);
    const episodeId = dig(reset.json, "episode_id") as string;
    const agent = oracleFor(episodeId);
    let observation = fromRestJson(ObservationSchema, dig(reset.json, "observation"));
    for (let i = 0; i < 30; i++) {
      const action = toRestJson(ActionSchema, agent.act(observation));
      const step = await http(server.baseUrl, "POST", "/step", { action, episode_id: episodeId });
      expect(step.status, step.text).toBe(200);
      const parsed = fromRestJson(StepResponseSchema, step.json);
      observation = parsed.observation ?? observation;
      if (parsed.done) break;
    }
    const state = await http(server.baseUrl, "GET", `/state?episode_id=${episodeId}`);
    const parsedState = fromRestJson(EpisodeStateSchema, state.json);
    expect(parsedState.status).toBe(EpisodeStatus.TERMINATED_SUCCESS);
    expect(dig(state.json, "status")).toBe("terminated_success");
    expect(parsedState.totalReward).toBeGreaterThanOrEqual(0.9);
  });
});

describe("StreamLogs over gRPC", () => {
  it("delivers the logs printed so far, then new lines as another client steps, and ends with the episode", async () => {
    const streamer = createClient(IncidentEnvService, createGrpcTransport({ baseUrl: server.baseUrl }));
    const stepper = createClient(IncidentEnvService, createConnectTransport({ baseUrl: server.baseUrl, httpVersion: "1.1" }));
    const reset = await stepper.reset({ taskLevel: TaskLevel.MEDIUM, seed: 3, episodeId: "stream-demo" });
    const openingLines = reset.observation?.recentLogs.length ?? 0;
    expect(openingLines).toBeGreaterThan(0);

    const received: number[] = [];
    let sawFirstBatch!: () => void;
    const firstBatch = new Promise<void>((resolve) => (sawFirstBatch = resolve));
    const streaming = (async () => {
      for await (const message of streamer.streamLogs({ episodeId: "stream-demo" })) {
        received.push(message.entry?.seq ?? -1);
        if (received.length === openingLines) sawFirstBatch();
      }
    })();
    await firstBatch;
    expect(received).toEqual(Array.from({ length: openingLines }, (_, i) => i + 1));

    // Each step prints more lines; the stream must deliver them while the episode runs.
    for (let i = 0; i < 3; i++) {
      await stepper.step({ episodeId: "stream-demo", action: { actionType: 2, reasoning: "paging the owners while looking around" } });
    }
    await stepper.step({ episodeId: "stream-demo", action: { actionType: 6, reasoning: "ending the episode" } });
    await streaming; // ends on its own because the episode ended
    const total = (await stepper.getState({ episodeId: "stream-demo" })).state;
    expect(total?.done).toBe(true);
    expect(received.length).toBeGreaterThan(openingLines);
    expect(received).toEqual(Array.from({ length: received.length }, (_, i) => i + 1));
  });
});
