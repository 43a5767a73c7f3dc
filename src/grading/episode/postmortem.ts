/**
 * Postmortem: the last write_postmortem (earlier ones were superseded; each revision costs,
 * ./conduct.ts), every part checked against this episode's facts.
 *
 * Parts (shares of the postmortem component):
 *   root_cause 0.3: names the root 0.4; states the mechanism (share of the fault's root-cause
 *     requirements met, each by any of its alternatives) 0.4; the trigger 0.2: one of the fault's
 *     trigger concepts, or a concrete fact of this episode's trigger (the root's version for a
 *     deploy, a {detail:x} value of the trigger line), read from root_cause and the trigger
 *     section. A fault without a trigger line gives that 0.2 to the mechanism.
 *   timeline 0.2: clock times against the key events (./timeline.ts).
 *   impact 0.2: services and peak error rates against the world's impact (./impact.ts).
 *   action_items 0.2: share of the fault's action-item requirements met (any alternative of each).
 *     The detail gives counts only: naming the missing concepts would hand the rubric to the agent.
 *   summary 0.1: names the root 0.5, states a concept of the mechanism 0.5.
 * A section naming most of the system (more than half the nodes, and at least 5) names no root;
 * nor does one that offers the root among other suspects ("either A or B", ./suspects.ts). A
 * root-cause section that names no root of its own ("the new version", "the migration") names
 * the root by reference when the summary or the trigger section names it and target_service is
 * the root (rootCauseNamesRoot).
 * Each part is multiplied by its section's focus factor (concepts foreign to this fault's
 * knowledge; concepts are read with service names masked, ./mentions.ts). Each section is read up to 250 words (the focus reads all of it); an empty section
 * scores 0; a section copied from the KB articles scores 0 and counts for nothing (../copying.ts
 * copiedParts, judged over all sections together).
 * Contradictions, subtracted from the postmortem score (floored at 0): target_service names a
 * node other than the root -0.1; the resolution, summary or timeline claims a remediation kind
 * never applied in the episode -0.1 each, at most -0.3; a severity word (P1..P4) differing from
 * severity_assessment -0.05 (outside the action items, whose P1..P4 are task priorities).
 */
import { ActionType, Severity } from "../../../gen/incident/v1/enums_pb.js";
import type { PostmortemSections } from "../../../gen/incident/v1/action_pb.js";
import { firstWords, focusFactor, foreignConcepts, profile } from "../concepts.js";
import { copiedParts } from "../copying.js";
import type { StepRecord } from "../record.js";
import { requirementIds, satisfiedBy, satisfiedCount } from "../../scenarios/knowledge.js";
import { stepsOfType, targetOf, type EpisodeFacts } from "./facts.js";
import { ROLL_CALL_MIN, impactScore } from "./impact.js";
import { onTopicConcepts } from "./knowledge.js";
import { hasToken, maskServiceNames, serviceMatcher, severityWords, type ServiceMatcher } from "./mentions.js";
import { REMEDIATION_CLAIMS } from "./remediation-claims.js";
import { hedgedRoot } from "./suspects.js";
import { timelineScore } from "./timeline.js";
import type { PartScore } from "./types.js";

const MAX_WORDS_PER_SECTION = 250;
type SectionKey = Exclude<keyof PostmortemSections, "$typeName" | "$unknown">;
const SCORED: ReadonlyArray<{ key: SectionKey; name: string; weight: number }> = [
  { key: "rootCause", name: "root_cause", weight: 0.3 },
  { key: "timeline", name: "timeline", weight: 0.2 },
  { key: "impact", name: "impact", weight: 0.2 },
  { key: "actionItems", name: "action_items", weight: 0.2 },
  { key: "summary", name: "summary", weight: 0.1 },
];
const ALL_SECTIONS: readonly SectionKey[] = [
  "summary",
  "timeline",
  "rootCause",
  "impact",
  "actionItems",
  "trigger",
  "resolution",
  "detection",
  "lessonsLearned",
];
const CLAIM_SECTIONS: readonly SectionKey[] = ["resolution", "summary", "timeline"];
const WRONG_TARGET = 0.1;
/** What a postmortem keeps when it never states this fault's mechanism. */
const OFF_INCIDENT = 0.4;
const UNAPPLIED_CLAIM = 0.1;
const MAX_UNAPPLIED = 0.3;
const SEVERITY_MISMATCH = 0.05;

