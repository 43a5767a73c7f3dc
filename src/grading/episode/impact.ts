/**
 * The postmortem's impact section against the world's impact record.
 *
 * Services: F1 of recall and precision. Recall is measured against the services that matter: the
 * root (if it degraded), the entry points that degraded (where users felt it) and the WORST_HIT
 * degraded services with the highest peak error rates. A writer who names the user-facing
 * gateway, the root and the worst-hit services has full recall, however many internal services
 * also degraded a little. Precision counts every named service against all that degraded, so
 * listing every service of the system costs. A service named only in sentences that say it was
 * not hurt ("no user-facing errors at api-gateway", "the gateway's calls to both were at their
 * usual ~0.2% error rate", "post-service errors were pre-existing noise") is not claimed as
 * impacted: it counts for neither.
 *
 * Magnitudes: each error rate stated is compared with the degraded services' peak error rates; a
 * claim within 30 % (relative) or 3 points of some peak is correct, one that matches none is
 * wrong. Percentages that claim no error rate are not read: thresholds and baselines ("the 5%
 * alerting threshold", "its usual ~0.4%"), other metrics ("CPU around 96%", "connections at 100%
 * of max", "45% packet loss"), and every figure of a sentence that says its services were not hurt
 * ("errors rose to about 4% but stayed under the threshold"). Service names are masked first, so
 * a name such as "usage-metering" is not read as a usage figure.
 * 1 with at least one correct and none wrong, 0.5 with both, 0 with only wrong ones or none.
 * Impact = 0.6 x F1 + 0.4 x magnitudes. When no degraded service had an error rate of
 * MIN_ERROR_CLAIM or more (a backlog or latency incident), there is no error rate to state:
 * impact = F1, or 0.6 x F1 if the section claims error rates that match no peak.
 * When nothing degraded (a false alarm), the section scores for saying there was no impact.
 */
import type { EpisodeFacts } from "./facts.js";
import { profile } from "../concepts.js";
import { sentences } from "../asides.js";
import { maskServiceNames, percentages, serviceMatcher } from "./mentions.js";
import type { PartScore } from "./types.js";

/** How many of the worst-hit services (by peak error rate) recall expects. */
const WORST_HIT = 3;
/** An incident whose degraded services all stayed under this error rate (%) has none to state. */
const MIN_ERROR_CLAIM = 5;
/** A section naming this many services or more, and more than half the system, is a roll-call. */
export const ROLL_CALL_MIN = 5;

/** The degraded services an impact statement is expected to name. */
export function servicesThatMatter(facts: EpisodeFacts): string[] {
  const degraded = new Set(facts.record.world.impact.map((i) => i.service));
  const wanted = new Set<string>();
  if (degraded.has(facts.root)) wanted.add(facts.root);
  for (const n of entryPoints(facts)) if (degraded.has(n)) wanted.add(n);
  for (const i of facts.record.world.impact.slice(0, WORST_HIT)) wanted.add(i.service); // worst first (peak error rate, then minutes degraded)
  return [...wanted];
}

function entryPoints(facts: EpisodeFacts): string[] {
  return facts.index
    .entryPoints()
    .filter((n) => n.kind === "gateway" || facts.index.callees(n.name).some((e) => e.requestPath))
    .map((n) => n.name);
}

/**
 * Services hurt by the fault that the impact record leaves out because none of their golden
 * signals crossed a threshold: those that alerted after the onset (a consumer whose connections
 * saturated, a topic whose lag grew) and are not the incident's red herrings. Naming them is
 * true, so it costs no precision; they are never required.
 */
function alsoHurt(facts: EpisodeFacts): Set<string> {
  const { spec, world } = facts.record;
  const herrings = new Set(spec.distractors.map((d) => d.node));
  return new Set(
    world.timeline.filter((e) => e.kind === "alert" && e.minute >= spec.onsetMinute && !herrings.has(e.service)).map((e) => e.service),
  );
}

/**
 * Words of a sentence that says the services it names were not hurt. Read per sentence: "no
 * other service was degraded", "errors stayed at their usual ~0.5%", "unaffected".
 */
const NOT_HURT = new RegExp(
  [
    "\\bnot (?:affected|impacted|degraded|hurt)\\b",
    "\\bun(?:affected|impacted|touched)\\b",
    "\\bno (?:other service|(?:[\\w-]+ )?(?:impact|errors?|change|degradation))\\b",
    "\\b(?:stayed|still|remained|peaked|kept) (?:under|below|within)\\b",
    "\\bnothing showed\\b",
    "\\b(?:stayed|remained|was|were) (?:healthy|normal|fine|flat|clean)\\b",
    "\\bhealthy throughout\\b",
    "\\b(?:its|their) (?:usual|normal|baseline)\\b",
    "\\bas usual\\b",
    "\\bpre-?existing\\b",
    "\\bunrelated\\b",
    "\\bnoise\\b",
  ].join("|"),
  "i",
);

/**
 * Words of a sentence that says something was hurt after all: "p99 went over 1 s; overall error
 * rate stayed under 2%" reports a latency breach.
 */
const HURT =
  /\b(?:went|rose|climbed|spiked|jumped) (?:over|above|past)\b|\bpeak(?:ed)? (?:at|about|around|of)\b|\bfailed\b|(?<!\bno (?:other )?services? )\b(?:was|were) degraded\b/i;

/** True when the sentence says its services were not hurt, and nothing that contradicts it. */
function isCalm(sentence: string): boolean {
  return NOT_HURT.test(sentence) && !HURT.test(sentence);
}

