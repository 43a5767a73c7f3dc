/**
 * Plays a generated incident the way an honest, competent responder would, and submits an honest
 * document written beforehand (test/fixtures/honest-faults.ts): inspect the root, apply the
 * fault's first durable remedy, diagnose, look at the root and one of its callers until health
 * has held, write the runbook (medium) or the postmortem (hard), resolve. The postmortem's
 * placeholders are filled from the episode's own facts at the moment it is written.
 */
import { create } from "@bufbuild/protobuf";
import { ActionSchema, type Action } from "../../gen/incident/v1/action_pb.js";
import { ActionType, FaultKind, RemediationKind, Severity, TaskLevel } from "../../gen/incident/v1/enums_pb.js";
import type { GradeBreakdown } from "../../gen/incident/v1/episode_pb.js";
import { ResetRequestSchema, type ResetResponse } from "../../gen/incident/v1/service_pb.js";
import { enumFromWord } from "../../src/sim/enum-words.js";
import { IncidentEnvironment } from "../../src/env/environment.js";
import type { EpisodeRecord } from "../../src/grading/record.js";
import type { FaultKind as FaultWord, RemedySpec } from "../../src/sim/fault-types.js";
import { TopologyIndex } from "../../src/sim/topology.js";
import type { PostmortemText } from "../fixtures/honest-faults.js";
import { fillFacts } from "./fill-facts.js";

export interface HonestPlay {
  /** The episode's score (its grade at the end). */
  score: number;
  /** The document's component (runbook or postmortem) in the final grade. */
  component: number;
  breakdown: GradeBreakdown | undefined;
  record: EpisodeRecord;
  /** The document as submitted (placeholders filled). */
  text: string;
}

export type HonestDocument = { runbook: readonly string[]; target: string } | { postmortem: PostmortemText; target: string };

const MAX_WAIT_STEPS = 10;

export { fillFacts } from "./fill-facts.js";

type StepResponse = ReturnType<IncidentEnvironment["step"]>;

/** What the honest responder does, read from the ground truth (the test knows the answer). */
export interface HonestPlan {
  root: string;
  /** A node next to the root, looked at while waiting for health to hold. */
  caller: string;
  remedy: RemedySpec;
  fixTarget: string;
}

/** An episode played by the honest responder up to the point where the document is written. */
export interface HonestSession {
  episodeId: string;
  reset: ResetResponse;
  plan: HonestPlan;
  step(action: Action): StepResponse;
  record(): EpisodeRecord;
}

export function honestPlan(spec: EpisodeRecord["spec"]): HonestPlan {
  const index = new TopologyIndex(spec.topology);
  const root = spec.root;
  // A node next to the root to look at too: a caller on the request path, else anything that
  // reaches it (DNS, config), else a callee, else the change log.
  const caller =
    index.callers(root).find((e) => e.requestPath)?.caller ??
    index.callers(root)[0]?.caller ??
    index.callees(root).find((e) => e.requestPath)?.callee ??
    spec.topology.nodes.find((n) => n.kind === "config")?.name ??
    root;
  const remedy = spec.fault.remedies.find((r) => r.effect === "durable");
  if (!remedy) throw new Error(`${spec.fault.kind} has no durable remedy`);
  const fixTarget =
    remedy.target === "root_callers" ? caller : remedy.target === "root_callees" ? (index.callees(root)[0]?.callee ?? root) : root;
  return { root, caller, remedy, fixTarget };
}

/**
 * Resets the episode and plays it honestly until health has held (or ten waiting steps): inspect
 * the root, apply the first durable remedy, diagnose, then inspect a neighbour and the root in
 * turn. `onReset` sees the first observation, `observe` every action and the environment's answer
 * (tools/show-episode.ts prints them).
 */
