/**
 * Incidents from seeds: a topology from an architecture family, one fault from the library on a
 * node it can strike, a few red herrings and two knowledge-base articles from the shared pool
 * (./kb) — re-rolled until the incident is identifiable.
 *
 * Identifiable means: the page fires between the onset and the moment the responder joins, and
 * not on a red herring; the root shows its fault's signature on at least one metric by then; and
 * the root has printed at least one of its fault's lines. A false alarm shows nothing but its
 * misfiring rule, which must be the page (and the rule change in the change log). Red herrings are placed off the fault's
 * path (not the root, not upstream of it, not one of its callees) and never on a signature
 * metric, so a careful responder can always tell them apart.
 */
import type { Distractor, IncidentSpec } from "../sim/incident.js";
import { Simulation } from "../sim/engine.js";
import { IncidentWorld } from "../sim/incident-world.js";
import { applyRemediation } from "../sim/remediation.js";
import { KIND_PROFILES, type MetricName } from "../sim/model.js";
import { wordings } from "../sim/phrasing.js";
import { Rng } from "../sim/prng.js";
import { TopologyIndex, type ServiceNode, type Topology } from "../sim/topology.js";
import { familyByName } from "./families/index.js";
import type { Effect, FaultDefinition, FaultKind } from "../sim/fault-types.js";
import { fillTemplate } from "../sim/placeholders.js";
import { FAULTS, FAULT_KINDS, meetsRootNeeds } from "./faults/index.js";
import { chooseKbArticles } from "./kb/index.js";
import { LEVEL_PROFILES, SEED_RANGES } from "./levels.js";
import { generateTopology } from "./topology-generator.js";
import type { Level, Phrasing, PhrasedText } from "../sim/vocabulary.js";

/** Earliest simulated start; seeds spread episodes over the following months. */
const EPOCH_MS = Date.UTC(2026, 2, 2, 0, 0, 0);
const MAX_ATTEMPTS = 40;
/** Chance that a fault with occasional hosts strikes one of them, when the system has one. */
const OCCASIONAL_SHARE = 0.35;

/** Old errors a red herring keeps logging, in every phrasing. */
export const STALE_ERRORS: readonly PhrasedText[] = [
  {
    message: "failed to refresh feature-flag cache: timeout after 2000 ms (will retry)",
    paraphrases: {
      public: ["featureflags refresh error=timeout after_ms=2000 retry=true", "Feature flag cache refresh timed out (2000 ms), retrying"],
      held_out: ['{"flags_refresh":"timeout","ms":2000,"will_retry":true}', "could not reload feature flags in 2 s, another try later"],
    },
  },
  {
    message: "certificate for metrics-exporter expires in 21 days",
    paraphrases: {
      public: ["cert=metrics-exporter days_to_expiry=21", "Certificate metrics-exporter will expire in 21 days"],
      held_out: ['{"cert":"metrics-exporter","expires_in":"21d"}', "metrics-exporter keypair is three weeks from its expiry date"],
    },
  },
  {
    message: "deprecated API /v1/legacy called by an unknown client",
    paraphrases: {
      public: ["deprecated_endpoint=/v1/legacy client=unknown", "Deprecated /v1/legacy endpoint hit by an unidentified client"],
      held_out: ['{"deprecated":"/v1/legacy","caller":null}', "someone without a client id still calls the retired /v1/legacy API"],
    },
  },
  {
    message: "slow consumer warning: batch took 1800 ms",
    paraphrases: {
      public: ["slow_consumer batch_ms=1800", "Slow consumer: batch processing took 1800 ms"],
      held_out: ['{"consumer":"slow","batch_ms":1800}', "one batch needed 1.8 s to process"],
    },
  },
  {
    message: "could not send usage report: 403 from telemetry endpoint",
    paraphrases: {
      public: ["usage_report status=403 endpoint=telemetry", "Usage report rejected by the telemetry endpoint (403)"],
      held_out: ['{"telemetry":"forbidden","status":403}', "the telemetry collector refused our usage report with 403"],
    },
  },
];

interface GenerateOptions {
  faultKind?: FaultKind;
  family?: string;
}

interface GeneratedIncident {
  spec: IncidentSpec;
  /** The world, already simulated up to minute 0 (the identifiability check needed it). */
  world: IncidentWorld;
}

