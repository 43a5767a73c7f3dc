/**
 * What the server says about itself: OpenEnv metadata, the JSON Schemas of action, observation
 * and state (REST dialect), and the action types as tools for function calling
 * (src/server/action-tools.ts), built once at startup from the descriptors.
 */
import { create, type JsonObject } from "@bufbuild/protobuf";
import { readFileSync } from "node:fs";
import { ActionSchema } from "../../gen/incident/v1/action_pb.js";
import { EpisodeStateSchema } from "../../gen/incident/v1/episode_pb.js";
import { ObservationSchema } from "../../gen/incident/v1/observation_pb.js";
import {
  GetMetadataResponseSchema,
  GetSchemaResponseSchema,
  type GetMetadataResponse,
  type GetSchemaResponse,
} from "../../gen/incident/v1/service_pb.js";
import { ENVIRONMENT_NAME, ENVIRONMENT_VERSION } from "../env/environment.js";
import { functionTools } from "./action-tools.js";
import { standaloneSchema } from "../json/json-schema.js";

export const DESCRIPTION =
  "An on-call SRE simulator: an agent is paged for a microservice incident, reads alerts, metrics, logs and KB articles, " +
  "diagnoses the root cause, applies fixes, and writes runbooks and postmortems, scored by deterministic graders.";

/** README.md from the project root: two levels up from src/server, three from dist/src/server. */
function readReadme(): string {
  for (const relative of ["../../README.md", "../../../README.md"]) {
    try {
      return readFileSync(new URL(relative, import.meta.url), "utf8");
    } catch {
      // not there; try the next candidate
    }
  }
  return "";
}

export function buildMetadata(): GetMetadataResponse {
  return create(GetMetadataResponseSchema, {
    name: ENVIRONMENT_NAME,
    description: DESCRIPTION,
    readmeContent: readReadme(),
    version: ENVIRONMENT_VERSION,
    author: "incident-response-env maintainers",
    documentationUrl: "/docs",
  });
}

export function buildSchemas(): GetSchemaResponse {
  // google.protobuf.Struct fields are plain JSON objects in protobuf-es.
  const struct = (schema: Record<string, unknown>): JsonObject => JSON.parse(JSON.stringify(schema)) as JsonObject;
  return create(GetSchemaResponseSchema, {
    action: struct(standaloneSchema(ActionSchema, "rest")),
    observation: struct(standaloneSchema(ObservationSchema, "rest")),
    state: struct(standaloneSchema(EpisodeStateSchema, "rest")),
    tools: functionTools().map((tool) => struct({ ...tool })),
  });
}
