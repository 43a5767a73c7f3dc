/**
 * One incident episode: a living world, a task, the agent's history and the score.
 *
 * Observes: the page and the alerts firing now; golden signals of the entry points and of the
 *   alerting services; the topology and two KB articles (one may mislead), on reset and on
 *   request (every step only with observation detail full: they never change); the last 20 log lines;
 *   the incident status; previous actions; simulated minutes elapsed; feedback on the last action
 *   (what it did, never whether it was right); and, after an inspect, that service's metric history, dependencies, changes, logs and a trace.
 * Acts: one Action per step; 5 simulated minutes pass per step. inspect looks closely at one
 *   service; apply_fix runs a typed remediation (or one read from the reasoning, for older
 *   clients) that the simulator carries out; diagnose names the root (committing on easy);
 *   write_runbook and write_postmortem submit documents; resolve ends the episode.
 * Rewarded: once, on the step that ends the episode: the level's episode grader
 *   (src/grading/episode) grades the whole trajectory, the last committed answers counting, and
 *   that grade is the step's reward and the episode's score. Every earlier step returns reward 0
 *   and no grade: a reward or an explanation paid before the end would let an agent test guesses
 *   about the hidden root, fault, times or impact without committing to them. The explained
 *   grade comes with the final step and stays readable in the episode's state.
 * Ends: on resolve, on the easy task's committed diagnose, or when the step budget runs out
 *   (truncated); a live episode also at its natural end, LIVE_EPISODE_MAX_MINUTES simulated
 *   minutes (truncated, graded on the spot; a later step gets failed_precondition). The episode
 *   succeeds when its final score reaches the task threshold. The incident counts as resolved
 *   only when health has held for 10 minutes after a fix and the agent resolves.
 * Time: turn-based by default (only steps move the clock). With a live clock the world also
 *   advances by whole simulated minutes as wall-clock time passes (minutes_per_second), until
 *   its natural end or until the episode ends or is closed. The clock runs lazily: every access
 *   (state, observation, step, a new stream) first runs the minutes due since the last one, so
 *   an episode nobody looks at costs no CPU; only while a stream follows the episode (watch) does
 *   a timer run them, so that its journals fill as time passes.
 * Memory: bounded windows. The journals keep MAX_LOG_LINES_PER_EPISODE lines and
 *   MAX_EVENTS_PER_EPISODE events, the simulation the last 30 minutes of each metric, the actions
 *   the step budget's worth (without the client's metadata, ./kept-action.ts); what grows with
 *   simulated time (the timeline and the alerts the graders read) stops with the world, at the
 *   step budget or at a live clock's natural end.
 * Tells: every log line goes to `logs`; log lines, metric readings (whenever time passes),
 *   status changes and step summaries go to `events`. Both are bounded journals that streams
 *   follow at their own pace (src/env/journal.ts); both close when the episode ends.
 */
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import type { Action } from "../../gen/incident/v1/action_pb.js";
import { ActionType, ClockMode, EpisodeStatus, IncidentStatus, RemediationKind } from "../../gen/incident/v1/enums_pb.js";
import { EpisodeStateSchema, GradeBreakdownSchema, type EpisodeState, type StepInfo } from "../../gen/incident/v1/episode_pb.js";
import type { Observation } from "../../gen/incident/v1/observation_pb.js";
import { StatusChangeSchema, StepSummarySchema, type EpisodeEvent } from "../../gen/incident/v1/stream_pb.js";
import { KbArticleSchema, type KbArticle, type LogEntry, type ServiceMetric } from "../../gen/incident/v1/telemetry_pb.js";
import type { Topology } from "../../gen/incident/v1/topology_pb.js";
import { copyReferences, type CopyReferences } from "../grading/copying.js";
import { remediationFromReasoning } from "../grading/free-text-fix.js";
import { EPISODE_GRADERS } from "../grading/episode/index.js";
import { roundScore, timeDiscount, type Grade } from "../grading/grade.js";
import type { EpisodeRecord, StepRecord } from "../grading/record.js";
import type { RemediationKind as RemediationWord } from "../sim/fault-types.js";
import { resolveService } from "../scenarios/service-names.js";
import type { SeverityWord } from "../sim/vocabulary.js";
import type { IncidentWorld } from "../sim/incident-world.js";
import type { SimLogLine } from "../sim/log-writer.js";
import type { RemediationOutcome } from "../sim/remediation.js";
import { wordFromEnum } from "../sim/enum-words.js";
import { LiveClock, type Clock } from "./clock.js";
import { EnvError } from "./errors.js";
import { episodeJournals, eventMessage, logEntryMessage, type EventContent } from "./episode-journals.js";
import type { Journal } from "./journal.js";
import { keptAction } from "./kept-action.js";
import { levelToEnum } from "./levels.js";
import { checkTargetExists } from "./target-check.js";
import { LogRecord } from "./log-record.js";
import { MetricSample } from "./metric-sample.js";
import { renderObservationText } from "./observation-text.js";
import {
  inspectionMessage,
  inspectionOf,
  overviewMetrics,
  toAlert,
  toLogRecord,
  toTopology,
  type InspectionSnapshot,
} from "./observation.js";
import type { TaskDefinition } from "./tasks.js";
import { leanObservation, leanStepInfo } from "./lean-messages.js";

