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
  type ListTasksResponse,
  type ResetRequest,
  type ResetResponse,
  type StepRequest,
  type StepResponse,
  type StreamLogsRequest,
  type StreamLogsResponse,
} from "../../gen/incident/v1/service_pb.js";
import { findScenario, scenariosFor } from "../scenarios/catalog.js";
import type { Level, ScenarioTemplate } from "../scenarios/types.js";
import { Rng } from "../sim/prng.js";
import { ScenarioWorld } from "../sim/scenario-world.js";
import type { World } from "../sim/world.js";
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
  /** Builds the world for a scenario; replaceable so a fuller simulator can slot in. */
  createWorld?: (template: ScenarioTemplate, seed: number) => World;
}

export class IncidentEnvironment {
  readonly limits: Limits;
  private readonly store: EpisodeStore;
  private readonly createWorld: (template: ScenarioTemplate, seed: number) => World;

  constructor(options: EnvironmentOptions = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.store = new EpisodeStore(this.limits.maxLiveEpisodes, this.limits.episodeIdleTtlMs, options.now);
    this.createWorld = options.createWorld ?? ((template, seed) => new ScenarioWorld(template, seed));
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
          scenarioIds: scenariosFor(level).map((s) => s.id),
          grader: task.grader.name,
          minutesPerStep: task.minutesPerStep,
        };
      }),
    });
  }

  reset(request: ResetRequest): ResetResponse {
    const { level, template, seed } = this.chooseScenario(request);
    const id = request.episodeId ?? randomUUID();
    this.store.reserve(id);
    const task = TASKS[level];
    const episode = new Episode(id, task, template, seed, this.createWorld(template, seed), this.limits.maxLogLinesPerEpisode);
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

  /** Evicts idle episodes now; the server calls this on a timer. */
  sweep(): number {
    return this.store.evictIdle();
  }

  private chooseScenario(request: ResetRequest): { level: Level; template: ScenarioTemplate; seed: number } {
    const seed = request.seed ?? randomInt(0, 2 ** 32 - 1);
    const askedLevel = request.taskLevel !== undefined ? levelFromEnum(request.taskLevel) : undefined;
    if (request.taskLevel !== undefined && askedLevel === undefined) {
      throw new EnvError("invalid_argument", "task_level must be one of easy, medium, hard", [
        { field: "task_level", rule: "enum.defined_only", message: "must be easy, medium or hard" },
      ]);
    }
    if (request.scenarioId !== undefined) {
      const template = findScenario(request.scenarioId);
      if (!template) {
        throw new EnvError("invalid_argument", `unknown scenario_id "${request.scenarioId}"`, [
          { field: "scenario_id", rule: "scenario.exists", message: `known scenarios: ${this.scenarioIds().join(", ")}` },
        ]);
      }
      if (askedLevel !== undefined && template.level !== askedLevel) {
        throw new EnvError("invalid_argument", `scenario ${template.id} is a ${template.level} scenario, not ${askedLevel}`, [
          { field: "scenario_id", rule: "scenario.level", message: `${askedLevel} scenarios: ${scenariosFor(askedLevel).map((s) => s.id).join(", ")}` },
        ]);
      }
      return { level: template.level, template, seed };
    }
    const level = askedLevel ?? "easy";
    const candidates = scenariosFor(level);
    if (candidates.length === 0) throw new EnvError("internal", `no scenarios for level ${level}`);
    return { level, template: new Rng(seed).fork("scenario").pick(candidates), seed };
  }

  private scenarioIds(): string[] {
    return LEVELS.flatMap((l) => scenariosFor(l).map((s) => s.id));
  }
}
