/**
 * The oracle: an agent that knows the incident's ground truth (its spec) and, when given them, the
 * episode's facts. It shows what a perfect responder earns (tests and benchmarks use it as the
 * upper bound) and exercises every part of an episode.
 *
 * Every level: inspect the root, then one of its callers (evidence). easy: diagnose root and fault
 * class. medium: apply the fault's durable remedy, diagnose, wait (inspecting) until health has
 * held, write a runbook of the fault's procedure, resolve. hard: the same, with a postmortem
 * whose times, impact and severity come from the episode's facts.
 */
import { create } from "@bufbuild/protobuf";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { ActionSchema, type Action } from "../../gen/incident/v1/action_pb.js";
import { ActionType, FaultKind, IncidentStatus, RemediationKind, Severity } from "../../gen/incident/v1/enums_pb.js";
import type { Observation } from "../../gen/incident/v1/observation_pb.js";
import { enumFromWord } from "../sim/enum-words.js";
import type { WorldFacts } from "../grading/record.js";
import type { RemedySpec, Requirement } from "../sim/fault-types.js";
import { firstAlternative } from "../scenarios/knowledge.js";
import { concept } from "../scenarios/lexicon.js";
import type { IncidentSpec } from "../sim/incident.js";
import { fillTemplate, placeholderValues } from "../sim/placeholders.js";
import { TopologyIndex } from "../sim/topology.js";
import type { Agent } from "./agent.js";

/** A plain sentence for a requirement: the first phrase of its first alternative. */
function say(requirement: Requirement): string {
  const id = firstAlternative(requirement);
  return concept(id).phrases[0] ?? id;
}

