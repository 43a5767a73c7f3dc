/**
 * The evaluation runner: plays an agent over tasks x seeds, N episodes at a time, in process or
 * against a server, and returns one outcome (and optionally one trajectory) per episode.
 *
 * Episodes have explicit ids (`<prefix>-<task>-<seed>`), so concurrent episodes never share
 * state, and each is closed when it ends. In process, concurrency interleaves episodes on one
 * event loop (the environment is synchronous and fast; a model behind HTTP is what benefits);
 * over the network, N episodes are in flight at once.
 *
 * An agent that cannot play at all (AgentUnavailableError: its model endpoint is unreachable or
 * refuses it) stops the run: the episodes not yet started are not played, and count as errors.
 */
import { create } from "@bufbuild/protobuf";
import { ActionType, EpisodeStatus, FaultKind } from "../../gen/incident/v1/enums_pb.js";
import { enumFromWord, wordFromEnum } from "../sim/enum-words.js";
import { ObservationSchema } from "../../gen/incident/v1/observation_pb.js";
import { ResetRequestSchema, StepRequestSchema } from "../../gen/incident/v1/service_pb.js";
import { AgentUnavailableError } from "../agents/agent.js";
import type { AgentEntry } from "../agents/registry.js";
import type { EpisodeRecord } from "../grading/record.js";
import type { TaskWord } from "./args.js";
import type { EnvBackend } from "./backend.js";
import { UNKNOWN_FAULT, type EpisodeOutcome } from "./results.js";
import { withUnchangingParts } from "../agents/observation-memory.js";
import { levelToEnum } from "../env/levels.js";
import { newTrajectory, observationJson, stepJson, type Trajectory } from "./trajectory.js";

/** No task allows this many steps; an episode that gets here is stopped. */
const STEP_GUARD = 200;

export function faultWord(kind: FaultKind | undefined): string | undefined {
  if (kind === undefined || kind === FaultKind.UNSPECIFIED) return undefined;
  return wordFromEnum(FaultKind, kind);
}

export function faultKindFromWord(word: string): FaultKind | undefined {
  const value = enumFromWord(FaultKind, word.trim());
  return value !== FaultKind.UNSPECIFIED ? value : undefined;
}

function actionWord(type: ActionType): string {
  return wordFromEnum(ActionType, type) ?? "unknown";
}

/** What the OpenEnv log lines of one episode need. */
export interface EpisodeLog {
  task: TaskWord;
  actions: string[];
  rewards: number[];
  dones: boolean[];
  error: string | undefined;
}

interface EpisodeReport {
  index: number;
  outcome: EpisodeOutcome;
  trajectory: Trajectory | undefined;
  log: EpisodeLog;
}

interface RunOptions {
  agent: AgentEntry;
  backend: EnvBackend;
  tasks: readonly TaskWord[];
  seeds: readonly number[];
  concurrency: number;
  /** Pins the fault mode of every episode (the seed still picks everything else). */
  faultKind?: FaultKind | undefined;
  episodeIdPrefix: string;
  trajectories: boolean;
  /** Called as each episode ends (in completion order; `index` is its place in task-then-seed order). */
  onEpisode?: (report: EpisodeReport) => void;
}

interface RunResult {
  outcomes: EpisodeOutcome[];
  agentStats: Record<string, number> | undefined;
  /** Why the agent could not play (the first AgentUnavailableError), if it could not: the run stopped there. */
  agentUnavailable?: string;
}

/** Fault mode of each preset scenario, from ListScenarios (what a remote run can know). */
async function presetFaults(backend: EnvBackend): Promise<Map<string, string>> {
  const scenarios = await backend.listScenarios();
  return new Map(scenarios.presets.map((p) => [p.scenarioId, faultWord(p.faultKind) ?? UNKNOWN_FAULT]));
}

