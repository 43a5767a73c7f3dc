/**
 * A fault's knowledge as sets of concept ids: what is on topic for it, and what its mechanism is.
 */
import type { FaultDefinition } from "../../sim/fault-types.js";
import { requirementIds } from "../../scenarios/knowledge.js";

const onTopicCache = new WeakMap<FaultDefinition, ReadonlySet<string>>();

/**
 * Concepts on topic for this fault anywhere in a written answer: every alternative of every
 * runbook phase and escalation, optional concepts, and the postmortem's mechanism, trigger,
 * action items and optional concepts. Harmful steps are not on topic (they count as foreign, and
 * runbooks pay a penalty for them).
 */
export function onTopicConcepts(fault: FaultDefinition): ReadonlySet<string> {
  const cached = onTopicCache.get(fault);
  if (cached) return cached;
  const { runbook, postmortem } = fault.knowledge;
  const set = new Set([
    ...requirementIds([...runbook.diagnose, ...runbook.mitigate, ...runbook.verify, ...runbook.escalate]),
    ...runbook.optional,
    ...requirementIds([...postmortem.rootCause, ...postmortem.trigger, ...postmortem.actionItems]),
    ...postmortem.optional,
  ]);
  onTopicCache.set(fault, set);
  return set;
}
