import type { FaultDefinition } from "../fault-types.js";

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
      { level: "WARN", message: "worker pool exhausted: all threads busy, {n} of them waiting on {callee}" },
      { level: "ERROR", message: "request queue full; rejecting with 503 ({n} requests queued)" },
      { level: "WARN", message: "call to {callee} still waiting after {n} s (timeout {detail:timeout})" },
    ],
    callers: [
      { level: "ERROR", message: "call to {callee} timed out after {timeout} ms" },
      { level: "WARN", message: "{callee} p99 latency {n} s; requests queued behind it" },
    ],
    recovery: [
      { level: "INFO", message: "worker pool back to {n} busy threads" },
      { level: "INFO", message: "calls to the provider fail fast after 2 s; no requests waiting" },
    ],
  },
  kb: {
    helpful: {
      title: "Latency climbing through every hop above one service",
      tags: ["timeouts", "dependencies", "threads"],
      content:
        "When latency rises hop by hop and one service's worker threads are all busy, follow a slow trace down to the call where the time goes: often a third-party API called synchronously with a long timeout. Make that call fail fast: set a short client timeout with a circuit breaker, or switch the integration off behind its feature flag and degrade gracefully. Threads free up within a minute. Raising timeouts or pool sizes makes more threads wait, and restarting the callers changes nothing.",
    },
    misleading: {
      title: "Timeouts between internal services",
      tags: ["timeouts", "tuning"],
      content:
        "Timeouts between internal services mean the timeouts are too tight for current latency. Raise the client timeouts and the worker pool size of the service that reports them so slow requests can complete, and restart the callers so they pick up the new settings.",
    },
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
      verify: [["latency_recovered", "errors_recovered", "backlog_draining"]],
      escalate: [["escalate_oncall", "vendor_support", "notify_stakeholders"]],
      // A rolling restart frees the stuck threads for a while; the symptoms upstream (queues
      // backing up, callers out of memory while they wait, the connection pool alert) are on topic.
      optional: [
        "restart_service", "async_processing", "synchronous_calls", "cascading_failure", "latency_spike", "consumer_lag", "jobs_delayed",
        "out_of_memory", "gc_thrashing", "jvm_heap_exhaustion", "check_db_connections", "connection_pool_exhaustion", "lost_notifications",
      ],
      harmful: ["raise_timeout", "raise_connection_limit"],
    },
    postmortem: {
      rootCause: ["third_party_latency", ["thread_pool_exhaustion", "synchronous_calls"]],
      trigger: ["third_party_latency"],
      // Fail fast (a breaker, or degrade without the call) and bound the wait (a timeout, or take the
      // call off the request thread).
      actionItems: [["circuit_breaker", "graceful_degradation"], ["request_timeout", "async_processing"]],
      optional: ["cascading_failure", "disable_feature_flag", "lost_notifications", "out_of_memory", "gc_thrashing", "jvm_heap_exhaustion", "consumer_lag", "jobs_delayed", "restart_service"],
    },
  },
};
