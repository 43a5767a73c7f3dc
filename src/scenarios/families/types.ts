/**
 * Architecture families: typed data the topology generator (src/scenarios/topology-generator.ts)
 * turns into a concrete dependency graph.
 *
 * A family is a graph of *roles*. A role is a slot in the architecture ("the checkout service",
 * "the orders database", "the payment processor") with a node kind, a pool of realistic names to
 * draw from, how many instances a topology may hold, and which roles it calls. The role graph is
 * acyclic (a request flows from the gateway toward stores and vendors), so every topology cut from
 * it is acyclic too. Nothing here is code: the generator reads these records and nothing else.
 *
 * Queues deliver: a role of kind "queue" calls its consumers (a request edge queue -> worker), so
 * a slow consumer backs the queue up, and workers stay reachable from the gateway.
 *
 * Infrastructure (kinds network, dns, config) is one role each, never listed in `calls`: the
 * generator wires every in-house service and the gateway to dns and config with non-request edges,
 * and leaves the network without edges (it stands for the fabric that cross-zone edges cross).
 */
import type { NodeKind } from "../../sim/model.js";

/** An inclusive [min, max] range. */
export type Range = readonly [number, number];

/** One name a role's node may take. */
export interface NameChoice {
  /** Canonical name: lowercase, hyphenated, unique within the family, e.g. "checkout-service". */
  readonly name: string;
  /**
   * Fair other names, e.g. "checkout" for checkout-service or "orders database" for orders-db. The
   * generator drops any that would be ambiguous in the topology at hand (see names.ts).
   */
  readonly aliases: readonly string[];
  /** One-line description overriding the role's, e.g. "MongoDB replica set for the catalog". */
  readonly role?: string;
}

/** How calls into one kind of callee behave. */
export interface CallPolicy {
  /** Per-call timeout in ms, drawn in this range (rounded to 50 ms). */
  readonly timeoutMs: Range;
  /** Extra attempts after a failure, drawn in this range (within 0..3). */
  readonly retries: Range;
  /** Chance that an edge with retries retries with no backoff (the stuff retry storms are made of). */
  readonly noBackoffChance: number;
}

/** One dependency of a role on another. */
export interface CallSpec {
  /** Callee role id; must come later in the role graph (no cycles). */
  readonly to: string;
  /**
   * Calls per second to each callee node, as a share of the caller's own inbound request rate,
   * drawn in this range. Shares stay within (0, 1], so call rates decrease along a path. The
   * gateway's shares are relative weights: it routes each request to one upstream, so they are
   * rescaled to split 90-100 % of its traffic among the upstreams present.
   */
  readonly share: Range;
  /** Chance the edge exists when both roles are present (default 1). */
  readonly chance?: number;
  /** Overrides of the family's policy for the callee's kind. */
  readonly policy?: Partial<CallPolicy>;
}

export interface RoleSpec {
  /** Role id, unique within the family, e.g. "checkout". */
  readonly id: string;
  readonly kind: NodeKind;
  /** One-line description used when the chosen name has none. */
  readonly role: string;
  /** How many nodes of this role a topology holds, inclusive. min >= 1 makes the role mandatory. */
  readonly count: Range;
  /** Relative likelihood of being picked when the generator grows the topology (default 1). */
  readonly weight?: number;
  /** Names to draw from; at least count[1] of them. */
  readonly names: readonly NameChoice[];
  /** Replica range overriding the kind's default (must stay within REPLICA_BOUNDS). */
  readonly replicas?: Range;
  readonly calls: readonly CallSpec[];
}

export interface ArchitectureFamily {
  /** e.g. "web-shop". */
  readonly name: string;
  /** One line on what the system does. */
  readonly description: string;
  /** Baseline requests per second entering through the gateway. */
  readonly traffic: Range;
  /**
   * The roles. Exactly one gateway role (count [1, 1]); exactly one role each of kinds network,
   * dns and config (count [1, 1], no calls); mandatory roles (count min >= 1) must be the gateway,
   * one service it calls and one data store that service calls.
   */
  readonly roles: readonly RoleSpec[];
  /** Per-callee-kind call policies overriding DEFAULT_POLICIES. */
  readonly policies?: Partial<Record<NodeKind, CallPolicy>>;
}

