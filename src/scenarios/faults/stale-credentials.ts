import type { FaultDefinition } from "../../sim/fault-types.js";

/**
 * A secret was rotated and the old value revoked, but a service read the old value at startup and
 * keeps presenting it: pooled connections survive until they are recycled, then every new
 * connection fails authentication. Restarting (reloading) the service is the fix; reverting the
 * rotation undoes a security change and breaks whoever picked up the new value.
 */
export const staleCredentials: FaultDefinition = {
  kind: "stale_credentials",
  title: "Service still using a rotated credential",
  injectable: ["service"],
  trigger: { event: "secret_rotation", description: "secrets-manager: rotated {detail:secret}; previous version revoked" },
  mechanism:
    "{detail:secret}, the credential {root} uses for {callee}, was rotated and its previous version revoked. {root} read the secret into its environment at startup, so its long-running pods still present the old value: existing pooled connections keep working until they are recycled, then every new connection fails authentication and the requests that need {callee} fail. Pods started after the rotation would work; none were restarted.",
  growth: { shape: "ramp", minutesToFull: 10 },
  onsetBeforePage: [8, 16],
  effects: [
    { scope: "root", metric: "error_rate", op: "add", value: 55 },
    { scope: "root", metric: "latency_p99", op: "multiply", value: 1.5 },
  ],
  edgeEffects: [],
  signature: ["error_rate"],
  logs: {
    root: [
      {
        level: "ERROR",
        message: 'could not open a connection to {callee}: FATAL: password authentication failed for user "{detail:user}"',
        paraphrases: {
          public: [
            'db={callee} sqlstate=28P01 user={detail:user} error="password authentication failed"',
            "Access denied for user '{detail:user}' to {callee} (using password: YES)",
          ],
          held_out: [
            '{"db":"{callee}","login":"{detail:user}","auth":"rejected","reason":"bad secret"}',
            "{callee} refused the login of {detail:user}: the credential we present is no longer accepted",
          ],
        },
      },
      {
        level: "WARN",
        message: "connection pool to {callee}: {n} connections closed at max lifetime; reconnect failed (authentication)",
        paraphrases: {
          public: [
            "pool={callee} retired_max_lifetime={n} reconnect=auth_failed",
            "HikariPool({callee}) - {n} connections retired (maxLifetime); new connection rejected: authentication failed",
          ],
          held_out: [
            '{"pool":"{callee}","expired_conns":{n},"reopen":"login refused"}',
            "recycled {n} aged connections to {callee}, none could log back in",
          ],
        },
      },
      {
        level: "ERROR",
        message: "request failed: no usable connection to {callee} ({n} authentication failures in the last minute)",
        paraphrases: {
          public: [
            "db={callee} usable_connections=0 auth_failures_1m={n}",
            "Request failed: no connection to {callee} ({n} auth failures/min)",
          ],
          held_out: [
            '{"db":"{callee}","healthy_conns":0,"login_errors_1m":{n}}',
            "could not serve the request, {callee} rejected {n} logins in the past minute",
          ],
        },
      },
    ],
    callers: [
      {
        level: "ERROR",
        message: "{callee} answered 500 Internal Server Error ({n} in the last minute)",
        paraphrases: {
          public: ["upstream={callee} status=500 count_1m={n}", "HTTP 500 from {callee} x{n} in the last minute"],
          held_out: [
            '{"dependency":"{callee}","status":500,"occurrences":{n}}',
            "{callee} replied with internal server errors {n} times over 60 s",
          ],
        },
      },
      {
        level: "WARN",
        message: "error rate from {callee} rising: {n}% of requests failed",
        paraphrases: {
          public: ["upstream={callee} error_pct={n} trend=up", "Error rate from {callee} at {n}% and climbing"],
          held_out: [
            '{"dependency":"{callee}","failed_pct":{n},"trend":"rising"}',
            "{n} percent of calls to {callee} now end in failure, and the share grows",
          ],
        },
      },
    ],
    recovery: [
      {
        level: "INFO",
        message: "connection pool to {callee} re-established with the current credential",
        paraphrases: {
          public: ["pool={callee} reconnect=ok credential=current", "Reconnected to {callee} using the rotated credential"],
          held_out: ['{"pool":"{callee}","status":"connected","secret":"latest"}', "fresh logins to {callee} with the new secret succeed"],
        },
      },
      {
        level: "INFO",
        message: "no authentication failures in the last 5 minutes",
        paraphrases: {
          public: ["auth_failures=0 window=5m", "5 minutes without an authentication failure"],
          held_out: ['{"login_errors_5m":0}', "every login accepted over the past five minutes"],
        },
      },
    ],
  },
  remedies: [
    { kind: "restart", target: "root", effect: "durable", recoveryMinutes: 3 },
    { kind: "rollback", target: "root", effect: "durable", recoveryMinutes: 4 },
  ],
  wrongFixes: [
    {
      kind: "rotate_credential",
      target: "root_callees",
      intensityDelta: 0.3,
      sideEffects: [{ scope: "root", metric: "error_rate", op: "add", value: 20 }],
      sideEffectMinutes: 6,
    },
    {
      kind: "rotate_credential",
      target: "root",
      intensityDelta: 0.3,
      sideEffects: [{ scope: "root", metric: "error_rate", op: "add", value: 15 }],
      sideEffectMinutes: 6,
    },
  ],
  details: {
    secret: ["orders-db/app-user password", "db/checkout_rw password", "database credential checkout-db-creds"],
    user: ["app_user", "checkout_rw"],
  },
  knowledge: {
    runbook: {
      diagnose: ["stale_credentials", "credential_rotation"],
      // Make the running processes read the current secret: restart or reload them.
      mitigate: [["restart_service", "secret_reload", "rollback_deploy"]],
      verify: [["errors_recovered", "health_check"]],
      escalate: [["escalate_oncall", "notify_stakeholders"]],
      optional: ["rotation_grace_period", "error_rate_spike", "connection_pool_exhaustion", "check_db_connections"],
      harmful: ["revert_rotation"],
    },
    postmortem: {
      rootCause: ["stale_credentials"],
      trigger: ["credential_rotation"],
      actionItems: [["secret_reload", "rotation_grace_period"]],
      optional: ["restart_service", "connection_pool_exhaustion", "capacity_alerting"],
    },
  },
};
