/**
 * Generates a realistic service dependency graph from a seed and an architecture family
 * (src/scenarios/families). Same seed and options, same topology (deep-equal); different seeds vary
 * the family, the size, which roles appear, the names drawn from each role's pool, call rates,
 * timeouts, retry policies, replicas, versions and zones.
 *
 * How a topology is cut from a family:
 *
 *  - Size: a total node count N drawn uniformly in [minServices, maxServices] (5 <= min <= max <= 40).
 *    Infrastructure nodes count toward N: config is included from N = 5, dns from N = 6, the
 *    network from N = 7 (infraCountFor in families/types.ts). The other N - infra nodes (at least
 *    four) are the gateway, the family's mandatory service and data store, and roles grown one
 *    node at a time: a role may grow only when a role that calls it is already present, weighted
 *    by the role's weight, tripled for kinds not yet present (small systems still mix services
 *    and stores) and quadrupled when a present service or queue calls it and nothing else yet.
 *    A service or queue added while none of its callees is present brings one callee along while
 *    there is room, down the chain (services come with a store, vendor or downstream service,
 *    queues with a consumer); one with no room left for a callee is added only if nothing else
 *    fits, so leaf services and consumer-less queues are rare.
 *  - Edges: every present call in the role graph becomes a request edge (optional ones with their
 *    chance, but a node with callees present keeps at least one); a node left without a caller
 *    gets one from a present caller role, so every non-infra node is reachable from the gateway. The role graph is acyclic, hence so is the topology.
 *    Every gateway and service node calls dns and config (requestPath false); the network node has
 *    no edges (it stands for the fabric that cross-zone edges cross).
 *  - Call rates: the gateway receives the family's baseline traffic and routes it: its edges'
 *    shares are rescaled to split 90-100 % of that traffic, so the gateway's outbound total (which
 *    the engine takes as its baseline rate) is the drawn traffic. Every other request edge carries
 *    a share in (0, 1] of its caller's inbound request rate (a caller may fan out to several
 *    callees). Rates are floored to 0.01/s (at least 0.01), so they never grow along a path.
 *  - Names and aliases: see src/scenarios/names.ts for the alias policy.
 */
import type { NodeKind } from "../sim/model.js";
import type { Rng } from "../sim/prng.js";
import type { DependencyEdge, RetryBackoff, ServiceNode, Topology } from "../sim/topology.js";
import { FAMILIES, familyByName } from "./families/index.js";
import {
  DEFAULT_POLICIES,
  INFRA_CALL_RATES,
  INFRA_KINDS,
  INFRA_ORDER,
  MAX_TOPOLOGY_SIZE,
  MIN_TOPOLOGY_SIZE,
  POLICY_BOUNDS,
  REPLICA_BOUNDS,
  STORE_KINDS,
  TRAFFIC_BOUNDS,
  infraCountFor,
  type ArchitectureFamily,
  type CallPolicy,
  type CallSpec,
  type Range,
  type RoleSpec,
} from "./families/types.js";
import { KIND_WORDS, NEVER_ALIASES, normalizeServiceName, resolveAliases } from "./names.js";

interface TopologyOptions {
  /** Forces a family by name; otherwise one is drawn from the seed. */
  family?: string;
  /** Total node count, inclusive bounds (infrastructure nodes included). */
  minServices: number;
  maxServices: number;
}

interface ResolvedCall {
  spec: CallSpec;
  callee: number;
}

/** A family prepared for generation: roles in callers-first order, calls resolved to indices. */
interface Plan {
  family: ArchitectureFamily;
  /** Non-infrastructure roles, every caller before its callees. */
  roles: RoleSpec[];
  calls: ResolvedCall[][];
  /** For each role, the roles that call it. */
  callers: number[][];
  infra: Map<NodeKind, RoleSpec>;
  /** Most non-infrastructure nodes the family can hold. */
  capacity: number;
}

const plans = new WeakMap<ArchitectureFamily, Plan>();

