import type { FaultDefinition } from "../../sim/fault-types.js";

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
      {
        level: "WARN",
        message: "keyspace_misses up {n}x in the last minute; db0 keys={n}812 (was 2.4M)",
        paraphrases: {
          public: [
            "# Keyspace db0:keys={n}812 (was 2.4M); keyspace_misses x{n} over 60 s",
            "misses_growth={n}x keys={n}812 previous_keys=2.4M",
          ],
          held_out: [
            "cache nearly empty: {n}812 keys left of 2.4M, misses at {n} times the usual",
            '{"db0":{"keys":{n}812,"keys_before":"2.4M"},"miss_rate_factor":{n}}',
          ],
        },
      },
      {
        level: "WARN",
        message: "hit ratio {n}% over the last minute",
        paraphrases: {
          public: ["keyspace_hit_ratio={n}% window=1m", "Cache hit rate: {n}% (last 60 s)"],
          held_out: ["only {n} percent of lookups found their key in the past minute", '{"hits_pct":{n},"interval":"60s"}'],
        },
      },
      {
        level: "ERROR",
        message: "client output buffers full for {n} clients waiting on misses; connections closed",
        paraphrases: {
          public: [
            "output buffer limit reached for {n} clients blocked on cache misses; disconnecting them",
            "clients_closed={n} reason=output_buffer_limit cause=miss_backlog",
          ],
          held_out: [
            "{n} connections dropped: their reply buffers overflowed while they waited for missing keys",
            '{"evicted_clients":{n},"why":"client-output-buffer-limit","waiting_on":"misses"}',
          ],
        },
      },
    ],
    callers: [
      {
        level: "WARN",
        message: "cache miss on {callee} for {detail:key_prefix}{n}81; loading from the database",
        paraphrases: {
          public: [
            "cache=miss host={callee} key={detail:key_prefix}{n}81 fallback=db",
            "MISS {callee} {detail:key_prefix}{n}81 -> reading through to the database",
          ],
          held_out: [
            "{detail:key_prefix}{n}81 not in {callee}, fetching it from the primary store",
            '{"cache":"{callee}","key":"{detail:key_prefix}{n}81","hit":false,"source":"database"}',
          ],
        },
      },
      {
        level: "ERROR",
        message: "loading {detail:key_prefix} after a cache miss on {callee} timed out (database overloaded)",
        paraphrases: {
          public: [
            "cache_fill_timeout prefix={detail:key_prefix} cache={callee} cause=db_overload",
            "Read-through for {detail:key_prefix} (missed on {callee}) timed out: database overloaded",
          ],
          held_out: [
            "gave up repopulating {detail:key_prefix} keys for {callee}: the database is saturated",
            '{"loader":"{detail:key_prefix}","cache":"{callee}","error":"db timeout under load"}',
          ],
        },
      },
    ],
    recovery: [
      {
        level: "INFO",
        message: "keyspace warm: {n}00k hot keys loaded",
        paraphrases: {
          public: ["db0:keys={n}00k warm=true", "Cache warmed: {n}00k hot keys"],
          held_out: ['{"warmup":"done","keys":"{n}00k"}', "working set repopulated ({n}00k frequently read keys)"],
        },
      },
      {
        level: "INFO",
        message: "hit ratio back above 90%; database query rate back to normal",
        paraphrases: {
          public: ["keyspace_hit_ratio>90% db_qps=normal", "Cache hit rate over 90% again, DB load normal"],
          held_out: [
            "most reads (90%+) served from cache once more and the database calmed down",
            '{"hits_pct_gt":90,"db_load":"baseline"}',
          ],
        },
      },
    ],
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
    cause: [
      "FLUSHALL received from 10.4.2.17 (maintenance script)",
      "primary restarted; replica promoted with an empty keyspace",
      "2.4M keys written with the same TTL expired within one minute",
    ],
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
