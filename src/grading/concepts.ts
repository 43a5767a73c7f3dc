/**
 * Which lexicon concepts a text expresses, sorted by what they mean for one incident.
 */
import { LEXICON } from "../scenarios/lexicon.js";
import { analyze, matchPhrases, type AnalyzedText } from "./text.js";

interface ConceptProfile {
  /** Concept ids the text expresses (not negated), with the token position of the first match. */
  expressed: ReadonlyMap<string, number>;
  /** Concept ids the text mentions only under a negation ("do not restart") or as a rejected alternative ("rather than restarting"). */
  negated: ReadonlySet<string>;
  wordCount: number;
}

/** Profiles of recently graded texts: an episode's documents are re-graded after every step. */
const recent = new Map<string, ConceptProfile>();
const RECENT_PROFILES = 4096;

/** Every lexicon concept the text expresses. */
export function profile(text: string | AnalyzedText): ConceptProfile {
  if (typeof text !== "string") return computeProfile(text);
  const cached = recent.get(text);
  if (cached) return cached;
  const computed = computeProfile(analyze(text));
  if (recent.size >= RECENT_PROFILES) recent.delete(recent.keys().next().value as string);
  recent.set(text, computed);
  return computed;
}

function computeProfile(analyzed: AnalyzedText): ConceptProfile {
  const expressed = new Map<string, number>();
  const negated = new Set<string>();
  for (const concept of LEXICON.values()) {
    const match = matchPhrases(analyzed, concept.phrases);
    if (!match) continue;
    if (match.negated) negated.add(concept.id);
    else expressed.set(concept.id, match.position);
  }
  return { expressed, negated, wordCount: analyzed.wordCount };
}

/** The concept ids of a profile that are neither allowed for the incident nor neutral. */
export function foreignConcepts(expressed: Iterable<string>, allowed: ReadonlySet<string>): string[] {
  const foreign: string[] = [];
  for (const id of expressed) {
    if (allowed.has(id)) continue;
    if (LEXICON.get(id)?.neutral) continue;
    foreign.push(id);
  }
  return foreign.sort();
}

/** Words of text per foreign concept tolerated beyond the first. */
const WORDS_PER_TOLERATED = 200;
/** Most foreign concepts tolerated, however long the text. */
const MAX_TOLERATED = 2;

/**
 * How much to keep of a grade given the share of foreign concepts. Honest writing strays a
 * little, and the longer it is the more it strays (a neighbouring failure ruled out, a word
 * another incident also uses): one foreign concept is tolerated, one more per
 * WORDS_PER_TOLERATED words of text, at most MAX_TOLERATED. Past that, the factor is the squared
 * share of on-topic concepts, every foreign concept counted, so a text that lists every
 * incident's vocabulary keeps little however long it is (padding buys it nothing).
 */
export function focusFactor(onTopic: number, foreign: number, wordCount = 0): number {
  const tolerated = Math.min(MAX_TOLERATED, 1 + Math.floor(wordCount / WORDS_PER_TOLERATED));
  if (foreign <= tolerated) return 1;
  const share = onTopic / (onTopic + foreign);
  return share * share;
}

/** Truncates text to its first `maxWords` words, the most any grader reads of one answer. */
export function firstWords(text: string, maxWords: number): string {
  const words = text.split(/\s+/).filter((w) => w.length > 0);
  return words.length <= maxWords ? text : words.slice(0, maxWords).join(" ");
}
