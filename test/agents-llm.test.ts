/**
 * The LLM agent against a local fake OpenAI-compatible server (never the network): a good reply,
 * a malformed reply (one retry with the error), replies that stay malformed and a failing server
 * (safe fallback), the prompt it sends, and a whole episode through the evaluation runner.
 */
import { create } from "@bufbuild/protobuf";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ActionType, FaultKind, TaskLevel } from "../gen/incident/v1/enums_pb.js";
import { ResetRequestSchema } from "../gen/incident/v1/service_pb.js";
import type { Observation } from "../gen/incident/v1/observation_pb.js";
import { llmAgent, llmConfigFromEnv, parseAction, renderObservation, SYSTEM_PROMPT, type LlmConfig } from "../src/agents/llm.js";
import { agentEntry } from "../src/agents/registry.js";
import { renderObservationText } from "../src/env/observation-text.js";
import { IncidentEnvironment } from "../src/env/environment.js";
import { InProcessBackend } from "../src/eval/backend.js";
import { runEvaluation } from "../src/eval/runner.js";
import { startFakeOpenAI, type FakeOpenAI } from "./support/fake-openai.js";

let fake: FakeOpenAI;
let config: LlmConfig;
let observation: Observation;
let root: string;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  config = { baseURL: fake.baseURL, model: "fake-model", apiKey: "test-key", maxRetries: 0, timeoutMs: 5_000 };
  const env = new IncidentEnvironment();
  const start = env.reset(create(ResetRequestSchema, { taskLevel: TaskLevel.EASY, seed: 11, episodeId: "llm" }));
  if (!start.observation) throw new Error("no observation");
  observation = start.observation;
  root = env.episodeRecord("llm").spec.root;
});

afterAll(async () => {
  await fake.close();
});

beforeEach(() => {
  fake.requests.length = 0;
  fake.setDefault({ status: 500, message: "no reply scripted" });
});