const RECENT_LOG_LINES = 20;
const REASONING_IN_HISTORY = 200;

interface EpisodeOptions {
  /** Log lines kept (MAX_LOG_LINES_PER_EPISODE). */
  maxLogLines: number;
  /** Events kept (MAX_EVENTS_PER_EPISODE). */
  maxEvents: number;
  /**
   * A live clock, and its natural end in simulated minutes (LIVE_EPISODE_MAX_MINUTES); without it
   * the episode is turn-based.
   */
  live?: { minutesPerSecond: number; clock: Clock; maxMinutes: number };
  /**
   * Whether step observations carry the topology and the KB articles too ("full"), or leave them
   * to the reset and GetObservation ("lean", the default): they never change within an episode,
   * and they are half of every observation.
   */
  detail?: "lean" | "full";
  /** Whether every observation also carries its markdown rendering (Observation.text, ./observation-text.ts). */
  text?: boolean;
}

/** What an action handler reads (Episode.ACTION_HANDLERS). */
interface ActionContext {
  action: Action;
  /** The step's record; apply_fix adds the fix's outcome to it. */
  record: StepRecord;
  stepNumber: number;
  /** target_service as sent, trimmed. */
  named: string | undefined;
  /** The service of this system it names (record.target); undefined when none. */
  target: string | undefined;
}

type ActionHandler = (episode: Episode, context: ActionContext) => string;

/** Action type unspecified, or a number outside the enum. */
function unknownAction(): string {
  return "Unknown action; nothing happened.";
}

export interface StepOutcome {
  observation: Observation;
  reward: number;
  done: boolean;
  info: StepInfo;
}

export class Episode {
  /**
   * Counts the changes that may show in state(): a step (even one that fails), a close, and the
   * minutes a live clock runs. A copy of the state made at one revision is exact until the next
   * (IncidentEnvironment keeps the state's REST JSON that way).
   */
  private changes = 0;
  private stepCount = 0;
  private score = 0;
  private status = EpisodeStatus.RUNNING;
  private truncated = false;
  private investigated = false;
  private resolvedHealthy = false;
  private feedback = "You have been paged. Read the alert, the metrics and the logs; inspect services to see more.";
  /** The last step's inspection, kept small; every observation until the next step shows it. */
  private inspection: InspectionSnapshot | undefined;
  private readonly previousActions: string[] = [];
  private readonly steps: StepRecord[] = [];
  private readonly evidence = new Map<string, number>();
  private readonly inspected = new Map<string, number>();
  /** The explained grade, once the episode has ended. */
  private finalGrade: MessageInitShape<typeof GradeBreakdownSchema> | undefined;
  private readonly pageSeverity: SeverityWord;
  /** The running live clock; undefined for turn-based episodes and once the clock stopped. */
  private live: LiveClock | undefined;
  /** Simulated minutes per wall-clock second of a live episode (kept after its clock stops); 0 when turn-based. */
  private readonly liveRate: number;
  /** A live episode's natural end in simulated minutes (kept after its clock stops). */
  private readonly timeLimit: number | undefined;
  /** Whether the live clock's natural end ended the episode. */
  private outOfTime = false;
  private reportedStatus: { incident: IncidentStatus; episode: EpisodeStatus } = {
    incident: IncidentStatus.UNSPECIFIED,
    episode: EpisodeStatus.UNSPECIFIED,
  };
  /** Every log line printed, numbered (LogEntry.seq); see logEntryOf. */
  readonly logs: Journal<LogRecord>;
  /** Log lines, metric readings, status changes and steps, numbered (EpisodeEvent.seq) and stamped with their minute; see eventOf. */
  readonly events: Journal<EventContent>;
  /** The overview metrics of the current minute (shared by its events and observations); cleared when an action may change them. */
  private overviewCache: { minute: number; metrics: ServiceMetric[] } | undefined;
  /** The overview's last sample in the events journal (the next one shares its names when they are the same). */
  private lastSample: MetricSample | undefined;

