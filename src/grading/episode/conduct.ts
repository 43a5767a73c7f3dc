/**
 * Conduct: a multiplier on the whole grade for how the responder treated the system.
 *
 * x0.85 for every remediation that was destructive or harmful (restarting a database, scaling a
 * service to zero, a fix the fault makes backfire). x0.95 for every remediation that changed
 * nothing (shotgun fixes: trying every remediation on every service until one sticks costs).
 * x0.95 for every repeat of an identical action
 * beyond its first occurrence: same type, target, remediation kind and parameters, and for written
 * answers the same content (rewriting a runbook is how it gets better; sending the same one again
 * is not). An inspect counts as a repeat only when the step before inspected the same service
 * (looking again later, after a fix, is fair).
 *
 * x0.9 for every revised answer: a diagnose naming another node or fault class than the previous
 * diagnose, and every runbook or postmortem after the first. Only the last answer of each kind is
 * graded; without a cost, an agent could submit one answer per candidate and keep the best.
 */
import { ActionType, FaultKind, RemediationKind, Severity } from "../../../gen/incident/v1/enums_pb.js";
import { wordFromEnum } from "../../sim/enum-words.js";
import type { Action } from "../../../gen/incident/v1/action_pb.js";
import type { StepRecord } from "../record.js";
import { targetOf, type EpisodeFacts } from "./facts.js";

const HARMFUL_FACTOR = 0.85;
const REPEAT_FACTOR = 0.95;
const NO_EFFECT_FACTOR = 0.95;
const REVISION_FACTOR = 0.9;

interface ConductFactor {
  name: "harmful_remediation" | "ineffective_remediation" | "repeated_action" | "revised_answer";
  factor: number;
  detail: string;
}

export function conductFactors(facts: EpisodeFacts): ConductFactor[] {
  const factors: ConductFactor[] = [];
  const seen = new Set<string>();
  let previous: StepRecord | undefined;
  for (const step of facts.record.steps) {
    const outcome = step.remediation;
    const kindWord = wordFromEnum(RemediationKind, step.action.remediation?.kind ?? RemediationKind.UNSPECIFIED) ?? "remediation";
    if (outcome && (outcome.destructive || outcome.kind === "harmful")) {
      factors.push({
        name: "harmful_remediation",
        factor: HARMFUL_FACTOR,
        detail: `step ${step.step}: ${kindWord} on ${step.target ?? "?"} was ${outcome.destructive ? "destructive" : "harmful"}`,
      });
    } else if (outcome && outcome.kind === "no_effect") {
      factors.push({
        name: "ineffective_remediation",
        factor: NO_EFFECT_FACTOR,
        detail: `step ${step.step}: ${kindWord} on ${step.target ?? "?"} changed nothing`,
      });
    }
    const target = targetOf(facts, step) ?? step.action.targetService?.trim() ?? "";
    let repeated: boolean;
    if (step.action.actionType === ActionType.INSPECT) {
      const before =
        previous?.action.actionType === ActionType.INSPECT
          ? (targetOf(facts, previous) ?? previous.action.targetService?.trim())
          : undefined;
      repeated = before !== undefined && before === target;
    } else {
      const key = actionKey(step.action, target);
      repeated = seen.has(key);
      seen.add(key);
    }
    if (repeated) {
      factors.push({
        name: "repeated_action",
        factor: REPEAT_FACTOR,
        detail: `step ${step.step}: repeats an earlier ${wordFromEnum(ActionType, step.action.actionType) ?? "action"}${target ? ` on ${target}` : ""}`,
      });
    }
    previous = step;
  }
  factors.push(...revisions(facts));
  return factors;
}

/** Answers that replaced a different earlier answer of the same kind. */
function revisions(facts: EpisodeFacts): ConductFactor[] {
  const out: ConductFactor[] = [];
  const last = new Map<ActionType, string>();
  for (const step of facts.record.steps) {
    const type = step.action.actionType;
    let key: string;
    if (type === ActionType.DIAGNOSE) {
      if ((step.action.targetService?.trim() ?? "") === "") continue;
      key = JSON.stringify([
        targetOf(facts, step) ?? step.action.targetService?.trim().toLowerCase(),
        step.action.faultKind ?? FaultKind.UNSPECIFIED,
      ]);
    } else if (type === ActionType.WRITE_RUNBOOK || type === ActionType.WRITE_POSTMORTEM) {
      key = actionKey(step.action, "");
    } else {
      continue;
    }
    const before = last.get(type);
    last.set(type, key);
    if (before === undefined || before === key) continue;
    const what = type === ActionType.DIAGNOSE ? "diagnosis" : type === ActionType.WRITE_RUNBOOK ? "runbook" : "postmortem";
    out.push({
      name: "revised_answer",
      factor: REVISION_FACTOR,
      detail: `step ${step.step}: a new ${what} replaces an earlier, different one (only the last counts)`,
    });
  }
  return out;
}

/** What makes two actions the same action (the reasoning does not). */
function actionKey(action: Action, target: string): string {
  const params = Object.entries(action.remediation?.parameters ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const sections = action.postmortemSections;
  return JSON.stringify([
    action.actionType,
    target,
    action.remediation?.kind ?? 0,
    params,
    action.faultKind ?? FaultKind.UNSPECIFIED,
    action.severityAssessment ?? Severity.UNSPECIFIED,
    action.runbookSteps,
    sections
      ? [
          sections.summary,
          sections.timeline,
          sections.rootCause,
          sections.impact,
          sections.actionItems,
          sections.trigger,
          sections.resolution,
          sections.detection,
          sections.lessonsLearned,
        ]
      : [],
  ]);
}
