/**
 * The three task levels, as typed data.
 *
 * easy (triage): read the page, metrics, logs and KB, then commit to the root-cause service with
 *   one `diagnose` (target_service). The diagnosis ends the episode.
 * medium (runbook): write a runbook for the incident (`write_runbook` with runbook_steps, ordered
 *   diagnose, mitigate, verify) naming the root service; applying the right fix heals the system.
 * hard (postmortem): work out a multi-service incident whose loudest symptoms point elsewhere,
 *   then write its postmortem (`write_postmortem` with the five sections and a severity).
 *
 * On every level an episode ends when its score reaches the threshold, when the agent sends
 * `resolve`, when a committing action is taken, or when the step budget runs out.
 */
import { ActionType } from "../../gen/incident/v1/enums_pb.js";
import type { Grader } from "../grading/grade.js";
import { postmortemGrader } from "../grading/postmortem-grader.js";
import { runbookGrader } from "../grading/runbook-grader.js";
import { triageGrader } from "../grading/triage-grader.js";
import type { Level } from "../scenarios/types.js";

export interface TaskDefinition {
  level: Level;
  description: string;
  objective: string;
  maxSteps: number;
  scoreThreshold: number;
  grader: Grader;
  minutesPerStep: number;
  /** An action of this type with a target_service commits the answer and ends the episode. */
  commitAction?: ActionType;
}

export const TASKS: Readonly<Record<Level, TaskDefinition>> = {
  easy: {
    level: "easy",
    description: "Identify the failing service from the page, metrics, logs and knowledge base",
    objective:
      "Find the service at the root of the incident. When sure, send one diagnose action with target_service set to that service; the diagnosis is final and ends the episode.",
    maxSteps: 8,
    scoreThreshold: 0.7,
    grader: triageGrader,
    minutesPerStep: 5,
    commitAction: ActionType.DIAGNOSE,
  },
  medium: {
    level: "medium",
    description: "Write a remediation runbook for a cascading failure",
    objective:
      "Work out what is failing and why, then send write_runbook with ordered runbook_steps (diagnose, mitigate, verify) and target_service set to the root service. apply_fix with the right fix on the right service heals the system.",
    maxSteps: 10,
    scoreThreshold: 0.7,
    grader: runbookGrader,
    minutesPerStep: 5,
  },
  hard: {
    level: "hard",
    description: "Diagnose a multi-service cascading failure and write its postmortem",
    objective:
      "The loudest symptoms may not be the cause. Find the root cause, then send write_postmortem with postmortem_sections (summary, timeline, root_cause, impact, action_items), severity_assessment and target_service set to the root service.",
    maxSteps: 12,
    scoreThreshold: 0.7,
    grader: postmortemGrader,
    minutesPerStep: 5,
  },
};

export const LEVELS: readonly Level[] = ["easy", "medium", "hard"];