function generatedScenarioId(level: Level, seed: number, options: GenerateOptions): string {
  return ["gen", level, String(seed), options.faultKind, options.family].filter((p) => p !== undefined).join("-");
}

/** Raised when no identifiable incident exists for the request (e.g. a fault the family cannot host). */
export class GenerationError extends Error {
  override name = "GenerationError";
}

export function generateIncident(level: Level, seed: number, options: GenerateOptions = {}): GeneratedIncident {
  if (options.family !== undefined && !familyByName(options.family)) throw new GenerationError(`unknown family "${options.family}"`);
  const profile = LEVEL_PROFILES[level];
  const base = new Rng(seed);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const rng = base.fork(`incident:${level}:${attempt}`);
    const fault = FAULTS[options.faultKind ?? rng.pick(FAULT_KINDS)];
    const topology = generateTopology(rng.fork("topology"), {
      ...(options.family !== undefined ? { family: options.family } : {}),
      minServices: profile.minServices,
      maxServices: profile.maxServices,
    });
    const index = TopologyIndex.of(topology);
    const hosts = topology.nodes.filter((n) => fault.injectable.includes(n.kind) && meetsRootNeeds(fault.kind, n.name, index));
    // Deep roots when the level asks for them (expert): the loudest services are then far above.
    const deep = profile.minRootDepth > 0 ? hosts.filter((n) => index.depthBelowEntry(n.name) >= profile.minRootDepth) : [];
    const candidates = deep.length > 0 ? deep : hosts;
    if (candidates.length === 0) continue;
    const usual = rng.pick(candidates);
    // Now and then the fault strikes one of its occasional hosts instead (a fork of its own, so
    // the usual choice, and everything drawn after it, stays what it was).
    const occasional = topology.nodes.filter((n) => fault.occasionalHosts?.includes(n.kind) && meetsRootNeeds(fault.kind, n.name, index));
    const moveRng = rng.fork("occasional-host");
    const root = occasional.length > 0 && moveRng.chance(OCCASIONAL_SHARE) ? moveRng.pick(occasional) : usual;
    const onsetMinute = -rng.int(fault.onsetBeforePage[0], fault.onsetBeforePage[1]);
    const phrasing: Phrasing = seed >= SEED_RANGES.held_out.first ? "held_out" : "public";
    let spec: IncidentSpec = {
      id: generatedScenarioId(level, seed, options),
      level,
      title: `${fault.title} (${topology.family})`,
      topology,
      fault,
      root: root.name,
      onsetMinute,
      details: Object.fromEntries(Object.entries(fault.details).map(([k, values]) => [k, rng.pick(values)])),
      previousVersion: previousVersion(root.version),
      distractors: [
        ...pickDistractors(rng.fork("distractors"), level, topology, index, root.name, fault, onsetMinute, profile.distractors, phrasing),
        ...pickNoisyChanges(rng.fork("noisy-change"), topology, index, root.name, fault, onsetMinute, profile.noisyChanges),
        ...pickChronicAnomalies(rng.fork("chronic"), topology, index, root.name, fault, profile.chronicAnomalies, phrasing),
      ],
      startedAtMs: EPOCH_MS + rng.int(0, 180) * 86_400_000 + rng.int(0, 1439) * 60_000,
      phrasing,
      // A fork of its own: the articles shown do not shift any other choice of the incident.
      kb: chooseKbArticles(fault.kind, phrasing, rng.fork("kb"), root.kind),
      ...(profile.readingBlips > 0 ? { readingBlips: profile.readingBlips } : {}),
    };
    let world = new IncidentWorld(spec, seed);
    if (!isIdentifiable(world)) {
      // Nothing paged in time: with the root's own alert rules in place (its team did set them
      // up), the incident is the same one, just noticed sooner.
      spec = { ...spec, covered: [spec.root] };
      world = new IncidentWorld(spec, seed);
    }
    if (isIdentifiable(world) && fixRecovers(spec, seed, world.sim)) return { spec, world };
  }
  throw new GenerationError(
    `could not generate an identifiable ${options.faultKind ?? ""} incident for ${level} seed ${seed}${options.family ? ` on ${options.family}` : ""}`,
  );
}

