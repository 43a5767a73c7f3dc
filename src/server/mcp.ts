/**
 * MCP (Model Context Protocol) on POST /mcp: JSON-RPC 2.0 over HTTP, one JSON reply per request,
 * errors as JSON-RPC errors at HTTP 200 (what `openenv validate` checks). The same dispatcher
 * answers `{"type": "mcp"}` messages on the OpenEnv WebSocket (src/server/ws-routes.ts).
 *
 * Tools (tools/list), built from the protos:
 * - `reset`: start an incident episode; arguments are ResetRequest's fields (task_level, seed,
 *   scenario_id, fault_kind, family, clock, minutes_per_second, observation, text) in the REST
 *   dialect. With `text: true` every observation of the episode carries its markdown rendering in
 *   `observation.text`.
 * - one tool per action type (`inspect`, `diagnose`, `apply_fix`, `escalate`, `write_runbook`,
 *   `write_postmortem`, `resolve`): described by the ActionType value's comment, taking exactly the
 *   Action fields that the value's `(incident.v1.action_fields)` option lists. A model picks a
 *   verb and fills in a few fields instead of assembling a union-shaped action. The same tools,
 *   in the function-calling shape, are GET /tools and GetSchema's `tools` (src/server/action-tools.ts).
 * - `get_observation`: the current observation, complete (topology and KB articles included).
 * - `get_state`: the episode's bookkeeping (step count, status, score).
 * Schemas are the REST-dialect JSON Schemas of src/server/json-schema.ts, inlined (no $ref).
 * Results carry the REST JSON of the response both as `structuredContent` and as text; in an
 * episode reset with `text`, a second text block holds the observation's markdown.
 *
 * Which episode a call acts on (its session):
 * - `params.session_id`, as OpenEnv's MCP client sends it (`openenv/session/create` makes one: it
 *   resets an episode whose id is the session id; `openenv/session/close` closes it);
 * - else the `Mcp-Session-Id` header: `initialize` assigns one (standard MCP over HTTP), and its
 *   first `reset` creates the episode of that id;
 * - else, on /ws, the connection's episode;
 * - else the default episode, as on the REST routes.
 * A session id is an episode id: GetState, StreamLogs and SSE see the same episode.
 *
 * Errors: -32700 unparsable JSON; -32600 not a JSON-RPC 2.0 request (e.g. `{}`, a batch);
 * -32601 unknown method; -32602 invalid params (unknown tool or argument, broken proto rule,
 * unknown episode or session); -32000 the environment refused (episode over, capacity);
 * -32603 internal error. `error.data` holds the Connect code name and the field violations.
 * Nothing here knows about incidents: every call goes through the environment (src/env/api.ts).
 */
import { create, type JsonObject, type JsonValue } from "@bufbuild/protobuf";
import type { FastifyInstance } from "fastify";
import { randomUUID } from "node:crypto";
import { ActionSchema } from "../../gen/incident/v1/action_pb.js";
import { EpisodeStateSchema } from "../../gen/incident/v1/episode_pb.js";
import {
  CloseEpisodeRequestSchema,
  GetObservationRequestSchema,
  GetObservationResponseSchema,
  GetStateRequestSchema,
  ResetRequestSchema,
  ResetResponseSchema,
  StepRequestSchema,
  StepResponseSchema,
} from "../../gen/incident/v1/service_pb.js";
import type { EnvironmentApi } from "../env/api.js";
import type { EnvironmentFor } from "./callers.js";
import { ENVIRONMENT_NAME, ENVIRONMENT_VERSION } from "../env/environment.js";
import { EnvError, type EnvErrorKind } from "../env/errors.js";
import { JSON_CONTENT_TYPE, refuseNonJsonBodies } from "./json-only.js";
import { actionOfCall, actionTools, argumentsSchema } from "./action-tools.js";
import type { JsonSchema } from "../json/json-schema.js";
import { fromRestJson, toRestJson } from "../json/rest-json.js";
import { validated } from "../json/validation.js";

/** MCP protocol revisions this server speaks, newest first. */
export const MCP_PROTOCOL_VERSIONS = ["2025-06-18", "2025-03-26", "2024-11-05"] as const;

const JSON_RPC = {
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL_ERROR: -32603,
  SERVER_ERROR: -32000,
} as const;

const RPC_CODE_OF_KIND: Readonly<Record<EnvErrorKind, number>> = {
  invalid_argument: JSON_RPC.INVALID_PARAMS,
  not_found: JSON_RPC.INVALID_PARAMS,
  failed_precondition: JSON_RPC.SERVER_ERROR,
  resource_exhausted: JSON_RPC.SERVER_ERROR,
  aborted: JSON_RPC.SERVER_ERROR,
  unavailable: JSON_RPC.SERVER_ERROR,
  unauthenticated: JSON_RPC.SERVER_ERROR,
  permission_denied: JSON_RPC.SERVER_ERROR,
  internal: JSON_RPC.INTERNAL_ERROR,
};

