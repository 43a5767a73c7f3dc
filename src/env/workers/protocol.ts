/**
 * The messages between the server thread and its simulation workers (src/env/workers/pool.ts and
 * worker.ts). Requests and responses travel as protobuf binary: one encoding for every message,
 * cheap to copy between threads, and the worker's encoding can be reused by binary transports.
 *
 * Every request carries the episode id explicitly: the server thread resolves the default episode
 * and names new ones before it asks a worker, so workers never decide which episode is meant.
 */
import type { DescMessage } from "@bufbuild/protobuf";
import {
  CloseEpisodeRequestSchema,
  CloseEpisodeResponseSchema,
  GetObservationRequestSchema,
  GetObservationResponseSchema,
  GetStateRequestSchema,
  GetStateResponseSchema,
  ResetRequestSchema,
  ResetResponseSchema,
  StepRequestSchema,
  StepResponseSchema,
  StreamEpisodeEventsRequestSchema,
  StreamEpisodeEventsResponseSchema,
  StreamLogsRequestSchema,
  StreamLogsResponseSchema,
} from "../../../gen/incident/v1/service_pb.js";
import type { StreamName, WireFormat } from "../api.js";
import type { EnvErrorKind, Violation } from "../errors.js";
import type { Limits, SharedStoreLimits, StreamLimits } from "../limits.js";
import type { SharedStoreSettings } from "../shared-store/settings.js";

/** The request and response types of each unary call a worker answers. */
export const UNARY_CALLS = {
  reset: { request: ResetRequestSchema, response: ResetResponseSchema },
  step: { request: StepRequestSchema, response: StepResponseSchema },
  getObservation: { request: GetObservationRequestSchema, response: GetObservationResponseSchema },
  getState: { request: GetStateRequestSchema, response: GetStateResponseSchema },
  closeEpisode: { request: CloseEpisodeRequestSchema, response: CloseEpisodeResponseSchema },
} as const satisfies Record<string, { request: DescMessage; response: DescMessage }>;

export type UnaryCall = keyof typeof UNARY_CALLS;

/** The request and item types of each stream. */
export const STREAM_CALLS = {
  logs: { request: StreamLogsRequestSchema, item: StreamLogsResponseSchema },
  events: { request: StreamEpisodeEventsRequestSchema, item: StreamEpisodeEventsResponseSchema },
} as const satisfies Record<StreamName, { request: DescMessage; item: DescMessage }>;

/** An EnvError as it crosses threads. */
export interface WireError {
  kind: EnvErrorKind;
  message: string;
  violations: Violation[];
}

export type WireOutcome = { ok: true; payload: Uint8Array } | { ok: false; error: WireError };

/**
 * A reset or step answered in the form the transport will send: the response as protobuf binary
 * or REST JSON (text, or UTF-8 bytes whose buffer is transferred), with whether the episode is
 * over (the server thread's directory needs it).
 */
export type EncodedOutcome = { ok: true; body: Uint8Array | string; done: boolean } | { ok: false; error: WireError };

/** What a worker is started with (workerData). */
export interface WorkerSetup {
  limits: Limits;
  streamLimits: StreamLimits;
  /** With a shared store (EPISODE_STORE) the worker is a replica of it; otherwise it keeps episodes in memory. */
  store?: SharedStoreSettings;
  storeLimits?: Partial<SharedStoreLimits>;
  /** The module to run when the worker starts from TypeScript sources (see load-typescript.mjs). */
  entry?: string;
}

export type ToWorker =
  | { type: "unary"; call: number; method: UnaryCall; payload: Uint8Array }
  /** Many resets or steps (a batch's share for this worker), answered in `format`. */
  | { type: "many"; call: number; method: "reset" | "step"; format: WireFormat; payloads: Uint8Array[] }
  /** A reset or step whose response comes back in `format`, ready to send. */
  | { type: "encoded"; call: number; method: "reset" | "step"; format: WireFormat; payload: Uint8Array }
  | { type: "streamIsOver"; call: number; episodeId?: string; stream: StreamName; afterSeq: number }
  /** GET /state's text made by the worker's environment (a GetStateRequest, binary); answered as a string value. */
  | { type: "stateText"; call: number; payload: Uint8Array }
  /** Opens stream `stream` (a number the server thread chose) on an episode's journal. */
  | { type: "open"; call: number; stream: number; name: StreamName; payload: Uint8Array }
  /** Asks for the stream's next items: at least one, or its end. */
  | { type: "pull"; call: number; stream: number }
  /** The server-side reader went away: free the stream. */
  | { type: "cancel"; stream: number }
  /** The server thread evicted the episode (idle, or room was needed). */
  | { type: "evict"; episodeId: string }
  /** Open streams of an episode (operators and tests). */
  | { type: "streamCount"; call: number; episodeId: string }
  /** Health as the worker's environment sees it (with a shared store: the store's live episodes). */
  | { type: "health"; call: number }
  /** Evicts idle episodes (with a shared store, where the store decides). */
  | { type: "sweep"; call: number }
  /** The worker's episodes whose id starts with idPrefix (answered as a ListEpisodesResponse). */
  | { type: "list"; call: number; idPrefix: string; limit: number };

export type FromWorker =
  /** The worker's environment is ready (with a store: connected); sent once, before any answer. */
  | { type: "ready" }
  /** The worker's environment could not start. */
  | { type: "startFailed"; message: string }
  | { type: "outcome"; call: number; outcome: WireOutcome }
  | { type: "outcomes"; call: number; outcomes: EncodedOutcome[] }
  | { type: "encodedOutcome"; call: number; outcome: EncodedOutcome }
  | { type: "value"; call: number; value: number | boolean | string }
  /** A pull's answer: the items ready now; `done` when the stream is over (`lastSeq` when the episode ended it). */
  | { type: "items"; call: number; items: Uint8Array[]; done: boolean; lastSeq?: number }
  | { type: "failed"; call: number; error: WireError }
  /** The stall watchdog dropped the stream's subscriber: the transport should drop its client. */
  | { type: "stalled"; stream: number };