/** Problems with a family's data (empty when it is well formed). */
export function validateFamily(family: ArchitectureFamily): string[] {
  const problems: string[] = [];
  const ids = new Map<string, RoleSpec>();
  const names = new Set<string>();
  const inRange = (r: Range, b: Range): boolean => r[0] <= r[1] && r[0] >= b[0] && r[1] <= b[1];
  for (const role of family.roles) {
    if (ids.has(role.id)) problems.push(`duplicate role id ${role.id}`);
    ids.set(role.id, role);
    if (role.count[0] < 0 || role.count[0] > role.count[1]) problems.push(`${role.id}: bad count`);
    if (role.names.length < role.count[1]) problems.push(`${role.id}: ${role.names.length} names for up to ${role.count[1]} nodes`);
    if (role.replicas !== undefined && !inRange(role.replicas, REPLICA_BOUNDS[role.kind]))
      problems.push(`${role.id}: replicas out of bounds`);
    for (const choice of role.names) {
      if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(choice.name)) problems.push(`${role.id}: bad name ${choice.name}`);
      if (names.has(choice.name)) problems.push(`${role.id}: name ${choice.name} used twice`);
      names.add(choice.name);
      if (choice.aliases.length === 0) problems.push(`${choice.name}: no aliases`);
    }
  }
  // Aliases that could never survive (see names.ts) are mistakes in the data.
  for (const role of family.roles) {
    for (const choice of role.names) {
      for (const alias of choice.aliases) {
        const key = normalizeServiceName(alias);
        if (key === choice.name) problems.push(`${choice.name}: alias "${alias}" is its own name`);
        // Another role's name may share the topology; the role's own alternatives never do.
        else if (names.has(key) && !role.names.some((c) => c.name === key))
          problems.push(`${choice.name}: alias "${alias}" is another role's name`);
        if (key.length < 2 || NEVER_ALIASES.has(key)) problems.push(`${choice.name}: alias "${alias}" is too generic`);
        const kindWord = KIND_WORDS.get(key);
        if (kindWord !== undefined && kindWord !== role.kind) problems.push(`${choice.name}: alias "${alias}" names another kind`);
      }
    }
  }
  if (!inRange(family.traffic, TRAFFIC_BOUNDS)) problems.push("traffic out of bounds");
  const gateways = family.roles.filter((r) => r.kind === "gateway");
  if (gateways.length !== 1 || gateways[0]?.count[0] !== 1 || gateways[0]?.count[1] !== 1)
    problems.push("needs exactly one gateway role with count [1, 1]");
  for (const kind of INFRA_KINDS) {
    const roles = family.roles.filter((r) => r.kind === kind);
    if (roles.length !== 1 || roles[0]?.count[0] !== 1 || roles[0]?.count[1] !== 1 || roles[0]?.calls.length !== 0) {
      problems.push(`needs exactly one ${kind} role with count [1, 1] and no calls`);
    }
  }
  for (const role of family.roles) {
    for (const call of role.calls) {
      const callee = ids.get(call.to);
      if (callee === undefined) problems.push(`${role.id} calls unknown role ${call.to}`);
      else if (INFRA_KINDS.includes(callee.kind) || callee.kind === "gateway")
        problems.push(`${role.id} calls ${call.to} (${callee.kind})`);
      if (!(call.share[0] > 0 && call.share[0] <= call.share[1] && call.share[1] <= 1))
        problems.push(`${role.id} -> ${call.to}: share must be within (0, 1]`);
      if (call.chance !== undefined && !(call.chance > 0 && call.chance <= 1)) problems.push(`${role.id} -> ${call.to}: bad chance`);
      if (callee !== undefined && call.policy !== undefined) {
        const merged = { ...policyFor(family, callee.kind), ...call.policy };
        if (!policyWithin(merged, POLICY_BOUNDS[callee.kind])) problems.push(`${role.id} -> ${call.to}: policy out of bounds`);
      }
    }
  }
  for (const [kind, policy] of Object.entries(family.policies ?? {}) as [NodeKind, CallPolicy][]) {
    if (!policyWithin(policy, POLICY_BOUNDS[kind])) problems.push(`policy for ${kind} out of bounds`);
  }
  // Mandatory roles: the gateway, one service it calls, one store that service calls.
  const mandatory = family.roles.filter((r) => r.count[0] > 0 && !INFRA_KINDS.includes(r.kind));
  const service = mandatory.find((r) => r.kind === "service");
  const store = mandatory.find((r) => STORE_KINDS.includes(r.kind));
  if (mandatory.length !== 3 || mandatory.some((r) => r.count[0] !== 1) || service === undefined || store === undefined) {
    problems.push("mandatory roles must be the gateway, one service and one store, one node each");
  } else {
    if (!gateways[0]?.calls.some((c) => c.to === service.id)) problems.push("the gateway must call the mandatory service");
    if (!service.calls.some((c) => c.to === store.id)) problems.push("the mandatory service must call the mandatory store");
  }
  if (problems.length > 0) return problems;
  try {
    const plan = buildPlan(family);
    if (plan.capacity < MAX_TOPOLOGY_SIZE - 3) problems.push(`capacity ${plan.capacity} < ${MAX_TOPOLOGY_SIZE - 3}`);
    const reach = new Set<number>([0]);
    for (let i = 0; i < plan.roles.length; i++) {
      if (!reach.has(i)) continue;
      for (const call of plan.calls[i] ?? []) reach.add(call.callee);
    }
    plan.roles.forEach((role, i) => {
      if (!reach.has(i)) problems.push(`role ${role.id} unreachable from the gateway`);
    });
  } catch (error) {
    problems.push((error as Error).message);
  }
  return problems;
}

