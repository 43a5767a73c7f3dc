/**
 * The postmortem's impact section against the world's impact record.
 *
 * Services: F1 of the services the section names against those that were degraded (naming every
 * service costs precision). Magnitudes: each percentage stated is compared with the degraded
 * services' peak error rates; a claim within 30 % (relative) or 3 points of some peak is correct,
 * one that matches none is wrong. 1 with at least one correct and none wrong, 0.5 with both, 0 with
 * only wrong ones or no numbers. Impact = 0.6 x F1 + 0.4 x magnitudes. When nothing degraded
 * (a false alarm), the section scores for saying there was no impact.
 */
import type { EpisodeFacts } from "./facts.js";
import { profile } from "../concepts.js";
import { maskServiceNames, percentages, serviceMatcher } from "./mentions.js";
import type { PartScore } from "./types.js";

export function impactScore(facts: EpisodeFacts, text: string): PartScore {
  const degraded = facts.record.world.impact.map((i) => i.service);
  if (degraded.length === 0) return noImpactScore(facts, text);
  const named = serviceMatcher(facts.record.spec.topology.nodes).named(text);
  const right = named.filter((n) => degraded.includes(n));
  const precision = named.length > 0 ? right.length / named.length : 0;
  const recall = degraded.length > 0 ? right.length / degraded.length : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;

  const peaks = facts.record.world.impact.map((i) => i.peakErrorRate);
  const claims = percentages(text);
  const matches = (claim: number): boolean => peaks.some((p) => Math.abs(claim - p) <= Math.max(3, 0.3 * p));
  const correct = claims.filter(matches).length;
  const wrong = claims.length - correct;
  const magnitudes = correct > 0 && wrong === 0 ? 1 : correct > 0 ? 0.5 : 0;
  const score = 0.6 * f1 + 0.4 * magnitudes;
  const detail =
    `services F1 ${f1.toFixed(2)} (named ${named.length}, ${right.length} of ${degraded.length} degraded: ${degraded.join(", ") || "none"}); ` +
    `magnitudes ${magnitudes} (${claims.length === 0 ? "no percentages" : `${correct} right, ${wrong} matching no peak error rate`})`;
  return { score, detail, notes: [] };
}

/**
 * An incident nothing degraded in (a false alarm): the section must say so, and claims of failing
 * services or error rates are wrong.
 */
function noImpactScore(facts: EpisodeFacts, text: string): PartScore {
  const says = profile(maskServiceNames(text, facts.record.spec.topology.nodes)).expressed.has("no_user_impact");
  const claims = percentages(text).filter((p) => p >= 1).length;
  const score = says && claims === 0 ? 1 : says ? 0.5 : 0;
  return { score, detail: `nothing degraded: ${says ? "the section says there was no impact" : "the section does not say there was no impact"}${claims > 0 ? `; ${claims} error rate(s) claimed` : ""}`, notes: [] };
}
