/**
 * The postmortem's impact section against the world's impact record.
 *
 * Services: F1 of recall and precision. Recall is measured against the services that matter: the
 * root (if it degraded), the entry points that degraded (where users felt it) and the WORST_HIT
 * degraded services with the highest peak error rates. A writer who names the user-facing
 * gateway, the root and the worst-hit services has full recall, however many internal services
 * also degraded a little. Precision counts every named service against all that degraded, so
 * listing every service of the system costs.
 *
 * Magnitudes: each percentage stated is compared with the degraded services' peak error rates; a
 * claim within 30 % (relative) or 3 points of some peak is correct, one that matches none is
 * wrong. 1 with at least one correct and none wrong, 0.5 with both, 0 with only wrong ones or no
 * numbers. Impact = 0.6 x F1 + 0.4 x magnitudes. When nothing degraded (a false alarm), the
 * section scores for saying there was no impact.
 */
import type { EpisodeFacts } from "./facts.js";
import { profile } from "../concepts.js";
import { maskServiceNames, percentages, serviceMatcher } from "./mentions.js";
import type { PartScore } from "./types.js";

/** How many of the worst-hit services (by peak error rate) recall expects. */
const WORST_HIT = 3;

/** The degraded services an impact statement is expected to name. */
export function servicesThatMatter(facts: EpisodeFacts): string[] {
  const impact = facts.record.world.impact; // worst first (peak error rate, then minutes degraded)
  const degraded = new Set(impact.map((i) => i.service));
  const entries = facts.index.entryPoints().filter((n) => n.kind === "gateway" || facts.index.callees(n.name).some((e) => e.requestPath));
  const wanted = new Set<string>();
  if (degraded.has(facts.root)) wanted.add(facts.root);
  for (const n of entries) if (degraded.has(n.name)) wanted.add(n.name);
  for (const i of impact.slice(0, WORST_HIT)) wanted.add(i.service);
  return [...wanted];
}

export function impactScore(facts: EpisodeFacts, text: string): PartScore {
  const degraded = facts.record.world.impact.map((i) => i.service);
  if (degraded.length === 0) return noImpactScore(facts, text);
  const matter = servicesThatMatter(facts);
  const named = serviceMatcher(facts.record.spec.topology.nodes).named(text);
  const right = named.filter((n) => degraded.includes(n));
  const found = matter.filter((n) => named.includes(n));
  const precision = named.length > 0 ? right.length / named.length : 0;
  const recall = matter.length > 0 ? found.length / matter.length : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;

  const peaks = facts.record.world.impact.map((i) => i.peakErrorRate);
  const claims = percentages(text);
  const matches = (claim: number): boolean => peaks.some((p) => Math.abs(claim - p) <= Math.max(3, 0.3 * p));
  const correct = claims.filter(matches).length;
  const wrong = claims.length - correct;
  const magnitudes = correct > 0 && wrong === 0 ? 1 : correct > 0 ? 0.5 : 0;
  const score = 0.6 * f1 + 0.4 * magnitudes;
  const detail =
    `services F1 ${f1.toFixed(2)} (named ${named.length}, ${right.length} of ${degraded.length} degraded; ` +
    `${found.length} of the ${matter.length} that matter most: ${matter.join(", ") || "none"}); ` +
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