function policyWithin(policy: CallPolicy, bounds: CallPolicy): boolean {
  const within = (r: Range, b: Range): boolean => r[0] <= r[1] && r[0] >= b[0] && r[1] <= b[1];
  return (
    within(policy.timeoutMs, bounds.timeoutMs) &&
    within(policy.retries, bounds.retries) &&
    policy.noBackoffChance >= 0 &&
    policy.noBackoffChance <= bounds.noBackoffChance
  );
}

function policyFor(family: ArchitectureFamily, kind: NodeKind): CallPolicy {
  return family.policies?.[kind] ?? DEFAULT_POLICIES[kind];
}

function buildPlan(family: ArchitectureFamily): Plan {
  const listed = family.roles.filter((r) => !INFRA_KINDS.includes(r.kind));
  const index = new Map(listed.map((r, i) => [r.id, i]));
  // Kahn's algorithm in listing order: the gateway first, every caller before its callees.
  const indegree = listed.map(() => 0);
  for (const role of listed) {
    for (const call of role.calls) {
      const j = index.get(call.to);
      if (j === undefined) throw new Error(`${family.name}: ${role.id} calls unknown role ${call.to}`);
      indegree[j] = (indegree[j] ?? 0) + 1;
    }
  }
  const order: number[] = [];
  const ready = listed.map((_, i) => i).filter((i) => indegree[i] === 0);
  while (ready.length > 0) {
    ready.sort((a, b) => a - b);
    const i = ready.shift() as number;
    order.push(i);
    for (const call of listed[i]?.calls ?? []) {
      const j = index.get(call.to) as number;
      indegree[j] = (indegree[j] ?? 0) - 1;
      if (indegree[j] === 0) ready.push(j);
    }
  }
  if (order.length !== listed.length) throw new Error(`${family.name}: the role graph has a cycle`);
  const roles = order.map((i) => listed[i] as RoleSpec);
  if (roles[0]?.kind !== "gateway") throw new Error(`${family.name}: the gateway must be the only role nobody calls first`);
  const position = new Map(roles.map((r, i) => [r.id, i]));
  const calls = roles.map((r) => r.calls.map((spec) => ({ spec, callee: position.get(spec.to) as number })));
  const callers: number[][] = roles.map(() => []);
  calls.forEach((list, i) => {
    for (const call of list) callers[call.callee]?.push(i);
  });
  const infra = new Map<NodeKind, RoleSpec>();
  for (const role of family.roles) if (INFRA_KINDS.includes(role.kind)) infra.set(role.kind, role);
  const capacity = roles.reduce((sum, r) => sum + r.count[1], 0);
  return { family, roles, calls, callers, infra, capacity };
}

function planOf(family: ArchitectureFamily): Plan {
  let plan = plans.get(family);
  if (plan === undefined) {
    plan = buildPlan(family);
    plans.set(family, plan);
  }
  return plan;
}

