/**
 * The lean message builders (src/env/lean-messages.ts) make what `create` makes: the same fields,
 * in the same order, with the same values, and the same bytes.
 */
import { create, toBinary, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import { TimestampSchema, timestampFromMs } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import { LogLevel } from "../gen/incident/v1/enums_pb.js";
import { MetricPointSchema } from "../gen/incident/v1/inspection_pb.js";
import { LogEntrySchema, ServiceMetricSchema } from "../gen/incident/v1/telemetry_pb.js";
import { leanLogEntry, leanMetricPoint, leanServiceMetric, leanTimestamp } from "../src/env/lean-messages.js";

function same<D extends DescMessage>(schema: D, lean: MessageShape<D>, made: MessageShape<D>): void {
  expect(Object.keys(lean)).toEqual(Object.keys(made));
  expect(lean).toEqual(made);
  expect(toBinary(schema, lean)).toEqual(toBinary(schema, made));
}

describe("lean messages", () => {
  it("timestamps", () => {
    for (const ms of [0, 999, 1_700_000_123_456, 1_767_225_600_000 + 59_000, -1500])
      same(TimestampSchema, leanTimestamp(ms), timestampFromMs(ms));
  });

  it("log entries, with and without a trace id", () => {
    const timestamp = timestampFromMs(1_767_225_600_000);
    same(
      LogEntrySchema,
      leanLogEntry(leanTimestamp(1_767_225_600_000), LogLevel.WARN, "api", "slow", undefined),
      create(LogEntrySchema, { timestamp, level: LogLevel.WARN, service: "api", message: "slow" }),
    );
    same(
      LogEntrySchema,
      leanLogEntry(leanTimestamp(1_767_225_600_000), LogLevel.ERROR, "db", "down", "abc"),
      create(LogEntrySchema, { timestamp, level: LogLevel.ERROR, service: "db", message: "down", traceId: "abc" }),
    );
  });

  it("metric readings and inspection points", () => {
    same(
      ServiceMetricSchema,
      leanServiceMetric("api", "error_rate", 3.5, "%", 2, true),
      create(ServiceMetricSchema, { serviceName: "api", metricName: "error_rate", value: 3.5, unit: "%", threshold: 2, isAnomalous: true }),
    );
    same(ServiceMetricSchema, leanServiceMetric("", "", 0, "", 0, false), create(ServiceMetricSchema, {}));
    same(MetricPointSchema, leanMetricPoint(-3, 12.25), create(MetricPointSchema, { minute: -3, value: 12.25 }));
  });
});