  private readonly fullDetail: boolean;
  private readonly withText: boolean;
  /**
   * The topology message, kept only by full-detail episodes (every observation shows it); lean
   * ones make it when asked (the reset, GetObservation): it is a copy of the world's topology,
   * and thousands of live episodes would each keep one.
   */
  private readonly topology: Topology | undefined;
  private readonly kbArticles: KbArticle[];
  /** The KB as copy references: a fix read from reasoning pasted from it is no fix (built on first use). */
  private kbReferences: CopyReferences | undefined;

  constructor(
    readonly id: string,
    readonly task: TaskDefinition,
    readonly seed: number,
    readonly world: IncidentWorld,
    options: EpisodeOptions,
  ) {
    ({ logs: this.logs, events: this.events } = episodeJournals(options.maxLogLines, options.maxEvents));
    // Neither changes during an episode: the KB articles are built once, shared by every observation.
    this.topology = options.detail === "full" ? toTopology(world) : undefined;
    this.kbArticles = world
      .kb()
      .map((a) => create(KbArticleSchema, { articleId: a.id, title: a.title, tags: [...a.tags], content: a.content }));
    this.liveRate = options.live?.minutesPerSecond ?? 0;
    this.timeLimit = options.live?.maxMinutes;
    this.fullDetail = options.detail === "full";
    this.withText = options.text === true;
    this.pageSeverity = world.severity();
    this.recordLines(world.takeOpeningLogs());
    this.noteStatus();
    this.noteEvidence();
    if (options.live) {
      const { minutesPerSecond, clock, maxMinutes } = options.live;
      this.live = new LiveClock(minutesPerSecond, clock, maxMinutes);
    }
  }

  get clockMode(): ClockMode {
    return this.liveRate > 0 ? ClockMode.LIVE : ClockMode.TURN_BASED;
  }

  get done(): boolean {
    return this.status !== EpisodeStatus.RUNNING;
  }

  get scenarioId(): string {
    return this.world.spec.id;
  }

  /**
   * What the agent sees now. `complete` adds the topology and the KB articles (the reset and
   * GetObservation ask for them); otherwise they come only when the episode's detail is full.
   */
  observe(complete = this.fullDetail): Observation {
    this.catchUp();
    const world = this.world;
    const page = world.page();
    const observation = leanObservation({
      step: this.stepCount,
      ...(page ? { alert: toAlert(world, page, page.priority, true) } : {}),
      // Fresh arrays, as create made them: the overview and the KB articles are shared by observations.
      metrics: [...this.overview()],
      recentLogs: this.logs.tail(RECENT_LOG_LINES).map((record) => this.logEntryOf(record)),
      kbArticles: complete ? [...this.kbArticles] : [],
      currentIncidentStatus: this.incidentStatus(),
      previousActions: [...this.previousActions],
      timeElapsedMinutes: Math.max(0, world.minute),
      feedback: this.feedback,
      taskLevel: levelToEnum(this.task.level),
      objective: this.task.objective,
      maxSteps: this.task.maxSteps,
      ...(complete ? { topology: this.topology ?? toTopology(world) } : {}),
      activeAlerts: world.alerts.active().map((a) => toAlert(world, a, a.priority, a.id === page?.id)),
      ...(this.inspection ? { inspection: inspectionMessage(this.inspection, (record) => this.logEntryOf(record)) } : {}),
    });
    if (this.withText) observation.text = renderObservationText(observation);
    return observation;
  }

