/**
 * The OpenAPI 3.1 document, built at startup from the REST route table and the service
 * descriptor, so it cannot drift from the protos.
 *
 * REST operations use the REST JSON dialect (components named after the proto types, e.g.
 * `incident.v1.Action`); Connect operations use canonical proto JSON (components prefixed
 * `connect.`). Streaming RPCs are listed for completeness and need a Connect or gRPC client.
 */
import type { DescMessage, DescService } from "@bufbuild/protobuf";
import { protoComments } from "../../gen/incident/v1/comments.js";
import { ErrorResponseSchema } from "../../gen/incident/v1/service_pb.js";
import { DESCRIPTION } from "./describe.js";
import { SchemaCollector, type JsonSchema } from "./json-schema.js";
import type { RestRoute } from "./rest-routes.js";

export type OpenApiDocument = Record<string, unknown>;

const ERROR_STATUSES: Readonly<Record<string, string>> = {
  "400": "Invalid argument: malformed JSON, wrong types, unknown enum words or fields, broken input rules",
  "404": "Unknown episode or route",
  "409": "The episode is over (failed precondition)",
  "413": "Body larger than MAX_BODY_BYTES",
  "429": "Every episode slot is taken (resource exhausted)",
};

export function buildOpenApi(options: { version: string; routes: readonly RestRoute[]; services: readonly DescService[] }): OpenApiDocument {
  const rest = new SchemaCollector("rest", "#/components/schemas/");
  const connect = new SchemaCollector("connect", "#/components/schemas/connect.");
  const json = (schema: JsonSchema) => ({ "application/json": { schema } });
  const errorResponse = { description: "Error", content: json(rest.ref(ErrorResponseSchema)) };
  const paths: Record<string, Record<string, unknown>> = {};

  for (const route of options.routes) {
    const path = route.url.replace(/:(\w+)/g, "{$1}");
    const responses: Record<string, unknown> = {
      "200": { description: "OK", content: json(route.list ? { type: "array", items: rest.ref(route.response) } : rest.ref(route.response)) },
    };
    for (const [status, description] of Object.entries(ERROR_STATUSES)) {
      if (route.body || route.episodeIdIn || status === "413") responses[status] = { ...errorResponse, description };
    }
    const operation: Record<string, unknown> = { tags: ["REST (OpenEnv)"], summary: route.summary, operationId: `rest${route.method}${path.replace(/[^A-Za-z0-9]+/g, "_")}`, responses };
    if (route.body) {
      const shapes = route.body.shapes.map((desc) => rest.ref(desc));
      operation.requestBody = { required: route.body.required, content: json(shapes.length === 1 ? (shapes[0] ?? {}) : { anyOf: shapes }) };
    }
    if (route.episodeIdIn) {
      operation.parameters = [{ name: "episode_id", in: route.episodeIdIn, required: route.episodeIdIn === "path", schema: { type: "string", maxLength: 255 } }];
    }
    paths[path] = { ...(paths[path] ?? {}), [route.method.toLowerCase()]: operation };
  }

  for (const service of options.services) {
    for (const method of service.methods) {
      const streaming = method.methodKind !== "unary";
      const mediaType = streaming ? "application/connect+json" : "application/json";
      const body = (desc: DescMessage) => ({ [mediaType]: { schema: connect.ref(desc) } });
      paths[`/${service.typeName}/${method.name}`] = {
        post: {
          tags: [`${service.typeName} (Connect, gRPC, gRPC-Web)`],
          summary: streaming ? `${method.name} (server streaming: use a Connect or gRPC client)` : method.name,
          description: protoComments[`${service.typeName}.${method.name}`],
          operationId: `${service.typeName}.${method.name}`,
          requestBody: { required: true, content: body(method.input) },
          responses: {
            "200": { description: "OK", content: body(method.output) },
            default: {
              description: "Connect error",
              content: json({ type: "object", properties: { code: { type: "string" }, message: { type: "string" }, details: { type: "array" } } }),
            },
          },
        },
      };
    }
  }

  const schemas: Record<string, JsonSchema> = { ...rest.definitions };
  for (const [name, schema] of Object.entries(connect.definitions)) schemas[`connect.${name}`] = schema;
  return {
    openapi: "3.1.0",
    info: { title: "incident-response-env", version: options.version, description: DESCRIPTION },
    paths,
    components: { schemas },
  };
}
