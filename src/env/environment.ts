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
import { randomInt, randomUUID } from "node:crypto";
import { HealthStatus } from "../../gen/incident/v1/enums_pb.js";
import {
  CloseEpisodeResponseSchema,
  ListScenariosResponseSchema,
  GetStateResponseSchema,
  HealthResponseSchema,
  ListTasksResponseSchema,
  ResetResponseSchema,
  StepResponseSchema,
  StreamLogsResponseSchema,
  type CloseEpisodeRequest,
  type CloseEpisodeResponse,
  type GetStateRequest,
  type GetStateResponse,
  type HealthResponse,
  type ListScenariosResponse,
  type ListTasksResponse,
  type ResetRequest,
  type ResetResponse,
  type StepRequest,
  type StepResponse,
  type StreamLogsRequest,
  type StreamLogsResponse,
} from "../../gen/incident/v1/service_pb.js";
import { FaultKind, ServiceKind } from "../../gen/incident/v1/enums_pb.js";
import { FAMILIES, familyByName } from "../scenarios/families/index.js";
import type { FaultKind as FaultKindWord } from "../scenarios/fault-types.js";
import { FAULTS, FAULT_KINDS } from "../scenarios/faults/index.js";
import { GenerationError, generateIncident } from "../scenarios/generate-incident.js";
import { PRESETS, findPreset } from "../scenarios/incidents/index.js";
import { LEVEL_PROFILES, SEED_RANGES } from "../scenarios/levels.js";
import type { Level } from "../scenarios/types.js";
import { IncidentWorld } from "../sim/incident-world.js";
import { enumFromWord, wordFromEnum } from "./enum-words.js";
import type { EpisodeRecord } from "../grading/record.js";
import { Episode } from "./episode.js";
import { EpisodeStore } from "./episode-store.js";
import { EnvError } from "./errors.js";
import { DEFAULT_LIMITS, type Limits } from "./limits.js";
import { levelFromEnum, levelToEnum } from "./levels.js";
import { LEVELS, TASKS } from "./tasks.js";

export const ENVIRONMENT_NAME = "incident-response-env";
export const ENVIRONMENT_VERSION = "0.1.0";

export interface EnvironmentOptions {
  limits?: Partial<Limits>;
  /** Wall clock for idle-episode bookkeeping (tests pass a fake one). */
  now?: () => number;
}

export class IncidentEnvironment {
  readonly limits: Limits;
  private readonly store: EpisodeStore;

  constructor(options: EnvironmentOptions = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.store = new EpisodeStore(this.limits.maxLiveEpisodes, this.limits.episodeIdleTtlMs, options.now);
  }

  health(): HealthResponse {
    return create(HealthResponseSchema, {
      status: HealthStatus.HEALTHY,
      environment: ENVIRONMENT_NAME,
      version: ENVIRONMENT_VERSION,
      liveEpisodes: this.store.size,
      maxLiveEpisodes: this.store.capacity,
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
          injectable: fault.injectable.map((k) => enumFromWord(ServiceKind, k) ?? ServiceKind.UNSPECIFIED),
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
        return { level: levelToEnum(level), minServices: profile.minServices, maxServices: profile.maxServices, distractors: profile.distractors };
      }),
    });
  }

  reset(request: ResetRequest): ResetResponse {
    const { level, world, seed } = this.buildWorld(request);
    const id = request.episodeId ?? randomUUID();
    this.store.reserve(id);
    const episode = new Episode(id, TASKS[level], seed, world, this.limits.maxLogLinesPerEpisode);
    this.store.put(episode, request.episodeId === undefined);
    return create(ResetResponseSchema, {
      observation: episode.observe(),
      done: false,
      episodeId: id,
      state: episode.state(),
    });
  }

  step(request: StepRequest): StepResponse {
    if (!request.action) throw new EnvError("invalid_argument", "action is required", [{ field: "action", rule: "required", message: "value is required" }]);
    const episode = this.store.get(request.episodeId);
    const outcome = episode.step(request.action);
    return create(StepResponseSchema, { ...outcome, episodeId: episode.id });
  }

  getState(request: GetStateRequest): GetStateResponse {
    return create(GetStateResponseSchema, { state: this.store.get(request.episodeId).state() });
  }

  closeEpisode(request: CloseEpisodeRequest): CloseEpisodeResponse {
    const episode = this.store.close(request.episodeId);
    return create(CloseEpisodeResponseSchema, { state: episode.state() });
  }

  /** The episode's log lines so far, then each new one, until it ends, is closed, or the signal aborts. */
  async *streamLogs(request: StreamLogsRequest, signal?: AbortSignal): AsyncGenerator<StreamLogsResponse> {
    const episode = this.store.get(request.episodeId);
    for await (const entry of episode.journal.follow(0, signal)) {
      yield create(StreamLogsResponseSchema, { entry });
    }
  }

  /**
   * The episode's full record, ground truth included. For in-process tools (the oracle,
   * benchmarks, tests); no transport exposes it to agents.
   */
  episodeRecord(episodeId: string): EpisodeRecord {
    return this.store.get(episodeId).record();
  }

  /** Evicts idle episodes now; the server calls this on a timer. */
  sweep(): number {
    return this.store.evictIdle();
  }

  /** A preset named by scenario_id, or an incident generated from the level, seed and options. */
  private buildWorld(request: ResetRequest): { level: Level; world: IncidentWorld; seed: number } {
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
          { field: "scenario_id", rule: "scenario.exists", message: `presets: ${PRESETS.map((p) => p.id).join(", ")}; other episodes are generated from task_level and seed` },
        ]);
      }
      if (askedLevel !== undefined && preset.level !== askedLevel) {
        throw new EnvError("invalid_argument", `scenario ${preset.id} is a ${preset.level} scenario, not ${askedLevel}`, [
          { field: "scenario_id", rule: "scenario.level", message: `${askedLevel} presets: ${PRESETS.filter((p) => p.level === askedLevel).map((p) => p.id).join(", ")}` },
        ]);
      }
      return { level: preset.level, world: new IncidentWorld(preset, seed), seed };
    }
    const level = askedLevel ?? "easy";
    const faultKind = request.faultKind !== undefined ? (wordFromEnum(FaultKind, request.faultKind) as FaultKindWord | undefined) : undefined;
    if (request.faultKind !== undefined && faultKind === undefined) {
      throw new EnvError("invalid_argument", "unknown fault_kind", [{ field: "fault_kind", rule: "enum.defined_only", message: "see ListScenarios for the fault modes" }]);
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
      if (error instanceof GenerationError) throw new EnvError("invalid_argument", error.message, [{ field: "fault_kind", rule: "scenario.generate", message: error.message }]);
      throw error;
    }
  }

}
