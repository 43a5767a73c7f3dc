/**
 * The incident-response environment as a set of typed operations, one per RPC of
 * IncidentEnvService. Every transport (Connect/gRPC/gRPC-Web, REST, WebSocket) calls these and
 * only these, so all of them share one behaviour.
 *
 * Requests arrive already checked against the proto's protovalidate rules by the transport;
 * this layer checks what only the domain knows (does the scenario exist, does the episode exist,
 * is it still running) and raises EnvError with a Connect-style kind.
 */
import { create } from "@bufbuild/protobuf";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { randomInt, randomUUID } from "node:crypto";
import { ClockMode, EpisodeEventKind, HealthStatus, LogLevel, ObservationDetail } from "../../gen/incident/v1/enums_pb.js";
import { StreamGapSchema, type EpisodeEvent } from "../../gen/incident/v1/stream_pb.js";
import type { LogEntry } from "../../gen/incident/v1/telemetry_pb.js";
import {
  CloseEpisodeResponseSchema,
  GetObservationResponseSchema,
  ListScenariosResponseSchema,
  GetStateResponseSchema,
  HealthResponseSchema,
  ListEpisodesResponseSchema,
  ListTasksResponseSchema,
  StreamEpisodeEventsResponseSchema,
  StreamLogsResponseSchema,
  type CloseEpisodeRequest,
  type CloseEpisodeResponse,
  type GetObservationRequest,
  type GetObservationResponse,
  type GetStateRequest,
  type GetStateResponse,
  type HealthResponse,
  type ListEpisodesResponse,
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
} from "../../gen/incident/v1/service_pb.js";
import { FaultKind, ServiceKind } from "../../gen/incident/v1/enums_pb.js";
import { FAMILIES, familyByName } from "../scenarios/families/index.js";
import type { FaultKind as FaultKindWord } from "../sim/fault-types.js";
import { FAULTS, FAULT_KINDS } from "../scenarios/faults/index.js";
import { GenerationError, generateIncident } from "../scenarios/generate-incident.js";
import { PRESETS, findPreset } from "../scenarios/incidents/index.js";
import { LEVEL_PROFILES, SEED_RANGES } from "../scenarios/levels.js";
import type { Level } from "../sim/vocabulary.js";
import { IncidentWorld } from "../sim/incident-world.js";
import { enumFromWord, wordFromEnum } from "../sim/enum-words.js";
import type { EpisodeRecord } from "../grading/record.js";
import { systemClock, type Clock } from "./clock.js";
import { Episode } from "./episode.js";
import { EpisodeStore } from "./episode-store.js";
import { summaryOf, type EpisodeListQuery } from "./episode-listing.js";
import type { EnvironmentApi, Outcome, StateTextEnvironment, StreamName, StreamOptions } from "./api.js";
import { EnvError, asEnvError } from "./errors.js";
import type { Journal, JournalItem } from "./journal.js";
import { DEFAULT_LIMITS, DEFAULT_STREAM_LIMITS, type Limits, type StreamLimits } from "./limits.js";
import { StateTexts } from "./state-text.js";
import { Subscriptions } from "./subscriptions.js";
import { WarmEpisodes, resolvedReset, type EpisodeHandle, type EpisodeRecipe } from "./warm-episodes.js";
import { levelFromEnum, levelToEnum } from "./levels.js";
import { LEVELS, TASKS } from "./tasks.js";
import { leanResetResponse, leanStepResponse } from "./lean-messages.js";

export const ENVIRONMENT_NAME = "incident-response-env";
export const ENVIRONMENT_VERSION = "0.1.0";

export interface EnvironmentOptions {
  limits?: Partial<Limits>;
  streamLimits?: Partial<StreamLimits>;
  /** Wall clock for idle-episode bookkeeping (tests pass a fake one); defaults to clock.now. */
  now?: () => number;
  /** Wall clock and timers of live episodes and of the stream stall watchdog (tests pass a fake one). */
  clock?: Clock;
}

export type { StreamName, StreamOptions } from "./api.js";

/**
 * The environment with its episodes in this process's memory: every answer is immediate.
 * The server runs one of these per worker thread (src/env/workers), or alone with WORKERS=1.
 */
