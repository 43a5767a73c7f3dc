import type { FaultDefinition } from "../../sim/fault-types.js";

/**
 * A schema migration asks for an exclusive lock on a hot table and queues behind a long
 * transaction; every query on the table queues behind the migration. Queries wait on locks, not
 * on CPU: latency and lock waits climb, connections fill with blocked sessions, callers time out.
 */
export const dbLockContention: FaultDefinition = {
  kind: "db_lock_contention",
  title: "Queries blocked behind a migration's table lock",
  injectable: ["database"],
  trigger: { event: "schema_migration", description: "migration {detail:migration} started on {root}" },
  mechanism:
    "Migration {detail:migration} runs ALTER TABLE {detail:table} {detail:alter} on {root}. The statement needs an ACCESS EXCLUSIVE lock on {detail:table}; it waits behind a long-running transaction, and every query that touches {detail:table} queues behind it. Sessions wait on locks rather than CPU: query latency and lock waits climb, the connection slots fill with blocked sessions, and {root}'s callers time out. CPU stays low.",
  growth: { shape: "ramp", minutesToFull: 4 },
  onsetBeforePage: [4, 10],
  effects: [
    { scope: "root", metric: "lock_waits", op: "toward", value: 180 },
    { scope: "root", metric: "latency_p99", op: "multiply", value: 50 },
    { scope: "root", metric: "latency_p50", op: "multiply", value: 30 },
    { scope: "root", metric: "connection_usage", op: "toward", value: 96 },
    { scope: "root", metric: "cpu_usage", op: "multiply", value: 0.6 },
    { scope: "root", metric: "error_rate", op: "add", value: 10, fromIntensity: 0.5 },
  ],
  edgeEffects: [{ scope: "into_root", errorRate: 30, fromIntensity: 0.3 }],
  signature: ["lock_waits", "latency_p99"],
  logs: {
    root: [
      {
        level: "WARN",
        message: "process 4{n}17 still waiting for AccessExclusiveLock on relation {detail:table} after 1000.{n} ms",
        paraphrases: {
          public: [
            "lock_wait pid=4{n}17 mode=AccessExclusiveLock relation={detail:table} waited_ms=1000.{n}",
            "pid 4{n}17 blocked: AccessExclusiveLock requested on {detail:table} (waiting 1000.{n} ms)",
          ],
          held_out: [
            '{"pid":4{n}17,"wait_event":"Lock:relation","lock_mode":"exclusive","table":"{detail:table}","wait_ms":1000.{n}}',
            "backend 4{n}17 has been queued for an exclusive lock on {detail:table} for 1000.{n} ms",
          ],
        },
      },
      {
        level: "WARN",
        message: "{n} sessions waiting for locks on {detail:table}; oldest waiting {n} s",
        paraphrases: {
          public: [
            "lock_waiters={n} relation={detail:table} oldest_wait_s={n}",
            "Lock queue on {detail:table}: {n} sessions blocked, longest {n}s",
          ],
          held_out: [
            '{"blocked_sessions":{n},"on":"{detail:table}","max_wait_s":{n}}',
            "{detail:table} has {n} blocked backends, the earliest queued {n} s ago",
          ],
        },
      },
      {
        level: "ERROR",
        message: "canceling statement due to lock timeout (UPDATE {detail:table} ...)",
        fromIntensity: 0.5,
        paraphrases: {
          public: [
            "ERROR:  55P03: canceling statement due to lock timeout; STATEMENT: UPDATE {detail:table} ...",
            "Lock wait timeout exceeded; try restarting transaction (UPDATE {detail:table})",
          ],
          held_out: [
            '{"sqlstate":"lock_not_available","statement":"UPDATE {detail:table}","action":"cancelled"}',
            "gave up waiting for a row lock on {detail:table}, the UPDATE was aborted",
          ],
        },
      },
    ],
    callers: [
      {
        level: "ERROR",
        message: "query on {callee} timed out after {timeout} ms: UPDATE {detail:table} SET ...",
        paraphrases: {
          public: [
            "db={callee} op=UPDATE table={detail:table} error=timeout elapsed_ms={timeout}",
            "QueryTimeoutException: UPDATE {detail:table} on {callee} exceeded {timeout} ms",
          ],
          held_out: [
            '{"db.system":"{callee}","db.statement":"UPDATE {detail:table}","error":"timeout","ms":{timeout}}',
            "no reply from {callee} for UPDATE {detail:table} within {timeout} ms",
          ],
        },
      },
      {
        level: "WARN",
        message: "connection pool for {callee}: all connections busy, {n} requests waiting",
        paraphrases: {
          public: ["pool={callee} active=max idle=0 waiting={n}", "HikariPool({callee}) - Pool stats (active=all, idle=0, waiting={n})"],
          held_out: [
            '{"pool":"{callee}","in_use":"100%","queued":{n}}',
            "every pooled connection to {callee} is checked out; {n} callers queued",
          ],
        },
      },
    ],
    recovery: [
      {
        level: "INFO",
        message: "lock queue on {detail:table} empty; migration {detail:migration} canceled",
        paraphrases: {
          public: [
            "lock_waiters=0 relation={detail:table} migration={detail:migration} state=canceled",
            "Migration {detail:migration} aborted; no more lock waits on {detail:table}",
          ],
          held_out: [
            '{"table":"{detail:table}","blocked":0,"migration":"{detail:migration}","status":"rolled back"}',
            "{detail:migration} was stopped and {detail:table} is no longer locked",
          ],
        },
      },
      {
        level: "INFO",
        message: "no lock waits over 1 s in the last 5 minutes",
        paraphrases: {
          public: ["lock_waits_over_1s=0 window=5m", "5 minutes without a lock wait above 1 s"],
          held_out: ['{"long_lock_waits_5m":0}', "nothing blocked on a lock longer than a second for five minutes"],
        },
      },
    ],
  },
  remedies: [{ kind: "kill_query", target: "root", effect: "durable", recoveryMinutes: 2 }],
  wrongFixes: [
    {
      kind: "raise_limit",
      target: "root",
      intensityDelta: 0.2,
      sideEffects: [
        { scope: "root", metric: "connection_usage", op: "toward", value: 100 },
        { scope: "root", metric: "latency_p99", op: "multiply", value: 1.6 },
        { scope: "root", metric: "lock_waits", op: "multiply", value: 1.5 },
      ],
      sideEffectMinutes: 6,
    },
    {
      kind: "restart",
      target: "root",
      intensityDelta: 0,
      sideEffects: [{ scope: "root", metric: "error_rate", op: "add", value: 20 }],
      sideEffectMinutes: 4,
    },
  ],
  details: {
    migration: ["0147_auto_20260302", "V2026.03.02.2__release_48", "20260302135800_schema_change"],
    table: ["invoices", "shipments", "payments"],
    alter: [
      "ALTER COLUMN id TYPE bigint",
      "ADD COLUMN archived_at timestamptz NOT NULL DEFAULT now()",
      "ADD CONSTRAINT amount_positive CHECK (amount_cents >= 0)",
    ],
  },
  knowledge: {
    runbook: {
      diagnose: [["lock_contention", "deadlock"], "schema_migration"],
      // End the head of the lock queue: cancel the migration or terminate its session.
      mitigate: [["kill_blocking_query", "kill_idle_connections"]],
      verify: [["locks_cleared", "latency_recovered", "errors_recovered"]],
      escalate: [["escalate_oncall", "notify_stakeholders"]],
      optional: [
        "lock_timeout",
        "online_migration",
        "connection_pool_exhaustion",
        "check_db_connections",
        "slow_query",
        "migration_review",
        "latency_spike",
        "db_connection_limit",
        "request_timeout",
        "connections_recovered",
      ],
      harmful: ["raise_connection_limit", "restart_service"],
    },
    postmortem: {
      rootCause: [["lock_contention", "deadlock"], "schema_migration"],
      trigger: ["schema_migration"],
      actionItems: ["lock_timeout", ["online_migration", "migration_review"]],
      optional: [
        "kill_blocking_query",
        "connection_pool_exhaustion",
        "check_db_connections",
        "latency_spike",
        "db_connection_limit",
        "request_timeout",
        "lock_ordering",
        "locks_cleared",
      ],
    },
  },
};
