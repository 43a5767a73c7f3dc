import type { FaultDefinition } from "../../sim/fault-types.js";

/**
 * A new version of a service ships a regression: from the moment its pods take traffic, a share
 * of requests throws. The error rate steps up in line with the deploy; callers pass the failures
 * on. Rolling back is the fix; restarting or adding pods runs the same broken code.
 */
export const badDeploy: FaultDefinition = {
  kind: "bad_deploy",
  title: "Regression shipped in a deploy",
  injectable: ["service", "gateway"],
  trigger: { event: "deploy", description: "deployed {root} {version} (was {previous})" },
  mechanism:
    "{root} {version} shipped a regression in {detail:code_path}: requests that reach it throw {detail:exception} and fail with 500, starting the minute the new pods took traffic. Load, capacity and dependencies are unchanged; {root}'s callers simply pass its failures on to users.",
  growth: { shape: "step", minutesToFull: 1 },
  onsetBeforePage: [4, 12],
  effects: [
    { scope: "root", metric: "error_rate", op: "add", value: 38 },
    { scope: "root", metric: "latency_p99", op: "multiply", value: 2.5 },
    { scope: "root", metric: "cpu_usage", op: "multiply", value: 1.25 },
  ],
  edgeEffects: [],
  signature: ["error_rate"],
  logs: {
    root: [
      {
        level: "ERROR",
        message: "unhandled {detail:exception} in {detail:code_path} (build {version})",
        paraphrases: {
          public: [
            'level=error msg="unhandled exception" error="{detail:exception}" component="{detail:code_path}" build={version}',
            "Uncaught {detail:exception} while running {detail:code_path}; release {version}",
          ],
          held_out: [
            '{"severity":"error","event":"exception escaped handler","exc":"{detail:exception}","where":"{detail:code_path}","app_version":"{version}"}',
            "request aborted by {detail:exception} raised from {detail:code_path} (deployed build {version})",
          ],
        },
      },
      {
        level: "ERROR",
        message: "POST {detail:endpoint} -> 500 Internal Server Error: {detail:exception}",
        paraphrases: {
          public: [
            'method=POST path={detail:endpoint} status=500 error="{detail:exception}"',
            '"POST {detail:endpoint} HTTP/1.1" 500 - {detail:exception}',
          ],
          held_out: [
            '{"http.method":"POST","http.route":"{detail:endpoint}","http.status_code":500,"exception":"{detail:exception}"}',
            "handler for POST {detail:endpoint} threw {detail:exception}; responded with status 500",
          ],
        },
      },
      {
        level: "WARN",
        message: "{n} requests failed in {detail:code_path} during the last minute; none before {version} started",
        paraphrases: {
          public: [
            'error_count={n} window=60s component="{detail:code_path}" first_seen_build={version}',
            "{n} failures/min in {detail:code_path} since {version} went live (0 on the previous build)",
          ],
          held_out: [
            "errors in {detail:code_path} appeared only after rollout of {version}: {n} in the past 60 s",
            '{"metric":"handler_errors","scope":"{detail:code_path}","count_1m":{n},"regressed_in":"{version}"}',
          ],
        },
      },
    ],
    callers: [
      {
        level: "ERROR",
        message: "{callee} answered 500 Internal Server Error for {detail:endpoint} ({n} in the last minute)",
        paraphrases: {
          public: [
            "upstream_status=500 upstream={callee} path={detail:endpoint} count_1m={n}",
            "HTTP 500 from {callee} on {detail:endpoint} x{n} in the last minute",
          ],
          held_out: [
            '{"dependency":"{callee}","route":"{detail:endpoint}","status":500,"occurrences":{n}}',
            "server error (500) returned by {callee} for {detail:endpoint}, {n} times in 60 s",
          ],
        },
      },
      {
        level: "WARN",
        message: "error rate from upstream {callee} above 30%; passing failures through to clients",
        paraphrases: {
          public: [
            "upstream={callee} error_ratio>0.30 action=propagate",
            "{callee} failing more than 30% of calls; errors are being returned to clients",
          ],
          held_out: [
            "more than three in ten responses from {callee} are errors, forwarding them to callers as-is",
            '{"upstream":"{callee}","failure_pct_gt":30,"mode":"pass-through"}',
          ],
        },
      },
    ],
    recovery: [
      {
        level: "INFO",
        message: "serving {previous}; {detail:code_path} handling requests without errors",
        paraphrases: {
          public: [
            'active_build={previous} component="{detail:code_path}" errors=0',
            "rolled back to {previous}: {detail:code_path} healthy",
          ],
          held_out: [
            "{detail:code_path} back to clean responses now that {previous} is live",
            '{"running_version":"{previous}","component":"{detail:code_path}","error_count":0}',
          ],
        },
      },
      {
        level: "INFO",
        message: "no 500 responses in the last 5 minutes",
        paraphrases: {
          public: ["status_5xx=0 window=5m", "5 minutes without a 500 response"],
          held_out: ['{"http_500_count":0,"window":"300s"}', "zero internal server errors over the past five minutes"],
        },
      },
    ],
  },
  remedies: [{ kind: "rollback", target: "root", effect: "durable", recoveryMinutes: 3 }],
  wrongFixes: [
    {
      kind: "restart",
      target: "root",
      intensityDelta: 0,
      sideEffects: [
        { scope: "root", metric: "error_rate", op: "add", value: 20 },
        { scope: "root", metric: "latency_p99", op: "multiply", value: 3 },
      ],
      sideEffectMinutes: 4,
    },
    {
      kind: "scale",
      target: "root",
      intensityDelta: 0,
      sideEffects: [
        { scope: "root", metric: "error_rate", op: "add", value: 10 },
        { scope: "root", metric: "latency_p99", op: "multiply", value: 2 },
      ],
      sideEffectMinutes: 5,
    },
  ],
  details: {
    exception: [
      "NullPointerException",
      "TypeError: Cannot read properties of undefined (reading 'currency')",
      "KeyError: 'shipping_address'",
    ],
    code_path: ["the invoice renderer", "price rounding", "the session middleware"],
    endpoint: ["/v2/orders", "/v1/cart/items", "/v1/session"],
  },
  knowledge: {
    runbook: {
      // What changed, and how the new code fails (exceptions, or locks taken in a new order).
      diagnose: ["bad_deploy", ["new_exception", "deadlock", "lock_contention"]],
      mitigate: [["rollback_deploy", "disable_feature_flag"]],
      verify: [["errors_recovered", "latency_recovered", "locks_cleared"]],
      escalate: [["escalate_oncall", "notify_stakeholders"]],
      optional: [
        "deploy_safety",
        "check_logs",
        "error_rate_spike",
        "user_facing_outage",
        "health_check",
        "check_traffic_source",
        "traffic_spike",
        "lock_ordering",
      ],
      harmful: ["restart_service", "scale_out", "block_traffic"],
    },
    postmortem: {
      rootCause: ["bad_deploy", ["new_exception", "deadlock", "lock_contention"]],
      trigger: ["bad_deploy"],
      actionItems: [["deploy_safety", "lock_ordering"]],
      optional: [
        "rollback_deploy",
        "errors_recovered",
        "error_rate_spike",
        "user_facing_outage",
        "traffic_spike",
        "check_traffic_source",
        "locks_cleared",
        "disable_feature_flag",
      ],
    },
  },
};
