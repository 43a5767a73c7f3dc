/**
 * The fault library's vocabulary. A fault definition is typed data that says everything about one
 * failure mode: where it can happen, what sets it off, how it shows up on the root and spreads
 * along edges, what it prints, which fixes work, which tempting fixes backfire, and what a runbook
 * and a postmortem of it must contain. (Knowledge-base articles come from a shared pool of
 * symptom articles, src/scenarios/kb, never from one fault.)
 *
 * The engine (src/sim/engine.ts) runs any definition; nothing in the engine branches on a fault's
 * kind. Text templates may use these placeholders, filled per episode:
 *   {root}      the root-cause node        {caller}   a direct caller of the root
 *   {callee}    a node the root calls      {entry}    the entry point (gateway)
 *   {version}   the root's new version     {previous} its previous version
 *   {zone}      the root's zone            {other_zone} another zone
 *   {n}         a small varying number     {detail:<name>} one value of the fault's `details`
 *   {real_threshold} {misfire_threshold}   a false alarm's alert threshold, real and misconfigured
 *   {expired_at} {renewed_until}           certificate dates (openssl format): the onset, +90 days
 */
import type { FaultKind as ProtoFaultKind, RemediationKind as ProtoRemediationKind } from "../../gen/incident/v1/enums_pb.js";
import type { MetricName, NodeKind } from "./model.js";
import type { LogLevelWord, PhrasedText } from "./vocabulary.js";

/** A failure mode, e.g. "bad_deploy": the proto's FaultKind value names in lower case. */
export type FaultKind = Lowercase<Exclude<keyof typeof ProtoFaultKind, "UNSPECIFIED">>;

/** A kind of fix, e.g. "rollback": the proto's RemediationKind value names in lower case. */
export type RemediationKind = Lowercase<Exclude<keyof typeof ProtoRemediationKind, "UNSPECIFIED">>;

/** Which nodes an effect or a fix applies to, relative to the root. */
export type Scope =
  /** The root-cause node. */
  | "root"
  /** Nodes with a request edge into the root. */
  | "root_callers"
  /** Nodes the root calls through request edges. */
  | "root_callees";

/** Which edges an edge effect applies to. */
type EdgeScope =
  /** Calls into the root. */
  | "into_root"
  /** Calls the root makes. */
  | "out_of_root"
  /** Every request edge in the system (the root is infrastructure everyone uses, e.g. DNS). */
  | "all"
  /** Request edges whose two ends sit in different zones (the root is the network). */
  | "cross_zone";

/** How a metric moves at full fault intensity. Intermediate intensities scale linearly. */
export interface Effect {
  scope: Scope;
  metric: MetricName;
  /** add: baseline + value; multiply: baseline * value; toward: the value itself. */
  op: "add" | "multiply" | "toward";
  value: number;
  /** The effect starts only above this intensity (e.g. OOM kills once memory is nearly full). */
  fromIntensity?: number;
}

/** How calls along edges degrade at full fault intensity. */
export interface EdgeEffect {
  scope: EdgeScope;
  /** Share of calls that fail, in percent. */
  errorRate?: number;
  /** Extra latency per call, in ms (capped by the edge's timeout, past which the call fails). */
  addedLatencyMs?: number;
  /** Calls sent per call needed (a retry storm multiplies the load on the callee). */
  callMultiplier?: number;
  fromIntensity?: number;
}

/** The observable change that sets the fault off (never labelled as the cause). */
interface TriggerSpec {
  event:
    | "deploy"
    | "config_change"
    | "certificate_expiry"
    | "secret_rotation"
    | "traffic_surge"
    | "schema_migration"
    | "cache_flush"
    | "gradual"
    | "external";
  /** Change-log line, e.g. "deployed {root} {version} (was {previous})". Empty for gradual faults. */
  description: string;
}

/**
 * A line the fault prints. `paraphrases` says the same with the same placeholders in other
 * software's words: public incidents print `message` or a public paraphrase, held-out incidents a
 * held-out one (see Paraphrases in ./types.ts).
 */
export interface FaultLogTemplate extends PhrasedText {
  level: LogLevelWord;
  /** Printed only above this intensity. */
  fromIntensity?: number;
}

/** A fix that works. */
export interface RemedySpec {
  kind: RemediationKind;
  target: Scope;
  /** durable: the fault is gone. relief: symptoms ease for `reliefMinutes`, then the fault returns. */
  effect: "durable" | "relief";
  /** Minutes until the symptoms are back to baseline (durable) or relieved. */
  recoveryMinutes: number;
  reliefMinutes?: number;
}