export function isIdentifiable(world: IncidentWorld): boolean {
  const spec = world.spec;
  const page = world.page();
  if (!page || page.firedAtMinute > 0) return false;
  const herrings = new Set(spec.distractors.map((d) => d.node));
  if (herrings.has(page.node)) return false;
  // A false alarm shows nothing on the root but the misfiring rule: its page must be that rule.
  if (spec.fault.misconfiguredAlert) return page.node === spec.root && page.metric === spec.fault.misconfiguredAlert.metric;
  const signatureShows = spec.fault.signature.some((metric) => {
    const value = world.sim.value(spec.root, metric);
    return value !== undefined && world.sim.isAnomalous(spec.root, metric, value);
  });
  if (!signatureShows) return false;
  return world
    .openingLogs()
    .some((line) => line.service === spec.root && (line.level === "WARN" || line.level === "ERROR" || line.level === "CRITICAL"));
}

/** Minutes a recovered system must stay healthy for the probe to count it as healed. */
const PROBE_HOLD_MINUTES = 10;

/**
 * The right fix works: applying the fault's first durable remedy at minute 0 (on a copy of the
 * simulation, when one at minute 0 is given) brings the health
 * indicators back within the remedy's recovery time plus 10 minutes, and they hold for 10 more.
 * (Retries without backoff can keep a system overloaded after its cause is gone; such an
 * incident would punish the right answer, so the generator re-rolls it.)
 */
export function fixRecovers(spec: IncidentSpec, seed: number, atMinuteZero?: Simulation): boolean {
  const remedy = spec.fault.remedies.find((r) => r.effect === "durable");
  if (!remedy) return true;
  const sim = atMinuteZero?.fork() ?? new Simulation(spec, seed);
  sim.runTo(0);
  const target = sim.nodesIn(remedy.target)[0];
  if (!target) return false;
  if (applyRemediation(sim, { kind: remedy.kind, target, parameters: {} }).kind !== "fixed") return false;
  let healthySince: number | undefined;
  const deadline = remedy.recoveryMinutes + 10;
  for (let minute = 1; minute <= deadline + PROBE_HOLD_MINUTES; minute++) {
    sim.runTo(minute);
    if (sim.incidentHealthy()) healthySince ??= minute;
    else healthySince = undefined;
    if (healthySince === undefined && minute >= deadline) return false;
    if (healthySince !== undefined && minute - healthySince >= PROBE_HOLD_MINUTES) return true;
  }
  return false;
}

/** Nodes a red herring may sit on: in-house, off the fault's path. */
function herringNodes(topology: Topology, index: TopologyIndex, root: string): ServiceNode[] {
  const path = new Set([root, ...index.upstreamOf(root), ...index.callees(root).map((e) => e.callee)]);
  return topology.nodes.filter(
    (n) =>
      !path.has(n.name) &&
      (n.kind === "service" || n.kind === "database" || n.kind === "cache" || n.kind === "search" || n.kind === "queue"),
  );
}

/** Which red herrings a level draws from, in order of preference for its first slots. */
const DISTRACTOR_KINDS: Readonly<Record<Level, { first?: Distractor["kind"]; pool: ReadonlyArray<Distractor["kind"]> }>> = {
  easy: { pool: ["noisy_neighbor", "stale_error", "harmless_deploy"] },
  medium: { pool: ["noisy_neighbor", "stale_error", "harmless_deploy", "decoy_signature"] },
  hard: { first: "decoy_signature", pool: ["noisy_neighbor", "stale_error", "harmless_deploy", "decoy_signature"] },
  expert: { first: "decoy_signature", pool: ["noisy_neighbor", "stale_error", "harmless_deploy", "decoy_signature"] },
};

