/**
 * A small hand-made incident and a driver that plays scripted actions against it, for the v2
 * episode graders (src/grading/episode). The driver does what an episode does with each action:
 * records the minute, applies apply_fix remediations, runs inspections, then lets 5 simulated
 * minutes pass. It keeps `evidence` the way the episode does (services on the page, in the
 * overview, alerting or in the last 20 log lines, from the minute they showed; inspected ones from
 * the inspection) and builds the EpisodeRecord from the world, so tests
 * grade realistic trajectories rather than hand-typed facts.
 *
 * Topology:
 *
 *   api-gateway --> orders-service --> orders-db (root: connection_pool_exhaustion)
 *               |                  \-> redis-cache
 *               \-> catalog-service -> redis-cache
 *   every gateway/service also reads coredns and deploy-controller (non-request edges).
 */
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { ActionSchema, type Action, type PostmortemSections } from "../../gen/incident/v1/action_pb.js";
import { ActionType, FaultKind, RemediationKind, Severity } from "../../gen/incident/v1/enums_pb.js";
import type { EpisodeRecord, StepRecord } from "../../src/grading/record.js";
import type { RemediationKind as DomainRemediationKind } from "../../src/sim/fault-types.js";
import { connectionPoolExhaustion } from "../../src/scenarios/faults/connection-pool-exhaustion.js";
import { chooseKbArticles } from "../../src/scenarios/kb/index.js";
import { resolveService } from "../../src/scenarios/service-names.js";
import type { SeverityWord } from "../../src/sim/vocabulary.js";
import type { IncidentSpec } from "../../src/sim/incident.js";
import { IncidentWorld } from "../../src/sim/incident-world.js";
import { Rng } from "../../src/sim/prng.js";
import type { DependencyEdge, ServiceNode, Topology } from "../../src/sim/topology.js";

export const MINUTES_PER_STEP = 5;
export const ROOT = "orders-db";
/** 2024-05-14 09:00:00 UTC: minute 0, when the responder joins. */
export const STARTED_AT_MS = Date.UTC(2024, 4, 14, 9, 0, 0);

function node(name: string, kind: ServiceNode["kind"], role: string, aliases: readonly string[], zone = "az1", replicas = 3): ServiceNode {
  return { name, kind, role, aliases, replicas, version: "v1.4.2", zone };
}

function edge(caller: string, callee: string, callsPerSecond: number, requestPath = true): DependencyEdge {
  return { caller, callee, callsPerSecond, timeoutMs: 2000, retries: 1, backoff: "exponential", requestPath };
}

export const FIXTURE_TOPOLOGY: Topology = {
  family: "test-shop",
  nodes: [
    node("api-gateway", "gateway", "public HTTP entry point", ["gateway", "edge gateway"]),
    node("orders-service", "service", "takes and lists orders", ["orders", "order service"]),
    node("catalog-service", "service", "product catalog", ["catalog"], "az2"),
    node(ROOT, "database", "PostgreSQL primary for orders", ["orders database", "orders postgres"]),
    node("redis-cache", "cache", "Redis cache for sessions and products", ["redis", "cache"]),
    node("deploy-controller", "config", "deploy and configuration system", ["deployer"], "az1", 1),
    node("coredns", "dns", "cluster DNS resolver", ["cluster dns"], "", 2),
  ],
  edges: [
    edge("api-gateway", "orders-service", 300),
    edge("api-gateway", "catalog-service", 500),
    edge("orders-service", ROOT, 600),
    edge("orders-service", "redis-cache", 400),
    edge("catalog-service", "redis-cache", 900),
    ...["api-gateway", "orders-service", "catalog-service"].flatMap((n) => [
      edge(n, "coredns", 20, false),
      edge(n, "deploy-controller", 1, false),
    ]),
  ],
};

export const SERVICE_NAMES: readonly string[] = FIXTURE_TOPOLOGY.nodes.map((n) => n.name);

export function fixtureSpec(overrides: Partial<IncidentSpec> = {}): IncidentSpec {
  return {
    id: "TEST-POOL-001",
    level: "hard",
    title: "Orders database refuses connections",
    topology: FIXTURE_TOPOLOGY,
    fault: connectionPoolExhaustion,
    root: ROOT,
    onsetMinute: -10,
    details: { replicas_before: "6", replicas: "24" },
    previousVersion: "v1.4.1",
    distractors: [],
    startedAtMs: STARTED_AT_MS,
    phrasing: "public",
    kb: chooseKbArticles(connectionPoolExhaustion.kind, "public", new Rng(7).fork("kb")),
    ...overrides,
  };
}

// ---- actions ----

export function action(init: MessageInitShape<typeof ActionSchema>): Action {
  return create(ActionSchema, init);
}

export function inspect(target: string, reasoning = `look at ${target}`): Action {
  return action({ actionType: ActionType.INSPECT, reasoning, targetService: target });
}

export function diagnose(target: string, faultKind?: FaultKind, reasoning = `${target} is the root cause`): Action {
  return action({ actionType: ActionType.DIAGNOSE, reasoning, targetService: target, ...(faultKind !== undefined ? { faultKind } : {}) });
}

