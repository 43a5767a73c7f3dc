/**
 * The level graders, composed from the parts. Each grades the whole episode once, when it ends;
 * the last answer of each kind counts (a diagnosis, a runbook, a postmortem), earlier different
 * ones cost (./conduct.ts).
 *
 *   easy (triage):  diagnosis 0.9 (node and fault class as one claim), process 0.1
 *   medium:         mitigation 0.4, runbook 0.35, diagnosis 0.15, process 0.1
 *   hard:           postmortem 0.55, mitigation 0.15, diagnosis 0.1, severity 0.1, process 0.1
 *   expert:         postmortem 0.4, mitigation 0.25, diagnosis 0.2, severity 0.05, process 0.1
 *                   (finding the cause is the hard part here, so it weighs more)
 *
 * Only the time-sensitive parts (diagnosis, mitigation) carry a time discount, from the step at
 * which they were achieved; written answers and process do not. Process credit counts only
 * behind a right diagnosis (./process.ts). The conduct multiplier (./conduct.ts) scales the
 * weighted sum; what it takes is listed as penalties, so that the raw grade is always the
 * weighted components minus the penalties.
 */
import { clamp01, finishGrade, roundScore, type ComponentScore, type Grade, type Penalty } from "../grade.js";
import type { EpisodeRecord } from "../record.js";
import { conductFactors } from "./conduct.js";
import { diagnosisScore } from "./diagnosis.js";
import { factsOf, type EpisodeFacts } from "./facts.js";
import { mitigationScore } from "./mitigation.js";
import { finalPostmortem } from "./postmortem.js";
import { processScore } from "./process.js";
import { finalRunbook } from "./runbook.js";
import { severityScore } from "./severity.js";
import type { EpisodeGrader, PartScore } from "./types.js";

interface WeightedPart {
  name: string;
  weight: number;
  part: PartScore;
}

function compose(grader: string, facts: EpisodeFacts, parts: readonly WeightedPart[]): Grade {
  const components: ComponentScore[] = parts.map((p) => ({
    name: p.name,
    score: clamp01(p.part.score),
    weight: p.weight,
    detail: p.part.detail,
  }));
  const notes = parts.flatMap((p) => p.part.notes);
  let total = components.reduce((sum, c) => sum + c.weight * c.score, 0);
  let product = 1;
  const penalties: Penalty[] = [];
  for (const f of conductFactors(facts)) {
    const amount = roundScore(total * (1 - f.factor));
    penalties.push({ name: f.name, amount, detail: `x${f.factor} conduct: ${f.detail}` });
    total -= amount;
    product *= f.factor;
  }
  if (penalties.length > 0)
    notes.push(
      `conduct multiplier x${product.toFixed(3)} on the total (${penalties.length} penalt${penalties.length === 1 ? "y" : "ies"})`,
    );
  return finishGrade(grader, components, penalties, notes);
}

export const easyGrader: EpisodeGrader = {
  name: "grade_easy",
  grade(record: EpisodeRecord): Grade {
    const facts = factsOf(record);
    return compose(this.name, facts, [
      { name: "diagnosis", weight: 0.9, part: diagnosisScore(facts) },
      { name: "process", weight: 0.1, part: processScore(facts) },
    ]);
  },
};

export const mediumGrader: EpisodeGrader = {
  name: "grade_medium",
  grade(record: EpisodeRecord): Grade {
    const facts = factsOf(record);
    return compose(this.name, facts, [
      { name: "mitigation", weight: 0.4, part: mitigationScore(facts) },
      { name: "runbook", weight: 0.35, part: finalRunbook(facts) },
      { name: "diagnosis", weight: 0.15, part: diagnosisScore(facts) },
      { name: "process", weight: 0.1, part: processScore(facts) },
    ]);
  },
};

export const hardGrader: EpisodeGrader = {
  name: "grade_hard",
  grade(record: EpisodeRecord): Grade {
    const facts = factsOf(record);
    const final = finalPostmortem(facts);
    const postmortem: PartScore = final ?? { score: 0, detail: "no postmortem written", notes: [] };
    return compose(this.name, facts, [
      { name: "postmortem", weight: 0.55, part: postmortem },
      { name: "mitigation", weight: 0.15, part: mitigationScore(facts) },
      { name: "diagnosis", weight: 0.1, part: diagnosisScore(facts) },
      { name: "severity", weight: 0.1, part: severityScore(facts, final) },
      { name: "process", weight: 0.1, part: processScore(facts) },
    ]);
  },
};

export const expertGrader: EpisodeGrader = {
  name: "grade_expert",
  grade(record: EpisodeRecord): Grade {
    const facts = factsOf(record);
    const final = finalPostmortem(facts);
    const postmortem: PartScore = final ?? { score: 0, detail: "no postmortem written", notes: [] };
    return compose(this.name, facts, [
      { name: "postmortem", weight: 0.4, part: postmortem },
      { name: "mitigation", weight: 0.25, part: mitigationScore(facts) },
      { name: "diagnosis", weight: 0.2, part: diagnosisScore(facts) },
      { name: "severity", weight: 0.05, part: severityScore(facts, final) },
      { name: "process", weight: 0.1, part: processScore(facts) },
    ]);
  },
};
