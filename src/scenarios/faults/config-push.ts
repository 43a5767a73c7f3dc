import type { FaultDefinition } from "../../sim/fault-types.js";

/**
 * A configuration value pushed to every instance at once makes each request far more expensive
 * (the Cloudflare 2019 regex, the Fastly 2021 config): CPU pins on all instances simultaneously and
 * most requests fail. No binary changed, so rolling back the code keeps the same config.
 */
export const configPush: FaultDefinition = {
  kind: "config_push",
  title: "Bad configuration pushed everywhere at once",
  injectable: ["service", "gateway"],
  occasionalHosts: ["search"],
  trigger: { event: "config_change", description: "config push to {root} (all instances at once): {detail:change}" },
  mechanism:
    "A config push set {detail:change} on every instance of {root} at the same time. The new value makes every request far more expensive to handle, so CPU pins at 100% on all instances together, requests queue and most of them fail. The binary did not change: a rollback of the code reads the same config and fails the same way; only reverting the config helps.",
  growth: { shape: "step", minutesToFull: 1 },
  onsetBeforePage: [4, 10],
  effects: [
    { scope: "root", metric: "cpu_usage", op: "toward", value: 98 },
    { scope: "root", metric: "error_rate", op: "add", value: 45 },
    { scope: "root", metric: "latency_p99", op: "multiply", value: 5 },
    { scope: "root", metric: "latency_p50", op: "multiply", value: 6 },
  ],
  edgeEffects: [],
  signature: ["cpu_usage", "error_rate"],
  logs: {
    root: [
      {
        level: "WARN",
        message: "config reloaded: {detail:change} (applied to all instances)",
        paraphrases: {
          public: [
            "level=warn msg=\"dynamic config applied\" change='{detail:change}' scope=all-instances",
            "Applied new runtime configuration to every instance: {detail:change}",
          ],
          held_out: [
            '{"event":"config.watch.update","diff":"{detail:change}","rollout":"100%"}',
            "settings hot-swapped fleet-wide -> {detail:change}",
          ],
        },
      },
      {
        level: "ERROR",
        message: "request handler timed out after 2000 ms; worker CPU at 100% ({n} requests queued)",
        paraphrases: {
          public: [
            "handler_timeout_ms=2000 worker_cpu=100% queued={n}",
            "Request exceeded the 2 s handler deadline; workers pegged at 100% CPU, {n} waiting",
          ],
          held_out: [
            "all workers busy computing (cpu 100%), request abandoned at the 2000 ms deadline, backlog {n}",
            '{"error":"HandlerDeadlineExceeded","deadline_ms":2000,"cpu_pct":100,"backlog":{n}}',
          ],
        },
      },
      {
        level: "ERROR",
        message: "503 Service Unavailable: request queue full, shedding ({n}% of requests in the last minute)",
        paraphrases: {
          public: [
            "load_shed=true reason=queue_full status=503 shed_pct={n}",
            "Shedding load with 503: request queue is full ({n}% rejected over 60 s)",
          ],
          held_out: [
            "overload protection engaged, {n}% of incoming requests refused with 503 because the queue has no room",
            '{"admission":"reject","cause":"queue_full","status":503,"rejected_pct_1m":{n}}',
          ],
        },
      },
    ],
    callers: [
      {
        level: "ERROR",
        message: "upstream {callee} returned 503 Service Unavailable ({n} in the last minute)",
        paraphrases: {
          public: ["upstream={callee} status=503 count_1m={n}", "{callee} is shedding requests: {n} x 503 in the last minute"],
          held_out: [
            "got Service Unavailable back from {callee} {n} times during the past 60 s",
            '{"peer":"{callee}","http_status":503,"count":{n},"window":"1m"}',
          ],
        },
      },
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
    ],
    recovery: [
      {
        level: "INFO",
        message: "config reloaded: previous values restored; CPU back to normal",
        paraphrases: {
          public: [
            "config_version=previous restored=true cpu=normal",
            "Reverted runtime configuration to the last good values; worker CPU normal",
          ],
          held_out: [
            "last-known-good settings back in effect and processors idle again",
            '{"event":"config.rollback.applied","cpu":"nominal"}',
          ],
        },
      },
      {
        level: "INFO",
        message: "request queue empty, no 503 in the last 5 minutes",
        paraphrases: {
          public: ["queue_depth=0 status_503=0 window=5m", "Request queue drained; 5 minutes without a 503"],
          held_out: ['{"queued":0,"rejected_5m":0}', "backlog cleared, nothing refused with Service Unavailable for five minutes"],
        },
      },
    ],
  },
  remedies: [{ kind: "revert_config", target: "root", effect: "durable", recoveryMinutes: 3 }],
  wrongFixes: [
    {
      kind: "rollback",
      target: "root",
      intensityDelta: 0,
      sideEffects: [
        { scope: "root", metric: "error_rate", op: "add", value: 20 },
        { scope: "root", metric: "latency_p99", op: "multiply", value: 2 },
      ],
      sideEffectMinutes: 5,
    },
    {
      kind: "restart",
      target: "root",
      intensityDelta: 0,
      sideEffects: [{ scope: "root", metric: "error_rate", op: "add", value: 15 }],
      sideEffectMinutes: 3,
    },
  ],
  details: {
    change: ['request_filter.pattern = "(?:.*=.*)*;?"', "pricing.rules_cache_ttl_ms = 0", "payload.validation = deep"],
  },
  knowledge: {
    runbook: {
      diagnose: ["config_change", "cpu_saturation"],
      mitigate: [["config_revert", "disable_feature_flag"]],
      verify: [["errors_recovered", "cpu_recovered", "latency_recovered"]],
      escalate: [["escalate_oncall", "notify_stakeholders"]],
      // Rolling the binary back does not help, but "roll back the config" says "roll back" too.
      optional: [
        "staged_config_rollout",
        "rollback_deploy",
        "bad_deploy",
        "deploy_safety",
        "error_rate_spike",
        "user_facing_outage",
        "latency_spike",
        "load_shedding",
      ],
      harmful: ["restart_service"],
    },
    postmortem: {
      rootCause: ["config_change"],
      trigger: ["config_change"],
      actionItems: ["staged_config_rollout"],
      optional: [
        "config_revert",
        "cpu_saturation",
        "rollback_deploy",
        "user_facing_outage",
        "deploy_safety",
        "bad_deploy",
        "load_shedding",
        "disable_feature_flag",
      ],
    },
  },
};