export function fix(target: string, kind: RemediationKind, parameters: Record<string, string> = {}, reasoning = "apply the fix"): Action {
  return action({ actionType: ActionType.APPLY_FIX, reasoning, targetService: target, remediation: { kind, parameters } });
}

export function runbook(steps: readonly string[], target?: string): Action {
  return action({
    actionType: ActionType.WRITE_RUNBOOK,
    reasoning: "runbook",
    runbookSteps: [...steps],
    ...(target !== undefined ? { targetService: target } : {}),
  });
}

export function postmortem(
  sections: Partial<Omit<PostmortemSections, "$typeName" | "$unknown">>,
  severity?: SeverityWord,
  target?: string,
): Action {
  return action({
    actionType: ActionType.WRITE_POSTMORTEM,
    reasoning: "postmortem",
    postmortemSections: sections,
    ...(severity !== undefined ? { severityAssessment: Severity[severity] } : {}),
    ...(target !== undefined ? { targetService: target } : {}),
  });
}

// ---- the driver ----

export interface Played {
  record: EpisodeRecord;
  world: IncidentWorld;
  /** The record as it stood after each step (index 0 = after step 1). */
  records: EpisodeRecord[];
}

export interface PlayOptions {
  spec?: IncidentSpec;
  seed?: number;
  /**
   * Services the responder is taken to have seen at minute 0, instead of what the observations
   * show; later observations then add nothing (only inspections do). For tests of the evidence cap.
   */
  initialEvidence?: readonly string[];
}

function domainRemediation(kind: RemediationKind): DomainRemediationKind | undefined {
  if (kind === RemediationKind.UNSPECIFIED) return undefined;
  const name = RemediationKind[kind];
  return name === undefined ? undefined : (name.toLowerCase() as DomainRemediationKind);
}

/** Log lines the observation shows (the episode's journal tail). */
const RECENT_LOG_LINES = 20;

/**
 * Plays the actions in order, one step each, and returns the record after the last. Evidence
 * follows the episode (src/env/episode.ts): before the first step and after every step, the page,
 * the overview, the active alerts and the last 20 log lines count as seen from that minute on;
 * an inspected service counts from the minute of the inspection. `initialEvidence` replaces what
 * the first observation showed (for a world whose page says less).
 */
export function play(actions: readonly Action[], options: PlayOptions = {}): Played {
  const spec = options.spec ?? fixtureSpec();
  const world = new IncidentWorld(spec, options.seed ?? 7);
  const evidence = new Map<string, number>();
  const inspected = new Map<string, number>();
  const logs = world.openingLogs();
  const see = (service: string, minute: number): void => {
    if (!evidence.has(service)) evidence.set(service, minute);
  };
  const observe = (): void => {
    const page = world.page();
    if (page) see(page.node, world.minute);
    for (const r of world.overview()) see(r.service, world.minute);
    for (const a of world.alerts.active()) see(a.node, world.minute);
    for (const line of logs.slice(-RECENT_LOG_LINES)) see(line.service, world.minute);
  };
  if (options.initialEvidence) for (const s of options.initialEvidence) see(s, world.minute);
  else observe();

  const steps: StepRecord[] = [];
  const records: EpisodeRecord[] = [];
  actions.forEach((a, i) => {
    const step = i + 1;
    const minute = world.minute;
    const target = resolveService(a.targetService, spec.topology.nodes)?.name;
    const record: StepRecord = { step, minute, action: a, ...(target !== undefined ? { target } : {}) };
    if (a.actionType === ActionType.APPLY_FIX && target !== undefined && a.remediation) {
      const kind = domainRemediation(a.remediation.kind);
      if (kind) record.remediation = world.applyRemediation({ kind, target, parameters: { ...a.remediation.parameters } });
    } else if (a.actionType === ActionType.INSPECT && target !== undefined) {
      world.inspect(target);
      see(target, minute);
      if (!inspected.has(target)) inspected.set(target, step);
    }
    steps.push(record);
    logs.push(...world.advance(MINUTES_PER_STEP));
    if (!options.initialEvidence) observe();
    records.push(snapshot(world, spec, steps, evidence, inspected));
  });
  return { record: records[records.length - 1] ?? snapshot(world, spec, steps, evidence, inspected), world, records };
}

function snapshot(
  world: IncidentWorld,
  spec: IncidentSpec,
  steps: readonly StepRecord[],
  evidence: ReadonlyMap<string, number>,
  inspected: ReadonlyMap<string, number>,
): EpisodeRecord {
  return {
    spec,
    world: {
      minute: world.minute,
      startedAtMs: spec.startedAtMs,
      timeline: world.timeline().map((e) => ({ ...e })),
      impact: world.impact(),
      severity: world.severity(),
      healthy: world.isHealthy(),
      healthHeld: world.healthHeld(),
      pageMinute: world.page()?.firedAtMinute ?? 0,
    },
    steps: [...steps],
    evidence: new Map(evidence),
    inspected: new Map(inspected),
  };
}

// ---- facts for writing honest answers ----

/** The wall-clock time of a simulated minute, as "HH:MM" UTC. */
export function clock(minute: number, startedAtMs = STARTED_AT_MS): string {
  const d = new Date(startedAtMs + minute * 60_000);
  return `${String(d.getUTCHours()).padStart(2, "0")}:${String(d.getUTCMinutes()).padStart(2, "0")}`;
}