function pickDistractors(
  rng: Rng,
  level: Level,
  topology: Topology,
  index: TopologyIndex,
  root: string,
  fault: FaultDefinition,
  onsetMinute: number,
  count: number,
  phrasing: Phrasing,
): Distractor[] {
  const nodes = herringNodes(topology, index, root);
  if (nodes.length === 0) return [];
  const kinds = DISTRACTOR_KINDS[level];
  const out: Distractor[] = [];
  for (let i = 0; i < count; i++) {
    const node = rng.pick(nodes);
    const kind = i === 0 && kinds.first ? kinds.first : rng.pick(kinds.pool);
    if (kind === "noisy_neighbor") {
      const metric: MetricName | undefined = (["cpu_usage", "memory_usage"] as const).find(
        (m) => !fault.signature.includes(m) && node.kind !== "queue",
      );
      if (!metric) continue;
      const threshold = metric === "cpu_usage" ? 85 : 90;
      out.push({ kind, node: node.name, metric, value: threshold + rng.range(2, 8) });
    } else if (kind === "stale_error") {
      // The wording comes from its own fork: the draws that place red herrings stay as they were.
      const stale = rng.pick(STALE_ERRORS);
      out.push({ kind, node: node.name, message: rng.fork(`stale-wording:${i}`).pick(wordings(stale, phrasing)) });
    } else if (kind === "decoy_signature") {
      // Another failure mode's own lines, from a node that could host it, printed while healthy.
      const others = FAULT_KINDS.filter(
        (k) => k !== fault.kind && FAULTS[k].injectable.includes(node.kind) && FAULTS[k].logs.root.length > 0,
      );
      if (others.length === 0) continue;
      const other = FAULTS[rng.pick(others)];
      const details = Object.fromEntries(Object.entries(other.details).map(([k, values]) => [k, rng.pick(values)]));
      out.push({ kind, node: node.name, fault: other.kind, lines: other.logs.root, details });
    } else if (kind === "harmless_deploy") {
      // Far enough from the onset that the change log still separates it from a real trigger.
      const minute = onsetMinute - rng.int(12, 25);
      out.push({ kind, node: node.name, minute, version: bumpVersion(node.version) });
    }
  }
  return out;
}

/** Node kinds a chronic anomaly can sit on: ones with callers that can live with its failures. */
const CHRONIC_KINDS: ReadonlySet<string> = new Set(["service", "search", "database", "cache", "queue"]);

/**
 * Chronic anomalies: nodes off the fault's path, preferably of the root's own kind, failing or
 * slow on their own since before the history starts, often louder than the root. What tells them
 * apart is their history (flat since long before the onset), their alerts (fired long before the
 * page) and their place off the page's path, not how loud they are.
 */
function pickChronicAnomalies(
  rng: Rng,
  topology: Topology,
  index: TopologyIndex,
  root: string,
  fault: FaultDefinition,
  count: number,
  phrasing: Phrasing,
): Distractor[] {
  // Not downstream of the root either when the fault reaches down there (a retry storm's load on
  // its callees, a cascade through a shared callee): its own trouble would mix with the impact.
  const downstream = reachesDownstream(fault) ? downstreamOf(index, root) : new Set<string>();
  const nodes = herringNodes(topology, index, root).filter((n) => CHRONIC_KINDS.has(n.kind) && !downstream.has(n.name));
  const rootKind = index.node(root).kind;
  const out: Distractor[] = [];
  const used = new Set<string>();
  for (let i = 0; i < count; i++) {
    const free = nodes.filter((n) => !used.has(n.name));
    if (free.length === 0) break;
    const alike = free.filter((n) => n.kind === rootKind);
    const node = rng.pick(alike.length > 0 && rng.chance(0.9) ? alike : free);
    used.add(node.name);
    // As loud as a real root often is: most of its requests failing, or slow far past the threshold.
    const errors = rng.chance(0.7);
    const profile = KIND_PROFILES[node.kind];
    const errorThreshold = profile.error_rate?.threshold ?? 5;
    const latency = profile.latency_p99 ?? { baseline: 100, threshold: 800 };
    out.push({
      kind: "chronic_anomaly",
      node: node.name,
      errorRate: errors ? Math.min(95, errorThreshold * rng.range(6, 18)) : 0,
      // Slow far past its threshold, with or without the errors.
      addedLatencyMs: errors && rng.chance(0.5) ? latency.baseline * rng.range(0, 3) : latency.threshold * rng.range(1.3, 3),
      message: rng.pick(wordings(rng.pick(STALE_ERRORS), phrasing)),
    });
  }
  return out;
}

