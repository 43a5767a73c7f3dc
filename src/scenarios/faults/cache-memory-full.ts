import type { FaultDefinition } from "../../sim/fault-types.js";

/**
 * A cache is told never to evict. Keys written without a TTL fill its memory; at the limit it
 * refuses every write ("OOM command not allowed"), so cache fills fail and callers that write
 * through it get errors. Restoring an eviction policy is the fix; restarting or flushing it empties
 * the cache onto the database.
 */
export const cacheMemoryFull: FaultDefinition = {
  kind: "cache_memory_full",
  title: "Cache memory full with eviction disabled",
  injectable: ["cache"],
  trigger: { event: "config_change", description: "config push to {root}: maxmemory {detail:maxmemory}, maxmemory-policy noeviction" },
  mechanism:
    "A config push set {root} to maxmemory {detail:maxmemory} with maxmemory-policy noeviction. Keys are written without a TTL, so memory fills up and nothing is ever evicted; at the limit {root} refuses every write with 'OOM command not allowed', cache fills fail, new keys are never cached, and requests that write through the cache fail.",
  growth: { shape: "ramp", minutesToFull: 16 },
  onsetBeforePage: [15, 24],
  effects: [
    { scope: "root", metric: "memory_usage", op: "toward", value: 100 },
    { scope: "root", metric: "error_rate", op: "add", value: 35, fromIntensity: 0.85 },
    { scope: "root", metric: "cache_hit_ratio", op: "toward", value: 85, fromIntensity: 0.85 },
  ],
  edgeEffects: [],
  signature: ["memory_usage", "error_rate"],
  logs: {
    root: [
      {
        level: "WARN",
        message: "used_memory at {n}% of maxmemory {detail:maxmemory}; evicted_keys 0 (policy noeviction)",
        fromIntensity: 0.4,
        paraphrases: {
          public: [
            "# Memory used_memory_pct={n} maxmemory={detail:maxmemory} maxmemory_policy=noeviction evicted_keys=0",
            "Memory at {n}% of maxmemory ({detail:maxmemory}), noeviction policy, nothing evicted",
          ],
          held_out: [
            '{"mem_used_pct":{n},"mem_limit":"{detail:maxmemory}","eviction":"disabled","evicted":0}',
            "cache fills up ({n}% of {detail:maxmemory}) and is configured never to evict",
          ],
        },
      },
      {
        level: "ERROR",
        message: "OOM command not allowed when used memory > 'maxmemory'",
        fromIntensity: 0.85,
        paraphrases: {
          public: [
            "ERR OOM command not allowed when used memory > 'maxmemory' (SET rejected)",
            "write rejected err=OOM used_memory>maxmemory",
          ],
          held_out: [
            "refusing write: memory cap reached and eviction is turned off",
            '{"cmd":"SET","reply":"error","cause":"memory limit hit"}',
          ],
        },
      },
      {
        level: "ERROR",
        message: "{n}k write commands rejected in the last minute (used_memory {detail:maxmemory})",
        fromIntensity: 0.85,
        paraphrases: {
          public: ["rejected_writes_1m={n}k used_memory={detail:maxmemory}", "{n}k writes refused over 60 s, memory at {detail:maxmemory}"],
          held_out: [
            '{"denied_writes":"{n}k","mem":"{detail:maxmemory}","window":"1m"}',
            "in the past minute {n}k mutations bounced off the full {detail:maxmemory} store",
          ],
        },
      },
    ],
    callers: [
      {
        level: "ERROR",
        message: "SET {detail:key_prefix}{n}81 on {callee} failed: OOM command not allowed when used memory > 'maxmemory'",
        fromIntensity: 0.85,
        paraphrases: {
          public: [
            "redis.exceptions.ResponseError: OOM command not allowed when used memory > 'maxmemory' (SET {detail:key_prefix}{n}81 on {callee})",
            "cache={callee} op=SET key={detail:key_prefix}{n}81 err=OOM",
          ],
          held_out: [
            '{"cache":"{callee}","key":"{detail:key_prefix}{n}81","write":"refused","server_said":"out of memory"}',
            "{callee} would not store {detail:key_prefix}{n}81, it is out of memory",
          ],
        },
      },
      {
        level: "WARN",
        message: "cache write to {callee} failed; request served without caching",
        fromIntensity: 0.85,
        paraphrases: {
          public: ["cache={callee} op=write result=failed fallback=uncached", "Cache write to {callee} failed, continuing uncached"],
          held_out: [
            '{"cache":"{callee}","store":"skipped","served":"from origin"}',
            "could not save the result into {callee}; answered without caching",
          ],
        },
      },
    ],
    recovery: [
      {
        level: "INFO",
        message: "maxmemory-policy allkeys-lru; evicted_keys rising, used memory below maxmemory",
        paraphrases: {
          public: ["CONFIG SET maxmemory-policy allkeys-lru OK; evicted_keys>0", "Eviction enabled (allkeys-lru); memory under the limit"],
          held_out: [
            '{"eviction":"lru","evicting":true,"under_limit":true}',
            "least-recently-used keys are being dropped and memory sits below its cap",
          ],
        },
      },
      {
        level: "INFO",
        message: "writes accepted again; no OOM errors in the last 5 minutes",
        paraphrases: {
          public: ["oom_errors=0 window=5m", "Writes OK; 5 minutes without OOM"],
          held_out: ['{"write_rejections_5m":0}', "stores succeed again, no out-of-memory refusals for five minutes"],
        },
      },
    ],
  },
  remedies: [
    { kind: "revert_config", target: "root", effect: "durable", recoveryMinutes: 2 },
    {
      kind: "raise_limit",
      target: "root",
      effect: "relief",
      recoveryMinutes: 2,
      reliefMinutes: 12,
    },
  ],
  wrongFixes: [
    {
      kind: "restart",
      target: "root",
      intensityDelta: 0,
      sideEffects: [{ scope: "root_callers", metric: "latency_p99", op: "multiply", value: 2 }],
      sideEffectMinutes: 6,
    },
    {
      kind: "flush_cache",
      target: "root",
      intensityDelta: 0,
      sideEffects: [{ scope: "root_callers", metric: "latency_p99", op: "multiply", value: 2 }],
      sideEffectMinutes: 6,
    },
  ],
  details: {
    maxmemory: ["4gb", "2gb", "8gb"],
    key_prefix: ["session:", "cart:", "product:"],
  },
  knowledge: {
    runbook: {
      diagnose: ["cache_memory_full", ["write_rejected", "config_change"]],
      // Restore eviction (the durable fix), or make room for now (more memory, drop big keys).
      mitigate: [["eviction_policy", "config_revert", "raise_memory_limit"]],
      verify: [["errors_recovered", "writes_recovered"]],
      escalate: [["escalate_oncall", "notify_stakeholders"]],
      optional: [
        "missing_ttl",
        "big_keys",
        "out_of_memory",
        "capacity_alerting",
        "flush_cache",
        "cache_miss",
        "cache_stampede",
        "error_rate_spike",
        "bad_deploy",
        "staged_config_rollout",
      ],
      harmful: ["restart_service"],
    },
    postmortem: {
      rootCause: ["cache_memory_full", "eviction_policy"],
      trigger: ["config_change"],
      actionItems: [["missing_ttl", "eviction_policy", "staged_config_rollout"], "capacity_alerting"],
      optional: ["config_revert", "raise_memory_limit", "write_rejected", "out_of_memory", "cache_miss", "big_keys", "writes_recovered"],
    },
  },
};
