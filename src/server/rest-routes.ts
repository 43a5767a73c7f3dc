/**
 * The OpenEnv-compatible JSON routes, for curl and plain HTTP clients.
 *
 * Bodies and responses use the REST dialect of src/json/rest-json.ts (snake_case names, short
 * enum words, null for unset optional fields; bodies are application/json only, src/server/json-only.ts). Every route parses into a proto message, checks
 * its protovalidate rules, calls the environment, and writes the proto response; nothing here
 * knows about incidents. The routes are one table (restRouteTable below), which also feeds the
 * OpenAPI document, so the two cannot drift apart. Streams (SSE), /ws and /mcp have files of their own.
 *
 * POST /reset/batch and /step/batch take {"items": [...]}, each item what /reset or /step takes as
 * its body, and answer {"results": [...]}, each {"response": ...} or {"error": ...}; the rules are
 * those of src/server/batch.ts. The paths do not clash with /reset and /step: fastify's router
 * matches static paths exactly.
 */
import { create, type DescMessage, type JsonObject } from "@bufbuild/protobuf";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { ActionSchema } from "../../gen/incident/v1/action_pb.js";
import { EpisodeStateSchema } from "../../gen/incident/v1/episode_pb.js";
import {
  CloseEpisodeRequestSchema,
  GetMetadataResponseSchema,
  GetSchemaResponseSchema,
  GetObservationRequestSchema,
  GetObservationResponseSchema,
  GetStateRequestSchema,
  HealthResponseSchema,
  ListScenariosResponseSchema,
  ResetBatchRequestSchema,
  ResetBatchResponseSchema,
  ResetRequestSchema,
  ResetResponseSchema,
  StepBatchRequestSchema,
  StepBatchResponseSchema,
  StepRequestSchema,
  StepResponseSchema,
  type ResetRequest,
  type StepRequest,
  ListEpisodesRequestSchema,
  ListEpisodesResponseSchema,
} from "../../gen/incident/v1/service_pb.js";
import { TaskSchema } from "../../gen/incident/v1/task_pb.js";
import { StructSchema } from "@bufbuild/protobuf/wkt";
import { canPreEncode, canTellStateText, type EnvironmentApi } from "../env/api.js";
import { LIST_EPISODES_DEFAULT, LIST_EPISODES_MAX, pageSizeOf } from "../env/episode-listing.js";
import { EnvError } from "../env/errors.js";
import { resetBatchText, stepBatchText } from "./batch.js";
import type { EnvironmentFor } from "./callers.js";
import type { ServiceDescription } from "./connect-routes.js";
import { fromRestJson, toRestJson, type RestJsonInputOptions } from "../json/rest-json.js";
import { restJsonText } from "../json/rest-json-text.js";
import { FUNCTION_TOOL_SCHEMA } from "./action-tools.js";
import type { JsonSchema } from "../json/json-schema.js";
import { JSON_CONTENT_TYPE, refuseNonJsonBodies } from "./json-only.js";
import { RawJson } from "./pre-encoded.js";
import { stateQueries } from "./state-queries.js";
import { validated } from "../json/validation.js";

/**
 * Keys of OpenEnv's request envelope (its StepRequest model has timeout_s and request_id; its
 * ResetRequest model allows extra keys, and clients put the same ones there), dropped from a reset
 * body. Any other key a reset does not know is refused, naming it: a typo like "task_levle" must
 * not silently start an easy episode. /reset/batch items and /ws reset data follow the same rule.
 */
const OPENENV_ENVELOPE_KEYS: ReadonlySet<string> = new Set(["timeout_s", "request_id"]);

/** How a /reset body (and /ws reset data) is read: strict, but for OpenEnv's envelope keys. */
export const RESET_JSON_OPTIONS: RestJsonInputOptions = { ignoredKeys: new Map([[ResetRequestSchema.typeName, OPENENV_ENVELOPE_KEYS]]) };

