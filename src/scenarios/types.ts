/**
 * Scenario templates: the typed data an incident is built from.
 *
 * A template is pure data. The world (src/sim) turns it into an evolving system: metrics that move
 * with simulated time, log lines printed as the incident unfolds, and a fault that stays active
 * until the right fix reaches the right service. The graders (src/grading) read the template's
 * ground truth (`truth`, `runbook`, `postmortem`) and never show it to the agent.
 *
 * Concepts are referenced by id from the shared lexicon (src/grading/lexicon.ts), so one concept
 * ("raise the connection limit") is spelled the same way everywhere and a grader can tell a
 * concept that belongs to this incident from one that belongs to another.
 */

export type Level = "easy" | "medium" | "hard";
export type SeverityWord = "P1" | "P2" | "P3" | "P4";
export type LogLevelWord = "DEBUG" | "INFO" | "WARN" | "ERROR" | "CRITICAL";

/** A service of the incident's system. */
export interface ServiceSpec {
  /** Canonical name, as metrics and logs print it. */
  name: string;
  /** Other names a responder may fairly use for it (matched whole, case and spacing aside). */
  aliases: readonly string[];
  /** What it is, for the topology summary, e.g. "PostgreSQL primary". */
  role: string;
}

/** One metric series and how it behaves while the fault is active and after it is fixed. */
export interface MetricSpec {
  service: string;
  metric: string;
  unit: string;
  threshold: number;
  /** "above": anomalous when value > threshold; "below": anomalous when value < threshold. */
  direction: "above" | "below";
  /** The healthy value. */
  baseline: number;
  /** The value when the page fires (minute 0). */
  atPage: number;
  /** How much the value moves per simulated minute while the fault is active (a magnitude, toward `worst`). */
  driftPerMinute: number;
  /** The value the drift cannot pass. */
  worst: number;
  /** Relative noise amplitude (0.03 = about ±3 %). */
  noise: number;
}

/** A log line the incident prints. `{n}` in the message is replaced by a small seeded number. */
export interface LogTemplate {
  level: LogLevelWord;
  service: string;
  message: string;
  /** Lines that share a trace key within one batch share a trace id. */
  trace?: string;
}

/** A log line printed at a fixed minute relative to the page (negative: before it). */
export interface TimedLogTemplate extends LogTemplate {
  atMinute: number;
}

export interface KbArticleSpec {
  id: string;
  title: string;
  tags: readonly string[];
  content: string;
}

export interface AlertSpec {
  id: string;
  title: string;
  severity: SeverityWord;
  affectedServices: readonly string[];
  description: string;
}

/** What fixes the incident: a fix applied to one of `targets` whose description names one of `concepts`. */
export interface FixSpec {
  targets: readonly string[];
  /** Lexicon concept ids; the apply_fix reasoning must name one of them. */
  concepts: readonly string[];
  /** Simulated minutes from the fix until the metrics are back to baseline. */
  recoveryMinutes: number;
  /** What the environment reports when the fix lands. */
  feedback: string;
}

/** A tempting fix that makes things worse. */
export interface HarmfulFixSpec {
  /** Lexicon concept id that names the fix. */
  concept: string;
  /** Services it is harmful on; empty means any. */
  targets: readonly string[];
  feedback: string;
  /** Metrics (by "service/metric") pushed this fraction further toward `worst`. */
  worsens: readonly string[];
}

/** The runbook the medium grader expects, as ordered phases of lexicon concept ids. */
export interface RunbookSpec {
  diagnose: readonly string[];
  mitigate: readonly string[];
  verify: readonly string[];
  /** Concepts that belong in a runbook for this incident but are not required. */
  optional: readonly string[];
  /** Concepts that would make this incident worse if followed. */
  harmful: readonly string[];
}

export type PostmortemSectionName = "summary" | "root_cause" | "timeline" | "impact" | "action_items";

/** The postmortem the hard grader expects: required concept ids per section. */
export type PostmortemSpec = Readonly<Record<PostmortemSectionName, readonly string[]>> & {
  /** Concepts that fit this incident anywhere in the postmortem without being required. */
  optional: readonly string[];
};

export interface GroundTruth {
  rootService: string;
  /** Short fault class, e.g. "connection_pool_exhaustion". */
  faultClass: string;
  /** One paragraph on the mechanism, for people reading trajectories. */
  rootCause: string;
  severity: SeverityWord;
}

export interface ScenarioTemplate {
  /** Stable id, e.g. "INC-EASY-001"; a reset may name it. */
  id: string;
  level: Level;
  title: string;
  services: readonly ServiceSpec[];
  alert: AlertSpec;
  metrics: readonly MetricSpec[];
  /** Lines printed up to the page (atMinute <= 0). */
  openingLogs: readonly TimedLogTemplate[];
  /** Lines drawn from each step while the fault is active. */
  activeLogs: readonly LogTemplate[];
  /** Lines printed once, in order, over the steps after the fix lands. */
  recoveryLogs: readonly LogTemplate[];
  /** Background lines (healthy services going about their business), drawn now and then. */
  backgroundLogs: readonly LogTemplate[];
  kb: readonly KbArticleSpec[];
  truth: GroundTruth;
  fix: FixSpec;
  harmfulFixes: readonly HarmfulFixSpec[];
  runbook: RunbookSpec;
  postmortem: PostmortemSpec;
}