  step(sent: Action): StepOutcome {
    this.changes++;
    const live = this.live;
    this.catchUp(); // a live clock may reach its natural end first
    if (this.done) {
      const why = this.outOfTime
        ? `; its live clock reached the time limit of ${this.timeLimit} simulated minutes (LIVE_EPISODE_MAX_MINUTES)`
        : "";
      throw new EnvError(
        "failed_precondition",
        `episode ${this.id} is over (status ${wordFromEnum(EpisodeStatus, this.status)}${why}); reset to play again`,
      );
    }
    // Kept for the graders and for rebuilding the episode: without the client's own data.
    const action = keptAction(sent);
    const stepNumber = this.stepCount + 1;
    const minute = this.world.minute;
    const target = resolveService(action.targetService, this.world.topology.nodes)?.name;
    checkTargetExists(action, target);
    const record: StepRecord = { step: stepNumber, minute, action, ...(target !== undefined ? { target } : {}) };
    this.inspection = undefined;
    this.overviewCache = undefined;
    this.feedback = this.act(action, record, stepNumber);
    // A live world stops at its natural end (then finishIfOver ends the episode).
    this.advanceWorld(live ? Math.min(this.task.minutesPerStep, live.maxMinutes - minute) : this.task.minutesPerStep);

    this.stepCount = stepNumber;
    this.steps.push(record);
    this.previousActions.push(describeAction(action, minute));
    this.noteEvidence();

    const grade = this.finishIfOver(action, target, stepNumber);
    const reward = grade ? this.score : 0;
    this.events.append(
      [
        create(StepSummarySchema, {
          step: stepNumber,
          actionType: action.actionType,
          ...(target !== undefined
            ? { targetService: target }
            : action.targetService !== undefined
              ? { targetService: action.targetService }
              : {}),
          reward,
          totalReward: this.score,
          done: this.done,
          truncated: this.truncated,
          feedback: this.feedback,
        }),
      ],
      [this.world.minute],
    );
    this.noteStatus();
    if (this.done) this.endStreams();

    const info = leanStepInfo({
      message: `step=${stepNumber} reward=${reward.toFixed(4)} done=${this.done}`,
      stepScore: grade?.raw ?? 0,
      totalEpisodeScore: this.score,
      taskLevel: levelToEnum(this.task.level),
      ...(this.finalGrade ? { breakdown: create(GradeBreakdownSchema, this.finalGrade) } : {}),
      status: this.status,
      truncated: this.truncated,
    });
    return { observation: this.observe(), reward, done: this.done, info };
  }

  /** Marks a running episode closed by a client; its clock stops and its streams end. */
  /** A live clock's world moves with wall-clock time: replaying its actions would not rebuild it. */
  get isLive(): boolean {
    return this.liveRate > 0;
  }

  /** The actions applied so far, in order: with the reset request, what rebuilds this episode. */
  actions(): Action[] {
    return this.steps.map((record) => record.action);
  }

  close(): void {
    this.changes++;
    if (!this.done) this.status = EpisodeStatus.CLOSED;
    this.noteStatus();
    this.endStreams();
  }

  /** The count of changes so far (see `changes`): equal revisions, equal states. Catch up first for a live clock's due minutes. */
  get revision(): number {
    return this.changes;
  }

  state(): EpisodeState {
    this.catchUp();
    return create(EpisodeStateSchema, {
      episodeId: this.id,
      stepCount: this.stepCount,
      taskName: `Incident_Response_${this.task.level}_${this.scenarioId}`,
      taskLevel: levelToEnum(this.task.level),
      scenarioId: this.scenarioId,
      seed: this.seed,
      status: this.status,
      incidentStatus: this.incidentStatus(),
      totalReward: this.score,
      maxSteps: this.task.maxSteps,
      done: this.done,
      truncated: this.truncated,
      scoreThreshold: this.task.scoreThreshold,
      timeElapsedMinutes: Math.max(0, this.world.minute),
      clock: this.clockMode,
      minutesPerSecond: this.liveRate,
      ...(this.finalGrade ? { grade: create(GradeBreakdownSchema, this.finalGrade) } : {}),
    });
  }

