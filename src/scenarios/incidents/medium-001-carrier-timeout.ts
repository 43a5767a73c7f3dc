import { buildPreset } from "./preset.js";

/** INC-MED-001: The carrier API hangs; the workers call it synchronously with a 30 s timeout, their threads fill, and the job queue backs up. */
export const medium001 = buildPreset({
  id: "INC-MED-001",
  level: "medium",
  title: "Slow carrier API stalls the job queue",
  family: "web-shop",
  nodes: [
    {
      name: "kafka",
      kind: "queue",
      role: "Kafka cluster (topic job-queue, 12 partitions)",
      aliases: ["kafka cluster", "kafka brokers", "message broker"],
    },
    {
      name: "worker-service",
      kind: "service",
      role: "fulfilment job consumers",
      aliases: ["worker", "workers", "worker service", "fulfilment worker", "fulfilment workers", "fulfillment workers"],
    },
    {
      name: "order-service",
      kind: "service",
      role: "order API, produces jobs to job-queue",
      aliases: ["orders", "order service", "orders api"],
    },
    { name: "postgres-db", kind: "database", role: "PostgreSQL primary", aliases: ["postgres", "postgresql", "postgres db", "database"] },
    { name: "api-gateway", kind: "gateway", role: "public HTTP gateway", aliases: ["gateway", "api gateway", "apigw"] },
    { name: "shipping-api", kind: "vendor", role: "third-party carrier API (shipping labels)" },
    { name: "deploy-controller", kind: "config", role: "deploys and config pushes" },
    { name: "coredns", kind: "dns", role: "cluster DNS" },
  ],
  calls: [
    ["api-gateway", "order-service", 600],
    ["order-service", "postgres-db", 500, 1000, 1],
    ["order-service", "kafka", 300, 500, 1],
    ["kafka", "worker-service", 280, 2000, 0],
    ["worker-service", "shipping-api", 120, 30000, 0],
    ["worker-service", "postgres-db", 150, 1000, 1],
  ],
  fault: "dependency_timeout",
  root: "worker-service",
  onsetMinute: -8,
  startedAt: "2026-04-14T16:30:00Z",
  narrative: {
    alertTitle: "High Kafka Queue Lag",
    alertDescription:
      "Consumer group fulfilment-workers is more than 50,000 messages behind on topic job-queue. Orders are still accepted; shipping labels and confirmation emails are delayed.",
    openingLogs: [
      {
        atMinute: -31,
        level: "INFO",
        service: "worker-service",
        message: "consumer group fulfilment-workers: 4 instances x 25 threads consuming job-queue",
      },
      {
        atMinute: -22,
        level: "WARN",
        service: "worker-service",
        message: "POST https://api.parcelhub.example/v2/labels took 27.9 s (order {n})",
      },
      {
        atMinute: -16,
        level: "WARN",
        service: "worker-service",
        message: "carrier API call for order {n} still open after 30000 ms (client read timeout: none)",
      },
      {
        atMinute: -12,
        level: "ERROR",
        service: "worker-service",
        message: "thread pool fulfilment-exec saturated: 100/100 busy, 0 idle, {n} tasks queued",
      },
      {
        atMinute: -9,
        level: "WARN",
        service: "kafka",
        message: "member fulfilment-workers-3 did not poll for 300000 ms (max.poll.interval.ms); removing it from the group",
      },
      { atMinute: -8, level: "WARN", service: "kafka", message: "group fulfilment-workers rebalancing: 4 members, generation 87" },
      { atMinute: -2, level: "WARN", service: "kafka", message: "lag for group fulfilment-workers on job-queue: 48,210 messages" },
      { atMinute: 0, level: "CRITICAL", service: "kafka", message: "consumer lag above 50000 on job-queue, paging on-call" },
    ],
    kb: [
      {
        id: "KB-KAFKA-100",
        title: "Consumer lag is a consumer problem",
        tags: ["kafka", "lag", "consumers"],
        content:
          "Lag grows when the consumers of a group fall behind the producers. Brokers are rarely the cause: check broker CPU and disk, then look at the consumers. Members that stop polling for longer than max.poll.interval.ms are kicked out, and the rebalances slow the group further. Restarting brokers or adding partitions does not help a consumer that is stuck.",
      },
      {
        id: "KB-WORKER-003",
        title: "Fulfilment workers stuck on the carrier API",
        tags: ["worker-service", "carrier", "feature-flag"],
        content:
          "Each fulfilment job calls the carrier label API inline, on a worker thread. If the carrier is slow, the threads block and the group stops consuming. Turn off the feature flag fulfilment.carrier_labels: label requests then go to a retry table instead of the carrier. Then do a rolling restart of the worker-service instances to release threads that are still blocked. The label calls should have connect and read timeouts and a circuit breaker; today they have neither.",
      },
    ],
  },
});
