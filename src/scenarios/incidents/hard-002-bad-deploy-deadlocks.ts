import { buildPreset } from "./preset.js";

/** INC-HARD-002: order-service v2.4.1 takes table locks in the wrong order; transactions deadlock and requests pile up at the gateway like a traffic spike. */
export const hard002 = buildPreset({
  id: "INC-HARD-002",
  level: "hard",
  title: "Bad release deadlocks the orders tables, looks like a traffic spike",
  family: "web-shop",
  nodes: [
    { name: "api-gateway", kind: "gateway", role: "public HTTP gateway", aliases: ["gateway", "api gateway", "apigw"] },
    {
      name: "edge-waf",
      kind: "service",
      role: "web application firewall in front of the gateway",
      aliases: ["waf", "web application firewall", "edge waf"],
    },
    {
      name: "order-service",
      kind: "service",
      role: "order API (8 pods)",
      aliases: ["orders", "order service", "orders api", "order api"],
      version: "v2.4.1",
    },
    {
      name: "postgres-db",
      kind: "database",
      role: "PostgreSQL primary (orders, order_items)",
      aliases: ["postgres", "postgresql", "postgres db", "pg", "database", "orders database"],
    },
    { name: "inventory-service", kind: "service", role: "stock levels API", aliases: ["inventory", "inventory service"] },
    { name: "deploy-controller", kind: "config", role: "deploys and config pushes" },
    { name: "coredns", kind: "dns", role: "cluster DNS" },
  ],
  calls: [
    ["api-gateway", "edge-waf", 1100, 2000, 0],
    ["edge-waf", "order-service", 600, 5000, 1],
    ["edge-waf", "inventory-service", 450, 3000, 1],
    ["order-service", "postgres-db", 520, 1000, 1],
    ["inventory-service", "postgres-db", 300, 1000, 1],
  ],
  fault: "bad_deploy",
  root: "order-service",
  onsetMinute: -10,
  startedAt: "2026-06-01T10:05:00Z",
  previousVersion: "v2.4.0",
  narrative: {
    alertTitle: "Order Service Degradation / Suspected Traffic Spike",
    alertDescription:
      "Requests in flight at api-gateway above 1000 and order-service response time above 2 s. Possible traffic spike or DDoS. Order placement is failing for most customers.",
    openingLogs: [
      {
        atMinute: -22,
        level: "INFO",
        service: "order-service",
        message: "deploy: order-service v2.4.1 rolled out to 8/8 pods (change: bulk order status update)",
      },
      {
        atMinute: -19,
        level: "INFO",
        service: "order-service",
        message: "bulk status update job started: {n}0 orders per transaction, locking orders then order_items",
      },
      {
        atMinute: -17,
        level: "ERROR",
        service: "postgres-db",
        message:
          "deadlock detected: process 4411 waits for ShareLock on transaction 99812 (order_items), blocked by process 4398; process 4398 waits for ShareLock on transaction 99807 (orders), blocked by process 4411",
      },
      {
        atMinute: -17,
        level: "ERROR",
        service: "order-service",
        message: "POST /v1/orders failed: deadlock detected, transaction aborted",
      },
      {
        atMinute: -12,
        level: "WARN",
        service: "postgres-db",
        message: "{n}0 transactions waiting more than 5 s for row locks on orders / order_items",
      },
      {
        atMinute: -7,
        level: "WARN",
        service: "api-gateway",
        message: "requests in flight 3,900 and climbing; arrival rate 1,180 req/s (normal for this hour)",
      },
      {
        atMinute: -3,
        level: "ERROR",
        service: "order-service",
        message: "rollback of transaction for order {n} failed: connection closed while waiting for lock",
      },
      {
        atMinute: 0,
        level: "CRITICAL",
        service: "api-gateway",
        message: "requests in flight above 5000, shedding with 503, paging on-call",
      },
    ],
    kb: [
      {
        id: "KB-DB-401",
        title: "Deadlocks that start suddenly",
        tags: ["postgres", "deadlock", "deploys"],
        content:
          "Postgres aborts one transaction of each deadlock it detects, but every other transaction waiting on those rows queues behind the locks, so latency climbs while CPU stays low. When deadlocks appear out of nowhere, look at what was deployed just before: new code that locks the same tables in the opposite order to existing code is the usual cause. Roll back the release first; then make every code path take locks in the same order and keep transactions small.",
      },
      {
        id: "KB-API-101",
        title: "Handling traffic spikes and DDoS",
        tags: ["api-gateway", "waf", "ddos"],
        content:
          "During a volumetric attack, enable the WAF's strict rate-limit rules, block the top offending IP ranges and scale out the gateway. Before you do, confirm that the arrival rate actually rose: if requests in flight climb while the arrival rate is flat, requests are piling up behind a slow backend, not arriving faster.",
      },
    ],
  },
});