/** The episode a call acts on; see the file comment. Mutable: a reset records its episode here. */
export interface McpSession {
  /** The environment as this session's caller sees it (src/server/callers.ts). */
  readonly env: EnvironmentApi;
  episodeId: string | undefined;
  /** Names a new episode when a reset has none (the WebSocket names its own). */
  newEpisodeId?: () => string;
}

interface McpTool {
  name: string;
  title: string;
  description: string;
  inputSchema: JsonSchema;
  annotations?: JsonObject;
  run: (args: JsonObject, session: McpSession) => Promise<JsonObject>;
}

class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: JsonValue,
  ) {
    super(message);
  }
}

type RpcId = string | number | null;

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function errorReply(id: RpcId, code: number, message: string, data?: JsonValue): JsonObject {
  return { jsonrpc: "2.0", id, error: { code, message, ...(data !== undefined ? { data } : {}) } };
}

function fromEnvError(error: EnvError): RpcError {
  const violations = error.violations.map((v) => ({ field: v.field, rule: v.rule, message: v.message }));
  return new RpcError(RPC_CODE_OF_KIND[error.kind], error.message, { code: error.kind, violations });
}

function checkArguments(args: JsonObject, allowed: readonly string[]): void {
  for (const key of Object.keys(args)) {
    if (!allowed.includes(key)) {
      throw new EnvError("invalid_argument", `unknown argument "${key}"; this tool takes: ${allowed.join(", ") || "no arguments"}`, [
        { field: `arguments.${key}`, rule: "field.known", message: "unknown argument" },
      ]);
    }
  }
}

/** An episode id given as a session id must be a valid episode id. */
function checkedEpisodeId(id: string): string {
  validated(GetStateRequestSchema, create(GetStateRequestSchema, { episodeId: id }));
  return id;
}

function buildMcpTools(): McpTool[] {
  const resetFields = ResetRequestSchema.fields.map((f) => f.name).filter((name) => name !== "episode_id");
  const reset: McpTool = {
    name: "reset",
    title: "Start an incident episode",
    description:
      "Start a new incident-response episode (or restart this session's) and return the first observation: the page, " +
      "the golden-signal metrics, recent logs, KB articles, the topology and the task's objective. All arguments are optional; " +
      "task_level defaults to easy; text: true adds each observation as compact markdown (observation.text). Call this first.",
    inputSchema: argumentsSchema(ResetRequestSchema, resetFields),
    async run(args, session) {
      checkArguments(args, resetFields);
      const episodeId = session.episodeId ?? session.newEpisodeId?.();
      const request = validated(
        ResetRequestSchema,
        fromRestJson(ResetRequestSchema, { ...args, ...(episodeId !== undefined ? { episode_id: episodeId } : {}) }, {}, "arguments"),
      );
      const response = await session.env.reset(request);
      session.episodeId = response.episodeId;
      return toRestJson(ResetResponseSchema, response);
    },
  };
  // The same tools as function calling's (src/server/action-tools.ts): one source for both.
  const actions: McpTool[] = actionTools().map((tool) => ({
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: tool.parameters,
    async run(args: JsonObject, session: McpSession) {
      checkArguments(args, tool.fields);
      const step = create(StepRequestSchema, session.episodeId !== undefined ? { episodeId: session.episodeId } : {});
      step.action = fromRestJson(ActionSchema, actionOfCall(tool.name, args), {}, "arguments");
      return toRestJson(StepResponseSchema, await session.env.step(validated(StepRequestSchema, step)));
    },
  }));
  const getState: McpTool = {
    name: "get_state",
    title: "Episode state",
    description:
      "The episode's bookkeeping: step count and budget, status, incident status, score so far (total_reward), clock. Takes no step.",
    inputSchema: { type: "object", properties: {}, additionalProperties: false },
    annotations: { readOnlyHint: true },
    async run(args, session) {
      checkArguments(args, []);
      const request = create(GetStateRequestSchema, session.episodeId !== undefined ? { episodeId: session.episodeId } : {});
      return toRestJson(EpisodeStateSchema, (await session.env.getState(request)).state ?? create(EpisodeStateSchema));
    },
  };
  const getObservation: McpTool = {
    name: "get_observation",
    title: "Current observation",
    description:
      "Everything you see now, complete: the page, active alerts, metrics, recent logs, the last inspection, and the topology and KB articles " +
      "(which action results leave out after the reset, as they never change). Takes no step.",
    inputSchema: { type: "object", properties: {}, additionalProperties: false },
    annotations: { readOnlyHint: true },
    async run(args, session) {
      checkArguments(args, []);
      const request = create(GetObservationRequestSchema, session.episodeId !== undefined ? { episodeId: session.episodeId } : {});
      return toRestJson(GetObservationResponseSchema, await session.env.getObservation(request));
    },
  };
  return [reset, ...actions, getObservation, getState];
}