export function playHonestFix(
  env: IncidentEnvironment,
  kind: FaultWord,
  level: "medium" | "hard",
  seed: number,
  options: {
    episodeId?: string;
    onReset?: (response: ResetResponse, record: EpisodeRecord) => void;
    observe?: (action: Action, response: StepResponse) => void;
  } = {},
): HonestSession {
  const episodeId = options.episodeId ?? `honest-${kind}-${level}`;
  const reset = env.reset(
    create(ResetRequestSchema, {
      taskLevel: level === "medium" ? TaskLevel.MEDIUM : TaskLevel.HARD,
      seed,
      faultKind: enumFromWord(FaultKind, kind) ?? FaultKind.UNSPECIFIED,
      episodeId,
    }),
  );
  const record = (): EpisodeRecord => env.episodeRecord(episodeId);
  options.onReset?.(reset, record());
  const step = (action: Action): StepResponse => {
    const response = env.step({ $typeName: "incident.v1.StepRequest", episodeId, action });
    options.observe?.(action, response);
    return response;
  };
  const plan = honestPlan(record().spec);
  const { root, caller, remedy, fixTarget } = plan;
  const inspect = (target: string): Action =>
    create(ActionSchema, { actionType: ActionType.INSPECT, targetService: target, reasoning: `look at ${target}` });

  step(inspect(root));
  step(
    create(ActionSchema, {
      actionType: ActionType.APPLY_FIX,
      targetService: fixTarget,
      reasoning: `${remedy.kind.replace(/_/g, " ")} on ${fixTarget}`,
      remediation: { kind: enumFromWord(RemediationKind, remedy.kind) ?? RemediationKind.UNSPECIFIED },
    }),
  );
  step(
    create(ActionSchema, {
      actionType: ActionType.DIAGNOSE,
      targetService: root,
      faultKind: enumFromWord(FaultKind, kind) ?? FaultKind.UNSPECIFIED,
      reasoning: `${root} is the root`,
    }),
  );
  // Only a provider can repair its outage: an honest responder hands it over.
  if (record().spec.fault.response?.escalateTo === "root")
    step(
      create(ActionSchema, { actionType: ActionType.ESCALATE, targetService: root, reasoning: `opening a ticket with ${root}'s support` }),
    );
  for (let i = 0; i < MAX_WAIT_STEPS && !record().world.healthHeld; i++) step(inspect(i % 2 === 0 ? caller : root));
  return { episodeId, reset, plan, step, record };
}

export function playHonest(
  env: IncidentEnvironment,
  kind: FaultWord,
  level: "medium" | "hard",
  seed: number,
  document: HonestDocument,
): HonestPlay {
  const { episodeId, step, record } = playHonestFix(env, kind, level, seed);

  let action: Action;
  let text: string;
  if ("runbook" in document) {
    text = document.runbook.join("\n");
    action = create(ActionSchema, {
      actionType: ActionType.WRITE_RUNBOOK,
      targetService: document.target,
      runbookSteps: [...document.runbook],
      reasoning: "runbook",
    });
  } else {
    const r = record();
    const s = Object.fromEntries(Object.entries(document.postmortem).map(([k, v]) => [k, fillFacts(v, r)])) as Record<
      keyof PostmortemText,
      string
    >;
    text = Object.entries(s)
      .map(([k, v]) => `${k}: ${v}`)
      .join("\n");
    action = create(ActionSchema, {
      actionType: ActionType.WRITE_POSTMORTEM,
      targetService: document.target,
      severityAssessment: Severity[r.world.severity],
      reasoning: "postmortem",
      postmortemSections: {
        summary: s.summary,
        rootCause: s.root_cause,
        timeline: s.timeline,
        impact: s.impact,
        actionItems: s.action_items,
      },
    });
  }
  step(action);
  const end = step(create(ActionSchema, { actionType: ActionType.RESOLVE, reasoning: "health held after the fix" }));
  // The grade is released with the step that ends the episode.
  const breakdown = end.info?.breakdown;
  const name = "runbook" in document ? "runbook" : "postmortem";
  const component = breakdown?.components.find((c) => c.name === name)?.score ?? 0;
  const state = env.getState({ $typeName: "incident.v1.GetStateRequest", episodeId }).state;
  return { score: state?.totalReward ?? 0, component, breakdown, record: record(), text };
}