/** Step and state envelopes: OpenEnv clients add keys of their own (timeout_s, request_id, and whatever a caller passes), which are ignored. */
const ENVELOPES = { lenient: new Set([StepRequestSchema.typeName, GetStateRequestSchema.typeName]) };

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** JSON body parser: an empty body means no body; bad JSON is a 400 in the common error shape. */
function parseJsonBody(_request: FastifyRequest, body: string, done: (err: Error | null, body?: unknown) => void): void {
  if (body.trim() === "") {
    done(null, undefined);
    return;
  }
  try {
    done(null, JSON.parse(body));
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    done(new EnvError("invalid_argument", `malformed JSON body: ${detail}`, [{ field: "", rule: "json.syntax", message: detail }]));
  }
}

/** Splits a /step body into the episode id and the action, accepting both accepted shapes. */
function stepParts(body: unknown): { envelope: JsonObject; action: unknown } {
  if (body === undefined)
    throw new EnvError("invalid_argument", "a step needs an action in the body", [
      { field: "action", rule: "required", message: "value is required" },
    ]);
  if (!isObject(body))
    throw new EnvError("invalid_argument", 'expected a JSON object: an action, or {"action": {...}}', [
      { field: "", rule: "type.object", message: "expected a JSON object" },
    ]);
  if ("action" in body) {
    if (!isObject(body.action)) {
      throw new EnvError(
        "invalid_argument",
        'action must be a JSON object, e.g. {"action": {"action_type": "diagnose", "target_service": "..."}}',
        [{ field: "action", rule: "type.object", message: "expected a JSON object" }],
      );
    }
    const { action, ...envelope } = body;
    return { envelope, action };
  }
  const { episode_id, ...action } = body;
  return { envelope: episode_id === undefined ? {} : { episode_id }, action };
}

/** A /reset body as a request (not yet checked against the proto rules). */
function parseReset(body: unknown): ResetRequest {
  return fromRestJson(ResetRequestSchema, body, RESET_JSON_OPTIONS);
}

/** A /step body, in either shape, as a request (not yet checked against the proto rules). */
function parseStep(body: unknown): StepRequest {
  const { envelope, action } = stepParts(body);
  const step = fromRestJson(StepRequestSchema, envelope, ENVELOPES);
  step.action = fromRestJson(ActionSchema, action, {}, "action");
  return step;
}

/** The items of a batch body, {"items": [...]}; each is parsed later, on its own. */
function batchItems(body: unknown): unknown[] {
  const shape = 'expected {"items": [...]}';
  if (!isObject(body))
    throw new EnvError("invalid_argument", `a batch body is a JSON object: ${shape}`, [{ field: "", rule: "type.object", message: shape }]);
  for (const key of Object.keys(body)) {
    if (key !== "items")
      throw new EnvError("invalid_argument", `unknown field "${key}"; ${shape}`, [{ field: key, rule: "field.known", message: shape }]);
  }
  if (!Array.isArray(body.items))
    throw new EnvError("invalid_argument", `items must be a JSON array: ${shape}`, [
      { field: "items", rule: "type.array", message: "expected a JSON array" },
    ]);
  return body.items;
}

/** One REST route: what it takes and returns (for the OpenAPI document) and how it runs. */
export interface RestRoute {
  method: "GET" | "POST" | "DELETE";
  url: string;
  summary: string;
  /** The body shapes the route accepts, if it takes a body. */
  body?: { shapes: readonly DescMessage[]; required: boolean };
  /** Path or query parameters that hold an episode id. */
  episodeIdIn?: "path" | "query";
  /** A message whose fields the route takes as query parameters (for the OpenAPI document). */
  query?: DescMessage;
  /**
   * The error statuses the route answers for the request as a whole, for the OpenAPI document;
   * by default every one of a route with a body or an episode id (a batch answers its items'
   * errors inside its 200 body).
   */
  errorStatuses?: readonly string[];
  /** Response message; `list` when the route returns a JSON array of it. */
  response: DescMessage;
  list?: boolean;
  /** The JSON Schema of the response (of each item, with `list`) when the message says too little (a google.protobuf.Struct). */
  responseItemSchema?: JsonSchema;
  handle: (
    request: FastifyRequest<{ Body: unknown; Querystring: Record<string, string | undefined>; Params: Record<string, string | undefined> }>,
  ) => unknown;
}

