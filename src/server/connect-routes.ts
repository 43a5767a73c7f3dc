/**
 * IncidentEnvService for Connect, gRPC and gRPC-Web: a plain object of methods over the
 * environment, and the one function that registers it on a router.
 *
 * A drain (src/server/drain.ts) ends log and event streams with `unavailable`, and an Interact
 * session after the request it is serving.
 */
import {
  Code,
  ConnectError,
  createContextKey,
  createContextValues,
  type ConnectRouter,
  type ContextValues,
  type HandlerContext,
  type MethodImpl,
  type ServiceImpl,
} from "@connectrpc/connect";
import type { FastifyRequest } from "fastify";
import { IncidentEnvService } from "../../gen/incident/v1/service_pb.js";
import { pageSizeOf } from "../env/episode-listing.js";
import { canPreEncode, type Awaitable, type EnvironmentApi, type StreamOptions } from "../env/api.js";
import { resetBatch, stepBatch } from "./batch.js";
import { strictJsonOptions } from "./connect-json.js";
import { reportDecodeFailures, trackRequestStage } from "./connect-decode-errors.js";
import { DRAINING_MESSAGE, untilDrained } from "./drain.js";
import { dropConnection } from "./drop-connection.js";
import type { EnvironmentFor } from "./callers.js";
import { interact } from "./interact.js";
import { isBinaryContentType, preEncoded } from "./pre-encoded.js";
import {
  ResetResponseSchema,
  StepResponseSchema,
  type GetMetadataResponse,
  type GetSchemaResponse,
} from "../../gen/incident/v1/service_pb.js";

export interface ServiceDescription {
  metadata: GetMetadataResponse;
  schemas: GetSchemaResponse;
}

/** Drops the client's connection (HTTP/2: resets the stream; HTTP/1.1: closes the socket). */
const dropConnectionKey = createContextKey<(() => void) | undefined>(undefined, { description: "drop the client connection" });

/** The environment as the request's caller sees it (src/server/callers.ts); set for every request. */
const environmentKey = createContextKey<EnvironmentApi | undefined>(undefined, { description: "the caller's view of the environment" });

/**
 * Context values of each Connect request: its caller's environment, a way for a stalled stream to
 * drop its client, and how far the request got (src/server/connect-decode-errors.ts).
 */
export function connectContextValues(request: FastifyRequest, environmentFor: EnvironmentFor): ContextValues {
  return trackRequestStage(
    createContextValues()
      .set(dropConnectionKey, () => dropConnection(request.raw))
      .set(environmentKey, environmentFor(request)),
  );
}

/** Paths of the client-streaming and bidirectional methods (Interact), whose requests are streams of messages. */
const MESSAGE_STREAM_PATHS = new Set(
  IncidentEnvService.methods
    .filter((m) => m.methodKind === "client_streaming" || m.methodKind === "bidi_streaming")
    .map((m) => `/${IncidentEnvService.typeName}/${m.name}`),
);

export function isMessageStreamPath(path: string): boolean {
  return MESSAGE_STREAM_PATHS.has(path);
}

/**
 * A log or event stream (opened with its stream options), which a drain ends with unavailable:
 * the client resumes elsewhere, or after the restart, with after_seq.
 */
async function* followed<T>(
  open: (options: StreamOptions) => Awaitable<AsyncIterable<T>>,
  context: HandlerContext,
  drain: AbortSignal | undefined,
): AsyncGenerator<T> {
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
function incidentEnvService(base: EnvironmentApi, about: ServiceDescription, drain?: AbortSignal): ServiceImpl<typeof IncidentEnvService> {
  const envOf = (context: HandlerContext): EnvironmentApi => context.values.get(environmentKey) ?? base;
  const binary = (context: HandlerContext): boolean => isBinaryContentType(context.requestHeader.get("content-type"));
  return {
    health: () => base.health(),
    getMetadata: () => about.metadata,
    getSchema: () => about.schemas,
    listTasks: () => base.listTasks(),
    listScenarios: () => base.listScenarios(),
    // Binary clients of an environment in worker threads get the worker's encoding as it is (src/server/pre-encoded.ts).
    reset: async (request, context) => {
      const env = envOf(context);
      return canPreEncode(env) && binary(context)
        ? preEncoded(ResetResponseSchema, await env.resetEncoded(request, "binary"))
        : env.reset(request);
    },
    step: async (request, context) => {
      const env = envOf(context);
      return canPreEncode(env) && binary(context)
        ? preEncoded(StepResponseSchema, await env.stepEncoded(request, "binary"))
        : env.step(request);
    },
    // Items are checked one by one in batch.ts: the proto exempts them from the validate interceptor.
    resetBatch: (request, context) => resetBatch(envOf(context), request.items, (item) => item, binary(context)),
    stepBatch: (request, context) => stepBatch(envOf(context), request.items, (item) => item, binary(context)),
    interact: (requests, context) => interact(envOf(context), requests, binary(context), drain),
    getObservation: (request, context) => envOf(context).getObservation(request),
    getState: (request, context) => envOf(context).getState(request),
    closeEpisode: (request, context) => envOf(context).closeEpisode(request),
    listEpisodes: (request, context) => envOf(context).listEpisodes({ idPrefix: "", limit: pageSizeOf(request) }),
    streamLogs: (request, context) => followed((options) => envOf(context).streamLogs(request, options), context, drain),
    streamEpisodeEvents: (request, context) => followed((options) => envOf(context).streamEpisodeEvents(request, options), context, drain),
  };
}

/** Registers every method on its own, each with the strict JSON options of its input type (src/server/connect-json.ts). */
export function registerConnectRoutes(router: ConnectRouter, env: EnvironmentApi, about: ServiceDescription, drain?: AbortSignal): void {
  // Indexed by the method's local name, which ServiceImpl's keys are (the compiler cannot follow a name from the list).
  const service: Readonly<Record<string, unknown>> = incidentEnvService(env, about, drain);
  for (const method of IncidentEnvService.methods) {
    router.rpc(method, service[method.localName] as MethodImpl<typeof method>, { jsonOptions: strictJsonOptions(method.input) });
  }
  reportDecodeFailures(router.handlers);
}
