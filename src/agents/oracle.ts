/**
 * The oracle: an agent that reads the scenario's ground truth. It shows what a perfect responder
 * earns (tests and benchmarks use it as the upper bound) and exercises every part of an episode.
 *
 * easy: diagnose the root service. medium: apply the right fix, then write a runbook of the
 * incident's concepts in phase order. hard: apply the fix, then write a postmortem of the
 * incident's concepts with the true severity.
 */
import { create } from "@bufbuild/protobuf";
import { ActionSchema, type Action } from "../../gen/incident/v1/action_pb.js";
import { ActionType, Severity } from "../../gen/incident/v1/enums_pb.js";
import type { Observation } from "../../gen/incident/v1/observation_pb.js";
import { concept } from "../scenarios/lexicon.js";
import type { ScenarioTemplate } from "../scenarios/types.js";
import type { Agent } from "./agent.js";

/** A plain sentence for a concept: its first phrase. */
function say(conceptId: string): string {
  return concept(conceptId).phrases[0] ?? conceptId;
}

export function oracleAgent(template: ScenarioTemplate): Agent {
  const root = template.truth.rootService;
  const fixAction = (): Action =>
    create(ActionSchema, {
      actionType: ActionType.APPLY_FIX,
      targetService: template.fix.targets[0] ?? root,
      reasoning: `${say(template.fix.concepts[0] ?? "")} on ${template.fix.targets[0] ?? root}`,
    });
  const plans: Record<ScenarioTemplate["level"], () => Action[]> = {
    easy: () => [create(ActionSchema, { actionType: ActionType.DIAGNOSE, targetService: root, reasoning: `root cause on ${root}` })],
    medium: () => [
      fixAction(),
      create(ActionSchema, {
        actionType: ActionType.WRITE_RUNBOOK,
        targetService: root,
        reasoning: `runbook for ${template.title}`,
        runbookSteps: [
          ...template.runbook.diagnose.map((id) => `Diagnose: ${say(id)} on ${root}.`),
          ...template.runbook.mitigate.map((id) => `Mitigate: ${say(id)}.`),
          ...template.runbook.verify.map((id) => `Verify: ${say(id)} back to normal.`),
        ],
      }),
    ],
    hard: () => [
      fixAction(),
      create(ActionSchema, {
        actionType: ActionType.WRITE_POSTMORTEM,
        targetService: root,
        severityAssessment: Severity[template.truth.severity],
        reasoning: `postmortem for ${template.title}`,
        postmortemSections: {
          summary: template.postmortem.summary.map(say).join(". "),
          rootCause: `${root}: ${template.postmortem.root_cause.map(say).join(". ")}`,
          timeline: template.postmortem.timeline.map(say).join(". "),
          impact: template.postmortem.impact.map(say).join(". "),
          actionItems: template.postmortem.action_items.map(say).join(". "),
        },
      }),
    ],
  };
  const plan = plans[template.level]();
  let next = 0;
  return {
    name: "oracle",
    act(_observation: Observation): Action {
      const action = plan[Math.min(next, plan.length - 1)];
      next++;
      if (!action) throw new Error("oracle has no plan");
      return action;
    },
  };
}
