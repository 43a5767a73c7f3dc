import type { FaultDefinition } from "../fault-types.js";

/**
 * A cache loses its hot keys at once. Every read misses and falls through to the database, which
 * slows under the load, so refills take longer and the hit ratio cannot recover by itself. The
 * database looks like the root cause; the cold cache is.
 */
export const cacheStampede: FaultDefinition = {
  kind: "cache_stampede",
  title: "Cache stampede on a cold cache",
  injectable: ["cache"],
  trigger: { event: "cache_flush", description: "{root}: {detail:cause}" },
  mechanism:
    "{root} lost its hot keys ({detail:cause}). Every read misses and falls through to the database behind it; the database slows down under several times its normal query load, so each refill takes longer and the hit ratio cannot climb back by itself. The database, not the cache, looks broken: it is overloaded, its callers time out and users see errors.",
  growth: { shape: "step", minutesToFull: 1 },
  onsetBeforePage: [4, 9],
  effects: [
    { scope: "root", metric: "cache_hit_ratio", op: "toward", value: 30 },
    { scope: "root", metric: "memory_usage", op: "toward", value: 12 },
  ],
  edgeEffects: [],
  signature: ["cache_hit_ratio"],
  logs: {
    root: [
      { level: "WARN", message: "keyspace_misses up {n}x in the last minute; db0 keys={n}812 (was 2.4M)" },
      { level: "WARN", message: "hit ratio {n}% over the last minute" },
      { level: "ERROR", message: "client output buffers full for {n} clients waiting on misses; connections closed" },
    ],
    callers: [
      { level: "WARN", message: "cache miss on {callee} for {detail:key_prefix}{n}81; loading from the database" },
      { level: "ERROR", message: "loading {detail:key_prefix} after a cache miss on {callee} timed out (database overloaded)" },
    ],
    recovery: [
      { level: "INFO", message: "keyspace warm: {n}00k hot keys loaded" },
      { level: "INFO", message: "hit ratio back above 90%; database query rate back to normal" },
    ],
  },
  kb: {
    helpful: {
      title: "Database overloaded right after a cache was emptied",
      tags: ["cache", "database", "stampede"],
      content:
        "If the database's query rate jumps at the moment a cache's hit ratio collapses, the cache is cold and every miss is a database query. Warm the cache from a key list or a snapshot, in batches, and shield the database meanwhile: coalesce concurrent misses for the same key, serve stale values, and shed or rate-limit the traffic that reaches it. Scaling the database alone rarely keeps up, and flushing the cache again restarts the stampede.",
    },
    misleading: {
      title: "Inconsistent reads from {root}",
      tags: ["cache", "consistency"],
      content:
        "When {root} serves odd results and the database behind it is struggling, the cache may hold corrupt entries that force expensive reloads. Flush {root} completely so that every entry is rebuilt from the database, and restart it if the flush does not finish.",
    },
  },
  remedies: [
    { kind: "warm_cache", target: "root", effect: "durable", recoveryMinutes: 5 },
    {
      kind: "shed_load",
      target: "root_callers",
      effect: "durable",
      recoveryMinutes: 8,
    },
  ],
  wrongFixes: [
    {
      kind: "flush_cache",
      target: "root",
      intensityDelta: 0,
      sideEffects: [
        { scope: "root_callers", metric: "latency_p99", op: "multiply", value: 2 },
        { scope: "root_callers", metric: "error_rate", op: "add", value: 15 },
      ],
      sideEffectMinutes: 6,
    },
    {
      kind: "restart",
      target: "root",
      intensityDelta: 0,
      sideEffects: [
        { scope: "root_callers", metric: "latency_p99", op: "multiply", value: 2 },
        { scope: "root_callers", metric: "error_rate", op: "add", value: 15 },
      ],
      sideEffectMinutes: 6,
    },
  ],
  details: {
    cause: ["FLUSHALL received from 10.4.2.17 (maintenance script)", "primary restarted; replica promoted with an empty keyspace", "2.4M keys written with the same TTL expired within one minute"],
    key_prefix: ["product:", "price:", "stock:"],
  },
  knowledge: {
    runbook: {
      diagnose: ["cache_stampede", "cache_miss"],
      // Warm the cache (durable), or shield the database meanwhile.
      mitigate: [["cache_warming", "request_coalescing", "load_shedding"]],
      verify: [["hit_ratio_recovered", "cpu_recovered", "errors_recovered", "latency_recovered"]],
      escalate: [["escalate_oncall", "notify_stakeholders"]],
      // A restart, a flush or a failover is usually what emptied the cache: responders describe
      // it, so it is on topic here rather than harmful.
      optional: ["restart_service", "flush_cache", "az_failover", "missing_ttl", "latency_spike", "error_rate_spike", "scale_out"],
      harmful: [],
    },
    postmortem: {
      rootCause: ["cache_stampede", "cache_miss"],
      trigger: [["flush_cache", "restart_service", "az_failover", "missing_ttl"]],
      actionItems: [["request_coalescing", "cache_warming"]],
      optional: ["load_shedding", "hit_ratio_recovered", "capacity_alerting"],
    },
  },
};
