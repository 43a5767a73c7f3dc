import type { ScenarioTemplate } from "../types.js";

/**
 * The fulfilment workers call an external carrier API inline, with no read timeout. The carrier
 * slowed to 30 s per call, every worker thread is parked on it, consumers stop polling and the
 * job queue backs up. Kafka raises the alarm; Kafka is fine.
 */
export const medium001: ScenarioTemplate = {
  id: "INC-MED-001",
  level: "medium",
  title: "Slow carrier API stalls the job queue",
  services: [
    { name: "kafka", aliases: ["kafka cluster", "kafka brokers", "message broker"], role: "Kafka cluster (topic job-queue, 12 partitions)" },
    { name: "worker-service", aliases: ["worker", "workers", "worker service", "fulfilment worker", "fulfilment workers", "fulfillment workers"], role: "fulfilment job consumers" },
    { name: "order-service", aliases: ["orders", "order service", "orders api"], role: "order API, produces jobs to job-queue" },
    { name: "postgres-db", aliases: ["postgres", "postgresql", "postgres db", "database"], role: "PostgreSQL primary" },
    { name: "api-gateway", aliases: ["gateway", "api gateway", "apigw"], role: "public HTTP gateway" },
  ],
  alert: {
    id: "ALT-101",
    title: "High Kafka Queue Lag",
    severity: "P2",
    affectedServices: ["kafka", "worker-service"],
    description:
      "Consumer group fulfilment-workers is more than 50,000 messages behind on topic job-queue. Orders are still accepted; shipping labels and confirmation emails are delayed.",
  },
  metrics: [
    { service: "kafka", metric: "consumer_lag", unit: "messages", threshold: 10000, direction: "above", baseline: 150, atPage: 52000, driftPerMinute: 1400, worst: 400000, noise: 0.02 },
    { service: "kafka", metric: "broker_cpu_usage", unit: "%", threshold: 80, direction: "above", baseline: 27, atPage: 26, driftPerMinute: 0, worst: 26, noise: 0.05 },
    { service: "worker-service", metric: "active_threads", unit: "%", threshold: 95, direction: "above", baseline: 34, atPage: 100, driftPerMinute: 0, worst: 100, noise: 0 },
    { service: "worker-service", metric: "external_api_latency", unit: "ms", threshold: 5000, direction: "above", baseline: 410, atPage: 30000, driftPerMinute: 0, worst: 30000, noise: 0.01 },
    { service: "worker-service", metric: "jobs_processed_per_min", unit: "count", threshold: 200, direction: "below", baseline: 860, atPage: 4, driftPerMinute: 0.2, worst: 0, noise: 0.2 },
    { service: "order-service", metric: "orders_per_min", unit: "count", threshold: 100, direction: "below", baseline: 610, atPage: 598, driftPerMinute: 0, worst: 598, noise: 0.04 },
    { service: "postgres-db", metric: "cpu_usage", unit: "%", threshold: 80, direction: "above", baseline: 33, atPage: 29, driftPerMinute: 0, worst: 29, noise: 0.05 },
  ],
  openingLogs: [
    { atMinute: -31, level: "INFO", service: "worker-service", message: "consumer group fulfilment-workers: 4 instances x 25 threads consuming job-queue" },
    { atMinute: -22, level: "WARN", service: "worker-service", message: "POST https://api.parcelhub.example/v2/labels took 27.9 s (order {n})", trace: "label1" },
    { atMinute: -16, level: "WARN", service: "worker-service", message: "carrier API call for order {n} still open after 30000 ms (client read timeout: none)", trace: "label2" },
    { atMinute: -12, level: "ERROR", service: "worker-service", message: "thread pool fulfilment-exec saturated: 100/100 busy, 0 idle, {n} tasks queued" },
    { atMinute: -9, level: "WARN", service: "kafka", message: "member fulfilment-workers-3 did not poll for 300000 ms (max.poll.interval.ms); removing it from the group" },
    { atMinute: -8, level: "WARN", service: "kafka", message: "group fulfilment-workers rebalancing: 4 members, generation 87" },
    { atMinute: -2, level: "WARN", service: "kafka", message: "lag for group fulfilment-workers on job-queue: 48,210 messages" },
    { atMinute: 0, level: "CRITICAL", service: "kafka", message: "consumer lag above 50000 on job-queue, paging on-call" },
  ],
  activeLogs: [
    { level: "WARN", service: "worker-service", message: "carrier API call for order {n} cut by the egress proxy after 30000 ms", trace: "j" },
    { level: "ERROR", service: "worker-service", message: "job {n} failed after 30 s waiting on api.parcelhub.example; will be redelivered", trace: "j" },
    { level: "ERROR", service: "worker-service", message: "thread pool fulfilment-exec saturated: 100/100 busy, {n} tasks queued" },
    { level: "WARN", service: "kafka", message: "lag on job-queue grew by {n}00 messages in the last minute" },
    { level: "WARN", service: "kafka", message: "group fulfilment-workers rebalancing after member poll timeout" },
  ],
  recoveryLogs: [
    { level: "INFO", service: "worker-service", message: "feature flag fulfilment.carrier_labels is off: label requests deferred to the retry table" },
    { level: "INFO", service: "worker-service", message: "thread pool fulfilment-exec: 23/100 busy" },
    { level: "INFO", service: "kafka", message: "lag on job-queue falling: 31,400 messages, draining about 2,800 per minute" },
    { level: "INFO", service: "kafka", message: "group fulfilment-workers stable, lag under 1,000" },
  ],
  backgroundLogs: [
    { level: "INFO", service: "order-service", message: "published order.created for order {n}" },
    { level: "INFO", service: "postgres-db", message: "autovacuum: table orders, {n} dead tuples removed" },
    { level: "INFO", service: "api-gateway", message: "POST /v1/orders 201 in {n} ms" },
  ],
  kb: [
    {
      id: "KB-KAFKA-100",
      title: "Consumer lag is a consumer problem",
      tags: ["kafka", "lag", "consumers"],
      content:
        "Lag grows when the consumers of a group fall behind the producers. Brokers are rarely the cause: check broker CPU and disk, then look at the consumers. " +
        "Members that stop polling for longer than max.poll.interval.ms are kicked out, and the rebalances slow the group further. " +
        "Restarting brokers or adding partitions does not help a consumer that is stuck.",
    },
    {
      id: "KB-WORKER-003",
      title: "Fulfilment workers stuck on the carrier API",
      tags: ["worker-service", "carrier", "feature-flag"],
      content:
        "Each fulfilment job calls the carrier label API inline, on a worker thread. If the carrier is slow, the threads block and the group stops consuming. " +
        "Turn off the feature flag fulfilment.carrier_labels: label requests then go to a retry table instead of the carrier. " +
        "Then do a rolling restart of the worker-service instances to release threads that are still blocked. " +
        "The label calls should have connect and read timeouts and a circuit breaker; today they have neither.",
    },
  ],
  truth: {
    rootService: "worker-service",
    faultClass: "dependency_timeout_thread_exhaustion",
    rootCause:
      "The worker calls the external carrier API synchronously with no read timeout. When the carrier slowed to 30 s per call, every one of the 100 worker threads blocked on it, consumers stopped polling and were evicted from the group, and the job queue backed up.",
    severity: "P2",
  },
  fix: {
    targets: ["worker-service"],
    concepts: ["disable_feature_flag", "request_timeout", "circuit_breaker"],
    recoveryMinutes: 12,
    feedback: "Carrier calls are off the worker threads; the consumers are polling again and the lag is draining.",
  },
  harmfulFixes: [
    {
      concept: "restart_service",
      targets: ["kafka"],
      feedback: "Broker restart triggered leader elections and another rebalance; the consumers were already the bottleneck.",
      worsens: ["kafka/consumer_lag"],
    },
    {
      concept: "scale_out",
      targets: ["worker-service"],
      feedback: "New worker instances joined, blocked on the carrier within a minute, and the group rebalanced again.",
      worsens: ["kafka/consumer_lag"],
    },
    {
      concept: "add_partitions",
      targets: ["kafka"],
      feedback: "Partitions added; the group rebalanced and the stuck consumers are no faster.",
      worsens: ["kafka/consumer_lag"],
    },
  ],
  runbook: {
    diagnose: ["consumer_lag", "thread_pool_exhaustion", "third_party_latency"],
    mitigate: ["disable_feature_flag", "restart_service"],
    verify: ["backlog_draining"],
    optional: ["request_timeout", "circuit_breaker", "jobs_delayed", "synchronous_calls", "async_processing"],
    harmful: ["scale_out", "add_partitions"],
  },
  postmortem: {
    summary: ["third_party_latency", "consumer_lag"],
    root_cause: ["third_party_latency", "thread_pool_exhaustion"],
    timeline: ["incident_began", "alert_fired", "incident_mitigated"],
    impact: ["jobs_delayed"],
    action_items: ["request_timeout", "circuit_breaker"],
    optional: ["disable_feature_flag", "restart_service", "backlog_draining", "synchronous_calls", "async_processing"],
  },
};
