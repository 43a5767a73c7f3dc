import type { FaultDefinition } from "../../sim/fault-types.js";

/**
 * A third-party provider is down on its side: its API answers 503 or resets connections, for
 * every customer. Nothing changed on ours, so nothing of ours can be rolled back or restarted into
 * health. Mitigate on our side (fail over to the secondary provider, or switch the integration off
 * and degrade gracefully) and escalate to the provider, the only one who can repair it.
 */
export const thirdPartyOutage: FaultDefinition = {
  kind: "third_party_outage",
  title: "Third-party provider outage",
  injectable: ["vendor"],
  trigger: { event: "external", description: "" },
  mechanism:
    "{root}, a third-party provider, is having an outage on its side: its API answers 503 Service Unavailable or resets the connection for most calls, whoever makes them. Nothing changed in our system; {caller} and everything that needs {root} fail with it. Only the provider can repair it: we can fail over to the secondary provider or switch the integration off behind its flag, and we must escalate to the provider.",
  growth: { shape: "step", minutesToFull: 2 },
  onsetBeforePage: [3, 9],
  effects: [
    { scope: "root", metric: "error_rate", op: "toward", value: 96 },
    { scope: "root", metric: "latency_p99", op: "multiply", value: 0.6 },
    { scope: "root", metric: "latency_p50", op: "multiply", value: 0.6 },
  ],
  edgeEffects: [],
  signature: ["error_rate"],
  logs: {
    root: [
      {
        level: "ERROR",
        message: "HTTP 503 Service Unavailable from {root}: the provider reports a service disruption (incident {detail:incident})",
        paraphrases: {
          public: [
            "status=503 upstream={root} provider_incident={detail:incident} error=service_unavailable",
            '{"status":503,"provider":"{root}","error":"Service Unavailable","incident":"{detail:incident}"}',
          ],
          held_out: [
            "{root} is refusing requests with Service Unavailable; their side cites incident {detail:incident}",
            "provider {root} answered 503 (they are tracking it as {detail:incident})",
          ],
        },
      },
      {
        level: "ERROR",
        message: "upstream connect error or disconnect/reset before headers while calling {root} ({n} in the last minute)",
        paraphrases: {
          public: [
            "reset reason: connection termination, upstream={root}, count_1m={n}",
            "{root}: connection reset by peer before response headers ({n} times in 60 s)",
          ],
          held_out: [
            "{n} calls to {root} were cut off before any response arrived during the last minute",
            "peer {root} dropped the socket mid-request; {n} such drops in the past minute",
          ],
        },
      },
      {
        level: "WARN",
        message: "{root} status: {detail:status}",
        paraphrases: {
          public: ["status page of {root}: {detail:status}", 'provider_status={root} state="{detail:status}"'],
          held_out: ["{root} is publicly reporting: {detail:status}", "vendor health feed for {root} reads '{detail:status}'"],
        },
      },
    ],
    callers: [
      {
        level: "ERROR",
        message: "{callee} returned 503 Service Unavailable for {n} of the last 100 calls",
        paraphrases: {
          public: ["calls to {callee}: {n}/100 failed with 503", "dependency={callee} status=503 failed_last_100={n}"],
          held_out: [
            "{n} out of the last hundred requests to {callee} came back unavailable",
            "{callee} turned away {n}% of our recent requests as unavailable",
          ],
        },
      },
      {
        level: "WARN",
        message: "circuit breaker for {callee} opened after repeated 503 responses",
        paraphrases: {
          public: ["breaker {callee} state=OPEN reason=consecutive_503", "circuit to {callee} is now open (too many 503s)"],
          held_out: [
            "stopped sending to {callee} for a while: it kept answering unavailable",
            "short-circuiting {callee} after a run of unavailable replies",
          ],
        },
      },
    ],
    recovery: [
      {
        level: "INFO",
        message: "calls that needed {root} are succeeding again",
        paraphrases: {
          public: ["requests depending on {root} succeed again", "dependency={root} success_rate=normal"],
          held_out: ["work that relies on {root} goes through once more", "traffic needing {root} is completing normally"],
        },
      },
      {
        level: "INFO",
        message: "no 503 responses in the last minute",
        paraphrases: {
          public: ["503 count last 60s: 0", "status_503_1m=0"],
          held_out: ["not a single unavailable reply during the past minute", "the past minute passed without unavailable responses"],
        },
      },
    ],
  },
  remedies: [
    { kind: "failover", target: "root", effect: "durable", recoveryMinutes: 2 },
    { kind: "disable_feature_flag", target: "root_callers", effect: "durable", recoveryMinutes: 2 },
  ],
  wrongFixes: [
    {
      kind: "restart",
      target: "root_callers",
      intensityDelta: 0,
      // Cold instances with empty pools, starting while their dependency is down.
      sideEffects: [
        { scope: "root_callers", metric: "error_rate", op: "add", value: 25 },
        { scope: "root_callers", metric: "latency_p99", op: "multiply", value: 2.5 },
      ],
      sideEffectMinutes: 4,
    },
    {
      kind: "scale",
      target: "root_callers",
      intensityDelta: 0,
      sideEffects: [{ scope: "root_callers", metric: "latency_p99", op: "multiply", value: 1.8 }],
      sideEffectMinutes: 4,
    },
  ],
  details: {
    incident: ["#48213", "#51907", "#50362"],
    status: [
      "investigating elevated error rates in all regions",
      "major outage: API requests failing",
      "partial outage: degraded API availability",
    ],
  },
  knowledge: {
    runbook: {
      // Is it them or us? Their answers (503s, resets, their status page) and nothing changed here.
      diagnose: [["provider_outage", "third_party_latency"]],
      // Our side: a second provider or graceful degradation. Their side: only they can fix it.
      mitigate: [["secondary_provider", "az_failover", "disable_feature_flag", "graceful_degradation", "circuit_breaker"]],
      verify: [["errors_recovered", "incident_mitigated"]],
      escalate: [["vendor_support"]],
      // Ruling out our own changes (a deploy, a config change, a new job, our quota) is part of it.
      optional: [
        "notify_stakeholders",
        "escalate_oncall",
        "check_logs",
        "user_facing_outage",
        "payment_failures",
        "order_failures",
        "request_timeout",
        "exponential_backoff",
        "check_dashboards",
        "bad_deploy",
        "config_change",
        "new_batch_job",
        "quota_exceeded",
        "rate_limited",
        // Retries double the call rate while it lasts; the provider's status turning green ends it.
        "request_rate_normal",
        "cluster_health",
      ],
      harmful: ["restart_service", "scale_out", "raise_timeout"],
    },
    postmortem: {
      rootCause: [["provider_outage"]],
      trigger: [],
      actionItems: [["secondary_provider", "graceful_degradation", "circuit_breaker"]],
      optional: [
        "vendor_support",
        "third_party_latency",
        "az_failover",
        "disable_feature_flag",
        "notify_stakeholders",
        "capacity_alerting",
        "exponential_backoff",
        "request_timeout",
        "bad_deploy",
        "config_change",
        "new_batch_job",
        "quota_exceeded",
      ],
    },
  },
  response: { escalateTo: "root" },
};
