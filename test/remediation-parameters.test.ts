/**
 * apply_fix's remediation.parameters take numbers as well as strings on every JSON transport:
 * REST, Connect JSON, MCP and /ws all scale a service to `{"replicas": 6}` as to `{"replicas": "6"}`;
 * a value of another kind is still refused naming the field.
 */
import WebSocket from "ws";
import { describe, expect, it } from "vitest";
import { connectUnary } from "./support/raw-rpc.js";
import { dig, http, useServer } from "./support/server.js";

const server = useServer();

/** A medium episode of its own and the name of one of its services. */
async function mediumEpisode(id: string): Promise<string> {
  const reset = await http(server.baseUrl, "POST", "/reset", { task_level: "medium", seed: 7, episode_id: id });
  expect(reset.status).toBe(200);
  return String(dig(reset.json, "observation.topology.services.0.name"));
}

const scaleTo = (service: string, replicas: unknown) => ({
  action_type: "apply_fix",
  target_service: service,
  remediation: { kind: "scale", parameters: { replicas } },
});

describe("remediation.parameters", () => {
  it("REST: a number is the string JSON writes for it", async () => {
    const service = await mediumEpisode("params-rest");
    const step = await http(server.baseUrl, "POST", "/step", { episode_id: "params-rest", action: scaleTo(service, 6) });
    expect(step.status, step.text).toBe(200);
    expect(dig(step.json, "observation.feedback")).toBe(`${service} scaled to 6 replicas.`);
  });

  it("REST: a boolean is still refused, naming the parameter", async () => {
    const service = await mediumEpisode("params-bool");
    const step = await http(server.baseUrl, "POST", "/step", { episode_id: "params-bool", action: scaleTo(service, true) });
    expect(step.status).toBe(400);
    expect(dig(step.json, "violations.0.field")).toBe("action.remediation.parameters.replicas");
  });

  it("Connect JSON", async () => {
    const service = await mediumEpisode("params-connect");
    const body = JSON.stringify({
      episodeId: "params-connect",
      action: {
        actionType: "ACTION_TYPE_APPLY_FIX",
        targetService: service,
        remediation: { kind: "REMEDIATION_KIND_SCALE", parameters: { replicas: 6 } },
      },
    });
    const answer = await connectUnary(server.baseUrl, "Step", body, "application/json");
    expect(answer.httpStatus, answer.text).toBe(200);
    expect(dig(JSON.parse(answer.text), "observation.feedback")).toBe(`${service} scaled to 6 replicas.`);
  });

  it("MCP tools/call apply_fix, and the tool's schema says so", async () => {
    const mcp = async (method: string, params: Record<string, unknown>, headers: Record<string, string> = {}) => {
      const response = await fetch(`${server.baseUrl}/mcp`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
      });
      return { json: (await response.json()) as unknown, session: response.headers.get("mcp-session-id") };
    };
    const init = await mcp("initialize", { protocolVersion: "2025-06-18" });
    const headers = { "mcp-session-id": String(init.session) };
    const tools = await mcp("tools/list", {}, headers);
    const applyFix = (dig(tools.json, "result.tools") as Array<{ name: string }>).find((t) => t.name === "apply_fix");
    expect(JSON.stringify(applyFix)).toContain('"additionalProperties":{"type":["string","number"]}');
    const reset = await mcp("tools/call", { name: "reset", arguments: { task_level: "medium", seed: 7 } }, headers);
    const service = String(dig(reset.json, "result.structuredContent.observation.topology.services.0.name"));
    const fix = await mcp(
      "tools/call",
      { name: "apply_fix", arguments: { target_service: service, remediation: { kind: "scale", parameters: { replicas: 6 } } } },
      headers,
    );
    expect(dig(fix.json, "result.structuredContent.observation.feedback"), JSON.stringify(fix.json)).toBe(
      `${service} scaled to 6 replicas.`,
    );
  });

  it("/ws step", async () => {
    const ws = new WebSocket(`${server.baseUrl.replace(/^http/, "ws")}/ws`);
    const replies: Array<Record<string, unknown>> = [];
    const waiting: Array<() => void> = [];
    ws.on("message", (data) => {
      replies.push(JSON.parse(String(data)) as Record<string, unknown>);
      waiting.shift()?.();
    });
    await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
    const request = async (message: unknown) => {
      const answered = new Promise<void>((resolve) => waiting.push(resolve));
      ws.send(JSON.stringify(message));
      await answered;
      return replies.shift()!;
    };
    try {
      const reset = await request({ type: "reset", data: { task_level: "medium", seed: 7 } });
      const service = String(dig(reset, "data.observation.topology.services.0.name"));
      const step = await request({ type: "step", data: scaleTo(service, 6) });
      expect(dig(step, "data.observation.feedback"), JSON.stringify(step)).toBe(`${service} scaled to 6 replicas.`);
    } finally {
      ws.close();
    }
  });
});
