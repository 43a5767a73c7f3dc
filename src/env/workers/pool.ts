/**
 * The environment spread over worker threads (WORKERS): every core simulates, while the server
 * thread keeps the transports on one port.
 *
 * - Sharding: an episode lives in worker hash(episode_id) mod WORKERS, for its whole life; every
 *   request about it goes there, so its steps run in order on one thread.
 * - The server thread keeps the directory of episodes (which exist, when each was last used,
 *   which are over) in an EpisodeStore of handles. Capacity (MAX_LIVE_EPISODES), idle eviction and
 *   the default episode therefore behave exactly as with one thread: the directory decides, then
 *   tells the worker. It resolves the default episode and names new episodes before asking a worker.
 * - Streams: a worker owns the episode's journals and the per-episode stream limit and stall
 *   watchdog; the server thread pulls items as its client takes them, so a slow client still
 *   parks its stream in the worker and a stalled one is dropped there and here.
 * - A worker that dies takes its episodes with it: calls in flight fail with `unavailable`, its
 *   episodes leave the directory, and a new worker takes its place.
 */
import { create, fromBinary, toBinary, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import { randomUUID } from "node:crypto";
import { HealthStatus } from "../../../gen/incident/v1/enums_pb.js";
import {
  HealthResponseSchema,
  type CloseEpisodeRequest,
  type CloseEpisodeResponse,
  type GetObservationRequest,
  type GetObservationResponse,
  type GetStateRequest,
  type GetStateResponse,
  type HealthResponse,
  type ListScenariosResponse,
  type ListTasksResponse,
  type ResetRequest,
  type ResetResponse,
  type StepRequest,
  type StepResponse,
  type StreamEpisodeEventsRequest,
  type StreamEpisodeEventsResponse,
  type StreamLogsRequest,
  type StreamLogsResponse,
} from "../../../gen/incident/v1/service_pb.js";
import type { EnvironmentApi, Outcome, PreEncodingEnvironment, StreamName, StreamOptions, WireFormat, WireForms } from "../api.js";
import { ENVIRONMENT_NAME, ENVIRONMENT_VERSION, IncidentEnvironment } from "../environment.js";
import { EpisodeStore, type StoredEpisode } from "../episode-store.js";
import { EnvError, asEnvError } from "../errors.js";
import { DEFAULT_LIMITS, DEFAULT_STREAM_LIMITS, type Limits, type StreamLimits } from "../limits.js";
import { STREAM_CALLS, UNARY_CALLS, type EncodedOutcome, type FromWorker, type UnaryCall, type WireError, type WireOutcome } from "./protocol.js";
import { WorkerThread } from "./worker-thread.js";

export interface WorkerPoolOptions {
  /** Worker threads (at least 1). */
  workers: number;
  limits?: Partial<Limits>;
  streamLimits?: Partial<StreamLimits>;
}

/** The directory's entry for an episode that lives in a worker. */
class RemoteEpisode implements StoredEpisode {
  done = false;
  constructor(
    readonly id: string,
    private readonly pool: WorkerPool,
  ) {}

  /** The directory evicted it: the worker frees it too. */
  close(): void {
    this.pool.threadFor(this.id).notify({ type: "evict", episodeId: this.id });
  }
}

/** FNV-1a over the id's UTF-16 code units: a stable, well-spread shard key. */
export function shardOf(id: string, shards: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % shards;
}

function envError(error: WireError): EnvError {
  return new EnvError(error.kind, error.message, error.violations);
}

function decoded<Desc extends DescMessage>(desc: Desc, outcome: WireOutcome): MessageShape<Desc> {
  if (!outcome.ok) throw envError(outcome.error);
  return fromBinary(desc, outcome.payload);
}

function unexpected(answer: FromWorker): EnvError {
  return answer.type === "failed" ? envError(answer.error) : new EnvError("internal", `unexpected answer from a simulation worker: ${answer.type}`);
}

export class WorkerPool implements EnvironmentApi, PreEncodingEnvironment {
  readonly limits: Limits;
  readonly streamLimits: StreamLimits;
  /** Answers the catalogue calls, which need no episode. */
  private readonly catalogue = new IncidentEnvironment();
  private readonly threads: WorkerThread[] = [];
  private readonly directory: EpisodeStore<RemoteEpisode>;
  /** Open streams by number: how to end each (with the worker's stall verdict, or quietly). */
  private readonly streams = new Map<number, { stall: () => void; end: () => void }>();
  private nextStream = 1;
  private openStreams = 0;
  private stopping = false;

  private constructor(options: WorkerPoolOptions) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.streamLimits = { ...DEFAULT_STREAM_LIMITS, ...options.streamLimits };
    this.directory = new EpisodeStore<RemoteEpisode>(this.limits.maxLiveEpisodes, this.limits.episodeIdleTtlMs);
  }

  /** Starts the workers; resolves when every one is running. */
  static async start(options: WorkerPoolOptions): Promise<WorkerPool> {
    if (!Number.isInteger(options.workers) || options.workers < 1) throw new Error(`a worker pool needs at least one worker, got ${options.workers}`);
    const pool = new WorkerPool(options);
    await Promise.all(Array.from({ length: options.workers }, (_, i) => pool.spawn(i)));
    return pool;
  }

  get workers(): number {
    return this.threads.length;
  }

  /** The thread that holds the episode with this id. */
  threadFor(id: string): WorkerThread {
    const thread = this.threads[shardOf(id, this.threads.length)];
    if (!thread) throw new EnvError("internal", "no simulation worker");
    return thread;
  }

  private spawn(index: number): Promise<void> {
    const thread = new WorkerThread(index, { limits: this.limits, streamLimits: this.streamLimits });
    thread.onStalled = (stream) => this.streams.get(stream)?.stall();
    thread.onExit = () => this.replace(thread);
    this.threads[index] = thread;
    return thread.ready();
  }

  /** A worker died: its episodes are gone from the directory, and a new worker takes its shard. */
  private replace(dead: WorkerThread): void {
    if (this.stopping) return;
    for (const episode of this.directory.episodes()) {
      if (this.threadFor(episode.id) === dead) this.directory.forget(episode.id);
    }
    this.spawn(dead.index).catch((error: unknown) => console.error(`could not restart simulation worker ${dead.index}`, error));
  }

  health(): HealthResponse {
    return create(HealthResponseSchema, {
      status: HealthStatus.HEALTHY,
      environment: ENVIRONMENT_NAME,
      version: ENVIRONMENT_VERSION,
      liveEpisodes: this.directory.size,
      maxLiveEpisodes: this.directory.capacity,
      liveStreams: this.openStreams,
    });
  }

  listTasks(): ListTasksResponse {
    return this.catalogue.listTasks();
  }

  listScenarios(): ListScenariosResponse {
    return this.catalogue.listScenarios();
  }

  private async unary<M extends UnaryCall>(method: M, id: string, request: MessageShape<(typeof UNARY_CALLS)[M]["request"]>): Promise<MessageShape<(typeof UNARY_CALLS)[M]["response"]>> {
    const { request: requestDesc, response: responseDesc } = UNARY_CALLS[method];
    const payload = toBinary(requestDesc as DescMessage, request);
    const answer = await this.threadFor(id).call({ type: "unary", method, payload });
    if (answer.type !== "outcome") throw unexpected(answer);
    return decoded(responseDesc, answer.outcome) as MessageShape<(typeof UNARY_CALLS)[M]["response"]>;
  }

  /**
   * Puts a new episode in the directory before the worker builds it, so that concurrent resets
   * cannot overfill it; a reset that fails takes it out again (a refused reset changes nothing).
   */
  private admit(request: ResetRequest): { id: string; episode: RemoteEpisode; isNew: boolean; makeDefault: boolean } {
    const makeDefault = request.episodeId === undefined;
    const id = request.episodeId ?? randomUUID();
    const existing = this.directory.peek(id);
    this.directory.reserve(id);
    const episode = existing ?? new RemoteEpisode(id, this);
    if (!existing) this.directory.put(episode, false);
    return { id, episode, isNew: !existing, makeDefault };
  }

  private settleReset(admitted: ReturnType<WorkerPool["admit"]>, response: ResetResponse | undefined): void {
    if (response === undefined) {
      if (admitted.isNew) this.directory.forget(admitted.id);
      return;
    }
    admitted.episode.done = response.done;
    this.directory.put(admitted.episode, admitted.makeDefault);
  }

  async reset(request: ResetRequest): Promise<ResetResponse> {
    const admitted = this.admit(request);
    try {
      const response = await this.unary("reset", admitted.id, { ...request, episodeId: admitted.id });
      this.settleReset(admitted, response);
      return response;
    } catch (error) {
      this.settleReset(admitted, undefined);
      throw error;
    }
  }

  /** A reset answered in the form the transport sends (see PreEncodingEnvironment). */
  async resetEncoded<F extends WireFormat>(request: ResetRequest, format: F): Promise<WireForms[F]> {
    const admitted = this.admit(request);
    try {
      const outcome = await this.encoded("reset", admitted.id, format, toBinary(UNARY_CALLS.reset.request, { ...request, episodeId: admitted.id }));
      admitted.episode.done = outcome.done;
      this.directory.put(admitted.episode, admitted.makeDefault);
      return outcome.body as WireForms[F];
    } catch (error) {
      this.settleReset(admitted, undefined);
      throw error;
    }
  }

  /** A step answered in the form the transport sends (see PreEncodingEnvironment). */
  async stepEncoded<F extends WireFormat>(request: StepRequest, format: F): Promise<WireForms[F]> {
    const episode = this.directory.get(request.episodeId);
    const outcome = await this.encoded("step", episode.id, format, toBinary(UNARY_CALLS.step.request, { ...request, episodeId: episode.id }));
    episode.done = outcome.done;
    return outcome.body as WireForms[F];
  }

  private async encoded(method: "reset" | "step", id: string, format: WireFormat, payload: Uint8Array): Promise<{ body: Uint8Array | string; done: boolean }> {
    const answer = await this.threadFor(id).call({ type: "encoded", method, format, payload });
    if (answer.type !== "encodedOutcome") throw unexpected(answer);
    if (!answer.outcome.ok) throw envError(answer.outcome.error);
    return answer.outcome;
  }

  async step(request: StepRequest): Promise<StepResponse> {
    const episode = this.directory.get(request.episodeId);
    const response = await this.unary("step", episode.id, { ...request, episodeId: episode.id });
    episode.done = response.done;
    return response;
  }

  async resetMany(requests: readonly ResetRequest[]): Promise<Outcome<ResetResponse>[]> {
    const outcomes = await this.resetManyEncoded(requests, "binary");
    return outcomes.map((o) => (o.ok ? settled(() => fromBinary(UNARY_CALLS.reset.response, o.value)) : o));
  }

  async stepMany(requests: readonly StepRequest[]): Promise<Outcome<StepResponse>[]> {
    const outcomes = await this.stepManyEncoded(requests, "binary");
    return outcomes.map((o) => (o.ok ? settled(() => fromBinary(UNARY_CALLS.step.response, o.value)) : o));
  }

  /** Many resets answered in the form the transport sends (see PreEncodingEnvironment). */
  async resetManyEncoded<F extends WireFormat>(requests: readonly ResetRequest[], format: F): Promise<Outcome<WireForms[F]>[]> {
    const outcomes: Outcome<WireForms[F]>[] = new Array(requests.length);
    const admitted = requests.map((request, i) => {
      try {
        return this.admit(request);
      } catch (error) {
        outcomes[i] = { ok: false, error: asEnvError(error) };
        return undefined;
      }
    });
    const items = requests.map((request, i) => {
      const a = admitted[i];
      return a ? { id: a.id, payload: toBinary(UNARY_CALLS.reset.request, { ...request, episodeId: a.id }) } : undefined;
    });
    await this.inGroups("reset", format, items, (i, outcome) => {
      const a = admitted[i];
      if (!a) return;
      if (outcome.ok) {
        a.episode.done = outcome.done;
        this.directory.put(a.episode, a.makeDefault);
        outcomes[i] = { ok: true, value: outcome.body as WireForms[F] };
      } else {
        this.settleReset(a, undefined);
        outcomes[i] = { ok: false, error: envError(outcome.error) };
      }
    });
    return outcomes;
  }

  /** Many steps answered in the form the transport sends (see PreEncodingEnvironment). */
  async stepManyEncoded<F extends WireFormat>(requests: readonly StepRequest[], format: F): Promise<Outcome<WireForms[F]>[]> {
    const outcomes: Outcome<WireForms[F]>[] = new Array(requests.length);
    const episodes = requests.map((request, i) => {
      try {
        return this.directory.get(request.episodeId);
      } catch (error) {
        outcomes[i] = { ok: false, error: asEnvError(error) };
        return undefined;
      }
    });
    const items = requests.map((request, i) => {
      const episode = episodes[i];
      return episode ? { id: episode.id, payload: toBinary(UNARY_CALLS.step.request, { ...request, episodeId: episode.id }) } : undefined;
    });
    await this.inGroups("step", format, items, (i, outcome) => {
      const episode = episodes[i];
      if (outcome.ok && episode) episode.done = outcome.done;
      outcomes[i] = outcome.ok ? { ok: true, value: outcome.body as WireForms[F] } : { ok: false, error: envError(outcome.error) };
    });
    return outcomes;
  }

  /** Sends the items of a batch to their workers, one message per worker, and hands each answer back by index. */
  private async inGroups(
    method: "reset" | "step",
    format: WireFormat,
    items: readonly ({ id: string; payload: Uint8Array } | undefined)[],
    take: (index: number, outcome: EncodedOutcome) => void,
  ): Promise<void> {
    const groups = new Map<WorkerThread, { indices: number[]; payloads: Uint8Array[] }>();
    items.forEach((item, i) => {
      if (!item) return;
      const thread = this.threadFor(item.id);
      const group = groups.get(thread) ?? { indices: [], payloads: [] };
      group.indices.push(i);
      group.payloads.push(item.payload);
      groups.set(thread, group);
    });
    await Promise.all(
      [...groups].map(async ([thread, group]) => {
        let outcomes: EncodedOutcome[];
        try {
          const answer = await thread.call({ type: "many", method, format, payloads: group.payloads });
          if (answer.type !== "outcomes") throw unexpected(answer);
          outcomes = answer.outcomes;
        } catch (error) {
          const e = asEnvError(error);
          outcomes = group.indices.map(() => ({ ok: false, error: { kind: e.kind, message: e.message, violations: [...e.violations] } }));
        }
        group.indices.forEach((index, k) => take(index, outcomes[k] ?? { ok: false, error: { kind: "internal", message: "a simulation worker gave no answer", violations: [] } }));
      }),
    );
  }

  async getObservation(request: GetObservationRequest): Promise<GetObservationResponse> {
    const episode = this.directory.get(request.episodeId);
    return this.unary("getObservation", episode.id, { ...request, episodeId: episode.id });
  }

  async getState(request: GetStateRequest): Promise<GetStateResponse> {
    const episode = this.directory.get(request.episodeId);
    const response = await this.unary("getState", episode.id, { ...request, episodeId: episode.id });
    episode.done = response.state?.done ?? episode.done;
    return response;
  }

  async closeEpisode(request: CloseEpisodeRequest): Promise<CloseEpisodeResponse> {
    const episode = this.directory.get(request.episodeId);
    // Out of the directory first: requests that follow see no episode, as with one thread.
    this.directory.forget(episode.id);
    return this.unary("closeEpisode", episode.id, { ...request, episodeId: episode.id });
  }

  async streamIsOver(episodeId: string | undefined, stream: StreamName, afterSeq: number): Promise<boolean> {
    const episode = this.directory.get(episodeId);
    const answer = await this.threadFor(episode.id).call({ type: "streamIsOver", episodeId: episode.id, stream, afterSeq });
    if (answer.type !== "value") throw unexpected(answer);
    return answer.value === true;
  }

  /** Open streams of an episode (operators and tests). */
  async streamsOf(episodeId: string): Promise<number> {
    const episode = this.directory.get(episodeId);
    const answer = await this.threadFor(episode.id).call({ type: "streamCount", episodeId: episode.id });
    return answer.type === "value" ? Number(answer.value) : 0;
  }

  streamLogs(request: StreamLogsRequest, options: StreamOptions = {}): Promise<AsyncIterable<StreamLogsResponse>> {
    const episode = this.directory.get(request.episodeId);
    return this.follow("logs", episode.id, toBinary(STREAM_CALLS.logs.request, { ...request, episodeId: episode.id }), options, (bytes) => fromBinary(STREAM_CALLS.logs.item, bytes));
  }

  streamEpisodeEvents(request: StreamEpisodeEventsRequest, options: StreamOptions = {}): Promise<AsyncIterable<StreamEpisodeEventsResponse>> {
    const episode = this.directory.get(request.episodeId);
    return this.follow("events", episode.id, toBinary(STREAM_CALLS.events.request, { ...request, episodeId: episode.id }), options, (bytes) => fromBinary(STREAM_CALLS.events.item, bytes));
  }

  /**
   * Opens a stream in the episode's worker (its checks run there: slot limit, episode exists) and
   * pulls its items as the transport takes them. Ends when the worker says so, when the signal
   * aborts, or when the worker's stall watchdog drops the subscriber (then onStall runs).
   */
  private async follow<T>(name: StreamName, episodeId: string, payload: Uint8Array, options: StreamOptions, decode: (bytes: Uint8Array) => T): Promise<AsyncIterable<T>> {
    const { signal, onStall, onEnd } = options;
    if (signal?.aborted) return (async function* () {})();
    const thread = this.threadFor(episodeId);
    const stream = this.nextStream++;
    const opened = await thread.call({ type: "open", stream, name, payload });
    if (opened.type !== "value") throw unexpected(opened);
    this.openStreams++;
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      this.openStreams--;
      this.streams.delete(stream);
      signal?.removeEventListener("abort", finish);
      thread.notify({ type: "cancel", stream });
    };
    this.streams.set(stream, {
      stall: () => {
        finish();
        onStall?.();
      },
      end: finish,
    });
    signal?.addEventListener("abort", finish, { once: true });
    return (async function* () {
      try {
        while (!finished) {
          const answer = await thread.call({ type: "pull", stream });
          if (answer.type !== "items") throw unexpected(answer);
          for (const item of answer.items) {
            if (finished) return;
            yield decode(item);
          }
          if (answer.done) {
            if (answer.lastSeq !== undefined && !signal?.aborted) onEnd?.(answer.lastSeq);
            return;
          }
        }
      } finally {
        finish();
      }
    })();
  }

  sweep(): number {
    return this.directory.evictIdle();
  }

  async shutdown(): Promise<void> {
    this.stopping = true;
    for (const stream of [...this.streams.values()]) stream.end();
    await Promise.all(this.threads.map((thread) => thread.terminate()));
  }
}

function settled<T>(run: () => T): Outcome<T> {
  try {
    return { ok: true, value: run() };
  } catch (error) {
    return { ok: false, error: asEnvError(error) };
  }
}