/** Whether a fault acts below its root: on its callees, on the calls it makes, or on every call. */
function reachesDownstream(fault: FaultDefinition): boolean {
  const scopes = [...fault.effects.map((e) => e.scope), ...fault.remedies.map((r) => r.target), ...fault.wrongFixes.map((w) => w.target)];
  return scopes.includes("root_callees") || fault.edgeEffects.some((e) => e.scope !== "into_root") || (fault.logs.callees?.length ?? 0) > 0;
}

/** Every node the root reaches through request edges, directly or not. */
function downstreamOf(index: TopologyIndex, root: string): Set<string> {
  const seen = new Set<string>();
  const queue = [root];
  while (queue.length > 0) {
    const current = queue.pop() as string;
    for (const edge of index.callees(current)) {
      if (!edge.requestPath || seen.has(edge.callee)) continue;
      seen.add(edge.callee);
      queue.push(edge.callee);
    }
  }
  return seen;
}

/** Change events a noisy change can pose as: the ones printed in the change log. */
const CHANGE_EVENTS = new Set(["deploy", "config_change"]);
/** How strongly a noisy change shows its twin's effects, relative to a real fault. */
const NOISY_STRENGTH = 0.6;

/**
 * Unrelated noisy changes (expert): a deploy or config change of an off-path node a few minutes
 * before the onset, whose blip shows a failure mode that shares the incident's symptoms (the same
 * class is allowed: then only the node and the timing differ), with its log lines, for 8 to 14
 * minutes. Its own alerts fire before the onset, so the page stays the incident's.
 */
function pickNoisyChanges(
  rng: Rng,
  topology: Topology,
  index: TopologyIndex,
  root: string,
  fault: FaultDefinition,
  onsetMinute: number,
  count: number,
): Distractor[] {
  const out: Distractor[] = [];
  const nodes = herringNodes(topology, index, root);
  for (let i = 0; i < count && nodes.length > 0; i++) {
    const node = rng.pick(nodes);
    const twins = FAULT_KINDS.map((k) => FAULTS[k]).filter(
      (f) =>
        f.injectable.includes(node.kind) &&
        CHANGE_EVENTS.has(f.trigger.event) &&
        f.logs.root.length > 0 &&
        f.effects.some((e) => e.scope === "root"),
    );
    if (twins.length === 0) continue;
    // Prefer twins whose signature overlaps the incident's: the symptoms look alike.
    const alike = twins.filter((f) => f.signature.some((m) => fault.signature.includes(m)));
    const twin = rng.pick(alike.length > 0 ? alike : twins);
    const details = Object.fromEntries(Object.entries(twin.details).map(([k, values]) => [k, rng.pick(values)]));
    const version = bumpVersion(node.version);
    const vars: Record<string, string> = { root: node.name, version, previous: node.version, caller: node.name, callee: node.name };
    for (const [k, v] of Object.entries(details)) vars[`detail:${k}`] = v;
    out.push({
      kind: "noisy_change",
      node: node.name,
      minute: onsetMinute - rng.int(3, 6),
      change: twin.trigger.event === "deploy" ? "deploy" : "config_change",
      version,
      description: fillTemplate(twin.trigger.description, vars),
      fault: twin.kind,
      effects: twin.effects.filter((e) => e.scope === "root").map((e) => ({ ...e, value: milder(e) })),
      minutes: rng.int(8, 14),
      lines: twin.logs.root,
      details,
    });
  }
  return out;
}

function milder(effect: Effect): number {
  if (effect.op === "add") return effect.value * NOISY_STRENGTH;
  if (effect.op === "multiply") return 1 + (effect.value - 1) * NOISY_STRENGTH;
  return effect.value;
}

function parseVersion(version: string): [number, number, number] {
  const [major = 1, minor = 0, patch = 0] = version
    .replace(/^v/, "")
    .split(".")
    .map((p) => Number(p) || 0);
  return [major, minor, patch];
}

export function previousVersion(version: string): string {
  const [major, minor, patch] = parseVersion(version);
  if (patch > 0) return `v${major}.${minor}.${patch - 1}`;
  if (minor > 0) return `v${major}.${minor - 1}.9`;
  return `v${Math.max(0, major - 1)}.9.9`;
}

function bumpVersion(version: string): string {
  const [major, minor, patch] = parseVersion(version);
  return `v${major}.${minor}.${patch + 1}`;
}
