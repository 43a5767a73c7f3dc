import type { FaultDefinition } from "../../sim/fault-types.js";

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
      {
        level: "WARN",
        message: "call to {callee} failed (503), retrying immediately (attempt {n} of {detail:attempts})",
        paraphrases: {
          public: [
            "retry attempt={n} max={detail:attempts} upstream={callee} status=503 backoff=0ms",
            "Retrying {callee} right away after 503 ({n}/{detail:attempts})",
          ],
          held_out: [
            '{"retry":{n},"max_attempts":"{detail:attempts}","target":"{callee}","last_status":503,"delay_ms":0}',
            "503 from {callee}; sending the request again with no delay, try {n} out of {detail:attempts}",
          ],
        },
      },
      {
        level: "ERROR",
        message: "gave up on {callee} after {detail:attempts} attempts in {n} ms",
        paraphrases: {
          public: [
            "retries_exhausted upstream={callee} attempts={detail:attempts} elapsed_ms={n}",
            "RetryError: {callee} still failing after {detail:attempts} attempts ({n} ms)",
          ],
          held_out: [
            "request to {callee} abandoned, {detail:attempts} tries used up within {n} ms",
            '{"outcome":"exhausted","dependency":"{callee}","tries":"{detail:attempts}","spent_ms":{n}}',
          ],
        },
      },
      {
        level: "WARN",
        message: "outbound calls to {callee}: {n}x the inbound request rate",
        paraphrases: {
          public: ["fanout_ratio={n} upstream={callee}", "Sending {n}x more requests to {callee} than we receive"],
          held_out: ['{"egress_to":"{callee}","amplification":{n}}', "for every incoming request, {n} requests go out to {callee}"],
        },
      },
    ],
    callers: [
      {
        level: "ERROR",
        message: "upstream {callee} returned 503 after retrying internally ({n} in the last minute)",
        paraphrases: {
          public: ["upstream={callee} status=503 retried_upstream=true count_1m={n}", "{callee}: 503 after its own retries ({n}/min)"],
          held_out: [
            '{"peer":"{callee}","status":503,"peer_retried":true,"n_1m":{n}}',
            "even with its internal retries {callee} ended in Service Unavailable, {n} times in 60 s",
          ],
        },
      },
      {
        level: "WARN",
        message: "{callee} p99 latency {n}00 ms",
        paraphrases: {
          public: ["upstream={callee} p99_ms={n}00", "p99 of {callee}: {n}00 ms"],
          held_out: ['{"dependency":"{callee}","latency_p99":"{n}00ms"}', "slowest 1% of calls to {callee} take {n}00 ms"],
        },
      },
    ],
    callees: [
      {
        level: "ERROR",
        message: "request queue full ({n}000 waiting); answering 503",
        paraphrases: {
          public: ["queue_full waiting={n}000 status=503", "Rejecting with 503: {n}000 requests queued"],
          held_out: [
            '{"backlog":"{n}000","response":503,"reason":"saturated"}',
            "too much pending work ({n}000 requests), turning new ones away with 503",
          ],
        },
      },
      {
        level: "WARN",
        message: "request rate {n}x normal, most of it from {caller}",
        paraphrases: {
          public: ["inbound_rps_factor={n} top_client={caller}", "Traffic at {n}x baseline, mostly from {caller}"],
          held_out: [
            '{"load_factor":{n},"heaviest_caller":"{caller}"}',
            "{caller} is responsible for most of a {n}-fold jump in incoming requests",
          ],
        },
      },
    ],
    recovery: [
      {
        level: "INFO",
        message: "retry policy reloaded: exponential backoff with jitter, at most 3 attempts",
        paraphrases: {
          public: [
            "retry_policy backoff=exponential jitter=true max_attempts=3",
            "Retry config updated: 3 attempts max, exponential backoff + jitter",
          ],
          held_out: [
            '{"retry":{"strategy":"exp+jitter","limit":3}}',
            "retries now spaced out with randomised growing delays, capped at three",
          ],
        },
      },
      {
        level: "INFO",
        message: "outbound call rate back in line with inbound traffic",
        paraphrases: {
          public: ["fanout_ratio=1.0", "Outbound request rate matches inbound again"],
          held_out: ['{"amplification":1}', "egress no longer exceeds ingress"],
        },
      },
    ],
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
      diagnose: [
        ["retry_storm", "missing_backoff"],
        ["check_traffic_source", "traffic_spike"],
      ],
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
      optional: [
        "circuit_breaker",
        "load_shedding",
        "pause_client",
        "check_traffic_source",
        "traffic_spike",
        "block_traffic",
        "capacity_alerting",
        "request_rate_normal",
      ],
    },
  },
};