/** A reply (none for a notification), and the session `initialize` assigned, if it did. */
interface McpOutcome {
  reply: JsonObject | undefined;
  newSessionId?: string;
}

/** The JSON-RPC 2.0 dispatcher of the MCP surface, shared by POST /mcp and /ws. */
export class McpHandler {
  readonly tools: readonly McpTool[];

  constructor() {
    this.tools = buildMcpTools();
  }

  /** Handles a request body as text: parse errors become -32700. */
  async handleText(text: string, session: McpSession): Promise<McpOutcome> {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch (e) {
      return { reply: errorReply(null, JSON_RPC.PARSE_ERROR, `parse error: ${e instanceof Error ? e.message : String(e)}`) };
    }
    return this.handle(message, session);
  }

  /**
   * Handles one parsed JSON-RPC message. Returns no reply for a notification. `newSessionId` is
   * set when `initialize` assigned a session (POST /mcp sends it as the Mcp-Session-Id header).
   */
  async handle(message: unknown, session: McpSession): Promise<McpOutcome> {
    if (Array.isArray(message))
      return {
        reply: errorReply(
          null,
          JSON_RPC.INVALID_REQUEST,
          "invalid request: batches are not supported; send one JSON-RPC request per message",
        ),
      };
    if (!isObject(message))
      return { reply: errorReply(null, JSON_RPC.INVALID_REQUEST, "invalid request: expected a JSON-RPC 2.0 request object") };
    const rawId = message.id;
    const validId = rawId === undefined || rawId === null || typeof rawId === "string" || typeof rawId === "number";
    const id: RpcId = validId && rawId !== undefined ? (rawId as RpcId) : null;
    if (message.jsonrpc !== "2.0" || typeof message.method !== "string" || !validId) {
      return {
        reply: errorReply(
          id,
          JSON_RPC.INVALID_REQUEST,
          'invalid request: a JSON-RPC 2.0 request needs "jsonrpc": "2.0", a string "method" and an optional string or number "id"',
        ),
      };
    }
    const isNotification = !("id" in message);
    const params = message.params;
    try {
      if (params !== undefined && !isObject(params))
        throw new RpcError(JSON_RPC.INVALID_PARAMS, "invalid params: params must be an object");
      const { result, newSessionId } = await this.dispatch(message.method, params ?? {}, session);
      if (isNotification) return { reply: undefined };
      return { reply: { jsonrpc: "2.0", id, result }, ...(newSessionId !== undefined ? { newSessionId } : {}) };
    } catch (error) {
      if (isNotification) return { reply: undefined };
      const rpc =
        error instanceof RpcError
          ? error
          : error instanceof EnvError
            ? fromEnvError(error)
            : new RpcError(JSON_RPC.INTERNAL_ERROR, "internal error");
      if (!(error instanceof RpcError) && !(error instanceof EnvError)) console.error("MCP request failed", error);
      return { reply: errorReply(id, rpc.code, rpc.message, rpc.data) };
    }
  }

