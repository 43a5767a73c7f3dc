/**
 * The simulated system's vocabulary: kinds of nodes, the metrics every node reports, and what
 * "healthy" looks like for each kind. Pure data; the engine (src/sim/engine.ts) reads it.
 *
 * Metrics follow the four golden signals: latency (p50, p99), traffic (request rate), errors
 * (error rate), and saturation (CPU, memory, connections or threads in use, queue depth, disk).
 * A few kinds add their own (cache hit ratio, consumer lag, lock waits).
 */

export type NodeKind = "gateway" | "service" | "database" | "cache" | "queue" | "search" | "vendor" | "network" | "dns" | "config";

export type MetricName =
  | "latency_p50"
  | "latency_p99"
  | "error_rate"
  | "request_rate"
  | "cpu_usage"
  | "memory_usage"
  | "connection_usage"
  | "queue_depth"
  | "consumer_lag"
  | "disk_usage"
  | "cache_hit_ratio"
  | "lock_waits";

interface MetricInfo {
  unit: string;
  /** "above": unhealthy above the threshold; "below": unhealthy below it. */
  direction: "above" | "below";
  /** Golden-signal metrics appear in every observation for the services it shows. */
  golden: boolean;
  /** Digits kept when the value is shown. */
  decimals: number;
}

export const METRICS: Readonly<Record<MetricName, MetricInfo>> = {
  latency_p50: { unit: "ms", direction: "above", golden: false, decimals: 1 },
  latency_p99: { unit: "ms", direction: "above", golden: true, decimals: 1 },
  error_rate: { unit: "%", direction: "above", golden: true, decimals: 2 },
  request_rate: { unit: "req/s", direction: "above", golden: true, decimals: 1 },
  cpu_usage: { unit: "%", direction: "above", golden: true, decimals: 1 },
  memory_usage: { unit: "%", direction: "above", golden: false, decimals: 1 },
  connection_usage: { unit: "%", direction: "above", golden: false, decimals: 1 },
  queue_depth: { unit: "messages", direction: "above", golden: false, decimals: 0 },
  consumer_lag: { unit: "messages", direction: "above", golden: false, decimals: 0 },
  disk_usage: { unit: "%", direction: "above", golden: false, decimals: 1 },
  cache_hit_ratio: { unit: "%", direction: "below", golden: false, decimals: 1 },
  lock_waits: { unit: "count", direction: "above", golden: false, decimals: 0 },
};

/** Healthy value and alerting threshold of one metric on one kind of node. */
export interface MetricProfile {
  baseline: number;
  threshold: number;
}

/**
 * What each kind of node reports and its healthy values. A metric a kind does not list is not
 * reported for that kind. Request rates are per replica-independent totals, scaled by the
 * topology's traffic at generation time.
 */
export const KIND_PROFILES: Readonly<Record<NodeKind, Partial<Record<MetricName, MetricProfile>>>> = {
  gateway: {
    latency_p50: { baseline: 45, threshold: 400 },
    latency_p99: { baseline: 180, threshold: 1000 },
    error_rate: { baseline: 0.3, threshold: 5 },
    request_rate: { baseline: 1200, threshold: 6000 },
    cpu_usage: { baseline: 35, threshold: 85 },
    connection_usage: { baseline: 30, threshold: 90 },
  },
  service: {
    latency_p50: { baseline: 25, threshold: 300 },
    latency_p99: { baseline: 120, threshold: 800 },
    error_rate: { baseline: 0.2, threshold: 5 },
    request_rate: { baseline: 300, threshold: 3000 },
    cpu_usage: { baseline: 30, threshold: 85 },
    memory_usage: { baseline: 50, threshold: 90 },
    connection_usage: { baseline: 25, threshold: 90 },
  },
  database: {
    latency_p50: { baseline: 3, threshold: 50 },
    latency_p99: { baseline: 15, threshold: 250 },
    error_rate: { baseline: 0.05, threshold: 2 },
    request_rate: { baseline: 900, threshold: 8000 },
    cpu_usage: { baseline: 35, threshold: 85 },
    memory_usage: { baseline: 62, threshold: 92 },
    connection_usage: { baseline: 40, threshold: 90 },
    disk_usage: { baseline: 55, threshold: 90 },
    lock_waits: { baseline: 1, threshold: 20 },
  },
  cache: {
    latency_p50: { baseline: 0.6, threshold: 20 },
    latency_p99: { baseline: 2.5, threshold: 50 },
    error_rate: { baseline: 0.02, threshold: 2 },
    request_rate: { baseline: 2500, threshold: 20000 },
    cpu_usage: { baseline: 20, threshold: 85 },
    memory_usage: { baseline: 55, threshold: 90 },
    cache_hit_ratio: { baseline: 93, threshold: 70 },
  },
  queue: {
    latency_p99: { baseline: 12, threshold: 300 },
    error_rate: { baseline: 0.02, threshold: 2 },
    request_rate: { baseline: 600, threshold: 6000 },
    cpu_usage: { baseline: 25, threshold: 85 },
    disk_usage: { baseline: 40, threshold: 90 },
    queue_depth: { baseline: 400, threshold: 20000 },
    consumer_lag: { baseline: 150, threshold: 10000 },
  },
  search: {
    latency_p50: { baseline: 18, threshold: 250 },
    latency_p99: { baseline: 90, threshold: 800 },
    error_rate: { baseline: 0.1, threshold: 3 },
    request_rate: { baseline: 250, threshold: 3000 },
    cpu_usage: { baseline: 40, threshold: 85 },
    memory_usage: { baseline: 65, threshold: 90 },
  },
  vendor: {
    latency_p50: { baseline: 120, threshold: 1500 },
    latency_p99: { baseline: 450, threshold: 3000 },
    error_rate: { baseline: 0.5, threshold: 5 },
    request_rate: { baseline: 80, threshold: 1000 },
  },
  network: {
    latency_p99: { baseline: 1.2, threshold: 50 },
    error_rate: { baseline: 0.01, threshold: 1 },
    request_rate: { baseline: 9000, threshold: 90000 },
  },
  dns: {
    latency_p99: { baseline: 4, threshold: 200 },
    error_rate: { baseline: 0.01, threshold: 1 },
    request_rate: { baseline: 1500, threshold: 20000 },
    cpu_usage: { baseline: 15, threshold: 85 },
  },
  config: {
    latency_p99: { baseline: 30, threshold: 1000 },
    error_rate: { baseline: 0.05, threshold: 5 },
    request_rate: { baseline: 20, threshold: 500 },
  },
};

/** The metrics a kind of node reports, in display order. */
export function metricsOf(kind: NodeKind): MetricName[] {
  return (Object.keys(METRICS) as MetricName[]).filter((m) => KIND_PROFILES[kind][m] !== undefined);
}

/** Every metric's slot in a node's readings array (src/sim/engine.ts), in METRICS order. */
export const METRIC_INDEX: Readonly<Record<MetricName, number>> = Object.fromEntries(
  (Object.keys(METRICS) as MetricName[]).map((m, i) => [m, i]),
) as Record<MetricName, number>;
export const METRIC_COUNT = Object.keys(METRICS).length;
