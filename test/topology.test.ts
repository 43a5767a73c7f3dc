/**
 * The seeded topology generator (src/scenarios/topology-generator.ts) and the architecture
 * families it draws from (src/scenarios/families): structure, names and aliases, edge policies,
 * determinism, variety and speed, swept over many seeds, every size range and every family.
 */
import { describe, expect, it } from "vitest";
import { FAMILIES, familyByName } from "../src/scenarios/families/index.js";
import {
  INFRA_CALL_RATES,
  INFRA_KINDS,
  INFRA_ORDER,
  POLICY_BOUNDS,
  REPLICA_BOUNDS,
  STORE_KINDS,
  TRAFFIC_BOUNDS,
  infraCountFor,
} from "../src/scenarios/families/types.js";
import { KIND_WORDS, NEVER_ALIASES, normalizeServiceName } from "../src/scenarios/names.js";
import { generateTopology, validateFamily } from "../src/scenarios/topology-generator.js";
import type { NodeKind } from "../src/sim/model.js";
import { Rng } from "../src/sim/prng.js";
import { TopologyIndex, type Topology } from "../src/sim/topology.js";

const RANGES: readonly (readonly [string, number, number])[] = [
  ["easy", 5, 12],
  ["medium", 8, 20],
  ["hard", 15, 40],
];
const SEEDS = 500;
const REQUIRED_FAMILIES = ["web-shop", "payments", "media-feed", "data-pipeline"];
const NAME_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Every property a generated topology must have; returns the first few problems found. */
function problemsOf(t: Topology, min: number, max: number): string[] {
  const problems: string[] = [];
  const fail = (message: string): void => {
    problems.push(message);
  };
  const size = t.nodes.length;
  if (size < min || size > max) fail(`size ${size} outside ${min}..${max}`);
  if (familyByName(t.family) === undefined) fail(`unknown family ${t.family}`);

  // Names.
  const names = new Set<string>();
  for (const node of t.nodes) {
    if (!NAME_PATTERN.test(node.name)) fail(`bad name ${node.name}`);
    if (names.has(node.name)) fail(`duplicate name ${node.name}`);
    names.add(node.name);
  }
  const normalizedNames = new Set(t.nodes.map((n) => normalizeServiceName(n.name)));

  // Aliases.
  const kindCount = new Map<NodeKind, number>();
  for (const node of t.nodes) kindCount.set(node.kind, (kindCount.get(node.kind) ?? 0) + 1);
  const aliasOwner = new Map<string, string>();
  for (const node of t.nodes) {
    for (const alias of node.aliases) {
      const key = normalizeServiceName(alias);
      if (key.length < 2) fail(`${node.name}: alias too short "${alias}"`);
      if (normalizedNames.has(key)) fail(`${node.name}: alias "${alias}" is a node name`);
      if (NEVER_ALIASES.has(key)) fail(`${node.name}: generic alias "${alias}"`);
      const kindWord = KIND_WORDS.get(key);
      if (kindWord !== undefined && (kindWord !== node.kind || kindCount.get(node.kind) !== 1))
        fail(`${node.name}: ambiguous kind word "${alias}"`);
      const owner = aliasOwner.get(key);
      if (owner !== undefined) fail(`alias "${alias}" on ${owner} and ${node.name}`);
      aliasOwner.set(key, node.name);
    }
  }

  // Node attributes.
  const zonesUsed = new Set<string>();
  for (const node of t.nodes) {
    const [lo, hi] = REPLICA_BOUNDS[node.kind];
    if (!Number.isInteger(node.replicas) || node.replicas < lo || node.replicas > hi || node.replicas < 1 || node.replicas > 12)
      fail(`${node.name}: replicas ${node.replicas}`);
    if (!/^v\d+\.\d+\.\d+$/.test(node.version)) fail(`${node.name}: version ${node.version}`);
    if (node.role.trim() === "" || node.role.includes("\n")) fail(`${node.name}: role`);
    if (node.kind === "vendor" || node.kind === "dns") {
      if (node.zone !== "") fail(`${node.name}: zone-less kind in zone ${node.zone}`);
    } else {
      if (!/^az[123]$/.test(node.zone)) fail(`${node.name}: zone "${node.zone}"`);
      zonesUsed.add(node.zone);
    }
  }
  if (zonesUsed.size < 2) fail(`only ${zonesUsed.size} zone(s) used`);

  // Kinds and the infrastructure rule.
  const gateways = t.nodes.filter((n) => n.kind === "gateway");
  if (gateways.length !== 1) fail(`${gateways.length} gateways`);
  if (!t.nodes.some((n) => n.kind === "service")) fail("no service");
  if (!t.nodes.some((n) => STORE_KINDS.includes(n.kind))) fail("no data store");
  const expectedInfra = new Set<NodeKind>(INFRA_ORDER.slice(0, infraCountFor(size)));
  for (const kind of INFRA_KINDS) {
    const count = kindCount.get(kind) ?? 0;
    if (count !== (expectedInfra.has(kind) ? 1 : 0)) fail(`${count} ${kind} nodes at size ${size}`);
  }

  // Edges.
  const byName = new Map(t.nodes.map((n) => [n.name, n]));
  const pairs = new Set<string>();
  for (const e of t.edges) {
    const caller = byName.get(e.caller);
    const callee = byName.get(e.callee);
    if (caller === undefined || callee === undefined) {
      fail(`edge ${e.caller} -> ${e.callee} names an unknown node`);
      continue;
    }
    if (e.caller === e.callee) fail(`self edge on ${e.caller}`);
    const pair = `${e.caller}>${e.callee}`;
    if (pairs.has(pair)) fail(`duplicate edge ${pair}`);
    pairs.add(pair);
    const bounds = POLICY_BOUNDS[callee.kind];
    if (!Number.isInteger(e.timeoutMs) || e.timeoutMs < bounds.timeoutMs[0] || e.timeoutMs > bounds.timeoutMs[1])
      fail(`${pair}: timeout ${e.timeoutMs}`);
    if (!Number.isInteger(e.retries) || e.retries < 0 || e.retries > 3) fail(`${pair}: retries ${e.retries}`);
    if (e.backoff !== "none" && e.backoff !== "exponential") fail(`${pair}: backoff ${String(e.backoff)}`);
    if (!(e.callsPerSecond > 0)) fail(`${pair}: rate ${e.callsPerSecond}`);
    if (callee.kind === "network" || caller.kind === "network") fail(`${pair}: network edge`);
    if (INFRA_KINDS.includes(caller.kind)) fail(`${pair}: infrastructure calls out`);
    if (e.requestPath) {
      if (INFRA_KINDS.includes(callee.kind)) fail(`${pair}: request edge into infrastructure`);
      if (callee.kind === "gateway") fail(`${pair}: request edge into the gateway`);
    } else {
      if (callee.kind !== "dns" && callee.kind !== "config") fail(`${pair}: non-request edge into ${callee.kind}`);
      if (caller.kind !== "gateway" && caller.kind !== "service") fail(`${pair}: ${caller.kind} on an infrastructure edge`);
      const rates = INFRA_CALL_RATES[callee.kind === "dns" ? "dns" : "config"];
      if (e.callsPerSecond < rates[0] || e.callsPerSecond > rates[1]) fail(`${pair}: infra rate ${e.callsPerSecond}`);
    }
  }
  // Every gateway and service calls dns and config (when present) exactly once.
  for (const node of t.nodes) {
    if (node.kind !== "gateway" && node.kind !== "service") continue;
    for (const kind of ["dns", "config"] as const) {
      if (!expectedInfra.has(kind)) continue;
      const n = t.edges.filter((e) => e.caller === node.name && !e.requestPath && byName.get(e.callee)?.kind === kind).length;
      if (n !== 1) fail(`${node.name} has ${n} edges to ${kind}`);
    }
  }

  // The index, acyclicity, entry points, reachability.
  let index: TopologyIndex;
  try {
    index = new TopologyIndex(t);
  } catch (error) {
    fail(`TopologyIndex: ${(error as Error).message}`);
    return problems;
  }
  if (index.calleesFirst.length !== size) fail("calleesFirst misses nodes");
  const entries = index.entryPoints().filter((n) => !INFRA_KINDS.includes(n.kind));
  if (entries.length !== 1 || entries[0]?.kind !== "gateway") fail(`entry points ${entries.map((n) => n.name).join(",")}`);
  const gateway = gateways[0];
  if (gateway !== undefined) {
    const reached = new Set([gateway.name]);
    const queue = [gateway.name];
    while (queue.length > 0) {
      const current = queue.pop() as string;
      for (const e of index.callees(current)) {
        if (e.requestPath && !reached.has(e.callee)) {
          reached.add(e.callee);
          queue.push(e.callee);
        }
      }
    }
    for (const node of t.nodes) {
      if (!INFRA_KINDS.includes(node.kind) && !reached.has(node.name)) fail(`${node.name} unreachable from ${gateway.name}`);
    }
  }
  // Queues deliver to at least one consumer.
  for (const node of t.nodes) {
    if (node.kind === "queue" && !index.callees(node.name).some((e) => e.requestPath)) fail(`queue ${node.name} has no consumer`);
  }
  // The gateway routes 90-100 % of the family's traffic to its upstreams.
  const family = familyByName(t.family);
  if (gateway !== undefined && family !== undefined) {
    const routed = index
      .callees(gateway.name)
      .filter((e) => e.requestPath)
      .reduce((s, e) => s + e.callsPerSecond, 0);
    if (routed < 0.9 * family.traffic[0] - 1 || routed > family.traffic[1])
      fail(`gateway routes ${routed}/s, family traffic ${family.traffic.join("..")}`);
    if (family.traffic[0] < TRAFFIC_BOUNDS[0] || family.traffic[1] > TRAFFIC_BOUNDS[1]) fail("family traffic out of bounds");
  }
  // Call rates never grow along a path: each request edge carries at most its caller's inbound rate.
  for (const node of t.nodes) {
    const out = index.callees(node.name).filter((e) => e.requestPath);
    const inbound =
      node.kind === "gateway"
        ? TRAFFIC_BOUNDS[1]
        : index
            .callers(node.name)
            .filter((e) => e.requestPath)
            .reduce((s, e) => s + e.callsPerSecond, 0);
    for (const e of out) {
      if (e.callsPerSecond > inbound + 1e-6) fail(`${e.caller} -> ${e.callee}: ${e.callsPerSecond}/s above inbound ${inbound}/s`);
    }
  }
  return problems.slice(0, 5);
}

