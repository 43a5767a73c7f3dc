/**
 * Hard task grader: a postmortem of this incident.
 *
 * Components (weights): for each of the five seed sections, the share of the incident's required
 * concepts it expresses (summary 0.10, root_cause 0.25, timeline 0.10, impact 0.15, action_items
 * 0.15); severity_assessment 0.10 (exact 1, one level off 0.4); target_service 0.15 (the root
 * service).
 *
 * Against stuffing: each section is read up to 250 words, and its score is multiplied by its own
 * focus factor, which falls with the share of concepts that belong to other incidents. Only a
 * write_postmortem action is graded here (the seed graded postmortems sent with any action type).
 * The focus factor reads the whole section: words past the cap earn nothing but still count
 * against focus, so stuffing cannot hide behind the cap. Severity and target are multiplied by
 * the mean focus factor of the written sections: a right guess of "P1" stapled to a postmortem of
 * every incident's vocabulary earns little (the seed paid its severity bonus to any stuffing). A
 * section copied from the incident's KB articles (src/grading/copying.ts) earns nothing.
 */
import { ActionType, Severity } from "../../gen/incident/v1/enums_pb.js";
import type { PostmortemSections } from "../../gen/incident/v1/action_pb.js";
import { resolveService } from "../scenarios/service-names.js";
import type { PostmortemSectionName } from "../scenarios/types.js";
import { firstWords, focusFactor, foreignConcepts, profile } from "./concepts.js";
import { isCopied, referenceShingles } from "./copying.js";
import { finishGrade, zeroGrade, type ComponentScore, type Grade, type GradeContext, type Grader } from "./grade.js";

const MAX_WORDS_PER_SECTION = 250;
const SECTIONS: ReadonlyArray<{ name: PostmortemSectionName; key: keyof PostmortemSections; weight: number }> = [
  { name: "summary", key: "summary", weight: 0.1 },
  { name: "root_cause", key: "rootCause", weight: 0.25 },
  { name: "timeline", key: "timeline", weight: 0.1 },
  { name: "impact", key: "impact", weight: 0.15 },
  { name: "action_items", key: "actionItems", weight: 0.15 },
];
const SEVERITY_RANK: Record<string, number> = { P1: 1, P2: 2, P3: 3, P4: 4 };

export const postmortemGrader: Grader = {
  name: "grade_hard",
  grade({ template, action }: GradeContext): Grade {
    if (action.actionType !== ActionType.WRITE_POSTMORTEM) {
      return zeroGrade(this.name, "Postmortems are graded on write_postmortem actions.");
    }
    const sections = action.postmortemSections;
    const texts = SECTIONS.map((s) => {
      const value = sections?.[s.key];
      return typeof value === "string" ? value.trim() : "";
    });
    if (texts.every((t) => t === "")) return zeroGrade(this.name, "The postmortem has no sections.");

    const spec = template.postmortem;
    const allowed = new Set<string>([
      ...SECTIONS.flatMap((s) => spec[s.name]),
      ...spec.optional,
      ...template.runbook.diagnose,
      ...template.runbook.mitigate,
      ...template.runbook.verify,
      ...template.runbook.optional,
      ...template.fix.concepts,
    ]);
    const components: ComponentScore[] = [];
    const notes: string[] = [];
    const kb = referenceShingles(template.kb.map((a) => a.content));
    const factors: number[] = [];
    SECTIONS.forEach((section, i) => {
      const text = texts[i] ?? "";
      const required = spec[section.name];
      if (text === "") {
        components.push({ name: section.name, score: 0, weight: section.weight, detail: "missing" });
        return;
      }
      if (isCopied(text, kb)) {
        components.push({ name: section.name, score: 0, weight: section.weight, detail: "copied from the knowledge base" });
        return;
      }
      const read = firstWords(text, MAX_WORDS_PER_SECTION);
      const p = profile(read);
      const hits = required.filter((id) => p.expressed.has(id));
      const coverage = required.length > 0 ? hits.length / required.length : 1;
      // Focus reads the whole section, past the credit cap (see the header).
      const whole = read === text ? p.expressed : profile(text).expressed;
      const foreign = foreignConcepts(whole.keys(), allowed);
      const onTopic = [...whole.keys()].filter((id) => allowed.has(id)).length;
      const factor = focusFactor(onTopic, foreign.length);
      factors.push(factor);
      if (factor < 1) notes.push(`${section.name}: focus factor ${factor.toFixed(2)} (other incidents' concepts: ${foreign.join(", ")})`);
      const missing = required.filter((id) => !p.expressed.has(id));
      components.push({
        name: section.name,
        score: coverage * factor,
        weight: section.weight,
        detail: `${hits.length}/${required.length} concepts${missing.length > 0 ? `; missing ${missing.join(", ")}` : ""}`,
      });
    });

    const assessed = action.severityAssessment !== undefined ? Severity[action.severityAssessment] : undefined;
    const truthRank = SEVERITY_RANK[template.truth.severity] ?? 0;
    const assessedRank = assessed !== undefined ? (SEVERITY_RANK[assessed] ?? 0) : 0;
    const distance = assessedRank === 0 ? Infinity : Math.abs(assessedRank - truthRank);
    const focus = factors.length > 0 ? factors.reduce((a, b) => a + b, 0) / factors.length : 1;
    if (focus < 1) notes.push(`severity and target scaled by the mean section focus ${focus.toFixed(2)}`);
    components.push({
      name: "severity",
      score: (distance === 0 ? 1 : distance === 1 ? 0.4 : 0) * focus,
      weight: 0.1,
      detail: assessed ? `assessed ${assessed}` : "no severity_assessment",
    });

    const target = resolveService(action.targetService, template.services);
    components.push({
      name: "target",
      score: (target?.name === template.truth.rootService ? 1 : 0) * focus,
      weight: 0.15,
      detail: target ? `target ${target.name}` : "no single service named",
    });
    return finishGrade(this.name, components, [], notes);
  },
};
