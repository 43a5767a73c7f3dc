/**
 * Bad input gets the documented code and one error shape, and changes nothing: the episode's
 * state reads byte-for-byte the same afterwards.
 */
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { beforeEach, describe, expect, it } from "vitest";
import { ActionType } from "../gen/incident/v1/enums_pb.js";
import { IncidentEnvService } from "../gen/incident/v1/service_pb.js";
import { DEFAULT_LIMITS } from "../src/env/limits.js";
import { dig, http, useServer } from "./support/server.js";

const server = useServer();
const EPISODE = "bad-input-episode";

async function stateText(): Promise<string> {
  return (await http(server.baseUrl, "GET", `/state?episode_id=${EPISODE}`)).text;
}

function expectErrorShape(json: unknown, code: string): void {
  expect(dig(json, "code")).toBe(code);
  expect(typeof dig(json, "message")).toBe("string");
  expect(Array.isArray(dig(json, "violations"))).toBe(true);
  expect(Object.keys(json as object).sort()).toEqual(["code", "message", "violations"]);
}

beforeEach(async () => {
  const reset = await http(server.baseUrl, "POST", "/reset", { task_level: "easy", seed: 11, episode_id: EPISODE });
  expect(reset.status).toBe(200);
  // One harmless step so that the state has something to lose.
  await http(server.baseUrl, "POST", "/step", { episode_id: EPISODE, action: { action_type: "escalate", reasoning: "need the DB team" } });
});

const badSteps: Array<[string, string | object, string, string]> = [
  ["malformed JSON", '{"episode_id": "bad-input-episode", "action": {"action_type": "diagnose",', "json.syntax", ""],
  [
    "a list where a string list is expected",
    { episode_id: EPISODE, action: { action_type: "write_runbook", runbook_steps: "restart it" } },
    "type.array",
    "action.runbook_steps",
  ],
  [
    "a number where a string is expected",
    { episode_id: EPISODE, action: { action_type: "diagnose", reasoning: 5 } },
    "type.mismatch",
    "action.reasoning",
  ],
  [
    "an invented action type",
    { episode_id: EPISODE, action: { action_type: "totally_made_up", reasoning: "x" } },
    "enum.defined_only",
    "action.action_type",
  ],
  [
    "an unknown severity word",
    { episode_id: EPISODE, action: { action_type: "write_postmortem", severity_assessment: "P9" } },
    "enum.defined_only",
    "action.severity_assessment",
  ],
  ["a missing action type", { episode_id: EPISODE, action: { reasoning: "no type" } }, "required", "action.action_type"],
  [
    "an unknown action field",
    { episode_id: EPISODE, action: { action_type: "diagnose", target_sevice: "x" } },
    "field.known",
    "action.target_sevice",
  ],
  [
    "an oversized reasoning",
    { episode_id: EPISODE, action: { action_type: "diagnose", reasoning: "x".repeat(4001) } },
    "string.max_len",
    "action.reasoning",
  ],
  [
    "too many runbook steps",
    { episode_id: EPISODE, action: { action_type: "write_runbook", runbook_steps: Array(31).fill("check") } },
    "repeated.max_items",
    "action.runbook_steps",
  ],
  [
    "an oversized runbook step",
    { episode_id: EPISODE, action: { action_type: "write_runbook", runbook_steps: ["x".repeat(501)] } },
    "string.max_len",
    "action.runbook_steps[0]",
  ],
  [
    "an oversized target",
    { episode_id: EPISODE, action: { action_type: "diagnose", target_service: "s".repeat(129) } },
    "string.max_len",
    "action.target_service",
  ],
  ["an action that is not an object", { episode_id: EPISODE, action: "diagnose postgres" }, "type.object", "action"],
  ["a body that is not an object", [1, 2, 3], "type.object", ""],
  [
    "a diagnose of a service not in the system",
    { episode_id: EPISODE, action: { action_type: "diagnose", target_service: "no-such-service" } },
    "target_service.in_topology",
    "action.target_service",
  ],
  [
    "an inspect of a service not in the system",
    { episode_id: EPISODE, action: { action_type: "inspect", target_service: "no-such-service" } },
    "target_service.in_topology",
    "action.target_service",
  ],
  ["a malformed episode id", { episode_id: "has spaces in it", action: { action_type: "escalate" } }, "string.pattern", "episode_id"],
];

