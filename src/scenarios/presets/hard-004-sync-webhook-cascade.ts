import type { ScenarioTemplate } from "../types.js";

/**
 * notification-service delivers partner webhooks synchronously, on its request threads. The
 * webhook vendor slowed to 60 s per call; all 500 threads are stuck, user-service's calls to it
 * pile up until user-service runs out of heap, and the gateway answers 503 for everything. The
 * loudest failure is an OutOfMemoryError in user-service, which invites a memory-leak diagnosis.
 */
export const hard004: ScenarioTemplate = {
  id: "INC-HARD-004",
  level: "hard",
  title: "Synchronous webhooks cascade into a platform outage",
  services: [
    { name: "api-gateway", aliases: ["gateway", "api gateway", "apigw"], role: "public HTTP gateway" },
    { name: "user-service", aliases: ["users", "user service", "users api", "user api"], role: "accounts and profiles API (JVM)" },
    { name: "notification-service", aliases: ["notifications", "notification service", "notifier", "webhook service"], role: "email, push and partner webhook delivery (500 request threads)" },
    { name: "postgres-db", aliases: ["postgres", "postgresql", "postgres db", "database"], role: "PostgreSQL primary" },
    { name: "redis-cache", aliases: ["redis", "redis cache", "cache"], role: "session cache" },
  ],
  alert: {
    id: "ALT-204",
    title: "Complete Platform Outage / OOM cascading",
    severity: "P1",
    affectedServices: ["notification-service", "api-gateway", "user-service"],
    description:
      "api-gateway answering 503 for most requests; user-service instances running out of memory. Sign-in, sign-up and profile pages are down for all users.",
  },
  metrics: [
    { service: "notification-service", metric: "active_threads", unit: "%", threshold: 80, direction: "above", baseline: 12, atPage: 100, driftPerMinute: 0, worst: 100, noise: 0 },
    { service: "notification-service", metric: "third_party_latency", unit: "ms", threshold: 1000, direction: "above", baseline: 240, atPage: 60000, driftPerMinute: 0, worst: 60000, noise: 0.01 },
    { service: "notification-service", metric: "webhooks_dropped_per_min", unit: "count", threshold: 0, direction: "above", baseline: 0, atPage: 320, driftPerMinute: 5, worst: 500, noise: 0.08 },
    { service: "user-service", metric: "memory_usage", unit: "%", threshold: 85, direction: "above", baseline: 52, atPage: 99.5, driftPerMinute: 0.02, worst: 99.9, noise: 0.002 },
    { service: "user-service", metric: "pending_outbound_calls", unit: "count", threshold: 200, direction: "above", baseline: 6, atPage: 4100, driftPerMinute: 80, worst: 6000, noise: 0.03 },
    { service: "api-gateway", metric: "error_rate_5xx", unit: "%", threshold: 5, direction: "above", baseline: 0.3, atPage: 87, driftPerMinute: 0.3, worst: 98, noise: 0.02 },
    { service: "postgres-db", metric: "cpu_usage", unit: "%", threshold: 80, direction: "above", baseline: 33, atPage: 12, driftPerMinute: 0, worst: 12, noise: 0.05 },
  ],
  openingLogs: [
    { atMinute: -26, level: "WARN", service: "notification-service", message: "POST https://hooks.pingrelay.example/v1/deliver took 41.7 s (webhook {n})", trace: "wh" },
    { atMinute: -20, level: "WARN", service: "notification-service", message: "request thread pool: 480/500 busy, all waiting on hooks.pingrelay.example" },
    { atMinute: -16, level: "ERROR", service: "notification-service", message: "request thread pool exhausted: 500/500 busy; rejecting new requests" },
    { atMinute: -15, level: "ERROR", service: "user-service", message: "POST notification-service/v1/notify (signup {n}) read timed out after 30000 ms", trace: "signup" },
    { atMinute: -15, level: "WARN", service: "user-service", message: "{n}00 outbound calls to notification-service pending; request buffers held in memory" },
    { atMinute: -6, level: "CRITICAL", service: "user-service", message: "java.lang.OutOfMemoryError: GC overhead limit exceeded (heap 3.9g/4g)" },
    { atMinute: -4, level: "ERROR", service: "api-gateway", message: "GET /v1/me -> 503: no healthy user-service instances" },
    { atMinute: 0, level: "CRITICAL", service: "api-gateway", message: "5xx rate 87% over the last 5 minutes, paging on-call" },
  ],
  activeLogs: [
    { level: "WARN", service: "notification-service", message: "webhook {n} to hooks.pingrelay.example still waiting after 60000 ms", trace: "n" },
    { level: "ERROR", service: "user-service", message: "call to notification-service for profile update {n} read timed out after 30000 ms", trace: "n" },
    { level: "ERROR", service: "notification-service", message: "thread pool exhausted (500/500); dropped {n} webhooks from the in-memory queue" },
    { level: "CRITICAL", service: "user-service", message: "instance user-{n} killed after OutOfMemoryError: GC overhead limit exceeded; restarting" },
    { level: "ERROR", service: "api-gateway", message: "POST /v1/login -> 503: upstream user-service unavailable" },
  ],
  recoveryLogs: [
    { level: "INFO", service: "notification-service", message: "channel partner_webhooks disabled by flag; threads 40/500 busy" },
    { level: "INFO", service: "user-service", message: "pending calls to notification-service: 3; heap 1.9g/4g" },
    { level: "INFO", service: "api-gateway", message: "5xx rate under 1% for 3 minutes" },
  ],
  backgroundLogs: [
    { level: "INFO", service: "redis-cache", message: "expired {n} session keys" },
    { level: "INFO", service: "postgres-db", message: "checkpoint complete: wrote {n} buffers" },
    { level: "DEBUG", service: "notification-service", message: "email batch {n} handed to SMTP relay" },
  ],
  kb: [
    {
      id: "KB-NTS-500",
      title: "notification-service: a slow delivery channel",
      tags: ["notification-service", "webhooks", "feature-flag"],
      content:
        "notification-service sends partner webhooks inline, on the same request threads that serve its callers. A slow partner endpoint can therefore occupy every thread, and every service that calls notification-service waits with it. " +
        "Turn the slow channel off with the flag notifications.partner_webhooks=false; undelivered webhooks are not kept, so tell the partner team. " +
        "The lasting fix is to deliver webhooks from a queue, with a short timeout and a circuit breaker per partner.",
    },
    {
      id: "KB-JVM-110",
      title: "OutOfMemoryError in a JVM service",
      tags: ["jvm", "memory", "user-service"],
      content:
        "'GC overhead limit exceeded' means the service spends almost all its time collecting garbage, which usually points to a memory leak in the service itself. " +
        "Raise the heap (-Xmx) by 50%, restart the affected instances, and take a heap dump if it happens again.",
    },
  ],
  truth: {
    rootService: "notification-service",
    faultClass: "synchronous_dependency_cascade",
    rootCause:
      "notification-service delivers partner webhooks synchronously on its request threads with no timeout. The partner endpoint slowed to 60 s, all 500 threads blocked, user-service's calls to notification-service piled up and held memory until user-service ran out of heap, and with user-service down the gateway returned 503 for most of the platform.",
    severity: "P1",
  },
  fix: {
    targets: ["notification-service"],
    concepts: ["disable_feature_flag", "request_timeout", "circuit_breaker"],
    recoveryMinutes: 10,
    feedback: "The partner webhook channel is off; notification-service threads are free and user-service calls return at once.",
  },
  harmfulFixes: [
    {
      concept: "restart_service",
      targets: ["user-service", "api-gateway"],
      feedback: "The restarted instances filled up with calls to notification-service and ran out of memory again.",
      worsens: ["api-gateway/error_rate_5xx"],
    },
    {
      concept: "raise_memory_limit",
      targets: ["user-service"],
      feedback: "A bigger heap takes a little longer to fill with waiting calls; it still fills.",
      worsens: ["user-service/pending_outbound_calls"],
    },
    {
      concept: "scale_out",
      targets: ["user-service", "notification-service"],
      feedback: "New instances joined and were stuck on the same slow partner within a minute.",
      worsens: ["user-service/pending_outbound_calls", "api-gateway/error_rate_5xx"],
    },
  ],
  runbook: {
    diagnose: ["third_party_latency", "thread_pool_exhaustion"],
    mitigate: ["disable_feature_flag"],
    verify: ["errors_recovered"],
    optional: ["request_timeout", "circuit_breaker", "async_processing", "synchronous_calls", "cascading_failure", "out_of_memory", "lost_notifications", "jvm_heap_exhaustion", "gc_thrashing", "process_crash"],
    harmful: ["restart_service", "raise_memory_limit", "scale_out"],
  },
  postmortem: {
    summary: ["cascading_failure", "third_party_latency"],
    root_cause: ["synchronous_calls", "third_party_latency", "thread_pool_exhaustion"],
    timeline: ["incident_began", "alert_fired", "incident_mitigated"],
    impact: ["user_facing_outage", "lost_notifications"],
    action_items: ["async_processing", "request_timeout"],
    optional: ["circuit_breaker", "disable_feature_flag", "out_of_memory", "jvm_heap_exhaustion", "gc_thrashing", "memory_leak", "process_crash"],
  },
};
