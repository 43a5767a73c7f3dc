/**
 * The llm agent sends back a reply that inspects or diagnoses a service the system lacks (the
 * server would refuse it), once, with the reason; a model's typo costs a retry, not the episode.
 */
import { create } from "@bufbuild/protobuf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ActionType, TaskLevel } from "../gen/incident/v1/enums_pb.js";
import type { Observation } from "../gen/incident/v1/observation_pb.js";
import { ResetRequestSchema } from "../gen/incident/v1/service_pb.js";
import { llmAgent, type LlmConfig } from "../src/agents/llm.js";
import { IncidentEnvironment } from "../src/env/environment.js";
import { startFakeOpenAI, type FakeOpenAI } from "./support/fake-openai.js";

let fake: FakeOpenAI;
let config: LlmConfig;
let observation: Observation;
let root: string;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  config = { baseURL: fake.baseURL, model: "fake-model", apiKey: "test-key", maxRetries: 0, timeoutMs: 5_000 };
  const env = new IncidentEnvironment();
  const start = env.reset(create(ResetRequestSchema, { taskLevel: TaskLevel.EASY, seed: 11, episodeId: "llm-targets" }));
  observation = start.observation!;
  root = env.episodeRecord("llm-targets").spec.root;
});
afterAll(() => fake.close());

describe("llm agent and the services of the system", () => {
  it("retries a diagnosis of a service the system lacks, with the reason", async () => {
    fake.enqueue(
      { content: JSON.stringify({ action_type: "diagnose", target_service: `${root}-typo`, reasoning: "r" }) },
      { content: JSON.stringify({ action_type: "diagnose", target_service: root, reasoning: "r" }) },
    );
    const agent = llmAgent(config);
    const action = await agent.act(observation);
    expect(action.actionType).toBe(ActionType.DIAGNOSE);
    expect(action.targetService).toBe(root);
    expect(fake.requests.at(-1)?.messages.at(-1)?.content).toContain(`"${root}-typo" does not name one service of this system`);
    expect(agent.stats?.()).toMatchObject({ calls: 2, retries: 1, invalid_replies: 1, fallbacks: 0 });
  });

  it("falls back (to a service of the system) when the retry names none either", async () => {
    fake.enqueue(
      { content: JSON.stringify({ action_type: "inspect", target_service: "nowhere" }) },
      { content: JSON.stringify({ action_type: "inspect", target_service: "still-nowhere" }) },
    );
    const agent = llmAgent(config);
    const action = await agent.act(observation);
    const names = observation.topology?.services.map((s) => s.name) ?? [];
    expect(action.actionType).toBe(ActionType.INSPECT);
    expect(names).toContain(action.targetService);
    expect(agent.stats?.()).toMatchObject({ fallbacks: 1, invalid_replies: 2 });
  });
});