export class IncidentEnvironment implements EnvironmentApi, StateTextEnvironment {
  readonly limits: Limits;
  readonly streamLimits: StreamLimits;
  readonly clock: Clock;
  private readonly store: EpisodeStore<EpisodeHandle>;
  private readonly warm: WarmEpisodes;
  private readonly subscriptions: Subscriptions;
  private readonly stateTexts = new StateTexts();

  constructor(options: EnvironmentOptions = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.streamLimits = { ...DEFAULT_STREAM_LIMITS, ...options.streamLimits };
    this.clock = options.clock ?? systemClock;
    const clock = this.clock;
    this.store = new EpisodeStore(this.limits.maxLiveEpisodes, this.limits.episodeIdleTtlMs, options.now ?? (() => clock.now()));
    this.subscriptions = new Subscriptions(this.streamLimits.maxSubscribersPerEpisode, this.streamLimits.streamStallTimeoutMs, this.clock);
    this.warm = new WarmEpisodes(
      this.limits.warmEpisodes,
      (episode) => !episode.isLive && this.subscriptions.count(episode) === 0,
      (recipe) => this.rebuild(recipe),
    );
  }

  /** The episode with this id (or the default one), built. */
  private episode(id: string | undefined): Episode {
    return this.warm.episodeOf(this.store.get(id));
  }

  /** A new episode for a reset request whose world is built. */
  private newEpisode(id: string, level: Level, seed: number, world: IncidentWorld, request: ResetRequest): Episode {
    const live = request.clock === ClockMode.LIVE ? liveRate(request.minutesPerSecond) : undefined;
    return new Episode(id, TASKS[level], seed, world, {
      maxLogLines: this.limits.maxLogLinesPerEpisode,
      maxEvents: this.streamLimits.maxEventsPerEpisode,
      ...(live !== undefined ? { live: { minutesPerSecond: live, clock: this.clock, maxMinutes: this.limits.liveEpisodeMaxMinutes } } : {}),
      detail: request.observation === ObservationDetail.FULL ? "full" : "lean",
      text: request.text === true,
    });
  }

  /** An episode that slept, rebuilt from its reset request and actions (never a live one: those do not sleep). */
  private rebuild(recipe: EpisodeRecipe): Episode {
    const { level, world, seed } = IncidentEnvironment.buildWorld(recipe.reset);
    const episode = this.newEpisode(recipe.reset.episodeId ?? "", level, seed, world, recipe.reset);
    for (const action of recipe.actions) episode.step(action);
    return episode;
  }

  health(): HealthResponse {
    return create(HealthResponseSchema, {
      status: HealthStatus.HEALTHY,
      environment: ENVIRONMENT_NAME,
      version: ENVIRONMENT_VERSION,
      liveEpisodes: this.store.size,
      maxLiveEpisodes: this.store.capacity,
      liveStreams: this.subscriptions.size,
    });
  }

  listTasks(): ListTasksResponse {
    return create(ListTasksResponseSchema, {
      tasks: LEVELS.map((level) => {
        const task = TASKS[level];
        return {
          name: level,
          difficulty: levelToEnum(level),
          description: task.description,
          objective: task.objective,
          maxSteps: task.maxSteps,
          scoreThreshold: task.scoreThreshold,
          scenarioIds: PRESETS.filter((p) => p.level === level).map((p) => p.id),
          grader: task.grader,
          minutesPerStep: task.minutesPerStep,
        };
      }),
    });
  }

  listScenarios(): ListScenariosResponse {
    return create(ListScenariosResponseSchema, {
      families: FAMILIES.map((f) => ({ name: f.name, description: f.description })),
      faultModes: FAULT_KINDS.map((kind) => {
        const fault = FAULTS[kind];
        return {
          kind: enumFromWord(FaultKind, kind) ?? FaultKind.UNSPECIFIED,
          title: fault.title,
          injectable: [...fault.injectable, ...(fault.occasionalHosts ?? [])].map(
            (k) => enumFromWord(ServiceKind, k) ?? ServiceKind.UNSPECIFIED,
          ),
          trigger: fault.trigger.event,
        };
      }),
      presets: PRESETS.map((p) => ({
        scenarioId: p.id,
        level: levelToEnum(p.level),
        title: p.title,
        faultKind: enumFromWord(FaultKind, p.fault.kind) ?? FaultKind.UNSPECIFIED,
      })),
      seedRanges: Object.entries(SEED_RANGES).map(([name, r]) => ({ name, first: r.first, last: r.last, purpose: r.purpose })),
      levels: LEVELS.map((level) => {
        const profile = LEVEL_PROFILES[level];
        return {
          level: levelToEnum(level),
          minServices: profile.minServices,
          maxServices: profile.maxServices,
          distractors: profile.distractors,
        };
      }),
    });
  }

