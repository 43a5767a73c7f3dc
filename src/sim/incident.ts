/**
 * An incident as the engine runs it: a topology, one fault on one root node, and distractors.
 * Generated from a seed (src/scenarios/generate-incident.ts) or written by hand (the presets).
 */
import type { Effect, FaultDefinition, FaultKind, FaultLogTemplate } from "./fault-types.js";
import type { KbArticleSpec, Level, Phrasing, TimedLogTemplate } from "./vocabulary.js";
import type { MetricName } from "./model.js";
import type { Topology } from "./topology.js";

/** Something that looks wrong but is not the incident. */
export type Distractor =
  /** An unrelated node running hot on one metric. */
  | { kind: "noisy_neighbor"; node: string; metric: MetricName; value: number }
  /**
   * A chronic anomaly: a node off the fault's path that has been failing or slow on its own since
   * long before the incident (an internal endpoint whose callers do not wait for it: they retry
   * later), its alert firing all along. It is often louder than the root; its history, flat since
   * before the onset, and its place off the page's path tell it apart. Its trouble stays local:
   * callers do not inherit it.
   */
  | { kind: "chronic_anomaly"; node: string; errorRate: number; addedLatencyMs: number; message: string }
  /** An old error that keeps being logged, unrelated to the incident. */
  | { kind: "stale_error"; node: string; message: string }
  /** A deploy of another node shortly before the page that changed nothing. */
  | { kind: "harmless_deploy"; node: string; minute: number; version: string }
  /**
   * A healthy node that keeps printing another fault's signature lines about itself (a batch job
   * that is OOM-killed every night, a test endpoint with an expired certificate). Its metrics stay
   * healthy and it is off the fault's path: keyword matching on logs alone is misled by it.
   */
  | {
      kind: "decoy_signature";
      node: string;
      fault: FaultKind;
      lines: readonly FaultLogTemplate[];
      details: Readonly<Record<string, string>>;
    }
  /**
   * An unrelated change shortly before the onset (expert): a deploy or config change of a node
   * off the fault's path that makes noise of its own for a while, showing symptoms and log lines
   * of another failure mode that shares the incident's symptoms, then settles by itself. The
   * change log and the timing (its blip starts with the change and fades; the incident's starts
   * with the root's own trouble and grows) tell the two apart.
   */
  | {
      kind: "noisy_change";
      node: string;
      minute: number;
      change: "deploy" | "config_change";
      /** The node's version after the change. */
      version: string;
      /** The change-log line. */
      description: string;
      /** The twin failure mode whose symptoms and lines the blip shows. */
      fault: FaultKind;
      /** Effects on the node (scope "root" means the node itself) while the blip lasts. */
      effects: readonly Effect[];
      minutes: number;
      lines: readonly FaultLogTemplate[];
      details: Readonly<Record<string, string>>;
    };

/** Hand-written text that replaces generated text (the presets of the original incident-response-env keep their own story). */
export interface Narrative {
  alertTitle?: string;
  alertDescription?: string;
  /** Extra lines printed before the page. */
  openingLogs?: readonly TimedLogTemplate[];
  /** Hand-written KB articles, shown instead of the spec's `kb`. */
  kb?: readonly KbArticleSpec[];
}

export interface IncidentSpec {
  /** Preset id (e.g. "INC-EASY-001") or a generated id. */
  id: string;
  level: Level;
  title: string;
  topology: Topology;
  fault: FaultDefinition;
  root: string;
  /** Minute of the fault's onset, before the page at minute 0 (negative). */
  onsetMinute: number;
  /** Chosen values for the fault's {detail:<name>} placeholders. */
  details: Readonly<Record<string, string>>;
  /** The root's version before the trigger (for deploy-triggered faults). */
  previousVersion: string;
  distractors: readonly Distractor[];
  narrative?: Narrative;
  /** Wall-clock time of minute 0 (when the responder joins, just after the page), epoch ms. */
  startedAtMs: number;
  /** Which surface forms the incident's text draws from (public or held-out phrasings). */
  phrasing: Phrasing;
  /**
   * Chance that one reading an observation shows is a measurement blip (a scrape that caught a
   * spike, a partial bucket): expert incidents make single readings unreliable, so trends must
   * be read. The engine's own state (alerts, health, propagation) never sees blips. 0 or unset:
   * readings are exact.
   */
  readingBlips?: number;
  /**
   * Backends whose alert rules exist whatever the system's coverage draw (src/sim/alerts.ts):
   * the generator covers the root when nothing else would page in time.
   */
  covered?: readonly string[];
  /**
   * The knowledge-base articles the responder is shown, in display order. A generated incident
   * shows one helpful and one misleading article of the shared pool (src/scenarios/kb), worded for
   * its phrasing, chosen at generation so that graders see exactly what the responder saw. A
   * preset with narrative articles leaves this empty (see shownKb).
   */
  kb: readonly KbArticleSpec[];
}

/** The KB articles an incident shows: its narrative's hand-written ones, else its chosen pool articles. */
export function shownKb(spec: IncidentSpec): readonly KbArticleSpec[] {
  return spec.narrative?.kb ?? spec.kb;
}