/**
 * The routes over `base` (what every caller shares: health, tasks, limits), each request's episodes
 * reached through its caller's view of the environment (`environmentFor`, src/server/callers.ts).
 */
export function restRouteTable(base: EnvironmentApi, environmentFor: EnvironmentFor, about: ServiceDescription): RestRoute[] {
  const env = base;
  const stateQuery = stateQueries();
  const stateOf = async (request: FastifyRequest, episodeId: string | undefined) => {
    const query = stateQuery(episodeId);
    const caller = environmentFor(request);
    // The text kept for the episode's current revision, where the environment keeps one (src/env/state-text.ts).
    if (canTellStateText(caller)) return new RawJson(await caller.stateText(query));
    return toRestJson(EpisodeStateSchema, (await caller.getState(query)).state ?? create(EpisodeStateSchema));
  };
  return [
    {
      method: "GET",
      url: "/health",
      summary: "Liveness and episode capacity",
      response: HealthResponseSchema,
      handle: async () => toRestJson(HealthResponseSchema, await env.health()),
    },
    {
      method: "GET",
      url: "/metadata",
      summary: "Name, description and version (OpenEnv)",
      response: GetMetadataResponseSchema,
      handle: () => toRestJson(GetMetadataResponseSchema, about.metadata),
    },
    {
      method: "GET",
      url: "/schema",
      summary: "JSON Schemas of action, observation and state (OpenEnv), and the function-calling tools of GET /tools",
      response: GetSchemaResponseSchema,
      handle: () => toRestJson(GetSchemaResponseSchema, about.schemas),
    },
    {
      method: "GET",
      url: "/tools",
      summary:
        'Tool definitions for function calling, one per action type ({"type": "function", "function": {name, description, parameters}}, as GetSchema\'s tools); a call is the action {"action_type": name, ...arguments}',
      response: StructSchema,
      list: true,
      responseItemSchema: FUNCTION_TOOL_SCHEMA,
      handle: () => about.schemas.tools,
    },
    {
      method: "GET",
      url: "/tasks",
      summary: "The task levels",
      response: TaskSchema,
      list: true,
      handle: () => env.listTasks().tasks.map((task) => toRestJson(TaskSchema, task)),
    },
    {
      method: "GET",
      url: "/scenarios",
      summary: "Architecture families, fault modes, presets, seed ranges and level profiles",
      response: ListScenariosResponseSchema,
      handle: () => toRestJson(ListScenariosResponseSchema, env.listScenarios()),
    },
    {
      method: "POST",
      url: "/reset",
      summary: "Start an episode; an empty body means an easy one",
      body: { shapes: [ResetRequestSchema], required: false },
      response: ResetResponseSchema,
      handle: async (request) => {
        const reset = validated(ResetRequestSchema, parseReset(request.body));
        // An environment in worker threads writes reset and step responses as REST JSON there (src/server/pre-encoded.ts).
        const caller = environmentFor(request);
        if (canPreEncode(caller)) return new RawJson(await caller.resetEncoded(reset, "rest-json-utf8"));
        return new RawJson(restJsonText(ResetResponseSchema, await caller.reset(reset)));
      },
    },
    {
      method: "POST",
      url: "/step",
      summary: 'Take one action: {"action": {...}, "episode_id": "..."} or a bare action',
      body: { shapes: [StepRequestSchema, ActionSchema], required: true },
      response: StepResponseSchema,
      handle: async (request) => {
        const step = validated(StepRequestSchema, parseStep(request.body));
        const caller = environmentFor(request);
        if (canPreEncode(caller)) return new RawJson(await caller.stepEncoded(step, "rest-json-utf8"));
        return new RawJson(restJsonText(StepResponseSchema, await caller.step(step)));
      },
    },
    {
      method: "POST",
      url: "/reset/batch",
      summary: `Start many episodes: {"items": [reset bodies]} (1 to MAX_BATCH_SIZE = ${env.limits.maxBatchSize}); one result per item, in order, each a response or an error`,
      body: { shapes: [ResetBatchRequestSchema], required: true },
      errorStatuses: ["400", "413"],
      response: ResetBatchResponseSchema,
      handle: async (request) => new RawJson(await resetBatchText(environmentFor(request), batchItems(request.body), parseReset)),
    },
    {
      method: "POST",
      url: "/step/batch",
      summary: `One action in each of many episodes: {"items": [{"episode_id": ..., "action": ...}]} (1 to MAX_BATCH_SIZE = ${env.limits.maxBatchSize}, one per episode); one result per item, in order`,
      body: { shapes: [StepBatchRequestSchema], required: true },
      errorStatuses: ["400", "413"],
      response: StepBatchResponseSchema,
      handle: async (request) => new RawJson(await stepBatchText(environmentFor(request), batchItems(request.body), parseStep)),
    },
    {
      method: "GET",
      url: "/observation",
      summary: "The current observation, complete: with the topology and the KB articles (default episode without episode_id)",
      episodeIdIn: "query",
      response: GetObservationResponseSchema,
      handle: async (request) => {
        const episodeId = request.query.episode_id;
        const query = validated(
          GetObservationRequestSchema,
          fromRestJson(GetObservationRequestSchema, episodeId === undefined ? {} : { episode_id: episodeId }),
        );
        return toRestJson(GetObservationResponseSchema, await environmentFor(request).getObservation(query));
      },
    },
    {
      method: "GET",
      url: "/state",
      summary: "Episode state (default episode without episode_id)",
      episodeIdIn: "query",
      response: EpisodeStateSchema,
      handle: (request) => stateOf(request, request.query.episode_id),
    },
    {
      method: "GET",
      url: "/episodes",
      summary: `The live episodes the caller may see (with API keys: its key's), most recently active first, with who plays each; ?page_size= at most ${LIST_EPISODES_MAX} (default ${LIST_EPISODES_DEFAULT})`,
      query: ListEpisodesRequestSchema,
      errorStatuses: ["400"],
      response: ListEpisodesResponseSchema,
      handle: async (request) => {
        const pageSize = request.query.page_size;
        const list = validated(
          ListEpisodesRequestSchema,
          fromRestJson(ListEpisodesRequestSchema, pageSize === undefined ? {} : { page_size: pageSize }),
        );
        return toRestJson(
          ListEpisodesResponseSchema,
          await environmentFor(request).listEpisodes({ idPrefix: "", limit: pageSizeOf(list) }),
        );
      },
    },
    {
      method: "GET",
      url: "/episodes/:episode_id",
      summary: "Episode state",
      episodeIdIn: "path",
      response: EpisodeStateSchema,
      handle: (request) => stateOf(request, request.params.episode_id),
    },
    {
      method: "DELETE",
      url: "/episodes/:episode_id",
      summary: "Close an episode and free its slot",
      episodeIdIn: "path",
      response: EpisodeStateSchema,
      handle: async (request) => {
        const close = validated(
          CloseEpisodeRequestSchema,
          fromRestJson(CloseEpisodeRequestSchema, { episode_id: request.params.episode_id }),
        );
        return toRestJson(EpisodeStateSchema, (await environmentFor(request).closeEpisode(close)).state ?? create(EpisodeStateSchema));
      },
    },
  ];
}

/** Registers the REST routes (a fastify plugin; its JSON parser stays inside it). */
export async function restRoutes(app: FastifyInstance, { routes }: { routes: readonly RestRoute[] }): Promise<void> {
  refuseNonJsonBodies(app);
  app.addContentTypeParser(JSON_CONTENT_TYPE, { parseAs: "string" }, parseJsonBody);
  for (const route of routes) {
    app.route({
      method: route.method,
      url: route.url,
      handler: async (request, reply) => {
        const body = await route.handle(request as Parameters<RestRoute["handle"]>[0]);
        return body instanceof RawJson ? reply.type("application/json; charset=utf-8").send(body.json) : body;
      },
    });
  }
}
