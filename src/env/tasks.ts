/**
 * The task levels, as typed data. The graders live in src/grading/episode.
 *
 * easy (triage): a small system (5-12 services). Inspect what looks wrong, then commit to the
 *   root-cause service and its fault class with one `diagnose`, which ends the episode.
 * medium (mitigation + runbook): 8-20 services. Find the cause, fix it with the right
 *   remediation on the right service so the system recovers, and write the runbook.
 * hard (postmortem): 15-40 services, loud symptoms far from the cause and more red herrings.
 *   Find it, fix it, and write a postmortem whose facts match what happened.
 * expert: 20-40 services; the hard task where lookup fails. The root sits deep below the entry
 *   point, an unrelated change makes noise at the same time with another failure mode's
 *   symptoms and lines, and single readings may be blips. Timing (the change log against when
 *   each service's metrics moved) and inspections tell the cause from the noise.
 *
 * Some incidents need no fix (a false alarm: confirm health and stand down) or a hand-off (a
 * provider's outage: mitigate on our side and escalate to the provider).
 *
 * On every level an episode ends on `resolve`, on the easy task's committed diagnosis, or when
 * the step budget runs out; it succeeds when its score reaches the threshold.
 */
import { ActionType } from "../../gen/incident/v1/enums_pb.js";
import type { Level } from "../sim/vocabulary.js";

export interface TaskDefinition {
  level: Level;
  description: string;
  objective: string;
  maxSteps: number;
  scoreThreshold: number;
  /** Name of the level's episode grader (src/grading/episode). */
  grader: string;
  minutesPerStep: number;
  /** An action of this type with a target_service commits the answer and ends the episode. */
  commitAction?: ActionType;
}

export const TASKS: Readonly<Record<Level, TaskDefinition>> = {
  easy: {
    level: "easy",
    description: "Identify the failing service from the page, metrics, logs and knowledge base",
    objective:
      "Find the service at the root of the incident and what failed there. Inspect services to gather evidence, then send one diagnose action with target_service and fault_kind; the diagnosis is final and ends the episode.",
    maxSteps: 10,
    scoreThreshold: 0.7,
    grader: "grade_easy",
    minutesPerStep: 5,
    commitAction: ActionType.DIAGNOSE,
  },
  medium: {
    level: "medium",
    description: "Mitigate a cascading failure and write its remediation runbook",
    objective:
      "Find the root cause, apply_fix the right remediation to the right service so the system recovers and stays healthy, write_runbook with ordered runbook_steps (diagnose, mitigate, verify, escalate) naming the root service, then resolve.",
    maxSteps: 14,
    scoreThreshold: 0.7,
    grader: "grade_medium",
    minutesPerStep: 5,
  },
  hard: {
    level: "hard",
    description: "Diagnose a multi-service cascading failure and write its postmortem",
    objective:
      "The loudest symptoms may not be the cause. Find and fix the root cause, then write_postmortem with postmortem_sections (summary, timeline with clock times, root_cause, impact with numbers, action_items), severity_assessment and target_service; its facts are checked against what happened. Then resolve.",
    maxSteps: 18,
    scoreThreshold: 0.7,
    grader: "grade_hard",
    minutesPerStep: 5,
  },
  expert: {
    level: "expert",
    description: "Separate the cause from simultaneous noise in a large system, fix it and write its postmortem",
    objective:
      "An unrelated change is making noise at the same time, the loudest services are far from the cause, and single readings can be blips: read trends and line up the change log with when each service's metrics moved. Find and fix the root cause (or, if nothing is broken, change nothing), escalate when only a provider can fix it, then write_postmortem with postmortem_sections, severity_assessment and target_service, and resolve.",
    maxSteps: 20,
    scoreThreshold: 0.7,
    grader: "grade_expert",
    minutesPerStep: 5,
  },
};

export const LEVELS: readonly Level[] = ["easy", "medium", "hard", "expert"];
