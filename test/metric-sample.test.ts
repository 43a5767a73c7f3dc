/**
 * MetricSample (src/env/metric-sample.ts): the events journal's compact form of an overview sample
 * gives back each reading's ServiceMetric message, with the same fields and bytes, by its number.
 */
import { create, toBinary } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { ServiceMetricSchema, type ServiceMetric } from "../gen/incident/v1/telemetry_pb.js";
import { MetricSample } from "../src/env/metric-sample.js";

const readings: ServiceMetric[] = [
  create(ServiceMetricSchema, {
    serviceName: "api",
    metricName: "latency_p99",
    value: 812.5,
    unit: "ms",
    threshold: 500,
    isAnomalous: true,
  }),
  create(ServiceMetricSchema, { serviceName: "api", metricName: "error_rate", value: 0.1, unit: "%", threshold: 5, isAnomalous: false }),
  create(ServiceMetricSchema, { serviceName: "db", metricName: "cpu_usage", value: 0, unit: "%", threshold: 85, isAnomalous: false }),
  create(ServiceMetricSchema, {
    serviceName: "db",
    metricName: "request_rate",
    value: 1e-9,
    unit: "rps",
    threshold: 0,
    isAnomalous: false,
  }),
];

describe("MetricSample", () => {
  it("gives back every reading by its number, with the same fields and bytes", () => {
    const sample = MetricSample.of(readings);
    sample.firstSeq = 41;
    expect(sample.size).toBe(4);
    readings.forEach((m, i) => {
      const back = sample.reading(41 + i);
      expect(back).toEqual(m);
      expect(toBinary(ServiceMetricSchema, back)).toEqual(toBinary(ServiceMetricSchema, m));
    });
  });

  it("refuses a number outside the sample", () => {
    const sample = MetricSample.of(readings);
    sample.firstSeq = 10;
    for (const seq of [9, 14, 10.5]) expect(() => sample.reading(seq)).toThrow(RangeError);
  });

  it("shares the names of the previous sample only when they are the same, and keeps its own values", () => {
    const first = MetricSample.of(readings);
    const same = MetricSample.of(
      readings.map((m) => ({ ...m, value: m.value + 1 })),
      first,
    );
    const other = MetricSample.of(readings.slice(1), first);
    const renamed = MetricSample.of(
      readings.map((m, i) => (i === 2 ? { ...m, unit: "ratio" } : m)),
      first,
    );
    const names = (s: MetricSample): unknown => (s as unknown as { names: unknown }).names;
    expect(names(same)).toBe(names(first));
    expect(names(other)).not.toBe(names(first));
    expect(names(renamed)).not.toBe(names(first));
    same.firstSeq = 1;
    renamed.firstSeq = 1;
    expect(same.reading(1).value).toBe(813.5);
    expect(renamed.reading(3).unit).toBe("ratio");
    expect(renamed.reading(1).unit).toBe("ms");
  });
});