/** Services named as impacted: every service named outside sentences that say it was not hurt. */
function namedAsHurt(facts: EpisodeFacts, text: string): string[] {
  const matcher = serviceMatcher(facts.record.spec.topology.nodes);
  const calm = sentences(text).filter((s) => isCalm(s.text));
  const inCalm = (from: number): boolean => calm.some((s) => from >= s.from && from < s.to);
  return [
    ...new Set(
      matcher
        .mentions(text)
        .filter((m) => !inCalm(m.from))
        .map((m) => m.node),
    ),
  ];
}

/** Words that make a nearby percentage an error rate ("45.9% of requests failed", "errors peaked at 26%"). */
const ERROR_WORDS =
  /\b(?:errors?|error rate|fail(?:s|ed|ing|ures?)?|5xx|50[0-4]s?|rejected|rejections?|refused|throttled|timed out|timeouts?|unavailable|denied|canceled|cancelled)\b/i;
/** Words that make a nearby percentage some other metric. */
const METRIC_WORDS =
  /\b(?:cpu|memory|heap|disk|volume|connections?|connection usage|usage|used|hit ratio|hit rate|utili[sz]ation|capacity|quota|packet|loss|traffic|load|share|of (?:the )?(?:limit|max|plan))\b/i;
/** Words that make a nearby percentage a threshold or a baseline, not an observation. */
const REFERENCE_WORDS =
  /\b(?:thresholds?|slos?|slas?|targets?|baselines?|usual(?:ly)?|normal(?:ly)?|typical(?:ly)?|budgets?|alerting|alerts? at|expected)\b/i;

interface RateClaim {
  value: number;
  /** Not a claim about an error rate: a threshold, a baseline or another metric. */
  aside: boolean;
}

/** The percentages of the text with what they are about, read from the words around each. */
function rateClaims(text: string): RateClaim[] {
  const out: RateClaim[] = [];
  for (const sentence of sentences(text)) {
    // A sentence that says its services were not hurt states no impact, whatever its figures.
    const calm = isCalm(sentence.text);
    for (const m of sentence.text.matchAll(/(\d+(?:\.\d+)?)\s*(?:%|percent\b)/gi)) {
      const at = m.index ?? 0;
      // The clause around the number: back to the previous , ; : ( and on to the next.
      const before =
        sentence.text
          .slice(0, at)
          .split(/[,;:(]/)
          .at(-1) ?? "";
      const after = sentence.text.slice(at + m[0].length).split(/[,;:)]/)[0] ?? "";
      const near = `${before.split(/\s+/).slice(-6).join(" ")} | ${after.split(/\s+/).slice(0, 5).join(" ")}`;
      const reference = REFERENCE_WORDS.test(near);
      const otherMetric = !ERROR_WORDS.test(near) && METRIC_WORDS.test(near);
      out.push({ value: Number(m[1]), aside: calm || reference || otherMetric });
    }
  }
  return out;
}

/**
 * The impact section's score. A section that calls the roll (names ROLL_CALL_MIN services or more, and more than half the
 * system) claims nothing in particular: it gets neither the services that alerted as true
 * (alsoHurt) nor the services-only reading of an incident without error rates.
 */
export function impactScore(facts: EpisodeFacts, text: string): PartScore {
  const degraded = facts.record.world.impact.map((i) => i.service);
  if (degraded.length === 0) return noImpactScore(facts, text);
  const matter = servicesThatMatter(facts);
  const named = namedAsHurt(facts, text);
  const rollCall = named.length >= ROLL_CALL_MIN && named.length > facts.record.spec.topology.nodes.length / 2;
  const hurt = rollCall ? new Set<string>() : alsoHurt(facts);
  const right = named.filter((n) => degraded.includes(n) || hurt.has(n));
  const found = matter.filter((n) => named.includes(n));
  const precision = named.length > 0 ? right.length / named.length : 0;
  const recall = matter.length > 0 ? found.length / matter.length : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;

  const peaks = facts.record.world.impact.map((i) => i.peakErrorRate);
  const matches = (claim: number): boolean => peaks.some((p) => Math.abs(claim - p) <= Math.max(3, 0.3 * p));
  // Names masked: "usage-metering at 21%" is a service's error rate, not a usage figure.
  const claims = rateClaims(maskServiceNames(text, facts.record.spec.topology.nodes));
  const correct = claims.filter((c) => !c.aside && matches(c.value)).length;
  const wrong = claims.filter((c) => !c.aside && !matches(c.value)).length;
  const ignored = claims.length - correct - wrong;
  const anyErrors = rollCall || peaks.some((p) => p >= MIN_ERROR_CLAIM);
  const magnitudes = correct > 0 && wrong === 0 ? 1 : correct > 0 ? 0.5 : 0;
  const score = anyErrors ? 0.6 * f1 + 0.4 * magnitudes : wrong === 0 ? f1 : 0.6 * f1;
  const magnitudeText = anyErrors
    ? `magnitudes ${magnitudes} (${correct + wrong === 0 ? "no error rates" : `${correct} right, ${wrong} matching no peak error rate`}${ignored > 0 ? `; ${ignored} threshold, baseline or other figure(s) not read` : ""})`
    : `no service had ${MIN_ERROR_CLAIM}% errors: services only${wrong > 0 ? `, x0.6 for ${wrong} error rate(s) matching no peak` : ""}`;
  const detail =
    `services F1 ${f1.toFixed(2)} (named ${named.length}, ${right.length} of ${degraded.length} degraded${right.length > right.filter((n) => degraded.includes(n)).length ? " or alerting" : ""}; ` +
    `${found.length} of the ${matter.length} that matter most: ${matter.join(", ") || "none"}); ${magnitudeText}`;
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
  return {
    score,
    detail: `nothing degraded: ${says ? "the section says there was no impact" : "the section does not say there was no impact"}${claims > 0 ? `; ${claims} error rate(s) claimed` : ""}`,
    notes: [],
  };
}
