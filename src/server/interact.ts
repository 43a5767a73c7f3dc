/**
 * Interact: a session on one bidirectional stream (dm_env_rpc's idea), for gRPC and Connect
 * clients over HTTP/2. The client sends reset, step, observation, state and close requests; the
 * server answers each with one response, in the order sent, carrying the request's request_id.
 *
 * - Order: requests are served one at a time. The next request is read from the stream only after
 *   the previous response is written, so a session never has more than one request in the
 *   environment, and what a client may queue is bounded by HTTP/2 flow control (the stream's window),
 *   not by a buffer here. Each message is at most MAX_BODY_BYTES, like any request.
 * - Errors: a request that fails (a broken proto rule, no request set, an unknown episode, a step
 *   after the end...) gets an `error` response, the ErrorResponse its unary RPC would have got over
 *   REST (field paths relative to the inner request), and the session goes on.
 * - The session's episode: a reset starts (or restarts) an episode and makes it the session's; a
 *   reset without episode_id gets a fresh id, never the server's default episode. Later requests
 *   without an episode_id address the session's episode; before the session's first successful
 *   reset they fail with failed_precondition. A step, observation, state or close with an
 *   episode_id addresses that episode and leaves the session's episode as it was.
 * - Sharing: episodes are the store's, addressed by id like any other; other clients may read or
 *   step them meanwhile, on any transport, and their requests interleave with the session's.
 * - End: the session ends when the client closes its side (the server then ends the stream) or
 *   cancels. Ending a session closes no episode: a client that reconnects picks its episodes up by
 *   id; a close request ends one explicitly, and idle ones are evicted as usual.
 * - Drain (SIGTERM, src/server/drain.ts): the request being served is answered, then the stream
 *   ends with `unavailable`; requests the client sent after it were not read and not applied
 *   (their request_ids got no response).
 */
import { create } from "@bufbuild/protobuf";
import { randomUUID } from "node:crypto";
import {
  CloseEpisodeRequestSchema,
  GetObservationRequestSchema,
  GetStateRequestSchema,
  InteractResponseSchema,
  ResetRequestSchema,
  ResetResponseSchema,
  StepRequestSchema,
  StepResponseSchema,
  type InteractRequest,
  type InteractResponse,
} from "../../gen/incident/v1/service_pb.js";
import { canPreEncode, type EnvironmentApi, type PreEncodingEnvironment } from "../env/api.js";
import { EnvError, asEnvError } from "../env/errors.js";
import { errorResponse } from "./errors.js";
import { preEncoded } from "./pre-encoded.js";
import { validated } from "../json/validation.js";

/** What the session remembers between requests: the episode its last reset started. */
class InteractSession {
  private episodeId: string | undefined;

  /**
   * @param passThrough the environment, when it hands reset and step responses over already
   *   encoded and the client reads protobuf binary (src/server/pre-encoded.ts)
   */
  constructor(
    private readonly env: EnvironmentApi,
    private readonly passThrough: PreEncodingEnvironment | undefined,
  ) {}

  /** One response for one request, its request_id echoed; an error response if it failed. */
  async serve(request: InteractRequest): Promise<InteractResponse> {
    try {
      return create(InteractResponseSchema, { requestId: request.requestId, response: await this.answer(request.request) });
    } catch (error) {
      return create(InteractResponseSchema, {
        requestId: request.requestId,
        response: { case: "error", value: errorResponse(asEnvError(error)) },
      });
    }
  }

  private async answer(request: InteractRequest["request"]): Promise<InteractResponse["response"]> {
    switch (request.case) {
      case "reset": {
        const checked = validated(ResetRequestSchema, request.value);
        const reset = checked.episodeId === undefined ? { ...checked, episodeId: randomUUID() } : checked;
        const response = this.passThrough
          ? preEncoded(ResetResponseSchema, await this.passThrough.resetEncoded(reset, "binary"))
          : await this.env.reset(reset);
        this.episodeId = reset.episodeId;
        return { case: "reset", value: response };
      }
      case "step": {
        const step = this.addressed(validated(StepRequestSchema, request.value));
        return {
          case: "step",
          value: this.passThrough
            ? preEncoded(StepResponseSchema, await this.passThrough.stepEncoded(step, "binary"))
            : await this.env.step(step),
        };
      }
      case "observation":
        return {
          case: "observation",
          value: await this.env.getObservation(this.addressed(validated(GetObservationRequestSchema, request.value))),
        };
      case "state":
        return { case: "state", value: await this.env.getState(this.addressed(validated(GetStateRequestSchema, request.value))) };
      case "close":
        return { case: "close", value: await this.env.closeEpisode(this.addressed(validated(CloseEpisodeRequestSchema, request.value))) };
      case undefined:
        throw new EnvError("invalid_argument", "an Interact request needs one of reset, step, observation, state, close", [
          { field: "request", rule: "required", message: "exactly one of reset, step, observation, state, close" },
        ]);
    }
  }

  /** The request with the session's episode filled in when it names none. */
  private addressed<Request extends { episodeId?: string }>(request: Request): Request {
    if (request.episodeId !== undefined) return request;
    if (this.episodeId === undefined) {
      throw new EnvError("failed_precondition", "this session has started no episode yet: send a reset first, or give an episode_id", [
        { field: "episode_id", rule: "session.episode", message: "required until the session's first reset" },
      ]);
    }
    return { ...request, episodeId: this.episodeId };
  }
}

/** What the wait for a session's next request gives when the server starts draining instead. */
const DRAINING = Symbol("draining");

/** The iterator's next request, or DRAINING as soon as `stop` aborts (the request is then left unread). */
function nextUnlessStopped<T>(iterator: AsyncIterator<T>, stop: AbortSignal | undefined): Promise<IteratorResult<T> | typeof DRAINING> {
  if (stop === undefined) return iterator.next();
  if (stop.aborted) return Promise.resolve(DRAINING);
  return new Promise((resolve, reject) => {
    const onStop = (): void => resolve(DRAINING);
    stop.addEventListener("abort", onStop, { once: true });
    iterator.next().then(
      (result) => {
        stop.removeEventListener("abort", onStop);
        resolve(result);
      },
      (error: unknown) => {
        stop.removeEventListener("abort", onStop);
        reject(error);
      },
    );
  });
}

/**
 * Serves a session: one response per request, in order, until the client ends its side, or
 * until `stop` (the server's drain) aborts: then the session ends with unavailable after the
 * request being served is answered. `binary`: the client reads protobuf binary (see InteractSession).
 */
export async function* interact(
  env: EnvironmentApi,
  requests: AsyncIterable<InteractRequest>,
  binary = false,
  stop?: AbortSignal,
): AsyncGenerator<InteractResponse> {
  const session = new InteractSession(env, binary && canPreEncode(env) ? env : undefined);
  const iterator = requests[Symbol.asyncIterator]();
  let readAll = false;
  try {
    for (;;) {
      const next = await nextUnlessStopped(iterator, stop);
      if (next === DRAINING)
        throw new EnvError(
          "unavailable",
          "the server is draining (shutting down): this session ends; start a new one on another replica or after the restart",
        );
      if (next.done === true) {
        readAll = true;
        return;
      }
      yield await session.serve(next.value);
    }
  } finally {
    // As `for await` would: tell the request stream we stop reading (not awaited: a read may be pending).
    if (!readAll) void iterator.return?.().catch(() => undefined);
  }
}
