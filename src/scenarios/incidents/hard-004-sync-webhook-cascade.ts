import { buildPreset } from "./preset.js";

/** INC-HARD-004: Notifications deliver partner webhooks synchronously; a partner endpoint hangs, the notification threads fill, and user-service backs up until the platform is down. */
export const hard004 = buildPreset({
  id: "INC-HARD-004",
  level: "hard",
  title: "Synchronous webhooks cascade into a platform outage",
  family: "saas-api",
  nodes: [
    { name: "api-gateway", kind: "gateway", role: "public HTTP gateway", aliases: ["gateway", "api gateway", "apigw"] },
    {
      name: "user-service",
      kind: "service",
      role: "accounts and profiles API (JVM)",
      aliases: ["users", "user service", "users api", "user api"],
    },
    {
      name: "notification-service",
      kind: "service",
      role: "email, push and partner webhook delivery (500 request threads)",
      aliases: ["notifications", "notification service", "notifier", "webhook service"],
    },
    { name: "postgres-db", kind: "database", role: "PostgreSQL primary", aliases: ["postgres", "postgresql", "postgres db", "database"] },
    { name: "redis-cache", kind: "cache", role: "session cache", aliases: ["redis", "redis cache", "cache"] },
    { name: "partner-webhooks", kind: "vendor", role: "partners' webhook endpoints" },
    { name: "deploy-controller", kind: "config", role: "deploys and config pushes" },
    { name: "coredns", kind: "dns", role: "cluster DNS" },
  ],
  calls: [
    ["api-gateway", "user-service", 800],
    ["user-service", "postgres-db", 500, 1000, 1],
    ["user-service", "redis-cache", 700, 100, 0],
    ["user-service", "notification-service", 150, 10000, 1],
    ["notification-service", "partner-webhooks", 140, 60000, 0],
  ],
  fault: "dependency_timeout",
  root: "notification-service",
  onsetMinute: -9,
  startedAt: "2026-06-29T13:25:00Z",
  narrative: {
    alertTitle: "Complete Platform Outage / OOM cascading",
    alertDescription:
      "api-gateway answering 503 for most requests; user-service instances running out of memory. Sign-in, sign-up and profile pages are down for all users.",
    openingLogs: [
      {
        atMinute: -26,
        level: "WARN",
        service: "notification-service",
        message: "POST https://hooks.pingrelay.example/v1/deliver took 41.7 s (webhook {n})",
      },
      {
        atMinute: -20,
        level: "WARN",
        service: "notification-service",
        message: "request thread pool: 480/500 busy, all waiting on hooks.pingrelay.example",
      },
      {
        atMinute: -16,
        level: "ERROR",
        service: "notification-service",
        message: "request thread pool exhausted: 500/500 busy; rejecting new requests",
      },
      {
        atMinute: -15,
        level: "ERROR",
        service: "user-service",
        message: "POST notification-service/v1/notify (signup {n}) read timed out after 30000 ms",
      },
      {
        atMinute: -15,
        level: "WARN",
        service: "user-service",
        message: "{n}00 outbound calls to notification-service pending; request buffers held in memory",
      },
      {
        atMinute: -6,
        level: "CRITICAL",
        service: "user-service",
        message: "java.lang.OutOfMemoryError: GC overhead limit exceeded (heap 3.9g/4g)",
      },
      { atMinute: -4, level: "ERROR", service: "api-gateway", message: "GET /v1/me -> 503: no healthy user-service instances" },
      { atMinute: 0, level: "CRITICAL", service: "api-gateway", message: "5xx rate 87% over the last 5 minutes, paging on-call" },
    ],
    kb: [
      {
        id: "KB-NTS-500",
        title: "notification-service: a slow delivery channel",
        tags: ["notification-service", "webhooks", "feature-flag"],
        content:
          "notification-service sends partner webhooks inline, on the same request threads that serve its callers. A slow partner endpoint can therefore occupy every thread, and every service that calls notification-service waits with it. Turn the slow channel off with the flag notifications.partner_webhooks=false; undelivered webhooks are not kept, so tell the partner team. The lasting fix is to deliver webhooks from a queue, with a short timeout and a circuit breaker per partner.",
      },
      {
        id: "KB-JVM-110",
        title: "OutOfMemoryError in a JVM service",
        tags: ["jvm", "memory", "user-service"],
        content:
          "'GC overhead limit exceeded' means the service spends almost all its time collecting garbage, which usually points to a memory leak in the service itself. Raise the heap (-Xmx) by 50%, restart the affected instances, and take a heap dump if it happens again.",
      },
    ],
  },
});
