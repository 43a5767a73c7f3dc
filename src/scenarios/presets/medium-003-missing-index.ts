import type { ScenarioTemplate } from "../types.js";

/**
 * Last night's migration dropped the index behind the login security check. Every login now
 * runs a sequential scan over eight million users; Postgres CPU pins and auth-service times out.
 */
export const medium003: ScenarioTemplate = {
  id: "INC-MED-003",
  level: "medium",
  title: "Dropped index turns logins into table scans",
  services: [
    { name: "api-gateway", aliases: ["gateway", "api gateway", "apigw"], role: "public HTTP gateway" },
    { name: "auth-service", aliases: ["auth", "auth service", "authentication service", "login service"], role: "login and token service" },
    { name: "postgres-db", aliases: ["postgres", "postgresql", "postgres db", "pg", "database", "users database"], role: "PostgreSQL primary (users, sessions)" },
    { name: "redis-cache", aliases: ["redis", "redis cache", "cache"], role: "session token cache" },
    { name: "profile-service", aliases: ["profile", "profiles", "profile service"], role: "user profile API" },
  ],
  alert: {
    id: "ALT-103",
    title: "Auth Service Latency Critical",
    severity: "P1",
    affectedServices: ["auth-service", "postgres-db"],
    description:
      "auth-service p99 latency above 1 s for 10 minutes; logins are timing out. Users with an existing session are not affected, new logins fail.",
  },
  metrics: [
    { service: "auth-service", metric: "latency_p99", unit: "ms", threshold: 1000, direction: "above", baseline: 180, atPage: 12000, driftPerMinute: 120, worst: 20000, noise: 0.04 },
    { service: "auth-service", metric: "login_success_rate", unit: "%", threshold: 95, direction: "below", baseline: 99.2, atPage: 58, driftPerMinute: 0.6, worst: 20, noise: 0.03 },
    { service: "postgres-db", metric: "cpu_usage", unit: "%", threshold: 80, direction: "above", baseline: 28, atPage: 98.5, driftPerMinute: 0, worst: 100, noise: 0.01 },
    { service: "postgres-db", metric: "slow_queries_per_sec", unit: "count", threshold: 5, direction: "above", baseline: 0, atPage: 45, driftPerMinute: 0.5, worst: 70, noise: 0.05 },
    { service: "postgres-db", metric: "active_connections", unit: "count", threshold: 95, direction: "above", baseline: 40, atPage: 86, driftPerMinute: 0.3, worst: 94, noise: 0.03 },
    { service: "api-gateway", metric: "error_rate_5xx", unit: "%", threshold: 5, direction: "above", baseline: 0.3, atPage: 14, driftPerMinute: 0.3, worst: 40, noise: 0.05 },
    { service: "redis-cache", metric: "hit_ratio", unit: "%", threshold: 60, direction: "below", baseline: 91, atPage: 90, driftPerMinute: 0, worst: 90, noise: 0.02 },
  ],
  openingLogs: [
    { atMinute: -420, level: "INFO", service: "postgres-db", message: "migration 0142_users_login_audit applied: DROP INDEX users_last_login_ip_idx; ALTER TABLE users ADD COLUMN login_audit jsonb" },
    { atMinute: -35, level: "INFO", service: "api-gateway", message: "morning login peak: POST /v1/login at 310 req/s" },
    { atMinute: -30, level: "WARN", service: "postgres-db", message: "duration: 5120 ms statement: SELECT id, failed_attempts FROM users WHERE last_login_ip = $1", trace: "l1" },
    { atMinute: -30, level: "WARN", service: "auth-service", message: "suspicious-login check took 5180 ms for login {n}", trace: "l1" },
    { atMinute: -20, level: "WARN", service: "postgres-db", message: "EXPLAIN for slow statement: Seq Scan on users (rows=8,114,220), Filter: (last_login_ip = $1)" },
    { atMinute: -11, level: "ERROR", service: "auth-service", message: "POST /v1/login timed out after 10000 ms waiting on postgres-db", trace: "l2" },
    { atMinute: -11, level: "ERROR", service: "api-gateway", message: "POST /v1/login -> 504 after 10011 ms (upstream: auth-service)", trace: "l2" },
    { atMinute: 0, level: "CRITICAL", service: "auth-service", message: "p99 latency 12000 ms over the last 10 minutes, paging on-call" },
  ],
  activeLogs: [
    { level: "WARN", service: "postgres-db", message: "duration: 6840 ms statement: SELECT id, failed_attempts FROM users WHERE last_login_ip = $1 (login {n})", trace: "r" },
    { level: "ERROR", service: "auth-service", message: "login {n} failed: suspicious-login check timed out", trace: "r" },
    { level: "WARN", service: "postgres-db", message: "cpu {n}% above the hourly average; top statement by total time: SELECT ... FROM users WHERE last_login_ip = $1" },
    { level: "WARN", service: "auth-service", message: "circuit breaker for postgres-db half-open: {n} probe queries timed out in the last minute" },
    { level: "ERROR", service: "api-gateway", message: "POST /v1/login -> 504 after 10008 ms (upstream: auth-service)" },
  ],
  recoveryLogs: [
    { level: "INFO", service: "postgres-db", message: "statement: CREATE INDEX CONCURRENTLY users_last_login_ip_idx ON users (last_login_ip) finished" },
    { level: "INFO", service: "postgres-db", message: "top statement now: SELECT id, failed_attempts FROM users WHERE last_login_ip = $1 (avg 0.4 ms, Index Scan)" },
    { level: "INFO", service: "auth-service", message: "login p99 210 ms over the last 5 minutes" },
  ],
  backgroundLogs: [
    { level: "INFO", service: "profile-service", message: "GET /v1/profile 200 in {n} ms" },
    { level: "INFO", service: "redis-cache", message: "expired {n} session tokens" },
    { level: "INFO", service: "postgres-db", message: "checkpoint complete: wrote {n} buffers" },
  ],
  kb: [
    {
      id: "KB-DB-008",
      title: "Sequential scans on large tables",
      tags: ["postgres", "performance", "index"],
      content:
        "When one statement dominates the slow-query log and its plan shows a Seq Scan on a large table, the filter column has no usable index. " +
        "Create one without blocking writes: CREATE INDEX CONCURRENTLY idx_name ON table (column). It takes minutes on a table of millions of rows; watch pg_stat_progress_create_index. " +
        "Restarting Postgres clears nothing useful and drops every connection.",
    },
    {
      id: "KB-AUTH-200",
      title: "auth-service timeouts",
      tags: ["auth-service"],
      content:
        "auth-service reads users and sessions from postgres-db on every login and opens a circuit breaker when the database is slow. Login timeouts almost always trace to the database, not to auth-service capacity; adding auth replicas puts more queries on the database.",
    },
  ],
  truth: {
    rootService: "postgres-db",
    faultClass: "missing_index",
    rootCause:
      "Migration 0142 dropped the index on users.last_login_ip. The suspicious-login check filters on that column at every login, so each login ran a sequential scan over 8 million rows; at the morning peak Postgres CPU saturated and logins timed out.",
    severity: "P1",
  },
  fix: {
    targets: ["postgres-db"],
    concepts: ["create_index", "rollback_deploy"],
    recoveryMinutes: 12,
    feedback: "The index on users.last_login_ip is being built; the login query switches to an index scan as soon as it is valid.",
  },
  harmfulFixes: [
    {
      concept: "restart_service",
      targets: ["postgres-db"],
      feedback: "postgres-db restarted: every session dropped, caches went cold, and the scans came straight back.",
      worsens: ["auth-service/latency_p99", "api-gateway/error_rate_5xx"],
    },
    {
      concept: "scale_out",
      targets: ["auth-service", "api-gateway"],
      feedback: "More auth replicas means more concurrent table scans on the same database.",
      worsens: ["postgres-db/cpu_usage", "auth-service/latency_p99"],
    },
  ],
  runbook: {
    diagnose: ["slow_query", "missing_index"],
    mitigate: ["create_index"],
    verify: ["latency_recovered"],
    optional: ["rollback_deploy", "migration_review", "login_failures", "bad_deploy", "check_db_connections"],
    harmful: ["restart_service", "scale_out"],
  },
  postmortem: {
    summary: ["missing_index", "latency_spike"],
    root_cause: ["missing_index", "slow_query"],
    timeline: ["incident_began", "alert_fired", "incident_mitigated"],
    impact: ["login_failures"],
    action_items: ["migration_review", "capacity_alerting"],
    optional: ["create_index", "rollback_deploy", "bad_deploy"],
  },
};
