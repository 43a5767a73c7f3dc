/**
 * The OpenAPI 3.1 document, built at startup from the REST route table and the service
 * descriptor, so it cannot drift from the protos.
 *
 * REST operations use the REST JSON dialect (components named after the proto types, e.g.
 * `incident.v1.Action`); Connect operations use canonical proto JSON (components prefixed
 * `connect.`). Streaming RPCs are listed for completeness and need a Connect or gRPC client
 * (Interact, which streams both ways, needs HTTP/2).
 * The streaming surfaces are listed too: the SSE routes (query parameters generated from the
 * stream request messages), POST /mcp (JSON-RPC 2.0) and the /ws WebSocket upgrade.
 * Request bodies and parameters carry the examples of ./openapi-examples.ts (the README's
 * walkthrough), so that Swagger UI's "Try it out" works as it opens.
 */
import type { DescMessage, DescMethod, DescService } from "@bufbuild/protobuf";
import { protoComments } from "../../gen/incident/v1/comments.js";
import { EpisodeEventSchema, StreamGapSchema } from "../../gen/incident/v1/stream_pb.js";
import { LogEntrySchema } from "../../gen/incident/v1/telemetry_pb.js";
import { ErrorResponseSchema, StreamEpisodeEventsRequestSchema, StreamLogsRequestSchema } from "../../gen/incident/v1/service_pb.js";
import { DESCRIPTION } from "./describe.js";
import { SchemaCollector, type JsonSchema } from "../json/json-schema.js";
import { bodyExamples, parameterExample } from "./openapi-examples.js";
import type { RestRoute } from "./rest-routes.js";

export type OpenApiDocument = Record<string, unknown>;

const ERROR_STATUSES: Readonly<Record<string, string>> = {
  "400": "Invalid argument: malformed JSON, wrong types, unknown enum words or fields, broken input rules",
  "404": "Unknown episode or route",
  "409": "The episode is over (failed precondition)",
  "413": "Body larger than MAX_BODY_BYTES",
  "429": "Every episode slot is taken (resource exhausted)",
};

export function buildOpenApi(options: {
  version: string;
  routes: readonly RestRoute[];
  services: readonly DescService[];
}): OpenApiDocument {
  const rest = new SchemaCollector("rest", "#/components/schemas/");
  const connect = new SchemaCollector("connect", "#/components/schemas/connect.");
  const json = (schema: JsonSchema) => ({ "application/json": { schema } });
  const errorResponse = { description: "Error", content: json(rest.ref(ErrorResponseSchema)) };
  const paths: Record<string, Record<string, unknown>> = {};

  for (const route of options.routes) {
    const path = route.url.replace(/:(\w+)/g, "{$1}");
    const key = `${route.method} ${path}`;
    const responses: Record<string, unknown> = {
      "200": {
        description: "OK",
        content: json(
          route.list
            ? { type: "array", items: route.responseItemSchema ?? rest.ref(route.response) }
            : (route.responseItemSchema ?? rest.ref(route.response)),
        ),
      },
    };
    for (const [status, description] of Object.entries(ERROR_STATUSES)) {
      const answers = route.errorStatuses ? route.errorStatuses.includes(status) : route.body || route.episodeIdIn || status === "413";
      if (answers) responses[status] = { ...errorResponse, description };
    }
    // Refused before the route runs (src/server/http-errors.ts, src/server/errors.ts).
    if (route.body)
      responses["415"] = { ...errorResponse, description: "Content type the route does not take (unimplemented); send application/json" };
    responses["431"] = { ...errorResponse, description: "Request line and headers over MAX_HEADER_BYTES (resource exhausted)" };
    const operation: Record<string, unknown> = {
      tags: ["REST (OpenEnv)"],
      summary: route.summary,
      operationId: `rest${route.method}${path.replace(/[^A-Za-z0-9]+/g, "_")}`,
      responses,
    };
    if (route.body) {
      const shapes = route.body.shapes.map((desc) => rest.ref(desc));
      const examples = bodyExamples(key);
      operation.requestBody = {
        required: route.body.required,
        content: {
          "application/json": { schema: shapes.length === 1 ? (shapes[0] ?? {}) : { anyOf: shapes }, ...(examples ? { examples } : {}) },
        },
      };
    }
    if (route.episodeIdIn) {
      const example = parameterExample(key, "episode_id");
      operation.parameters = [
        {
          name: "episode_id",
          in: route.episodeIdIn,
          required: route.episodeIdIn === "path",
          schema: { type: "string", maxLength: 255 },
          ...(example !== undefined ? { example } : {}),
        },
      ];
    }
    if (route.query)
      operation.parameters = [...((operation.parameters as unknown[] | undefined) ?? []), ...queryParameters(rest, route.query)];
    paths[path] = { ...(paths[path] ?? {}), [route.method.toLowerCase()]: operation };
  }

  for (const service of options.services) {
    for (const method of service.methods) {
      const streaming = method.methodKind !== "unary";
      const mediaType = streaming ? "application/connect+json" : "application/json";
      const examples = bodyExamples(`POST /${service.typeName}/${method.name}`);
      const body = (desc: DescMessage, withExamples = false) => ({
        [mediaType]: { schema: connect.ref(desc), ...(withExamples && examples ? { examples } : {}) },
      });
      paths[`/${service.typeName}/${method.name}`] = {
        post: {
          tags: [`${service.typeName} (Connect, gRPC, gRPC-Web)`],
          summary: streamingSummary(method),
          description: protoComments[`${service.typeName}.${method.name}`],
          operationId: `${service.typeName}.${method.name}`,
          requestBody: { required: true, content: body(method.input, true) },
          responses: {
            "200": { description: "OK", content: body(method.output) },
            default: {
              description: "Connect error",
              content: json({
                type: "object",
                properties: { code: { type: "string" }, message: { type: "string" }, details: { type: "array" } },
              }),
            },
          },
        },
      };
    }
  }

  Object.assign(paths, streamingPaths(rest, errorResponse));

  const schemas: Record<string, JsonSchema> = { ...rest.definitions };
  for (const [name, schema] of Object.entries(connect.definitions)) schemas[`connect.${name}`] = schema;
  return {
    openapi: "3.1.0",
    info: { title: "incident-response-env", version: options.version, description: DESCRIPTION },
    paths,
    components: { schemas },
  };
}

