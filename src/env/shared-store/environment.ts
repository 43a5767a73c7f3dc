/**
 * The environment with its episodes in a shared Valkey/Redis store (EPISODE_STORE=redis://...):
 * any number of replicas (processes, or threads) serve any episode, a replica that dies loses
 * nothing, and a restarted one continues every open episode.
 *
 * - An episode is its resolved reset request and its committed actions. Episodes are
 *   deterministic, so any replica rebuilds one by replaying them, byte for byte. Each replica
 *   keeps a bounded LRU of built copies (REPLICA_CACHE_EPISODES) and catches a copy up with the
 *   actions other replicas committed.
 * - A step runs on the replica's copy, then commits the action, the journal entries it produced,
 *   and the step count in one script, only if the count is still the one the copy had (optimistic
 *   concurrency). On conflict the copy is rebuilt and the step retried, at most STEP_ATTEMPTS
 *   times, then refused with `aborted`: a step is applied once or not at all.
 * - Journals live in Redis Streams, numbered by the episode, so resume tokens (after_seq, SSE
 *   Last-Event-ID) are the same on every replica; subscribers follow them through one
 *   notification connection per replica (src/env/shared-store/stream-hub.ts).
 * - Shared by all replicas: the episodes, capacity (MAX_LIVE_EPISODES), idle eviction
 *   (EPISODE_IDLE_TTL_SECONDS), finished-first eviction and the default episode. Per replica:
 *   the cache of built copies, open streams per episode (MAX_SUBSCRIBERS_PER_EPISODE) and the
 *   stall watchdog, WebSocket sessions.
 * - Live clocks are refused (failed_precondition): a live episode's world moves with wall-clock
 *   time, which cannot be replayed from its actions.
 * - A store that cannot be reached fails requests with `unavailable`, within
 *   EPISODE_STORE_TIMEOUT_MS.
 */
import { create, fromBinary } from "@bufbuild/protobuf";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { randomUUID } from "node:crypto";
import type { Action } from "../../../gen/incident/v1/action_pb.js";
import { ClockMode, HealthStatus } from "../../../gen/incident/v1/enums_pb.js";
import {
  CloseEpisodeResponseSchema,
  GetObservationResponseSchema,
  GetStateResponseSchema,
  HealthResponseSchema,
  ListEpisodesResponseSchema,
  type ListEpisodesResponse,
  StreamEpisodeEventsResponseSchema,
  StreamLogsResponseSchema,
  type CloseEpisodeRequest,
  type CloseEpisodeResponse,
  type GetObservationRequest,
  type GetObservationResponse,
  type GetStateRequest,
  type GetStateResponse,
  type EpisodeSummary,
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
import { EpisodeEventSchema, StreamGapSchema } from "../../../gen/incident/v1/stream_pb.js";
import { LogEntrySchema } from "../../../gen/incident/v1/telemetry_pb.js";
import type { EnvironmentApi, Outcome, StreamName, StreamOptions } from "../api.js";
import { systemClock, type Clock } from "../clock.js";
import { ENVIRONMENT_NAME, ENVIRONMENT_VERSION, IncidentEnvironment, eventFilter, logFilter } from "../environment.js";
import type { StepOutcome } from "../episode.js";
import { summaryOf, type EpisodeListQuery } from "../episode-listing.js";
import { EnvError, asEnvError } from "../errors.js";
import {
  DEFAULT_LIMITS,
  DEFAULT_SHARED_STORE_LIMITS,
  DEFAULT_STREAM_LIMITS,
  type Limits,
  type SharedStoreLimits,
  type StreamLimits,
} from "../limits.js";
import { StateTexts } from "../state-text.js";
import { Subscriptions } from "../subscriptions.js";
import { KeyedLock } from "./keyed-lock.js";
import { ReplicaCache, type CachedEpisode } from "./replica-cache.js";
import { SharedReads } from "./shared-reads.js";
import {
  applyActions,
  buildEpisode,
  encodeAction,
  encodeReset,
  journalMarks,
  journalWrites,
  replayEpisode,
  type EpisodeLimits,
} from "./replay.js";
import type { SharedStoreSettings } from "./settings.js";
import { StoreClient, type CommitResult, type JournalCaps, type Notice } from "./store-client.js";
import { StreamHub, type Feed } from "./stream-hub.js";
import { leanResetResponse, leanStepResponse } from "../lean-messages.js";

/** Tries of a step (or close) whose commit loses to concurrent changes, before it is refused with `aborted`. */
const STEP_ATTEMPTS = 5;
/** Entries a subscriber reads from the store at once. */
const READ_BATCH = 256;

export interface SharedStoreOptions {
  store: SharedStoreSettings;
  limits?: Partial<Limits>;
  streamLimits?: Partial<StreamLimits>;
  storeLimits?: Partial<SharedStoreLimits>;
  /** Timers of the stream stall watchdog (tests pass a fake one). */
  clock?: Clock;
}

/** A short random pause before retrying a lost commit, growing with the attempt, so that competitors spread out. */
function backoff(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * 2 ** attempt));
}

