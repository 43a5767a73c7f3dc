import type { FaultDefinition } from "../../sim/fault-types.js";

/**
 * A new version keeps something in memory it never releases. Memory climbs with traffic; near the
 * limit garbage collection runs constantly (CPU and latency up), then instances are OOMKilled and
 * restarted, failing their in-flight requests. A restart only resets the clock; the rollback is
 * the fix.
 */
export const memoryLeak: FaultDefinition = {
  kind: "memory_leak",
  title: "Memory leak in a new version",
  injectable: ["service", "search"],
  trigger: { event: "deploy", description: "deployed {root} {version} (was {previous})" },
  mechanism:
    "{root} {version} adds an entry to {detail:structure} for every request and never evicts it. Memory grows with traffic; as it nears the container limit, garbage collection runs almost constantly, so CPU and latency climb, and then instances are OOMKilled and restarted one after another, failing the requests they were serving. A restart empties memory and the climb starts again.",
  growth: { shape: "ramp", minutesToFull: 20 },
  onsetBeforePage: [18, 28],
  effects: [
    { scope: "root", metric: "memory_usage", op: "toward", value: 99 },
    { scope: "root", metric: "latency_p99", op: "multiply", value: 10, fromIntensity: 0.5 },
    { scope: "root", metric: "latency_p50", op: "multiply", value: 4, fromIntensity: 0.5 },
    { scope: "root", metric: "cpu_usage", op: "multiply", value: 2.2, fromIntensity: 0.5 },
    { scope: "root", metric: "error_rate", op: "add", value: 30, fromIntensity: 0.75 },
  ],
  edgeEffects: [],
  signature: ["memory_usage", "latency_p99", "error_rate"],
  logs: {
    root: [
      {
        level: "WARN",
        message: "heap after full GC still {n}% above the previous cycle; {detail:structure} holds {n}00k entries",
        paraphrases: {
          public: [
            "[gc] old gen after full collection +{n}% vs previous; {detail:structure}: {n}00k entries retained",
            'heap_after_gc_growth_pct={n} retained_by="{detail:structure}" entries={n}00k',
          ],
          held_out: [
            "live set keeps climbing ({n}% more survived the last major GC); biggest retainer {detail:structure} with {n}00k objects",
            '{"gc":"major","retained_delta_pct":{n},"dominator":"{detail:structure}","size":"{n}00k"}',
          ],
        },
      },
      {
        level: "WARN",
        message: "GC overhead: {n}% of the last minute spent in garbage collection",
        fromIntensity: 0.4,
        paraphrases: {
          public: ["[gc] pause time {n}% of wall clock over 60 s", "gc_time_ratio={n}% window=1m"],
          held_out: ["the collector consumed {n} percent of the past minute", '{"jvm.gc.overhead_pct":{n},"interval":"60s"}'],
        },
      },
      {
        level: "ERROR",
        message: "java.lang.OutOfMemoryError: Java heap space (allocating in {detail:structure})",
        fromIntensity: 0.7,
        paraphrases: {
          public: [
            'Exception in thread "worker" java.lang.OutOfMemoryError: Java heap space ({detail:structure})',
            "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory ({detail:structure})",
          ],
          held_out: [
            "allocation failed, heap exhausted while growing {detail:structure}",
            '{"error":"OutOfMemory","region":"heap","allocating":"{detail:structure}"}',
          ],
        },
      },
      {
        level: "CRITICAL",
        message: "container {root} OOMKilled (memory limit {detail:limit}), restart count {n}",
        fromIntensity: 0.75,
        paraphrases: {
          public: [
            "Memory cgroup out of memory: killed process in container {root} (limit {detail:limit}); restarts={n}",
            "reason=OOMKilled container={root} limit={detail:limit} restartCount={n}",
          ],
          held_out: [
            "kernel oom-killer terminated the {root} process at its {detail:limit} cgroup limit (restart #{n})",
            '{"k8s.container":"{root}","lastState":"terminated","exitCode":137,"memLimit":"{detail:limit}","restarts":{n}}',
          ],
        },
      },
    ],
    callers: [
      {
        level: "WARN",
        message: "{callee} p99 latency {n}00 ms, above the 800 ms budget",
        fromIntensity: 0.5,
        paraphrases: {
          public: ["upstream={callee} p99_ms={n}00 budget_ms=800", "Slow upstream {callee}: p99 {n}00 ms (budget 800 ms)"],
          held_out: [
            "{callee} tail latency {n}00 ms breaches the 800 ms objective",
            '{"slo":"latency","dependency":"{callee}","p99":"{n}00ms","target":"800ms"}',
          ],
        },
      },
      {
        level: "ERROR",
        message: "request to {callee} failed: connection reset by peer (upstream instance restarted)",
        fromIntensity: 0.75,
        paraphrases: {
          public: [
            'upstream={callee} error=ECONNRESET note="instance restarted"',
            "read ECONNRESET from {callee} (pod restarted mid-request)",
          ],
          held_out: [
            "{callee} dropped the connection mid-response, its instance had just been restarted",
            '{"peer":"{callee}","io_error":"reset","peer_restarted":true}',
          ],
        },
      },
    ],
    recovery: [
      {
        level: "INFO",
        message: "heap after full GC back to {n}% of the limit and flat",
        paraphrases: {
          public: ["[gc] post-GC heap {n}% of max, stable", "heap_after_gc_pct={n} trend=flat"],
          held_out: ["live set stable at {n} percent of the cap", '{"heap_used_after_gc_pct":{n},"trend":"steady"}'],
        },
      },
      {
        level: "INFO",
        message: "no OOMKilled restarts in the last 10 minutes",
        paraphrases: {
          public: ["oom_kills=0 window=10m", "10 minutes without an OOM kill"],
          held_out: ['{"restarts_oom_10m":0}', "out-of-memory terminations have stopped (none in ten minutes)"],
        },
      },
    ],
  },
  remedies: [
    { kind: "rollback", target: "root", effect: "durable", recoveryMinutes: 4 },
    {
      kind: "restart",
      target: "root",
      effect: "relief",
      recoveryMinutes: 2,
      reliefMinutes: 8,
    },
    {
      kind: "raise_limit",
      target: "root",
      effect: "relief",
      recoveryMinutes: 2,
      reliefMinutes: 15,
    },
  ],
  wrongFixes: [
    {
      kind: "scale",
      target: "root",
      intensityDelta: 0.1,
      sideEffects: [
        { scope: "root", metric: "error_rate", op: "add", value: 15 },
        { scope: "root", metric: "latency_p99", op: "multiply", value: 1.5 },
      ],
      sideEffectMinutes: 5,
    },
    {
      kind: "restart",
      target: "root_callers",
      intensityDelta: 0.1,
      sideEffects: [
        { scope: "root_callers", metric: "error_rate", op: "add", value: 20 },
        { scope: "root", metric: "error_rate", op: "add", value: 10 },
      ],
      sideEffectMinutes: 3,
    },
  ],
  details: {
    structure: ["the per-request tracing context map", "an unbounded session cache", "the query-result memo table"],
    limit: ["2Gi", "4Gi", "1536Mi"],
  },
  knowledge: {
    runbook: {
      // Memory runs out (OOM kills, a full heap, a leak), and what it does before the kill or what
      // tells the leak apart (GC thrashing, the node dropping out, a heap dump).
      diagnose: [
        ["out_of_memory", "jvm_heap_exhaustion", "memory_leak"],
        ["gc_thrashing", "node_left_cluster", "heap_dump"],
      ],
      // The rollback is the fix; a restart or more memory buys time.
      mitigate: [["rollback_deploy", "restart_service", "raise_memory_limit"]],
      verify: [["memory_stable", "errors_recovered", "latency_recovered", "cluster_health"]],
      escalate: [["escalate_oncall", "notify_stakeholders"]],
      optional: ["bad_deploy", "capacity_alerting", "latency_spike", "cpu_saturation", "memory_regression_test", "deploy_safety"],
      harmful: ["scale_out"],
    },
    postmortem: {
      rootCause: ["memory_leak"],
      trigger: ["bad_deploy"],
      actionItems: [["memory_regression_test", "heap_dump", "deploy_safety"], "capacity_alerting"],
      optional: [
        "out_of_memory",
        "rollback_deploy",
        "restart_service",
        "raise_memory_limit",
        "gc_thrashing",
        "jvm_heap_exhaustion",
        "node_left_cluster",
        "cluster_health",
        "memory_stable",
        "missing_ttl",
      ],
    },
  },
};