function generate(seed: number, min: number, max: number, family?: string): Topology {
  return generateTopology(
    new Rng(seed),
    family === undefined ? { minServices: min, maxServices: max } : { family, minServices: min, maxServices: max },
  );
}

describe("architecture families", () => {
  it("include the required families and more", () => {
    for (const name of REQUIRED_FAMILIES) expect(familyByName(name)?.name).toBe(name);
    expect(FAMILIES.length).toBeGreaterThanOrEqual(4);
    expect(new Set(FAMILIES.map((f) => f.name)).size).toBe(FAMILIES.length);
    expect(familyByName("nope")).toBeUndefined();
  });

  it.each(FAMILIES.map((f) => [f.name, f] as const))("%s is well-formed data", (_, family) => {
    expect(validateFamily(family)).toEqual([]);
    const kinds = new Set(family.roles.map((r) => r.kind));
    for (const kind of ["gateway", "service", "database", "cache", "queue", "search", "vendor", "network", "dns", "config"] as const) {
      expect(kinds.has(kind), `${family.name} has no ${kind}`).toBe(true);
    }
  });
});

describe("generateTopology", () => {
  for (const [level, min, max] of RANGES) {
    it(`${level} (${min}..${max}): ${SEEDS} seeds, drawn families`, () => {
      const sizes = new Set<number>();
      for (let seed = 0; seed < SEEDS; seed++) {
        const t = generate(seed, min, max);
        expect(problemsOf(t, min, max), `seed ${seed}`).toEqual([]);
        sizes.add(t.nodes.length);
      }
      expect(sizes.size).toBe(max - min + 1);
    });

    it.each(FAMILIES.map((f) => f.name))(`${level} (${min}..${max}): ${SEEDS} seeds of %s`, (family) => {
      for (let seed = 0; seed < SEEDS; seed++) {
        const t = generate(seed * 7919 + 13, min, max, family);
        expect(t.family).toBe(family);
        expect(problemsOf(t, min, max), `seed ${seed}`).toEqual([]);
      }
    });
  }

  it.each([
    [5, 5],
    [6, 6],
    [7, 7],
    [40, 40],
    [5, 40],
  ])("honours %i..%i for every family", (min, max) => {
    for (const family of FAMILIES) {
      for (let seed = 0; seed < 100; seed++) {
        const t = generate(seed, min, max, family.name);
        expect(problemsOf(t, min, max), `${family.name} seed ${seed}`).toEqual([]);
      }
    }
  });

  it("keeps the smallest topologies useful: gateway, a service, a store, config", () => {
    for (let seed = 0; seed < 300; seed++) {
      const t = generate(seed, 5, 5);
      const kinds = t.nodes.map((n) => n.kind);
      expect(kinds.filter((k) => k === "gateway")).toHaveLength(1);
      expect(kinds).toContain("service");
      expect(kinds.some((k) => STORE_KINDS.includes(k))).toBe(true);
      expect(kinds).toContain("config");
      expect(kinds).not.toContain("dns");
      expect(kinds).not.toContain("network");
    }
  });

  it("is deterministic: one seed, one topology", () => {
    for (let seed = 0; seed < 200; seed++) {
      expect(generate(seed, 5, 40)).toEqual(generate(seed, 5, 40));
      expect(generate(seed, 8, 20, "payments")).toEqual(generate(seed, 8, 20, "payments"));
    }
    // A fork of the same seed gives the same topology regardless of draws on the parent.
    const a = new Rng(99);
    const b = new Rng(99);
    b.next();
    b.next();
    expect(generateTopology(a, { minServices: 15, maxServices: 40 })).toEqual(generateTopology(b, { minServices: 15, maxServices: 40 }));
  });

  it("varies with the seed: families, sizes, names, policies", () => {
    const families = new Set<string>();
    const sizes = new Set<number>();
    const gatewayNames = new Set<string>();
    const fingerprints = new Set<string>();
    for (let seed = 0; seed < 200; seed++) {
      const t = generate(seed, 5, 40);
      families.add(t.family);
      sizes.add(t.nodes.length);
      gatewayNames.add(t.nodes.find((n) => n.kind === "gateway")?.name ?? "");
      fingerprints.add(JSON.stringify(t));
    }
    expect(families.size).toBeGreaterThanOrEqual(4);
    expect(sizes.size).toBeGreaterThanOrEqual(25);
    expect(gatewayNames.size).toBeGreaterThanOrEqual(3);
    expect(fingerprints.size).toBe(200);

    // Within one family and one size, the roles and names still vary.
    const nodeSets = new Set<string>();
    for (let seed = 0; seed < 50; seed++) {
      nodeSets.add(
        generate(seed, 12, 12, "web-shop")
          .nodes.map((n) => n.name)
          .sort()
          .join(","),
      );
    }
    expect(nodeSets.size).toBeGreaterThan(40);
  });

  it("mixes retry policies: mostly exponential backoff, some retries with none", () => {
    let retrying = 0;
    let noBackoff = 0;
    let noRetries = 0;
    for (let seed = 0; seed < 300; seed++) {
      for (const e of generate(seed, 15, 40).edges) {
        if (!e.requestPath) continue;
        if (e.retries === 0) noRetries++;
        else {
          retrying++;
          if (e.backoff === "none") noBackoff++;
        }
      }
    }
    expect(noBackoff).toBeGreaterThan(0);
    expect(noBackoff / retrying).toBeLessThan(0.3);
    expect(noRetries).toBeGreaterThan(0);
  });

  it("gives data stores their shared generic alias only when they are alone of their kind", () => {
    let single = 0;
    for (let seed = 0; seed < 300; seed++) {
      const t = generate(seed, 5, 20);
      const databases = t.nodes.filter((n) => n.kind === "database");
      for (const db of databases) {
        const hasGeneric = db.aliases.some((a) => normalizeServiceName(a) === "database");
        expect(hasGeneric, `${db.name} in a topology with ${databases.length} databases`).toBe(databases.length === 1);
        if (databases.length === 1) single++;
      }
      expect(t.nodes.find((n) => n.kind === "gateway")?.aliases).toContain("gateway");
    }
    expect(single).toBeGreaterThan(0);
  });

  it("has a checker that catches broken topologies", () => {
    const t = generate(42, 20, 20, "web-shop");
    expect(problemsOf(t, 20, 20)).toEqual([]);
    const service = t.nodes.find((n) => n.kind === "service" && n.name !== t.edges[0]?.caller);
    const gateway = t.nodes.find((n) => n.kind === "gateway");
    const store = t.nodes.find((n) => n.kind === "database");
    if (service === undefined || gateway === undefined || store === undefined) throw new Error("fixture lacks kinds");
    const request = t.edges.filter((e) => e.requestPath);
    const broken: Topology[] = [
      // a cycle
      { ...t, edges: [...t.edges, { ...(request[0] as (typeof request)[0]), caller: store.name, callee: gateway.name }] },
      // an unreachable node
      { ...t, edges: t.edges.filter((e) => !(e.requestPath && e.callee === store.name)) },
      // an alias two nodes share
      { ...t, nodes: t.nodes.map((n) => (n === service || n === store ? { ...n, aliases: [...n.aliases, "shared thing"] } : n)) },
      // an alias that is another node's name
      { ...t, nodes: t.nodes.map((n) => (n === service ? { ...n, aliases: [store.name.replace(/-/g, " ")] } : n)) },
      // a timeout out of bounds
      { ...t, edges: t.edges.map((e, i) => (i === 0 ? { ...e, timeoutMs: 60000 } : e)) },
      // a call rate above its caller's inbound rate
      { ...t, edges: t.edges.map((e) => (e.requestPath && e.caller !== gateway.name ? { ...e, callsPerSecond: 1e6 } : e)) },
      // a missing dns node
      {
        ...t,
        nodes: t.nodes.filter((n) => n.kind !== "dns"),
        edges: t.edges.filter((e) => t.nodes.find((n) => n.name === e.callee)?.kind !== "dns"),
      },
      // a second gateway
      { ...t, nodes: [...t.nodes, { ...gateway, name: "second-gateway", aliases: [] }] },
    ];
    for (const [i, topology] of broken.entries()) {
      expect(problemsOf(topology, 5, 40).length, `corruption ${i}`).toBeGreaterThan(0);
    }
  });

  it("rejects bad options", () => {
    const rng = new Rng(1);
    expect(() => generateTopology(rng, { minServices: 4, maxServices: 10 })).toThrow(RangeError);
    expect(() => generateTopology(rng, { minServices: 5, maxServices: 41 })).toThrow(RangeError);
    expect(() => generateTopology(rng, { minServices: 12, maxServices: 8 })).toThrow(RangeError);
    expect(() => generateTopology(rng, { minServices: 5, maxServices: 12, family: "mainframe" })).toThrow(RangeError);
  });

  it("is fast: a 40-node topology in well under a millisecond on average", () => {
    for (let seed = 0; seed < 100; seed++) generate(seed, 40, 40); // warm up
    const runs = 1000;
    const start = performance.now();
    let nodes = 0;
    for (let seed = 0; seed < runs; seed++) nodes += generate(seed, 40, 40).nodes.length;
    const mean = (performance.now() - start) / runs;
    console.log(`generateTopology: ${mean.toFixed(4)} ms mean over ${runs} seeds at 40 nodes`);
    expect(nodes).toBe(40 * runs);
    expect(mean).toBeLessThan(5);
  });
});
