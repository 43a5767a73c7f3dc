/**
 * Turns the world's state into the proto messages an agent receives: the page and active alerts,
 * the overview metrics, the topology, log lines, and inspection results.
 */
import { create } from "@bufbuild/protobuf";
import { ChangeKind, LogLevel, RetryBackoff, ServiceKind, Severity } from "../../gen/incident/v1/enums_pb.js";
import type { Inspection, MetricPoint } from "../../gen/incident/v1/inspection_pb.js";
import type { Alert, LogEntry, ServiceMetric } from "../../gen/incident/v1/telemetry_pb.js";
import { TopologySchema, type Topology } from "../../gen/incident/v1/topology_pb.js";
import type { SeverityWord } from "../sim/vocabulary.js";
import type { AlertRecord } from "../sim/alerts.js";
import type { IncidentWorld } from "../sim/incident-world.js";
import type { SimLogLine } from "../sim/log-writer.js";
import { enumFromWord } from "../sim/enum-words.js";
import {
  leanAlert,
  leanChangeEvent,
  leanDependencyReading,
  leanInspection,
  leanMetricPoint,
  leanMetricSeries,
  leanServiceMetric,
  leanSpan,
  leanTimestamp,
  leanTrace,
} from "./lean-messages.js";
import { LogRecord } from "./log-record.js";

const MINUTE_MS = 60_000;

export function toLogRecord(line: SimLogLine): LogRecord {
  return new LogRecord(line.minute, line.second, LogLevel[line.level], line.service, line.message, line.traceId);
}

/**
 * An alert as the responder sees it. `severity` is the priority its rule was configured with
 * (AlertRecord.priority), never the incident's severity, which the responder has to assess.
 */
export function toAlert(world: IncidentWorld, alert: AlertRecord, severity: SeverityWord, isPage: boolean): Alert {
  const narrative = isPage ? world.spec.narrative : undefined;
  return leanAlert(
    alert.id,
    narrative?.alertTitle ?? alert.title,
    Severity[severity],
    leanTimestamp(world.spec.startedAtMs + alert.firedAtMinute * MINUTE_MS),
    [alert.node],
    narrative?.alertDescription ?? alert.description,
  );
}

export function overviewMetrics(world: IncidentWorld): ServiceMetric[] {
  return world.overview().map((r) => leanServiceMetric(r.service, r.metric, r.value, r.unit, r.threshold, r.anomalous));
}

export function toTopology(world: IncidentWorld): Topology {
  const t = world.topology;
  return create(TopologySchema, {
    family: t.family,
    services: t.nodes.map((n) => ({
      name: n.name,
      kind: enumFromWord(ServiceKind, n.kind) ?? ServiceKind.UNSPECIFIED,
      role: n.role,
      aliases: [...n.aliases],
      replicas: n.replicas,
      version: n.version,
      zone: n.zone,
    })),
    dependencies: t.edges.map((e) => ({
      caller: e.caller,
      callee: e.callee,
      callsPerSecond: e.callsPerSecond,
      timeoutMs: e.timeoutMs,
      retries: e.retries,
      backoff: enumFromWord(RetryBackoff, e.backoff) ?? RetryBackoff.UNSPECIFIED,
      requestPath: e.requestPath,
    })),
  });
}

/**
 * An inspection as an episode keeps it until the next step: the message without its metric points
 * and recent log lines, which are most of its size (a point is a message, and an episode keeps its
 * last inspection), and those as numbers and log records. inspectionMessage makes the message.
 */
export interface InspectionSnapshot {
  /** The message, every series with no points and no recent logs. */
  bare: Inspection;
  /** Per series: minute, value, minute, value... */
  points: ReadonlyArray<readonly number[]>;
  logs: readonly LogRecord[];
}

/** The Inspection message of a snapshot; `entry` makes each log line's LogEntry. */
export function inspectionMessage(snapshot: InspectionSnapshot, entry: (record: LogRecord) => LogEntry): Inspection {
  const { bare, points } = snapshot;
  // The bare message copied once, with its points and log lines in place (a literal of its own).
  return {
    ...bare,
    series: bare.series.map((series, i) => {
      const pairs = points[i] ?? [];
      const made = new Array<MetricPoint>(pairs.length / 2);
      for (let k = 0; k < made.length; k++) made[k] = leanMetricPoint(pairs[2 * k] ?? 0, pairs[2 * k + 1] ?? 0);
      return leanMetricSeries(series.metricName, series.unit, series.threshold, made);
    }),
    recentLogs: snapshot.logs.map(entry),
  };
}

/** What inspecting a service shows now; `logs` are that service's recent lines from the episode log. */
export function inspectionOf(world: IncidentWorld, service: string, logs: readonly LogRecord[]): InspectionSnapshot {
  const seen = world.inspect(service);
  const bare = leanInspection({
    service: seen.node.name,
    kind: enumFromWord(ServiceKind, seen.node.kind) ?? ServiceKind.UNSPECIFIED,
    role: seen.node.role,
    version: seen.node.version,
    replicas: seen.node.replicas,
    zone: seen.node.zone,
    series: seen.history.map((h) => leanMetricSeries(h.metric, h.unit, h.threshold, [])),
    dependencies: seen.dependencies.map((d) =>
      leanDependencyReading(d.edge.callee, d.callsPerSecond, d.errorRate, d.latencyMs, d.edge.timeoutMs, d.edge.retries),
    ),
    dependents: seen.dependents.map((e) => e.caller),
    recentChanges: seen.changes.map((c) =>
      leanChangeEvent(
        leanTimestamp(world.spec.startedAtMs + c.minute * MINUTE_MS),
        c.service,
        enumFromWord(ChangeKind, c.kind) ?? ChangeKind.UNSPECIFIED,
        c.description,
      ),
    ),
    recentLogs: [],
    trace: leanTrace(
      seen.trace.traceId,
      seen.trace.spans.map((s) => leanSpan(s.service, s.parent, s.durationMs, s.error)),
    ),
    takenAtMinute: world.minute,
  });
  return { bare, points: seen.history.map((h) => h.points), logs: [...logs] };
}
