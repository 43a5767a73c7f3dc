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
import { ResetRequestSchema } from "../../gen/incident/v1/service_pb.js";
import { enumFromWord } from "../../src/env/enum-words.js";
import { IncidentEnvironment } from "../../src/env/environment.js";
import type { EpisodeRecord } from "../../src/grading/record.js";
import type { FaultKind as FaultWord } from "../../src/scenarios/fault-types.js";
import { TopologyIndex } from "../../src/sim/topology.js";
import type { PostmortemText } from "../fixtures/honest-faults.js";

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

function clock(record: EpisodeRecord, minute: number): string {
  const d = new Date(record.world.startedAtMs + minute * 60_000);
  return `${String(d.getUTCHours()).padStart(2, "0")}:${String(d.getUTCMinutes()).padStart(2, "0")} UTC`;
}

/** Fills {onset} {page} {fix} {recovered} and {peak:<service>} from the episode's facts. */
export function fillFacts(text: string, record: EpisodeRecord): string {
  const fix = record.steps.find((s) => s.remediation?.kind === "fixed" || s.remediation?.kind === "relieved");
  const recovered = record.world.timeline.find((e) => e.kind === "mitigated");
  const minutes: Record<string, number | undefined> = {
    onset: record.spec.onsetMinute,
    page: record.world.pageMinute,
    fix: fix?.minute,
    recovered: recovered?.minute,
  };
  return text
    .replace(/\{(onset|page|fix|recovered)\}/g, (_, key: string) => {
      const minute = minutes[key];
      if (minute === undefined) throw new Error(`no ${key} event in ${record.spec.id}`);
      return clock(record, minute);
    })
    .replace(/\{peak:([a-z0-9-]+)\}/g, (_, service: string) => {
      const impact = record.world.impact.find((i) => i.service === service);
      if (!impact) throw new Error(`${service} was not degraded in ${record.spec.id} (degraded: ${record.world.impact.map((i) => i.service).join(", ")})`);
      return `${impact.peakErrorRate.toFixed(1)}%`;
    });
}

export function playHonest(env: IncidentEnvironment, kind: FaultWord, level: "medium" | "hard", seed: number, document: HonestDocument): HonestPlay {
  const episodeId = `honest-${kind}-${level}`;
  env.reset(
    create(ResetRequestSchema, {
      taskLevel: level === "medium" ? TaskLevel.MEDIUM : TaskLevel.HARD,
      seed,
      faultKind: enumFromWord(FaultKind, kind) ?? FaultKind.UNSPECIFIED,
      episodeId,
    }),
  );
  const record = (): EpisodeRecord => env.episodeRecord(episodeId);
  const step = (action: Action): ReturnType<IncidentEnvironment["step"]> => env.step({ $typeName: "incident.v1.StepRequest", episodeId, action });
  const spec = record().spec;
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
  if (!remedy) throw new Error(`${kind} has no durable remedy`);
  const fixTarget = remedy.target === "root_callers" ? caller : remedy.target === "root_callees" ? (index.callees(root)[0]?.callee ?? root) : root;
  const inspect = (target: string): Action => create(ActionSchema, { actionType: ActionType.INSPECT, targetService: target, reasoning: `look at ${target}` });

  step(inspect(root));
  step(
    create(ActionSchema, {
      actionType: ActionType.APPLY_FIX,
      targetService: fixTarget,
      reasoning: `${remedy.kind.replace(/_/g, " ")} on ${fixTarget}`,
      remediation: { kind: enumFromWord(RemediationKind, remedy.kind) ?? RemediationKind.UNSPECIFIED },
    }),
  );
  step(create(ActionSchema, { actionType: ActionType.DIAGNOSE, targetService: root, faultKind: enumFromWord(FaultKind, kind) ?? FaultKind.UNSPECIFIED, reasoning: `${root} is the root` }));
  for (let i = 0; i < MAX_WAIT_STEPS && !record().world.healthHeld; i++) step(inspect(i % 2 === 0 ? caller : root));

  let action: Action;
  let text: string;
  if ("runbook" in document) {
    text = document.runbook.join("\n");
    action = create(ActionSchema, { actionType: ActionType.WRITE_RUNBOOK, targetService: document.target, runbookSteps: [...document.runbook], reasoning: "runbook" });
  } else {
    const r = record();
    const s = Object.fromEntries(Object.entries(document.postmortem).map(([k, v]) => [k, fillFacts(v, r)])) as Record<keyof PostmortemText, string>;
    text = Object.entries(s).map(([k, v]) => `${k}: ${v}`).join("\n");
    action = create(ActionSchema, {
      actionType: ActionType.WRITE_POSTMORTEM,
      targetService: document.target,
      severityAssessment: Severity[r.world.severity],
      reasoning: "postmortem",
      postmortemSections: { summary: s.summary, rootCause: s.root_cause, timeline: s.timeline, impact: s.impact, actionItems: s.action_items },
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
