/**
 * Reading a fault's knowledge (./fault-types.ts FaultKnowledge): requirements with alternatives.
 *
 * A Requirement is one concept id or a list of alternatives; a text satisfies it when it
 * expresses any alternative. Graders credit each requirement once, whichever alternative did it.
 */
import type { FaultKnowledge, Requirement } from "../sim/fault-types.js";

/** Something that says whether a concept id was expressed (a Set, a Map of positions). */
interface Expressed {
  has(id: string): boolean;
}

/** The alternatives of a requirement, in authoring order (the first is the canonical one). */
export function alternatives(requirement: Requirement): readonly string[] {
  return typeof requirement === "string" ? [requirement] : requirement;
}

/** The canonical (first) alternative of a requirement. */
export function firstAlternative(requirement: Requirement): string {
  const first = alternatives(requirement)[0];
  if (first === undefined) throw new Error("a requirement needs at least one concept");
  return first;
}

/** Every concept id the requirements name, each once, in order. */
export function requirementIds(requirements: readonly Requirement[]): string[] {
  return [...new Set(requirements.flatMap((r) => alternatives(r)))];
}

/** The alternative of the requirement that the text expresses (the first in authoring order), if any. */
export function satisfiedBy(requirement: Requirement, expressed: Expressed): string | undefined {
  return alternatives(requirement).find((id) => expressed.has(id));
}

/** How many of the requirements the text satisfies. */
export function satisfiedCount(requirements: readonly Requirement[], expressed: Expressed): number {
  return requirements.filter((r) => satisfiedBy(r, expressed) !== undefined).length;
}

/** The requirements the text does not satisfy. */
export function unmet(requirements: readonly Requirement[], expressed: Expressed): Requirement[] {
  return requirements.filter((r) => satisfiedBy(r, expressed) === undefined);
}

/** Every concept id a fault's knowledge names anywhere, harmful ones included. */
export function knowledgeIds(knowledge: FaultKnowledge): string[] {
  const { runbook, postmortem } = knowledge;
  return [
    ...new Set([
      ...requirementIds([...runbook.diagnose, ...runbook.mitigate, ...runbook.verify, ...runbook.escalate]),
      ...runbook.optional,
      ...runbook.harmful,
      ...requirementIds([...postmortem.rootCause, ...postmortem.trigger, ...postmortem.actionItems]),
      ...postmortem.optional,
    ]),
  ];
}
