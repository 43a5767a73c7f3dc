/**
 * Mitigation: did a fix land, and did the system come back and stay back.
 *
 * The first step whose remediation fixed or relieved the fault: 1 if health has held for the
 * required window since (world.healthHeld), 0.6 if the system is healthy now, 0.3 if the fix
 * landed but health is not back; times the time discount of that step. When no remediation ever
 * fixed the fault for good (relief only, e.g. killing idle sessions), the score is capped at 0.6.
 */
import { discountNote, type EpisodeFacts } from "./facts.js";
import type { PartScore } from "./types.js";

const RELIEF_CAP = 0.6;

export function mitigationScore(facts: EpisodeFacts): PartScore {
  const steps = facts.record.steps;
  const first = steps.find((s) => s.remediation?.kind === "fixed" || s.remediation?.kind === "relieved");
  if (!first) return { score: 0, detail: "no remediation fixed or relieved the fault", notes: [] };
  const world = facts.record.world;
  const durable = steps.some((s) => s.remediation?.kind === "fixed");
  let health = world.healthHeld ? 1 : world.healthy ? 0.6 : 0.3;
  const state = world.healthHeld ? "health held since (1)" : world.healthy ? "healthy now, not yet held (0.6)" : "health not back (0.3)";
  let cap = "";
  if (!durable && health > RELIEF_CAP) {
    health = RELIEF_CAP;
    cap = `; relief only, capped at ${RELIEF_CAP}`;
  }
  const discount = discountNote(first.step);
  return {
    score: health * discount.factor,
    detail: `step ${first.step}: ${first.target ?? "?"} ${first.remediation?.kind}; ${state}${cap}; ${discount.text}`,
    notes: [],
  };
}
