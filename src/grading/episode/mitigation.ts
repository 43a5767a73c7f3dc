/**
 * Mitigation: did a fix land, and did the system come back and stay back.
 *
 * The first step whose remediation fixed or relieved the fault: 1 if health has held for the
 * required window since (world.healthHeld), 0.6 if the system is healthy now, 0.3 if the fix
 * landed but health is not back; times the time discount of that step. When no remediation ever
 * fixed the fault for good (relief only, e.g. killing idle sessions), the score is capped at 0.6.
 *
 * Faults whose response is not (only) a fix (src/sim/fault-types.ts ResponseSpec):
 * - restraint (a false alarm): 1 when the responder changed nothing in the system and inspected
 *   the paged service to confirm it was healthy, 0.5 when it changed nothing without looking,
 *   0 once any remediation touched the system (putting the alert rule back, a revert_config on
 *   the paged service, is not one);
 * - escalation (a provider's outage): the fix part above is worth 0.6 and escalating to the
 *   owners of the node (an escalate whose target_service is the provider) 0.4.
 */
import { ActionType, RemediationKind } from "../../../gen/incident/v1/enums_pb.js";
import type { Scope } from "../../sim/fault-types.js";
import { discountNote, stepsOfType, targetOf, type EpisodeFacts } from "./facts.js";
import type { PartScore } from "./types.js";

const RELIEF_CAP = 0.6;
const ESCALATION_SHARE = 0.4;
const UNCONFIRMED_RESTRAINT = 0.5;

export function mitigationScore(facts: EpisodeFacts): PartScore {
  const response = facts.fault.response;
  if (response?.restraint) return restraintScore(facts);
  const fix = fixScore(facts);
  if (response?.escalateTo === undefined) return fix;
  const escalation = escalationPart(facts, response.escalateTo);
  return {
    score: (1 - ESCALATION_SHARE) * fix.score + ESCALATION_SHARE * escalation.score,
    detail: `fix ${fix.score.toFixed(2)} (${fix.detail}) x${1 - ESCALATION_SHARE}; escalation ${escalation.score} (${escalation.detail}) x${ESCALATION_SHARE}`,
    notes: [],
  };
}

function fixScore(facts: EpisodeFacts): PartScore {
  const steps = facts.record.steps;
  const first = steps.find((s) => s.remediation?.kind === "fixed" || s.remediation?.kind === "relieved");
  if (!first) return { score: 0, detail: "no remediation fixed or relieved the fault", notes: [] };
  const world = facts.record.world;
  const durable = steps.some((s) => s.remediation?.kind === "fixed");
  let health = world.healthHeld ? 1 : world.healthy ? 0.6 : 0.3;
  const state = world.healthHeld ? "health held since (1)" : world.healthy ? "healthy now, not yet held (0.6)" : "health not back (0.3)";
  let cap = "";
  if (!durable && health > RELIEF_CAP) {
    health = RELIEF_CAP;
    cap = `; relief only, capped at ${RELIEF_CAP}`;
  }
  const discount = discountNote(first.step);
  return {
    score: health * discount.factor,
    detail: `step ${first.step}: ${first.target ?? "?"} ${first.remediation?.kind}; ${state}${cap}; ${discount.text}`,
    notes: [],
  };
}

function restraintScore(facts: EpisodeFacts): PartScore {
  const root = facts.root;
  const changed = facts.record.steps.filter((s) => {
    if (!s.remediation || s.remediation.kind === "invalid") return false;
    const undoesRule = s.action.remediation?.kind === RemediationKind.REVERT_CONFIG && s.remediation.kind !== "harmful";
    return !(undoesRule && s.target === root);
  });
  if (changed.length > 0) {
    return {
      score: 0,
      detail: `nothing was broken, but step ${changed[0]?.step} changed the system (${changed.map((s) => s.target ?? "?").join(", ")})`,
      notes: [],
    };
  }
  if (!facts.record.inspected.has(root))
    return { score: UNCONFIRMED_RESTRAINT, detail: `changed nothing, but never inspected ${root} to confirm it was healthy`, notes: [] };
  return { score: 1, detail: `changed nothing in the system and confirmed ${root} healthy`, notes: [] };
}

function escalationPart(facts: EpisodeFacts, scope: Scope): { score: number; detail: string } {
  const owners = new Set(nodesIn(facts, scope));
  const escalations = stepsOfType(facts, ActionType.ESCALATE);
  const right = escalations.find((s) => {
    const target = targetOf(facts, s);
    return target !== undefined && owners.has(target);
  });
  if (right) return { score: 1, detail: `step ${right.step}: escalated to ${targetOf(facts, right)}` };
  if (escalations.length > 0) return { score: 0, detail: `escalated, but not to ${[...owners].join(" or ")}` };
  return { score: 0, detail: `never escalated to ${[...owners].join(" or ")}` };
}

function nodesIn(facts: EpisodeFacts, scope: Scope): string[] {
  const root = facts.root;
  switch (scope) {
    case "root":
      return [root];
    case "root_callers":
      return facts.index
        .callers(root)
        .filter((e) => e.requestPath)
        .map((e) => e.caller);
    case "root_callees":
      return facts.index
        .callees(root)
        .filter((e) => e.requestPath)
        .map((e) => e.callee);
  }
}
