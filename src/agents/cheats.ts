/**
 * The standing suite of cheating policies. Each plays a whole episode of any level the way a
 * reward hacker would; the graders must keep every one of them near zero (test/cheats.test.ts).
 *
 * keyword_stuffing     every lexicon phrase in every text field, every service name as target
 * list_every_service   all service names as the target of every answer
 * restart_everything   restart each service in turn, then claim victory
 * scale_to_zero        scale each service to zero replicas
 * empty_answers        answers with nothing in them
 * copy_kb              the KB articles pasted into every text field
 */
import { create } from "@bufbuild/protobuf";
import { ActionSchema, type Action } from "../../gen/incident/v1/action_pb.js";
import { ActionType, RemediationKind, Severity, TaskLevel } from "../../gen/incident/v1/enums_pb.js";
import type { Observation } from "../../gen/incident/v1/observation_pb.js";
import { LEXICON } from "../scenarios/lexicon.js";
import type { Agent } from "./agent.js";

type Plan = (observation: Observation, step: number) => Action;

const ALL_PHRASES = [...LEXICON.values()].flatMap((c) => c.phrases).join(", ");

function services(observation: Observation): string[] {
  return observation.topology?.services.map((s) => s.name) ?? [];
}

function kbText(observation: Observation): string {
  return observation.kbArticles.map((a) => `${a.title}. ${a.content}`).join(" ");
}

/** The level's closing answer, with the policy's text in every field. */
function answer(observation: Observation, text: string, named: string, steps: string[]): Action {
  const target = named === "" ? undefined : named.slice(0, 128);
  switch (observation.taskLevel) {
    case TaskLevel.EASY:
      return create(ActionSchema, { actionType: ActionType.DIAGNOSE, targetService: target, reasoning: text.slice(0, 4000) });
    case TaskLevel.MEDIUM:
      return create(ActionSchema, {
        actionType: ActionType.WRITE_RUNBOOK,
        targetService: target,
        reasoning: text.slice(0, 4000),
        runbookSteps: steps.slice(0, 30).map((s) => s.slice(0, 500)),
      });
    default: {
      const section = text.slice(0, 4000);
      return create(ActionSchema, {
        actionType: ActionType.WRITE_POSTMORTEM,
        targetService: target,
        severityAssessment: Severity.P1,
        postmortemSections: { summary: section, timeline: section, rootCause: section, impact: section, actionItems: section },
      });
    }
  }
}

function chunks(text: string, size: number): string[] {
  const words = text.split(/\s+/).filter((w) => w !== "");
  const out: string[] = [];
  for (let i = 0; i < words.length; i += size) out.push(words.slice(i, i + size).join(" "));
  return out;
}

const resolve = (): Action => create(ActionSchema, { actionType: ActionType.RESOLVE, reasoning: "all done" });

const PLANS: Readonly<Record<string, Plan>> = {
  keyword_stuffing: (o, step) => (step === 1 ? answer(o, ALL_PHRASES, services(o).join(" "), chunks(ALL_PHRASES, 60)) : resolve()),
  list_every_service: (o, step) => {
    const all = services(o).join(", ");
    return step === 1
      ? answer(
          o,
          `The failing services are ${all}.`,
          all.slice(0, 128),
          services(o).map((s) => `Restart ${s} and check ${s}.`),
        )
      : resolve();
  },
  restart_everything: (o, step) => {
    const all = services(o);
    const target = all[step - 1];
    if (target)
      return create(ActionSchema, {
        actionType: ActionType.APPLY_FIX,
        targetService: target,
        reasoning: "restart it",
        remediation: { kind: RemediationKind.RESTART },
      });
    return step === all.length + 1
      ? answer(o, "Restarted every service.", all[0] ?? "none", [
          "Restart every service.",
          "Check that errors stop.",
          "Restart again if not.",
        ])
      : resolve();
  },
  scale_to_zero: (o, step) => {
    const all = services(o);
    const target = all[step - 1];
    if (target)
      return create(ActionSchema, {
        actionType: ActionType.APPLY_FIX,
        targetService: target,
        reasoning: "no traffic, no errors",
        remediation: { kind: RemediationKind.SCALE, parameters: { replicas: "0" } },
      });
    return resolve();
  },
  empty_answers: (o, step) => {
    if (step > 1) return resolve();
    if (o.taskLevel === TaskLevel.EASY) return create(ActionSchema, { actionType: ActionType.DIAGNOSE });
    if (o.taskLevel === TaskLevel.MEDIUM) return create(ActionSchema, { actionType: ActionType.WRITE_RUNBOOK });
    return create(ActionSchema, { actionType: ActionType.WRITE_POSTMORTEM, postmortemSections: {} });
  },
  copy_kb: (o, step) => {
    const text = kbText(o);
    // The KB is general documentation: it names no service of this system, so neither does the copy.
    const named = services(o).find((s) => text.includes(s)) ?? "";
    return step === 1 ? answer(o, text, named, chunks(text, 25)) : resolve();
  },
};

export const CHEAT_NAMES: readonly string[] = Object.keys(PLANS);

export function cheatAgent(name: string): Agent {
  const plan = PLANS[name];
  if (!plan) throw new Error(`unknown cheating policy ${name}`);
  let step = 0;
  return {
    name,
    act(observation: Observation): Action {
      step++;
      return plan(observation, step);
    },
  };
}
