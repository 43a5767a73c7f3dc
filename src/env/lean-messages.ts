/**
 * The messages an episode makes by the hundred (log lines, their timestamps, metric readings,
 * inspection points) or on every call (observations, alerts, an inspection's parts, step infos,
 * step and reset responses), built as object literals instead of through `create`.
 *
 * Why, twice over:
 * - `create` walks the descriptor and adds fields one at a time, so V8 gives each message an
 *   out-of-object property array: with thousands of live episodes holding their log lines, that
 *   is a large share of memory, and a noticeable share of a step's time. A literal with every
 *   field is one compact object.
 * - `create` makes every message type with one object literal, which V8 treats as one allocation
 *   site. Some messages live as long as their episode (the step summaries of the events journal),
 *   so V8 pretenures that site: it makes every later message of it in the old generation. A
 *   short-lived observation made there keeps everything beneath it (its metric points and log
 *   entries) alive through the next scavenges, which copy and promote them. Here each kind of
 *   message has a site of its own, and those of short-lived messages stay young.
 *
 * Each builder makes exactly what `create` makes for proto3: every field with implicit presence,
 * in field order, and an explicit-presence field only when set (test/lean-messages.test.ts checks
 * them against `create`). The builders of messages with optional message fields add those after
 * the literal, in field order; such messages live for one call, so the property array that costs
 * them is garbage with them.
 */
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import type { ChangeKind, LogLevel, Severity } from "../../gen/incident/v1/enums_pb.js";
import type {
  ChangeEvent,
  DependencyReading,
  Inspection,
  MetricPoint,
  MetricSeries,
  Span,
  Trace,
} from "../../gen/incident/v1/inspection_pb.js";
import type { Alert, LogEntry, ServiceMetric } from "../../gen/incident/v1/telemetry_pb.js";
import type { Observation } from "../../gen/incident/v1/observation_pb.js";
import type { StepInfo } from "../../gen/incident/v1/episode_pb.js";
import type { ResetResponse, StepResponse } from "../../gen/incident/v1/service_pb.js";

/** What timestampFromMs makes. */
export function leanTimestamp(ms: number): Timestamp {
  const seconds = Math.floor(ms / 1000);
  return { $typeName: "google.protobuf.Timestamp", seconds: BigInt(seconds), nanos: (ms - seconds * 1000) * 1000000 };
}

export function leanLogEntry(
  timestamp: Timestamp,
  level: LogLevel,
  service: string,
  message: string,
  traceId: string | undefined,
): LogEntry {
  return traceId !== undefined
    ? { $typeName: "incident.v1.LogEntry", timestamp, level, service, message, traceId, seq: 0 }
    : { $typeName: "incident.v1.LogEntry", timestamp, level, service, message, seq: 0 };
}

export function leanServiceMetric(
  serviceName: string,
  metricName: string,
  value: number,
  unit: string,
  threshold: number,
  isAnomalous: boolean,
): ServiceMetric {
  return { $typeName: "incident.v1.ServiceMetric", serviceName, metricName, value, unit, threshold, isAnomalous };
}

export function leanMetricPoint(minute: number, value: number): MetricPoint {
  return { $typeName: "incident.v1.MetricPoint", minute, value };
}

export function leanAlert(
  alertId: string,
  title: string,
  severity: Severity,
  triggeredAt: Timestamp,
  affectedServices: string[],
  description: string,
): Alert {
  return { $typeName: "incident.v1.Alert", alertId, title, severity, triggeredAt, affectedServices, description };
}

export function leanMetricSeries(metricName: string, unit: string, threshold: number, points: MetricPoint[]): MetricSeries {
  return { $typeName: "incident.v1.MetricSeries", metricName, unit, threshold, points };
}

export function leanDependencyReading(
  callee: string,
  callsPerSecond: number,
  errorRate: number,
  latencyMs: number,
  timeoutMs: number,
  retries: number,
): DependencyReading {
  return { $typeName: "incident.v1.DependencyReading", callee, callsPerSecond, errorRate, latencyMs, timeoutMs, retries };
}

export function leanChangeEvent(timestamp: Timestamp, service: string, kind: ChangeKind, description: string): ChangeEvent {
  return { $typeName: "incident.v1.ChangeEvent", timestamp, service, kind, description };
}

export function leanSpan(service: string, parent: string, durationMs: number, error: boolean): Span {
  return { $typeName: "incident.v1.Span", service, parent, durationMs, error };
}

export function leanTrace(traceId: string, spans: Span[]): Trace {
  return { $typeName: "incident.v1.Trace", traceId, spans };
}

/** An Inspection with every field given (its trace included). */
export function leanInspection(fields: Omit<Inspection, "$typeName" | "$unknown" | "trace"> & { trace: Trace }): Inspection {
  return {
    $typeName: "incident.v1.Inspection",
    service: fields.service,
    kind: fields.kind,
    role: fields.role,
    version: fields.version,
    replicas: fields.replicas,
    zone: fields.zone,
    series: fields.series,
    dependencies: fields.dependencies,
    dependents: fields.dependents,
    recentChanges: fields.recentChanges,
    recentLogs: fields.recentLogs,
    trace: fields.trace,
    takenAtMinute: fields.takenAtMinute,
  };
}

/** An Observation: the message fields (and `text`) only when given, as `create` leaves them out. */
export function leanObservation(fields: Omit<Observation, "$typeName" | "$unknown">): Observation {
  const o: Observation = { $typeName: "incident.v1.Observation", step: fields.step } as Observation;
  if (fields.alert !== undefined) o.alert = fields.alert;
  o.metrics = fields.metrics;
  o.recentLogs = fields.recentLogs;
  o.kbArticles = fields.kbArticles;
  o.currentIncidentStatus = fields.currentIncidentStatus;
  o.previousActions = fields.previousActions;
  o.timeElapsedMinutes = fields.timeElapsedMinutes;
  o.feedback = fields.feedback;
  o.taskLevel = fields.taskLevel;
  o.objective = fields.objective;
  o.maxSteps = fields.maxSteps;
  if (fields.topology !== undefined) o.topology = fields.topology;
  o.activeAlerts = fields.activeAlerts;
  if (fields.inspection !== undefined) o.inspection = fields.inspection;
  if (fields.text !== undefined) o.text = fields.text;
  return o;
}

export function leanStepInfo(fields: Omit<StepInfo, "$typeName" | "$unknown">): StepInfo {
  const info: StepInfo = {
    $typeName: "incident.v1.StepInfo",
    message: fields.message,
    stepScore: fields.stepScore,
    totalEpisodeScore: fields.totalEpisodeScore,
    taskLevel: fields.taskLevel,
  } as StepInfo;
  if (fields.breakdown !== undefined) info.breakdown = fields.breakdown;
  info.status = fields.status;
  info.truncated = fields.truncated;
  return info;
}

export function leanStepResponse(observation: Observation, reward: number, done: boolean, info: StepInfo, episodeId: string): StepResponse {
  return { $typeName: "incident.v1.StepResponse", observation, reward, done, info, episodeId };
}

export function leanResetResponse(
  observation: Observation,
  done: boolean,
  episodeId: string,
  state: ResetResponse["state"],
): ResetResponse {
  const response: ResetResponse = { $typeName: "incident.v1.ResetResponse", observation } as ResetResponse;
  response.done = done;
  response.episodeId = episodeId;
  if (state !== undefined) response.state = state;
  return response;
}
