/**
 * Diagnosis: which node the responder named as the root, and which fault class.
 *
 * Service part: the root 1; a node one hop from it (edges in either direction) 0.4; two hops
 * 0.15; anything else 0. A target naming several services or an unknown name names nothing (0).
 * Evidence cap: a node the responder had not seen (in an observation or by inspecting it) by the
 * minute of the diagnosis keeps 0.4 of its score; a name picked blind is a guess.
 *
 * Fault class: fault_kind equal to the incident's 1, any other 0. Unset, the reasoning earns 0.7
 * when it expresses at least one concept of this fault's mechanism (any alternative of its
 * root-cause requirements) and none of another known fault's mechanism, stays on topic (at most
 * one concept foreign to this fault, as the focus factor tolerates), and is not copied from the
 * knowledge base.
 */
import { ActionType, FaultKind } from "../../../gen/incident/v1/enums_pb.js";
import { FAULTS } from "../../scenarios/faults/index.js";
import { requirementIds } from "../../scenarios/knowledge.js";
import { focusFactor, foreignConcepts, profile } from "../concepts.js";
import { isCopied } from "../copying.js";
import type { StepRecord } from "../record.js";
import { discountNote, hadEvidence, stepsOfType, targetOf, type EpisodeFacts } from "./facts.js";
import { onTopicConcepts } from "./knowledge.js";
import { maskServiceNames } from "./mentions.js";
import type { PartScore } from "./types.js";

export const EVIDENCE_CAP = 0.4;
const BY_DISTANCE: readonly number[] = [1, 0.4, 0.15];
const REASONED_CLASS = 0.7;

/** Score of naming `node` as the root at `minute`, before any discount. */
export function servicePart(facts: EpisodeFacts, node: string | undefined, minute: number): { score: number; text: string } {
  if (node === undefined) return { score: 0, text: "the target names no single service" };
  const hops = facts.index.distance(node, facts.root);
  const base = BY_DISTANCE[hops] ?? 0;
  const where = hops === 0 ? "the root" : Number.isFinite(hops) ? `${hops} hop(s) from the root` : "not connected to the root";
  if (base > 0 && !hadEvidence(facts, node, minute)) {
    return { score: base * EVIDENCE_CAP, text: `${node} is ${where} (${base}), but had not been seen by minute ${minute}: x${EVIDENCE_CAP} evidence cap` };
  }
  return { score: base, text: `${node} is ${where} (${base})` };
}

export function faultClass(facts: EpisodeFacts, step: StepRecord): { score: number; text: string } {
  const kind = step.action.faultKind;
  if (kind !== undefined && kind !== FaultKind.UNSPECIFIED) {
    const named = FaultKind[kind]?.toLowerCase() ?? "unknown";
    return named === facts.fault.kind ? { score: 1, text: `fault_kind ${named} is right` } : { score: 0, text: `fault_kind ${named} is wrong` };
  }
  const reasoning = step.action.reasoning;
  if (isCopied(reasoning, facts.kb)) return { score: 0, text: "no fault_kind; the reasoning is copied from the knowledge base" };
  const expressed = [...profile(maskServiceNames(reasoning, facts.record.spec.topology.nodes)).expressed.keys()];
  const mine = new Set(requirementIds(facts.fault.knowledge.postmortem.rootCause));
  const hits = expressed.filter((id) => mine.has(id));
  const others = otherMechanisms(facts.fault.kind);
  const wrong = expressed.filter((id) => others.has(id) && !mine.has(id));
  const foreign = foreignConcepts(expressed, onTopicConcepts(facts.fault));
  if (hits.length === 0) return { score: 0, text: "no fault_kind, and the reasoning does not state this fault's mechanism" };
  if (wrong.length > 0) return { score: 0, text: `no fault_kind; the reasoning also states other faults' mechanisms (${wrong.join(", ")})` };
  if (focusFactor(hits.length, foreign.length) < 1) return { score: 0, text: `no fault_kind; the reasoning strays over other incidents' concepts (${foreign.join(", ")})` };
  return { score: REASONED_CLASS, text: `no fault_kind; the reasoning states the mechanism (${hits.join(", ")}): ${REASONED_CLASS}` };
}

const othersCache = new Map<string, ReadonlySet<string>>();

/** Every alternative of every other fault's root-cause requirements. */
function otherMechanisms(kind: string): ReadonlySet<string> {
  let set = othersCache.get(kind);
  if (!set) {
    set = new Set(Object.values(FAULTS).filter((f) => f.kind !== kind).flatMap((f) => requirementIds(f.knowledge.postmortem.rootCause)));
    othersCache.set(kind, set);
  }
  return set;
}

/**
 * Easy: the first diagnose with a target commits; both parts are discounted by its step. The
 * diagnosis is one claim ("this node failed this way"), so the fault class needs a target naming
 * one node, and the evidence cap applies to it too.
 */
export function committedDiagnosis(facts: EpisodeFacts): { service: PartScore; faultClass: PartScore } | undefined {
  const step = stepsOfType(facts, ActionType.DIAGNOSE).find((s) => (s.action.targetService?.trim() ?? "") !== "");
  if (!step) return undefined;
  const discount = discountNote(step.step);
  const node = targetOf(facts, step);
  const service = servicePart(facts, node, step.minute);
  let cls = faultClass(facts, step);
  if (node === undefined) cls = { score: 0, text: "the target names no single service, so the diagnosis names no fault" };
  else if (cls.score > 0 && !hadEvidence(facts, node, step.minute)) {
    cls = { score: cls.score * EVIDENCE_CAP, text: `${cls.text}; x${EVIDENCE_CAP} evidence cap (${node} not seen by minute ${step.minute})` };
  }
  return {
    service: { score: service.score * discount.factor, detail: `step ${step.step}: ${service.text}; ${discount.text}`, notes: [] },
    faultClass: { score: cls.score * discount.factor, detail: `step ${step.step}: ${cls.text}; ${discount.text}`, notes: [] },
  };
}

/** A node named as the root outside a diagnose action (a runbook's target_service). */
export interface NamedRoot {
  step: StepRecord;
  node: string | undefined;
  /** Multiplier for the answer it came with (the runbook's focus); 1 for a diagnose. */
  factor: number;
  source: string;
}

/** Medium and hard: the best service part over diagnoses and other named roots, each discounted by its step. */
export function bestDiagnosis(facts: EpisodeFacts, others: readonly NamedRoot[]): PartScore {
  const candidates: NamedRoot[] = [
    ...stepsOfType(facts, ActionType.DIAGNOSE).map((step) => ({ step, node: targetOf(facts, step), factor: 1, source: "diagnose" })),
    ...others,
  ];
  let best: PartScore = { score: 0, detail: "no diagnosis named a service", notes: [] };
  for (const c of candidates) {
    const part = servicePart(facts, c.node, c.step.minute);
    const discount = discountNote(c.step.step);
    const score = part.score * discount.factor * c.factor;
    if (score > best.score) {
      const scaled = c.factor < 1 ? `; x${c.factor.toFixed(2)} for the ${c.source} it came with` : "";
      best = { score, detail: `step ${c.step.step} (${c.source}): ${part.text}; ${discount.text}${scaled}`, notes: [] };
    }
  }
  return best;
}