  /**
   * Live clock: runs the simulated minutes that wall-clock time has made due since the last
   * catch-up, up to the natural end, where the episode ends. However long nobody looked, that is
   * at most LIVE_EPISODE_MAX_MINUTES minutes in the episode's whole life. A no-op for turn-based
   * and finished episodes.
   */
  catchUp(): void {
    const live = this.live;
    if (!live || this.done) return;
    const due = live.minutesDue();
    if (due <= 0) return;
    this.changes++;
    live.consume(due);
    try {
      const minutes = Math.min(due, live.maxMinutes - this.world.minute);
      if (minutes > 0) {
        this.advanceWorld(minutes);
        this.noteStatus();
      }
      if (this.world.minute >= live.maxMinutes) this.endOutOfTime();
    } catch (error) {
      // A world that fails to advance stops its live clock; the episode stays readable.
      this.stopClock();
      throw error;
    }
  }

  /**
   * Whether a live clock's natural end has come by the wall clock, though nobody has looked since
   * (the next access ends the episode): the episode store counts it as finished.
   */
  get timeIsUp(): boolean {
    const live = this.live;
    return live !== undefined && !this.done && this.world.minute + live.minutesDue() >= live.maxMinutes;
  }

  /**
   * A stream follows the episode until the returned function is called. While any does, a live
   * clock runs on a timer, so the journals fill as time passes without anyone asking; with none,
   * it costs nothing. A no-op for turn-based and finished episodes.
   */
  watch(): () => void {
    const live = this.live;
    if (!live) return () => {};
    return live.watch(() => {
      try {
        this.catchUp();
      } catch (error) {
        // The clock has stopped (see catchUp); a timer must not take the process down.
        console.error(`live clock of episode ${this.id} stopped`, error);
      }
    });
  }

  /** The live clock reached its natural end: the episode ends, truncated and graded, as when the step budget runs out. */
  private endOutOfTime(): void {
    const minutes = this.world.minute;
    this.conclude(this.stepCount, true);
    this.outOfTime = true;
    this.feedback = `Time is up: this live episode ends after ${minutes} simulated minutes. The episode is over; its grade is in the state.`;
    this.noteStatus();
    this.endStreams();
  }

  /** Runs the world for `minutes`, records its log lines, and samples the overview metrics. */
  private advanceWorld(minutes: number): void {
    this.recordLines(this.world.advance(minutes));
  }

  /** Appends log lines to both journals, followed by a reading of every overview metric. */
  private recordLines(lines: readonly SimLogLine[]): void {
    const world = this.world;
    const entries = lines.map(toLogRecord);
    this.logs.append(entries);
    const events: EventContent[] = [...entries];
    const minutes = entries.map((entry) => entry.minute);
    this.overviewCache = undefined;
    const sample = MetricSample.of(this.overview(), this.lastSample);
    this.lastSample = sample;
    sample.firstSeq = this.events.nextSeq + entries.length;
    for (let i = 0; i < sample.size; i++) {
      events.push(sample);
      minutes.push(world.minute);
    }
    this.events.append(events, minutes);
  }

  /** The overview metrics now, made once per minute. */
  private overview(): ServiceMetric[] {
    const minute = this.world.minute;
    if (this.overviewCache?.minute !== minute) this.overviewCache = { minute, metrics: overviewMetrics(this.world) };
    return this.overviewCache.metrics;
  }

  /** The EpisodeEvent message of an event of the journal: a log line's timestamp is the line's own, any other event's its minute's. */
  eventOf(content: EventContent, seq: number, minute: number): EpisodeEvent {
    return eventMessage(content, seq, minute, this.world.spec.startedAtMs);
  }

  /** The LogEntry message of a line of the logs journal. */
  logEntryOf(record: LogRecord): LogEntry {
    return logEntryMessage(record, this.world.spec.startedAtMs);
  }

  /** Emits a status event when the incident or episode status differs from the last one told. */
  private noteStatus(): void {
    const incident = this.incidentStatus();
    const episode = this.status;
    const before = this.reportedStatus;
    if (incident === before.incident && episode === before.episode) return;
    this.reportedStatus = { incident, episode };
    this.events.append(
      [
        create(StatusChangeSchema, {
          incidentStatus: incident,
          episodeStatus: episode,
          previousIncidentStatus: before.incident,
          previousEpisodeStatus: before.episode,
        }),
      ],
      [this.world.minute],
    );
  }

  private stopClock(): void {
    this.live?.stop();
    this.live = undefined;
  }

