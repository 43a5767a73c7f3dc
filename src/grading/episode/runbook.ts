/**
 * Runbook: the v1 runbook grader (src/grading/runbook-grader.ts) against the fault's knowledge.
 *
 * One write_runbook scores: coverage 0.6 of the fault's diagnose / mitigate / verify requirements
 * (phase shares 0.3 / 0.5 / 0.2; escalation and optional concepts fit without being required).
 * A requirement may list alternatives (any valid diagnosis step, fix or verification signal);
 * it is credited once, by whichever alternative a step expresses first. Order 0.1 (diagnosis
 * before mitigation before verification; in a focused runbook a phase is where it is first
 * expressed at or after the previous phase, so opening symptoms and rule-outs that mention a
 * verification signal do not count as verifying first); structure 0.1 (3 to 15 substantive
 * steps); target 0.2 (target_service is the root). Every component is multiplied by the focus factor (concepts
 * foreign to this fault); each harmful step the fault lists costs 0.2. Each step is read up to 60
 * words and credits at most two requirements; the focus factor reads every word. Concepts are
 * read with service names masked (./mentions.ts maskServiceNames). Steps copied from this
 * incident's KB articles are set aside (../copying.ts copiedParts: judged over the whole runbook,
 * so one step that follows a KB instruction closely is not a copy, a runbook of pasted sentences
 * is, padded or not), and a step written twice counts once; a runbook needs at least two
 * substantive steps of its own. The component is the last runbook written (earlier ones were
 * superseded; each revision costs, ./conduct.ts), undiscounted.
 */
import { ActionType } from "../../../gen/incident/v1/enums_pb.js";
import { firstWords, focusFactor, foreignConcepts, profile } from "../concepts.js";
import { copiedParts } from "../copying.js";
import { clamp01 } from "../grade.js";
import type { StepRecord } from "../record.js";
import { alternatives } from "../../scenarios/knowledge.js";
import { stepsOfType, targetOf, type EpisodeFacts } from "./facts.js";
import { onTopicConcepts } from "./knowledge.js";
import { maskServiceNames } from "./mentions.js";
import type { PartScore } from "./types.js";

const MAX_WORDS_PER_STEP = 60;
const MAX_CREDITS_PER_STEP = 2;
const MIN_WORDS_FOR_A_STEP = 3;
const MIN_STEPS = 2;
const HARMFUL_STEP_PENALTY = 0.2;
/** What a runbook keeps when it gives none of this fault's fixes. */
const OFF_INCIDENT = 0.3;
const PHASES = [
  { name: "diagnose", share: 0.3 },
  { name: "mitigate", share: 0.5 },
  { name: "verify", share: 0.2 },
] as const;
type PhaseName = (typeof PHASES)[number]["name"];

/** One required item of a phase: its alternatives. */
interface Slot {
  phase: PhaseName;
  ids: readonly string[];
}

interface RunbookResult extends PartScore {
  step: StepRecord;
  /** Focus factor of the runbook; 0 when it has too few steps of its own to be graded. */
  focus: number;
}

