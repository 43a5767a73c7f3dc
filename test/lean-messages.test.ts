/**
 * The lean message builders (src/env/lean-messages.ts) make what `create` makes: the same fields,
 * in the same order, with the same values, and the same bytes.
 */
import { create, toBinary, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import { TimestampSchema, timestampFromMs } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import { ChangeKind, EpisodeStatus, IncidentStatus, LogLevel, ServiceKind, Severity, TaskLevel } from "../gen/incident/v1/enums_pb.js";
import {
  ChangeEventSchema,
  DependencyReadingSchema,
  InspectionSchema,
  MetricPointSchema,
  MetricSeriesSchema,
  SpanSchema,
  TraceSchema,
} from "../gen/incident/v1/inspection_pb.js";
import { AlertSchema, LogEntrySchema, ServiceMetricSchema } from "../gen/incident/v1/telemetry_pb.js";
import { ObservationSchema } from "../gen/incident/v1/observation_pb.js";
import { EpisodeStateSchema, GradeBreakdownSchema, StepInfoSchema } from "../gen/incident/v1/episode_pb.js";
import { ResetResponseSchema, StepResponseSchema } from "../gen/incident/v1/service_pb.js";
import { TopologySchema } from "../gen/incident/v1/topology_pb.js";
import {
  leanAlert,
  leanChangeEvent,
  leanDependencyReading,
  leanInspection,
  leanLogEntry,
  leanMetricPoint,
  leanMetricSeries,
  leanObservation,
  leanResetResponse,
  leanServiceMetric,
  leanStepInfo,
  leanStepResponse,
  leanSpan,
  leanTimestamp,
  leanTrace,
} from "../src/env/lean-messages.js";

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

  it("alerts", () => {
    const at = 1_767_225_600_000;
    same(
      AlertSchema,
      leanAlert("ALT-001", "High error rate", Severity.P2, leanTimestamp(at), ["api"], "errors past 5%"),
      create(AlertSchema, {
        alertId: "ALT-001",
        title: "High error rate",
        severity: Severity.P2,
        triggeredAt: timestampFromMs(at),
        affectedServices: ["api"],
        description: "errors past 5%",
      }),
    );
  });

  it("an inspection and its parts", () => {
    const at = 1_767_225_600_000;
    const points = [leanMetricPoint(-1, 2.5), leanMetricPoint(0, 3)];
    same(
      MetricSeriesSchema,
      leanMetricSeries("error_rate", "%", 5, points),
      create(MetricSeriesSchema, { metricName: "error_rate", unit: "%", threshold: 5, points }),
    );
    same(MetricSeriesSchema, leanMetricSeries("", "", 0, []), create(MetricSeriesSchema, {}));
    same(
      DependencyReadingSchema,
      leanDependencyReading("db", 120.5, 1.25, 80, 500, 2),
      create(DependencyReadingSchema, { callee: "db", callsPerSecond: 120.5, errorRate: 1.25, latencyMs: 80, timeoutMs: 500, retries: 2 }),
    );
    same(
      ChangeEventSchema,
      leanChangeEvent(leanTimestamp(at), "api", ChangeKind.DEPLOY, "deployed api v2"),
      create(ChangeEventSchema, {
        timestamp: timestampFromMs(at),
        service: "api",
        kind: ChangeKind.DEPLOY,
        description: "deployed api v2",
      }),
    );
    same(SpanSchema, leanSpan("api", "", 12.5, true), create(SpanSchema, { service: "api", parent: "", durationMs: 12.5, error: true }));
    const spans = [leanSpan("gw", "", 3, false), leanSpan("api", "gw", 2, false)];
    same(TraceSchema, leanTrace("abc", spans), create(TraceSchema, { traceId: "abc", spans }));
    const fields = {
      service: "api",
      kind: ServiceKind.SERVICE,
      role: "orders",
      version: "v1.2.3",
      replicas: 3,
      zone: "eu-1a",
      series: [leanMetricSeries("error_rate", "%", 5, points)],
      dependencies: [leanDependencyReading("db", 1, 2, 3, 4, 5)],
      dependents: ["gw"],
      recentChanges: [leanChangeEvent(leanTimestamp(at), "api", ChangeKind.DEPLOY, "deployed")],
      recentLogs: [leanLogEntry(leanTimestamp(at), LogLevel.INFO, "api", "ok", undefined)],
      trace: leanTrace("abc", spans),
      takenAtMinute: -2,
    };
    same(InspectionSchema, leanInspection(fields), create(InspectionSchema, fields));
  });

  it("observations, with every optional part and without", () => {
    const at = 1_767_225_600_000;
    const alert = leanAlert("ALT-001", "High error rate", Severity.P2, leanTimestamp(at), ["api"], "errors");
    const base = {
      step: 3,
      metrics: [leanServiceMetric("api", "error_rate", 3.5, "%", 2, true)],
      recentLogs: [leanLogEntry(leanTimestamp(at), LogLevel.INFO, "api", "ok", "t1")],
      kbArticles: [],
      currentIncidentStatus: IncidentStatus.INVESTIGATING,
      previousActions: ["inspect api"],
      timeElapsedMinutes: 6,
      feedback: "looked",
      taskLevel: TaskLevel.MEDIUM,
      objective: "find it",
      maxSteps: 20,
      activeAlerts: [alert],
    };
    same(ObservationSchema, leanObservation(base), create(ObservationSchema, base));
    same(
      ObservationSchema,
      leanObservation({ ...base, step: 0, metrics: [], activeAlerts: [] }),
      create(ObservationSchema, { ...base, step: 0, metrics: [], activeAlerts: [] }),
    );
    const full = {
      ...base,
      alert,
      topology: create(TopologySchema, { family: "shop", services: [{ name: "api" }] }),
      inspection: leanInspection({
        service: "api",
        kind: ServiceKind.SERVICE,
        role: "",
        version: "",
        replicas: 1,
        zone: "",
        series: [],
        dependencies: [],
        dependents: [],
        recentChanges: [],
        recentLogs: [],
        trace: leanTrace("", []),
        takenAtMinute: 0,
      }),
      text: "# Observation",
    };
    same(ObservationSchema, leanObservation(full), create(ObservationSchema, full));
  });

  it("step info, step and reset responses", () => {
    const info = {
      message: "step=1",
      stepScore: 0.25,
      totalEpisodeScore: 0.5,
      taskLevel: TaskLevel.HARD,
      status: EpisodeStatus.RUNNING,
      truncated: false,
    };
    same(StepInfoSchema, leanStepInfo(info), create(StepInfoSchema, info));
    const graded = {
      ...info,
      breakdown: create(GradeBreakdownSchema, { grader: "medium", rawScore: 0.5 }),
      status: EpisodeStatus.TERMINATED_SUCCESS,
      truncated: true,
    };
    same(StepInfoSchema, leanStepInfo(graded), create(StepInfoSchema, graded));
    const observation = create(ObservationSchema, { step: 1 });
    const stepInfo = leanStepInfo(info);
    same(
      StepResponseSchema,
      leanStepResponse(observation, 0.25, false, stepInfo, "ep-1"),
      create(StepResponseSchema, { observation, reward: 0.25, done: false, info: stepInfo, episodeId: "ep-1" }),
    );
    same(
      StepResponseSchema,
      leanStepResponse(observation, 0, true, stepInfo, ""),
      create(StepResponseSchema, { observation, done: true, info: stepInfo }),
    );
    const state = create(EpisodeStateSchema, { episodeId: "ep-1", stepCount: 0 });
    same(
      ResetResponseSchema,
      leanResetResponse(observation, false, "ep-1", state),
      create(ResetResponseSchema, { observation, done: false, episodeId: "ep-1", state }),
    );
    same(ResetResponseSchema, leanResetResponse(observation, false, "", undefined), create(ResetResponseSchema, { observation }));
  });
});