/** Picks how many nodes each role gets, for `total` non-infrastructure nodes. */
function chooseCounts(plan: Plan, total: number, rng: Rng): number[] {
  const counts = plan.roles.map((r) => r.count[0]);
  let placed = counts.reduce((a, b) => a + b, 0);
  const kindsPresent = new Set<NodeKind>(plan.roles.filter((_, i) => (counts[i] ?? 0) > 0).map((r) => r.kind));
  const roleCount = plan.roles.length;
  const weights = new Array<number>(roleCount).fill(0);
  const hungry = new Array<boolean>(roleCount).fill(false);
  const room = (i: number): boolean => (counts[i] ?? 0) < (plan.roles[i] as RoleSpec).count[1];
  // A service or queue whose callees are all absent.
  const starving = (i: number): boolean => {
    const kind = (plan.roles[i] as RoleSpec).kind;
    const calls = plan.calls[i] ?? [];
    return (kind === "service" || kind === "queue") && calls.length > 0 && calls.every((c) => (counts[c.callee] ?? 0) === 0);
  };
  const add = (i: number): void => {
    counts[i] = (counts[i] ?? 0) + 1;
    kindsPresent.add((plan.roles[i] as RoleSpec).kind);
    placed++;
  };
  // A service or queue that arrives with none of its callees brings one along while there is
  // room (when one slot is left, preferring a callee that needs nothing more), and so on down
  // the chain.
  const bundle = (start: number): void => {
    let current = start;
    while (placed < total && starving(current)) {
      const calls = plan.calls[current] ?? [];
      const fillCallees = (strict: boolean): boolean => {
        let any = false;
        for (let i = 0; i < roleCount; i++) weights[i] = 0;
        for (const call of calls) {
          const callee = plan.roles[call.callee] as RoleSpec;
          // Never a consumer-less queue as the last node.
          const fits = placed + 2 <= total || !starving(call.callee) || (!strict && callee.kind !== "queue");
          const w = room(call.callee) && fits ? (callee.weight ?? 1) * (kindsPresent.has(callee.kind) ? 1 : 3) : 0;
          weights[call.callee] = w;
          if (w > 0) any = true;
        }
        return any;
      };
      if (!fillCallees(true) && !fillCallees(false)) return;
      const next = pickWeighted(rng, weights);
      const nextStarving = starving(next);
      add(next);
      if (!nextStarving) return;
      current = next;
    }
  };
  for (let i = 0; i < roleCount; i++) if ((counts[i] ?? 0) > 0) bundle(i);
  while (placed < total) {
    // A present service or queue that calls nothing present yet is "hungry": its callees are
    // favoured, so a payment service tends to come with its processor and a queue with a consumer.
    for (let i = 0; i < roleCount; i++) hungry[i] = (counts[i] ?? 0) > 0 && starving(i);
    // Level 2: a new service or queue needs room for one of its callees too. Level 1: a new
    // queue does. Level 0: anything that may grow.
    const fill = (level: number): number => {
      let sum = 0;
      for (let i = 0; i < roleCount; i++) {
        const role = plan.roles[i] as RoleSpec;
        const callers = plan.callers[i] ?? [];
        let w = 0;
        const fits = level === 0 || placed + 2 <= total || !starving(i) || (level === 1 && role.kind !== "queue");
        if (room(i) && fits && callers.some((c) => (counts[c] ?? 0) > 0)) {
          w = (role.weight ?? 1) * (kindsPresent.has(role.kind) ? 1 : 3) * (callers.some((c) => hungry[c] === true) ? 4 : 1);
        }
        weights[i] = w;
        sum += w;
      }
      return sum;
    };
    if (fill(2) === 0 && fill(1) === 0 && fill(0) === 0) throw new Error(`${plan.family.name} cannot hold ${total} nodes`);
    const chosen = pickWeighted(rng, weights);
    const wasStarving = starving(chosen);
    add(chosen);
    if (wasStarving) bundle(chosen);
  }
  return counts;
}

/** An index drawn with probability proportional to its weight (some weight must be positive). */
function pickWeighted(rng: Rng, weights: readonly number[]): number {
  let sum = 0;
  for (const w of weights) sum += w;
  let r = rng.next() * sum;
  let last = -1;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i] ?? 0;
    if (w <= 0) continue;
    last = i;
    r -= w;
    if (r < 0) return i;
  }
  return last;
}

/** Draws `k` distinct items, in draw order. */
function sample<T>(rng: Rng, items: readonly T[], k: number): T[] {
  const pool = items.slice();
  const out: T[] = [];
  for (let i = 0; i < k && pool.length > 0; i++) {
    const j = rng.int(0, pool.length - 1);
    out.push(pool[j] as T);
    pool[j] = pool[pool.length - 1] as T;
    pool.pop();
  }
  return out;
}

