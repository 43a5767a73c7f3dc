import type { FaultDefinition } from "../fault-types.js";

/**
 * A migration leaves a hot query without a usable index: each call becomes a sequential scan.
 * The database's CPU pins, queries that took milliseconds take a second, connections stay busy
 * and callers time out. Creating the index is the fix; killing the queries only buys minutes.
 */
export const slowQuery: FaultDefinition = {
  kind: "slow_query",
  title: "Hot query lost its index",
  injectable: ["database"],
  trigger: { event: "schema_migration", description: "migration {detail:migration} applied to {root}" },
  mechanism:
    "Migration {detail:migration} rebuilt the indexes on {detail:table} and left the hot lookup of {detail:table} by {detail:column} without a usable index. Every call is now a sequential scan over the whole table: {root}'s CPU pins, a query that took a few milliseconds takes about a second, connections stay busy longer, and {root}'s callers time out.",
  growth: { shape: "ramp", minutesToFull: 6 },
  onsetBeforePage: [5, 12],
  effects: [
    { scope: "root", metric: "cpu_usage", op: "toward", value: 97 },
    { scope: "root", metric: "latency_p99", op: "multiply", value: 40 },
    { scope: "root", metric: "latency_p50", op: "multiply", value: 35 },
    { scope: "root", metric: "connection_usage", op: "toward", value: 90 },
    { scope: "root", metric: "error_rate", op: "add", value: 6, fromIntensity: 0.6 },
  ],
  edgeEffects: [{ scope: "into_root", errorRate: 25, fromIntensity: 0.5 }],
  signature: ["cpu_usage", "latency_p99"],
  logs: {
    root: [
      { level: "WARN", message: "duration: {n}83.217 ms  statement: SELECT * FROM {detail:table} WHERE {detail:column} = $1 ORDER BY id DESC LIMIT 50" },
      { level: "WARN", message: "Seq Scan on {detail:table} (rows removed by filter: {n}81204) for SELECT * FROM {detail:table} WHERE {detail:column} = $1 ORDER BY id DESC LIMIT 50" },
      { level: "ERROR", message: "canceling statement due to statement timeout: SELECT * FROM {detail:table} WHERE {detail:column} = $1 ORDER BY id DESC LIMIT 50", fromIntensity: 0.6 },
    ],
    callers: [
      { level: "ERROR", message: "query on {callee} timed out after {timeout} ms: SELECT * FROM {detail:table} WHERE {detail:column} = $1 ORDER BY id DESC LIMIT 50" },
      { level: "WARN", message: "{callee} p99 {n}00 ms for the {detail:table} lookup" },
    ],
    recovery: [
      { level: "INFO", message: "index {detail:table}_{detail:column}_idx is valid; {detail:table} lookups use Index Scan again" },
      { level: "INFO", message: "no statements over 500 ms in the last 5 minutes" },
    ],
  },
  kb: {
    helpful: {
      title: "A database suddenly CPU-bound on one statement",
      tags: ["database", "queries", "indexes"],
      content:
        "When a database's CPU and query latency jump together, list the top statements by total time (pg_stat_statements) and EXPLAIN the worst one. A sequential scan where there used to be an index scan means the index is gone or unusable, often after a migration. Create the index again (CREATE INDEX CONCURRENTLY, so writes are not blocked); killing the slow statements only helps until the next ones arrive. Check migrations for dropped indexes before they run.",
    },
    misleading: {
      title: "{root} running out of connections",
      tags: ["database", "connections"],
      content:
        "If {root}'s callers time out waiting for queries, the database is short of connections. Raise max_connections on {root} so more queries can run at once, and restart it during a quiet minute to apply the change.",
    },
  },
  remedies: [
    { kind: "add_index", target: "root", effect: "durable", recoveryMinutes: 5 },
    {
      kind: "kill_query",
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
        { scope: "root", metric: "latency_p99", op: "multiply", value: 1.6 },
        { scope: "root", metric: "connection_usage", op: "toward", value: 99 },
      ],
      sideEffectMinutes: 6,
    },
    {
      kind: "restart",
      target: "root",
      intensityDelta: 0,
      sideEffects: [{ scope: "root", metric: "latency_p99", op: "multiply", value: 1.6 }],
      sideEffectMinutes: 5,
    },
  ],
  details: {
    migration: ["0148_index_cleanup", "V2026.03.02.1__reindex", "20260302141500_rebuild_indexes"],
    table: ["invoices", "shipments", "payments"],
    column: ["account_id", "external_ref", "customer_id"],
  },
  knowledge: {
    runbook: {
      diagnose: ["slow_query", "missing_index"],
      // Build the index again; cancelling the slow statements buys time.
      mitigate: [["create_index", "kill_blocking_query"]],
      verify: [["latency_recovered", "cpu_recovered", "errors_recovered"]],
      escalate: [["escalate_oncall", "notify_stakeholders"]],
      optional: ["schema_migration", "migration_review", "cpu_saturation", "check_db_connections", "connection_pool_exhaustion", "rollback_deploy", "latency_spike", "connections_recovered"],
      harmful: ["raise_connection_limit", "restart_service"],
    },
    postmortem: {
      rootCause: ["missing_index", "slow_query"],
      trigger: ["schema_migration"],
      actionItems: ["migration_review"],
      optional: ["create_index", "capacity_alerting", "latency_spike", "cpu_saturation", "kill_blocking_query", "rollback_deploy"],
    },
  },
};
