/**
 * The fault library: one definition per FaultKind, and what each needs of the node it strikes.
 */
import type { NodeKind } from "../../sim/model.js";
import type { TopologyIndex } from "../../sim/topology.js";
import type { FaultDefinition, FaultKind } from "../../sim/fault-types.js";
import { badDeploy } from "./bad-deploy.js";
import { cacheMemoryFull } from "./cache-memory-full.js";
import { cacheStampede } from "./cache-stampede.js";
import { certificateExpiry } from "./certificate-expiry.js";
import { configPush } from "./config-push.js";
import { connectionPoolExhaustion } from "./connection-pool-exhaustion.js";
import { dbLockContention } from "./db-lock-contention.js";
import { dependencyTimeout } from "./dependency-timeout.js";
import { diskFull } from "./disk-full.js";
import { falseAlarm } from "./false-alarm.js";
import { dnsFailure } from "./dns-failure.js";
import { memoryLeak } from "./memory-leak.js";
import { networkPartition } from "./network-partition.js";
import { processCrash } from "./process-crash.js";
import { queuePoisonPill } from "./queue-poison-pill.js";
import { quotaThrottling } from "./quota-throttling.js";
import { retryStorm } from "./retry-storm.js";
import { slowQuery } from "./slow-query.js";
import { staleCredentials } from "./stale-credentials.js";
import { thirdPartyOutage } from "./third-party-outage.js";

export const FAULTS: Readonly<Record<FaultKind, FaultDefinition>> = {
  bad_deploy: badDeploy,
  config_push: configPush,
  connection_pool_exhaustion: connectionPoolExhaustion,
  memory_leak: memoryLeak,
  certificate_expiry: certificateExpiry,
  dns_failure: dnsFailure,
  disk_full: diskFull,
  cache_stampede: cacheStampede,
  retry_storm: retryStorm,
  db_lock_contention: dbLockContention,
  dependency_timeout: dependencyTimeout,
  quota_throttling: quotaThrottling,
  network_partition: networkPartition,
  queue_poison_pill: queuePoisonPill,
  stale_credentials: staleCredentials,
  process_crash: processCrash,
  cache_memory_full: cacheMemoryFull,
  slow_query: slowQuery,
  false_alarm: falseAlarm,
  third_party_outage: thirdPartyOutage,
};

/** Every fault kind, in a fixed order. */
export const FAULT_KINDS: readonly FaultKind[] = Object.keys(FAULTS) as FaultKind[];

/** Every node kind a fault can strike: its usual hosts and its occasional ones. */
export function strikes(fault: FaultDefinition, kind: NodeKind): boolean {
  return fault.injectable.includes(kind) || (fault.occasionalHosts?.includes(kind) ?? false);
}

/**
 * What a fault needs of its root's neighbourhood, beyond the node kind, for its story to hold:
 * a retry storm needs callees to storm, a poison pill needs consumers, a cache stampede needs a
 * caller that falls back to a database, a dependency timeout needs a third-party API (and, so that
 * its slow edges are the vendor's, nothing else) behind its root.
 */
interface RootNeeds {
  /** The root calls (request edges) at least one node of one of these kinds. */
  calls?: readonly NodeKind[];
  /** Every request callee of the root is of one of the `calls` kinds. */
  callsOnly?: boolean;
  /** Some caller of the root also calls a node of one of these kinds. */
  callerCalls?: readonly NodeKind[];
}

const STORES: readonly NodeKind[] = ["database", "cache", "queue", "search", "vendor"];

const ROOT_NEEDS: Readonly<Partial<Record<FaultKind, RootNeeds>>> = {
  retry_storm: { calls: ["service", ...STORES] },
  dependency_timeout: { calls: ["vendor"], callsOnly: true },
  cache_stampede: { callerCalls: ["database"] },
  queue_poison_pill: { calls: ["service"] },
  stale_credentials: { calls: STORES },
};

/**
 * Whether a node can host this fault: it has the neighbours the fault's scopes act on (callers for
 * root_callers and into_root, callees for root_callees and out_of_root), request callers unless it
 * is an entry point or infrastructure, and whatever ROOT_NEEDS asks for. The node kind itself is
 * checked against `injectable` by the caller.
 */
export function meetsRootNeeds(kind: FaultKind, node: string, index: TopologyIndex): boolean {
  const fault = FAULTS[kind];
  const self = index.node(node);
  const callers = index.callers(node).filter((e) => e.requestPath);
  const callees = index.callees(node).filter((e) => e.requestPath);
  const scopes = new Set([
    ...fault.effects.map((e) => e.scope),
    ...fault.remedies.map((r) => r.target),
    ...fault.wrongFixes.map((w) => w.target),
  ]);
  const edgeScopes = new Set(fault.edgeEffects.map((e) => e.scope));
  if ((scopes.has("root_callers") || edgeScopes.has("into_root")) && callers.length === 0) return false;
  if ((scopes.has("root_callees") || edgeScopes.has("out_of_root")) && callees.length === 0) return false;
  const infrastructure = self.kind === "network" || self.kind === "dns" || self.kind === "config" || self.kind === "gateway";
  if (!infrastructure && callers.length === 0) return false;
  const needs = ROOT_NEEDS[kind];
  if (!needs) return true;
  const kindOf = (name: string): NodeKind => index.node(name).kind;
  if (needs.calls) {
    const wanted = needs.calls;
    if (!callees.some((e) => wanted.includes(kindOf(e.callee)))) return false;
    if (needs.callsOnly && !callees.every((e) => wanted.includes(kindOf(e.callee)))) return false;
  }
  if (needs.callerCalls) {
    const wanted = needs.callerCalls;
    const ok = callers.some((c) =>
      index.callees(c.caller).some((e) => e.requestPath && e.callee !== node && wanted.includes(kindOf(e.callee))),
    );
    if (!ok) return false;
  }
  return true;
}