describe("REST /step rejects bad input with 400 invalid_argument and changes nothing", () => {
  it.each(badSteps)("%s", async (_label, body, rule, field) => {
    const before = await stateText();
    const response = await http(server.baseUrl, "POST", "/step", body);
    expect(response.status, response.text).toBe(400);
    expectErrorShape(response.json, "invalid_argument");
    expect(dig(response.json, "violations.0.rule")).toBe(rule);
    expect(dig(response.json, "violations.0.field")).toBe(field);
    expect(await stateText()).toBe(before);
  });

  it("an empty /step body", async () => {
    const before = await stateText();
    const response = await http(server.baseUrl, "POST", "/step");
    expect(response.status).toBe(400);
    expectErrorShape(response.json, "invalid_argument");
    expect(await stateText()).toBe(before);
  });
});

describe("a diagnose or inspect of a service the system does not have", () => {
  it("is refused on REST and gRPC alike, costs no step, keeps the easy episode running, and names no service", async () => {
    const observation = await http(server.baseUrl, "GET", `/observation?episode_id=${EPISODE}`);
    const services = (dig(observation.json, "observation.topology.services") as Array<{ name: string }>).map((n) => n.name);
    expect(services.length).toBeGreaterThan(2);
    const before = await stateText();
    const rest = await http(server.baseUrl, "POST", "/step", {
      episode_id: EPISODE,
      action: { action_type: "diagnose", target_service: "postgress-db" },
    });
    expect(rest.status).toBe(400);
    expectErrorShape(rest.json, "invalid_argument");
    const grpc = createClient(IncidentEnvService, createGrpcTransport({ baseUrl: server.baseUrl }));
    const refused = await grpc
      .step({ episodeId: EPISODE, action: { actionType: ActionType.DIAGNOSE, targetService: "postgress-db" } })
      .catch((e: unknown) => ConnectError.from(e));
    expect(refused).toBeInstanceOf(ConnectError);
    expect((refused as ConnectError).code).toBe(Code.InvalidArgument);
    const inspect = await grpc
      .step({ episodeId: EPISODE, action: { actionType: ActionType.INSPECT, targetService: "postgress-db" } })
      .catch((e: unknown) => ConnectError.from(e));
    expect((inspect as ConnectError).code).toBe(Code.InvalidArgument);
    for (const message of [String(dig(rest.json, "message")), (refused as ConnectError).rawMessage]) {
      expect(message).toContain('"postgress-db" does not name one service of this system');
      for (const service of services) expect(message).not.toContain(service);
    }
    expect(await stateText()).toBe(before);
    expect(dig(JSON.parse(before), "done")).toBe(false);
  });
});