  reset(request: ResetRequest): ResetResponse {
    const { level, world, seed } = IncidentEnvironment.buildWorld(request);
    const id = request.episodeId ?? randomUUID();
    this.store.reserve(id, request.episodeId === undefined);
    const episode = this.newEpisode(id, level, seed, world, request);
    this.store.put(this.warm.adopt(id, resolvedReset(request, seed, id), episode), request.episodeId === undefined);
    return leanResetResponse(episode.observe(true), false, id, episode.state());
  }

  step(request: StepRequest): StepResponse {
    if (!request.action)
      throw new EnvError("invalid_argument", "action is required", [{ field: "action", rule: "required", message: "value is required" }]);
    const episode = this.episode(request.episodeId);
    const outcome = episode.step(request.action);
    return leanStepResponse(outcome.observation, outcome.reward, outcome.done, outcome.info, episode.id);
  }

  resetMany(requests: readonly ResetRequest[]): Outcome<ResetResponse>[] {
    return requests.map((request) => settle(() => this.reset(request)));
  }

  stepMany(requests: readonly StepRequest[]): Outcome<StepResponse>[] {
    return requests.map((request) => settle(() => this.step(request)));
  }

  /** The current observation, complete: the topology and the KB articles included. */
  getObservation(request: GetObservationRequest): GetObservationResponse {
    const episode = this.episode(request.episodeId);
    return create(GetObservationResponseSchema, { observation: episode.observe(true), done: episode.done, episodeId: episode.id });
  }

  getState(request: GetStateRequest): GetStateResponse {
    return create(GetStateResponseSchema, { state: this.episode(request.episodeId).state() });
  }

  /** The state's REST JSON text, made once per change of the episode (src/env/state-text.ts). */
  stateText(request: GetStateRequest): string {
    return this.stateTexts.of(this.episode(request.episodeId));
  }

  closeEpisode(request: CloseEpisodeRequest): CloseEpisodeResponse {
    // Built first: closing appends the final status event to its journals.
    const episode = this.episode(request.episodeId);
    this.store.close(episode.id);
    return create(CloseEpisodeResponseSchema, { state: episode.state() });
  }

  listEpisodes(query: EpisodeListQuery): ListEpisodesResponse {
    const matching = this.store.recent().filter(({ episode }) => episode.id.startsWith(query.idPrefix));
    const episodes = matching.slice(0, query.limit).flatMap(({ episode, lastUsedMs }) => {
      const state = episode.currentState();
      return state === undefined ? [] : [summaryOf(state, lastUsedMs)];
    });
    return create(ListEpisodesResponseSchema, { episodes, truncated: matching.length > query.limit });
  }

  /**
   * The episode's log lines after `after_seq` that pass the filters, then each new one, until the
   * episode ends or is closed, the signal aborts, or the client stalls. Checks (episode exists, a
   * stream slot is free) happen at the call, before anything is sent.
   */
  streamLogs(request: StreamLogsRequest, options: StreamOptions = {}): AsyncGenerator<StreamLogsResponse> {
    const episode = this.episode(request.episodeId);
    const keep = logFilter(request.services, request.minLevel, request.since ? timestampMs(request.since) : undefined);
    return this.follow(episode, episode.logs, request.afterSeq, options, (item) => {
      if (item.gap)
        return create(StreamLogsResponseSchema, {
          gap: create(StreamGapSchema, { firstMissingSeq: item.gap.first, lastMissingSeq: item.gap.last }),
        });
      const entry = episode.logEntryOf(item.entry);
      return keep(entry) ? create(StreamLogsResponseSchema, { entry }) : undefined;
    });
  }

  /**
   * The episode's events (log lines, metric readings, status changes, steps) after `after_seq`
   * that pass the filters, then each new one; ends like streamLogs. A gap is an event too.
   */
  streamEpisodeEvents(request: StreamEpisodeEventsRequest, options: StreamOptions = {}): AsyncGenerator<StreamEpisodeEventsResponse> {
    const episode = this.episode(request.episodeId);
    const keep = eventFilter(request);
    return this.follow(episode, episode.events, request.afterSeq, options, (item) => {
      if (item.gap) {
        const gap = create(StreamGapSchema, { firstMissingSeq: item.gap.first, lastMissingSeq: item.gap.last });
        return create(StreamEpisodeEventsResponseSchema, { event: { seq: item.gap.last, kind: { case: "gap", value: gap } } });
      }
      const event = episode.eventOf(item.entry, item.seq, item.stamp);
      return keep(event) ? create(StreamEpisodeEventsResponseSchema, { event }) : undefined;
    });
  }

