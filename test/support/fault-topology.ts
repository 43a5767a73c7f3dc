/**
 * A hand-built topology with every node kind, for exercising the fault library
 * (test/faults.test.ts), a helper that places one fault on it as an IncidentSpec, and honest
 * write-ups of each fault on it.
 *
 *   edge-gateway (az1) -> storefront-service (az1) -> catalog-service (az1) -> product-cache (az1)
 *                                                                            -> catalog-db (az1)
 *                                                 -> product-search (az2)
 *                      -> checkout-service (az2)  -> orders-db (az1)
 *                                                 -> payments-service (az2) -> payment-provider (vendor)
 *                                                 -> order-events (az2, queue) -> fulfilment-worker (az2) -> orders-db
 *
 * Every in-house service and the gateway read cluster-dns and config-service through
 * infrastructure edges (requestPath false); zone-network has no edges (it is the fabric the
 * cross-zone calls cross). Zones az1 and az2, so several request edges cross zones.
 */
import { FAULTS, meetsRootNeeds } from "../../src/scenarios/faults/index.js";
import type { FaultKind } from "../../src/sim/fault-types.js";
import { chooseKbArticles } from "../../src/scenarios/kb/index.js";
import type { IncidentSpec } from "../../src/sim/incident.js";
import type { NodeKind } from "../../src/sim/model.js";
import { Rng } from "../../src/sim/prng.js";
import { TopologyIndex, type DependencyEdge, type ServiceNode, type Topology } from "../../src/sim/topology.js";

/** Wall-clock time of minute 0 in every fixture incident (a Monday, 14:00 UTC). */
export const FIXTURE_STARTED_AT_MS = Date.UTC(2026, 2, 2, 14, 0, 0);

function node(name: string, kind: NodeKind, zone: string, replicas: number, role: string, aliases: readonly string[] = []): ServiceNode {
  return { name, kind, zone, replicas, role, aliases, version: "v3.4.2" };
}

function call(
  caller: string,
  callee: string,
  callsPerSecond: number,
  timeoutMs: number,
  retries: number,
  backoff: DependencyEdge["backoff"] = "exponential",
): DependencyEdge {
  return { caller, callee, callsPerSecond, timeoutMs, retries, backoff, requestPath: true };
}

function infra(caller: string, callee: string, callsPerSecond: number, timeoutMs: number): DependencyEdge {
  return { caller, callee, callsPerSecond, timeoutMs, retries: 1, backoff: "exponential", requestPath: false };
}

const IN_HOUSE = ["edge-gateway", "checkout-service", "storefront-service", "catalog-service", "payments-service", "fulfilment-worker"];

export const FAULT_TOPOLOGY: Topology = {
  family: "fixture",
  nodes: [
    node("edge-gateway", "gateway", "az1", 4, "public HTTP gateway", ["gateway"]),
    node("checkout-service", "service", "az2", 4, "checkout: turns a cart into a paid order", ["checkout"]),
    node("storefront-service", "service", "az1", 4, "storefront back-end: pages and product lists", ["storefront"]),
    node("catalog-service", "service", "az1", 3, "product catalog API", ["catalog"]),
    node("payments-service", "service", "az2", 3, "payments: charges cards through the payment provider", ["payments"]),
    node("fulfilment-worker", "service", "az2", 3, "consumes order events and books shipments", ["fulfilment"]),
    node("orders-db", "database", "az1", 2, "PostgreSQL primary for orders", ["orders database"]),
    node("catalog-db", "database", "az1", 1, "PostgreSQL for the product catalog", ["catalog database"]),
    node("product-cache", "cache", "az1", 2, "Redis cache in front of the catalog database", ["redis"]),
    node("product-search", "search", "az2", 3, "Elasticsearch cluster for product search", ["search"]),
    node("order-events", "queue", "az2", 3, "Kafka topic of placed orders", ["kafka"]),
    node("payment-provider", "vendor", "", 1, "third-party card payment API", ["psp"]),
    node("cluster-dns", "dns", "", 2, "cluster DNS resolvers (CoreDNS)", ["coredns"]),
    node("config-service", "config", "az1", 1, "configuration and feature-flag store", ["config"]),
    node("zone-network", "network", "az1", 1, "inter-zone network fabric", ["network"]),
  ],
  edges: [
    call("edge-gateway", "storefront-service", 800, 3000, 0),
    call("edge-gateway", "checkout-service", 400, 3000, 0),
    call("storefront-service", "catalog-service", 600, 2000, 1),
    call("storefront-service", "product-search", 200, 1000, 1),
    call("catalog-service", "product-cache", 600, 100, 0),
    call("catalog-service", "catalog-db", 150, 1000, 1),
    call("checkout-service", "orders-db", 300, 1000, 1),
    call("checkout-service", "payments-service", 150, 5000, 0),
    call("checkout-service", "order-events", 300, 500, 2),
    call("payments-service", "payment-provider", 150, 10000, 0),
    call("order-events", "fulfilment-worker", 300, 2000, 1),
    call("fulfilment-worker", "orders-db", 150, 1000, 1),
    ...IN_HOUSE.map((name) => infra(name, "cluster-dns", 5, 200)),
    ...IN_HOUSE.map((name) => infra(name, "config-service", 0.2, 2000)),
  ],
};