/** The summary of an RPC: its name, and for a stream which clients can follow it. */
function streamingSummary(method: DescMethod): string {
  switch (method.methodKind) {
    case "server_streaming":
      return `${method.name} (server streaming: use a Connect or gRPC client)`;
    case "bidi_streaming":
      return `${method.name} (bidirectional streaming: use a gRPC client, or Connect over HTTP/2)`;
    case "client_streaming":
      return `${method.name} (client streaming: use a Connect or gRPC client)`;
    default:
      return method.name;
  }
}

/** A query parameter per field of a stream request message (lists comma-separated). */
function queryParameters(rest: SchemaCollector, desc: DescMessage): Array<Record<string, unknown>> {
  rest.ref(desc);
  const properties = (rest.definitions[desc.typeName]?.properties ?? {}) as Record<string, JsonSchema>;
  return desc.fields
    .filter((field) => field.name !== "episode_id")
    .map((field) => {
      const schema = properties[field.name] ?? {};
      const plain = Array.isArray(schema.anyOf) ? ((schema.anyOf as JsonSchema[])[0] ?? {}) : schema;
      const { description, ...bare } = plain;
      return {
        name: field.name,
        in: "query",
        required: false,
        ...(typeof (schema.description ?? description) === "string" ? { description: schema.description ?? description } : {}),
        schema: bare,
        ...(field.fieldKind === "list" ? { style: "form", explode: false } : {}),
      };
    });
}

