import type { FaultDefinition } from "../../sim/fault-types.js";

/**
 * Clients open more sessions than the database allows (a scale-out multiplied per-replica pools),
 * so new sessions are refused. The database's CPU stays flat; its callers time out waiting.
 */
export const connectionPoolExhaustion: FaultDefinition = {
  kind: "connection_pool_exhaustion",
  title: "Database connection slots exhausted",
  injectable: ["database"],
  trigger: {
    event: "traffic_surge",
    description: "autoscaler: scaled {caller} from {detail:replicas_before} to {detail:replicas} replicas (request rate up)",
  },
  mechanism:
    "{caller} scaled out and every new replica opened its own connection pool to {root}; together they passed max_connections, so {root} refuses new sessions and callers wait for a connection until they time out.",
  growth: { shape: "ramp", minutesToFull: 8 },
  onsetBeforePage: [6, 14],
  effects: [
    { scope: "root", metric: "connection_usage", op: "toward", value: 100 },
    { scope: "root", metric: "error_rate", op: "add", value: 12, fromIntensity: 0.6 },
    { scope: "root", metric: "latency_p99", op: "multiply", value: 2 },
  ],
  edgeEffects: [{ scope: "into_root", errorRate: 30, addedLatencyMs: 900, fromIntensity: 0.5 }],
  signature: ["connection_usage"],
  logs: {
    root: [
      {
        level: "CRITICAL",
        message: "FATAL: sorry, too many clients already",
        paraphrases: {
          public: ["FATAL:  53300: sorry, too many clients already", "ERROR 1040 (08004): Too many connections"],
          held_out: [
            "connection rejected: max_connections reached, no slot for a new backend",
            '{"level":"fatal","msg":"server at its connection limit; new session refused"}',
          ],
        },
      },
      {
        level: "WARN",
        message: "connection count at {n} short of max_connections; remaining slots reserved for superuser",
        paraphrases: {
          public: [
            "backends within {n} of max_connections; only superuser_reserved_connections still free",
            "WARNING: only {n} connection slots left before max_connections (the rest are reserved for superuser)",
          ],
          held_out: [
            "{n} sessions away from the server's connection cap; the spare slots belong to admin roles",
            '{"gauge":"connections_headroom","value":{n},"reserved_for":"superuser"}',
          ],
        },
      },
      {
        level: "ERROR",
        message: "remaining connection slots are reserved for non-replication superuser connections",
        fromIntensity: 0.7,
        paraphrases: {
          public: [
            "FATAL:  remaining connection slots are reserved for roles with the SUPERUSER attribute",
            "connection authorized=false reason=reserved_slots_only role=app",
          ],
          held_out: [
            "new session denied: every unreserved backend slot is in use, only admin slots left",
            '{"event":"connection_refused","reason":"only reserved slots remain"}',
          ],
        },
      },
    ],
    callers: [
      {
        level: "ERROR",
        message: "could not acquire a connection to {callee} within 5000 ms ({n} requests waiting)",
        paraphrases: {
          public: [
            "HikariPool-1 - Connection is not available, request timed out after 5000ms ({callee}, {n} waiting)",
            "pool={callee} acquire_timeout_ms=5000 waiters={n}",
          ],
          held_out: [
            "sqlalchemy.exc.TimeoutError: QueuePool limit reached, connection to {callee} timed out after 5 s ({n} waiting)",
            '{"db":"{callee}","error":"pool checkout timeout","wait_ms":5000,"queued":{n}}',
          ],
        },
      },
      {
        level: "ERROR",
        message: "query to {callee} failed: too many clients already",
        paraphrases: {
          public: ["pq: sorry, too many clients already (host={callee})", 'db={callee} op=query error="too many clients already"'],
          held_out: [
            "org.postgresql.util.PSQLException: {callee} has no free connection slots for this login",
            '{"target":"{callee}","failure":"server refused session: connection limit"}',
          ],
        },
      },
    ],
    recovery: [
      {
        level: "INFO",
        message: "connection count back to {n}% of max_connections",
        paraphrases: {
          public: ["connections_used_pct={n} of max_connections", "Connection usage down to {n}% of the limit"],
          held_out: ['{"connections_pct_of_cap":{n}}', "open sessions now at {n} percent of capacity"],
        },
      },
      {
        level: "INFO",
        message: "no connection refusals in the last 5 minutes",
        paraphrases: {
          public: ["refused_connections=0 window=5m", "5 minutes without a refused connection"],
          held_out: ["every new session accepted over the past five minutes", '{"connection_rejects_5m":0}'],
        },
      },
    ],
  },
  remedies: [
    { kind: "kill_query", target: "root", effect: "relief", recoveryMinutes: 4, reliefMinutes: 20 },
    { kind: "raise_limit", target: "root", effect: "durable", recoveryMinutes: 6 },
    { kind: "scale", target: "root_callers", effect: "durable", recoveryMinutes: 6 },
  ],
  wrongFixes: [
    {
      kind: "restart",
      target: "root",
      intensityDelta: 0.2,
      sideEffects: [{ scope: "root_callers", metric: "error_rate", op: "add", value: 35 }],
      sideEffectMinutes: 4,
    },
  ],
  details: { replicas_before: ["4", "6", "8"], replicas: ["14", "18", "24", "32"] },
  knowledge: {
    runbook: {
      // The server is out of slots; who holds them (a caller that scaled out, idle sessions).
      diagnose: [
        ["db_connection_limit", "connection_pool_exhaustion"],
        ["check_db_connections", "scale_out"],
      ],
      // Relief (kill idle sessions, more slots) or the fix (smaller pools, a pooler, fewer callers).
      mitigate: [["raise_connection_limit", "kill_idle_connections", "reduce_connection_usage", "connection_pooler", "pause_client"]],
      verify: [["errors_recovered", "connections_recovered", "latency_recovered"]],
      escalate: [["escalate_oncall", "notify_stakeholders"]],
      optional: ["capacity_alerting", "connection_refused", "check_traffic_source"],
      harmful: ["restart_service"],
    },
    postmortem: {
      rootCause: [["connection_pool_exhaustion", "db_connection_limit"]],
      trigger: ["scale_out"],
      actionItems: [["connection_pooler", "reduce_connection_usage"], "capacity_alerting"],
      optional: [
        "kill_idle_connections",
        "raise_connection_limit",
        "check_db_connections",
        "connection_refused",
        "pause_client",
        "connections_recovered",
      ],
    },
  },
};
