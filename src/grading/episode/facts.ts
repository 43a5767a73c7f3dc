/**
 * What every part of an episode grade needs from the record, computed once per grade: the
 * topology index, the root and the fault's path, target resolution, evidence, the time discount,
 * clock conversion, and the knowledge base the answers must not be copied from.
 */
import { ActionType } from "../../../gen/incident/v1/enums_pb.js";
import type { FaultDefinition } from "../../sim/fault-types.js";
import { resolveService } from "../../scenarios/service-names.js";
import { shownKb } from "../../sim/incident.js";
import { TopologyIndex } from "../../sim/topology.js";
import { copyReferences, type CopyReferences } from "../copying.js";
import { timeDiscount } from "../grade.js";
import type { EpisodeRecord, StepRecord } from "../record.js";

export interface EpisodeFacts {
  record: EpisodeRecord;
  fault: FaultDefinition;
  index: TopologyIndex;
  root: string;
  /** The root and every node that reaches it through request edges (the path the fault travels). */
  faultPath: ReadonlySet<string>;
  /** This incident's KB articles, rendered for this incident, indexed for copy detection. */
  kb: CopyReferences;
}

/** What does not change during an episode, computed once per incident spec. */
interface SpecFacts {
  index: TopologyIndex;
  faultPath: ReadonlySet<string>;
  kb: CopyReferences;
}

const specFacts = new WeakMap<EpisodeRecord["spec"], SpecFacts>();

export function factsOf(record: EpisodeRecord): EpisodeFacts {
  let fixed = specFacts.get(record.spec);
  if (!fixed) {
    const index = TopologyIndex.of(record.spec.topology);
    fixed = { index, faultPath: new Set([record.spec.root, ...index.upstreamOf(record.spec.root)]), kb: copyReferences(kbTexts(record)) };
    specFacts.set(record.spec, fixed);
  }
  return { record, fault: record.spec.fault, index: fixed.index, root: record.spec.root, faultPath: fixed.faultPath, kb: fixed.kb };
}

/** The node a step's target_service named, if exactly one (the record's resolution, else ours). */
export function targetOf(facts: EpisodeFacts, step: StepRecord): string | undefined {
  if (step.target !== undefined && facts.index.byName.has(step.target)) return step.target;
  if (step.target !== undefined) return undefined;
  return resolveService(step.action.targetService, facts.record.spec.topology.nodes)?.name;
}

/** True when the responder had seen the node (observation or inspection) by this minute. */
export function hadEvidence(facts: EpisodeFacts, node: string, minute: number): boolean {
  const first = facts.record.evidence.get(node);
  return first !== undefined && first <= minute;
}

export function stepsOfType(facts: EpisodeFacts, type: ActionType): StepRecord[] {
  return facts.record.steps.filter((s) => s.action.actionType === type);
}

/** Discount for something achieved at this step (1 up to step 3, then x0.95 per step). */
export function discountNote(step: number): { factor: number; text: string } {
  const factor = timeDiscount(step);
  return { factor, text: factor < 1 ? `x${factor.toFixed(3)} time discount (step ${step})` : `no time discount (step ${step})` };
}

/** The simulated minute a clock time of day (minutes since midnight UTC) stands for, within 12 h of minute 0. */
export function minuteOfClock(facts: EpisodeFacts, minutesOfDay: number): number {
  const start = new Date(facts.record.world.startedAtMs);
  const startOfDay = start.getUTCHours() * 60 + start.getUTCMinutes() + start.getUTCSeconds() / 60;
  let m = minutesOfDay - startOfDay;
  while (m < -720) m += 1440;
  while (m >= 720) m -= 1440;
  return m;
}

/** "HH:MM" (UTC) of a simulated minute. */
export function clockOf(facts: EpisodeFacts, minute: number): string {
  const d = new Date(facts.record.world.startedAtMs + minute * 60_000);
  return `${String(d.getUTCHours()).padStart(2, "0")}:${String(d.getUTCMinutes()).padStart(2, "0")}`;
}

/**
 * The KB articles' text the responder was shown: the pool articles chosen when the incident was
 * made (IncidentSpec.kb, in the wording of its phrasing), or a preset's narrative articles; the
 * same rule as IncidentWorld.kb.
 */
function kbTexts(record: EpisodeRecord): string[] {
  return shownKb(record.spec).flatMap((a) => [a.title, a.content]);
}