async function settle<T>(run: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    return { ok: false, error: asEnvError(error) };
  }
}

export class SharedStoreEnvironment implements EnvironmentApi {
  readonly limits: Limits;
  readonly streamLimits: StreamLimits;
  readonly storeLimits: SharedStoreLimits;
  private readonly client: StoreClient;
  private readonly cache: ReplicaCache;
  private readonly hub: StreamHub;
  private readonly locks = new KeyedLock();
  private readonly subscriptions: Subscriptions;
  /** The object Subscriptions counts an episode's streams under, while it has some here. */
  private readonly streamKeys = new Map<string, object>();
  /** How to end each open stream at shutdown. */
  private readonly openStreams = new Set<() => void>();
  /** Answers the catalogue calls, which need no episode. */
  private readonly catalogue = new IncidentEnvironment();
  private readonly episodeLimits: EpisodeLimits;
  private readonly caps: JournalCaps;
  /** Counters for tests and operators: copies rebuilt, copies caught up, commits refused, store reads made for GET /state. */
  readonly stats = { rebuilt: 0, caughtUp: 0, conflicts: 0, stateReads: 0 };
  /** GET /state reads of one episode that wait for the same turn share one store round trip. */
  private readonly sharedStateReads = new SharedReads<string>();

  private readonly stateTexts = new StateTexts();

