/**
 * The random agent: each step, a uniformly drawn action type, target and remediation, with
 * filler text. A floor for every score: graders must give it next to nothing.
 */
import { create } from "@bufbuild/protobuf";
import { ActionSchema, type Action } from "../../gen/incident/v1/action_pb.js";
import { ActionType, FaultKind, RemediationKind, Severity } from "../../gen/incident/v1/enums_pb.js";
import type { Observation } from "../../gen/incident/v1/observation_pb.js";
import { Rng } from "../sim/prng.js";
import type { Agent } from "./agent.js";

const WORDS = [
  "check",
  "the",
  "service",
  "restart",
  "errors",
  "latency",
  "database",
  "cache",
  "rollback",
  "deploy",
  "traffic",
  "alert",
  "fix",
  "monitor",
  "queue",
  "memory",
];

function values(enumObject: Record<string, string | number>): number[] {
  return Object.values(enumObject).filter((v): v is number => typeof v === "number" && v !== 0);
}

export function randomAgent(seed: number): Agent {
  const rng = new Rng(seed).fork("random-agent");
  const text = (words: number): string => Array.from({ length: words }, () => rng.pick(WORDS)).join(" ");
  return {
    name: "random",
    act(observation: Observation): Action {
      const services = observation.topology?.services.map((s) => s.name) ?? observation.alert?.affectedServices ?? ["unknown"];
      const type = rng.pick(values(ActionType)) as ActionType;
      return create(ActionSchema, {
        actionType: type,
        reasoning: text(8),
        targetService: rng.pick(services.length > 0 ? services : ["unknown"]),
        runbookSteps: type === ActionType.WRITE_RUNBOOK ? Array.from({ length: rng.int(1, 6) }, () => text(6)) : [],
        severityAssessment: rng.pick(values(Severity)) as Severity,
        faultKind: rng.pick(values(FaultKind)) as FaultKind,
        ...(type === ActionType.APPLY_FIX
          ? { remediation: { kind: rng.pick(values(RemediationKind)) as RemediationKind, parameters: {} } }
          : {}),
        ...(type === ActionType.WRITE_POSTMORTEM
          ? { postmortemSections: { summary: text(12), timeline: text(12), rootCause: text(12), impact: text(12), actionItems: text(12) } }
          : {}),
      });
    },
  };
}
