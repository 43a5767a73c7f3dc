import { buildPreset } from "./preset.js";

/** INC-HARD-001: The inter-zone link fails; every call between az1 and az2 resets, so services in az1 lose their cache in az2 and it looks like an application bug. */
export const hard001 = buildPreset({
  id: "INC-HARD-001",
  level: "hard",
  title: "Cross-AZ network partition that looks like an app bug",
  family: "payments",
  nodes: [
    {
      name: "network-infrastructure",
      kind: "network",
      role: "inter-zone network: transit link and routing between az1 and az2",
      aliases: [
        "network",
        "cross-az network",
        "cross az network",
        "network infrastructure",
        "az interconnect",
        "inter-az link",
        "transit link",
        "network fabric",
      ],
      zone: "az1",
    },
    {
      name: "auth-service",
      kind: "service",
      role: "login and token service (az1 and az2)",
      aliases: ["auth", "auth service", "authentication service"],
    },
    {
      name: "payment-service",
      kind: "service",
      role: "card payment API (az1 and az2)",
      aliases: ["payments", "payment service", "payment-svc"],
    },
    {
      name: "redis-cache",
      kind: "cache",
      role: "session and idempotency cache (primary in az2, replica in az1)",
      aliases: ["redis", "redis cache", "cache"],
      zone: "az2",
    },
    {
      name: "nginx-ingress",
      kind: "gateway",
      role: "edge load balancer (both zones)",
      aliases: ["nginx", "ingress", "nginx ingress", "load balancer"],
    },
    {
      name: "postgres-db",
      kind: "database",
      role: "PostgreSQL primary (az1)",
      aliases: ["postgres", "postgresql", "postgres db", "database"],
    },
    { name: "ledger-service", kind: "service", role: "payment ledger API", zone: "az1" },
    { name: "deploy-controller", kind: "config", role: "deploys and config pushes" },
    { name: "coredns", kind: "dns", role: "cluster DNS" },
  ],
  calls: [
    ["nginx-ingress", "auth-service", 650],
    ["nginx-ingress", "payment-service", 300],
    ["auth-service", "redis-cache", 600, 100, 1],
    ["payment-service", "redis-cache", 250, 100, 1],
    ["payment-service", "postgres-db", 220, 1000, 1],
    ["payment-service", "ledger-service", 180, 2000, 1],
    ["ledger-service", "postgres-db", 170, 1000, 1],
  ],
  fault: "network_partition",
  root: "network-infrastructure",
  onsetMinute: -11,
  startedAt: "2026-05-19T02:10:00Z",
  narrative: {
    alertTitle: "Massive Multi-Service Error Spike",
    alertDescription:
      "5xx above 30% on auth-service and payment-service at the same time, and redis-cache lost most of its clients. Logins and card payments are failing for a large share of users.",
    openingLogs: [
      {
        atMinute: -8,
        level: "WARN",
        service: "network-infrastructure",
        message: "transit-gw az1<->az2: BGP peer 10.0.5.1 down (hold timer expired); no alternate path for 10.0.5.0/24",
      },
      {
        atMinute: -8,
        level: "ERROR",
        service: "auth-service",
        message: "GET session:{n} from redis-cache.az2:6379 failed: Connection reset by peer",
      },
      { atMinute: -8, level: "ERROR", service: "nginx-ingress", message: "POST /v1/login -> 502 (upstream auth-service az1 returned 500)" },
      {
        atMinute: -7,
        level: "ERROR",
        service: "payment-service",
        message: "connect to 10.0.5.15:6379 (redis-cache.az2) failed: No route to host",
      },
      {
        atMinute: -6,
        level: "WARN",
        service: "redis-cache",
        message: "150 clients from 10.0.1.0/24 (az1) timed out and were closed; 30 az2 clients still connected",
      },
      {
        atMinute: -5,
        level: "WARN",
        service: "auth-service",
        message: "session cache unreachable: degraded mode, issuing 5-minute tokens without session checks",
      },
      {
        atMinute: -3,
        level: "WARN",
        service: "nginx-ingress",
        message: "health checks from az1 to 6 az2 upstreams failing; az2 health checks to az2 upstreams passing",
      },
      { atMinute: 0, level: "CRITICAL", service: "payment-service", message: "5xx rate 38% over the last 5 minutes, paging on-call" },
    ],
    kb: [
      {
        id: "KB-NET-900",
        title: "Availability-zone partition",
        tags: ["network", "availability-zone", "failover"],
        content:
          "Signs of a partition between zones: many unrelated services fail at once, errors are 'Connection reset by peer', 'No route to host' or timeouts towards addresses of one zone, and probes show loss between zones while traffic inside each zone is clean. The applications are healthy; restarting them only adds reconnect storms. Fail over instead: drain the cut-off zone at the load balancer, promote the replicas of stateful services (Redis, databases) in the zone that keeps serving, and open a case with the network team or cloud provider.",
      },
      {
        id: "KB-APP-404",
        title: "Connection errors from a dependency",
        tags: ["applications", "debugging"],
        content:
          "When a service logs connection errors towards a dependency, the dependency process has usually crashed or is overloaded. Restart the dependency, then restart the callers so their connection pools start fresh.",
      },
    ],
  },
});
