/**
 * The simulated world an episode plays in, seen from the environment layer.
 *
 * A world is pure and seeded: the same template, seed and calls give the same readings, log lines
 * and outcomes. It knows nothing of steps, rewards or transports; the episode (src/env) drives it
 * with `applyFix` and `advance`, and reads it with `readings` and the log lines `advance` returns.
 * Keeping this interface small lets a fuller simulator replace the scenario-driven one without
 * touching episodes, graders' callers or transports.
 */
import type { ServiceSpec, SeverityWord, LogLevelWord, KbArticleSpec } from "../scenarios/types.js";

/** One metric reading at the world's current time. */
export interface MetricReading {
  service: string;
  metric: string;
  value: number;
  unit: string;
  threshold: number;
  anomalous: boolean;
}

/** One log line, stamped with simulated minutes since the page. */
export interface WorldLogLine {
  minute: number;
  level: LogLevelWord;
  service: string;
  message: string;
  traceId?: string;
}

export interface WorldAlert {
  id: string;
  title: string;
  severity: SeverityWord;
  affectedServices: readonly string[];
  description: string;
}

/** Where the fault stands. */
export type FaultPhase =
  /** Unmitigated: the symptoms keep getting worse. */
  | "active"
  /** The right fix landed; metrics are returning to baseline. */
  | "recovering"
  /** Every metric is back within its threshold after a fix. */
  | "healthy";

export type FixOutcomeKind = "fixed" | "harmful" | "no_effect" | "unknown_service" | "already_fixed";

export interface FixOutcome {
  kind: FixOutcomeKind;
  /** What the responder sees happen, one sentence. */
  feedback: string;
}

export interface World {
  /** Simulated minutes since the page. */
  readonly minute: number;
  /** Wall-clock time of the page in simulated time (epoch milliseconds), derived from the seed. */
  readonly pagedAtMs: number;
  readonly alert: WorldAlert;
  readonly services: readonly ServiceSpec[];
  readonly kb: readonly KbArticleSpec[];
  readonly phase: FaultPhase;
  /** Current readings of every metric. */
  readings(): MetricReading[];
  /** Log lines printed up to the page, in time order. */
  openingLogs(): WorldLogLine[];
  /**
   * Applies a fix to a service now. `remedies` are the lexicon concept ids that the responder's
   * description of the fix expresses (the episode extracts them; the world stays free of text).
   */
  applyFix(target: string, remedies: ReadonlySet<string>): FixOutcome;
  /** Moves simulated time forward and returns the log lines printed meanwhile, in time order. */
  advance(minutes: number): WorldLogLine[];
}
