import type { ScenarioTemplate } from "../types.js";

/**
 * A nightly import filled Redis with keys that never expire. Redis reached maxmemory with the
 * noeviction policy and now refuses every write; the workers see cache errors and fall back to
 * the database.
 */
export const easy003: ScenarioTemplate = {
  id: "INC-EASY-003",
  level: "easy",
  title: "Redis full and refusing writes",
  services: [
    { name: "redis-cache", aliases: ["redis", "redis cache", "cache", "cache cluster"], role: "Redis cache (maxmemory 4 GB)" },
    { name: "worker-service", aliases: ["worker", "workers", "worker service", "job workers"], role: "background job workers" },
    { name: "postgres-db", aliases: ["postgres", "postgresql", "postgres db", "database", "primary database"], role: "PostgreSQL primary" },
    { name: "api-gateway", aliases: ["gateway", "api gateway", "apigw"], role: "public HTTP gateway" },
  ],
  alert: {
    id: "ALT-003",
    title: "Redis Memory Critical / Write Failures",
    severity: "P2",
    affectedServices: ["redis-cache", "worker-service"],
    description:
      "redis-cache memory above 90% of maxmemory and worker-service cache errors above 5% for 5 minutes. Jobs are still completing, more slowly.",
  },
  metrics: [
    { service: "redis-cache", metric: "memory_usage", unit: "%", threshold: 90, direction: "above", baseline: 61, atPage: 99.9, driftPerMinute: 0, worst: 100, noise: 0.001 },
    { service: "redis-cache", metric: "evicted_keys_per_min", unit: "count", threshold: 5000, direction: "above", baseline: 0, atPage: 0, driftPerMinute: 0, worst: 0, noise: 0 },
    { service: "redis-cache", metric: "rejected_writes_per_min", unit: "count", threshold: 10, direction: "above", baseline: 0, atPage: 1840, driftPerMinute: 30, worst: 2600, noise: 0.05 },
    { service: "worker-service", metric: "cache_error_rate", unit: "%", threshold: 5, direction: "above", baseline: 0.1, atPage: 30.5, driftPerMinute: 0.5, worst: 45, noise: 0.04 },
    { service: "worker-service", metric: "job_duration_p95", unit: "ms", threshold: 1500, direction: "above", baseline: 420, atPage: 2400, driftPerMinute: 40, worst: 4000, noise: 0.05 },
    { service: "postgres-db", metric: "cpu_usage", unit: "%", threshold: 80, direction: "above", baseline: 30, atPage: 64, driftPerMinute: 0.6, worst: 78, noise: 0.04 },
    { service: "api-gateway", metric: "error_rate_5xx", unit: "%", threshold: 5, direction: "above", baseline: 0.3, atPage: 0.6, driftPerMinute: 0, worst: 0.6, noise: 0.1 },
  ],
  openingLogs: [
    { atMinute: -55, level: "INFO", service: "worker-service", message: "nightly catalog import started: caching 2.1M product snapshots (key prefix snap:, ttl none)" },
    { atMinute: -24, level: "WARN", service: "redis-cache", message: "used_memory 3.61G of maxmemory 4.00G (90%)" },
    { atMinute: -9, level: "WARN", service: "redis-cache", message: "used_memory reached maxmemory 4.00G; maxmemory-policy is noeviction, so write commands will be refused" },
    { atMinute: -8, level: "ERROR", service: "worker-service", message: "SET price:sku-{n} failed: OOM command not allowed when used memory > 'maxmemory'", trace: "job" },
    { atMinute: -8, level: "WARN", service: "worker-service", message: "cache write failed; reading price from postgres-db instead", trace: "job" },
    { atMinute: -4, level: "WARN", service: "postgres-db", message: "read queries up 3.4x in 5 minutes, cpu 61%" },
    { atMinute: 0, level: "CRITICAL", service: "worker-service", message: "cache error rate 30.5% over the last 5 minutes, paging on-call" },
  ],
  activeLogs: [
    { level: "ERROR", service: "worker-service", message: "SETEX session:{n} failed: OOM command not allowed when used memory > 'maxmemory'", trace: "w" },
    { level: "WARN", service: "worker-service", message: "cache unavailable for writes; job {n} fell back to postgres-db", trace: "w" },
    { level: "WARN", service: "redis-cache", message: "refused {n}00 write commands in the last minute (maxmemory reached, policy noeviction)" },
    { level: "INFO", service: "redis-cache", message: "evicted_keys 0, expired_keys {n} in the last minute" },
    { level: "WARN", service: "postgres-db", message: "cpu {n}% higher than the hourly average; most load is price lookups" },
  ],
  recoveryLogs: [
    { level: "INFO", service: "redis-cache", message: "used_memory 2.7G of maxmemory 4.00G; writes accepted" },
    { level: "INFO", service: "worker-service", message: "cache errors back to 0 in the last minute" },
    { level: "INFO", service: "postgres-db", message: "read query rate back to the hourly average" },
  ],
  backgroundLogs: [
    { level: "INFO", service: "api-gateway", message: "GET /v1/products 200 in {n} ms" },
    { level: "INFO", service: "redis-cache", message: "background AOF rewrite skipped: {n} ms since last rewrite" },
    { level: "DEBUG", service: "worker-service", message: "job queue depth {n}" },
  ],
  kb: [
    {
      id: "KB-REDIS-301",
      title: "Redis reached maxmemory",
      tags: ["redis", "memory", "maxmemory"],
      content:
        "With maxmemory-policy set to noeviction, Redis refuses writes with an OOM error once used memory reaches maxmemory; reads keep working. " +
        "To recover, free memory: find the largest key groups (redis-cli --bigkeys or MEMORY USAGE) and delete keys that can be rebuilt, or flush a cache-only database. " +
        "For a pure cache, switch the policy to allkeys-lru (CONFIG SET maxmemory-policy allkeys-lru) so old keys are evicted instead of writes failing. " +
        "Raise maxmemory only if the host has spare RAM.",
    },
    {
      id: "KB-WORKER-002",
      title: "Worker cache fallback",
      tags: ["worker-service", "cache"],
      content:
        "When a cache call fails, worker-service reads the value from postgres-db instead, so jobs finish slower and database load rises. " +
        "The fallback protects jobs; it is not the problem. Look at the cache.",
    },
  ],
  truth: {
    rootService: "redis-cache",
    faultClass: "cache_memory_exhaustion",
    rootCause:
      "The nightly import wrote millions of snapshot keys with no TTL. Redis reached its 4 GB maxmemory, and with the noeviction policy it refused every write, so worker cache writes failed and reads fell back to Postgres.",
    severity: "P2",
  },
  fix: {
    targets: ["redis-cache"],
    concepts: ["flush_cache", "eviction_policy", "raise_memory_limit"],
    recoveryMinutes: 6,
    feedback: "Memory freed on redis-cache; write commands are accepted again.",
  },
  harmfulFixes: [
    {
      concept: "restart_service",
      targets: ["redis-cache"],
      feedback: "redis-cache restarted empty: every read is now a miss and the load lands on postgres-db.",
      worsens: ["postgres-db/cpu_usage", "worker-service/job_duration_p95"],
    },
    {
      concept: "scale_out",
      targets: ["worker-service"],
      feedback: "More workers started; each one falls back to the database, which is now working harder.",
      worsens: ["postgres-db/cpu_usage"],
    },
  ],
  runbook: {
    diagnose: ["cache_memory_full", "eviction_policy"],
    mitigate: ["flush_cache"],
    verify: ["errors_recovered"],
    optional: ["raise_memory_limit", "missing_ttl", "cache_miss", "out_of_memory", "big_keys", "write_rejected"],
    harmful: ["restart_service", "scale_out"],
  },
  postmortem: {
    summary: ["cache_memory_full", "write_rejected"],
    root_cause: ["cache_memory_full", "eviction_policy"],
    timeline: ["incident_began", "alert_fired", "incident_mitigated"],
    impact: ["cache_miss", "latency_spike"],
    action_items: ["eviction_policy", "capacity_alerting"],
    optional: ["missing_ttl", "flush_cache", "raise_memory_limit", "big_keys", "out_of_memory"],
  },
};
