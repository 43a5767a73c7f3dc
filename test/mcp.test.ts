/**
 * MCP on POST /mcp (JSON-RPC 2.0): every error is a JSON-RPC error at HTTP 200 (POST {} too, as
 * `openenv validate` checks); initialize; tools/list with one tool per action type and schemas
 * from the protos; tools/call playing an episode; sessions (Mcp-Session-Id header, OpenEnv's
 * openenv/session/create and close, params.session_id); the episodes are normal episodes.
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { MCP_PROTOCOL_VERSIONS } from "../src/server/mcp.js";
import { dig, http, useServer } from "./support/server.js";

const server = useServer();
const full = useServer({ limits: { maxLiveEpisodes: 1 } });

interface RpcReply {
  status: number;
  json: Record<string, unknown>;
  text: string;
  session: string | null;
}

async function post(baseUrl: string, body: unknown, headers: Record<string, string> = {}): Promise<RpcReply> {
  const response = await fetch(`${baseUrl}/mcp`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    json: (text === "" ? {} : JSON.parse(text)) as Record<string, unknown>,
    text,
    session: response.headers.get("mcp-session-id"),
  };
}

let nextId = 1;
async function call(
  baseUrl: string,
  method: string,
  params?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<RpcReply> {
  const reply = await post(baseUrl, { jsonrpc: "2.0", id: nextId++, method, ...(params !== undefined ? { params } : {}) }, headers);
  expect(reply.status).toBe(200);
  expect(reply.json.jsonrpc).toBe("2.0");
  return reply;
}

async function tool(
  baseUrl: string,
  name: string,
  args: Record<string, unknown>,
  headers: Record<string, string> = {},
  extra: Record<string, unknown> = {},
) {
  return call(baseUrl, "tools/call", { name, arguments: args, ...extra }, headers);
}

describe("JSON-RPC errors are answered at HTTP 200", () => {
  it("POST {} gets an invalid-request error object (openenv validate's mcp_endpoint)", async () => {
    const reply = await post(server.baseUrl, {});
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({ jsonrpc: "2.0", id: null, error: { code: -32600 } });
  });

  it.each([
    ["malformed JSON", "{", -32700, null],
    ["an empty body", "", -32700, null],
    ["a batch", [{ jsonrpc: "2.0", id: 1, method: "ping" }], -32600, null],
    ["a string", '"hello"', -32600, null],
    ["the wrong version", { jsonrpc: "1.0", id: 5, method: "ping" }, -32600, 5],
    ["no method", { jsonrpc: "2.0", id: 6 }, -32600, 6],
    ["an object id", { jsonrpc: "2.0", id: { a: 1 }, method: "ping" }, -32600, null],
    ["an unknown method", { jsonrpc: "2.0", id: "m", method: "resources/list" }, -32601, "m"],
    ["params that are not an object", { jsonrpc: "2.0", id: 7, method: "tools/list", params: [1] }, -32602, 7],
  ])("%s", async (_label, body, code, id) => {
    const reply = await post(server.baseUrl, body);
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({ jsonrpc: "2.0", id, error: { code } });
    expect(typeof dig(reply.json, "error.message")).toBe("string");
  });

  it("a notification gets 202 and no body; ping gets an empty result", async () => {
    const notification = await post(server.baseUrl, { jsonrpc: "2.0", method: "notifications/initialized" });
    expect(notification.status).toBe(202);
    expect(notification.text).toBe("");
    expect((await call(server.baseUrl, "ping")).json.result).toEqual({});
  });

  it("GET /mcp is 405 in the common error shape (no server-initiated stream)", async () => {
    const response = await http(server.baseUrl, "GET", "/mcp");
    expect(response.status).toBe(405);
    expect(dig(response.json, "code")).toBe("unimplemented");
  });
});

describe("initialize and tools/list", () => {
  it("initialize negotiates the protocol version, announces tools, and assigns a session", async () => {
    const reply = await call(server.baseUrl, "initialize", {
      protocolVersion: "2025-03-26",
      capabilities: {},
      clientInfo: { name: "test", version: "1" },
    });
    expect(reply.json.result).toMatchObject({
      protocolVersion: "2025-03-26",
      capabilities: { tools: { listChanged: false } },
      serverInfo: { name: "incident-response-env", version: expect.any(String) as unknown },
    });
    expect(reply.session).toMatch(/^mcp-[0-9a-f-]{36}$/);
    const future = await call(server.baseUrl, "initialize", { protocolVersion: "2099-01-01" });
    expect(dig(future.json, "result.protocolVersion")).toBe(MCP_PROTOCOL_VERSIONS[0]);
  });

  it("lists reset, one tool per action type with the fields that action reads, and get_state; every schema is standalone JSON Schema", async () => {
    const tools = dig((await call(server.baseUrl, "tools/list")).json, "result.tools") as Array<{
      name: string;
      description: string;
      inputSchema: Record<string, unknown>;
    }>;
    expect(tools.map((t) => t.name)).toEqual([
      "reset",
      "diagnose",
      "escalate",
      "write_runbook",
      "apply_fix",
      "write_postmortem",
      "resolve",
      "inspect",
      "get_observation",
      "get_state",
    ]);
    const ajv = new Ajv2020({ strict: false });
    ajv.addFormat("date-time", true);
    for (const t of tools) {
      expect(t.inputSchema.type).toBe("object");
      expect(JSON.stringify(t.inputSchema)).not.toMatch(/\$ref/);
      expect(t.description.length).toBeGreaterThan(20);
      ajv.compile(t.inputSchema);
    }
    const byName = new Map(tools.map((t) => [t.name, t]));
    const props = (name: string) => Object.keys((byName.get(name)?.inputSchema.properties ?? {}) as object);
    expect(props("diagnose")).toEqual(["target_service", "fault_kind", "reasoning"]);
    expect(props("inspect")).toEqual(["target_service", "reasoning"]);
    expect(props("apply_fix")).toEqual(["target_service", "remediation", "reasoning"]);
    expect(props("write_runbook")).toEqual(["runbook_steps", "target_service", "reasoning"]);
    expect(props("write_postmortem")).toEqual(["postmortem_sections", "severity_assessment", "target_service", "reasoning"]);
    expect(props("resolve")).toEqual(["reasoning"]);
    expect(props("reset")).toEqual([
      "task_level",
      "seed",
      "scenario_id",
      "fault_kind",
      "family",
      "clock",
      "minutes_per_second",
      "observation",
      "text",
    ]);
    expect(byName.get("diagnose")?.description).toMatch(/root of the incident/);
    // The proto rules are in the schemas, and a model's arguments can be checked against them.
    const fix = ajv.compile(byName.get("apply_fix")?.inputSchema ?? {});
    expect(fix({ target_service: "db", remediation: { kind: "rollback" } })).toBe(true);
    expect(fix({ target_service: "db", remediation: { kind: "reboot-the-world" } })).toBe(false);
    expect(fix({ target_service: "db", action_type: "apply_fix" })).toBe(false);
    const runbook = ajv.compile(byName.get("write_runbook")?.inputSchema ?? {});
    expect(runbook({ runbook_steps: Array(31).fill("check") })).toBe(false);
  });
});

describe("tools/call", () => {
  it("plays an episode in the session that initialize assigned; the episode is visible to the REST routes by that id", async () => {
    const init = await call(server.baseUrl, "initialize", { protocolVersion: "2025-06-18" });
    const headers = { "mcp-session-id": String(init.session) };
    const reset = await tool(server.baseUrl, "reset", { task_level: "easy", scenario_id: "INC-EASY-001", seed: 42 }, headers);
    const started = dig(reset.json, "result.structuredContent") as Record<string, unknown>;
    expect(started.episode_id).toBe(init.session);
    expect(started.reward).toBeNull();
    expect(dig(reset.json, "result.isError")).toBe(false);
    const content = dig(reset.json, "result.content") as Array<{ type: string; text: string }>;
    expect(content[0]?.type).toBe("text");
    expect(JSON.parse(content[0]?.text ?? "null")).toEqual(started);

    const inspect = await tool(server.baseUrl, "inspect", { target_service: "postgres-db", reasoning: "connections" }, headers);
    expect(dig(inspect.json, "result.structuredContent.observation.inspection.service")).toBe("postgres-db");
    // Lean observations: the topology comes with the reset and get_observation, not with steps.
    expect(dig(inspect.json, "result.structuredContent.observation.topology")).toBeNull();
    const current = await tool(server.baseUrl, "get_observation", {}, headers);
    expect(dig(current.json, "result.structuredContent.observation.topology")).toEqual(
      dig(reset.json, "result.structuredContent.observation.topology"),
    );
    expect(dig(current.json, "result.structuredContent.observation.inspection.service")).toBe("postgres-db");
    const diagnose = await tool(
      server.baseUrl,
      "diagnose",
      { target_service: "postgres-db", reasoning: "connection slots exhausted" },
      headers,
    );
    expect(dig(diagnose.json, "result.structuredContent.done")).toBe(true);
    expect(dig(diagnose.json, "result.structuredContent.reward")).toBeGreaterThan(0.5);
    const state = await tool(server.baseUrl, "get_state", {}, headers);
    expect(dig(state.json, "result.structuredContent")).toMatchObject({
      episode_id: init.session,
      step_count: 2,
      status: "terminated_success",
    });
    expect(dig((await http(server.baseUrl, "GET", `/state?episode_id=${init.session}`)).json, "step_count")).toBe(2);

    // Refused: a step after the end is an execution error; the state is unchanged.
    const after = await tool(server.baseUrl, "escalate", {}, headers);
    expect(after.json.error).toMatchObject({ code: -32000, data: { code: "failed_precondition" } });
    expect(dig((await tool(server.baseUrl, "get_state", {}, headers)).json, "result.structuredContent.step_count")).toBe(2);
  });

  it.each([
    ["an unknown tool", "dance", {}, -32602, undefined],
    ["an argument the tool does not take", "diagnose", { target_service: "x", runbook_steps: ["a"] }, -32602, "field.known"],
    ["action_type as an argument", "diagnose", { action_type: "resolve" }, -32602, "field.known"],
    ["an unknown enum word", "diagnose", { fault_kind: "gremlins" }, -32602, "enum.defined_only"],
    ["a broken proto rule", "escalate", { reasoning: "x".repeat(4001) }, -32602, "string.max_len"],
    ["a value of the wrong type", "inspect", { target_service: 7 }, -32602, "type.mismatch"],
    ["reset with an unknown scenario", "reset", { scenario_id: "INC-NOPE-1" }, -32602, "scenario.exists"],
    ["reset with a live clock and no rate", "reset", { clock: "live" }, -32602, "reset.live_clock_rate"],
  ])("refuses %s with invalid params", async (_label, name, args, code, rule) => {
    const headers = { "mcp-session-id": "mcp-errors" };
    await tool(server.baseUrl, "reset", { seed: 1 }, headers);
    const reply = await tool(server.baseUrl, name, args, headers);
    expect(reply.json.error).toMatchObject({ code });
    if (rule) expect(dig(reply.json, "error.data.violations.0.rule")).toBe(rule);
    expect(dig((await tool(server.baseUrl, "get_state", {}, headers)).json, "result.structuredContent.step_count")).toBe(0);
  });

  it("without a session, acts on the default episode, like the REST routes", async () => {
    const reset = await tool(server.baseUrl, "reset", { seed: 77 });
    const id = dig(reset.json, "result.structuredContent.episode_id");
    expect(dig((await http(server.baseUrl, "GET", "/state")).json, "episode_id")).toBe(id);
    await tool(server.baseUrl, "escalate", { reasoning: "owners" });
    expect(dig((await http(server.baseUrl, "GET", "/state")).json, "step_count")).toBe(1);
  });
});

describe("OpenEnv sessions", () => {
  it("openenv/session/create reserves an episode, params.session_id plays it, openenv/session/close ends it", async () => {
    const created = await call(server.baseUrl, "openenv/session/create", { reset: { task_level: "medium", seed: 5 } });
    const sessionId = String(dig(created.json, "result.session_id"));
    expect(sessionId).toMatch(/^mcp-/);
    expect(dig((await http(server.baseUrl, "GET", `/state?episode_id=${sessionId}`)).json, "task_level")).toBe("medium");
    const step = await tool(server.baseUrl, "escalate", { reasoning: "owners" }, {}, { session_id: sessionId });
    expect(dig(step.json, "result.structuredContent.episode_id")).toBe(sessionId);
    const closed = await call(server.baseUrl, "openenv/session/close", { session_id: sessionId });
    expect(closed.json.result).toMatchObject({ session_id: sessionId, closed: true, state: { status: "closed", step_count: 1 } });
    const gone = await tool(server.baseUrl, "get_state", {}, {}, { session_id: sessionId });
    expect(gone.json.error).toMatchObject({ code: -32602, data: { code: "not_found" } });
    expect((await call(server.baseUrl, "openenv/session/close", { session_id: sessionId })).json.error).toMatchObject({ code: -32602 });
    expect((await call(server.baseUrl, "openenv/session/close", {})).json.error).toMatchObject({ code: -32602 });
    expect((await tool(server.baseUrl, "get_state", {}, {}, { session_id: "has spaces" })).json.error).toMatchObject({ code: -32602 });
  });

  it("refuses a session when every episode slot runs an episode (-32000, resource_exhausted)", async () => {
    const first = await call(full.baseUrl, "openenv/session/create");
    expect(dig(first.json, "result.session_id")).toBeDefined();
    const second = await call(full.baseUrl, "openenv/session/create");
    expect(second.json.error).toMatchObject({ code: -32000, data: { code: "resource_exhausted" } });
  });
});
