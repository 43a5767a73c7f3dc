/**
 * A fault's knowledge as sets of concept ids: what is on topic for it, and what its mechanism is.
 */
import type { FaultDefinition } from "../../scenarios/fault-types.js";

/**
 * Concepts on topic for this fault anywhere in a written answer: every runbook phase, escalation,
 * optional concepts, and the postmortem's mechanism, trigger, action items and optional concepts.
 * Harmful steps are not on topic (they count as foreign, and runbooks pay a penalty for them).
 */
export function onTopicConcepts(fault: FaultDefinition): ReadonlySet<string> {
  const { runbook, postmortem } = fault.knowledge;
  return new Set([
    ...runbook.diagnose,
    ...runbook.mitigate,
    ...runbook.verify,
    ...runbook.escalate,
    ...runbook.optional,
    ...postmortem.rootCause,
    ...postmortem.trigger,
    ...postmortem.actionItems,
    ...postmortem.optional,
  ]);
}
