import { buildPreset } from "./preset.js";

/** INC-HARD-003: The stock sync worker retries failed calls at once and forever; its storm overloads inventory-service, which the storefront also needs. */
export const hard003 = buildPreset({
  id: "INC-HARD-003",
  level: "hard",
  title: "Worker retry storm floods the API gateway",
  family: "web-shop",
  nodes: [
    { name: "api-gateway", kind: "gateway", role: "API gateway with per-client rate limits", aliases: ["gateway", "api gateway", "apigw"] },
    {
      name: "worker-service",
      kind: "service",
      role: "stock sync worker (calls inventory through the gateway)",
      aliases: ["worker", "workers", "worker service", "sync worker", "stock sync worker"],
    },
    {
      name: "inventory-service",
      kind: "service",
      role: "stock levels API (4 instances)",
      aliases: ["inventory", "inventory service", "inventory api"],
    },
    {
      name: "storefront-web",
      kind: "service",
      role: "customer-facing web shop",
      aliases: ["storefront", "storefront web", "web frontend", "website"],
    },
    { name: "redis-cache", kind: "cache", role: "rate-limit counters", aliases: ["redis", "redis cache", "rate limiter store"] },
    { name: "stock-events", kind: "queue", role: "Kafka topic of stock changes" },
    { name: "inventory-db", kind: "database", role: "PostgreSQL for stock levels" },
    { name: "deploy-controller", kind: "config", role: "deploys and config pushes" },
    { name: "coredns", kind: "dns", role: "cluster DNS" },
  ],
  calls: [
    ["api-gateway", "storefront-web", 800],
    ["api-gateway", "stock-events", 90],
    ["storefront-web", "inventory-service", 420, 2000, 1],
    ["storefront-web", "redis-cache", 700, 100, 0],
    ["stock-events", "worker-service", 90, 2000, 0],
    ["worker-service", "inventory-service", 80, 1000, 3, "none"],
    ["inventory-service", "inventory-db", 480, 1000, 1],
  ],
  fault: "retry_storm",
  root: "worker-service",
  onsetMinute: -9,
  startedAt: "2026-06-15T19:40:00Z",
  narrative: {
    alertTitle: "API Gateway Traffic Spike / Rate Limits",
    alertDescription:
      "api-gateway request rate at about 100x normal and more than 1% of responses are 429 Too Many Requests. Customers on the storefront are getting errors.",
    openingLogs: [
      {
        atMinute: -19,
        level: "INFO",
        service: "inventory-service",
        message: "rolling restart for config reload: 2 of 4 instances draining",
      },
      {
        atMinute: -18,
        level: "WARN",
        service: "worker-service",
        message: "GET /inventory/v1/stock?sku={n} -> 503, retrying in 0 ms (attempt 1)",
      },
      {
        atMinute: -18,
        level: "WARN",
        service: "worker-service",
        message: "GET /inventory/v1/stock?sku={n} -> 503, retrying in 0 ms (attempt 212)",
      },
      { atMinute: -15, level: "INFO", service: "inventory-service", message: "rolling restart finished: 4 of 4 instances healthy" },
      {
        atMinute: -11,
        level: "WARN",
        service: "api-gateway",
        message: "client 10.0.7.23 (worker-service) at 41,000 req/s against a limit of 2,000; answering 429",
      },
      {
        atMinute: -9,
        level: "WARN",
        service: "worker-service",
        message: "GET /inventory/v1/stock?sku={n} -> 429, retrying in 0 ms (attempt 3120)",
      },
      {
        atMinute: -5,
        level: "ERROR",
        service: "api-gateway",
        message: "upstream connection pool exhausted (4096/4096); new requests from all clients queued",
      },
      { atMinute: -2, level: "ERROR", service: "storefront-web", message: "GET /api/cart -> 429 Too Many Requests from api-gateway" },
      {
        atMinute: 0,
        level: "CRITICAL",
        service: "api-gateway",
        message: "request rate 50,000 req/s (normal 480), 429 rate 60%, paging on-call",
      },
    ],
    kb: [
      {
        id: "KB-API-999",
        title: "Traffic spike at the gateway: find the source first",
        tags: ["api-gateway", "rate-limit", "retries"],
        content:
          "Before treating a spike as customer traffic, break the request rate down by client. If one internal client sends most of it, you are looking at a retry storm: a caller that retries failures at once, without delay or limit, turns a short error into sustained load, and the 429s it gets back feed more retries. Stop it at the source: pause or scale down the offending client, then ship a retry policy with exponential backoff, jitter and a cap on attempts. Scaling the gateway or raising its limits only lets more retries through.",
      },
      {
        id: "KB-INV-210",
        title: "inventory-service returning 503",
        tags: ["inventory-service", "capacity"],
        content:
          "inventory-service answers 503 when its request queue is full. Add instances (scale out to 8) and check the latest config reload. If 503s continue after scaling, raise the gateway's per-client limit for inventory consumers.",
      },
    ],
  },
});
