import { buildPreset } from "./preset.js";

/** INC-EASY-001: The gateway scaled out and its pools filled Postgres's connection slots; logins fail with 500. */
export const easy001 = buildPreset({
  id: "INC-EASY-001",
  level: "easy",
  title: "Database connection slots exhausted",
  family: "web-shop",
  nodes: [
    { name: "api-gateway", kind: "gateway", role: "public HTTP gateway", aliases: ["gateway", "api gateway", "apigw"] },
    { name: "auth-service", kind: "service", role: "login and token service", aliases: ["auth", "auth service"] },
    {
      name: "postgres-db",
      kind: "database",
      role: "PostgreSQL primary",
      aliases: ["postgres", "postgresql", "postgres db", "pg", "database", "primary database"],
    },
    { name: "redis-cache", kind: "cache", role: "session cache", aliases: ["redis", "cache"] },
    { name: "deploy-controller", kind: "config", role: "deploys and config pushes" },
    { name: "coredns", kind: "dns", role: "cluster DNS" },
  ],
  calls: [
    ["api-gateway", "auth-service", 900],
    ["auth-service", "postgres-db", 420, 1000, 1],
    ["auth-service", "redis-cache", 850, 100, 0],
  ],
  fault: "connection_pool_exhaustion",
  root: "postgres-db",
  onsetMinute: -12,
  startedAt: "2026-03-09T14:20:00Z",
  narrative: {
    alertTitle: "High API Error Rate",
    alertDescription: "5xx responses from api-gateway above 5% for 5 minutes. Error bodies mention database connection failures.",
    openingLogs: [
      {
        atMinute: -9,
        level: "INFO",
        service: "api-gateway",
        message: "autoscaler: scaled api-gateway from 6 to 14 replicas (request rate up 2.1x)",
      },
      {
        atMinute: -6,
        level: "WARN",
        service: "postgres-db",
        message: "connection count 91 of max_connections 100; 3 slots reserved for superuser",
      },
      {
        atMinute: -4,
        level: "ERROR",
        service: "postgres-db",
        message: "FATAL: remaining connection slots are reserved for non-replication superuser connections",
      },
      {
        atMinute: -4,
        level: "ERROR",
        service: "api-gateway",
        message: "POST /v1/login -> 500: upstream auth-service failed: could not open database connection",
      },
      {
        atMinute: -2,
        level: "ERROR",
        service: "auth-service",
        message: "pool timeout: no database connection available after 5000 ms (pool size 10, waiting 37)",
      },
      { atMinute: 0, level: "CRITICAL", service: "api-gateway", message: "5xx rate 18.5% over the last 5 minutes, paging on-call" },
    ],
    kb: [
      {
        id: "KB-DB-101",
        title: "Postgres refuses new connections",
        tags: ["postgres", "connections", "pgbouncer"],
        content:
          "When Postgres logs 'too many clients' or reserves the last slots for superusers, every process that needs a new session fails. Find who holds the connections (pg_stat_activity), terminate idle sessions, and cap the pool size of each client. A connection pooler such as PgBouncer in transaction mode keeps the server-side count flat as clients scale out. Raising max_connections is a stopgap: each connection costs memory on the server.",
      },
      {
        id: "KB-API-202",
        title: "Reading gateway 5xx",
        tags: ["api-gateway", "5xx"],
        content:
          "The gateway returns 500 when an upstream call fails. The gateway itself is rarely at fault: follow the error body to the upstream and check that service's dependencies.",
      },
    ],
  },
});