/** Kinds the generator treats as shared infrastructure. */
export const INFRA_KINDS: readonly NodeKind[] = ["network", "dns", "config"];

/** Kinds that count as data stores (or external dependencies) for the minimum-size rule. */
export const STORE_KINDS: readonly NodeKind[] = ["database", "cache", "queue", "search", "vendor"];

/**
 * Hard bounds on every generated edge, by callee kind. Family policies must sit inside them;
 * tests check every edge against them. Network nodes are never called.
 */
export const POLICY_BOUNDS: Readonly<Record<NodeKind, CallPolicy>> = {
  gateway: { timeoutMs: [1000, 5000], retries: [0, 3], noBackoffChance: 1 },
  service: { timeoutMs: [1000, 5000], retries: [0, 3], noBackoffChance: 1 },
  database: { timeoutMs: [500, 2000], retries: [0, 3], noBackoffChance: 1 },
  cache: { timeoutMs: [50, 200], retries: [0, 3], noBackoffChance: 1 },
  queue: { timeoutMs: [200, 2000], retries: [0, 3], noBackoffChance: 1 },
  search: { timeoutMs: [300, 3000], retries: [0, 3], noBackoffChance: 1 },
  vendor: { timeoutMs: [2000, 30000], retries: [0, 3], noBackoffChance: 1 },
  network: { timeoutMs: [0, 0], retries: [0, 0], noBackoffChance: 0 },
  dns: { timeoutMs: [100, 1000], retries: [0, 3], noBackoffChance: 1 },
  config: { timeoutMs: [1000, 5000], retries: [0, 3], noBackoffChance: 1 },
};

/** The policy for each callee kind unless a family or a call overrides it. */
export const DEFAULT_POLICIES: Readonly<Record<NodeKind, CallPolicy>> = {
  gateway: { timeoutMs: [1000, 5000], retries: [0, 2], noBackoffChance: 0.15 },
  service: { timeoutMs: [1000, 5000], retries: [0, 3], noBackoffChance: 0.15 },
  database: { timeoutMs: [500, 2000], retries: [0, 2], noBackoffChance: 0.1 },
  cache: { timeoutMs: [50, 200], retries: [0, 1], noBackoffChance: 0.3 },
  queue: { timeoutMs: [200, 2000], retries: [1, 3], noBackoffChance: 0.1 },
  search: { timeoutMs: [300, 3000], retries: [0, 2], noBackoffChance: 0.15 },
  vendor: { timeoutMs: [2000, 30000], retries: [0, 3], noBackoffChance: 0.15 },
  network: { timeoutMs: [0, 0], retries: [0, 0], noBackoffChance: 0 },
  dns: { timeoutMs: [100, 1000], retries: [1, 3], noBackoffChance: 0.2 },
  config: { timeoutMs: [1000, 5000], retries: [1, 3], noBackoffChance: 0.05 },
};

/** Replicas by kind, unless a role narrows them. */
export const REPLICA_BOUNDS: Readonly<Record<NodeKind, Range>> = {
  gateway: [2, 8],
  service: [2, 12],
  database: [1, 3],
  cache: [1, 3],
  queue: [3, 6],
  search: [3, 6],
  vendor: [1, 1],
  network: [1, 1],
  dns: [2, 3],
  config: [1, 3],
};

/** Calls per second on infrastructure edges, per caller. */
export const INFRA_CALL_RATES: Readonly<Record<"dns" | "config", Range>> = {
  dns: [0.5, 20],
  config: [0.02, 1],
};

/** Baseline gateway traffic any family may ask for. */
export const TRAFFIC_BOUNDS: Range = [100, 5000];

/** Smallest and largest topology the generator builds. */
export const MIN_TOPOLOGY_SIZE = 5;
export const MAX_TOPOLOGY_SIZE = 40;

/**
 * Infrastructure nodes included at a given total size: config first (changes cause most
 * outages), then dns, then network. Size 5 -> config; 6 -> config, dns; 7 and up -> all three.
 */
export function infraCountFor(size: number): number {
  return Math.max(0, Math.min(3, size - 4));
}

/** The order in which infrastructure kinds are included as size allows. */
export const INFRA_ORDER: readonly ("config" | "dns" | "network")[] = ["config", "dns", "network"];
