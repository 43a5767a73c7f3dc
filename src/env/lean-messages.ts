/**
 * The messages an episode makes by the hundred (log lines, their timestamps, metric readings,
 * inspection points), built as object literals instead of through `create`.
 *
 * Why: `create` walks the descriptor and adds fields one at a time, so V8 gives each message an
 * out-of-object property array: with thousands of live episodes holding their log lines, that is
 * a large share of memory, and a noticeable share of a step's time. A literal with every field is
 * one compact object. Each builder makes exactly what `create` makes for proto3: every field with
 * implicit presence, in field order, and an explicit-presence field only when set
 * (test/lean-messages.test.ts checks them against `create`).
 */
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import type { LogLevel } from "../../gen/incident/v1/enums_pb.js";
import type { MetricPoint } from "../../gen/incident/v1/inspection_pb.js";
import type { LogEntry, ServiceMetric } from "../../gen/incident/v1/telemetry_pb.js";

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