interface Section {
  status: "missing" | "copied" | "graded";
  /** The first 250 words: what earns credit. */
  read: string;
  expressed: ReadonlySet<string>;
  focus: number;
  foreign: string[];
}

export interface PostmortemResult extends PartScore {
  step: StepRecord;
  /** Mean focus factor of the graded sections; 0 when none was graded. */
  focus: number;
}

function readSection(facts: EpisodeFacts, allowed: ReadonlySet<string>, raw: string | undefined, copied: boolean): Section {
  const text = (raw ?? "").trim();
  if (text === "") return { status: "missing", read: "", expressed: new Set(), focus: 0, foreign: [] };
  if (copied) return { status: "copied", read: "", expressed: new Set(), focus: 0, foreign: [] };
  const nodes = facts.record.spec.topology.nodes;
  const read = firstWords(text, MAX_WORDS_PER_SECTION);
  const expressed = new Set(profile(maskServiceNames(read, nodes)).expressed.keys());
  const whole = read === text ? expressed : new Set(profile(maskServiceNames(text, nodes)).expressed.keys());
  const foreign = foreignConcepts(whole, allowed);
  const onTopic = [...whole].filter((id) => allowed.has(id)).length;
  const words = read === text ? profile(maskServiceNames(read, nodes)).wordCount : profile(maskServiceNames(text, nodes)).wordCount;
  return { status: "graded", read, expressed, focus: focusFactor(onTopic, foreign.length, words), foreign };
}

/**
 * True when the text names the root, commits to it, and is not a roll-call of the system: the
 * root offered among other suspects ("either orders-db or payments-service", ./suspects.ts) is not
 * named.
 */
function namesRoot(facts: EpisodeFacts, matcher: ServiceMatcher, text: string): { named: boolean; text: string } {
  const named = matcher.named(text);
  const nodes = facts.record.spec.topology.nodes.length;
  if (!named.includes(facts.root)) return { named: false, text: "root not named" };
  if (named.length >= ROLL_CALL_MIN && named.length > nodes / 2)
    return { named: false, text: `names ${named.length} of ${nodes} services, a roll-call names no root` };
  const hedge = hedgedRoot(text, matcher, facts.root);
  if (hedge.hedged)
    return { named: false, text: `names the root only among other suspects (${hedge.others.join(", ")}), which names no root` };
  return { named: true, text: "names the root" };
}

/**
 * Whether the root-cause section names the root. It does when it names it itself (namesRoot).
 * It also does by reference when it names no root of its own ("the new version leaked memory",
 * "the migration dropped the index", "the fibre path between az2 and az1 failed") while the
 * summary or the trigger section names the root and target_service is the root: the section
 * continues a document that has already said which service failed. A section that offers
 * suspects ("one of A, B or C") or calls the roll names no root either way.
 */
function rootCauseNamesRoot(
  facts: EpisodeFacts,
  matcher: ServiceMatcher,
  step: StepRecord,
  rootCause: Section,
  context: readonly Section[],
): { named: boolean; text: string } {
  const own = namesRoot(facts, matcher, rootCause.read);
  if (own.named || own.text !== "root not named") return own;
  const named = matcher.named(rootCause.read);
  if (named.length >= ROLL_CALL_MIN && named.length > facts.record.spec.topology.nodes.length / 2) return own;
  if (named.some((n) => hedgedRoot(rootCause.read, matcher, n).hedged)) return own;
  if (targetOf(facts, step) !== facts.root) return own;
  const where = context.find((c) => c.status === "graded" && namesRoot(facts, matcher, c.read).named);
  return where ? { named: true, text: "names the root by reference (named earlier in the document and as target_service)" } : own;
}

