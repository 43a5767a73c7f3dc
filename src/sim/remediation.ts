/**
 * What a remediation does to the simulated system.
 *
 * First the fault's own rules: a remedy that matches (kind and target) fixes it or relieves it;
 * a wrong fix it lists makes it worse. Then the generic consequences every system has, whatever
 * the fault (below): a restart makes a node unavailable for a minute, restarting a database drops
 * every connection, scaling to zero takes a service down, flushing a cache sends its traffic to
 * the database. Anything else goes through but changes nothing.
 *
 * The feedback tells the responder what the action itself did ("orders-db restarted; every open
 * connection was dropped"), the same whatever the fault: whether the fix was the right one shows
 * only in how the system behaves afterwards. A feedback that said "requests are succeeding again"
 * or "the symptoms did not change" would let an agent try fixes until the text changes, learning
 * the hidden root and fault without having worked them out.
 */
import type { RemediationKind } from "./fault-types.js";
import type { NodeEffect, Simulation } from "./engine.js";
import type { NodeKind } from "./model.js";

export interface RemediationRequest {
  kind: RemediationKind;
  /** A node name (already resolved from what the agent typed). */
  target: string;
  parameters: Readonly<Record<string, string>>;
}

type RemediationOutcomeKind = "fixed" | "relieved" | "harmful" | "no_effect" | "already_fixed" | "invalid";

export interface RemediationOutcome {
  kind: RemediationOutcomeKind;
  feedback: string;
  /** True when the action destroyed capacity or dropped work (restart of a database, scale to zero...). */
  destructive: boolean;
}

/** A consequence any system has for a kind of remediation on a kind of node. */
interface GenericConsequence {
  remediation: RemediationKind;
  nodeKinds: readonly NodeKind[] | "any";
  /** Minutes the target is unavailable. */
  downMinutes: number;
  /** Temporary effects on the target and on its direct callers. */
  onTarget: readonly NodeEffect[];
  onCallers: readonly NodeEffect[];
  minutes: number;
  destructive: boolean;
  feedback: string;
}

const GENERIC: readonly GenericConsequence[] = [
  {
    remediation: "restart",
    nodeKinds: ["database", "queue", "search"],
    downMinutes: 2,
    onTarget: [{ metric: "connection_usage", op: "toward", value: 100 }],
    onCallers: [{ metric: "error_rate", op: "add", value: 40 }],
    minutes: 4,
    destructive: true,
    feedback: "{target} restarted: every open connection was dropped and its clients are reconnecting at once.",
  },
  {
    remediation: "restart",
    nodeKinds: ["cache"],
    downMinutes: 1,
    onTarget: [{ metric: "cache_hit_ratio", op: "toward", value: 5 }],
    onCallers: [],
    minutes: 12,
    destructive: true,
    feedback: "{target} restarted empty: its hit ratio collapsed and the misses go to the database.",
  },
  {
    remediation: "restart",
    nodeKinds: "any",
    downMinutes: 1,
    onTarget: [],
    onCallers: [],
    minutes: 0,
    destructive: false,
    feedback: "{target} restarted; it was unavailable for about a minute.",
  },
  {
    remediation: "flush_cache",
    nodeKinds: ["cache"],
    downMinutes: 0,
    onTarget: [{ metric: "cache_hit_ratio", op: "toward", value: 5 }],
    onCallers: [],
    minutes: 12,
    destructive: true,
    feedback: "{target} flushed: every key is gone and the misses go to the database.",
  },
  {
    remediation: "failover",
    nodeKinds: ["database", "cache", "queue", "search"],
    downMinutes: 1,
    onTarget: [],
    onCallers: [{ metric: "error_rate", op: "add", value: 15 }],
    minutes: 2,
    destructive: false,
    feedback: "{target} failed over to its replica; clients saw errors while they reconnected.",
  },
];

/**
 * What each kind of remediation visibly does, whatever the fault. Generic consequences with a
 * mechanical effect of their own (a restarted database drops its connections) say that instead.
 */
const ACTION_EFFECT: Readonly<Record<RemediationKind, string>> = {
  restart: "{target} restarted; it was unavailable for about a minute.",
  rollback: "{target} rolled back to its previous version.",
  scale: "{target} scaled to {replicas} replicas.",
  failover: "{target} failed over to its standby.",
  flush_cache: "{target} flushed.",
  warm_cache: "A warm-up job is loading the hot keys into {target}.",
  raise_limit: "The limit on {target} was raised.",
  rotate_credential: "{target}'s credentials were rotated.",
  disable_feature_flag: "The feature flag on {target} is switched off.",
  drain_node: "{target} drained: its traffic moved to the remaining instances and zones.",
  kill_query: "Long-running and idle sessions on {target} were terminated.",
  shed_load: "{target} now rejects {percent}% of incoming requests.",
  renew_certificate: "{target} now serves a newly issued certificate.",
  revert_config: "{target}'s last configuration change was reverted.",
  free_disk: "Disk space on {target} was freed.",
  skip_message: "{target}'s consumers skipped the message at their current offset and moved on.",
  tune_retries: "{target}'s clients now retry less, with exponential backoff and jitter.",
  add_index: "An index build on {target} has started.",
};

