import { buildPreset } from "./preset.js";

/** INC-EASY-003: A config push set Redis to noeviction at a low maxmemory; writes are refused once it fills. */
export const easy003 = buildPreset({
  id: "INC-EASY-003",
  level: "easy",
  title: "Redis full and refusing writes",
  family: "web-shop",
  nodes: [
    {
      name: "redis-cache",
      kind: "cache",
      role: "Redis cache (maxmemory 4 GB)",
      aliases: ["redis", "redis cache", "cache", "cache cluster"],
    },
    {
      name: "worker-service",
      kind: "service",
      role: "background job workers",
      aliases: ["worker", "workers", "worker service", "job workers"],
    },
    {
      name: "postgres-db",
      kind: "database",
      role: "PostgreSQL primary",
      aliases: ["postgres", "postgresql", "postgres db", "database", "primary database"],
    },
    { name: "api-gateway", kind: "gateway", role: "public HTTP gateway", aliases: ["gateway", "api gateway", "apigw"] },
    { name: "deploy-controller", kind: "config", role: "deploys and config pushes" },
    { name: "coredns", kind: "dns", role: "cluster DNS" },
  ],
  calls: [
    ["api-gateway", "worker-service", 500],
    ["worker-service", "redis-cache", 900, 100, 1],
    ["worker-service", "postgres-db", 260, 1000, 1],
  ],
  fault: "cache_memory_full",
  root: "redis-cache",
  onsetMinute: -18,
  startedAt: "2026-04-02T06:40:00Z",
  narrative: {
    alertTitle: "Redis Memory Critical / Write Failures",
    alertDescription:
      "redis-cache memory above 90% of maxmemory and worker-service cache errors above 5% for 5 minutes. Jobs are still completing, more slowly.",
    openingLogs: [
      {
        atMinute: -55,
        level: "INFO",
        service: "worker-service",
        message: "nightly catalog import started: caching 2.1M product snapshots (key prefix snap:, ttl none)",
      },
      { atMinute: -24, level: "WARN", service: "redis-cache", message: "used_memory 3.61G of maxmemory 4.00G (90%)" },
      {
        atMinute: -9,
        level: "WARN",
        service: "redis-cache",
        message: "used_memory reached maxmemory 4.00G; maxmemory-policy is noeviction, so write commands will be refused",
      },
      {
        atMinute: -8,
        level: "ERROR",
        service: "worker-service",
        message: "SET price:sku-{n} failed: OOM command not allowed when used memory > 'maxmemory'",
      },
      { atMinute: -8, level: "WARN", service: "worker-service", message: "cache write failed; reading price from postgres-db instead" },
      { atMinute: -4, level: "WARN", service: "postgres-db", message: "read queries up 3.4x in 5 minutes, cpu 61%" },
      {
        atMinute: 0,
        level: "CRITICAL",
        service: "worker-service",
        message: "cache error rate 30.5% over the last 5 minutes, paging on-call",
      },
    ],
    kb: [
      {
        id: "KB-REDIS-301",
        title: "Redis reached maxmemory",
        tags: ["redis", "memory", "maxmemory"],
        content:
          "With maxmemory-policy set to noeviction, Redis refuses writes with an OOM error once used memory reaches maxmemory; reads keep working. To recover, free memory: find the largest key groups (redis-cli --bigkeys or MEMORY USAGE) and delete keys that can be rebuilt, or flush a cache-only database. For a pure cache, switch the policy to allkeys-lru (CONFIG SET maxmemory-policy allkeys-lru) so old keys are evicted instead of writes failing. Raise maxmemory only if the host has spare RAM.",
      },
      {
        id: "KB-WORKER-002",
        title: "Worker cache fallback",
        tags: ["worker-service", "cache"],
        content:
          "When a cache call fails, worker-service reads the value from postgres-db instead, so jobs finish slower and database load rises. The fallback protects jobs; it is not the problem. Look at the cache.",
      },
    ],
  },
});
