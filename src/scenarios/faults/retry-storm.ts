import type { FaultDefinition } from "../fault-types.js";

/**
 * A metastable failure: a short blip made a caller's requests fail, and the caller retries
 * immediately, without backoff or jitter. Each failure now causes more calls, so its callees stay
 * overloaded long after the blip ended. The root is the caller that retries, not the service that
 * drowns.
 */
export const retryStorm: FaultDefinition = {
  kind: "retry_storm",
  title: "Retry storm from a caller without backoff",
  injectable: ["service"],
  trigger: { event: "external", description: "" },
  mechanism:
    "A short blip on {callee} ({detail:blip}) made {root}'s calls fail. {root} retries a failed call immediately, up to {detail:attempts} times, with no backoff or jitter, so each failure sends several more calls. The extra load keeps its callees overloaded and failing long after the blip ended: a self-sustaining retry storm. The drowning callees look guilty; the caller's retry policy keeps the storm going.",
  growth: { shape: "ramp", minutesToFull: 6 },
  onsetBeforePage: [7, 14],
  effects: [
    { scope: "root", metric: "cpu_usage", op: "multiply", value: 3.2 },
    { scope: "root", metric: "connection_usage", op: "toward", value: 80 },
  ],
  edgeEffects: [{ scope: "out_of_root", callMultiplier: 3 }],
  signature: ["cpu_usage", "error_rate"],
  logs: {
    root: [
      { level: "WARN", message: "call to {callee} failed (503), retrying immediately (attempt {n} of {detail:attempts})" },
      { level: "ERROR", message: "gave up on {callee} after {detail:attempts} attempts in {n} ms" },
      { level: "WARN", message: "outbound calls to {callee}: {n}x the inbound request rate" },
    ],
    callers: [
      { level: "ERROR", message: "upstream {callee} returned 503 after retrying internally ({n} in the last minute)" },
      { level: "WARN", message: "{callee} p99 latency {n}00 ms" },
    ],
    callees: [
      { level: "ERROR", message: "request queue full ({n}000 waiting); answering 503" },
      { level: "WARN", message: "request rate {n}x normal, most of it from {caller}" },
    ],
    recovery: [
      { level: "INFO", message: "retry policy reloaded: exponential backoff with jitter, at most 3 attempts" },
      { level: "INFO", message: "outbound call rate back in line with inbound traffic" },
    ],
  },
  kb: {
    helpful: {
      title: "A dependency drowning in traffic nobody sent",
      tags: ["retries", "overload"],
      content:
        "When a dependency receives far more requests than the user traffic above it explains, break its request rate down by caller. A caller that retries failures at once, without backoff, turns a short blip into sustained overload that keeps itself going after the original problem is gone. Stop it at the source: change the caller's retry policy to exponential backoff with jitter and a small cap on attempts, or shed its load, then let the dependency recover. Restarting pods resumes the storm; adding capacity only helps briefly.",
    },
    misleading: {
      title: "Overloaded dependency returning 503",
      tags: ["capacity", "restart"],
      content:
        "A dependency returning 503 under heavy load is out of capacity or has stuck workers. Restart it to clear the stuck workers, then scale it out until its request queue stays empty.",
    },
  },
  remedies: [
    { kind: "tune_retries", target: "root", effect: "durable", recoveryMinutes: 4 },
    {
      kind: "scale",
      target: "root_callees",
      effect: "relief",
      recoveryMinutes: 3,
      reliefMinutes: 5,
    },
  ],
  wrongFixes: [
    {
      kind: "restart",
      target: "root",
      intensityDelta: 0.2,
      sideEffects: [{ scope: "root_callees", metric: "error_rate", op: "add", value: 15 }],
      sideEffectMinutes: 4,
    },
    {
      kind: "restart",
      target: "root_callees",
      intensityDelta: 0.2,
      sideEffects: [
        { scope: "root_callees", metric: "error_rate", op: "add", value: 25 },
        { scope: "root", metric: "error_rate", op: "add", value: 25 },
      ],
      sideEffectMinutes: 5,
    },
  ],
  details: {
    blip: ["a 40-second failover", "a rolling restart of two instances", "a garbage-collection pause of 12 seconds"],
    attempts: ["10", "5", "unlimited"],
  },
  knowledge: {
    runbook: {
      // The retries (at once, without backoff) and who sends them (far more calls than users make).
      diagnose: [["retry_storm", "missing_backoff"], ["check_traffic_source", "traffic_spike"]],
      // Backoff and a cap at the source; pausing the client or shedding its load stops it too.
      mitigate: [["exponential_backoff", "cap_retries", "pause_client", "load_shedding", "circuit_breaker"]],
      verify: [["request_rate_normal", "errors_recovered", "cpu_recovered", "latency_recovered"]],
      escalate: [["escalate_oncall", "notify_stakeholders"]],
      optional: ["cascading_failure", "error_rate_spike", "scale_out", "block_traffic"],
      harmful: ["restart_service"],
    },
    postmortem: {
      rootCause: ["retry_storm", "missing_backoff"],
      trigger: [],
      actionItems: [["exponential_backoff", "cap_retries"]],
      optional: ["circuit_breaker", "load_shedding", "pause_client", "check_traffic_source", "traffic_spike", "block_traffic", "capacity_alerting", "request_rate_normal"],
    },
  },
};