export async function runEvaluation(options: RunOptions): Promise<RunResult> {
  const { backend, agent } = options;
  const presets = backend.record ? new Map<string, string>() : await presetFaults(backend);
  const jobs = options.tasks.flatMap((task) => options.seeds.map((seed) => ({ task, seed })));
  const outcomes: EpisodeOutcome[] = new Array<EpisodeOutcome>(jobs.length);
  const stats = new Map<string, number>();
  let next = 0;
  let unavailable: string | undefined;

  /** An episode not played because the agent became unavailable: an error, reported like any other. */
  const notPlayed = (index: number, task: TaskWord, seed: number, why: string): void => {
    const error = `not played: ${why}`;
    const outcome: EpisodeOutcome = { ...blankOutcome(task, seed, "not_played"), error };
    outcomes[index] = outcome;
    // No trajectory: there is nothing to replay.
    options.onEpisode?.({ index, outcome, trajectory: undefined, log: { task, actions: [], rewards: [], dones: [], error } });
  };

  const play = async (index: number, task: TaskWord, seed: number): Promise<void> => {
    if (unavailable !== undefined) return notPlayed(index, task, seed, unavailable);
    const episodeId = `${options.episodeIdPrefix}-${task}-${seed}`;
    const reset = create(ResetRequestSchema, {
      taskLevel: levelToEnum(task),
      seed,
      episodeId,
      ...(options.faultKind !== undefined ? { faultKind: options.faultKind } : {}),
    });
    const trajectory = options.trajectories ? newTrajectory(agent.name, task, seed, reset) : undefined;
    const log: EpisodeLog = { task, actions: [], rewards: [], dones: [], error: undefined };
    const outcome = blankOutcome(task, seed, "running");
    let started = false;
    try {
      const start = await backend.reset(reset);
      started = true;
      outcome.scenario_id = start.state?.scenarioId ?? "";
      const readRecord = backend.record?.bind(backend);
      const record = readRecord ? (): EpisodeRecord => readRecord(episodeId) : undefined;
      outcome.fault = record
        ? record().spec.fault.kind
        : (faultWord(options.faultKind) ?? presets.get(outcome.scenario_id) ?? UNKNOWN_FAULT);
      if (trajectory) {
        trajectory.scenario_id = outcome.scenario_id;
        trajectory.fault = outcome.fault;
        trajectory.observation = observationJson(start.observation);
      }
      const player = agent.make({ task, seed, episodeId, ...(record ? { record } : {}) });
      const first = start.observation ?? create(ObservationSchema);
      let observation = first;
      for (let i = 0; i < STEP_GUARD; i++) {
        const action = await player.act(observation);
        const step = await backend.step(create(StepRequestSchema, { episodeId, action }));
        log.actions.push(actionWord(action.actionType));
        log.rewards.push(step.reward);
        log.dones.push(step.done);
        trajectory?.steps.push(stepJson(action, step));
        outcome.rewards.push(step.reward);
        outcome.steps++;
        outcome.score = step.info?.totalEpisodeScore ?? outcome.score;
        outcome.status = wordFromEnum(EpisodeStatus, step.info?.status ?? EpisodeStatus.RUNNING) ?? "running";
        outcome.success = step.info?.status === EpisodeStatus.TERMINATED_SUCCESS;
        outcome.truncated = step.info?.truncated ?? false;
        const breakdown = step.info?.breakdown;
        if (breakdown) outcome.components = Object.fromEntries(breakdown.components.map((c) => [c.name, c.score]));
        observation = step.observation ? withUnchangingParts(step.observation, first) : observation;
        if (step.done) break;
      }
      for (const [k, v] of Object.entries(player.stats?.() ?? {})) stats.set(k, (stats.get(k) ?? 0) + v);
    } catch (e) {
      const message = (e instanceof Error ? e.message : String(e)).replace(/\s+/g, " ").trim();
      if (e instanceof AgentUnavailableError) unavailable ??= message;
      outcome.error = message;
      log.error = message;
      if (trajectory) trajectory.error = message;
    } finally {
      if (started) await backend.close(episodeId).catch(() => undefined);
    }
    if (trajectory) {
      trajectory.score = outcome.score;
      trajectory.status = outcome.status;
      trajectory.truncated = outcome.truncated;
    }
    outcomes[index] = outcome;
    options.onEpisode?.({ index, outcome, trajectory, log });
  };

  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const index = next++;
      const job = jobs[index];
      if (job) await play(index, job.task, job.seed);
      // Let timers (the progress bar) and signals run between in-process episodes.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, jobs.length)) }, worker));
  return {
    outcomes,
    agentStats: stats.size > 0 ? Object.fromEntries([...stats].sort(([a], [b]) => a.localeCompare(b))) : undefined,
    ...(unavailable !== undefined ? { agentUnavailable: unavailable } : {}),
  };
}

/** Writes items in index order as they arrive out of order (trajectory files stay in task-then-seed order). */
export class OrderedWriter<T> {
  private readonly pending = new Map<number, T>();
  private nextIndex = 0;
  constructor(private readonly write: (item: T) => void) {}
  push(index: number, item: T): void {
    this.pending.set(index, item);
    for (let item2 = this.pending.get(this.nextIndex); item2 !== undefined; item2 = this.pending.get(this.nextIndex)) {
      this.pending.delete(this.nextIndex);
      this.nextIndex++;
      this.write(item2);
    }
  }
}

/** An episode's outcome before anything is known of it: no score, no steps, its fault unknown. */
function blankOutcome(task: TaskWord, seed: number, status: string): EpisodeOutcome {
  return {
    task,
    seed,
    scenario_id: "",
    fault: UNKNOWN_FAULT,
    score: 0,
    steps: 0,
    success: false,
    status,
    truncated: false,
    rewards: [],
  };
}
