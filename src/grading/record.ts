/**
 * What the graders read: the incident's ground truth and everything that happened in the episode
 * so far. Graders are pure functions of this record, so a trajectory replayed gives the same
 * grades, and a grade can be explained from the record alone.
 */
import type { Action } from "../../gen/incident/v1/action_pb.js";
import type { RemediationOutcome } from "../sim/remediation.js";
import type { IncidentSpec } from "../sim/incident.js";
import type { NodeImpact, TimelineEvent } from "../sim/incident-world.js";
import type { SeverityWord } from "../sim/vocabulary.js";

export interface StepRecord {
  /** 1 for the first step. */
  step: number;
  /** Simulated minute at which the action was taken (0 = when the responder joined). */
  minute: number;
  action: Action;
  /** The node the action's target_service resolved to, if it named exactly one. */
  target?: string;
  /** What a remediation did, for apply_fix steps that reached the world. */
  remediation?: RemediationOutcome;
}

/** Read-only facts about the world, as of the current minute. */
export interface WorldFacts {
  minute: number;
  /** Wall-clock time of minute 0, epoch ms. */
  startedAtMs: number;
  timeline: readonly TimelineEvent[];
  impact: readonly NodeImpact[];
  /** Severity implied by the impact so far. */
  severity: SeverityWord;
  /** Health indicators within thresholds now. */
  healthy: boolean;
  /** Health has held for the required window after a fix. */
  healthHeld: boolean;
  /** Minute of the page (the first alert after the onset). */
  pageMinute: number;
}

export interface EpisodeRecord {
  spec: IncidentSpec;
  world: WorldFacts;
  steps: readonly StepRecord[];
  /**
   * For each service, the minute the responder first had evidence about it: it was the page, it
   * had metrics in an observation's overview (entry points, alerting services), or the responder
   * inspected it.
   */
  evidence: ReadonlyMap<string, number>;
  /** Services the responder inspected, with the step of the first inspection. */
  inspected: ReadonlyMap<string, number>;
}
