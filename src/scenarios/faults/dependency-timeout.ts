import type { FaultDefinition } from "../../sim/fault-types.js";

/**
 * A third-party API slows down. The service that calls it synchronously, with a long timeout and no
 * circuit breaker, holds a worker thread for every waiting call; its pool fills, requests queue,
 * and latency grows hop by hop up to the entry point. The root is that service: the vendor is
 * outside our control, the missing deadline is ours.
 */
export const dependencyTimeout: FaultDefinition = {
  kind: "dependency_timeout",
  title: "Slow third-party call without a sane timeout",
  injectable: ["service"],
  trigger: { event: "external", description: "" },
  mechanism:
    "{callee}, a third-party API, began answering slowly. {root} calls it synchronously on the request path with a {detail:timeout} timeout and no circuit breaker, so every request holds a worker thread while it waits. The thread pool fills, new requests queue and are rejected, and the latency climbs hop by hop up to {entry}, where users see timeouts. The loudest alerts are upstream; the wait is in {root}'s calls to {callee}.",
  growth: { shape: "ramp", minutesToFull: 5 },
  onsetBeforePage: [4, 10],
  effects: [
    { scope: "root", metric: "connection_usage", op: "toward", value: 99 },
    { scope: "root", metric: "cpu_usage", op: "multiply", value: 0.7 },
    { scope: "root", metric: "memory_usage", op: "add", value: 12 },
  ],
  edgeEffects: [{ scope: "out_of_root", addedLatencyMs: 25000 }],
  signature: ["connection_usage", "latency_p99"],
  logs: {
    root: [
      {
        level: "WARN",
        message: "worker pool exhausted: all threads busy, {n} of them waiting on {callee}",
        paraphrases: {
          public: [
            "thread_pool active=max idle=0 blocked_on={callee} blocked={n}",
            "All request threads in use; {n} blocked on calls to {callee}",
          ],
          held_out: [
            '{"executor":"http","free_threads":0,"stuck_in":"{callee}","count":{n}}',
            "no idle workers left, {n} are parked inside calls to {callee}",
          ],
        },
      },
      {
        level: "ERROR",
        message: "request queue full; rejecting with 503 ({n} requests queued)",
        paraphrases: {
          public: [
            "accept_queue=full status=503 queued={n}",
            "RejectedExecutionException: queue capacity reached ({n} queued), returning 503",
          ],
          held_out: ['{"admission":"denied","status":503,"pending":{n}}', "backlog of {n} requests hit its cap, new ones get 503"],
        },
      },
      {
        level: "WARN",
        message: "call to {callee} still waiting after {n} s (timeout {detail:timeout})",
        paraphrases: {
          public: [
            'slow_call upstream={callee} elapsed_s={n} timeout="{detail:timeout}"',
            "Still waiting on {callee}: {n}s elapsed, timeout {detail:timeout}",
          ],
          held_out: [
            '{"outbound":"{callee}","in_flight_s":{n},"deadline":"{detail:timeout}"}',
            "{callee} has not answered for {n} s; it would only be abandoned at {detail:timeout}",
          ],
        },
      },
    ],
    callers: [
      {
        level: "ERROR",
        message: "call to {callee} timed out after {timeout} ms",
        paraphrases: {
          public: ["upstream={callee} error=timeout elapsed_ms={timeout}", "Timeout calling {callee} ({timeout} ms)"],
          held_out: [
            "{callee} did not answer within {timeout} ms, request abandoned",
            '{"rpc.peer":"{callee}","error":"deadline","after_ms":{timeout}}',
          ],
        },
      },
      {
        level: "WARN",
        message: "{callee} p99 latency {n} s; requests queued behind it",
        paraphrases: {
          public: ["upstream={callee} p99_s={n} queueing=true", "{callee} p99 at {n}s, requests piling up behind it"],
          held_out: [
            '{"dependency":"{callee}","p99":"{n}s","backpressure":true}',
            "requests stack up behind {callee}, whose slowest calls take {n} s",
          ],
        },
      },
    ],
    recovery: [
      {
        level: "INFO",
        message: "worker pool back to {n} busy threads",
        paraphrases: {
          public: ["thread_pool active={n} idle>0", "Worker pool normal: {n} threads busy"],
          held_out: ['{"executor":"http","busy":{n},"saturated":false}', "only {n} workers occupied now, plenty free"],
        },
      },
      {
        level: "INFO",
        message: "calls to the provider fail fast after 2 s; no requests waiting",
        paraphrases: {
          public: ["upstream_timeout=2s queued=0", "Provider calls now time out after 2 s; queue empty"],
          held_out: ['{"provider_deadline_ms":2000,"pending":0}', "a two-second cap on provider calls keeps the queue empty"],
        },
      },
    ],
  },
  remedies: [
    { kind: "tune_retries", target: "root", effect: "durable", recoveryMinutes: 3 },
    { kind: "disable_feature_flag", target: "root", effect: "durable", recoveryMinutes: 3 },
    {
      kind: "restart",
      target: "root",
      effect: "relief",
      recoveryMinutes: 1,
      reliefMinutes: 3,
    },
  ],
  wrongFixes: [
    {
      kind: "raise_limit",
      target: "root",
      intensityDelta: 0.2,
      sideEffects: [
        { scope: "root", metric: "memory_usage", op: "add", value: 30 },
        { scope: "root", metric: "latency_p99", op: "multiply", value: 1.5 },
        { scope: "root_callers", metric: "connection_usage", op: "toward", value: 100 },
      ],
      sideEffectMinutes: 6,
    },
    {
      kind: "restart",
      target: "root_callers",
      intensityDelta: 0,
      sideEffects: [{ scope: "root_callers", metric: "error_rate", op: "add", value: 20 }],
      sideEffectMinutes: 3,
    },
  ],
  details: {
    timeout: ["30 s", "60 s"],
  },
  knowledge: {
    runbook: {
      diagnose: ["third_party_latency", "thread_pool_exhaustion"],
      // Make the call fail fast, or take it off the path (its flag, degraded mode), or shed load.
      mitigate: [["circuit_breaker", "request_timeout", "disable_feature_flag", "graceful_degradation", "load_shedding"]],
      // Its signature is connection usage and p99 on the root: either coming back down verifies.
      verify: [["latency_recovered", "errors_recovered", "backlog_draining", "connections_recovered"]],
      escalate: [["escalate_oncall", "vendor_support", "notify_stakeholders"]],
      // A rolling restart frees the stuck threads for a while; the symptoms upstream (queues
      // backing up, callers out of memory while they wait, the connection pool alert) are on topic.
      optional: [
        "provider_outage",
        "restart_service",
        "async_processing",
        "synchronous_calls",
        "cascading_failure",
        "latency_spike",
        "consumer_lag",
        "jobs_delayed",
        "out_of_memory",
        "gc_thrashing",
        "jvm_heap_exhaustion",
        "check_db_connections",
        "connection_pool_exhaustion",
        "lost_notifications",
      ],
      harmful: ["raise_timeout", "raise_connection_limit"],
    },
    postmortem: {
      rootCause: ["third_party_latency", ["thread_pool_exhaustion", "synchronous_calls"]],
      trigger: ["third_party_latency"],
      // Fail fast (a breaker, or degrade without the call) and bound the wait (a timeout, or take the
      // call off the request thread).
      actionItems: [
        ["circuit_breaker", "graceful_degradation"],
        ["request_timeout", "async_processing"],
      ],
      optional: [
        "provider_outage",
        "cascading_failure",
        "disable_feature_flag",
        "lost_notifications",
        "out_of_memory",
        "gc_thrashing",
        "jvm_heap_exhaustion",
        "consumer_lag",
        "jobs_delayed",
        "restart_service",
      ],
    },
  },
};
