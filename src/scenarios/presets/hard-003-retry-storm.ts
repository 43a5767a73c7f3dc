import type { ScenarioTemplate } from "../types.js";

/**
 * inventory-service had a short blip of 503s during a rolling restart. worker-service's sync job
 * retries failed calls at once, forever, so the blip turned into a storm: 100x normal traffic at
 * the gateway, rate limiting that also hits customers, and an inventory service that now looks
 * guilty because it is drowning. The blip ended long ago; the storm sustains itself.
 */
export const hard003: ScenarioTemplate = {
  id: "INC-HARD-003",
  level: "hard",
  title: "Worker retry storm floods the API gateway",
  services: [
    { name: "api-gateway", aliases: ["gateway", "api gateway", "apigw"], role: "API gateway with per-client rate limits" },
    { name: "worker-service", aliases: ["worker", "workers", "worker service", "sync worker", "stock sync worker"], role: "stock sync worker (calls inventory through the gateway)" },
    { name: "inventory-service", aliases: ["inventory", "inventory service", "inventory api"], role: "stock levels API (4 instances)" },
    { name: "storefront-web", aliases: ["storefront", "storefront web", "web frontend", "website"], role: "customer-facing web shop" },
    { name: "redis-cache", aliases: ["redis", "redis cache", "rate limiter store"], role: "rate-limit counters" },
  ],
  alert: {
    id: "ALT-203",
    title: "API Gateway Traffic Spike / Rate Limits",
    severity: "P1",
    affectedServices: ["api-gateway", "worker-service"],
    description:
      "api-gateway request rate at about 100x normal and more than 1% of responses are 429 Too Many Requests. Customers on the storefront are getting errors.",
  },
  metrics: [
    { service: "api-gateway", metric: "request_rate", unit: "req/s", threshold: 5000, direction: "above", baseline: 480, atPage: 50000, driftPerMinute: 500, worst: 65000, noise: 0.03 },
    { service: "api-gateway", metric: "http_429_rate", unit: "%", threshold: 1, direction: "above", baseline: 0.05, atPage: 60, driftPerMinute: 0.3, worst: 75, noise: 0.03 },
    { service: "api-gateway", metric: "upstream_pool_usage", unit: "%", threshold: 90, direction: "above", baseline: 22, atPage: 100, driftPerMinute: 0, worst: 100, noise: 0 },
    { service: "worker-service", metric: "cpu_usage", unit: "%", threshold: 80, direction: "above", baseline: 18, atPage: 95, driftPerMinute: 0.1, worst: 99, noise: 0.02 },
    { service: "inventory-service", metric: "error_rate_5xx", unit: "%", threshold: 5, direction: "above", baseline: 0.2, atPage: 23, driftPerMinute: 0.4, worst: 40, noise: 0.05 },
    { service: "inventory-service", metric: "healthy_instances", unit: "count", threshold: 4, direction: "below", baseline: 4, atPage: 4, driftPerMinute: 0, worst: 4, noise: 0 },
    { service: "storefront-web", metric: "error_rate", unit: "%", threshold: 2, direction: "above", baseline: 0.3, atPage: 41, driftPerMinute: 0.3, worst: 60, noise: 0.04 },
  ],
  openingLogs: [
    { atMinute: -19, level: "INFO", service: "inventory-service", message: "rolling restart for config reload: 2 of 4 instances draining" },
    { atMinute: -18, level: "WARN", service: "worker-service", message: "GET /inventory/v1/stock?sku={n} -> 503, retrying in 0 ms (attempt 1)", trace: "sku" },
    { atMinute: -18, level: "WARN", service: "worker-service", message: "GET /inventory/v1/stock?sku={n} -> 503, retrying in 0 ms (attempt 212)", trace: "sku" },
    { atMinute: -15, level: "INFO", service: "inventory-service", message: "rolling restart finished: 4 of 4 instances healthy" },
    { atMinute: -11, level: "WARN", service: "api-gateway", message: "client 10.0.7.23 (worker-service) at 41,000 req/s against a limit of 2,000; answering 429" },
    { atMinute: -9, level: "WARN", service: "worker-service", message: "GET /inventory/v1/stock?sku={n} -> 429, retrying in 0 ms (attempt 3120)" },
    { atMinute: -5, level: "ERROR", service: "api-gateway", message: "upstream connection pool exhausted (4096/4096); new requests from all clients queued" },
    { atMinute: -2, level: "ERROR", service: "storefront-web", message: "GET /api/cart -> 429 Too Many Requests from api-gateway" },
    { atMinute: 0, level: "CRITICAL", service: "api-gateway", message: "request rate 50,000 req/s (normal 480), 429 rate 60%, paging on-call" },
  ],
  activeLogs: [
    { level: "WARN", service: "worker-service", message: "GET /inventory/v1/stock?sku={n} -> 429, retrying in 0 ms (attempt {n}812)", trace: "r" },
    { level: "WARN", service: "api-gateway", message: "rate limit exceeded for client 10.0.7.23 (worker-service): {n},000 req/s over limit", trace: "r" },
    { level: "ERROR", service: "inventory-service", message: "request queue full ({n}000 waiting); answering 503" },
    { level: "ERROR", service: "storefront-web", message: "GET /api/product/{n} -> 429 Too Many Requests from api-gateway" },
    { level: "ERROR", service: "api-gateway", message: "upstream connection pool exhausted; {n}00 requests queued" },
  ],
  recoveryLogs: [
    { level: "INFO", service: "worker-service", message: "stock sync paused; in-flight retries abandoned" },
    { level: "INFO", service: "api-gateway", message: "request rate 510 req/s, 429 rate 0.1%" },
    { level: "INFO", service: "inventory-service", message: "request queue empty, 503 rate 0%" },
    { level: "INFO", service: "storefront-web", message: "error rate under 0.5% for 3 minutes" },
  ],
  backgroundLogs: [
    { level: "INFO", service: "redis-cache", message: "expired {n}000 rate-limit counters" },
    { level: "INFO", service: "storefront-web", message: "GET / 200 in {n} ms" },
    { level: "DEBUG", service: "inventory-service", message: "stock cache refreshed ({n} skus)" },
  ],
  kb: [
    {
      id: "KB-API-999",
      title: "Traffic spike at the gateway: find the source first",
      tags: ["api-gateway", "rate-limit", "retries"],
      content:
        "Before treating a spike as customer traffic, break the request rate down by client. If one internal client sends most of it, you are looking at a retry storm: a caller that retries failures at once, without delay or limit, turns a short error into sustained load, and the 429s it gets back feed more retries. " +
        "Stop it at the source: pause or scale down the offending client, then ship a retry policy with exponential backoff, jitter and a cap on attempts. " +
        "Scaling the gateway or raising its limits only lets more retries through.",
    },
    {
      id: "KB-INV-210",
      title: "inventory-service returning 503",
      tags: ["inventory-service", "capacity"],
      content:
        "inventory-service answers 503 when its request queue is full. Add instances (scale out to 8) and check the latest config reload. If 503s continue after scaling, raise the gateway's per-client limit for inventory consumers.",
    },
  ],
  truth: {
    rootService: "worker-service",
    faultClass: "retry_storm",
    rootCause:
      "worker-service's stock sync retries every failed inventory call immediately and without limit. A short burst of 503s during an inventory rolling restart set it off; the retries and the 429s they drew fed each other, flooding the gateway at 100x normal traffic long after inventory recovered.",
    severity: "P1",
  },
  fix: {
    targets: ["worker-service"],
    concepts: ["pause_client", "exponential_backoff", "cap_retries"],
    recoveryMinutes: 6,
    feedback: "The stock sync stopped retrying; gateway traffic is falling back to customer levels.",
  },
  harmfulFixes: [
    {
      concept: "scale_out",
      targets: ["api-gateway", "inventory-service"],
      feedback: "More capacity let more retries through; the worker simply sends faster.",
      worsens: ["api-gateway/request_rate", "worker-service/cpu_usage"],
    },
    {
      concept: "raise_rate_limit",
      targets: ["api-gateway"],
      feedback: "With a higher limit the worker's retries reach inventory-service, which is now drowning.",
      worsens: ["inventory-service/error_rate_5xx", "api-gateway/request_rate"],
    },
    {
      concept: "restart_service",
      targets: ["worker-service", "api-gateway", "inventory-service"],
      feedback: "The restart cleared the queues for a moment; the worker picked the same jobs up and the storm resumed.",
      worsens: ["api-gateway/request_rate"],
    },
  ],
  runbook: {
    diagnose: ["retry_storm", "check_traffic_source"],
    mitigate: ["pause_client"],
    verify: ["request_rate_normal"],
    optional: ["exponential_backoff", "cap_retries", "circuit_breaker", "missing_backoff", "rate_limited", "traffic_spike"],
    harmful: ["scale_out", "raise_rate_limit", "restart_service"],
  },
  postmortem: {
    summary: ["retry_storm", "rate_limited"],
    root_cause: ["retry_storm", "missing_backoff"],
    timeline: ["incident_began", "alert_fired", "incident_mitigated"],
    impact: ["rate_limited", "user_facing_outage"],
    action_items: ["exponential_backoff", "circuit_breaker"],
    optional: ["pause_client", "cap_retries", "check_traffic_source", "request_rate_normal", "traffic_spike"],
  },
};
