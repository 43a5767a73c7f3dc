import { buildPreset } from "./preset.js";

/** INC-MED-003: A migration dropped the index behind the login query; every login scans the users table and Postgres CPU saturates. */
export const medium003 = buildPreset({
  id: "INC-MED-003",
  level: "medium",
  title: "Dropped index turns logins into table scans",
  family: "saas-api",
  nodes: [
    { name: "api-gateway", kind: "gateway", role: "public HTTP gateway", aliases: ["gateway", "api gateway", "apigw"] },
    {
      name: "auth-service",
      kind: "service",
      role: "login and token service",
      aliases: ["auth", "auth service", "authentication service", "login service"],
    },
    {
      name: "postgres-db",
      kind: "database",
      role: "PostgreSQL primary (users, sessions)",
      aliases: ["postgres", "postgresql", "postgres db", "pg", "database", "users database"],
    },
    { name: "redis-cache", kind: "cache", role: "session token cache", aliases: ["redis", "redis cache", "cache"] },
    { name: "profile-service", kind: "service", role: "user profile API", aliases: ["profile", "profiles", "profile service"] },
    { name: "deploy-controller", kind: "config", role: "deploys, config pushes and migrations" },
    { name: "coredns", kind: "dns", role: "cluster DNS" },
  ],
  calls: [
    ["api-gateway", "auth-service", 700],
    ["api-gateway", "profile-service", 300],
    ["auth-service", "postgres-db", 420, 1000, 1],
    ["auth-service", "redis-cache", 650, 100, 0],
    ["profile-service", "postgres-db", 220, 1000, 1],
  ],
  fault: "slow_query",
  root: "postgres-db",
  onsetMinute: -9,
  startedAt: "2026-05-06T08:50:00Z",
  narrative: {
    alertTitle: "Auth Service Latency Critical",
    alertDescription:
      "auth-service p99 latency above 1 s for 10 minutes; logins are timing out. Users with an existing session are not affected, new logins fail.",
    openingLogs: [
      {
        atMinute: -420,
        level: "INFO",
        service: "postgres-db",
        message:
          "migration 0142_users_login_audit applied: DROP INDEX users_last_login_ip_idx; ALTER TABLE users ADD COLUMN login_audit jsonb",
      },
      { atMinute: -35, level: "INFO", service: "api-gateway", message: "morning login peak: POST /v1/login at 310 req/s" },
      {
        atMinute: -30,
        level: "WARN",
        service: "postgres-db",
        message: "duration: 5120 ms statement: SELECT id, failed_attempts FROM users WHERE last_login_ip = $1",
      },
      { atMinute: -30, level: "WARN", service: "auth-service", message: "suspicious-login check took 5180 ms for login {n}" },
      {
        atMinute: -20,
        level: "WARN",
        service: "postgres-db",
        message: "EXPLAIN for slow statement: Seq Scan on users (rows=8,114,220), Filter: (last_login_ip = $1)",
      },
      { atMinute: -11, level: "ERROR", service: "auth-service", message: "POST /v1/login timed out after 10000 ms waiting on postgres-db" },
      { atMinute: -11, level: "ERROR", service: "api-gateway", message: "POST /v1/login -> 504 after 10011 ms (upstream: auth-service)" },
      { atMinute: 0, level: "CRITICAL", service: "auth-service", message: "p99 latency 12000 ms over the last 10 minutes, paging on-call" },
    ],
    kb: [
      {
        id: "KB-DB-008",
        title: "Sequential scans on large tables",
        tags: ["postgres", "performance", "index"],
        content:
          "When one statement dominates the slow-query log and its plan shows a Seq Scan on a large table, the filter column has no usable index. Create one without blocking writes: CREATE INDEX CONCURRENTLY idx_name ON table (column). It takes minutes on a table of millions of rows; watch pg_stat_progress_create_index. Restarting Postgres clears nothing useful and drops every connection.",
      },
      {
        id: "KB-AUTH-200",
        title: "auth-service timeouts",
        tags: ["auth-service"],
        content:
          "auth-service reads users and sessions from postgres-db on every login and opens a circuit breaker when the database is slow. Login timeouts almost always trace to the database, not to auth-service capacity; adding auth replicas puts more queries on the database.",
      },
    ],
  },
});
