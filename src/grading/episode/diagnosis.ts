/**
 * Diagnosis: which node the responder named as the root, and which fault class.
 *
 * Service part: the root 1; a node one hop from it (edges in either direction) 0.3; two hops
 * 0.1; anything else 0. A target naming several services or an unknown name names nothing (0).
 * Evidence cap: a node the responder had not seen (in an observation or by inspecting it) by the
 * minute of the diagnosis keeps 0.4 of its score; a name picked blind is a guess.
 *
 * Fault class: fault_kind equal to the incident's 1, any other 0. Unset, the reasoning earns 0.7
 * when it states this fault's mechanism and no other's, on topic and in its own words
 * (../free-text-fault.ts faultClassFromReasoning: copied from the KB, several mechanisms or a
 * keyword list state nothing).
 */
import { ActionType, FaultKind } from "../../../gen/incident/v1/enums_pb.js";
import { wordFromEnum } from "../../sim/enum-words.js";
import { faultClassFromReasoning } from "../free-text-fault.js";
import type { StepRecord } from "../record.js";
import { discountNote, hadEvidence, stepsOfType, targetOf, type EpisodeFacts } from "./facts.js";
import type { PartScore } from "./types.js";

const EVIDENCE_CAP = 0.4;
const BY_DISTANCE: readonly number[] = [1, 0.3, 0.1];
const REASONED_CLASS = 0.7;

/** Score of naming `node` as the root at `minute`, before any discount. */
function servicePart(facts: EpisodeFacts, node: string | undefined, minute: number): { score: number; text: string } {
  if (node === undefined) return { score: 0, text: "the target names no single service" };
  const hops = facts.index.distance(node, facts.root);
  const base = BY_DISTANCE[hops] ?? 0;
  const where = hops === 0 ? "the root" : Number.isFinite(hops) ? `${hops} hop(s) from the root` : "not connected to the root";
  if (base > 0 && !hadEvidence(facts, node, minute)) {
    return {
      score: base * EVIDENCE_CAP,
      text: `${node} is ${where} (${base}), but had not been seen by minute ${minute}: x${EVIDENCE_CAP} evidence cap`,
    };
  }
  return { score: base, text: `${node} is ${where} (${base})` };
}

function faultClass(facts: EpisodeFacts, step: StepRecord): { score: number; text: string } {
  const kind = step.action.faultKind;
  if (kind !== undefined && kind !== FaultKind.UNSPECIFIED) {
    const named = wordFromEnum(FaultKind, kind) ?? "unknown";
    return named === facts.fault.kind
      ? { score: 1, text: `fault_kind ${named} is right` }
      : { score: 0, text: `fault_kind ${named} is wrong` };
  }
  // Older clients state the class in words: one fault's mechanism, in their own words.
  const stated = faultClassFromReasoning(step.action.reasoning, facts.kb, facts.record.spec.topology.nodes);
  if (stated === undefined)
    return { score: 0, text: "no fault_kind, and the reasoning states no single fault's mechanism in its own words" };
  if (stated !== facts.fault.kind) return { score: 0, text: `no fault_kind; the reasoning states ${stated}, which is wrong` };
  return { score: REASONED_CLASS, text: `no fault_kind; the reasoning states the mechanism of ${stated}: ${REASONED_CLASS}` };
}

/**
 * The diagnosis that counts: the last `diagnose` with a target (on easy the first one commits and
 * ends the episode, so it is also the last). It is one claim, "this node failed this way":
 *
 *   score = service part x (0.1 + 0.9 x fault class)
 *
 * so the right node for the wrong reason keeps a tenth, and naming a fault class on a node the
 * responder had not seen is capped with it. Earlier, different diagnoses cost (./conduct.ts); the
 * time discount is that of the step at which this answer was first given (repeating it later
 * does not make it later).
 */
interface FinalDiagnosis {
  step: StepRecord;
  node: string | undefined;
  /** In [0, 1], before the time discount. */
  service: number;
  faultClass: number;
  part: PartScore;
  /** True when the node is the root and the fault class is right (stated or typed). */
  correct: boolean;
}

/** Share of a diagnosis a right node keeps when the fault class is wrong or missing. */
const WRONG_CLASS_SHARE = 0.1;

export function finalDiagnosis(facts: EpisodeFacts): FinalDiagnosis | undefined {
  const diagnoses = stepsOfType(facts, ActionType.DIAGNOSE).filter((s) => (s.action.targetService?.trim() ?? "") !== "");
  const last = diagnoses.at(-1);
  if (!last) return undefined;
  const node = targetOf(facts, last);
  const same = (s: StepRecord): boolean =>
    targetOf(facts, s) === node && (s.action.faultKind ?? FaultKind.UNSPECIFIED) === (last.action.faultKind ?? FaultKind.UNSPECIFIED);
  let first = diagnoses.length - 1;
  while (first > 0 && same(diagnoses[first - 1] as StepRecord)) first--;
  const given = diagnoses[first] as StepRecord;
  const discount = discountNote(given.step);
  const service = servicePart(facts, node, last.minute);
  let cls = faultClass(facts, last);
  if (node === undefined) cls = { score: 0, text: "the target names no single service, so the diagnosis names no fault" };
  const score = service.score * (WRONG_CLASS_SHARE + (1 - WRONG_CLASS_SHARE) * cls.score) * discount.factor;
  const shared = cls.score < 1 ? `; x${(WRONG_CLASS_SHARE + (1 - WRONG_CLASS_SHARE) * cls.score).toFixed(2)} for the fault class` : "";
  return {
    step: last,
    node,
    service: service.score,
    faultClass: cls.score,
    correct: node === facts.root && cls.score > 0,
    part: { score, detail: `step ${given.step}: ${service.text}; ${cls.text}${shared}; ${discount.text}`, notes: [] },
  };
}

/** The diagnosis part of a grade: the final diagnosis, or nothing. */
export function diagnosisScore(facts: EpisodeFacts): PartScore {
  return finalDiagnosis(facts)?.part ?? { score: 0, detail: "no diagnose with a target_service", notes: [] };
}