  /**
   * True when the episode is over and its stream has nothing after `afterSeq`: a client resuming
   * there would get nothing (SSE answers 204 so that EventSource stops reconnecting).
   */
  streamIsOver(episodeId: string | undefined, stream: StreamName, afterSeq: number): boolean {
    const journal = this.episode(episodeId)[stream];
    return journal.isClosed && journal.nextSeq - 1 <= afterSeq;
  }

  /** Open streams of an episode (for tests and operators). */
  streamsOf(episodeId: string): number {
    const handle = this.store.get(episodeId);
    return handle.warm ? this.subscriptions.count(handle.warm) : 0;
  }

  /**
   * Follows a journal for one subscriber: takes a stream slot now (or throws), then yields the
   * mapped items (undefined: filtered out). The slot is freed when the reader finishes, the signal
   * aborts, or the stall watchdog drops the subscriber.
   */
  private follow<T, R>(
    episode: Episode,
    journal: Journal<T>,
    afterSeq: number,
    options: StreamOptions,
    map: (item: JournalItem<T>) => R | undefined,
  ): AsyncGenerator<R> {
    const { signal, onEnd } = options;
    if (signal?.aborted) return (async function* () {})(); // the client is already gone
    episode.catchUp(); // a live clock's minutes due so far, before the stream starts
    const subscription = this.subscriptions.open(episode, options.onStall);
    // While the stream lasts, a live clock runs on a timer (Episode.watch).
    const unwatch = episode.watch();
    const release = (): void => {
      subscription.release();
      unwatch();
    };
    signal?.addEventListener("abort", release, { once: true });
    return (async function* () {
      try {
        for await (const item of journal.read(afterSeq, signal)) {
          if (subscription.released) return;
          const message = map(item);
          if (message === undefined) continue;
          subscription.park();
          yield message;
          subscription.unpark();
        }
        if (journal.isClosed && !signal?.aborted && !subscription.released) onEnd?.(journal.nextSeq - 1);
      } finally {
        signal?.removeEventListener("abort", release);
        release();
      }
    })();
  }

  /**
   * The episode's full record, ground truth included. For in-process tools (the oracle,
   * benchmarks, tests); no transport exposes it to agents.
   */
  episodeRecord(episodeId: string): EpisodeRecord {
    return this.episode(episodeId).record();
  }

  /** Episodes built now, and rebuilds of sleeping ones since start (WARM_EPISODES; operators and tests). */
  warmStats(): { warm: number; rebuilt: number } {
    return { warm: this.warm.size, rebuilt: this.warm.rebuilt };
  }

  /** Evicts idle episodes now; the server calls this on a timer. */
  sweep(): number {
    return this.store.evictIdle();
  }

  /** Closes every episode: live clocks stop and streams end. */
  async shutdown(): Promise<void> {
    this.store.closeAll();
  }