export function gradePostmortem(facts: EpisodeFacts, step: StepRecord): PostmortemResult {
  const raw = step.action.postmortemSections;
  const allowed = onTopicConcepts(facts.fault);
  const texts = ALL_SECTIONS.map((k) => (raw?.[k] ?? "").trim());
  const copies = copiedParts(texts, facts.kb);
  const sections = new Map<SectionKey, Section>(ALL_SECTIONS.map((k, i) => [k, readSection(facts, allowed, texts[i], copies[i] === true)]));
  const section = (k: SectionKey): Section =>
    sections.get(k) ?? { status: "missing", read: "", expressed: new Set(), focus: 0, foreign: [] };
  const scored = SCORED.map((s) => section(s.key));
  if (scored.every((s) => s.status === "missing"))
    return { score: 0, detail: `step ${step.step}: the postmortem has no sections`, notes: [], step, focus: 0 };

  const knowledge = facts.fault.knowledge.postmortem;
  const matcher = serviceMatcher(facts.record.spec.topology.nodes);
  const parts: Record<string, { score: number; text: string }> = {};

  // root_cause
  {
    const s = section("rootCause");
    if (s.status !== "graded") parts.root_cause = { score: 0, text: s.status };
    else {
      const name = rootCauseNamesRoot(facts, matcher, step, s, [section("summary"), section("trigger")]);
      const hits = satisfiedCount(knowledge.rootCause, s.expressed);
      const mechanism = knowledge.rootCause.length > 0 ? hits / knowledge.rootCause.length : 1;
      const hasTrigger = facts.fault.trigger.description !== "";
      const trigger = hasTrigger
        ? triggerCredit(facts, s, section("trigger"))
        : { score: 0, text: "no trigger line: its 0.2 goes to the mechanism" };
      const score = ((name.named ? 0.4 : 0) + (hasTrigger ? 0.4 : 0.6) * mechanism + (hasTrigger ? 0.2 * trigger.score : 0)) * s.focus;
      parts.root_cause = {
        score,
        text: `${name.text}; mechanism ${hits}/${knowledge.rootCause.length}; ${trigger.text}${focusText(s)}`,
      };
    }
  }
  // timeline
  {
    const s = section("timeline");
    if (s.status !== "graded") parts.timeline = { score: 0, text: s.status };
    else {
      const t = timelineScore(facts, s.read);
      parts.timeline = { score: t.score * s.focus, text: `${t.detail}${focusText(s)}` };
    }
  }
  // impact
  {
    const s = section("impact");
    if (s.status !== "graded") parts.impact = { score: 0, text: s.status };
    else {
      const i = impactScore(facts, s.read);
      parts.impact = { score: i.score * s.focus, text: `${i.detail}${focusText(s)}` };
    }
  }
  // action_items
  {
    const s = section("actionItems");
    if (s.status !== "graded") parts.action_items = { score: 0, text: s.status };
    else {
      const hits = satisfiedCount(knowledge.actionItems, s.expressed);
      const coverage = knowledge.actionItems.length > 0 ? hits / knowledge.actionItems.length : 1;
      parts.action_items = { score: coverage * s.focus, text: `${hits}/${knowledge.actionItems.length} follow-ups${focusText(s)}` };
    }
  }
  // summary
  {
    const s = section("summary");
    if (s.status !== "graded") parts.summary = { score: 0, text: s.status };
    else {
      const name = namesRoot(facts, matcher, s.read);
      const mechanism = knowledge.rootCause.some((r) => satisfiedBy(r, s.expressed) !== undefined);
      parts.summary = {
        score: ((name.named ? 0.5 : 0) + (mechanism ? 0.5 : 0)) * s.focus,
        text: `${name.text}; ${mechanism ? "states the mechanism" : "no mechanism"}${focusText(s)}`,
      };
    }
  }

  // A postmortem that never states this fault's mechanism (in its root cause or its summary) is
  // about another incident: its timeline of observable times and its impact earn little alone.
  const statesMechanism = [section("rootCause"), section("summary")].some(
    (s) => s.status === "graded" && knowledge.rootCause.some((r) => satisfiedBy(r, s.expressed) !== undefined),
  );
  const relevance = statesMechanism || knowledge.rootCause.length === 0 ? 1 : OFF_INCIDENT;
  const weighted = relevance * SCORED.reduce((sum, s) => sum + s.weight * (parts[s.name]?.score ?? 0), 0);
  const contradictions = findContradictions(facts, step, (k) => section(k));
  const deducted = contradictions.reduce((sum, c) => sum + c.amount, 0);
  const score = Math.max(0, weighted - deducted);
  const graded = scored.filter((s) => s.status === "graded");
  const focus = graded.length > 0 ? graded.reduce((sum, s) => sum + s.focus, 0) / graded.length : 0;

  const notes = SCORED.map(
    (s) => `postmortem ${s.name} (x${s.weight}): ${(parts[s.name]?.score ?? 0).toFixed(2)}: ${parts[s.name]?.text ?? ""}`,
  );
  for (const c of contradictions) notes.push(`postmortem contradiction -${c.amount}: ${c.detail}`);
  const summary = SCORED.map((s) => `${s.name} ${(parts[s.name]?.score ?? 0).toFixed(2)}`).join(", ");
  return {
    score,
    detail: `step ${step.step}: ${summary}${relevance < 1 ? `; x${OFF_INCIDENT}: states no mechanism of this fault` : ""}${deducted > 0 ? `; contradictions -${deducted.toFixed(2)}` : ""}`,
    notes,
    step,
    focus,
  };
}