describe("REST episode addressing and lifecycle errors", () => {
  it("unknown episode id: 404 not_found on step and state", async () => {
    const step = await http(server.baseUrl, "POST", "/step", { episode_id: "no-such-episode", action: { action_type: "escalate" } });
    expect(step.status).toBe(404);
    expectErrorShape(step.json, "not_found");
    const state = await http(server.baseUrl, "GET", "/state?episode_id=no-such-episode");
    expect(state.status).toBe(404);
    expectErrorShape(state.json, "not_found");
  });

  it("step after the episode is done: 409 failed_precondition, state unchanged", async () => {
    const observation = await http(server.baseUrl, "GET", `/observation?episode_id=${EPISODE}`);
    const service = String(dig(observation.json, "observation.topology.services.0.name"));
    const commit = await http(server.baseUrl, "POST", "/step", {
      episode_id: EPISODE,
      action: { action_type: "diagnose", target_service: service },
    });
    expect(dig(commit.json, "done")).toBe(true);
    const before = await stateText();
    const again = await http(server.baseUrl, "POST", "/step", {
      episode_id: EPISODE,
      action: { action_type: "diagnose", target_service: "postgres-db" },
    });
    expect(again.status).toBe(409);
    expectErrorShape(again.json, "failed_precondition");
    expect(dig(again.json, "message")).toMatch(/is over/);
    expect(await stateText()).toBe(before);
  });

  it.each([
    ["an unknown scenario id", { scenario_id: "INC-NOPE-999", episode_id: EPISODE }, "scenario.exists"],
    ["a scenario of another level", { task_level: "hard", scenario_id: "INC-EASY-001", episode_id: EPISODE }, "scenario.level"],
    ["an unknown task level", { task_level: "extreme", episode_id: EPISODE }, "enum.defined_only"],
    ["a task level of the wrong type", { task_level: 5, episode_id: EPISODE }, "enum.defined_only"],
    ["a negative seed", { seed: -1, episode_id: EPISODE }, "type.mismatch"],
  ])("reset with %s: 400 and the episode is untouched", async (_label, body, rule) => {
    const before = await stateText();
    const response = await http(server.baseUrl, "POST", "/reset", body);
    expect(response.status, response.text).toBe(400);
    expectErrorShape(response.json, "invalid_argument");
    expect(dig(response.json, "violations.0.rule")).toBe(rule);
    expect(await stateText()).toBe(before);
    // The episode still plays: the original incident-response-env corrupted its global state on a bad scenario id.
    const step = await http(server.baseUrl, "POST", "/step", { episode_id: EPISODE, action: { action_type: "escalate" } });
    expect(step.status).toBe(200);
  });

  it("a body over MAX_BODY_BYTES: 413 in the same error shape", async () => {
    const before = await stateText();
    const response = await http(server.baseUrl, "POST", "/step", {
      episode_id: EPISODE,
      action: { action_type: "diagnose", reasoning: "x".repeat(DEFAULT_LIMITS.maxBodyBytes) },
    });
    expect(response.status).toBe(413);
    expectErrorShape(response.json, "resource_exhausted");
    expect(await stateText()).toBe(before);
  });

  it("unknown route: 404; wrong method: 405, both in the error shape", async () => {
    const missing = await http(server.baseUrl, "GET", "/nope");
    expect(missing.status).toBe(404);
    expectErrorShape(missing.json, "not_found");
    const wrongMethod = await http(server.baseUrl, "GET", "/reset");
    expect(wrongMethod.status).toBe(405);
    expectErrorShape(wrongMethod.json, "unimplemented");
  });
});

describe("Connect and gRPC reject bad input with the right codes", () => {
  const clients = {
    connect: () => createClient(IncidentEnvService, createConnectTransport({ baseUrl: server.baseUrl, httpVersion: "1.1" })),
    grpc: () => createClient(IncidentEnvService, createGrpcTransport({ baseUrl: server.baseUrl })),
  };

  async function codeOf(call: Promise<unknown>): Promise<Code | undefined> {
    try {
      await call;
      return undefined;
    } catch (e) {
      return ConnectError.from(e).code;
    }
  }

  it.each(Object.entries(clients))("over %s", async (_name, make) => {
    const client = make();
    const before = await stateText();
    expect(await codeOf(client.step({ episodeId: EPISODE, action: { actionType: 99 as ActionType } }))).toBe(Code.InvalidArgument);
    expect(await codeOf(client.step({ episodeId: EPISODE, action: { actionType: ActionType.UNSPECIFIED } }))).toBe(Code.InvalidArgument);
    expect(await codeOf(client.step({ episodeId: EPISODE }))).toBe(Code.InvalidArgument);
    expect(
      await codeOf(client.step({ episodeId: EPISODE, action: { actionType: ActionType.DIAGNOSE, reasoning: "x".repeat(4001) } })),
    ).toBe(Code.InvalidArgument);
    expect(await codeOf(client.reset({ scenarioId: "INC-NOPE-1", episodeId: EPISODE }))).toBe(Code.InvalidArgument);
    expect(await codeOf(client.step({ episodeId: "no-such-episode", action: { actionType: ActionType.ESCALATE } }))).toBe(Code.NotFound);
    expect(await codeOf(client.getState({ episodeId: "no-such-episode" }))).toBe(Code.NotFound);
    expect(
      await codeOf(
        client.step({
          episodeId: EPISODE,
          action: { actionType: ActionType.DIAGNOSE, reasoning: "x".repeat(DEFAULT_LIMITS.maxBodyBytes) },
        }),
      ),
    ).toBe(Code.ResourceExhausted);
    expect(await stateText()).toBe(before);
    await client.step({ episodeId: EPISODE, action: { actionType: ActionType.DIAGNOSE, targetService: "api-gateway" } });
    expect(await codeOf(client.step({ episodeId: EPISODE, action: { actionType: ActionType.ESCALATE } }))).toBe(Code.FailedPrecondition);
  });
});