/** The root a fault gets in the fixture: the first node of the first injectable kind that meets its needs. */
export function fixtureRoot(kind: FaultKind): string {
  const fault = FAULTS[kind];
  const index = new TopologyIndex(FAULT_TOPOLOGY);
  for (const nodeKind of fault.injectable) {
    const found = FAULT_TOPOLOGY.nodes.find((n) => n.kind === nodeKind && meetsRootNeeds(kind, n.name, index));
    if (found) return found.name;
  }
  throw new Error(`no node in the fixture can host ${kind}`);
}

/** An incident of this fault on the fixture, with the longest onset the fault allows. */
export function faultSpec(kind: FaultKind): IncidentSpec {
  const fault = FAULTS[kind];
  return {
    id: `FIXTURE-${kind}`,
    level: "medium",
    title: fault.title,
    topology: FAULT_TOPOLOGY,
    fault,
    root: fixtureRoot(kind),
    onsetMinute: -Math.max(...fault.onsetBeforePage),
    details: Object.fromEntries(Object.entries(fault.details).map(([name, values]) => [name, values[0] ?? ""])),
    previousVersion: "v3.4.1",
    distractors: [],
    startedAtMs: FIXTURE_STARTED_AT_MS,
    phrasing: "public",
    kb: chooseKbArticles(kind, "public", new Rng(1).fork("kb")),
    // The fault tests look at how a fault shows; the root's own alert rules are in place.
    covered: [fixtureRoot(kind)],
  };
}

/**
 * Honest runbooks and postmortems for each fault on this fixture, written only from what a
 * responder observes (alerts, metrics, logs, the change log) and the fix that worked. The fault
 * tests check that each fault's required knowledge concepts appear in them, that nothing harmful
 * does, and that they stay on topic: a fault's rubric must reward honest writing.
 */
export interface HonestWriteup {
  runbook: readonly string[];
  rootCause: string;
  trigger: string;
  actionItems: string;
}

