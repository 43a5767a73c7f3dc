/**
 * Severity: the final postmortem's severity_assessment against the severity the world's impact
 * implies (world.severity): exact 1, one level off 0.4, else 0. A severity stands on the
 * postmortem it comes with: as in v1 it is multiplied by the mean focus factor of that
 * postmortem's graded sections, and also by the postmortem's substance, min(1, postmortem score /
 * 0.5), so a right "P1" stapled to keyword stuffing, to a roll-call of services, to sections copied
 * from the KB, or to nothing, earns little or nothing; an honest postmortem loses nothing.
 */
import { Severity } from "../../../gen/incident/v1/enums_pb.js";
import type { EpisodeFacts } from "./facts.js";
import type { PostmortemResult } from "./postmortem.js";
import type { PartScore } from "./types.js";

/** A postmortem scoring this much or more backs its severity fully. */
const FULL_SUBSTANCE = 0.5;
const RANK: Readonly<Record<string, number>> = { P1: 1, P2: 2, P3: 3, P4: 4 };

export function severityScore(facts: EpisodeFacts, postmortem: PostmortemResult | undefined): PartScore {
  if (!postmortem) return { score: 0, detail: "no postmortem written", notes: [] };
  const assessed = postmortem.step.action.severityAssessment;
  const word = assessed !== undefined && assessed !== Severity.UNSPECIFIED ? Severity[assessed] : undefined;
  const truth = facts.record.world.severity;
  if (word === undefined)
    return { score: 0, detail: `step ${postmortem.step.step}: no severity_assessment (impact says ${truth})`, notes: [] };
  const distance = Math.abs((RANK[word] ?? 99) - (RANK[truth] ?? 0));
  const base = distance === 0 ? 1 : distance === 1 ? 0.4 : 0;
  const substance = Math.min(1, postmortem.score / FULL_SUBSTANCE);
  const focus = postmortem.focus < 1 ? `; x${postmortem.focus.toFixed(2)} mean section focus` : "";
  const thin =
    substance < 1 ? `; x${substance.toFixed(2)} postmortem substance (its score ${postmortem.score.toFixed(2)} / ${FULL_SUBSTANCE})` : "";
  return {
    score: base * postmortem.focus * substance,
    detail: `step ${postmortem.step.step}: assessed ${word}, impact says ${truth} (${base})${focus}${thin}`,
    notes: [],
  };
}
