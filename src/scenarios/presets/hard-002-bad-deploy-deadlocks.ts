import type { ScenarioTemplate } from "../types.js";

/**
 * order-service v2.4.1 added a bulk status update that locks orders before order_items; checkout
 * locks them the other way round. Transactions deadlock and queue on row locks, requests pile up
 * at the gateway, and the page reads like a traffic spike. The arrival rate never moved.
 */
export const hard002: ScenarioTemplate = {
  id: "INC-HARD-002",
  level: "hard",
  title: "Bad release deadlocks the orders tables, looks like a traffic spike",
  services: [
    { name: "api-gateway", aliases: ["gateway", "api gateway", "apigw"], role: "public HTTP gateway" },
    { name: "edge-waf", aliases: ["waf", "web application firewall", "edge waf"], role: "web application firewall in front of the gateway" },
    { name: "order-service", aliases: ["orders", "order service", "orders api", "order api"], role: "order API (8 pods)" },
    { name: "postgres-db", aliases: ["postgres", "postgresql", "postgres db", "pg", "database", "orders database"], role: "PostgreSQL primary (orders, order_items)" },
    { name: "inventory-service", aliases: ["inventory", "inventory service"], role: "stock levels API" },
  ],
  alert: {
    id: "ALT-202",
    title: "Order Service Degradation / Suspected Traffic Spike",
    severity: "P1",
    affectedServices: ["order-service", "postgres-db", "api-gateway"],
    description:
      "Requests in flight at api-gateway above 1000 and order-service response time above 2 s. Possible traffic spike or DDoS. Order placement is failing for most customers.",
  },
  metrics: [
    { service: "api-gateway", metric: "requests_in_flight", unit: "count", threshold: 1000, direction: "above", baseline: 140, atPage: 5000, driftPerMinute: 60, worst: 8000, noise: 0.03 },
    { service: "api-gateway", metric: "request_rate", unit: "req/s", threshold: 3000, direction: "above", baseline: 1150, atPage: 1190, driftPerMinute: 0, worst: 1190, noise: 0.04 },
    { service: "edge-waf", metric: "blocked_requests_per_min", unit: "count", threshold: 500, direction: "above", baseline: 20, atPage: 24, driftPerMinute: 0, worst: 24, noise: 0.2 },
    { service: "order-service", metric: "response_time", unit: "ms", threshold: 2000, direction: "above", baseline: 160, atPage: 15000, driftPerMinute: 150, worst: 30000, noise: 0.04 },
    { service: "order-service", metric: "orders_per_min", unit: "count", threshold: 300, direction: "below", baseline: 640, atPage: 41, driftPerMinute: 1, worst: 0, noise: 0.1 },
    { service: "postgres-db", metric: "db_locked_transactions", unit: "count", threshold: 5, direction: "above", baseline: 0, atPage: 120, driftPerMinute: 2, worst: 200, noise: 0.05 },
    { service: "postgres-db", metric: "deadlocks_per_min", unit: "count", threshold: 1, direction: "above", baseline: 0, atPage: 14, driftPerMinute: 0.2, worst: 25, noise: 0.1 },
    { service: "postgres-db", metric: "cpu_usage", unit: "%", threshold: 80, direction: "above", baseline: 30, atPage: 24, driftPerMinute: 0, worst: 24, noise: 0.05 },
  ],
  openingLogs: [
    { atMinute: -22, level: "INFO", service: "order-service", message: "deploy: order-service v2.4.1 rolled out to 8/8 pods (change: bulk order status update)" },
    { atMinute: -19, level: "INFO", service: "order-service", message: "bulk status update job started: {n}0 orders per transaction, locking orders then order_items" },
    { atMinute: -17, level: "ERROR", service: "postgres-db", message: "deadlock detected: process 4411 waits for ShareLock on transaction 99812 (order_items), blocked by process 4398; process 4398 waits for ShareLock on transaction 99807 (orders), blocked by process 4411", trace: "dl" },
    { atMinute: -17, level: "ERROR", service: "order-service", message: "POST /v1/orders failed: deadlock detected, transaction aborted", trace: "dl" },
    { atMinute: -12, level: "WARN", service: "postgres-db", message: "{n}0 transactions waiting more than 5 s for row locks on orders / order_items" },
    { atMinute: -7, level: "WARN", service: "api-gateway", message: "requests in flight 3,900 and climbing; arrival rate 1,180 req/s (normal for this hour)" },
    { atMinute: -3, level: "ERROR", service: "order-service", message: "rollback of transaction for order {n} failed: connection closed while waiting for lock" },
    { atMinute: 0, level: "CRITICAL", service: "api-gateway", message: "requests in flight above 5000, shedding with 503, paging on-call" },
  ],
  activeLogs: [
    { level: "ERROR", service: "postgres-db", message: "deadlock detected between bulk status update (orders -> order_items) and checkout insert (order_items -> orders)", trace: "t" },
    { level: "ERROR", service: "order-service", message: "PUT /v1/orders/{n}/status failed after 15000 ms: deadlock detected", trace: "t" },
    { level: "WARN", service: "postgres-db", message: "process {n}12 still waiting for ExclusiveLock on tuple in relation orders after 8000 ms" },
    { level: "WARN", service: "api-gateway", message: "requests in flight above the limit of 1000; {n}00 requests to order-service queued" },
    { level: "INFO", service: "edge-waf", message: "traffic profile normal: top client share 0.{n}%, no rule matches above baseline" },
  ],
  recoveryLogs: [
    { level: "INFO", service: "order-service", message: "rollback complete: 8/8 pods on v2.4.0, bulk status update job gone" },
    { level: "INFO", service: "postgres-db", message: "0 transactions waiting for locks; no deadlocks in the last 5 minutes" },
    { level: "INFO", service: "api-gateway", message: "requests in flight 150; queue drained" },
  ],
  backgroundLogs: [
    { level: "INFO", service: "inventory-service", message: "GET /v1/stock 200 in {n} ms" },
    { level: "INFO", service: "edge-waf", message: "rule set v{n} loaded, no changes" },
    { level: "INFO", service: "postgres-db", message: "autovacuum: table order_items, {n} dead tuples removed" },
  ],
  kb: [
    {
      id: "KB-DB-401",
      title: "Deadlocks that start suddenly",
      tags: ["postgres", "deadlock", "deploys"],
      content:
        "Postgres aborts one transaction of each deadlock it detects, but every other transaction waiting on those rows queues behind the locks, so latency climbs while CPU stays low. " +
        "When deadlocks appear out of nowhere, look at what was deployed just before: new code that locks the same tables in the opposite order to existing code is the usual cause. " +
        "Roll back the release first; then make every code path take locks in the same order and keep transactions small.",
    },
    {
      id: "KB-API-101",
      title: "Handling traffic spikes and DDoS",
      tags: ["api-gateway", "waf", "ddos"],
      content:
        "During a volumetric attack, enable the WAF's strict rate-limit rules, block the top offending IP ranges and scale out the gateway. " +
        "Before you do, confirm that the arrival rate actually rose: if requests in flight climb while the arrival rate is flat, requests are piling up behind a slow backend, not arriving faster.",
    },
  ],
  truth: {
    rootService: "order-service",
    faultClass: "bad_deploy",
    rootCause:
      "order-service v2.4.1 shipped a bulk status update that locks orders before order_items, the opposite order to the checkout path. Concurrent transactions deadlocked and queued on row locks, order requests stalled for 15 s, and requests piled up at the gateway while the arrival rate stayed normal.",
    severity: "P1",
  },
  fix: {
    targets: ["order-service"],
    concepts: ["rollback_deploy"],
    recoveryMinutes: 8,
    feedback: "order-service is back on v2.4.0; the bulk update is gone and the lock queue is emptying.",
  },
  harmfulFixes: [
    {
      concept: "restart_service",
      targets: ["postgres-db"],
      feedback: "postgres-db restarted: every open transaction was aborted and the new pods started deadlocking again within a minute.",
      worsens: ["order-service/orders_per_min", "api-gateway/requests_in_flight"],
    },
    {
      concept: "scale_out",
      targets: ["api-gateway", "order-service"],
      feedback: "More replicas means more concurrent transactions fighting over the same rows.",
      worsens: ["postgres-db/db_locked_transactions", "order-service/response_time"],
    },
    {
      concept: "block_traffic",
      targets: ["edge-waf", "api-gateway"],
      feedback: "Rate limits now turn away real customers; the requests already inside are still stuck on locks.",
      worsens: ["order-service/orders_per_min"],
    },
  ],
  runbook: {
    diagnose: ["deadlock", "bad_deploy"],
    mitigate: ["rollback_deploy"],
    verify: ["locks_cleared"],
    optional: ["lock_ordering", "lock_contention", "traffic_spike", "order_failures", "deploy_safety", "check_traffic_source"],
    harmful: ["restart_service", "scale_out", "block_traffic"],
  },
  postmortem: {
    summary: ["bad_deploy", "deadlock"],
    root_cause: ["bad_deploy", "deadlock", "lock_ordering"],
    timeline: ["bad_deploy", "alert_fired", "incident_mitigated"],
    impact: ["order_failures"],
    action_items: ["lock_ordering", "deploy_safety"],
    optional: ["rollback_deploy", "lock_contention", "locks_cleared", "traffic_spike", "check_traffic_source"],
  },
};