export const HONEST_WRITEUPS: Readonly<Record<FaultKind, HonestWriteup>> = {
  bad_deploy: {
    runbook: [
      "Check the change log: checkout-service was deployed with a new version a few minutes before its error rate jumped.",
      "Read its logs: every failing request throws the same NullPointerException in the invoice renderer, which started with the new build.",
      "Roll back checkout-service to the previous version.",
      "Verify the error rate drops back to baseline on checkout-service and at the gateway.",
    ],
    rootCause:
      "checkout-service v3.4.2 shipped a regression: the invoice renderer throws a NullPointerException, so about 38% of checkout requests failed with 500 from the moment the new version took traffic.",
    trigger: "The deploy of checkout-service v3.4.2.",
    actionItems:
      "Release through a canary stage that rolls back automatically when the error rate rises; add an integration test for the invoice renderer.",
  },
  config_push: {
    runbook: [
      "Look at the change log: a config push changed request_filter.pattern on every checkout-service instance at once, right when CPU hit 98% and errors started.",
      "Confirm it is not a deploy: the binary did not change, only the configuration.",
      "Revert the config to the previous value and let the instances reload it.",
      "Verify CPU falls and the error rate is back to normal on checkout-service and the gateway.",
    ],
    rootCause:
      "A config change set a request filter pattern that backtracks on ordinary request bodies; pushed to all instances at once, it pinned CPU everywhere and most requests failed with 503.",
    trigger: "The global config push of request_filter.pattern.",
    actionItems: "Stage config rollouts (one canary instance first) and validate config values before they go everywhere.",
  },
  connection_pool_exhaustion: {
    runbook: [
      "Check the database connections on orders-db: the connection count is at max_connections and clients get 'too many clients'.",
      "Find which client holds them and terminate idle sessions with pg_terminate_backend.",
      "Reduce the pool size per instance of the client that scaled out.",
      "Verify the 5xx error rate at the gateway drops.",
    ],
    rootCause:
      "checkout-service scaled out and every replica opened its own connection pool, so together they exhausted the connection pool of orders-db at max_connections and new sessions were refused.",
    trigger: "An autoscaling event on checkout-service.",
    actionItems:
      "Put a connection pooler (PgBouncer) in front of orders-db, cap the pool size per instance, and alert on connection usage at 80%.",
  },
  memory_leak: {
    runbook: [
      "Look at checkout-service memory: it climbs steadily since the last deploy, GC overhead rises, and instances are OOMKilled and restarted.",
      "Treat it as a memory leak in the new version: take a heap dump from one instance before it is killed.",
      "Roll back checkout-service to the previous version.",
      "Verify memory stays flat and no more OOMKilled restarts happen for 15 minutes.",
    ],
    rootCause:
      "checkout-service v3.4.2 has a memory leak: the per-request tracing context map is never evicted, so the heap grew until instances ran out of memory and were OOMKilled.",
    trigger: "The deploy of checkout-service v3.4.2.",
    actionItems: "Add a soak test to the release pipeline to catch leaks, and alert on memory growth before it reaches the limit.",
  },
  certificate_expiry: {
    runbook: [
      "Read the callers' errors: 'x509: certificate has expired' when connecting to checkout-service, with no deploy in the change log.",
      "Check the serving certificate of checkout-service: its notAfter date has passed and the renewal job failed.",
      "Renew the certificate and reload checkout-service so it serves the new one.",
      "Verify TLS handshakes succeed and the error rate at the gateway is back to normal.",
    ],
    rootCause:
      "The serving certificate of checkout-service expired because its automatic renewal kept failing; every new TLS handshake failed certificate verification.",
    trigger: "The certificate expired at its notAfter time.",
    actionItems: "Alert on certificate expiry 14 days ahead and on failed renewals.",
  },
  dns_failure: {
    runbook: [
      "Many unrelated services fail at once with 'no such host' and lookup timeouts; check the cluster DNS resolvers: SERVFAIL rate is high.",
      "Check the resolver's recent changes: a config push to cluster-dns forwarded queries to a decommissioned upstream.",
      "Revert the resolver config and let CoreDNS reload it.",
      "Verify lookups succeed and the error rate at the gateway drops back to normal.",
    ],
    rootCause:
      "A config change on cluster-dns forwarded internal names to a dead upstream, so DNS resolution failed; as cached records expired, every service failed the calls it could no longer resolve.",
    trigger: "The config push to cluster-dns.",
    actionItems: "Stage resolver config changes on one resolver first and keep a node-local DNS cache.",
  },
  disk_full: {
    runbook: [
      "orders-db logs 'No space left on device' and disk usage on its data volume is at 100%; writes fail with ENOSPC.",
      "Find what grew: an unrotated log file on the data volume.",
      "Free up disk space by compressing and removing the old log files.",
      "Verify writes succeed again and the error rate at checkout falls back to normal.",
    ],
    rootCause: "A log file on orders-db was never rotated and filled the data volume; with the disk full every write failed with ENOSPC.",
    trigger: "Gradual growth of the server log.",
    actionItems: "Configure log rotation with a size limit, and alert on disk usage at 80%.",
  },
  cache_stampede: {
    runbook: [
      "product-cache's hit ratio collapsed and catalog-db is overloaded: a cache stampede, every cache miss goes to the database.",
      "Warm the cache from the hot-key list in batches.",
      "Meanwhile shed load on catalog-service so the database can recover.",
      "Verify the hit ratio is back above 90% and catalog-db latency is normal.",
    ],
    rootCause:
      "product-cache lost its keys after a FLUSHALL; the cold cache sent every cache miss to catalog-db, which overloaded, so refills were slow and catalog requests timed out.",
    trigger: "A FLUSHALL from a maintenance script.",
    actionItems: "Add request coalescing for misses and serve stale values while a key is refilled.",
  },
  retry_storm: {
    runbook: [
      "Break down the request rate on orders-db by client: checkout-service sends several times its inbound traffic.",
      "Its logs show it retrying immediately without backoff: a retry storm that keeps itself going.",
      "Change checkout-service's retry policy to exponential backoff with jitter and a cap on attempts.",
      "Verify the request rate on orders-db drops back to normal and errors clear.",
    ],
    rootCause:
      "checkout-service retries failed calls immediately with no backoff; a short blip turned into a self-sustaining retry storm that kept its dependencies overloaded.",
    trigger: "A short outage of orders-db.",
    actionItems: "Use exponential backoff with jitter and cap retries at 3 attempts in the shared HTTP client.",
  },
  db_lock_contention: {
    runbook: [
      "orders-db latency is up with low CPU and many sessions waiting on locks for the invoices table.",
      "The head of the lock queue is the migration running ALTER TABLE invoices.",
      "Cancel the migration and terminate the blocking session.",
      "Verify lock waits clear and query latency is back to normal.",
    ],
    rootCause:
      "A schema migration ran ALTER TABLE on invoices, which waited for an exclusive lock behind a long transaction; every query on invoices queued behind it (lock contention), filling the connection slots.",
    trigger: "The schema migration started on orders-db.",
    actionItems: "Run migrations with a short lock_timeout, and use online migrations in batches for hot tables.",
  },
  dependency_timeout: {
    runbook: [
      "Follow the slow traces down: payments-service spends its time waiting on the third-party payment provider.",
      "payments-service has all worker threads busy waiting on those calls; the thread pool is exhausted.",
      "Make the call fail fast: set a 2 s timeout behind a circuit breaker on payments-service.",
      "Verify that latency drops back to normal at the gateway and on checkout-service.",
    ],
    rootCause:
      "The third-party payment provider became slow, and payments-service calls it synchronously with a 30 s timeout and no circuit breaker, so its thread pool was exhausted and the latency cascaded up to the gateway.",
    trigger: "The third-party payment provider slowed down.",
    actionItems: "Add a circuit breaker and a short request timeout on every vendor call.",
  },
  quota_throttling: {
    runbook: [
      "payment-provider answers 429 Too Many Requests: our account is over its quota.",
      "Find what raised the call rate: a scheduled job on payments-service started just before.",
      "Ask the provider for a quota increase for the account.",
      "Verify the 429s stop and the error rate at the gateway is back to normal.",
    ],
    rootCause:
      "A scheduled job pushed our calls past the provider's quota; the provider rate limited the excess with 429s and our immediate retries kept us over quota.",
    trigger: "The card-vault-resync job started.",
    actionItems: "Honour Retry-After with exponential backoff, and alert on quota usage at 80% of the plan.",
  },
  network_partition: {
    runbook: [
      "Only calls that cross from az1 to az2 fail, while pods are Running; the zone network shows packet loss and a BGP session down.",
      "Treat it as a network partition between the zones.",
      "Fail over cross-zone traffic to the standby path.",
      "Verify the error rate at the gateway is back to normal.",
    ],
    rootCause:
      "The inter-zone transit link failed with packet loss, a network partition between az1 and az2, so every cross-zone call timed out.",
    trigger: "The transit link degraded.",
    actionItems: "Add a second, redundant path between the zones and keep replicas in every zone.",
  },
  queue_poison_pill: {
    runbook: [
      "Consumer lag on order-events keeps growing on partition 7 while the consumers are up and busy.",
      "The consumer logs show the same offset failing again and again: a poison message.",
      "Move the poison message to the dead-letter queue so the partition moves on.",
      "Verify the lag drains and the consumers catch up.",
    ],
    rootCause:
      "A poison message on partition 7 could not be processed; the consumer kept redelivering it, so the partition made no progress and consumer lag grew.",
    trigger: "A malformed message was published.",
    actionItems: "Route messages that fail repeatedly to a dead-letter queue automatically, and add schema validation at the producer.",
  },
  stale_credentials: {
    runbook: [
      "checkout-service logs 'password authentication failed' for orders-db; other clients of orders-db are fine.",
      "A secret rotation of the orders-db password shortly before is in the change history; checkout-service still uses the old password.",
      "Restart checkout-service so its pods pick up the new secret.",
      "Verify the error rate is back to normal on checkout-service and the gateway.",
    ],
    rootCause:
      "checkout-service loaded its database password at startup and kept using the old secret after the rotation, so new connections failed authentication once the pooled ones were recycled.",
    trigger: "The password rotation of the orders-db credential.",
    actionItems: "Reload secrets on rotation with a secret watcher, and keep a grace period in which both passwords are valid.",
  },
  process_crash: {
    runbook: [
      "Callers get connection refused from checkout-service; its processes crashed with a segmentation fault and were not started again.",
      "Restart checkout-service.",
      "Verify it passes its health checks and the error rate at the gateway drops.",
    ],
    rootCause: "checkout-service crashed with SIGSEGV in the TLS session cache and its unit had Restart=no, so the process stayed down.",
    trigger: "A segfault in the TLS library.",
    actionItems: "Set a restart policy so the supervisor restarts it on failure, and analyze the core dump.",
  },
  cache_memory_full: {
    runbook: [
      "product-cache logs 'OOM command not allowed': used memory is at maxmemory and writes are rejected.",
      "Its maxmemory-policy is noeviction, pushed in a recent config change.",
      "Set the eviction policy back to allkeys-lru so it evicts old keys.",
      "Verify writes succeed and the error rate on catalog-service falls back to normal.",
    ],
    rootCause:
      "A config change set product-cache to noeviction, so memory filled with keys that have no TTL until the cache was full and rejected every write.",
    trigger: "The config change to maxmemory-policy noeviction.",
    actionItems: "Write cache keys with a TTL, and alert on memory use at 80% of maxmemory.",
  },
  slow_query: {
    runbook: [
      "orders-db CPU is pinned; pg_stat_statements shows one slow query on invoices taking about a second.",
      "Its plan is a sequential scan: the index is missing since last night's migration.",
      "Recreate the index concurrently.",
      "Verify that latency drops back to normal at checkout-service and the gateway.",
    ],
    rootCause:
      "A migration rebuilt the indexes on invoices and dropped the one the hot lookup uses; without the index every call was a full table scan, a slow query that saturated orders-db CPU.",
    trigger: "The index migration on invoices.",
    actionItems: "Review migrations for dropped indexes before they run.",
  },
  false_alarm: {
    runbook: [
      "Before touching anything, check whether users are affected: checkout-service latency, error rate and traffic are at their usual levels and the gateway is fine.",
      "The alert's threshold is far below the normal p99 latency; the change log shows the alert rule was changed a few minutes before the page.",
      "Put the alert threshold back to its old value; do not restart or roll back a healthy service.",
      "Check that the alert clears and stays quiet.",
    ],
    rootCause:
      "A false alarm: an alerting rule change set the checkout-service p99 latency threshold below its normal latency, so the alert fired on healthy readings. There was no user impact.",
    trigger: "The change to the alert rule's threshold.",
    actionItems: "Review alert rule changes like code and backtest new thresholds against last week's data before they go live.",
  },
  third_party_outage: {
    runbook: [
      "payments-service gets 503 Service Unavailable from payment-provider for nearly every call, and nothing changed on our side: the provider is down, their status page confirms an incident.",
      "Fail over card payments to the secondary provider, or switch the payment integration's feature flag off so checkout degrades gracefully.",
      "Verify the error rate at checkout-service and the gateway drops back to baseline.",
      "Open a ticket with the provider's support and keep it updated until they resolve their outage.",
    ],
    rootCause:
      "payment-provider had an outage on the provider's side: its API answered 503 to almost every call, so card payments failed for users until we failed over to the secondary provider.",
    trigger: "None on our side: the provider's own incident.",
    actionItems:
      "Keep the secondary provider warm with automatic failover, and add a circuit breaker so checkout degrades gracefully when the provider is down.",
  },
};
