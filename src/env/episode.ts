/**
 * One incident episode: a world, a task, the agent's history and the score.
 *
 * Observes: the page (alert), current metric readings, the last 20 log lines, the KB articles,
 *   the incident status, the agent's previous actions, simulated minutes elapsed, and feedback on
 *   the last action.
 * Acts: one Action per step. apply_fix changes the world (the right fix on the right service
 *   heals it; a harmful one makes it worse); every step lets simulated time pass.
 * Rewarded: each step is graded by the task's grader, discounted for time (x0.95 per step
 *   beyond the third); the episode score is the best discounted grade so far, and the reward is
 *   the increase of the score, so rewards are in [0, 1] and sum to the score.
 * Ends: when the score reaches the task threshold (success), on a committing action (easy:
 *   diagnose), on resolve, or when the step budget runs out (truncated). `done` and `status`
 *   are derived from the same facts and always agree.
 */
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import type { Action } from "../../gen/incident/v1/action_pb.js";
import { ActionType, EpisodeStatus, IncidentStatus, LogLevel, Severity } from "../../gen/incident/v1/enums_pb.js";
import { EpisodeStateSchema, GradeBreakdownSchema, StepInfoSchema, type EpisodeState, type StepInfo } from "../../gen/incident/v1/episode_pb.js";
import { LogEntrySchema, ObservationSchema, type LogEntry, type Observation } from "../../gen/incident/v1/observation_pb.js";
import { profile } from "../grading/concepts.js";
import { roundScore, timeDiscount, type Grade } from "../grading/grade.js";
import type { ScenarioTemplate } from "../scenarios/types.js";
import type { World, WorldLogLine } from "../sim/world.js";
import { EnvError } from "./errors.js";
import { levelToEnum } from "./levels.js";
import { LogJournal } from "./log-journal.js";
import type { TaskDefinition } from "./tasks.js";

const RECENT_LOG_LINES = 20;
const REASONING_IN_HISTORY = 200;

export interface StepOutcome {
  observation: Observation;
  reward: number;
  done: boolean;
  info: StepInfo;
}

export class Episode {
  private stepCount = 0;
  private score = 0;
  private status = EpisodeStatus.RUNNING;
  private truncated = false;
  private investigated = false;
  private feedback = "You have been paged. Read the alert, metrics, logs and KB articles.";
  private readonly previousActions: string[] = [];
  private readonly history: Action[] = [];
  readonly journal: LogJournal;

  constructor(
    readonly id: string,
    readonly task: TaskDefinition,
    readonly template: ScenarioTemplate,
    readonly seed: number,
    private readonly world: World,
    maxLogLines: number,
  ) {
    this.journal = new LogJournal(maxLogLines);
    this.journal.append(world.openingLogs().map((line) => this.toLogEntry(line)));
  }

  get done(): boolean {
    return this.status !== EpisodeStatus.RUNNING;
  }

  observe(): Observation {
    const w = this.world;
    return create(ObservationSchema, {
      step: this.stepCount,
      alert: {
        alertId: w.alert.id,
        title: w.alert.title,
        severity: Severity[w.alert.severity],
        triggeredAt: timestampFromMs(w.pagedAtMs),
        affectedServices: [...w.alert.affectedServices],
        description: w.alert.description,
      },
      metrics: w.readings().map((r) => ({
        serviceName: r.service,
        metricName: r.metric,
        value: r.value,
        unit: r.unit,
        threshold: r.threshold,
        isAnomalous: r.anomalous,
      })),
      recentLogs: this.journal.tail(RECENT_LOG_LINES),
      kbArticles: w.kb.map((a) => ({ articleId: a.id, title: a.title, tags: [...a.tags], content: a.content })),
      currentIncidentStatus: this.incidentStatus(),
      previousActions: [...this.previousActions],
      timeElapsedMinutes: w.minute,
      feedback: this.feedback,
      taskLevel: levelToEnum(this.task.level),
      objective: this.task.objective,
      maxSteps: this.task.maxSteps,
    });
  }

  step(action: Action): StepOutcome {
    if (this.done) {
      throw new EnvError(
        "failed_precondition",
        `episode ${this.id} is over (status ${EpisodeStatus[this.status].toLowerCase()}); reset to play again`,
      );
    }
    const stepNumber = this.stepCount + 1;
    const actedAtMinute = this.world.minute;
    this.feedback = this.act(action);
    this.journal.append(this.world.advance(this.task.minutesPerStep).map((line) => this.toLogEntry(line)));

    const grade = this.task.grader.grade({ template: this.template, action, step: stepNumber, history: this.history });
    const discount = timeDiscount(stepNumber);
    const stepScore = roundScore(grade.raw * discount);
    const previous = this.score;
    this.score = Math.max(previous, stepScore);
    const reward = roundScore(this.score - previous);

    this.stepCount = stepNumber;
    this.history.push(action);
    this.previousActions.push(describeAction(action, actedAtMinute));
    this.finishIfOver(action);

    const info = create(StepInfoSchema, {
      message: `grader=${grade.grader} reward=${reward.toFixed(4)} score=${this.score.toFixed(4)} done=${this.done}`,
      stepScore,
      totalEpisodeScore: this.score,
      taskLevel: levelToEnum(this.task.level),
      breakdown: create(GradeBreakdownSchema, breakdownInit(grade, discount, stepScore)),
      status: this.status,
      truncated: this.truncated,
    });
    return { observation: this.observe(), reward, done: this.done, info };
  }