/** A tempting fix that backfires. */
interface WrongFixSpec {
  kind: RemediationKind;
  target: Scope;
  /** Added to the fault's intensity (it gets worse). */
  intensityDelta: number;
  /** Extra symptoms for a while. */
  sideEffects: readonly Effect[];
  sideEffectMinutes: number;
}

/**
 * One required item of a runbook or postmortem: a lexicon concept id, or a list of alternative
 * concept ids of which any one satisfies it ("mitigate: roll back, or switch the flag off").
 * Helpers that read requirements live in ./knowledge.ts.
 */
export type Requirement = string | readonly string[];

/**
 * What a runbook and a postmortem of this fault must contain, as lexicon concept ids. Required
 * items are Requirements; a grader credits each one once, by whichever alternative the text
 * expresses. Every alternative, optional concept and postmortem concept is on topic for the fault
 * (src/grading/episode/knowledge.ts); harmful ones are not.
 */
export interface FaultKnowledge {
  runbook: {
    diagnose: readonly Requirement[];
    mitigate: readonly Requirement[];
    verify: readonly Requirement[];
    escalate: readonly Requirement[];
    /** Fit this fault without being required. */
    optional: readonly string[];
    /** Steps that make this fault worse (never what one of its remedies does). */
    harmful: readonly string[];
  };
  postmortem: {
    /** The mechanism, e.g. "connection pool exhausted". */
    rootCause: readonly Requirement[];
    /** What set it off, e.g. "deploy": any one requirement met is the trigger stated. */
    trigger: readonly Requirement[];
    /** Follow-ups that address the mechanism. */
    actionItems: readonly Requirement[];
    optional: readonly string[];
  };
}

/**
 * What a good response does other than fixing. Most faults need a fix on our side; some need
 * restraint (nothing is broken: confirm health and stand down) or a hand-off (only a provider can
 * repair it).
 */
export interface ResponseSpec {
  /** The right move is to change nothing: any remediation of the system is wrong. */
  restraint?: boolean;
  /** The responder must escalate to the owners of this node (a provider during its outage). */
  escalateTo?: Scope;
}

/**
 * An alerting rule the fault misconfigures (a false alarm): from the onset, the rule on this
 * metric of the root fires at `thresholdOverReal` times the node's real threshold (a dropped
 * zero), below the metric's healthy level, so it pages on healthy readings.
 */
interface MisconfiguredAlert {
  metric: MetricName;
  thresholdOverReal: number;
}

export interface FaultDefinition {
  kind: FaultKind;
  title: string;
  /** Node kinds the fault usually strikes. */
  injectable: readonly NodeKind[];
  /**
   * Node kinds it strikes less often (a broker or a cache whose process crashes, a Kafka cluster
   * whose certificate expires): the generator moves the root to one of them now and then
   * (src/scenarios/generate-incident.ts), so the kind of a node never settles which fault it has.
   */
  occasionalHosts?: readonly NodeKind[];
  trigger: TriggerSpec;
  /** One paragraph on how it fails, with placeholders. */
  mechanism: string;
  /** Intensity over time while unmitigated: a step jumps to full at onset; a ramp climbs. */
  growth: { shape: "step" | "ramp"; minutesToFull: number };
  /** Minutes between the onset and the page, [min, max]. */
  onsetBeforePage: readonly [number, number];
  effects: readonly Effect[];
  edgeEffects: readonly EdgeEffect[];
  /** Root metrics whose change marks the onset; identifiability requires at least one to move. */
  signature: readonly MetricName[];
  logs: {
    /** Printed by the root while the fault is active. */
    root: readonly FaultLogTemplate[];
    /**
     * Printed by the root's callers, with {callee} = the root. A root nobody calls on the request
     * path (DNS, the network) has these printed by the nodes that reach it through infrastructure
     * edges or, failing that, by the callers of the edges its edge effects break, with {callee} =
     * the other end of that edge.
     */
    callers: readonly FaultLogTemplate[];
    /** Printed by nodes the root calls, with {caller} = the root (e.g. a consumer choking on a message). */
    callees?: readonly FaultLogTemplate[];
    /** Printed by the root as it recovers. */
    recovery: readonly FaultLogTemplate[];
  };
  remedies: readonly RemedySpec[];
  wrongFixes: readonly WrongFixSpec[];
  /** Values for {detail:<name>} placeholders; one is chosen per episode. */
  details: Readonly<Record<string, readonly string[]>>;
  knowledge: FaultKnowledge;
  /** Restraint or escalation the response needs (./fault-types.ts ResponseSpec); none by default. */
  response?: ResponseSpec;
  misconfiguredAlert?: MisconfiguredAlert;
}