  private constructor(options: SharedStoreOptions) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.streamLimits = { ...DEFAULT_STREAM_LIMITS, ...options.streamLimits };
    this.storeLimits = { ...DEFAULT_SHARED_STORE_LIMITS, ...options.storeLimits };
    this.cache = new ReplicaCache(this.storeLimits.replicaCacheEpisodes);
    this.subscriptions = new Subscriptions(
      this.streamLimits.maxSubscribersPerEpisode,
      this.streamLimits.streamStallTimeoutMs,
      options.clock ?? systemClock,
    );
    this.episodeLimits = { maxLogLines: this.limits.maxLogLinesPerEpisode, maxEvents: this.streamLimits.maxEventsPerEpisode };
    this.caps = { logs: this.limits.maxLogLinesPerEpisode, events: this.streamLimits.maxEventsPerEpisode };
    this.client = new StoreClient({
      url: options.store.url,
      prefix: options.store.prefix,
      timeoutMs: this.storeLimits.storeTimeoutMs,
      onNotice: (notice) => this.noticed(notice),
      onResubscribed: () => {
        this.cache.markAllStale();
        this.hub.changedAll();
      },
    });
    this.hub = new StreamHub((feed, afterSeq) => this.client.read(feed.id, feed.gen, feed.name, afterSeq, READ_BATCH));
  }

  /** A replica connected to the store (or trying to: a store that is down at start makes requests fail with unavailable until it is back). */
  static async start(options: SharedStoreOptions): Promise<SharedStoreEnvironment> {
    const env = new SharedStoreEnvironment(options);
    await env.client.connect();
    return env;
  }

  /** Another replica (or this one) changed an episode: wake its local subscribers, and distrust a copy that may be behind. */
  private noticed(notice: Notice): void {
    this.hub.changed(notice.id);
    const entry = this.cache.peek(notice.id);
    if (!entry) return;
    if (notice.kind === "removed" || notice.gen !== entry.gen || notice.steps > entry.steps) entry.stale = true;
  }

  async health(): Promise<HealthResponse> {
    return create(HealthResponseSchema, {
      status: HealthStatus.HEALTHY,
      environment: ENVIRONMENT_NAME,
      version: ENVIRONMENT_VERSION,
      liveEpisodes: await this.client.liveEpisodes(),
      maxLiveEpisodes: this.limits.maxLiveEpisodes,
      liveStreams: this.subscriptions.size,
    });
  }

  listTasks(): ListTasksResponse {
    return this.catalogue.listTasks();
  }

  listScenarios(): ListScenariosResponse {
    return this.catalogue.listScenarios();
  }

  async reset(request: ResetRequest): Promise<ResetResponse> {
    const id = request.episodeId ?? randomUUID();
    const { episode, stored } = buildEpisode(request, id, this.episodeLimits);
    if (request.clock === ClockMode.LIVE) {
      throw new EnvError(
        "failed_precondition",
        "clock live is not available with the shared episode store (EPISODE_STORE): a live episode's world moves with wall-clock time, which other replicas cannot replay from its actions; use clock turn_based, or a server that keeps episodes in memory",
        [{ field: "clock", rule: "reset.shared_store_turn_based", message: "only turn_based with EPISODE_STORE" }],
      );
    }
    const writes = journalWrites(episode, { logs: 0, events: 0 });
    const response = leanResetResponse(episode.observe(true), false, id, episode.state());
    return this.locks.run(id, async () => {
      const capacity = { maxLive: this.limits.maxLiveEpisodes, idleTtlMs: this.limits.episodeIdleTtlMs };
      const result = await this.client.reset(id, encodeReset(stored), request.episodeId === undefined, capacity, writes, this.caps);
      if (result === "exhausted") {
        throw new EnvError(
          "resource_exhausted",
          `all ${this.limits.maxLiveEpisodes} episode slots hold running episodes; close one (CloseEpisode) or retry after idle episodes expire`,
        );
      }
      this.cache.set({ id, gen: result.gen, episode, steps: 0, stale: false });
      return response;
    });
  }

  async step(request: StepRequest): Promise<StepResponse> {
    const action = request.action;
    if (!action)
      throw new EnvError("invalid_argument", "action is required", [{ field: "action", rule: "required", message: "value is required" }]);
    return this.withEpisode(request.episodeId, (id, named) => this.stepLocked(id, named, action));
  }

  /**
   * One step under the replica's lock on the episode: on the local copy (synced first when it may
   * be behind), then committed if nobody changed the episode meanwhile; otherwise the copy is
   * rebuilt from the store and the step tried again.
   */
  private async stepLocked(id: string, named: boolean, action: Action): Promise<StepResponse> {
    const blob = encodeAction(action);
    const token = randomUUID();
    for (let attempt = 1; ; attempt++) {
      // Let notifications that already arrived mark the copy stale before it is trusted: a step
      // on a copy that is behind costs a rebuild when its commit is refused.
      await new Promise((resolve) => setImmediate(resolve));
      let entry = this.cache.get(id);
      let synced = false;
      if (!entry || entry.stale) {
        entry = await this.sync(id, named, false);
        synced = true;
      }
      // "Over" is final within an incarnation, but the id may have been reset elsewhere: make sure.
      if (entry.episode.done && !synced) entry = await this.sync(id, named, false);
      const episode = entry.episode;
      const marks = journalMarks(episode);
      let outcome: StepOutcome;
      try {
        outcome = episode.step(action);
      } catch (error) {
        // An episode that is over refuses before changing anything; anything else leaves the copy unknown.
        if (!(error instanceof EnvError && error.kind === "failed_precondition")) this.cache.delete(id);
        throw error;
      }
      const expected = entry.steps;
      entry.steps = expected + 1; // the copy is ahead of the store until the commit lands (or is dropped)
      let result: CommitResult;
      try {
        result = await this.client.commitStep(id, entry.gen, expected, token, blob, outcome.done, journalWrites(episode, marks), this.caps);
      } catch (error) {
        this.cache.delete(id);
        throw error;
      }
      if (result === "ok") return leanStepResponse(outcome.observation, outcome.reward, outcome.done, outcome.info, id);
      this.cache.delete(id);
      if (result === "missing") throw this.notFound(id, named);
      this.stats.conflicts++;
      if (attempt >= STEP_ATTEMPTS) throw this.aborted(id);
      await backoff(attempt);
    }
  }

  async resetMany(requests: readonly ResetRequest[]): Promise<Outcome<ResetResponse>[]> {
    return Promise.all(requests.map((request) => settle(() => this.reset(request))));
  }

  async stepMany(requests: readonly StepRequest[]): Promise<Outcome<StepResponse>[]> {
    return Promise.all(requests.map((request) => settle(() => this.step(request))));
  }

  /** The current observation, complete: the topology and the KB articles included. */
  async getObservation(request: GetObservationRequest): Promise<GetObservationResponse> {
    return this.withEpisode(request.episodeId, async (id, named) => {
      const { episode } = await this.sync(id, named, true);
      return create(GetObservationResponseSchema, { observation: episode.observe(true), done: episode.done, episodeId: id });
    });
  }

  async getState(request: GetStateRequest): Promise<GetStateResponse> {
    return this.withEpisode(request.episodeId, async (id, named) =>
      create(GetStateResponseSchema, { state: (await this.sync(id, named, true)).episode.state() }),
    );
  }

  /**
   * GET /state's text (src/env/state-text.ts): the store is asked on every read, as getState asks
   * it (another replica may have moved the episode), and the text is made anew only when this
   * replica's copy changed since the last read.
   */
  async stateText(request: GetStateRequest): Promise<string> {
    const id = await this.resolve(request.episodeId);
    const named = request.episodeId !== undefined;
    return this.sharedStateReads.inTurn(this.locks, id, named, async () => {
      this.stats.stateReads++;
      return this.stateTexts.of((await this.sync(id, named, true)).episode);
    });
  }

  async closeEpisode(request: CloseEpisodeRequest): Promise<CloseEpisodeResponse> {
    return this.withEpisode(request.episodeId, async (id, named) => {
      for (let attempt = 1; ; attempt++) {
        const entry = await this.sync(id, named, true);
        const marks = journalMarks(entry.episode);
        entry.episode.close();
        this.cache.delete(id); // closed here, whatever the store answers
        const result = await this.client.close(id, entry.gen, entry.steps, journalWrites(entry.episode, marks), this.caps);
        if (result === "ok") return create(CloseEpisodeResponseSchema, { state: entry.episode.state() });
        if (result === "missing") throw this.notFound(id, named);
        if (attempt >= STEP_ATTEMPTS) throw this.aborted(id);
        await backoff(attempt);
      }
    });
  }

  async streamIsOver(episodeId: string | undefined, stream: StreamName, afterSeq: number): Promise<boolean> {
    const id = await this.resolve(episodeId);
    const info = await this.client.info(id);
    if (!info) throw this.notFound(id, episodeId !== undefined);
    return info.done && (stream === "logs" ? info.logSeq : info.eventSeq) <= afterSeq;
  }

  /** Open streams of an episode on this replica (for tests and operators). */
  streamsOf(episodeId: string): number {
    const key = this.streamKeys.get(episodeId);
    return key ? this.subscriptions.count(key) : 0;
  }

  async streamLogs(request: StreamLogsRequest, options: StreamOptions = {}): Promise<AsyncIterable<StreamLogsResponse>> {
    const keep = logFilter(request.services, request.minLevel, request.since ? timestampMs(request.since) : undefined);
    return this.follow(
      request.episodeId,
      "logs",
      request.afterSeq,
      options,
      (blob) => {
        const entry = fromBinary(LogEntrySchema, blob);
        return keep(entry) ? create(StreamLogsResponseSchema, { entry }) : undefined;
      },
      (first, last) => create(StreamLogsResponseSchema, { gap: create(StreamGapSchema, { firstMissingSeq: first, lastMissingSeq: last }) }),
    );
  }

  async streamEpisodeEvents(
    request: StreamEpisodeEventsRequest,
    options: StreamOptions = {},
  ): Promise<AsyncIterable<StreamEpisodeEventsResponse>> {
    const keep = eventFilter(request);
    return this.follow(
      request.episodeId,
      "events",
      request.afterSeq,
      options,
      (blob) => {
        const event = fromBinary(EpisodeEventSchema, blob);
        return keep(event) ? create(StreamEpisodeEventsResponseSchema, { event }) : undefined;
      },
      (first, last) => {
        const gap = create(StreamGapSchema, { firstMissingSeq: first, lastMissingSeq: last });
        return create(StreamEpisodeEventsResponseSchema, { event: { seq: last, kind: { case: "gap", value: gap } } });
      },
    );
  }

  /**
   * Follows a journal in the store for one subscriber, like IncidentEnvironment's follow: takes a
   * stream slot on this replica now (or throws), then yields the mapped entries after `afterSeq`
   * (with a gap item where entries were dropped before it read them) until the end marker, the
   * signal aborts, or the stall watchdog drops it.
   */
  private async follow<R>(
    episodeId: string | undefined,
    name: StreamName,
    afterSeq: number,
    options: StreamOptions,
    map: (blob: Uint8Array) => R | undefined,
    gap: (first: number, last: number) => R,
  ): Promise<AsyncIterable<R>> {
    const id = await this.resolve(episodeId);
    const info = await this.client.info(id);
    if (!info) throw this.notFound(id, episodeId !== undefined);
    const { signal, onEnd } = options;
    if (signal?.aborted) return (async function* () {})(); // the client is already gone
    const key = this.streamKeys.get(id) ?? {};
    const subscription = this.subscriptions.open(key, options.onStall);
    this.streamKeys.set(id, key);
    const feed: Feed = this.hub.open(id, info.gen, name);
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      subscription.release();
      if (this.subscriptions.count(key) === 0 && this.streamKeys.get(id) === key) this.streamKeys.delete(id);
      this.hub.release(feed);
      signal?.removeEventListener("abort", finish);
      this.openStreams.delete(finish);
    };
    signal?.addEventListener("abort", finish, { once: true });
    this.openStreams.add(finish);
    return (async function* () {
      let cursor = afterSeq;
      try {
        while (!signal?.aborted && !subscription.released) {
          const version = feed.version;
          const read = await feed.readPatiently(cursor, signal);
          for (const entry of read.entries) {
            if (subscription.released) return;
            const missed = cursor > 0 && entry.seq > cursor + 1 ? gap(cursor + 1, entry.seq - 1) : undefined;
            cursor = entry.seq;
            for (const message of missed === undefined ? [map(entry.blob)] : [missed, map(entry.blob)]) {
              if (message === undefined) continue;
              subscription.park();
              yield message;
              subscription.unpark();
              if (subscription.released) return;
            }
          }
          if (read.endSeq !== undefined) {
            if (!signal?.aborted && !subscription.released) onEnd?.(read.endSeq);
            return;
          }
          if (read.gone) return;
          if (read.entries.length === 0) await feed.wait(version, signal);
        }
      } finally {
        finish();
      }
    })();
  }

  /**
   * Evicts idle episodes now (any replica may; the store decides once). A store that is down
   * evicts nothing: the sweep runs on a timer, which must not fail.
   */
  async sweep(): Promise<number> {
    try {
      return await this.client.sweep(this.limits.episodeIdleTtlMs);
    } catch {
      return 0;
    }
  }

  /** Ends this replica's streams and closes its connections; the episodes stay in the store. */
  async shutdown(): Promise<void> {
    for (const finish of [...this.openStreams]) finish();
    this.hub.changedAll();
    await this.client.quit();
  }

  /**
   * The store's live episodes (every replica's), each brought up to date on this replica to read
   * its state: a page costs up to page_size catch-ups or rebuilds, which is why pages are bounded.
   */
  async listEpisodes(query: EpisodeListQuery): Promise<ListEpisodesResponse> {
    const matching = (await this.client.recentEpisodes()).filter(({ id }) => id.startsWith(query.idPrefix));
    const episodes: EpisodeSummary[] = [];
    for (const { id, lastUsedMs } of matching.slice(0, query.limit)) {
      try {
        const { episode } = await this.locks.run(id, () => this.sync(id, true, false));
        episodes.push(summaryOf(episode.state(), lastUsedMs));
      } catch (error) {
        if (!(error instanceof EnvError && error.kind === "not_found")) throw error; // closed meanwhile
      }
    }
    return create(ListEpisodesResponseSchema, { episodes, truncated: matching.length > query.limit });
  }

  /** The episode a request names, or the default one. */
  private async resolve(episodeId: string | undefined): Promise<string> {
    if (episodeId !== undefined) return episodeId;
    const id = await this.client.defaultEpisode();
    if (id === undefined)
      throw new EnvError("not_found", "no episode_id given and there is no default episode yet; reset first (POST /reset)");
    return id;
  }

  /** Runs `work` on the episode a request names (or the default one), one request at a time on this replica. */
  private async withEpisode<T>(episodeId: string | undefined, work: (id: string, named: boolean) => Promise<T>): Promise<T> {
    const id = await this.resolve(episodeId);
    return this.locks.run(id, () => work(id, episodeId !== undefined));
  }

  /**
   * The local copy brought up to date with the store: caught up with the actions it lacks, or
   * rebuilt from the reset request and every action when it is missing or of another incarnation.
   */
  private async sync(id: string, named: boolean, touch: boolean): Promise<CachedEpisode> {
    const cached = this.cache.peek(id);
    const reply = await this.client.sync(id, cached?.gen, cached?.steps ?? 0, touch);
    if (!reply) {
      this.cache.delete(id);
      throw this.notFound(id, named);
    }
    let entry: CachedEpisode;
    try {
      if (reply.basis === "same" && cached !== undefined && cached.gen === reply.gen) {
        applyActions(cached.episode, reply.actions);
        cached.steps += reply.actions.length;
        if (reply.actions.length > 0) this.stats.caughtUp++;
        entry = cached;
      } else {
        entry = {
          id,
          gen: reply.gen,
          episode: replayEpisode(reply.reset, reply.actions, this.episodeLimits),
          steps: reply.actions.length,
          stale: false,
        };
        this.stats.rebuilt++;
      }
    } catch (error) {
      this.cache.delete(id);
      throw error;
    }
    if (entry.steps !== reply.steps) {
      this.cache.delete(id);
      throw new EnvError("internal", `the copy of episode ${id} does not match the store (${entry.steps} steps, not ${reply.steps})`);
    }
    entry.stale = false;
    this.cache.set(entry);
    return entry;
  }

  private notFound(id: string, named: boolean): EnvError {
    return new EnvError(
      "not_found",
      named
        ? `no episode with id "${id}" (never created, closed, or expired after being idle)`
        : `the default episode ${id} no longer exists (closed or expired); reset first`,
    );
  }

  private aborted(id: string): EnvError {
    return new EnvError(
      "aborted",
      `episode ${id} kept changing under concurrent requests (${STEP_ATTEMPTS} tries); this request was not applied: read the state and retry`,
    );
  }
}
