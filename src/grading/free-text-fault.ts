/**
 * The one fault class a diagnosis's reasoning states, for diagnoses sent without fault_kind.
 *
 * A fault's mechanism is the set of concepts of its postmortem root-cause requirements (every
 * alternative of each). The reasoning states a fault when it expresses a concept of that fault's
 * mechanism and every other fault's mechanism concept it expresses is that fault's trigger ("a
 * memory leak in the new build": a deploy is a leak's trigger, not a second mechanism). It
 * states none (undefined) when:
 * - it is copied from the references (the KB articles the agent saw);
 * - it expresses no mechanism concept;
 * - its mechanism concepts belong to no single fault ("the connection pool is exhausted and the
 *   disk is full" states two mechanisms); when several faults hold all of them (a concept two
 *   mechanisms share), the fault whose mechanism it covers best wins, and a tie states none;
 * - it strays: more than one concept foreign to that fault, as the focus factor
 *   (./concepts.ts) tolerates, so a keyword list is no statement.
 * Mechanisms only rejected or negated ("not a memory leak") are not stated
 * (./rejections.ts, ./text.ts).
 */
import type { FaultKind } from "../sim/fault-types.js";
import { FAULTS } from "../scenarios/faults/index.js";
import { requirementIds } from "../scenarios/knowledge.js";
import type { ServiceNode } from "../sim/topology.js";
import { focusFactor, foreignConcepts, profile } from "./concepts.js";
import { isCopied, type CopyReferences } from "./copying.js";
import { onTopicConcepts } from "./episode/knowledge.js";
import { maskServiceNames } from "./episode/mentions.js";

interface Mechanism {
  kind: FaultKind;
  concepts: ReadonlySet<string>;
  /** Its trigger's concepts: a memory leak "in the new build" names a deploy as its trigger. */
  trigger: ReadonlySet<string>;
}

const MECHANISMS: readonly Mechanism[] = Object.values(FAULTS).map((f) => ({
  kind: f.kind,
  concepts: new Set(requirementIds(f.knowledge.postmortem.rootCause)),
  trigger: new Set(requirementIds(f.knowledge.postmortem.trigger)),
}));
const ALL_MECHANISM_CONCEPTS: ReadonlySet<string> = new Set(MECHANISMS.flatMap((m) => [...m.concepts]));

/**
 * The fault whose mechanism the reasoning states, or undefined. `nodes` (the incident's services)
 * are masked before reading, as every grader does, so a name such as "deploy-controller" is not
 * read as a deploy.
 */
export function faultClassFromReasoning(
  reasoning: string,
  references: CopyReferences,
  nodes: readonly ServiceNode[] = [],
): FaultKind | undefined {
  if (isCopied(reasoning, references)) return undefined;
  const expressed = [...profile(maskServiceNames(reasoning, nodes)).expressed.keys()];
  const stated = expressed.filter((id) => ALL_MECHANISM_CONCEPTS.has(id));
  if (stated.length === 0) return undefined;
  const holders = MECHANISMS.filter(
    (m) => stated.some((id) => m.concepts.has(id)) && stated.every((id) => m.concepts.has(id) || m.trigger.has(id)),
  );
  if (holders.length === 0) return undefined;
  const coverage = (m: Mechanism): number => stated.filter((id) => m.concepts.has(id)).length / m.concepts.size;
  const best = Math.max(...holders.map(coverage));
  const winners = holders.filter((m) => coverage(m) === best);
  const [winner] = winners;
  if (winners.length !== 1 || !winner) return undefined;
  const fault = FAULTS[winner.kind];
  const onTopic = onTopicConcepts(fault);
  const foreign = foreignConcepts(expressed, onTopic);
  if (focusFactor(expressed.filter((id) => onTopic.has(id)).length, foreign.length) < 1) return undefined;
  return winner.kind;
}
