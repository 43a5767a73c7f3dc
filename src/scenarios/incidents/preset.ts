/**
 * A compact way to write a hand-made incident (a preset): its services, who calls whom, the
 * fault and where it strikes, and the story text it keeps. Infrastructure edges (every gateway
 * and service looks up DNS and reads config) are added here so presets need not list them.
 */
import type { Distractor, IncidentSpec, Narrative } from "../../sim/incident.js";
import type { NodeKind } from "../../sim/model.js";
import type { DependencyEdge, RetryBackoff, ServiceNode } from "../../sim/topology.js";
import type { FaultKind } from "../../sim/fault-types.js";
import { FAULTS } from "../faults/index.js";
import type { Level } from "../../sim/vocabulary.js";

interface PresetNode {
  name: string;
  kind: NodeKind;
  role: string;
  aliases?: readonly string[];
  replicas?: number;
  version?: string;
  zone?: string;
}

/** [caller, callee, calls per second, timeout ms?, retries?, backoff?] */
type PresetCall = readonly [string, string, number, number?, number?, RetryBackoff?];

interface PresetDefinition {
  id: string;
  level: Level;
  title: string;
  family: string;
  nodes: readonly PresetNode[];
  calls: readonly PresetCall[];
  fault: FaultKind;
  root: string;
  onsetMinute: number;
  /** ISO time of minute 0. */
  startedAt: string;
  previousVersion?: string;
  details?: Readonly<Record<string, string>>;
  distractors?: readonly Distractor[];
  narrative?: Narrative;
}

const DEFAULT_TIMEOUT_MS: Readonly<Record<NodeKind, number>> = {
  gateway: 5000,
  service: 3000,
  database: 1000,
  cache: 100,
  queue: 500,
  search: 1500,
  vendor: 10000,
  network: 1000,
  dns: 200,
  config: 2000,
};
const DEFAULT_REPLICAS: Readonly<Record<NodeKind, number>> = {
  gateway: 4,
  service: 4,
  database: 1,
  cache: 2,
  queue: 3,
  search: 3,
  vendor: 1,
  network: 1,
  dns: 2,
  config: 1,
};

export function buildPreset(def: PresetDefinition): IncidentSpec {
  const nodes: ServiceNode[] = def.nodes.map((n) => ({
    name: n.name,
    kind: n.kind,
    role: n.role,
    aliases: n.aliases ?? [],
    replicas: n.replicas ?? DEFAULT_REPLICAS[n.kind],
    version: n.version ?? "v1.0.0",
    zone: n.zone ?? (n.kind === "vendor" || n.kind === "dns" ? "" : "az1"),
  }));
  const kindOf = new Map(nodes.map((n) => [n.name, n.kind]));
  const edges: DependencyEdge[] = def.calls.map(([caller, callee, callsPerSecond, timeoutMs, retries, backoff]) => {
    const calleeKind = kindOf.get(callee);
    if (!kindOf.has(caller) || !calleeKind) throw new Error(`${def.id}: call ${caller} -> ${callee} names an unknown node`);
    return {
      caller,
      callee,
      callsPerSecond,
      timeoutMs: timeoutMs ?? DEFAULT_TIMEOUT_MS[calleeKind],
      retries: retries ?? 1,
      backoff: backoff ?? "exponential",
      requestPath: true,
    };
  });
  for (const infra of nodes.filter((n) => n.kind === "dns" || n.kind === "config")) {
    for (const node of nodes.filter((n) => n.kind === "gateway" || n.kind === "service")) {
      edges.push({
        caller: node.name,
        callee: infra.name,
        callsPerSecond: 2,
        timeoutMs: DEFAULT_TIMEOUT_MS[infra.kind],
        retries: 1,
        backoff: "exponential",
        requestPath: false,
      });
    }
  }
  const fault = FAULTS[def.fault];
  if (!kindOf.has(def.root)) throw new Error(`${def.id}: root ${def.root} is not a node`);
  const details = { ...Object.fromEntries(Object.entries(fault.details).map(([k, v]) => [k, v[0] ?? ""])), ...def.details };
  return {
    id: def.id,
    level: def.level,
    title: def.title,
    topology: { family: def.family, nodes, edges },
    fault,
    root: def.root,
    onsetMinute: def.onsetMinute,
    details,
    previousVersion: def.previousVersion ?? "v0.9.9",
    distractors: def.distractors ?? [],
    ...(def.narrative ? { narrative: def.narrative } : {}),
    startedAtMs: Date.parse(def.startedAt),
    phrasing: "public",
    // Presets keep their hand-written articles (narrative.kb), shown instead of pool articles.
    kb: [],
  };
}
