/**
 * How alert rules word their alerts: a title per metric ({node} is the node the rule watches) and
 * one description ({signal}: the metric in words, {value}: the reading that fired it,
 * {threshold}: the rule's threshold). Public and held-out paraphrases as for log lines
 * (Paraphrases in src/sim/vocabulary.ts); each rule keeps one wording for the incident.
 */
import type { PhrasedText } from "./vocabulary.js";
import type { MetricName } from "./model.js";

/** Metrics with alerting rules. Traffic alone does not page anyone. */
export const ALERTING = [
  "error_rate",
  "latency_p99",
  "cpu_usage",
  "memory_usage",
  "connection_usage",
  "disk_usage",
  "consumer_lag",
  "cache_hit_ratio",
] as const satisfies readonly MetricName[];
export type AlertingMetric = (typeof ALERTING)[number];

export const ALERT_TITLES: Readonly<Record<AlertingMetric, PhrasedText>> = {
  error_rate: {
    message: "High error rate on {node}",
    paraphrases: {
      public: ["{node}: error rate above threshold", "ErrorRateHigh {node}"],
      held_out: ["[{node}] failing requests over SLO", "Elevated failures at {node}"],
    },
  },
  latency_p99: {
    message: "High p99 latency on {node}",
    paraphrases: {
      public: ["{node}: p99 latency above threshold", "LatencyP99High {node}"],
      held_out: ["[{node}] tail latency over SLO", "Slow responses at {node}"],
    },
  },
  cpu_usage: {
    message: "CPU saturation on {node}",
    paraphrases: {
      public: ["{node}: CPU usage above threshold", "CPUSaturated {node}"],
      held_out: ["[{node}] processors busy", "Compute exhausted at {node}"],
    },
  },
  memory_usage: {
    message: "Memory pressure on {node}",
    paraphrases: {
      public: ["{node}: memory usage above threshold", "MemoryPressure {node}"],
      held_out: ["[{node}] RAM nearly exhausted", "Low free memory at {node}"],
    },
  },
  connection_usage: {
    message: "Connection pool saturation on {node}",
    paraphrases: {
      public: ["{node}: connection usage above threshold", "ConnectionPoolSaturated {node}"],
      held_out: ["[{node}] connection slots almost all taken", "Few free connections at {node}"],
    },
  },
  disk_usage: {
    message: "Disk almost full on {node}",
    paraphrases: {
      public: ["{node}: disk usage above threshold", "DiskAlmostFull {node}"],
      held_out: ["[{node}] storage nearly exhausted", "Running out of disk at {node}"],
    },
  },
  consumer_lag: {
    message: "Consumer lag growing on {node}",
    paraphrases: {
      public: ["{node}: consumer lag above threshold", "ConsumerLagGrowing {node}"],
      held_out: ["[{node}] consumers falling behind", "Backlog building at {node}"],
    },
  },
  cache_hit_ratio: {
    message: "Cache hit ratio collapsed on {node}",
    paraphrases: {
      public: ["{node}: cache hit ratio below threshold", "CacheHitRatioLow {node}"],
      held_out: ["[{node}] cache mostly missing", "Cache misses dominating at {node}"],
    },
  },
};

export const ALERT_DESCRIPTION: PhrasedText = {
  message: "{signal} on {node} at {value}, past its threshold of {threshold} for 2 minutes.",
  paraphrases: {
    public: [
      "{node} {signal} = {value} (threshold {threshold}) for 2 consecutive minutes.",
      "Rule fired: {signal} on {node} crossed {threshold} (now {value}) for 2m.",
    ],
    held_out: [
      "For two minutes {node} has reported {signal} of {value}; the alerting limit is {threshold}.",
      '{"node":"{node}","signal":"{signal}","observed":"{value}","limit":"{threshold}","for":"2m"}',
    ],
  },
};
