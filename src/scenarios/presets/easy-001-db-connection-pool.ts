import type { ScenarioTemplate } from "../types.js";

/**
 * The gateway's fleet opens more database sessions than Postgres allows; new logins fail.
 * The loud symptom is on the gateway (5xx), the cause is the exhausted connection slots on the DB.
 */
export const easy001: ScenarioTemplate = {
  id: "INC-EASY-001",
  level: "easy",
  title: "Database connection slots exhausted",
  services: [
    { name: "api-gateway", aliases: ["gateway", "api gateway", "apigw"], role: "public HTTP gateway" },
    { name: "auth-service", aliases: ["auth", "auth service"], role: "login and token service" },
    { name: "postgres-db", aliases: ["postgres", "postgresql", "postgres db", "pg", "database", "primary database"], role: "PostgreSQL primary" },
    { name: "redis-cache", aliases: ["redis", "cache"], role: "session cache" },
  ],
  alert: {
    id: "ALT-001",
    title: "High API Error Rate",
    severity: "P1",
    affectedServices: ["api-gateway", "postgres-db"],
    description: "5xx responses from api-gateway above 5% for 5 minutes. Error bodies mention database connection failures.",
  },
  metrics: [
    { service: "api-gateway", metric: "error_rate_5xx", unit: "%", threshold: 5, direction: "above", baseline: 0.4, atPage: 18.5, driftPerMinute: 0.6, worst: 60, noise: 0.04 },
    { service: "api-gateway", metric: "latency_p99", unit: "ms", threshold: 800, direction: "above", baseline: 140, atPage: 2300, driftPerMinute: 40, worst: 5000, noise: 0.05 },
    { service: "postgres-db", metric: "active_connections", unit: "count", threshold: 95, direction: "above", baseline: 42, atPage: 100, driftPerMinute: 0, worst: 100, noise: 0 },
    { service: "postgres-db", metric: "cpu_usage", unit: "%", threshold: 80, direction: "above", baseline: 31, atPage: 38, driftPerMinute: 0.1, worst: 45, noise: 0.05 },
    { service: "redis-cache", metric: "memory_usage", unit: "%", threshold: 90, direction: "above", baseline: 46, atPage: 46, driftPerMinute: 0, worst: 46, noise: 0.02 },
  ],
  openingLogs: [
    { atMinute: -9, level: "INFO", service: "api-gateway", message: "autoscaler: scaled api-gateway from 6 to 14 replicas (request rate up 2.1x)" },
    { atMinute: -6, level: "WARN", service: "postgres-db", message: "connection count 91 of max_connections 100; 3 slots reserved for superuser" },
    { atMinute: -4, level: "ERROR", service: "postgres-db", message: "FATAL: remaining connection slots are reserved for non-replication superuser connections", trace: "login" },
    { atMinute: -4, level: "ERROR", service: "api-gateway", message: "POST /v1/login -> 500: upstream auth-service failed: could not open database connection", trace: "login" },
    { atMinute: -2, level: "ERROR", service: "auth-service", message: "pool timeout: no database connection available after 5000 ms (pool size 10, waiting 37)" },
    { atMinute: 0, level: "CRITICAL", service: "api-gateway", message: "5xx rate 18.5% over the last 5 minutes, paging on-call" },
  ],
  activeLogs: [
    { level: "ERROR", service: "postgres-db", message: "FATAL: sorry, too many clients already", trace: "req" },
    { level: "ERROR", service: "auth-service", message: "could not acquire connection from pool within 5000 ms ({n} callers waiting)", trace: "req" },
    { level: "ERROR", service: "api-gateway", message: "GET /v1/session -> 500 after 5012 ms (upstream: auth-service)", trace: "req" },
    { level: "WARN", service: "postgres-db", message: "connection count 100 of max_connections 100" },
    { level: "WARN", service: "api-gateway", message: "retry budget for auth-service at {n}% of limit" },
  ],
  recoveryLogs: [
    { level: "INFO", service: "postgres-db", message: "connection count 64 of max_connections 100" },
    { level: "INFO", service: "auth-service", message: "database pool healthy: 8 of 10 connections idle" },
    { level: "INFO", service: "api-gateway", message: "5xx rate back under 1% for 3 minutes" },
  ],
  backgroundLogs: [
    { level: "INFO", service: "redis-cache", message: "background save finished in {n} ms" },
    { level: "INFO", service: "api-gateway", message: "health check passed for {n} upstream targets" },
    { level: "DEBUG", service: "auth-service", message: "token cache hit ratio 0.9{n}" },
  ],
  kb: [
    {
      id: "KB-DB-101",
      title: "Postgres refuses new connections",
      tags: ["postgres", "connections", "pgbouncer"],
      content:
        "When Postgres logs 'too many clients' or reserves the last slots for superusers, every process that needs a new session fails. " +
        "Find who holds the connections (pg_stat_activity), terminate idle sessions, and cap the pool size of each client. " +
        "A connection pooler such as PgBouncer in transaction mode keeps the server-side count flat as clients scale out. " +
        "Raising max_connections is a stopgap: each connection costs memory on the server.",
    },
    {
      id: "KB-API-202",
      title: "Reading gateway 5xx",
      tags: ["api-gateway", "5xx"],
      content:
        "The gateway returns 500 when an upstream call fails. The gateway itself is rarely at fault: follow the error body to the upstream and check that service's dependencies.",
    },
  ],
  truth: {
    rootService: "postgres-db",
    faultClass: "connection_pool_exhaustion",
    rootCause:
      "A traffic-driven scale-out of the gateway tier multiplied the per-replica connection pools past Postgres max_connections; new sessions were refused, so logins failed with 500.",
    severity: "P1",
  },
  fix: {
    targets: ["postgres-db"],
    concepts: ["kill_idle_connections", "raise_connection_limit", "connection_pooler", "reduce_connection_usage"],
    recoveryMinutes: 10,
    feedback: "Connection slots freed on postgres-db; new sessions are being accepted again.",
  },
  harmfulFixes: [
    {
      concept: "restart_service",
      targets: ["postgres-db"],
      feedback: "postgres-db restarted: every open session was dropped and clients reconnect all at once.",
      worsens: ["api-gateway/error_rate_5xx"],
    },
  ],
  runbook: {
    diagnose: ["check_db_connections", "db_connection_limit"],
    mitigate: ["kill_idle_connections", "reduce_connection_usage"],
    verify: ["error_rate_spike"],
    optional: ["connection_pooler", "raise_connection_limit", "connection_pool_exhaustion", "capacity_alerting", "scale_out"],
    harmful: ["restart_service"],
  },
  postmortem: {
    summary: ["connection_pool_exhaustion", "error_rate_spike"],
    root_cause: ["db_connection_limit", "connection_pool_exhaustion"],
    timeline: ["incident_began", "alert_fired", "incident_mitigated"],
    impact: ["error_rate_spike", "user_facing_outage"],
    action_items: ["connection_pooler", "reduce_connection_usage", "capacity_alerting"],
    optional: ["kill_idle_connections", "raise_connection_limit", "check_db_connections", "scale_out"],
  },
};