  /** A preset named by scenario_id, or an incident generated from the level, seed and options (the shared store rebuilds episodes with it). */
  static buildWorld(request: ResetRequest): { level: Level; world: IncidentWorld; seed: number } {
    const seed = request.seed ?? randomInt(SEED_RANGES.public.first, SEED_RANGES.public.last);
    const askedLevel = request.taskLevel !== undefined ? levelFromEnum(request.taskLevel) : undefined;
    if (request.taskLevel !== undefined && askedLevel === undefined) {
      throw new EnvError("invalid_argument", "task_level must be one of easy, medium, hard", [
        { field: "task_level", rule: "enum.defined_only", message: "must be easy, medium or hard" },
      ]);
    }
    if (request.scenarioId !== undefined) {
      const preset = findPreset(request.scenarioId);
      if (!preset) {
        throw new EnvError("invalid_argument", `unknown scenario_id "${request.scenarioId}"`, [
          {
            field: "scenario_id",
            rule: "scenario.exists",
            message: `presets: ${PRESETS.map((p) => p.id).join(", ")}; other episodes are generated from task_level and seed`,
          },
        ]);
      }
      if (askedLevel !== undefined && preset.level !== askedLevel) {
        throw new EnvError("invalid_argument", `scenario ${preset.id} is a ${preset.level} scenario, not ${askedLevel}`, [
          {
            field: "scenario_id",
            rule: "scenario.level",
            message: `${askedLevel} presets: ${PRESETS.filter((p) => p.level === askedLevel)
              .map((p) => p.id)
              .join(", ")}`,
          },
        ]);
      }
      return { level: preset.level, world: new IncidentWorld(preset, seed), seed };
    }
    const level = askedLevel ?? "easy";
    const faultKind =
      request.faultKind !== undefined ? (wordFromEnum(FaultKind, request.faultKind) as FaultKindWord | undefined) : undefined;
    if (request.faultKind !== undefined && faultKind === undefined) {
      throw new EnvError("invalid_argument", "unknown fault_kind", [
        { field: "fault_kind", rule: "enum.defined_only", message: "see ListScenarios for the fault modes" },
      ]);
    }
    if (request.family !== undefined && !familyByName(request.family)) {
      throw new EnvError("invalid_argument", `unknown family "${request.family}"`, [
        { field: "family", rule: "family.exists", message: `families: ${FAMILIES.map((f) => f.name).join(", ")}` },
      ]);
    }
    try {
      const generated = generateIncident(level, seed, {
        ...(faultKind !== undefined ? { faultKind } : {}),
        ...(request.family !== undefined ? { family: request.family } : {}),
      });
      return { level, world: generated.world, seed };
    } catch (error) {
      if (error instanceof GenerationError)
        throw new EnvError("invalid_argument", error.message, [{ field: "fault_kind", rule: "scenario.generate", message: error.message }]);
      throw error;
    }
  }
}

function settle<T>(run: () => T): Outcome<T> {
  try {
    return { ok: true, value: run() };
  } catch (error) {
    return { ok: false, error: asEnvError(error) };
  }
}

/** The rate of a live clock; the proto rules already require it, this names the error if a caller skipped them. */
function liveRate(minutesPerSecond: number | undefined): number {
  if (minutesPerSecond === undefined || !(minutesPerSecond > 0 && minutesPerSecond <= 60)) {
    throw new EnvError("invalid_argument", "clock live needs minutes_per_second (above 0, at most 60)", [
      { field: "minutes_per_second", rule: "reset.live_clock_rate", message: "required for clock live: above 0, at most 60" },
    ]);
  }
  return minutesPerSecond;
}

export function logFilter(
  services: readonly string[],
  minLevel: LogLevel | undefined,
  sinceMs: number | undefined,
): (entry: LogEntry) => boolean {
  const only = services.length > 0 ? new Set(services) : undefined;
  return (entry) =>
    (only === undefined || only.has(entry.service)) &&
    (minLevel === undefined || entry.level >= minLevel) &&
    (sinceMs === undefined || (entry.timestamp !== undefined && timestampMs(entry.timestamp) >= sinceMs));
}

const KIND_OF_CASE: Readonly<Record<string, EpisodeEventKind>> = {
  log: EpisodeEventKind.LOG,
  metric: EpisodeEventKind.METRIC,
  status: EpisodeEventKind.STATUS,
  step: EpisodeEventKind.STEP,
};

export function eventFilter(request: StreamEpisodeEventsRequest): (event: EpisodeEvent) => boolean {
  const kinds = request.kinds.length > 0 ? new Set(request.kinds) : undefined;
  const only = request.services.length > 0 ? new Set(request.services) : undefined;
  const sinceMs = request.since ? timestampMs(request.since) : undefined;
  const minLevel = request.minLevel;
  return (event) => {
    const kind = event.kind.case === undefined ? undefined : KIND_OF_CASE[event.kind.case];
    if (kinds !== undefined && (kind === undefined || !kinds.has(kind))) return false;
    if (sinceMs !== undefined && event.timestamp !== undefined && timestampMs(event.timestamp) < sinceMs) return false;
    switch (event.kind.case) {
      case "log":
        return (only === undefined || only.has(event.kind.value.service)) && (minLevel === undefined || event.kind.value.level >= minLevel);
      case "metric":
        return only === undefined || only.has(event.kind.value.serviceName);
      default:
        return true;
    }
  };
}
