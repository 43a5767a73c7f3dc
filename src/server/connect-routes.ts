/**
 * IncidentEnvService for Connect, gRPC and gRPC-Web: a plain object of methods over the
 * environment, and the one function that registers it on a router.
 *
 * A drain (src/server/drain.ts) ends log and event streams with `unavailable`, and an Interact
 * session after the request it is serving.
 */
import { Code, ConnectError, createContextKey, createContextValues, type ConnectRouter, type ContextValues, type HandlerContext, type ServiceImpl } from "@connectrpc/connect";
import type { FastifyRequest } from "fastify";
import { IncidentEnvService } from "../../gen/incident/v1/service_pb.js";
import { canPreEncode, type Awaitable, type EnvironmentApi, type StreamOptions } from "../env/api.js";
import { resetBatch, stepBatch } from "./batch.js";
import { DRAINING_MESSAGE, untilDrained } from "./drain.js";
import { dropConnection } from "./drop-connection.js";
import { interact } from "./interact.js";
import { isBinaryContentType, preEncoded } from "./pre-encoded.js";
import { ResetResponseSchema, StepResponseSchema, type GetMetadataResponse, type GetSchemaResponse } from "../../gen/incident/v1/service_pb.js";

export interface ServiceDescription {
  metadata: GetMetadataResponse;
  schemas: GetSchemaResponse;
}

/** Drops the client's connection (HTTP/2: resets the stream; HTTP/1.1: closes the socket). */
const dropConnectionKey = createContextKey<(() => void) | undefined>(undefined, { description: "drop the client connection" });

/** Context values of each Connect request: a way for a stalled stream to drop its client. */
export function connectContextValues(request: FastifyRequest): ContextValues {
  return createContextValues().set(dropConnectionKey, () => dropConnection(request.raw));
}

/** Paths of the client-streaming and bidirectional methods (Interact), whose requests are streams of messages. */
const MESSAGE_STREAM_PATHS = new Set(
  IncidentEnvService.methods.filter((m) => m.methodKind === "client_streaming" || m.methodKind === "bidi_streaming").map((m) => `/${IncidentEnvService.typeName}/${m.name}`),
);

export function isMessageStreamPath(path: string): boolean {
  return MESSAGE_STREAM_PATHS.has(path);
}

/**
 * A log or event stream (opened with its stream options), which a drain ends with unavailable:
 * the client resumes elsewhere, or after the restart, with after_seq.
 */
async function* followed<T>(open: (options: StreamOptions) => Awaitable<AsyncIterable<T>>, context: HandlerContext, drain: AbortSignal | undefined): AsyncGenerator<T> {
  const drop = context.values.get(dropConnectionKey);
  const { signal, release } = untilDrained(context.signal, drain);
  try {
    yield* await open({ signal, ...(drop ? { onStall: drop } : {}) });
  } finally {
    release();
  }
  if (drain?.aborted && !context.signal.aborted) throw new ConnectError(`${DRAINING_MESSAGE}; resume with after_seq`, Code.Unavailable);
}

/** @param drain aborts when the server starts draining */
export function incidentEnvService(env: EnvironmentApi, about: ServiceDescription, drain?: AbortSignal): ServiceImpl<typeof IncidentEnvService> {
  // Binary clients of an environment in worker threads get the worker's encoding as it is (src/server/pre-encoded.ts).
  const passThrough = canPreEncode(env) ? env : undefined;
  const binary = (context: HandlerContext): boolean => isBinaryContentType(context.requestHeader.get("content-type"));
  return {
    health: () => env.health(),
    getMetadata: () => about.metadata,
    getSchema: () => about.schemas,
    listTasks: () => env.listTasks(),
    listScenarios: () => env.listScenarios(),
    reset: async (request, context) =>
      passThrough && binary(context) ? preEncoded(ResetResponseSchema, await passThrough.resetEncoded(request, "binary")) : env.reset(request),
    step: async (request, context) =>
      passThrough && binary(context) ? preEncoded(StepResponseSchema, await passThrough.stepEncoded(request, "binary")) : env.step(request),
    // Items are checked one by one in batch.ts: the proto exempts them from the validate interceptor.
    resetBatch: (request, context) => resetBatch(env, request.items, (item) => item, binary(context)),
    stepBatch: (request, context) => stepBatch(env, request.items, (item) => item, binary(context)),
    interact: (requests, context) => interact(env, requests, binary(context), drain),
    getObservation: (request) => env.getObservation(request),
    getState: (request) => env.getState(request),
    closeEpisode: (request) => env.closeEpisode(request),
    streamLogs: (request, context) => followed((options) => env.streamLogs(request, options), context, drain),
    streamEpisodeEvents: (request, context) => followed((options) => env.streamEpisodeEvents(request, options), context, drain),
  };
}

export function registerConnectRoutes(router: ConnectRouter, env: EnvironmentApi, about: ServiceDescription, drain?: AbortSignal): void {
  router.service(IncidentEnvService, incidentEnvService(env, about, drain));
}
