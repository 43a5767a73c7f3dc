/**
 * Which two pool articles an incident shows: one that helps (it fits the true fault) and one that
 * plausibly misleads (it describes the same kind of symptom, but does not fit the true fault), in
 * seeded order, in the incident's phrasing.
 *
 * Why the misleading partner is chosen the way it is: the responder knows one of the two helps, so
 * a fault both articles fit is ruled out, and a partner that shares fits with the helpful article
 * narrows the answer. Among the plausible partners (sharing a symptom family with the helpful
 * article) the selection therefore takes those whose fits overlap the helpful article's least
 * (usually not at all), so a pair of articles leaves several candidate faults open. Among those,
 * when the kind of the root is known, partners that also fit another fault striking that kind of
 * node come first: what the failing node is must not tell which of the pair helps.
 */
import type { NodeKind } from "../../sim/model.js";
import type { Rng } from "../../sim/prng.js";
import { FAULTS, strikes } from "../faults/index.js";
import type { FaultKind } from "../../sim/fault-types.js";
import type { KbArticleSpec, Phrasing } from "../../sim/vocabulary.js";
import { articlesFitting, KB_POOL, wordingsFor } from "./pool.js";
import type { KbPoolArticle } from "./types.js";

/** The articles that may mislead an incident of this fault whose helpful article is `helpful` (an article may be listed more than once: a weight). */
export function misleadingCandidates(fault: FaultKind, helpful: KbPoolArticle, rootKind?: NodeKind): KbPoolArticle[] {
  const wrong = KB_POOL.filter((a) => a !== helpful && !a.fits.includes(fault));
  const plausible = wrong.filter((a) => a.symptoms.some((s) => helpful.symptoms.includes(s)));
  const pool = plausible.length > 0 ? plausible : wrong;
  const overlap = (a: KbPoolArticle): number => a.fits.filter((f) => helpful.fits.includes(f)).length;
  const least = Math.min(...pool.map(overlap));
  const apart = pool.filter((a) => overlap(a) === least);
  if (rootKind === undefined) return apart;
  // Partners with look-alikes of the root's kind of node, weighted by how many (listed once per
  // look-alike, so a uniform pick favours them without always taking the same one).
  const alike = (a: KbPoolArticle): number => a.fits.filter((f) => strikes(FAULTS[f], rootKind)).length;
  const weighted = apart.flatMap((a) => Array.from({ length: alike(a) }, () => a));
  return weighted.length > 0 ? weighted : apart;
}

export interface KbChoice {
  helpful: KbPoolArticle;
  misleading: KbPoolArticle;
}

/** The helpful and the misleading article for an incident of this fault. */
export function chooseKbPair(fault: FaultKind, rng: Rng, rootKind?: NodeKind): KbChoice {
  const fitting = articlesFitting(fault);
  if (fitting.length === 0)
    throw new Error(`no knowledge-base article fits ${fault}: add it to the fits of at least two articles in src/scenarios/kb`);
  const helpful = rng.pick(fitting);
  return { helpful, misleading: rng.pick(misleadingCandidates(fault, helpful, rootKind)) };
}

/**
 * The articles an incident of this fault shows, in display order, worded for its phrasing. Give
 * it a fork of its own (`rng.fork("kb")`): it draws a variable number of numbers.
 */
export function chooseKbArticles(fault: FaultKind, phrasing: Phrasing, rng: Rng, rootKind?: NodeKind): KbArticleSpec[] {
  const { helpful, misleading } = chooseKbPair(fault, rng, rootKind);
  const shown = [helpful, misleading].map((article): KbArticleSpec => {
    const wording = rng.pick(wordingsFor(article, phrasing));
    return { id: wording.id, title: wording.title, tags: [...wording.tags], content: wording.content };
  });
  return rng.chance(0.5) ? shown : shown.reverse();
}