function render(text: string, target: string, parameters: Readonly<Record<string, string>> = {}): string {
  return text.replace(/\{target\}/g, target).replace(/\{(replicas|percent)\}/g, (whole, key: string) => parameters[key] ?? whole);
}

/** The action's own effect, the same text whatever the outcome. */
function effectOf(
  request: RemediationRequest,
  node: { name: string; kind: NodeKind },
  parameters: Readonly<Record<string, string>>,
): string {
  const generic = genericFor(request.kind, node.kind);
  const text = generic?.destructive ? generic.feedback : ACTION_EFFECT[request.kind];
  return render(text, node.name, parameters);
}

/** scale without parameters.replicas doubles the replicas. */
const DEFAULT_SCALE_FACTOR = 2;
/** shed_load without parameters.percent rejects this share of the traffic. */
const DEFAULT_SHED_PERCENT = "20";
/** Most replicas scale accepts: far beyond any service of the simulated systems. */
const MAX_REPLICAS = 200;
/** Most traffic shed_load may reject, in percent (the engine sheds at most MAX_SHED_SHARE). */
const MAX_SHED_PERCENT = 90;

/** Applies a remediation to the simulation now and says what happened. */
export function applyRemediation(sim: Simulation, request: RemediationRequest): RemediationOutcome {
  const fault = sim.spec.fault;
  const node = sim.index.byName.get(request.target);
  if (!node) return { kind: "invalid", feedback: `No service named "${request.target}" exists; nothing was changed.`, destructive: false };

  const shown = {
    replicas: request.parameters.replicas ?? String(node.replicas * DEFAULT_SCALE_FACTOR),
    percent: request.parameters.percent ?? DEFAULT_SHED_PERCENT,
  };
  if (request.kind === "scale") {
    const replicas = Number(shown.replicas);
    if (!Number.isInteger(replicas) || replicas < 0 || replicas > MAX_REPLICAS) {
      return {
        kind: "invalid",
        feedback: `scale needs parameters.replicas, a whole number from 0 to ${MAX_REPLICAS}; nothing was changed.`,
        destructive: false,
      };
    }
    if (replicas === 0) {
      sim.scale(node.name, 0);
      return {
        kind: "harmful",
        feedback: `${node.name} scaled to zero replicas: it is down and every call to it fails.`,
        destructive: true,
      };
    }
  }
  if (request.kind === "shed_load") {
    const percent = Number(shown.percent);
    if (!Number.isFinite(percent) || percent <= 0 || percent > MAX_SHED_PERCENT) {
      return {
        kind: "invalid",
        feedback: `shed_load needs parameters.percent from 1 to ${MAX_SHED_PERCENT}; nothing was changed.`,
        destructive: false,
      };
    }
    sim.shedLoad(node.name, percent / 100);
  }
  const feedback = effectOf(request, node, shown);

  const remedy = fault.remedies.find((r) => r.kind === request.kind && sim.inScope(r.target, node.name));
  if (remedy) {
    const phase = sim.intensity.state;
    if (phase === "fixed" || (phase === "recovering" && remedy.effect === "durable")) {
      return { kind: "already_fixed", feedback, destructive: false };
    }
    sim.intensity.fix(
      sim.currentMinute,
      remedy.recoveryMinutes,
      remedy.effect === "relief" ? { minutes: remedy.reliefMinutes ?? 15 } : undefined,
    );
    const generic = genericFor(request.kind, node.kind);
    if (generic && !generic.destructive) applyGeneric(sim, request, node.kind);
    if (request.kind === "scale")
      sim.scale(node.name, Math.max(1, Number(request.parameters.replicas ?? node.replicas * 2)) / node.replicas);
    return { kind: remedy.effect === "durable" ? "fixed" : "relieved", feedback, destructive: false };
  }

  const wrong = fault.wrongFixes.find((w) => w.kind === request.kind && sim.inScope(w.target, node.name));
  if (wrong) {
    sim.intensity.worsen(wrong.intensityDelta);
    sim.addSideEffects(wrong.sideEffects, wrong.sideEffectMinutes);
    applyGeneric(sim, request, node.kind);
    return { kind: "harmful", feedback, destructive: true };
  }

  if (request.kind === "scale") {
    sim.scale(node.name, Number(shown.replicas) / node.replicas);
    return { kind: "no_effect", feedback, destructive: false };
  }
  const generic = applyGeneric(sim, request, node.kind);
  if (generic) return { kind: generic.destructive ? "harmful" : "no_effect", feedback, destructive: generic.destructive };
  return { kind: "no_effect", feedback, destructive: false };
}

function genericFor(remediation: RemediationKind, kind: NodeKind): GenericConsequence | undefined {
  return GENERIC.find((g) => g.remediation === remediation && (g.nodeKinds === "any" || g.nodeKinds.includes(kind)));
}

function applyGeneric(sim: Simulation, request: RemediationRequest, kind: NodeKind): GenericConsequence | undefined {
  const consequence = genericFor(request.kind, kind);
  if (!consequence) return undefined;
  if (consequence.downMinutes > 0) sim.restart(request.target, consequence.downMinutes);
  sim.addNodeEffects(request.target, consequence.onTarget, consequence.minutes);
  for (const edge of sim.index.callers(request.target)) {
    if (edge.requestPath) sim.addNodeEffects(edge.caller, consequence.onCallers, consequence.minutes);
  }
  return consequence;
}