  /** The episode is over: the clock stops and the journals close, which ends every stream. */
  private endStreams(): void {
    this.stopClock();
    this.logs.close();
    this.events.close();
  }

  /** Everything the graders read. */
  record(): EpisodeRecord {
    const world = this.world;
    return {
      spec: world.spec,
      world: {
        minute: world.minute,
        startedAtMs: world.spec.startedAtMs,
        timeline: world.timeline(),
        impact: world.impact(),
        severity: world.severity(),
        healthy: world.isHealthy(),
        healthHeld: world.healthHeld(),
        pageMinute: world.page()?.firedAtMinute ?? 0,
      },
      steps: this.steps,
      evidence: this.evidence,
      inspected: this.inspected,
    };
  }

  /**
   * One handler per action type; each carries out the action's effect on the world and returns
   * the feedback. A Record over ActionType, so the compiler checks that every action type has
   * its handler (a new one in the proto does not compile until it is handled).
   */
  private static readonly ACTION_HANDLERS: Readonly<Record<ActionType, ActionHandler>> = {
    [ActionType.UNSPECIFIED]: unknownAction,
    [ActionType.INSPECT]: (episode, context) => episode.inspect(context),
    [ActionType.DIAGNOSE]: (episode, context) => episode.diagnose(context),
    [ActionType.APPLY_FIX]: (episode, context) => episode.applyFix(context),
    [ActionType.ESCALATE]: (episode) => episode.escalate(),
    [ActionType.WRITE_RUNBOOK]: (episode, context) => episode.writeRunbook(context),
    [ActionType.WRITE_POSTMORTEM]: (episode) => episode.writePostmortem(),
    [ActionType.RESOLVE]: (episode) => episode.resolve(),
  };

  /** Carries out the action's effect on the world and says what happened. */
  private act(action: Action, record: StepRecord, stepNumber: number): string {
    // A number outside the enum (a newer or broken client) does nothing.
    const handler = Episode.ACTION_HANDLERS[action.actionType] ?? unknownAction;
    return handler(this, { action, record, stepNumber, named: action.targetService?.trim(), target: record.target });
  }

  private inspect({ named, target, stepNumber }: ActionContext): string {
    this.investigated = true;
    if (!target)
      return named ? `"${named}" does not name one service of this system; see observation.topology.` : "inspect needs a target_service.";
    if (!this.inspected.has(target)) this.inspected.set(target, stepNumber);
    if (!this.evidence.has(target)) this.evidence.set(target, this.world.minute);
    this.inspection = inspectionOf(this.world, target, this.logsOf(target));
    return `Inspected ${target}.`;
  }

  private diagnose({ named }: ActionContext): string {
    this.investigated = true;
    return named ? `Diagnosis recorded: ${named}.` : "A diagnosis needs a target_service; nothing was recorded.";
  }

  private escalate(): string {
    this.investigated = true;
    return "Escalated: the owning team has been paged and will join the incident channel.";
  }

  private applyFix({ action, record, named, target }: ActionContext): string {
    if (!target)
      return named
        ? `"${named}" does not name one service of this system; nothing was changed.`
        : "apply_fix needs a target_service; nothing was changed.";
    const kind = this.remediationKind(action);
    if (!kind)
      return "apply_fix needs remediation.kind (or the fix described in reasoning, e.g. roll back, restart, fail over); nothing was changed.";
    const outcome: RemediationOutcome = this.world.applyRemediation({
      kind,
      target,
      parameters: { ...(action.remediation?.parameters ?? {}) },
    });
    record.remediation = outcome;
    return outcome.feedback;
  }

  private writeRunbook({ action }: ActionContext): string {
    this.investigated = true;
    return `Runbook received (${action.runbookSteps.length} steps).`;
  }

  private writePostmortem(): string {
    this.investigated = true;
    return "Postmortem received.";
  }

  private resolve(): string {
    this.resolvedHealthy = this.world.healthHeld();
    return this.resolvedHealthy
      ? "Incident resolved: health held after the fix."
      : "Incident declared over, but the system had not held healthy for 10 minutes after a fix.";
  }