  private async dispatch(method: string, params: JsonObject, session: McpSession): Promise<{ result: JsonObject; newSessionId?: string }> {
    switch (method) {
      case "initialize": {
        const asked = params.protocolVersion;
        const protocolVersion = MCP_PROTOCOL_VERSIONS.find((v) => v === asked) ?? MCP_PROTOCOL_VERSIONS[0];
        const newSessionId = session.episodeId === undefined && session.newEpisodeId === undefined ? `mcp-${randomUUID()}` : undefined;
        return {
          result: {
            protocolVersion,
            capabilities: { tools: { listChanged: false } },
            serverInfo: { name: ENVIRONMENT_NAME, version: ENVIRONMENT_VERSION },
            instructions:
              "You are on call for a microservice incident. Call reset to be paged, then investigate (inspect services), " +
              "diagnose the root cause, apply_fix, and write the runbook or postmortem the task asks for; each action tool is one step " +
              "and returns the next observation, its reward and whether the episode is done.",
          },
          ...(newSessionId !== undefined ? { newSessionId } : {}),
        };
      }
      case "ping":
        return { result: {} };
      case "tools/list":
        return {
          result: {
            tools: this.tools.map((t) => ({
              name: t.name,
              title: t.title,
              description: t.description,
              inputSchema: t.inputSchema,
              ...(t.annotations ? { annotations: t.annotations } : {}),
            })) as unknown as JsonValue[],
          },
        };
      case "tools/call": {
        const name = params.name;
        const tool = this.tools.find((t) => t.name === name);
        if (!tool)
          throw new RpcError(
            JSON_RPC.INVALID_PARAMS,
            `unknown tool ${JSON.stringify(name)}; tools: ${this.tools.map((t) => t.name).join(", ")}`,
          );
        const args = params.arguments ?? {};
        if (!isObject(args)) throw new RpcError(JSON_RPC.INVALID_PARAMS, "invalid params: arguments must be an object");
        const result = await tool.run(args, this.sessionOf(params, session));
        // An episode reset with text: the observation's markdown follows the JSON, for models that read the content.
        const observation = result.observation;
        const markdown = isObject(observation) && typeof observation.text === "string" ? [{ type: "text", text: observation.text }] : [];
        return {
          result: { content: [{ type: "text", text: JSON.stringify(result) }, ...markdown], structuredContent: result, isError: false },
        };
      }
      case "openenv/session/create": {
        const sessionId = `mcp-${randomUUID()}`;
        const resetArgs = isObject(params.reset) ? params.reset : {};
        const created: McpSession = { env: session.env, episodeId: sessionId };
        const tool = this.tools.find((t) => t.name === "reset");
        await tool?.run(resetArgs, created);
        return { result: { session_id: sessionId } };
      }
      case "openenv/session/close": {
        const sessionId = params.session_id;
        if (typeof sessionId !== "string") throw new RpcError(JSON_RPC.INVALID_PARAMS, "invalid params: session_id (a string) is required");
        const state = (await session.env.closeEpisode(create(CloseEpisodeRequestSchema, { episodeId: checkedEpisodeId(sessionId) }))).state;
        return { result: { session_id: sessionId, closed: true, state: state ? toRestJson(EpisodeStateSchema, state) : null } };
      }
      default:
        if (method.startsWith("notifications/")) return { result: {} };
        throw new RpcError(
          JSON_RPC.METHOD_NOT_FOUND,
          `method not found: ${method}; this server has initialize, ping, tools/list, tools/call, openenv/session/create, openenv/session/close`,
        );
    }
  }

  /** params.session_id (OpenEnv) names the episode; otherwise the transport's session. */
  private sessionOf(params: JsonObject, session: McpSession): McpSession {
    const sessionId = params.session_id;
    if (sessionId === undefined) return session;
    if (typeof sessionId !== "string") throw new RpcError(JSON_RPC.INVALID_PARAMS, "invalid params: session_id must be a string");
    return { env: session.env, episodeId: checkedEpisodeId(sessionId) };
  }
}

/** The header of standard MCP over HTTP that carries the session id. */
const MCP_SESSION_HEADER = "mcp-session-id";

/**
 * POST /mcp (a fastify plugin: its body parser, which hands the raw text to the dispatcher so
 * that bad JSON is a JSON-RPC parse error at HTTP 200, applies only inside it). Bodies must be
 * application/json, as the MCP specification has clients send them; others get 415.
 */
export async function mcpRoutes(
  app: FastifyInstance,
  { mcp, environmentFor }: { mcp: McpHandler; environmentFor: EnvironmentFor },
): Promise<void> {
  refuseNonJsonBodies(app);
  app.addContentTypeParser(JSON_CONTENT_TYPE, { parseAs: "string" }, (_request, body, done) => done(null, body));
  app.post("/mcp", async (request, reply) => {
    const header = request.headers[MCP_SESSION_HEADER];
    const session: McpSession = {
      env: environmentFor(request),
      episodeId: typeof header === "string" && header !== "" ? header : undefined,
    };
    const text = typeof request.body === "string" ? request.body : "";
    let outcome: McpOutcome;
    try {
      if (session.episodeId !== undefined) checkedEpisodeId(session.episodeId);
      outcome = await mcp.handleText(text, session);
    } catch (error) {
      const rpc = error instanceof EnvError ? fromEnvError(error) : new RpcError(JSON_RPC.INTERNAL_ERROR, "internal error");
      outcome = { reply: errorReply(null, rpc.code, `invalid ${MCP_SESSION_HEADER} header: ${rpc.message}`, rpc.data) };
    }
    if (outcome.newSessionId !== undefined) reply.header(MCP_SESSION_HEADER, outcome.newSessionId);
    if (outcome.reply === undefined) return reply.code(202).send();
    return reply.code(200).type("application/json").send(outcome.reply);
  });
}
