/**
 * Medium task grader: a runbook for this incident.
 *
 * Components (weights): coverage 0.6 of the incident's diagnose / mitigate / verify concepts
 * (phase shares 0.3 / 0.5 / 0.2); order 0.1 (diagnosis before mitigation before verification);
 * structure 0.1 (3 to 15 substantive steps); target 0.2 (target_service is the root service).
 *
 * Against stuffing: each step is read up to 60 words and credits at most two concepts, and the
 * whole grade is multiplied by the focus factor, which falls with the share of concepts that
 * belong to other incidents. Each harmful step the incident lists (not negated) costs 0.2.
 * The focus factor reads every word of every step: words past the 60-word cap earn nothing, but
 * the concepts they express still count against focus, so stuffing cannot hide behind the cap.
 * Steps copied from the incident's KB articles (src/grading/copying.ts) are set aside: they earn
 * nothing and count for nothing. A runbook needs at least two substantive steps of its own; one
 * block of text (the seed's "giant step") is not a runbook.
 */
import { ActionType } from "../../gen/incident/v1/enums_pb.js";
import { resolveService } from "../scenarios/service-names.js";
import { firstWords, focusFactor, foreignConcepts, profile } from "./concepts.js";
import { isCopied, referenceShingles } from "./copying.js";
import { finishGrade, zeroGrade, type ComponentScore, type Grade, type GradeContext, type Grader, type Penalty } from "./grade.js";

const MAX_WORDS_PER_STEP = 60;
const MAX_CREDITS_PER_STEP = 2;
const MIN_WORDS_FOR_A_STEP = 3;
const MIN_STEPS = 2;
const HARMFUL_STEP_PENALTY = 0.2;
const PHASES = [
  { name: "diagnose", share: 0.3 },
  { name: "mitigate", share: 0.5 },
  { name: "verify", share: 0.2 },
] as const;
type PhaseName = (typeof PHASES)[number]["name"];

export const runbookGrader: Grader = {
  name: "grade_medium",
  grade({ template, action }: GradeContext): Grade {
    if (action.actionType !== ActionType.WRITE_RUNBOOK) {
      return zeroGrade(this.name, "Runbooks are graded on write_runbook actions.");
    }
    const written = action.runbookSteps.map((s) => s.trim()).filter((s) => s.length > 0);
    if (written.length === 0) return zeroGrade(this.name, "The runbook has no steps.");
    const kb = referenceShingles(template.kb.map((a) => a.content));
    const steps = written.filter((s) => !isCopied(s, kb));
    const copied = written.length - steps.length;

    const spec = template.runbook;
    const phaseOf = new Map<string, PhaseName>();
    for (const phase of PHASES) for (const id of spec[phase.name]) phaseOf.set(id, phase.name);
    const allowed = new Set<string>([...phaseOf.keys(), ...spec.optional, ...template.fix.concepts]);

    const read = steps.map((s) => firstWords(s, MAX_WORDS_PER_STEP));
    const profiles = read.map((s) => profile(s));
    const substantive = profiles.filter((p) => p.wordCount >= MIN_WORDS_FOR_A_STEP).length;
    if (substantive < MIN_STEPS) {
      return zeroGrade(
        this.name,
        copied > 0
          ? `The runbook has fewer than ${MIN_STEPS} substantive steps of its own (${copied} copied from the knowledge base).`
          : `The runbook has fewer than ${MIN_STEPS} substantive steps; one block of text is not a runbook.`,
      );
    }
    const creditedAt = new Map<string, number>();
    profiles.forEach((p, index) => {
      const candidates = [...p.expressed.entries()]
        .filter(([id]) => phaseOf.has(id) && !creditedAt.has(id))
        .sort((a, b) => a[1] - b[1])
        .slice(0, MAX_CREDITS_PER_STEP);
      for (const [id] of candidates) creditedAt.set(id, index);
    });

    const components: ComponentScore[] = [];
    let coverage = 0;
    let shares = 0;
    const firstStepOf = new Map<PhaseName, number>();
    const coverageDetail: string[] = [];
    for (const phase of PHASES) {
      const required = spec[phase.name];
      if (required.length === 0) continue;
      const hits = required.filter((id) => creditedAt.has(id));
      coverage += phase.share * (hits.length / required.length);
      shares += phase.share;
      coverageDetail.push(`${phase.name} ${hits.length}/${required.length}`);
      const first = Math.min(...hits.map((id) => creditedAt.get(id) ?? Infinity));
      if (Number.isFinite(first)) firstStepOf.set(phase.name, first);
    }
    components.push({ name: "coverage", score: shares > 0 ? coverage / shares : 0, weight: 0.6, detail: coverageDetail.join(", ") });

    const pairs: Array<[PhaseName, PhaseName]> = [["diagnose", "mitigate"], ["mitigate", "verify"], ["diagnose", "verify"]];
    const judged = pairs.filter(([a, b]) => firstStepOf.has(a) && firstStepOf.has(b));
    const inOrder = judged.filter(([a, b]) => (firstStepOf.get(a) ?? 0) <= (firstStepOf.get(b) ?? 0));
    components.push({
      name: "order",
      score: judged.length > 0 ? inOrder.length / judged.length : 0,
      weight: 0.1,
      detail: `${inOrder.length} of ${judged.length} phase pairs in order`,
    });

    const structure = substantive >= 3 && substantive <= 15 ? 1 : substantive === 2 || substantive > 15 ? 0.5 : 0;
    components.push({ name: "structure", score: structure, weight: 0.1, detail: `${substantive} substantive steps` });

    const target = resolveService(action.targetService, template.services);
    components.push({
      name: "target",
      score: target?.name === template.truth.rootService ? 1 : 0,
      weight: 0.2,
      detail: target ? `target ${target.name}` : "no single service named",
    });

    const expressed = new Set(profiles.flatMap((p) => [...p.expressed.keys()]));
    // Focus reads the whole of each step, past the credit cap (see the header).
    const expressedAnywhere = new Set(
      steps.flatMap((s, i) => [...(read[i] === s ? profiles[i]?.expressed : profile(s).expressed)?.keys() ?? []]),
    );
    const foreign = foreignConcepts(expressedAnywhere, allowed);
    const onTopic = [...expressedAnywhere].filter((id) => allowed.has(id)).length;
    const factor = focusFactor(onTopic, foreign.length);
    const notes: string[] = [];
    if (copied > 0) notes.push(`${copied} step(s) copied from the knowledge base were not graded`);
    if (factor < 1) {
      notes.push(`focus factor ${factor.toFixed(2)}: concepts from other incidents: ${foreign.join(", ")}`);
      for (const c of components) c.score *= factor;
    }

    const penalties: Penalty[] = [];
    for (const id of spec.harmful) {
      if (expressedAnywhere.has(id)) {
        penalties.push({ name: "harmful_step", amount: HARMFUL_STEP_PENALTY, detail: `a step recommends ${id}, which makes this incident worse` });
      }
    }
    return finishGrade(this.name, components, penalties, notes);
  },
};