function clock(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getUTCHours()).padStart(2, "0")}:${String(d.getUTCMinutes()).padStart(2, "0")} UTC`;
}

/** Steps to wait after the system looks healthy before trusting it, without facts. */
const WAIT_AFTER_MITIGATED = 3;

export function oracleAgent(spec: IncidentSpec, facts?: () => WorldFacts): Agent {
  const index = TopologyIndex.of(spec.topology);
  const vars = placeholderValues(spec, index);
  const root = spec.root;
  const fault = spec.fault;
  const caller = index.callers(root).find((e) => e.requestPath)?.caller;
  const callee = index.callees(root).find((e) => e.requestPath)?.callee;
  const secondInspect = caller ?? callee ?? spec.topology.nodes.find((n) => n.kind === "config")?.name ?? root;
  const faultKind = enumFromWord(FaultKind, fault.kind) ?? FaultKind.UNSPECIFIED;
  const remedy: RemedySpec | undefined =
    fault.remedies.find((r) => r.effect === "durable" && r.kind !== "scale") ??
    fault.remedies.find((r) => r.effect === "durable") ??
    fault.remedies[0];
  const fixTarget = remedy?.target === "root_callers" ? (caller ?? root) : remedy?.target === "root_callees" ? (callee ?? root) : root;
  const fixNode = index.byName.get(fixTarget);
  const parameters: Record<string, string> =
    remedy?.kind === "scale" ? { replicas: String(Math.max(1, Math.floor((fixNode?.replicas ?? 2) / 2))) } : {};

  let step = 0;
  let fixMinute: number | undefined;
  let mitigatedSeen = 0;
  let wroteDocument = false;
  let escalated = false;
  let lastWait: string = root;
  let secondSeen = false;
  const escalation = fault.response?.escalateTo;
  const inspect = (target: string): Action =>
    create(ActionSchema, { actionType: ActionType.INSPECT, targetService: target, reasoning: `look at ${target}` });
  const diagnose = (): Action =>
    create(ActionSchema, {
      actionType: ActionType.DIAGNOSE,
      targetService: root,
      faultKind,
      reasoning: `${root}: ${fault.knowledge.postmortem.rootCause.map(say).join(", ")}`,
    });
  const fix = (observation: Observation): Action => {
    fixMinute = observation.timeElapsedMinutes;
    return create(ActionSchema, {
      actionType: ActionType.APPLY_FIX,
      targetService: fixTarget,
      reasoning: `${remedy?.kind.replace(/_/g, " ")} on ${fixTarget}`,
      remediation: { kind: enumFromWord(RemediationKind, remedy?.kind ?? "restart") ?? RemediationKind.RESTART, parameters },
    });
  };
  const healthHeld = (observation: Observation): boolean => {
    if (facts) return facts().healthHeld;
    if (observation.currentIncidentStatus === IncidentStatus.MITIGATED) mitigatedSeen++;
    return mitigatedSeen > WAIT_AFTER_MITIGATED;
  };
  const runbook = (): Action => {
    const r = fault.knowledge.runbook;
    return create(ActionSchema, {
      actionType: ActionType.WRITE_RUNBOOK,
      targetService: root,
      reasoning: `runbook for ${fault.title}`,
      runbookSteps: [
        ...r.diagnose.map((id) => `Check ${say(id)} on ${root}.`),
        ...r.mitigate.map((id) => `Mitigate: ${say(id)} on ${root}.`),
        ...r.verify.map((id) => `Verify that ${say(id)} is back to normal.`),
        ...r.escalate.map((id) => `If it does not recover, ${say(id)}.`),
      ],
    });
  };
  const postmortem = (observation: Observation): Action => {
    const f = facts?.();
    const k = fault.knowledge.postmortem;
    const startedAt = spec.startedAtMs;
    const pageMs = observation.alert?.triggeredAt ? timestampMs(observation.alert.triggeredAt) : startedAt;
    const mitigated = f?.timeline.find((e) => e.kind === "mitigated");
    const times = [
      `${clock(startedAt + spec.onsetMinute * 60_000)} ${k.trigger.map(say).join(", ") || "first errors"} on ${root}`,
      `${clock(pageMs)} alert fired and on-call paged`,
      ...(fixMinute !== undefined
        ? [`${clock(startedAt + fixMinute * 60_000)} ${remedy?.kind.replace(/_/g, " ")} applied to ${fixTarget}`]
        : []),
      ...(mitigated ? [`${clock(startedAt + mitigated.minute * 60_000)} error rates back to normal`] : []),
    ];
    const impact = (f?.impact ?? []).slice(0, 8).map((i) => `${i.service} error rate peaked at ${i.peakErrorRate.toFixed(1)}%`);
    const noImpact = f !== undefined && f.impact.length === 0;
    const trigger =
      fault.trigger.description !== ""
        ? ` Trigger: ${[...k.trigger.map(say), fillTemplate(fault.trigger.description, vars)].join("; ")}.`
        : "";
    return create(ActionSchema, {
      actionType: ActionType.WRITE_POSTMORTEM,
      targetService: root,
      severityAssessment: Severity[f?.severity ?? "P2"],
      reasoning: `postmortem for ${fault.title}`,
      postmortemSections: {
        summary: `${root} failed: ${k.rootCause.map(say).join(", ")}.`,
        rootCause: `${root}: ${k.rootCause.map(say).join(", ")}.${trigger}`,
        timeline: times.join(". "),
        impact:
          impact.length > 0
            ? `${impact.join("; ")}.`
            : noImpact
              ? "No user impact: nothing degraded."
              : `${root} error rate peaked at 50%.`,
        actionItems: k.actionItems.map(say).join(". "),
      },
    });
  };

  return {
    name: "oracle",
    act(observation: Observation): Action {
      step++;
      if (step === 1) return inspect(root);
      if (spec.level === "easy") return step === 2 ? inspect(secondInspect) : diagnose();
      if (step === 2) return fix(observation);
      if (step === 3) return diagnose();
      if (escalation !== undefined && !escalated) {
        escalated = true;
        const owner = escalation === "root" ? root : escalation === "root_callers" ? (caller ?? root) : (callee ?? root);
        return create(ActionSchema, {
          actionType: ActionType.ESCALATE,
          targetService: owner,
          reasoning: `only ${owner}'s owners can repair it`,
        });
      }
      if (!secondSeen) {
        secondSeen = true;
        lastWait = secondInspect;
        return inspect(secondInspect);
      }
      // Wait for health to hold, looking at the root and its neighbour in turn (looking at the
      // same service twice in a row is a repeated action).
      if (!healthHeld(observation) && step < 12) {
        lastWait = lastWait === root && secondInspect !== root ? secondInspect : root;
        return inspect(lastWait);
      }
      if (!wroteDocument) {
        wroteDocument = true;
        return spec.level === "medium" ? runbook() : postmortem(observation);
      }
      return create(ActionSchema, { actionType: ActionType.RESOLVE, reasoning: "health held after the fix" });
    },
  };
}
