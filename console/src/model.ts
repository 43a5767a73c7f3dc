/**
 * What the episode view shows, built from what the server publishes: observations (REST JSON),
 * the episode's state, and the events of its SSE stream (live), or the records of a trajectory
 * file (replay). The view (view.ts) only draws a model.
 */

export interface Metric {
  service_name: string;
  metric_name: string;
  value: number;
  unit: string;
  threshold: number;
  is_anomalous: boolean;
}
export interface LogLine {
  timestamp: string;
  level: string;
  service: string;
  message: string;
  seq: number;
}
export interface Alert {
  alert_id: string;
  title: string;
  severity: string;
  triggered_at?: string;
  affected_services: string[];
  description: string;
}
export interface ServiceNode {
  name: string;
  kind: string;
  role: string;
}
export interface Dependency {
  caller: string;
  callee: string;
}
export interface Topology {
  family: string;
  services: ServiceNode[];
  dependencies: Dependency[];
}
export interface Inspection {
  service: string;
  kind: string;
  role: string;
  version: string;
  replicas: number;
  zone: string;
  series: { metric_name: string; unit: string; threshold: number; points: { minute: number; value: number }[] }[];
  dependencies: { callee: string; calls_per_second: number; error_rate: number; latency_ms: number }[];
  dependents: string[];
  recent_changes: { timestamp: string; service: string; kind: string; description: string }[];
  recent_logs: LogLine[];
  trace: { trace_id: string; spans: { service: string; parent: string; duration_ms: number; error: boolean }[] } | null;
  taken_at_minute: number;
}
export interface KbArticle {
  article_id: string;
  title: string;
  content: string;
}
export interface Observation {
  step: number;
  alert: Alert | null;
  metrics: Metric[];
  recent_logs: LogLine[];
  current_incident_status: string;
  previous_actions: string[];
  time_elapsed_minutes: number;
  feedback: string;
  task_level: string;
  max_steps: number;
  topology: Topology | null;
  active_alerts: Alert[];
  inspection: Inspection | null;
  kb_articles: KbArticle[];
}
export interface GradeComponent {
  name: string;
  score: number;
  weight: number;
  detail: string;
}
export interface Grade {
  grader: string;
  components: GradeComponent[];
  penalties: { name: string; amount: number; detail: string }[];
  raw_score: number;
  notes: string[];
}
export interface EpisodeState {
  episode_id: string;
  step_count: number;
  task_level: string;
  scenario_id: string;
  seed: number;
  status: string;
  incident_status: string;
  total_reward: number;
  max_steps: number;
  done: boolean;
  truncated: boolean;
  score_threshold: number;
  time_elapsed_minutes: number;
  grade: Grade | null;
}
export interface StepInfo {
  message: string;
  total_episode_score: number;
  breakdown: Grade | null;
  status: string;
  truncated: boolean;
}
export interface StepEvent {
  step: number;
  action_type: string;
  target_service?: string | null;
  reward: number;
  total_reward: number;
  done: boolean;
  feedback: string;
}

/** One action as the view lists it. */
export interface ActionRow {
  step: number;
  actionType: string;
  target: string;
  reward: number;
  totalReward: number;
  feedback: string;
  reasoning: string;
}

/** Readings of one metric of one service, oldest first. */
export interface Series {
  unit: string;
  threshold: number;
  anomalous: boolean;
  values: number[];
}

/** Readings kept per series, and log lines in the tail. */
const MAX_READINGS = 120;
const MAX_LOG_LINES = 300;
export const METRIC_NAMES = ["latency_p99", "error_rate", "request_rate", "cpu_usage"] as const;

export class EpisodeModel {
  state: EpisodeState | undefined;
  topology: Topology | undefined;
  readonly series = new Map<string, Map<string, Series>>();
  logs: LogLine[] = [];
  private readonly logSeqs = new Set<number>();
  alerts: Alert[] = [];
  actions: ActionRow[] = [];
  incidentStatus = "";
  episodeStatus = "";
  minute = 0;
  feedback = "";
  /** The last inspection's findings (an inspect step's observation). */
  inspection: Inspection | null = null;
  kbArticles: KbArticle[] = [];
  grade: Grade | null = null;
  score = 0;
  done = false;
  /** Whether metric readings came from the event stream (then observations do not add readings). */
  private streamedMetrics = false;

  constructor(readonly episodeId: string) {}

  applyState(state: EpisodeState): void {
    this.state = state;
    this.episodeStatus = state.status;
    this.incidentStatus = state.incident_status;
    this.minute = Math.max(this.minute, state.time_elapsed_minutes);
    this.score = state.total_reward;
    this.done = state.done || state.status !== "running";
    if (state.grade) this.grade = state.grade;
  }