  /** Marks a running episode closed by a client. */
  close(): void {
    if (!this.done) this.status = EpisodeStatus.CLOSED;
    this.journal.close();
  }

  state(): EpisodeState {
    return create(EpisodeStateSchema, {
      episodeId: this.id,
      stepCount: this.stepCount,
      taskName: `Incident_Response_${this.task.level}_${this.template.id}`,
      taskLevel: levelToEnum(this.task.level),
      scenarioId: this.template.id,
      seed: this.seed,
      status: this.status,
      incidentStatus: this.incidentStatus(),
      totalReward: this.score,
      maxSteps: this.task.maxSteps,
      done: this.done,
      truncated: this.truncated,
      scoreThreshold: this.task.scoreThreshold,
      timeElapsedMinutes: this.world.minute,
    });
  }

  /** Carries out the action's effect on the world and says what happened. */
  private act(action: Action): string {
    const target = action.targetService?.trim();
    switch (action.actionType) {
      case ActionType.DIAGNOSE:
        this.investigated = true;
        return target ? `Diagnosis recorded: ${target}.` : "A diagnosis needs a target_service; nothing was recorded.";
      case ActionType.ESCALATE:
        this.investigated = true;
        return "Escalated: the owning team has been paged and will join the incident channel.";
      case ActionType.APPLY_FIX: {
        if (!target) return "apply_fix needs a target_service; nothing was changed.";
        const remedies = new Set(profile(action.reasoning).expressed.keys());
        if (remedies.size === 0) {
          return "apply_fix needs the fix described in reasoning (for example: roll back, restart, flush, fail over); nothing was changed.";
        }
        return this.world.applyFix(target, remedies).feedback;
      }
      case ActionType.WRITE_RUNBOOK:
        this.investigated = true;
        return `Runbook received (${action.runbookSteps.length} steps).`;
      case ActionType.WRITE_POSTMORTEM:
        this.investigated = true;
        return "Postmortem received.";
      case ActionType.RESOLVE:
        return "Incident declared resolved by the responder.";
      default:
        return "Unknown action; nothing happened.";
    }
  }

  private finishIfOver(action: Action): void {
    const success = this.score >= this.task.scoreThreshold;
    const committed = this.task.commitAction === action.actionType && (action.targetService?.trim() ?? "") !== "";
    const resolved = action.actionType === ActionType.RESOLVE;
    const outOfSteps = this.stepCount >= this.task.maxSteps;
    if (!(success || committed || resolved || outOfSteps)) return;
    this.status = success ? EpisodeStatus.TERMINATED_SUCCESS : EpisodeStatus.TERMINATED_FAILED;
    this.truncated = outOfSteps && !success && !committed && !resolved;
    this.journal.close();
  }

  private incidentStatus(): IncidentStatus {
    if (this.status === EpisodeStatus.TERMINATED_SUCCESS) return IncidentStatus.RESOLVED;
    if (this.world.phase !== "active") return IncidentStatus.MITIGATED;
    if (this.investigated) return IncidentStatus.INVESTIGATING;
    return IncidentStatus.OPEN;
  }

  private toLogEntry(line: WorldLogLine): LogEntry {
    return create(LogEntrySchema, {
      timestamp: timestampFromMs(this.world.pagedAtMs + line.minute * 60_000),
      level: LogLevel[line.level],
      service: line.service,
      message: line.message,
      ...(line.traceId !== undefined ? { traceId: line.traceId } : {}),
    });
  }
}

function describeAction(action: Action, minute: number): string {
  const word = ActionType[action.actionType]?.toLowerCase() ?? "unknown";
  const reasoning = action.reasoning.length > REASONING_IN_HISTORY ? `${action.reasoning.slice(0, REASONING_IN_HISTORY)}...` : action.reasoning;
  return `[${minute}m] ${word} on '${action.targetService?.trim() || "none"}': ${reasoning}`;
}

function breakdownInit(grade: Grade, discount: number, stepScore: number): MessageInitShape<typeof GradeBreakdownSchema> {
  return {
    grader: grade.grader,
    components: grade.components.map((c) => ({ ...c, score: roundScore(c.score) })),
    penalties: grade.penalties,
    rawScore: grade.raw,
    discount: roundScore(discount),
    stepScore,
    notes: grade.notes,
  };
}
