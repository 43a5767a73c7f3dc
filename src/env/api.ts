/**
 * What every transport calls: the environment's operations, one per RPC, without saying where
 * episodes live. Three things implement it:
 * - IncidentEnvironment (src/env/environment.ts): episodes in this process's memory, answered at once;
 * - the worker pool (WORKERS): episodes sharded by id over worker threads, answered asynchronously;
 * - the shared store (EPISODE_STORE=redis://...): episodes kept in Valkey/Redis, any replica serves any.
 * Transports await every answer, so they work with all three alike.
 *
 * Requests arrive checked against the proto's protovalidate rules; implementations check what only
 * the domain knows and throw EnvError (src/env/errors.ts), or reject with it.
 */
import type {
  CloseEpisodeRequest,
  CloseEpisodeResponse,
  GetObservationRequest,
  GetObservationResponse,
  GetStateRequest,
  GetStateResponse,
  HealthResponse,
  ListEpisodesResponse,
  ListScenariosResponse,
  ListTasksResponse,
  ResetRequest,
  ResetResponse,
  StepRequest,
  StepResponse,
  StreamEpisodeEventsRequest,
  StreamEpisodeEventsResponse,
  StreamLogsRequest,
  StreamLogsResponse,
} from "../../gen/incident/v1/service_pb.js";
import type { EpisodeListQuery } from "./episode-listing.js";
import type { EnvError } from "./errors.js";
import type { Limits, StreamLimits } from "./limits.js";

/** A value now, or later. */
export type Awaitable<T> = T | Promise<T>;

/** One item of a batch: its answer, or the error that failed only this item. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: EnvError };

/** How a transport follows a stream: its cancel signal, and what to do when its client stalls. */
export interface StreamOptions {
  /** Aborts when the client cancels or disconnects; the stream ends and frees its slot. */
  signal?: AbortSignal;
  /**
   * Called when the client has not taken a waiting entry for STREAM_STALL_TIMEOUT_SECONDS: the
   * stream's slot is already freed, and the transport should drop the connection.
   */
  onStall?: () => void;
  /**
   * Called when the stream ends because the episode is over (not on cancel or stall), with the
   * last sequence number of the journal: a client that resumes after it gets nothing more.
   */
  onEnd?: (lastSeq: number) => void;
}

/** The two journals of an episode that clients can follow. */
export type StreamName = "logs" | "events";

export interface EnvironmentApi {
  readonly limits: Limits;
  readonly streamLimits: StreamLimits;

  health(): Awaitable<HealthResponse>;
  listTasks(): ListTasksResponse;
  listScenarios(): ListScenariosResponse;

  reset(request: ResetRequest): Awaitable<ResetResponse>;
  step(request: StepRequest): Awaitable<StepResponse>;
  /** Many resets: one outcome per request, in order. Requests are already checked one by one. */
  resetMany(requests: readonly ResetRequest[]): Awaitable<Outcome<ResetResponse>[]>;
  /** Many steps, each on its own episode: one outcome per request, in order. */
  stepMany(requests: readonly StepRequest[]): Awaitable<Outcome<StepResponse>[]>;
  getObservation(request: GetObservationRequest): Awaitable<GetObservationResponse>;
  getState(request: GetStateRequest): Awaitable<GetStateResponse>;
  closeEpisode(request: CloseEpisodeRequest): Awaitable<CloseEpisodeResponse>;
  /**
   * The live episodes whose id starts with `query.idPrefix`, most recently active first, at most
   * `query.limit` (src/env/episode-listing.ts); transports are filled in by the caller's view.
   */
  listEpisodes(query: EpisodeListQuery): Awaitable<ListEpisodesResponse>;

  /**
   * The episode's log lines after `after_seq` that pass the filters, then each new one, until the
   * episode ends or is closed, the signal aborts, or the client stalls. Checks (the episode exists,
   * a stream slot is free) happen before the stream is returned, so a transport can answer them
   * with an error status before it sends anything.
   */
  streamLogs(request: StreamLogsRequest, options?: StreamOptions): Awaitable<AsyncIterable<StreamLogsResponse>>;
  /** The episode's events after `after_seq` that pass the filters, then each new one; ends like streamLogs. */
  streamEpisodeEvents(request: StreamEpisodeEventsRequest, options?: StreamOptions): Awaitable<AsyncIterable<StreamEpisodeEventsResponse>>;
  /**
   * True when the episode is over and its stream has nothing after `afterSeq`: a client resuming
   * there would get nothing (SSE answers 204 so that EventSource stops reconnecting).
   */
  streamIsOver(episodeId: string | undefined, stream: StreamName, afterSeq: number): Awaitable<boolean>;

  /** Evicts idle episodes now; the server calls this on a timer. Returns how many. */
  sweep(): Awaitable<number>;
  /** Stops what the environment runs (live clocks, workers, store connections). */
  shutdown(): Promise<void>;
}

/**
 * Forms a response can take before it reaches a transport: protobuf binary, the REST JSON text of
 * src/json/rest-json.ts (as a string, or as its UTF-8 bytes), or the UTF-8 bytes of the OpenEnv
 * WebSocket's observation message (src/json/openenv-observation.ts; reset and step responses only).
 *
 * The UTF-8 bytes are for a transport that sends the text as it is (the REST reset and step
 * routes, /ws): made in a worker thread, they cross to the server thread without a copy (their
 * buffer is transferred) and live outside the server thread's heap. A string would be copied
 * into that heap, where its garbage collector moves it while the request is in flight, and
 * encoded again on the way out.
 */
export interface WireForms {
  binary: Uint8Array;
  "rest-json": string;
  "rest-json-utf8": Uint8Array;
  "openenv-observation-utf8": Uint8Array;
}
export type WireFormat = keyof WireForms;

/**
 * An environment whose episodes run elsewhere (worker threads) can hand back reset and step
 * responses already encoded where they were made, so that the server thread sends them as they
 * are instead of decoding and encoding them again. Transports use this when the environment has
 * it (canPreEncode) and the client asked for that form.
 */
export interface PreEncodingEnvironment {
  resetEncoded<F extends WireFormat>(request: ResetRequest, format: F): Promise<WireForms[F]>;
  stepEncoded<F extends WireFormat>(request: StepRequest, format: F): Promise<WireForms[F]>;
  resetManyEncoded<F extends WireFormat>(requests: readonly ResetRequest[], format: F): Promise<Outcome<WireForms[F]>[]>;
  stepManyEncoded<F extends WireFormat>(requests: readonly StepRequest[], format: F): Promise<Outcome<WireForms[F]>[]>;
}

/**
 * An environment that answers a state read with the state's REST JSON text (src/env/state-text.ts),
 * kept per episode until the episode changes: GET /state, the most frequent request, then costs
 * no reflection walk over the message and, with worker threads, no round trip to a worker. The
 * text is exactly stateText(getState(request).state), and the request is checked as getState
 * checks it (the episode exists, the caller may see it).
 */
export interface StateTextEnvironment {
  stateText(request: GetStateRequest): Awaitable<string>;
}

export function canTellStateText(env: EnvironmentApi): env is EnvironmentApi & StateTextEnvironment {
  return typeof (env as Partial<StateTextEnvironment>).stateText === "function";
}

export function canPreEncode(env: EnvironmentApi): env is EnvironmentApi & PreEncodingEnvironment {
  const candidate = env as Partial<PreEncodingEnvironment>;
  return (
    typeof candidate.resetEncoded === "function" &&
    typeof candidate.stepEncoded === "function" &&
    typeof candidate.resetManyEncoded === "function" &&
    typeof candidate.stepManyEncoded === "function"
  );
}
