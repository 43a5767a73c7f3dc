import type { FaultDefinition } from "../../sim/fault-types.js";

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
      {
        level: "WARN",
        message: "duration: {n}83.217 ms  statement: SELECT * FROM {detail:table} WHERE {detail:column} = $1 ORDER BY id DESC LIMIT 50",
        paraphrases: {
          public: [
            "# Query_time: {n}.83  Rows_examined: 4812204  SELECT * FROM {detail:table} WHERE {detail:column} = ? ORDER BY id DESC LIMIT 50",
            'slow_query duration_ms={n}83 table={detail:table} filter={detail:column} stmt="SELECT ... LIMIT 50"',
          ],
          held_out: [
            '{"query_ms":{n}83,"sql":"SELECT * FROM {detail:table} WHERE {detail:column} = ? ORDER BY id DESC LIMIT 50"}',
            "statement on {detail:table} filtered by {detail:column} ran for {n}83 ms",
          ],
        },
      },
      {
        level: "WARN",
        message:
          "Seq Scan on {detail:table} (rows removed by filter: {n}81204) for SELECT * FROM {detail:table} WHERE {detail:column} = $1 ORDER BY id DESC LIMIT 50",
        paraphrases: {
          public: [
            "auto_explain: Seq Scan on {detail:table} Filter: ({detail:column} = $1) Rows Removed by Filter: {n}81204",
            "plan=SeqScan table={detail:table} filter_col={detail:column} rows_removed={n}81204",
          ],
          held_out: [
            '{"plan":{"node":"full table scan","relation":"{detail:table}","predicate":"{detail:column}","discarded":{n}81204}}',
            "{detail:table} read end to end (no index on {detail:column}), {n}81204 rows thrown away",
          ],
        },
      },
      {
        level: "ERROR",
        message:
          "canceling statement due to statement timeout: SELECT * FROM {detail:table} WHERE {detail:column} = $1 ORDER BY id DESC LIMIT 50",
        fromIntensity: 0.6,
        paraphrases: {
          public: [
            "ERROR:  57014: canceling statement due to statement timeout; STATEMENT: SELECT * FROM {detail:table} WHERE {detail:column} = $1",
            "Query execution was interrupted, maximum statement execution time exceeded (SELECT on {detail:table} by {detail:column})",
          ],
          held_out: [
            '{"sqlstate":"query_canceled","why":"statement_timeout","relation":"{detail:table}","where":"{detail:column}"}',
            "the SELECT on {detail:table} by {detail:column} hit the statement time limit and was killed",
          ],
        },
      },
    ],
    callers: [
      {
        level: "ERROR",
        message:
          "query on {callee} timed out after {timeout} ms: SELECT * FROM {detail:table} WHERE {detail:column} = $1 ORDER BY id DESC LIMIT 50",
        paraphrases: {
          public: [
            "db={callee} op=SELECT table={detail:table} where={detail:column} error=timeout elapsed_ms={timeout}",
            "QueryTimeoutException: SELECT * FROM {detail:table} WHERE {detail:column} = ? on {callee} exceeded {timeout} ms",
          ],
          held_out: [
            '{"db.system":"{callee}","db.statement":"SELECT {detail:table} by {detail:column}","error":"timeout","ms":{timeout}}',
            "no reply from {callee} for the {detail:table} lookup by {detail:column} within {timeout} ms",
          ],
        },
      },
      {
        level: "WARN",
        message: "{callee} p99 {n}00 ms for the {detail:table} lookup",
        paraphrases: {
          public: ["db={callee} query={detail:table}_lookup p99_ms={n}00", "{detail:table} lookups on {callee}: p99 {n}00 ms"],
          held_out: [
            '{"db":"{callee}","op":"{detail:table}.find","p99":"{n}00ms"}',
            "slowest 1% of {detail:table} reads from {callee} take {n}00 ms",
          ],
        },
      },
    ],
    recovery: [
      {
        level: "INFO",
        message: "index {detail:table}_{detail:column}_idx is valid; {detail:table} lookups use Index Scan again",
        paraphrases: {
          public: [
            "auto_explain: Index Scan using {detail:table}_{detail:column}_idx on {detail:table}",
            "index={detail:table}_{detail:column}_idx valid=true plan=IndexScan table={detail:table}",
          ],
          held_out: [
            '{"index":"{detail:table}_{detail:column}_idx","usable":true,"relation":"{detail:table}"}',
            "{detail:table} reads go through {detail:table}_{detail:column}_idx once more",
          ],
        },
      },
      {
        level: "INFO",
        message: "no statements over 500 ms in the last 5 minutes",
        paraphrases: {
          public: ["slow_statements_over_500ms=0 window=5m", "5 minutes without a statement above 500 ms"],
          held_out: ['{"slow_queries_5m":0,"threshold_ms":500}', "every query finished under half a second for five minutes"],
        },
      },
    ],
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
      optional: [
        "schema_migration",
        "migration_review",
        "cpu_saturation",
        "check_db_connections",
        "connection_pool_exhaustion",
        "rollback_deploy",
        "latency_spike",
        "connections_recovered",
      ],
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