const floor2 = (x: number): number => Math.max(0.01, Math.floor(x * 100) / 100);

interface DraftNode {
  name: string;
  kind: NodeKind;
  role: string;
  aliases: readonly string[];
  spec: RoleSpec;
  /** Index of its role in the plan (-1 for infrastructure). */
  roleIndex: number;
}

interface DraftEdge {
  caller: number;
  callee: number;
  spec: CallSpec;
}

/** A generated topology; throws RangeError on options outside 5 <= min <= max <= 40 or an unknown family. */
export function generateTopology(rng: Rng, options: TopologyOptions): Topology {
  const { minServices: min, maxServices: max } = options;
  if (!Number.isInteger(min) || !Number.isInteger(max) || min < MIN_TOPOLOGY_SIZE || max > MAX_TOPOLOGY_SIZE || min > max) {
    throw new RangeError(`topology size must satisfy ${MIN_TOPOLOGY_SIZE} <= min <= max <= ${MAX_TOPOLOGY_SIZE}, got ${min}..${max}`);
  }
  let family: ArchitectureFamily;
  if (options.family !== undefined) {
    const found = familyByName(options.family);
    if (found === undefined) throw new RangeError(`unknown architecture family ${options.family}`);
    family = found;
  } else {
    family = rng.fork("topology/family").pick(FAMILIES);
  }
  const plan = planOf(family);
  const size = rng.fork("topology/size").int(min, max);
  const infraCount = infraCountFor(size);
  const counts = chooseCounts(plan, size - infraCount, rng.fork("topology/roles"));

  // Nodes: roles in callers-first order, then the infrastructure that fits.
  const nameRng = rng.fork("topology/names");
  const drafts: DraftNode[] = [];
  const byRole: number[][] = plan.roles.map(() => []);
  plan.roles.forEach((spec, roleIndex) => {
    const count = counts[roleIndex] ?? 0;
    if (count === 0) return;
    for (const choice of sample(nameRng, spec.names, count)) {
      byRole[roleIndex]?.push(drafts.length);
      drafts.push({ name: choice.name, kind: spec.kind, role: choice.role ?? spec.role, aliases: choice.aliases, spec, roleIndex });
    }
  });
  const included = new Set<NodeKind>(INFRA_ORDER.slice(0, infraCount));
  const infraIndex = new Map<NodeKind, number>();
  for (const kind of INFRA_KINDS) {
    const spec = plan.infra.get(kind);
    if (spec === undefined || !included.has(kind)) continue;
    const choice = nameRng.pick(spec.names);
    infraIndex.set(kind, drafts.length);
    drafts.push({ name: choice.name, kind, role: choice.role ?? spec.role, aliases: choice.aliases, spec, roleIndex: -1 });
  }

  // Request edges, from the role graph: optional calls by their chance, but a node whose role
  // has callees present calls at least one of them.
  const edgeRng = rng.fork("topology/edges");
  const candidates: DraftEdge[][] = drafts.map(() => []);
  const chosen = new Set<string>();
  const key = (caller: number, callee: number): string => `${caller}>${callee}`;
  const hasCaller = new Array<boolean>(drafts.length).fill(false);
  const include = (edge: DraftEdge): void => {
    chosen.add(key(edge.caller, edge.callee));
    hasCaller[edge.callee] = true;
  };
  plan.roles.forEach((_, roleIndex) => {
    for (const caller of byRole[roleIndex] ?? []) {
      const list = candidates[caller] as DraftEdge[];
      for (const call of plan.calls[roleIndex] ?? []) {
        for (const callee of byRole[call.callee] ?? []) {
          const edge = { caller, callee, spec: call.spec };
          list.push(edge);
          if (call.spec.chance === undefined || edgeRng.chance(call.spec.chance)) include(edge);
        }
      }
      if (list.length > 0 && !list.some((e) => chosen.has(key(e.caller, e.callee)))) include(edgeRng.pick(list));
    }
  });
  // Orphans get a caller from a present caller role (earlier in the order, so no cycle).
  drafts.forEach((node, i) => {
    if (node.roleIndex <= 0 || hasCaller[i]) return;
    const options: DraftEdge[] = [];
    for (const callerRole of plan.callers[node.roleIndex] ?? []) {
      for (const caller of byRole[callerRole] ?? []) {
        for (const edge of candidates[caller] ?? []) if (edge.callee === i) options.push(edge);
      }
    }
    include(edgeRng.pick(options));
  });
  // Each caller's edges in call-spec order.
  const out = candidates.map((list) => list.filter((e) => chosen.has(key(e.caller, e.callee))));

  // Call rates and policies, callers first.
  const rateRng = rng.fork("topology/rates");
  const policyRng = rng.fork("topology/policies");
  const inbound = new Array<number>(drafts.length).fill(0);
  inbound[0] = rateRng.int(family.traffic[0], family.traffic[1]);
  const edges: DependencyEdge[] = [];
  drafts.forEach((node, i) => {
    const list = out[i] ?? [];
    const shares = list.map((edge) => rateRng.range(edge.spec.share[0], edge.spec.share[1]));
    if (node.kind === "gateway" && shares.length > 0) {
      // The gateway routes each request to one upstream: its shares split 90-100 % of the traffic.
      const scale = rateRng.range(0.9, 1) / shares.reduce((a, b) => a + b, 0);
      for (let k = 0; k < shares.length; k++) shares[k] = (shares[k] ?? 0) * scale;
    }
    list.forEach((edge, k) => {
      const callee = drafts[edge.callee] as DraftNode;
      const rate = floor2((inbound[i] ?? 0) * (shares[k] ?? 0));
      inbound[edge.callee] = Math.round(((inbound[edge.callee] ?? 0) + rate) * 100) / 100;
      const policy: CallPolicy = { ...policyFor(family, callee.kind), ...edge.spec.policy };
      edges.push({ caller: node.name, callee: callee.name, callsPerSecond: rate, ...drawPolicy(policyRng, policy), requestPath: true });
    });
  });
  for (const infraKind of ["dns", "config"] as const) {
    const target = infraIndex.get(infraKind);
    if (target === undefined) continue;
    const callee = drafts[target] as DraftNode;
    const rates = INFRA_CALL_RATES[infraKind];
    for (const node of drafts) {
      if (node.kind !== "gateway" && node.kind !== "service") continue;
      const rate = Math.max(rates[0], Math.floor(rateRng.range(rates[0], rates[1]) * 100) / 100);
      edges.push({
        caller: node.name,
        callee: callee.name,
        callsPerSecond: rate,
        ...drawPolicy(policyRng, policyFor(family, infraKind)),
        requestPath: false,
      });
    }
  }

  // Replicas, versions, zones, aliases.
  const attrRng = rng.fork("topology/attributes");
  const zoneCount = attrRng.chance(0.35) ? 3 : 2;
  const zones = ["az1", "az2", "az3"].slice(0, zoneCount);
  const zoned = drafts.map((_, i) => i).filter((i) => drafts[i]?.kind !== "vendor" && drafts[i]?.kind !== "dns");
  const zoneOf = new Array<string>(drafts.length).fill("");
  const offset = attrRng.int(0, zoneCount - 1);
  sample(attrRng, zoned, zoned.length).forEach((i, k) => {
    zoneOf[i] = zones[(offset + k) % zoneCount] as string;
  });
  const aliases = resolveAliases(drafts);
  const nodes: ServiceNode[] = drafts.map((d, i) => {
    const [lo, hi] = d.spec.replicas ?? REPLICA_BOUNDS[d.kind];
    return {
      name: d.name,
      kind: d.kind,
      role: d.role,
      aliases: aliases[i] ?? [],
      replicas: attrRng.int(lo, hi),
      version: `v${attrRng.int(1, 5)}.${attrRng.int(0, 30)}.${attrRng.int(0, 20)}`,
      zone: zoneOf[i] ?? "",
    };
  });
  return { family: family.name, nodes, edges };
}

function drawPolicy(rng: Rng, policy: CallPolicy): { timeoutMs: number; retries: number; backoff: RetryBackoff } {
  const [lo, hi] = policy.timeoutMs;
  const timeoutMs = Math.min(hi, Math.max(lo, rng.int(Math.ceil(lo / 50), Math.floor(hi / 50)) * 50));
  const retries = rng.int(policy.retries[0], policy.retries[1]);
  const backoff: RetryBackoff = retries > 0 && rng.chance(policy.noBackoffChance) ? "none" : "exponential";
  return { timeoutMs, retries, backoff };
}
