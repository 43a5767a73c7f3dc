import type { ScenarioTemplate } from "../types.js";

/**
 * The transit link between availability zones az1 and az2 went down. Each zone is healthy on its
 * own, but the services in az1 cannot reach the Redis primary in az2: auth and payments throw
 * 5xx, Redis loses its az1 clients, and a KB article invites responders to restart the apps.
 */
export const hard001: ScenarioTemplate = {
  id: "INC-HARD-001",
  level: "hard",
  title: "Cross-AZ network partition that looks like an app bug",
  services: [
    {
      name: "network-infrastructure",
      aliases: ["network", "cross-az network", "cross az network", "network infrastructure", "az interconnect", "inter-az link", "transit link", "network fabric"],
      role: "inter-zone network: transit link and routing between az1 and az2",
    },
    { name: "auth-service", aliases: ["auth", "auth service", "authentication service"], role: "login and token service (az1 and az2)" },
    { name: "payment-service", aliases: ["payments", "payment service", "payment-svc"], role: "card payment API (az1 and az2)" },
    { name: "redis-cache", aliases: ["redis", "redis cache", "cache"], role: "session and idempotency cache (primary in az2, replica in az1)" },
    { name: "nginx-ingress", aliases: ["nginx", "ingress", "nginx ingress", "load balancer"], role: "edge load balancer (both zones)" },
    { name: "postgres-db", aliases: ["postgres", "postgresql", "postgres db", "database"], role: "PostgreSQL primary (az1)" },
  ],
  alert: {
    id: "ALT-201",
    title: "Massive Multi-Service Error Spike",
    severity: "P1",
    affectedServices: ["auth-service", "payment-service", "redis-cache"],
    description:
      "5xx above 30% on auth-service and payment-service at the same time, and redis-cache lost most of its clients. Logins and card payments are failing for a large share of users.",
  },
  metrics: [
    { service: "auth-service", metric: "error_rate_5xx", unit: "%", threshold: 5, direction: "above", baseline: 0.4, atPage: 45, driftPerMinute: 0.3, worst: 60, noise: 0.04 },
    { service: "payment-service", metric: "error_rate_5xx", unit: "%", threshold: 5, direction: "above", baseline: 0.3, atPage: 38, driftPerMinute: 0.3, worst: 55, noise: 0.04 },
    { service: "redis-cache", metric: "cpu_usage", unit: "%", threshold: 80, direction: "above", baseline: 22, atPage: 15, driftPerMinute: 0, worst: 15, noise: 0.06 },
    { service: "redis-cache", metric: "connected_clients", unit: "count", threshold: 60, direction: "below", baseline: 180, atPage: 31, driftPerMinute: 0, worst: 31, noise: 0.05 },
    { service: "network-infrastructure", metric: "cross_az_packet_loss", unit: "%", threshold: 1, direction: "above", baseline: 0, atPage: 100, driftPerMinute: 0, worst: 100, noise: 0 },
    { service: "network-infrastructure", metric: "intra_az_packet_loss", unit: "%", threshold: 1, direction: "above", baseline: 0, atPage: 0.02, driftPerMinute: 0, worst: 0.02, noise: 0.5 },
    { service: "nginx-ingress", metric: "unhealthy_upstreams", unit: "count", threshold: 0, direction: "above", baseline: 0, atPage: 6, driftPerMinute: 0, worst: 6, noise: 0 },
    { service: "postgres-db", metric: "cpu_usage", unit: "%", threshold: 80, direction: "above", baseline: 35, atPage: 31, driftPerMinute: 0, worst: 31, noise: 0.05 },
  ],
  openingLogs: [
    { atMinute: -8, level: "WARN", service: "network-infrastructure", message: "transit-gw az1<->az2: BGP peer 10.0.5.1 down (hold timer expired); no alternate path for 10.0.5.0/24" },
    { atMinute: -8, level: "ERROR", service: "auth-service", message: "GET session:{n} from redis-cache.az2:6379 failed: Connection reset by peer", trace: "login" },
    { atMinute: -8, level: "ERROR", service: "nginx-ingress", message: "POST /v1/login -> 502 (upstream auth-service az1 returned 500)", trace: "login" },
    { atMinute: -7, level: "ERROR", service: "payment-service", message: "connect to 10.0.5.15:6379 (redis-cache.az2) failed: No route to host" },
    { atMinute: -6, level: "WARN", service: "redis-cache", message: "150 clients from 10.0.1.0/24 (az1) timed out and were closed; 30 az2 clients still connected" },
    { atMinute: -5, level: "WARN", service: "auth-service", message: "session cache unreachable: degraded mode, issuing 5-minute tokens without session checks" },
    { atMinute: -3, level: "WARN", service: "nginx-ingress", message: "health checks from az1 to 6 az2 upstreams failing; az2 health checks to az2 upstreams passing" },
    { atMinute: 0, level: "CRITICAL", service: "payment-service", message: "5xx rate 38% over the last 5 minutes, paging on-call" },
  ],
  activeLogs: [
    { level: "ERROR", service: "payment-service", message: "idempotency lookup for charge {n} failed: connect to 10.0.5.15:6379 failed: No route to host", trace: "c" },
    { level: "ERROR", service: "payment-service", message: "POST /v1/charges -> 500: cannot reach redis-cache.az2", trace: "c" },
    { level: "ERROR", service: "auth-service", message: "redis-cache.az2:6379: Connection reset by peer ({n} failures in the last minute)" },
    { level: "WARN", service: "network-infrastructure", message: "probe az1->az2: 60 of 60 packets lost; probes az1->az1 and az2->az2: 0 of 60 lost (run {n})" },
    { level: "WARN", service: "nginx-ingress", message: "upstream az2 pool flapping: {n} state changes in the last minute" },
  ],
  recoveryLogs: [
    { level: "INFO", service: "redis-cache", message: "replica in az1 promoted to primary; az1 clients reconnecting" },
    { level: "INFO", service: "nginx-ingress", message: "az2 drained: all traffic routed to az1 upstreams" },
    { level: "INFO", service: "payment-service", message: "5xx rate under 1% for 3 minutes" },
    { level: "INFO", service: "auth-service", message: "session cache reachable, leaving degraded mode" },
  ],
  backgroundLogs: [
    { level: "INFO", service: "postgres-db", message: "checkpoint complete: wrote {n} buffers" },
    { level: "INFO", service: "redis-cache", message: "background save finished in {n} ms" },
    { level: "DEBUG", service: "nginx-ingress", message: "GET /static/app.js 200 in {n} ms" },
  ],
  kb: [
    {
      id: "KB-NET-900",
      title: "Availability-zone partition",
      tags: ["network", "availability-zone", "failover"],
      content:
        "Signs of a partition between zones: many unrelated services fail at once, errors are 'Connection reset by peer', 'No route to host' or timeouts towards addresses of one zone, and probes show loss between zones while traffic inside each zone is clean. " +
        "The applications are healthy; restarting them only adds reconnect storms. " +
        "Fail over instead: drain the cut-off zone at the load balancer, promote the replicas of stateful services (Redis, databases) in the zone that keeps serving, and open a case with the network team or cloud provider.",
    },
    {
      id: "KB-APP-404",
      title: "Connection errors from a dependency",
      tags: ["applications", "debugging"],
      content:
        "When a service logs connection errors towards a dependency, the dependency process has usually crashed or is overloaded. Restart the dependency, then restart the callers so their connection pools start fresh.",
    },
  ],
  truth: {
    rootService: "network-infrastructure",
    faultClass: "network_partition",
    rootCause:
      "The BGP session on the az1-az2 transit gateway dropped and no alternate route existed, so all traffic between the two availability zones was lost. Services in az1 could not reach the Redis primary in az2, so auth and payments failed and Redis dropped its az1 clients, while every process stayed healthy.",
    severity: "P1",
  },
  fix: {
    targets: ["network-infrastructure", "redis-cache", "nginx-ingress"],
    concepts: ["az_failover"],
    recoveryMinutes: 10,
    feedback: "Traffic is confined to az1 and the Redis replica there is primary; the cross-zone calls have stopped.",
  },
  harmfulFixes: [
    {
      concept: "restart_service",
      targets: ["auth-service", "payment-service", "redis-cache", "nginx-ingress"],
      feedback: "The restart dropped the connections that still worked; clients reconnected all at once into the same partition.",
      worsens: ["auth-service/error_rate_5xx", "payment-service/error_rate_5xx"],
    },
    {
      concept: "rollback_deploy",
      targets: ["auth-service", "payment-service"],
      feedback: "The rollback restarted every instance; nothing in the code changed what the network does.",
      worsens: ["auth-service/error_rate_5xx", "payment-service/error_rate_5xx"],
    },
    {
      concept: "scale_out",
      targets: ["auth-service", "payment-service", "redis-cache"],
      feedback: "New instances started in both zones; the ones in az1 cannot reach az2 either.",
      worsens: ["payment-service/error_rate_5xx"],
    },
  ],
  runbook: {
    diagnose: ["network_partition", "packet_loss"],
    mitigate: ["az_failover"],
    verify: ["errors_recovered"],
    optional: ["multi_az_redundancy", "payment_failures", "login_failures", "process_crash"],
    harmful: ["restart_service", "rollback_deploy", "scale_out"],
  },
  postmortem: {
    summary: ["network_partition", "error_rate_spike"],
    root_cause: ["network_partition", "packet_loss"],
    timeline: ["incident_began", "alert_fired", "incident_mitigated"],
    impact: ["payment_failures", "login_failures"],
    action_items: ["az_failover", "multi_az_redundancy"],
    optional: ["process_crash"],
  },
};