  /** An observation: topology (when it carries one), alerts, reasoning of the actions, and (replay) readings and logs. */
  applyObservation(observation: Observation, addReadings: boolean): void {
    if (observation.topology && observation.topology.services.length > 0) this.topology = observation.topology;
    this.alerts = observation.active_alerts.length > 0 ? observation.active_alerts : observation.alert ? [observation.alert] : [];
    if (observation.current_incident_status) this.incidentStatus = observation.current_incident_status;
    this.minute = Math.max(this.minute, observation.time_elapsed_minutes);
    this.feedback = observation.feedback;
    if (observation.inspection) this.inspection = observation.inspection;
    if (observation.kb_articles.length > 0) this.kbArticles = observation.kb_articles;
    observation.previous_actions.forEach((text, i) => {
      const row = this.actions.find((a) => a.step === i + 1);
      if (row) row.reasoning = reasoningOf(text);
      else this.addAction(actionOf(text, i + 1, this.score));
    });
    if (addReadings && !this.streamedMetrics) for (const metric of observation.metrics) this.addReading(metric);
    for (const line of observation.recent_logs) this.addLog(line);
  }

  addReading(metric: Metric): void {
    let byMetric = this.series.get(metric.service_name);
    if (!byMetric) this.series.set(metric.service_name, (byMetric = new Map()));
    let series = byMetric.get(metric.metric_name);
    if (!series)
      byMetric.set(metric.metric_name, (series = { unit: metric.unit, threshold: metric.threshold, anomalous: false, values: [] }));
    series.values.push(metric.value);
    if (series.values.length > MAX_READINGS) series.values.shift();
    series.anomalous = metric.is_anomalous;
    series.threshold = metric.threshold;
  }

  addLog(line: LogLine): void {
    if (this.logSeqs.has(line.seq)) return;
    this.logSeqs.add(line.seq);
    this.logs.push(line);
    this.logs.sort((a, b) => a.seq - b.seq);
    if (this.logs.length > MAX_LOG_LINES) this.logs.splice(0, this.logs.length - MAX_LOG_LINES);
  }

  addAction(row: ActionRow): void {
    const at = this.actions.findIndex((a) => a.step === row.step);
    if (at >= 0) this.actions[at] = { ...row, reasoning: row.reasoning || (this.actions[at]?.reasoning ?? "") };
    else this.actions.push(row);
    this.actions.sort((a, b) => a.step - b.step);
    this.score = row.totalReward;
  }

  /** One event of the episode's SSE stream (docs/streaming.md). */
  applyEvent(type: string, data: string): void {
    const event = JSON.parse(data) as {
      minute?: number;
      log?: LogLine;
      metric?: Metric;
      status?: { incident_status: string; episode_status: string };
      step?: StepEvent;
    };
    if (typeof event.minute === "number") this.minute = Math.max(this.minute, event.minute);
    switch (type) {
      case "log":
        if (event.log) this.addLog(event.log);
        return;
      case "metric":
        if (event.metric) {
          this.streamedMetrics = true;
          this.addReading(event.metric);
        }
        return;
      case "status":
        if (event.status) {
          if (event.status.incident_status !== "unspecified") this.incidentStatus = event.status.incident_status;
          this.episodeStatus = event.status.episode_status;
          if (this.episodeStatus !== "running") this.done = true;
        }
        return;
      case "step":
        if (event.step) {
          const s = event.step;
          this.addAction({
            step: s.step,
            actionType: s.action_type,
            target: s.target_service ?? "",
            reward: s.reward,
            totalReward: s.total_reward,
            feedback: s.feedback,
            reasoning: "",
          });
          if (s.done) this.done = true;
        }
        return;
      default:
        return; // gap: nothing to draw
    }
  }

  /** Health of a service from its latest readings: 0 healthy, 1 one anomalous signal, 2 more. */
  health(service: string): 0 | 1 | 2 {
    const byMetric = this.series.get(service);
    if (!byMetric) return 0;
    const anomalous = [...byMetric.values()].filter((s) => s.anomalous).length;
    return anomalous === 0 ? 0 : anomalous === 1 ? 1 : 2;
  }
}

/**
 * An action known only from the observation's previous_actions (a view that could not follow the
 * event stream): "[12m] apply_fix (restart) on 'api': why". Its reward is not in the text; every
 * step before the last pays 0.
 */
function actionOf(text: string, step: number, score: number): ActionRow {
  const match = /^\[-?\d+m\] (\S+)(?: \([^)]*\))? on '([^']*)'/.exec(text);
  const target = match?.[2] ?? "";
  return {
    step,
    actionType: match?.[1] ?? "?",
    target: target === "none" ? "" : target,
    reward: 0,
    totalReward: score,
    feedback: "",
    reasoning: reasoningOf(text),
  };
}

/** The reasoning part of a previous_actions entry: "[12m] inspect on 'api': why". */
export function reasoningOf(text: string): string {
  const at = text.indexOf("': ");
  return at >= 0 ? text.slice(at + 3) : text;
}
