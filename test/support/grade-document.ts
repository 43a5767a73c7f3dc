/**
 * Plays an honest document's episode (test/support/honest-play.ts), submits the document with its
 * placeholders filled from the episode's facts, resolves, and reads the document's component
 * (runbook or postmortem) from the episode's final grade.
 *
 * Where the final grade lives is changing (it may move to the last step's info only, or to
 * GetState after the end): `finalBreakdown` is the one place that knows, so re-point it there.
 */
import { create } from "@bufbuild/protobuf";
import { ActionSchema } from "../../gen/incident/v1/action_pb.js";
import { ActionType, Severity } from "../../gen/incident/v1/enums_pb.js";
import type { EpisodeState, GradeBreakdown } from "../../gen/incident/v1/episode_pb.js";
import type { StepResponse } from "../../gen/incident/v1/service_pb.js";
import type { IncidentEnvironment } from "../../src/env/environment.js";
import type { HonestDocumentFixture, PostmortemSectionsText } from "../fixtures/honest-documents.js";
import { fillFacts } from "./fill-facts.js";
import { playHonestFix } from "./honest-play.js";

export interface DocumentGrade {
  /** The document's component score in the final grade; undefined when no breakdown names it. */
  component: number | undefined;
  /** The final breakdown, readable: components with their details, penalties, notes. */
  breakdownText: string;
  /** The document as submitted, placeholders filled. */
  filled: string;
  /** The episode's score (state.total_reward). */
  episodeScore: number;
  healthHeld: boolean;
  /** The episode's root cause (to check the document is about the right service). */
  root: string;
}

/** The grade to read: the resolve step's, else the state's after the end, else the submission step's. */
export function finalBreakdown(written: StepResponse, resolved: StepResponse, state: EpisodeState | undefined): GradeBreakdown | undefined {
  const candidates = [resolved.info?.breakdown, breakdownOfState(state), written.info?.breakdown];
  return candidates.find((b) => b !== undefined && b.components.length > 0);
}

/** A breakdown carried by the state, if the state ever carries one. */
function breakdownOfState(state: EpisodeState | undefined): GradeBreakdown | undefined {
  if (!state) return undefined;
  const value: unknown = (state as unknown as Record<string, unknown>)["breakdown"];
  if (typeof value === "object" && value !== null && (value as { $typeName?: unknown }).$typeName === "incident.v1.GradeBreakdown")
    return value as GradeBreakdown;
  return undefined;
}

export function describeBreakdown(breakdown: GradeBreakdown | undefined): string {
  if (!breakdown) return "(no breakdown)";
  return [
    `grader ${breakdown.grader}, raw ${breakdown.rawScore.toFixed(3)}`,
    ...breakdown.components.map((c) => `  ${c.name} ${c.score.toFixed(3)} (weight ${c.weight}): ${c.detail}`),
    ...breakdown.penalties.map((p) => `  penalty -${p.amount} ${p.name}: ${p.detail}`),
    ...breakdown.notes.map((n) => `  note: ${n}`),
  ].join("\n");
}

const SECTION_ORDER: ReadonlyArray<keyof PostmortemSectionsText> = [
  "summary",
  "trigger",
  "timeline",
  "root_cause",
  "impact",
  "detection",
  "resolution",
  "action_items",
  "lessons_learned",
];

export function gradeHonestDocument(
  env: IncidentEnvironment,
  doc: HonestDocumentFixture,
  episodeId = `honest-doc-${doc.fault}-${doc.level}-${doc.seed}`,
): DocumentGrade {
  const session = playHonestFix(env, doc.fault, doc.level, doc.seed, { episodeId });
  const record = session.record();
  let filled: string;
  let written: StepResponse;
  if (doc.document === "runbook") {
    const steps = doc.runbook_steps.map((s) => fillFacts(s, record));
    filled = steps.map((s, i) => `${i + 1}. ${s}`).join("\n");
    written = session.step(
      create(ActionSchema, {
        actionType: ActionType.WRITE_RUNBOOK,
        targetService: doc.target_service,
        runbookSteps: steps,
        reasoning: "runbook for this incident",
      }),
    );
  } else {
    const sections: Record<string, string> = {};
    for (const key of SECTION_ORDER) sections[key] = fillFacts(doc.postmortem_sections[key] ?? "", record);
    filled = SECTION_ORDER.filter((k) => sections[k])
      .map((k) => `${k}: ${sections[k]}`)
      .join("\n");
    written = session.step(
      create(ActionSchema, {
        actionType: ActionType.WRITE_POSTMORTEM,
        targetService: doc.target_service,
        severityAssessment: Severity[doc.severity_assessment],
        reasoning: "postmortem for this incident",
        postmortemSections: {
          summary: sections["summary"] ?? "",
          timeline: sections["timeline"] ?? "",
          rootCause: sections["root_cause"] ?? "",
          impact: sections["impact"] ?? "",
          actionItems: sections["action_items"] ?? "",
          trigger: sections["trigger"] ?? "",
          resolution: sections["resolution"] ?? "",
          detection: sections["detection"] ?? "",
          lessonsLearned: sections["lessons_learned"] ?? "",
        },
      }),
    );
  }
  const resolved = session.step(create(ActionSchema, { actionType: ActionType.RESOLVE, reasoning: "health held after the fix" }));
  const state = env.getState({ $typeName: "incident.v1.GetStateRequest", episodeId }).state;
  const breakdown = finalBreakdown(written, resolved, state);
  const component = breakdown?.components.find((c) => c.name === doc.document)?.score;
  return {
    component,
    breakdownText: describeBreakdown(breakdown),
    filled,
    episodeScore: state?.totalReward ?? 0,
    healthHeld: session.record().world.healthHeld,
    root: session.plan.root,
  };
}
