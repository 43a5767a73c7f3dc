/**
 * The environment spread over worker threads (WORKERS): every core simulates, while the server
 * thread keeps the transports on one port.
 *
 * - Sharding: an episode lives in worker hash(episode_id) mod WORKERS, for its whole life; every
 *   request about it goes there, so its steps run in order on one thread.
 * - With episodes in the workers' memory, the server thread keeps the directory of episodes
 *   (which exist, when each was last used, which are over), so capacity (MAX_LIVE_EPISODES), idle
 *   eviction and the default episode behave exactly as with one thread; with a shared store
 *   (EPISODE_STORE) the store keeps all of that and every worker is a replica of it
 *   (src/env/workers/placement.ts).
 * - Streams: a worker owns the episode's journals and the per-episode stream limit and stall
 *   watchdog; the server thread pulls items as its client takes them, so a slow client still
 *   parks its stream in the worker and a stalled one is dropped there and here.
 * - A worker that dies takes its episodes with it: calls in flight fail with `unavailable`, its
 *   episodes leave the directory, and a new worker takes its place.
 */
import { create, fromBinary, toBinary, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import { ClockMode, HealthStatus } from "../../../gen/incident/v1/enums_pb.js";
import {
  HealthResponseSchema,
  ListEpisodesResponseSchema,
  type ListEpisodesResponse,
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
import type {
  EnvironmentApi,
  Outcome,
  PreEncodingEnvironment,
  StateTextEnvironment,
  StreamName,
  StreamOptions,
  WireFormat,
  WireForms,
} from "../api.js";
import { ENVIRONMENT_NAME, ENVIRONMENT_VERSION, IncidentEnvironment } from "../environment.js";
import { mergedPage, type EpisodeListQuery } from "../episode-listing.js";
import { EnvError, asEnvError } from "../errors.js";
import { DEFAULT_LIMITS, DEFAULT_STREAM_LIMITS, type Limits, type SharedStoreLimits, type StreamLimits } from "../limits.js";
import { KeyedLock } from "../shared-store/keyed-lock.js";
import type { SharedStoreSettings } from "../shared-store/settings.js";
import { SharedReads } from "../shared-store/shared-reads.js";
import { stateText } from "../state-text.js";
import { DirectoryPlacement, StorePlacement, type Placement } from "./placement.js";
import {
  STREAM_CALLS,
  UNARY_CALLS,
  type EncodedOutcome,
  type FromWorker,
  type UnaryCall,
  type WireError,
  type WireOutcome,
} from "./protocol.js";
import { WorkerThread } from "./worker-thread.js";

export interface WorkerPoolOptions {
  /** Worker threads (at least 1). */
  workers: number;
  limits?: Partial<Limits>;
  streamLimits?: Partial<StreamLimits>;
  /** Episodes in this shared store (EPISODE_STORE) instead of the workers' memory: each worker is a replica. */
  store?: SharedStoreSettings;
  storeLimits?: Partial<SharedStoreLimits>;
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
  return answer.type === "failed"
    ? envError(answer.error)
    : new EnvError("internal", `unexpected answer from a simulation worker: ${answer.type}`);
}

/** A request with its episode id as the placement says (undefined: the worker resolves the default episode). */
function addressed<R extends { episodeId?: string }>(request: R, id: string | undefined): R {
  if (id === request.episodeId) return request;
  const copy = { ...request };
  if (id === undefined) delete copy.episodeId;
  else copy.episodeId = id;
  return copy;
}

export class WorkerPool implements EnvironmentApi, PreEncodingEnvironment, StateTextEnvironment {
  readonly limits: Limits;
  readonly streamLimits: StreamLimits;
  /** Answers the catalogue calls, which need no episode. */
  private readonly catalogue = new IncidentEnvironment();
  private readonly threads: WorkerThread[] = [];
  private readonly placement: Placement;
  /** Open streams by number: how to end each (with the worker's stall verdict, or quietly). */
  private readonly streams = new Map<number, { stall: () => void; end: () => void }>();
  /**
   * With a shared store: one state-text call per episode in flight to its worker, and the reads
   * that arrive meanwhile share the next one (as the worker's own reads of the store do).
   */
  private readonly stateCalls = new KeyedLock();
  private readonly sharedStateReads = new SharedReads<string>();
  private nextStream = 1;
  private openStreams = 0;
  private stopping = false;

  private constructor(private readonly options: WorkerPoolOptions) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.streamLimits = { ...DEFAULT_STREAM_LIMITS, ...options.streamLimits };
    this.placement = options.store
      ? new StorePlacement()
      : new DirectoryPlacement(this.limits, (id) => this.threadFor(id).notify({ type: "evict", episodeId: id }));
  }

  /** Starts the workers; resolves when every one is running (and, with a store, connected). */
  static async start(options: WorkerPoolOptions): Promise<WorkerPool> {
    if (!Number.isInteger(options.workers) || options.workers < 1)
      throw new Error(`a worker pool needs at least one worker, got ${options.workers}`);
    const pool = new WorkerPool(options);
    try {
      await Promise.all(Array.from({ length: options.workers }, (_, i) => pool.spawn(i)));
    } catch (error) {
      await pool.shutdown();
      throw error;
    }
    return pool;
  }

  get workers(): number {
    return this.threads.length;
  }

  /** The thread that serves the episode with this key (its id; "" for the default episode). */
  threadFor(key: string): WorkerThread {
    const thread = this.threads[shardOf(key, this.threads.length)];
    if (!thread) throw new EnvError("internal", "no simulation worker");
    return thread;
  }

  private spawn(index: number): Promise<void> {
    const { store, storeLimits } = this.options;
    const thread = new WorkerThread(index, {
      // WARM_EPISODES bounds the process: each worker keeps its share built.
      limits: { ...this.limits, warmEpisodes: Math.max(1, Math.ceil(this.limits.warmEpisodes / this.options.workers)) },
      streamLimits: this.streamLimits,
      ...(store !== undefined ? { store } : {}),
      ...(storeLimits !== undefined ? { storeLimits } : {}),
    });
    thread.onStalled = (stream) => this.streams.get(stream)?.stall();
    thread.onExit = () => this.replace(thread);
    this.threads[index] = thread;
    return thread.ready();
  }

  /** A worker died: its episodes are gone (unless a store keeps them), and a new worker takes its shard. */
  private replace(dead: WorkerThread): void {
    if (this.stopping) return;
    this.placement.lost((key) => this.threadFor(key) === dead);
    this.spawn(dead.index).catch((error: unknown) => console.error(`could not restart simulation worker ${dead.index}`, error));
  }

  async health(): Promise<HealthResponse> {
    const counts = this.placement.counts() ?? (await this.storeCounts());
    return create(HealthResponseSchema, {
      status: HealthStatus.HEALTHY,
      environment: ENVIRONMENT_NAME,
      version: ENVIRONMENT_VERSION,
      liveEpisodes: counts.live,
      maxLiveEpisodes: counts.capacity,
      liveStreams: this.openStreams,
    });
  }

  /** Live episodes and capacity as the shared store has them (a worker asks it; unavailable if it cannot). */
  private async storeCounts(): Promise<{ live: number; capacity: number }> {
    const answer = await this.threadFor("").call({ type: "health" });
    if (answer.type !== "outcome") throw unexpected(answer);
    const health = decoded(HealthResponseSchema, answer.outcome);
    return { live: health.liveEpisodes, capacity: health.maxLiveEpisodes };
  }

  listTasks(): ListTasksResponse {
    return this.catalogue.listTasks();
  }

  listScenarios(): ListScenariosResponse {
    return this.catalogue.listScenarios();
  }

  private async unary<M extends UnaryCall>(
    method: M,
    key: string,
    request: MessageShape<(typeof UNARY_CALLS)[M]["request"]>,
  ): Promise<MessageShape<(typeof UNARY_CALLS)[M]["response"]>> {
    const { request: requestDesc, response: responseDesc } = UNARY_CALLS[method];
    const payload = toBinary(requestDesc as DescMessage, request);
    const answer = await this.threadFor(key).call({ type: "unary", method, payload });
    if (answer.type !== "outcome") throw unexpected(answer);
    return decoded(responseDesc, answer.outcome) as MessageShape<(typeof UNARY_CALLS)[M]["response"]>;
  }

  async reset(request: ResetRequest): Promise<ResetResponse> {
    const admitted = this.placement.admit(request);
    try {
      const response = await this.unary("reset", admitted.key, addressed(request, admitted.id));
      admitted.succeeded(response.done);
      return response;
    } catch (error) {
      admitted.failed();
      throw error;
    }
  }

  async step(request: StepRequest): Promise<StepResponse> {
    const located = this.placement.changing(request.episodeId);
    const response = await this.unary("step", located.key, addressed(request, located.id));
    located.answered(response.done);
    return response;
  }

  /** A reset answered in the form the transport sends (see PreEncodingEnvironment). */
  async resetEncoded<F extends WireFormat>(request: ResetRequest, format: F): Promise<WireForms[F]> {
    const admitted = this.placement.admit(request);
    try {
      const outcome = await this.encoded(
        "reset",
        admitted.key,
        format,
        toBinary(UNARY_CALLS.reset.request, addressed(request, admitted.id)),
      );
      admitted.succeeded(outcome.done);
      return outcome.body as WireForms[F];
    } catch (error) {
      admitted.failed();
      throw error;
    }
  }

  /** A step answered in the form the transport sends (see PreEncodingEnvironment). */
  async stepEncoded<F extends WireFormat>(request: StepRequest, format: F): Promise<WireForms[F]> {
    const located = this.placement.changing(request.episodeId);
    const outcome = await this.encoded("step", located.key, format, toBinary(UNARY_CALLS.step.request, addressed(request, located.id)));
    located.answered(outcome.done);
    return outcome.body as WireForms[F];
  }

  private async encoded(
    method: "reset" | "step",
    key: string,
    format: WireFormat,
    payload: Uint8Array,
  ): Promise<{ body: Uint8Array | string; done: boolean }> {
    const answer = await this.threadFor(key).call({ type: "encoded", method, format, payload });
    if (answer.type !== "encodedOutcome") throw unexpected(answer);
    if (!answer.outcome.ok) throw envError(answer.outcome.error);
    return answer.outcome;
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
        return this.placement.admit(request);
      } catch (error) {
        outcomes[i] = { ok: false, error: asEnvError(error) };
        return undefined;
      }
    });
    const items = requests.map((request, i) => {
      const a = admitted[i];
      return a ? { key: a.key, payload: toBinary(UNARY_CALLS.reset.request, addressed(request, a.id)) } : undefined;
    });
    await this.inGroups("reset", format, items, (i, outcome) => {
      const a = admitted[i];
      if (!a) return;
      if (outcome.ok) {
        a.succeeded(outcome.done);
        outcomes[i] = { ok: true, value: outcome.body as WireForms[F] };
      } else {
        a.failed();
        outcomes[i] = { ok: false, error: envError(outcome.error) };
      }
    });
    return outcomes;
  }

  /** Many steps answered in the form the transport sends (see PreEncodingEnvironment). */
  async stepManyEncoded<F extends WireFormat>(requests: readonly StepRequest[], format: F): Promise<Outcome<WireForms[F]>[]> {
    const outcomes: Outcome<WireForms[F]>[] = new Array(requests.length);
    const located = requests.map((request, i) => {
      try {
        return this.placement.changing(request.episodeId);
      } catch (error) {
        outcomes[i] = { ok: false, error: asEnvError(error) };
        return undefined;
      }
    });
    const items = requests.map((request, i) => {
      const l = located[i];
      return l ? { key: l.key, payload: toBinary(UNARY_CALLS.step.request, addressed(request, l.id)) } : undefined;
    });
    await this.inGroups("step", format, items, (i, outcome) => {
      if (outcome.ok) located[i]?.answered(outcome.done);
      outcomes[i] = outcome.ok ? { ok: true, value: outcome.body as WireForms[F] } : { ok: false, error: envError(outcome.error) };
    });
    return outcomes;
  }

  /** Sends the items of a batch to their workers, one message per worker, and hands each answer back by index. */
  private async inGroups(
    method: "reset" | "step",
    format: WireFormat,
    items: readonly ({ key: string; payload: Uint8Array } | undefined)[],
    take: (index: number, outcome: EncodedOutcome) => void,
  ): Promise<void> {
    const groups = new Map<WorkerThread, { indices: number[]; payloads: Uint8Array[] }>();
    items.forEach((item, i) => {
      if (!item) return;
      const thread = this.threadFor(item.key);
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
        group.indices.forEach((index, k) =>
          take(
            index,
            outcomes[k] ?? { ok: false, error: { kind: "internal", message: "a simulation worker gave no answer", violations: [] } },
          ),
        );
      }),
    );
  }

  async getObservation(request: GetObservationRequest): Promise<GetObservationResponse> {
    const located = this.placement.locate(request.episodeId);
    return this.unary("getObservation", located.key, addressed(request, located.id));
  }

  async getState(request: GetStateRequest): Promise<GetStateResponse> {
    const located = this.placement.locate(request.episodeId);
    const response = await this.unary("getState", located.key, addressed(request, located.id));
    if (response.state) located.answered(response.state.done);
    return response;
  }

  /**
   * The state's text from the directory when it kept the text of the episode as it is now;
   * otherwise read from the worker, and kept unless the episode runs on a live clock (its state
   * moves with the wall clock, in the worker, until it ends).
   */
  async stateText(request: GetStateRequest): Promise<string> {
    const located = this.placement.locate(request.episodeId);
    if (located.keptState !== undefined) return located.keptState;
    if (!this.placement.keepsStateTexts) {
      // With a shared store nothing is kept here: the worker's environment asks the store. A call
      // already sent may have asked before this read arrived, so the read waits for the next one.
      return this.sharedStateReads.inTurn(this.stateCalls, located.key, located.id !== undefined, async () => {
        const payload = toBinary(UNARY_CALLS.getState.request, addressed(request, located.id));
        const answer = await this.threadFor(located.key).call({ type: "stateText", payload });
        if (answer.type !== "value" || typeof answer.value !== "string") throw unexpected(answer);
        return answer.value;
      });
    }
    const { state } = await this.unary("getState", located.key, addressed(request, located.id));
    const text = stateText(state);
    if (state) {
      located.answered(state.done);
      if (state.clock !== ClockMode.LIVE || state.done) located.keepState(text);
    }
    return text;
  }

  async closeEpisode(request: CloseEpisodeRequest): Promise<CloseEpisodeResponse> {
    const located = this.placement.closing(request.episodeId);
    return this.unary("closeEpisode", located.key, addressed(request, located.id));
  }

  async streamIsOver(episodeId: string | undefined, stream: StreamName, afterSeq: number): Promise<boolean> {
    const located = this.placement.locate(episodeId);
    const answer = await this.threadFor(located.key).call({
      type: "streamIsOver",
      ...(located.id !== undefined ? { episodeId: located.id } : {}),
      stream,
      afterSeq,
    });
    if (answer.type !== "value") throw unexpected(answer);
    return answer.value === true;
  }

  /** Open streams of an episode in its worker (operators and tests). */
  async streamsOf(episodeId: string): Promise<number> {
    const located = this.placement.locate(episodeId);
    const answer = await this.threadFor(located.key).call({ type: "streamCount", episodeId });
    return answer.type === "value" ? Number(answer.value) : 0;
  }

  streamLogs(request: StreamLogsRequest, options: StreamOptions = {}): Promise<AsyncIterable<StreamLogsResponse>> {
    const located = this.placement.locate(request.episodeId);
    return this.follow("logs", located.key, toBinary(STREAM_CALLS.logs.request, addressed(request, located.id)), options, (bytes) =>
      fromBinary(STREAM_CALLS.logs.item, bytes),
    );
  }

  streamEpisodeEvents(
    request: StreamEpisodeEventsRequest,
    options: StreamOptions = {},
  ): Promise<AsyncIterable<StreamEpisodeEventsResponse>> {
    const located = this.placement.locate(request.episodeId);
    return this.follow("events", located.key, toBinary(STREAM_CALLS.events.request, addressed(request, located.id)), options, (bytes) =>
      fromBinary(STREAM_CALLS.events.item, bytes),
    );
  }

  /**
   * Opens a stream in the episode's worker (its checks run there: slot limit, episode exists) and
   * pulls its items as the transport takes them. Ends when the worker says so, when the signal
   * aborts, or when the worker's stall watchdog drops the subscriber (then onStall runs).
   */
  private async follow<T>(
    name: StreamName,
    key: string,
    payload: Uint8Array,
    options: StreamOptions,
    decode: (bytes: Uint8Array) => T,
  ): Promise<AsyncIterable<T>> {
    const { signal, onStall, onEnd } = options;
    if (signal?.aborted) return (async function* () {})();
    const thread = this.threadFor(key);
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

  /** In memory, each worker lists its own episodes and the pages merge; with a store, one worker asks it. */
  async listEpisodes(query: EpisodeListQuery): Promise<ListEpisodesResponse> {
    const threads = this.placement.counts() === undefined ? [this.threadFor("")] : this.threads;
    const pages = await Promise.all(
      threads.map(async (thread) => {
        const answer = await thread.call({ type: "list", idPrefix: query.idPrefix, limit: query.limit });
        if (answer.type !== "outcome") throw unexpected(answer);
        return decoded(ListEpisodesResponseSchema, answer.outcome);
      }),
    );
    return create(ListEpisodesResponseSchema, mergedPage(pages, query.limit));
  }

  async sweep(): Promise<number> {
    const swept = this.placement.sweep();
    if (swept !== undefined) return swept;
    // The store decides for every replica; one worker asks it.
    const answer = await this.threadFor("").call({ type: "sweep" });
    return answer.type === "value" ? Number(answer.value) : 0;
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