function streamingPaths(rest: SchemaCollector, errorResponse: Record<string, unknown>): Record<string, Record<string, unknown>> {
  const sse = (path: string, summary: string, request: DescMessage, events: string, data: JsonSchema): Record<string, unknown> => ({
    get: {
      tags: ["Streaming"],
      summary,
      description:
        `Server-Sent Events. Each event has id: (its sequence number; EventSource resumes with Last-Event-ID), event: (${events}) and data: ` +
        "(the message in the REST JSON dialect). The stream ends with event: end (id: the last sequence number) when the episode is over; " +
        "a reconnect after that gets 204. A slow reader that falls behind the bounded history gets event: gap. Heartbeat comments keep idle streams open.",
      operationId: `sse_${summary.replace(/[^A-Za-z]+/g, "_")}`,
      parameters: [
        {
          name: "episode_id",
          in: "path",
          required: true,
          schema: { type: "string", maxLength: 255 },
          example: parameterExample(`GET ${path}`, "episode_id"),
        },
        ...queryParameters(rest, request),
        {
          name: "Last-Event-ID",
          in: "header",
          required: false,
          description: "Resume after this sequence number (wins over after_seq).",
          schema: { type: "string", pattern: "^[0-9]+$" },
        },
      ],
      responses: {
        "200": {
          description: "An event stream",
          content: {
            "text/event-stream": { schema: { type: "string", description: "SSE frames; data: of each frame", contentSchema: data } },
          },
        },
        "204": { description: "The episode is over and the client has seen all of it (EventSource stops reconnecting)" },
        "400": { ...errorResponse, description: "Invalid filter or Last-Event-ID" },
        "404": { ...errorResponse, description: "Unknown episode" },
        "429": { ...errorResponse, description: "The episode has MAX_SUBSCRIBERS_PER_EPISODE open streams" },
      },
    },
  });
  const rpcId = { type: ["string", "integer", "null"] };
  return {
    "/episodes/{episode_id}/logs": sse(
      "/episodes/{episode_id}/logs",
      "Follow an episode's log lines",
      StreamLogsRequestSchema,
      "log, gap, end",
      {
        anyOf: [rest.ref(LogEntrySchema), rest.ref(StreamGapSchema)],
      },
    ),
    "/episodes/{episode_id}/events": sse(
      "/episodes/{episode_id}/events",
      "Follow an episode's events",
      StreamEpisodeEventsRequestSchema,
      "log, metric, status, step, gap, end",
      rest.ref(EpisodeEventSchema),
    ),
    "/mcp": {
      post: {
        tags: ["Streaming"],
        summary: "MCP: JSON-RPC 2.0 (initialize, tools/list, tools/call, openenv/session/create, openenv/session/close)",
        description:
          "Model Context Protocol over HTTP POST. Tools: reset, one per action type, get_state. Errors are JSON-RPC errors at HTTP 200 " +
          "(-32700 parse, -32600 invalid request, -32601 unknown method, -32602 invalid params, -32000 refused by the environment). " +
          "The episode is the session's: params.session_id, else the Mcp-Session-Id header, else the default episode.",
        operationId: "mcp",
        parameters: [{ name: "Mcp-Session-Id", in: "header", required: false, schema: { type: "string", maxLength: 255 } }],
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: {
                type: "object",
                properties: { jsonrpc: { const: "2.0" }, id: rpcId, method: { type: "string" }, params: { type: "object" } },
                required: ["jsonrpc", "method"],
              },
              examples: bodyExamples("POST /mcp"),
            },
          },
        },
        responses: {
          "200": {
            description: "A JSON-RPC response: a result, or an error object",
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  properties: {
                    jsonrpc: { const: "2.0" },
                    id: rpcId,
                    result: { type: "object" },
                    error: {
                      type: "object",
                      properties: { code: { type: "integer" }, message: { type: "string" }, data: {} },
                      required: ["code", "message"],
                    },
                  },
                  required: ["jsonrpc", "id"],
                },
              },
            },
          },
          "202": { description: "A notification was accepted (no reply)" },
          "413": { ...errorResponse, description: "Body larger than MAX_BODY_BYTES" },
        },
      },
    },
    "/ws": {
      get: {
        tags: ["Streaming"],
        summary: "OpenEnv WebSocket: reset, step, state, mcp, close messages (upgrade to WebSocket)",
        description:
          'One session per connection. Messages {"type": "reset"|"step"|"state"|"mcp"|"close", "data": ...}; replies {"type": "observation"|"state"|"mcp"|"error", "data": ...}. ' +
          "Error codes INVALID_JSON, UNKNOWN_TYPE, VALIDATION_ERROR, EXECUTION_ERROR, CAPACITY_REACHED. See docs/streaming.md.",
        operationId: "openenvWebSocket",
        responses: {
          "101": { description: "Switching Protocols (WebSocket)" },
          "426": { ...errorResponse, description: "Not a WebSocket upgrade request" },
        },
      },
    },
  };
}