function focusText(s: Section): string {
  return s.focus < 1 ? `; x${s.focus.toFixed(2)} focus (other incidents' concepts: ${s.foreign.join(", ")})` : "";
}

/** Trigger credit: a trigger concept, or a concrete fact of this episode's trigger. */
function triggerCredit(facts: EpisodeFacts, rootCause: Section, triggerSection: Section): { score: number; text: string } {
  const triggers = facts.fault.knowledge.postmortem.trigger;
  const spec = facts.record.spec;
  const factValues: string[] = [];
  if (facts.fault.trigger.event === "deploy") factValues.push(facts.index.node(spec.root).version);
  for (const m of facts.fault.trigger.description.matchAll(/\{detail:([a-z_]+)\}/g)) {
    const value = m[1] !== undefined ? spec.details[m[1]] : undefined;
    if (value !== undefined && value !== "") factValues.push(value);
  }
  const credit = (s: Section): string | undefined => {
    if (s.status !== "graded") return undefined;
    const concept = triggers.map((r) => satisfiedBy(r, s.expressed)).find((id) => id !== undefined);
    if (concept) return `trigger concept ${concept}`;
    const fact = factValues.find((v) => hasToken(s.read, v));
    return fact !== undefined ? `trigger fact "${fact}"` : undefined;
  };
  const own = credit(rootCause);
  if (own) return { score: 1, text: own };
  const separate = credit(triggerSection);
  if (separate)
    return {
      score: triggerSection.focus,
      text: `${separate} (trigger section${triggerSection.focus < 1 ? `, x${triggerSection.focus.toFixed(2)} focus` : ""})`,
    };
  return { score: 0, text: "trigger not stated" };
}

interface Contradiction {
  amount: number;
  detail: string;
}

function findContradictions(facts: EpisodeFacts, step: StepRecord, section: (k: SectionKey) => Section): Contradiction[] {
  const out: Contradiction[] = [];
  const target = targetOf(facts, step);
  if (target !== undefined && target !== facts.root) out.push({ amount: WRONG_TARGET, detail: `target_service ${target} is not the root` });

  const applied = new Set(
    facts.record.world.timeline.filter((e) => e.kind === "remediation").map((e) => e.detail.split(":")[0]?.trim() ?? ""),
  );
  const triggerConcepts = new Set(requirementIds(facts.fault.knowledge.postmortem.trigger));
  const claimed = new Map<string, string>();
  for (const key of CLAIM_SECTIONS) {
    for (const id of section(key).expressed) {
      const kinds = REMEDIATION_CLAIMS.get(id);
      if (!kinds || triggerConcepts.has(id) || kinds.some((k) => applied.has(k))) continue;
      const kind = kinds.join("/");
      if (!claimed.has(kind)) claimed.set(kind, id);
    }
  }
  let budget = MAX_UNAPPLIED;
  for (const [kind, id] of claimed) {
    if (budget < UNAPPLIED_CLAIM - 1e-9) break;
    out.push({ amount: UNAPPLIED_CLAIM, detail: `claims a ${kind} (${id}) that was never applied in this episode` });
    budget -= UNAPPLIED_CLAIM;
  }

  const assessed = step.action.severityAssessment;
  if (assessed !== undefined && assessed !== Severity.UNSPECIFIED) {
    const word = Severity[assessed];
    // Action items carry task priorities ("(SRE, P1)"), not the incident's severity.
    const texts = ALL_SECTIONS.filter((k) => k !== "actionItems")
      .map((k) => section(k))
      .filter((s) => s.status === "graded")
      .map((s) => s.read);
    const other = texts.flatMap(severityWords).find((w) => w !== word);
    if (other) out.push({ amount: SEVERITY_MISMATCH, detail: `the text says ${other} but severity_assessment is ${word}` });
  }
  return out;
}

/** The postmortem that counts: the last one written. */
export function finalPostmortem(facts: EpisodeFacts): PostmortemResult | undefined {
  const last = stepsOfType(facts, ActionType.WRITE_POSTMORTEM).at(-1);
  return last ? gradePostmortem(facts, last) : undefined;
}
