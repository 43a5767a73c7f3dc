/**
 * Tool definitions for function calling (src/server/action-tools.ts): one per action type, in the
 * OpenAI shape, at GET /tools and in GetSchema's `tools` (REST /schema, Connect, gRPC), with the
 * descriptions and argument schemas of the MCP tools of the same names. Every tool's parameters
 * are JSON Schema that validates a call's arguments (ajv), and the action a call stands for,
 * {"action_type": name, ...arguments}, is accepted by /step. Real server on port 0.
 */
import { toJson } from "@bufbuild/protobuf";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { ActionTypeSchema } from "../gen/incident/v1/enums_pb.js";
import { GetSchemaResponseSchema, IncidentEnvService } from "../gen/incident/v1/service_pb.js";
import { shortEnumWords } from "../src/json/rest-json-words.js";
import { dig, http, useServer } from "./support/server.js";

const server = useServer();

interface FunctionTool {
  type: string;
  function: { name: string; description: string; parameters: Schema };
}
type Schema = {
  type?: string | string[];
  anyOf?: Schema[];
  enum?: unknown[];
  properties?: Record<string, Schema>;
  items?: Schema;
  minimum?: number;
  [key: string]: unknown;
};

async function tools(): Promise<FunctionTool[]> {
  const response = await http(server.baseUrl, "GET", "/tools");
  expect(response.status).toBe(200);
  return response.json as FunctionTool[];
}

/**
 * Arguments a model could send, made from the schema alone (every property filled in), so that a
 * new action type or field is covered without editing this test. `service` fills target_service.
 */
function exampleOf(schema: Schema, key: string, service: string): unknown {
  if (schema.anyOf) return exampleOf(schema.anyOf.find((s) => s.type !== "null") ?? {}, key, service);
  if (schema.enum) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "string":
      return key === "target_service" ? service : `a ${key.replace(/_/g, " ")}`;
    case "integer":
    case "number":
      return schema.minimum ?? 1;
    case "boolean":
      return true;
    case "array":
      return [exampleOf(schema.items ?? {}, key, service)];
    case "object":
      return Object.fromEntries(
        Object.entries(schema.properties ?? {}).map(([name, property]) => [name, exampleOf(property, name, service)]),
      );
    default:
      return null;
  }
}

describe("GET /tools", () => {
  it("has one tool per action type in the OpenAI function-calling shape, with the MCP tools' descriptions and schemas", async () => {
    const list = await tools();
    expect(list.map((t) => t.function.name)).toEqual(shortEnumWords(ActionTypeSchema));
    for (const tool of list) {
      expect(Object.keys(tool).sort()).toEqual(["function", "type"]);
      expect(tool.type).toBe("function");
      expect(Object.keys(tool.function).sort()).toEqual(["description", "name", "parameters"]);
      expect(tool.function.name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
      expect(tool.function.parameters).toMatchObject({ type: "object", additionalProperties: false });
      expect(tool.function.parameters.properties).not.toHaveProperty("action_type");
    }
    const mcp = await fetch(`${server.baseUrl}/mcp`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    const mcpTools = dig(await mcp.json(), "result.tools") as Array<{ name: string; description: string; inputSchema: unknown }>;
    for (const tool of list) {
      const same = mcpTools.find((t) => t.name === tool.function.name);
      expect(same?.description, tool.function.name).toBe(tool.function.description);
      expect(same?.inputSchema, tool.function.name).toEqual(tool.function.parameters);
    }
    expect(list.find((t) => t.function.name === "diagnose")?.function.description).toMatch(/root/i);
  });

  it("is GetSchema's tools over REST /schema, Connect and gRPC", async () => {
    const list = await tools();
    const schema = await http(server.baseUrl, "GET", "/schema");
    expect(dig(schema.json, "tools")).toEqual(list);
    for (const transport of [
      createGrpcTransport({ baseUrl: server.baseUrl }),
      createConnectTransport({ baseUrl: server.baseUrl, httpVersion: "1.1" }),
    ]) {
      const response = await createClient(IncidentEnvService, transport).getSchema({});
      expect((toJson(GetSchemaResponseSchema, response) as { tools: unknown }).tools).toEqual(list);
      expect(response.tools).toEqual(list);
    }
  });

  it("is in the OpenAPI document", async () => {
    const doc = await http(server.baseUrl, "GET", "/openapi.json");
    expect(doc.status).toBe(200);
    const items = dig(doc.json, "paths./tools.get.responses.200.content.application/json.schema.items");
    expect(items).toMatchObject({ type: "object", required: ["type", "function"] });
  });
});

describe("a tool call is an action", () => {
  it("every tool's parameters validate its call's arguments, and /step accepts the action the call stands for", async () => {
    const ajv = new Ajv2020({ strict: false });
    for (const tool of await tools()) {
      const validate = ajv.compile(tool.function.parameters);
      const reset = await http(server.baseUrl, "POST", "/reset", {
        task_level: "hard",
        seed: 41,
        episode_id: `tool-${tool.function.name}`,
      });
      const service = (dig(reset.json, "observation.alert.affected_services") as string[])[0] ?? "";
      const args = exampleOf(tool.function.parameters, "", service) as Record<string, unknown>;
      // What a model's tool call carries: the arguments as a JSON string.
      const call = { id: "call_1", type: "function", function: { name: tool.function.name, arguments: JSON.stringify(args) } };
      const parsed = JSON.parse(call.function.arguments) as Record<string, unknown>;
      expect(validate(parsed), `${tool.function.name}: ${JSON.stringify(validate.errors)}`).toBe(true);
      const step = await http(server.baseUrl, "POST", "/step", {
        episode_id: `tool-${tool.function.name}`,
        action: { action_type: call.function.name, ...parsed },
      });
      expect(step.status, `${tool.function.name}: ${step.text}`).toBe(200);
      expect(dig(step.json, "observation.step")).toBe(1);
      // The schema refuses what the server refuses: an argument the tool does not take.
      expect(validate({ ...parsed, action_typ: "x" }), tool.function.name).toBe(false);
    }
  });
});