export function gradeRunbook(facts: EpisodeFacts, step: StepRecord): RunbookResult {
  const none = (detail: string): RunbookResult => ({ score: 0, detail: `step ${step.step}: ${detail}`, notes: [], step, focus: 0 });
  const all = step.action.runbookSteps.map((s) => s.trim()).filter((s) => s.length > 0);
  if (all.length === 0) return none("the runbook has no steps");
  // A step written twice is one step.
  const written = all.filter((s, i) => all.findIndex((o) => sameStep(o, s)) === i);
  const repeated = all.length - written.length;
  const copies = copiedParts(written, facts.kb);
  const steps = written.filter((_, i) => !copies[i]);
  const copied = written.length - steps.length;
  const spec = facts.fault.knowledge.runbook;
  const slots: Slot[] = PHASES.flatMap((phase) => spec[phase.name].map((r) => ({ phase: phase.name, ids: alternatives(r) })));
  const allowed = onTopicConcepts(facts.fault);

  const nodes = facts.record.spec.topology.nodes;
  const read = steps.map((s) => firstWords(s, MAX_WORDS_PER_STEP));
  const profiles = read.map((s) => profile(maskServiceNames(s, nodes)));
  const substantive = profiles.filter((p) => p.wordCount >= MIN_WORDS_FOR_A_STEP).length;
  if (substantive < MIN_STEPS) {
    return none(
      copied > 0
        ? `fewer than ${MIN_STEPS} substantive steps of its own (${copied} copied from the knowledge base)`
        : repeated > 0
          ? `fewer than ${MIN_STEPS} distinct substantive steps (${repeated} repeated)`
          : `fewer than ${MIN_STEPS} substantive steps; one block of text is not a runbook`,
    );
  }
  // Each step credits at most MAX_CREDITS_PER_STEP requirements, in the order its concepts
  // appear; a requirement is credited once, by the first alternative that reaches it.
  const creditedAt = new Map<Slot, number>();
  profiles.forEach((p, index) => {
    let credits = 0;
    for (const [id] of [...p.expressed.entries()].sort((a, b) => a[1] - b[1])) {
      if (credits >= MAX_CREDITS_PER_STEP) break;
      const slot = slots.find((s) => !creditedAt.has(s) && s.ids.includes(id));
      if (!slot) continue;
      creditedAt.set(slot, index);
      credits++;
    }
  });

  const expressedAnywhere = new Set(
    steps.flatMap((s, i) => [...((read[i] === s ? profiles[i]?.expressed : profile(maskServiceNames(s, nodes)).expressed)?.keys() ?? [])]),
  );
  const foreign = foreignConcepts(expressedAnywhere, allowed);
  const onTopic = [...expressedAnywhere].filter((id) => allowed.has(id)).length;
  const words = profiles.reduce((sum, p) => sum + p.wordCount, 0);
  const focus = focusFactor(onTopic, foreign.length, words);

  let coverage = 0;
  let shares = 0;
  const firstStepOf = new Map<PhaseName, number>();
  const coverageDetail: string[] = [];
  let previousPhaseAt = 0;
  for (const phase of PHASES) {
    const required = slots.filter((s) => s.phase === phase.name);
    if (required.length === 0) continue;
    const hits = required.filter((s) => creditedAt.has(s));
    coverage += phase.share * (hits.length / required.length);
    shares += phase.share;
    coverageDetail.push(`${phase.name} ${hits.length}/${required.length}`);
    if (hits.length === 0) continue;
    // Where the phase is: its first credit; in a focused runbook, its first step at or after the
    // previous phase's if it has one there. A runbook that opens with what the page looks like
    // ("errors on X, p99 back under 1 s on Y") or rules out a backend ("should show ~0% errors
    // and normal latency") mentions a verification signal before the fix without verifying
    // anything yet. A keyword carpet mentions every phase everywhere and is judged on its credits.
    const ids = new Set(required.flatMap((s) => s.ids));
    const expressing = focus < 1 ? [] : profiles.flatMap((p, index) => ([...p.expressed.keys()].some((id) => ids.has(id)) ? [index] : []));
    const at = expressing.find((index) => index >= previousPhaseAt) ?? Math.min(...hits.map((s) => creditedAt.get(s) ?? Infinity));
    firstStepOf.set(phase.name, at);
    previousPhaseAt = at;
  }
  const coverageScore = shares > 0 ? coverage / shares : 0;
  const pairs: Array<[PhaseName, PhaseName]> = [
    ["diagnose", "mitigate"],
    ["mitigate", "verify"],
    ["diagnose", "verify"],
  ];
  const judged = pairs.filter(([a, b]) => firstStepOf.has(a) && firstStepOf.has(b));
  const inOrder = judged.filter(([a, b]) => (firstStepOf.get(a) ?? 0) <= (firstStepOf.get(b) ?? 0));
  const order = judged.length > 0 ? inOrder.length / judged.length : 0;
  const structure = substantive >= 3 && substantive <= 15 ? 1 : substantive === 2 || substantive > 15 ? 0.5 : 0;
  const target = targetOf(facts, step);
  const targetScore = target === facts.root ? 1 : 0;

  // A runbook that gives none of this fault's fixes is a runbook for another incident: its order,
  // structure and target earn little on their own.
  const mitigates = slots.some((s) => s.phase === "mitigate" && creditedAt.has(s));
  const relevance = mitigates ? 1 : OFF_INCIDENT;
  const weighted = (0.6 * coverageScore + 0.1 * order + 0.1 * structure + 0.2 * targetScore) * focus * relevance;
  const harmful = spec.harmful.filter((id) => expressedAnywhere.has(id));
  const score = clamp01(weighted - HARMFUL_STEP_PENALTY * harmful.length);

  const notes: string[] = [];
  if (repeated > 0) notes.push(`runbook (step ${step.step}): ${repeated} repeated step(s) counted once`);
  if (copied > 0) notes.push(`runbook (step ${step.step}): ${copied} step(s) copied from the knowledge base were not graded`);
  if (focus < 1)
    notes.push(`runbook (step ${step.step}): focus factor ${focus.toFixed(2)}, concepts from other incidents: ${foreign.join(", ")}`);
  for (const id of harmful)
    notes.push(`runbook (step ${step.step}): -${HARMFUL_STEP_PENALTY} a step recommends ${id}, which makes this fault worse`);
  const parts = [
    `coverage ${coverageScore.toFixed(2)} (${coverageDetail.join(", ")})`,
    `order ${order.toFixed(2)} (${inOrder.length}/${judged.length} phase pairs)`,
    `structure ${structure} (${substantive} steps)`,
    `target ${targetScore} (${target ?? "no single service"})`,
  ];
  const extras = [
    relevance < 1 ? `x${OFF_INCIDENT} no fix of this fault` : "",
    focus < 1 ? `x${focus.toFixed(2)} focus` : "",
    harmful.length > 0 ? `-${(HARMFUL_STEP_PENALTY * harmful.length).toFixed(1)} harmful` : "",
  ].filter((e) => e !== "");
  return {
    score,
    detail: `step ${step.step}: ${parts.join("; ")}${extras.length > 0 ? `; ${extras.join("; ")}` : ""}`,
    notes,
    step,
    focus,
  };
}

function sameStep(a: string, b: string): boolean {
  return a.toLowerCase().replace(/\s+/g, " ") === b.toLowerCase().replace(/\s+/g, " ");
}

/** The runbook that counts: the last one written. */
export function finalRunbook(facts: EpisodeFacts): PartScore {
  const last = stepsOfType(facts, ActionType.WRITE_RUNBOOK).at(-1);
  if (!last) return { score: 0, detail: "no runbook written", notes: [] };
  const result = gradeRunbook(facts, last);
  return { score: result.score, detail: result.detail, notes: result.notes };
}