  /**
   * The typed remediation, or for older clients the one their reasoning describes: exactly one
   * fix, in their own words. Reasoning pasted from the KB, or naming several fixes, is no fix, so
   * a free-text fix never earns more than choosing the remediation would.
   */
  private remediationKind(action: Action): RemediationWord | undefined {
    const typed = action.remediation?.kind;
    if (typed !== undefined && typed !== RemediationKind.UNSPECIFIED)
      return wordFromEnum(RemediationKind, typed) as RemediationWord | undefined;
    this.kbReferences ??= copyReferences(this.kbArticles.flatMap((a) => [a.title, a.content]));
    return remediationFromReasoning(action.reasoning, this.kbReferences);
  }

  /**
   * Ends the episode if this step ended it (a committed answer, resolve, or the last step of the
   * budget): grades the whole trajectory once and returns the grade; undefined while it runs.
   */
  private finishIfOver(action: Action, target: string | undefined, stepNumber: number): Grade | undefined {
    const committed = this.task.commitAction === action.actionType && target !== undefined;
    const committedWrongly =
      this.task.commitAction === action.actionType && (action.targetService?.trim() ?? "") !== "" && target === undefined;
    const resolved = action.actionType === ActionType.RESOLVE;
    const outOfSteps = this.stepCount >= this.task.maxSteps;
    const outOfTime = this.live !== undefined && this.world.minute >= this.live.maxMinutes;
    if (!(committed || committedWrongly || resolved || outOfSteps || outOfTime)) return undefined;
    const truncated = (outOfSteps || outOfTime) && !committed && !committedWrongly && !resolved;
    this.outOfTime = outOfTime && truncated;
    return this.conclude(stepNumber, truncated);
  }

  /** Grades the whole trajectory once, and ends the episode with that grade as its score. */
  private conclude(stepNumber: number, truncated: boolean): Grade {
    const grade = EPISODE_GRADERS[this.task.level].grade(this.record());
    this.score = grade.raw;
    this.finalGrade = breakdownInit(grade, timeDiscount(stepNumber));
    this.status = this.score >= this.task.scoreThreshold ? EpisodeStatus.TERMINATED_SUCCESS : EpisodeStatus.TERMINATED_FAILED;
    this.truncated = truncated;
    return grade;
  }

  private incidentStatus(): IncidentStatus {
    if (this.resolvedHealthy) return IncidentStatus.RESOLVED;
    // Whether a fix was the right one is hidden; that the system is healthy again after one is not.
    if (this.steps.some((s) => s.remediation !== undefined && s.remediation.kind !== "invalid") && this.world.isHealthy())
      return IncidentStatus.MITIGATED;
    if (this.investigated) return IncidentStatus.INVESTIGATING;
    return IncidentStatus.OPEN;
  }

  /**
   * Services whose health the agent has seen count as evidence from now on: the page, every
   * service with metrics in the overview (entry points and alerting services), and every service
   * it inspected (noted in act). A name that only scrolled past in a log line is not evidence.
   */
  private noteEvidence(): void {
    const minute = this.world.minute;
    const seen = new Set<string>();
    const page = this.world.page();
    if (page) seen.add(page.node);
    for (const m of this.overview()) seen.add(m.serviceName); // the overview of this minute, made once
    for (const service of seen) if (!this.evidence.has(service)) this.evidence.set(service, minute);
  }

  private logsOf(service: string): LogRecord[] {
    return this.logs.lastMatching(RECENT_LOG_LINES, (l) => l.service === service);
  }
}

function describeAction(action: Action, minute: number): string {
  const word = wordFromEnum(ActionType, action.actionType) ?? "unknown";
  const remediation =
    action.remediation && action.remediation.kind !== RemediationKind.UNSPECIFIED
      ? ` (${wordFromEnum(RemediationKind, action.remediation.kind)})`
      : "";
  const reasoning =
    action.reasoning.length > REASONING_IN_HISTORY ? `${action.reasoning.slice(0, REASONING_IN_HISTORY)}...` : action.reasoning;
  return `[${minute}m] ${word}${remediation} on '${action.targetService?.trim() || "none"}': ${reasoning}`;
}

function breakdownInit(grade: Grade, discount: number): MessageInitShape<typeof GradeBreakdownSchema> {
  return {
    grader: grade.grader,
    components: grade.components.map((c) => ({ ...c, score: roundScore(c.score) })),
    penalties: grade.penalties,
    rawScore: grade.raw,
    discount: roundScore(discount),
    stepScore: grade.raw,
    notes: grade.notes,
  };
}