describe("llm agent", () => {
  it("sends everything an agent may use: service names on metrics, affected services, topology, schema", async () => {
    fake.enqueue({ content: JSON.stringify({ action_type: "inspect", target_service: root }) });
    await llmAgent(config).act(observation);
    const request = fake.requests[0];
    expect(request?.model).toBe("fake-model");
    expect(request?.temperature).toBe(0);
    const [system, user] = request?.messages ?? [];
    expect(system?.role).toBe("system");
    expect(system?.content).toBe(SYSTEM_PROMPT);
    expect(system?.content).toContain('"action_type"');
    expect(system?.content).toContain('"fault_kind"');
    const metric = observation.metrics[0];
    expect(user?.content).toContain(`| ${metric?.serviceName} |`);
    expect(user?.content).toContain(`| ${metric?.metricName} (`);
    expect(user?.content).toContain(`(affected: ${observation.alert?.affectedServices.join(", ")})`);
    expect(user?.content).toContain("## Topology");
    for (const s of observation.topology?.services ?? []) expect(user?.content).toContain(`- ${s.name} (`);
    expect(user?.content).toContain("## Knowledge base");
    // One renderer: the prompt is the environment's text of the observation, then the instruction.
    expect(user?.content).toBe(`${renderObservationText(observation)}\nReply with ONLY the JSON action.`);
    expect(renderObservation(observation)).toBe(user?.content);
  });

  it("takes a good reply as the action", async () => {
    fake.enqueue({
      content: `\`\`\`json\n${JSON.stringify({ action_type: "diagnose", target_service: root, fault_kind: "bad_deploy", reasoning: "deploy" })}\n\`\`\``,
    });
    const agent = llmAgent(config);
    const action = await agent.act(observation);
    expect(action.actionType).toBe(ActionType.DIAGNOSE);
    expect(action.targetService).toBe(root);
    expect(action.faultKind).toBe(FaultKind.BAD_DEPLOY);
    expect(fake.requests).toHaveLength(1);
    expect(agent.stats?.()).toMatchObject({ calls: 1, retries: 0, fallbacks: 0 });
  });

  it("retries once with the validation error after a malformed reply", async () => {
    fake.enqueue(
      { content: JSON.stringify({ action_type: "diagnose", target_sevice: root }) },
      { content: JSON.stringify({ action_type: "inspect", target_service: root, reasoning: "look" }) },
    );
    const agent = llmAgent(config);
    const action = await agent.act(observation);
    expect(action.actionType).toBe(ActionType.INSPECT);
    expect(action.targetService).toBe(root);
    expect(fake.requests).toHaveLength(2);
    const retry = fake.requests[1]?.messages ?? [];
    expect(retry[2]?.role).toBe("assistant");
    expect(retry[3]?.content).toMatch(/not a valid action: .*target_sevice/);
    expect(agent.stats?.()).toMatchObject({ calls: 2, retries: 1, fallbacks: 0, invalid_replies: 1 });
  });

  it("rejects replies that break the proto's rules (protovalidate), then falls back", async () => {
    fake.enqueue({ content: JSON.stringify({ action_type: "inspect", target_service: "" }) }, { content: "I think the database is down." });
    const agent = llmAgent(config);
    const action = await agent.act(observation);
    expect(fake.requests[1]?.messages[3]?.content).toMatch(/target_service/);
    expect(action.actionType).toBe(ActionType.INSPECT);
    expect(action.targetService).toBe(observation.alert?.affectedServices[0]);
    expect(action.reasoning).toMatch(/^fallback \(invalid reply after a retry/);
    expect(agent.stats?.()).toMatchObject({ calls: 2, retries: 1, fallbacks: 1, invalid_replies: 2 });
  });

  it("falls back to inspecting the paging service when the server fails", async () => {
    fake.enqueue({ status: 500, message: "model overloaded" });
    const agent = llmAgent(config);
    const action = await agent.act(observation);
    expect(action.actionType).toBe(ActionType.INSPECT);
    expect(action.targetService).toBe(observation.alert?.affectedServices[0]);
    expect(action.reasoning).toMatch(/model call failed/);
    expect(agent.stats?.()).toMatchObject({ api_errors: 1, fallbacks: 1 });
  });

  it("parses OpenEnv's {action: ...} envelope and any enum spelling", () => {
    const action = parseAction(
      'Sure! {"action": {"action_type": "APPLY_FIX", "target_service": "x", "remediation": {"kind": "Rollback"}}}',
    );
    expect(action.actionType).toBe(ActionType.APPLY_FIX);
    expect(action.remediation?.kind).toBe(2);
  });

  it("reads its endpoint, model and key from the environment variables of the original incident-response-env", () => {
    expect(llmConfigFromEnv({ API_BASE_URL: "http://h:1/v1", MODEL_NAME: "m", HF_TOKEN: "t" })).toMatchObject({
      baseURL: "http://h:1/v1",
      model: "m",
      apiKey: "t",
    });
    expect(llmConfigFromEnv({ OPENAI_BASE_URL: "http://o/v1", OPENAI_API_KEY: "k", API_BASE_URL: "http://ignored" })).toMatchObject({
      baseURL: "http://o/v1",
      apiKey: "k",
    });
    expect(llmConfigFromEnv({ HF_TOKEN: "t" }).baseURL).toBe("https://router.huggingface.co/v1");
    expect(llmConfigFromEnv({}).apiKey).toBe("not-needed");
  });

  it("plays whole episodes through the evaluation runner", async () => {
    // A model that inspects, then diagnoses the service it inspected.
    fake.setDefault((request) => {
      const prompt = request.messages[1]?.content ?? "";
      const inspected = /## Inspection of (\S+)/.exec(prompt)?.[1];
      const affected = /\(affected: ([\w.-]+)/.exec(prompt)?.[1] ?? "unknown";
      return {
        content: JSON.stringify(
          inspected ? { action_type: "diagnose", target_service: inspected } : { action_type: "inspect", target_service: affected },
        ),
      };
    });
    const entry = agentEntry("llm", { llm: () => config });
    const run = await runEvaluation({
      agent: entry,
      backend: new InProcessBackend(),
      tasks: ["easy"],
      seeds: [1, 2],
      concurrency: 2,
      episodeIdPrefix: "llm",
      trajectories: false,
    });
    expect(run.outcomes.map((o) => o.steps)).toEqual([2, 2]);
    expect(run.outcomes.every((o) => o.error === undefined && o.status !== "running")).toBe(true);
    expect(run.agentStats).toMatchObject({ calls: 4, fallbacks: 0 });
  });
});
