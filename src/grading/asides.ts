/**
 * Sentences that are not claims about the incident: asides and disowned mentions.
 *
 * Honest documents say more than what happened and what to do. They file tickets for unrelated
 * noise the responder saw ("Unrelated: file-service OOM kills and an expired certificate on
 * auth-service - tickets filed"), set a decision point aside ("if lock waits are high, this is a
 * different problem"), and report what a KB article suggested before saying it was not done
 * ("One KB article suggests restarting the callers; we did neither"). Read as claims, those
 * sentences would credit a fix nobody applied, charge a runbook for a step it forbids, and make
 * the document look stuffed with other incidents' vocabulary. The text analysis (./text.ts)
 * reads such a sentence as a rejected mention, like "rather than restarting": it neither earns
 * nor costs.
 *
 * - An aside is a sentence that says what it talks about is unrelated to this incident
 *   (ASIDE). "Many unrelated services fail at once" is a symptom of a shared dependency, not an
 *   aside: "unrelated" before the victims' noun does not count.
 * - A disowned sentence ends by saying it was not done ("...; we did neither", "..., so we did
 *   not").
 * - A negation heading ("DON'T:", "Never:") rejects the rest of its sentence (./text.ts), and on
 *   a line of its own the list items under it.
 *
 * Setting a sentence aside can only take credit away from it, so an answer that wraps keywords
 * in asides gains nothing.
 */

/** One sentence of a text: its words, where it is, and whether it opens with a list marker. */
interface Sentence {
  text: string;
  from: number;
  to: number;
  listItem: boolean;
}

/** Words after which a period does not end a sentence. */
const ABBREVIATIONS = new Set(["e.g", "i.e", "etc", "vs", "approx", "cf", "incl", "no", "fig"]);
const LIST_MARKER = /^\s*(?:[-*•–]|\d{1,2}[.)]|\[[ xX]?\])\s+/;

/** The text's sentences, in order: split at line breaks and at . ! ? before white space. */
export function sentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  for (const lineMatch of text.matchAll(/[^\n]+/g)) {
    const line = lineMatch[0];
    const at = lineMatch.index ?? 0;
    if (line.trim() === "") continue;
    const listItem = LIST_MARKER.test(line);
    let from = 0;
    const push = (to: number): void =>
      void out.push({ text: line.slice(from, to), from: at + from, to: at + to, listItem: from === 0 && listItem });
    for (const m of line.matchAll(/[.!?]+(?=\s)/g)) {
      const end = (m.index ?? 0) + m[0].length;
      const word = /([\p{L}.]+)[.!?]*$/u.exec(line.slice(from, end))?.[1]?.toLowerCase().replace(/\.$/, "") ?? "";
      // "e.g." and the like, and a list number ("1.") at the start of the line, end no sentence.
      if (ABBREVIATIONS.has(word) || /^\s*\d{1,2}[.)]$/.test(line.slice(from, end))) continue;
      push(end);
      from = end;
    }
    if (from < line.length && line.slice(from).trim() !== "") push(line.length);
  }
  return out;
}

/**
 * Markers of an aside. "unrelated" before the nouns of victims ("unrelated services start
 * failing") describes a symptom; "separately from" compares; "separate" alone names a design
 * ("a separate queue").
 */
const ASIDE = new RegExp(
  [
    "\\bunrelated\\b(?!\\s+(?:services?|apps?|applications?|systems?|components?|teams?|callers?|clients?|pods?)\\b)",
    "\\bnot related\\b",
    "\\bnothing to do with\\b",
    "\\bnot caused by (?:it|this|the incident|the outage)\\b",
    "\\bred herrings?\\b",
    "\\bpre-?existing\\b",
    "\\bcoincidental\\b",
    // Noise with a word that sets it apart; a "noisy alert" is a false alarm's own claim.
    "\\b(?:other|unrelated|background|log|pre-?existing|some) noise\\b",
    "\\bnoise (?:in|from) the logs\\b",
    "\\bseparately\\b(?!\\s+from\\b)",
    "\\bseparate (?:problems?|issues?|incidents?|tickets?|follow-?ups?|bugs?|investigations?|matters?)\\b",
    "\\b(?:different|another|other|wrong) (?:problem|issue|incident|runbook)\\b",
    "\\brunbook instead\\b",
    // Ruling out look-alikes names other faults' signs on purpose: it claims none of them.
    "\\brul(?:e|ed|ing) out\\b",
    "\\blook-?alikes?\\b",
    "\\bswitch runbooks?\\b",
    "\\buse the [\\w/ -]{1,40} runbook\\b",
    "\\bnot (?:this|our) (?:page|incident|problem)\\b",
    "\\bout of this incident\\b",
    "\\bmake sure it (?:is not|isn[’']t) us\\b",
  ].join("|"),
  "i",
);

/** A sentence that ends by saying what it mentions was not done. */
const DISOWNED =
  /\b(?:we|they|i|the team) (?:did|do)(?: neither| not|n[’']t| none of (?:it|them|these|those))(?: do (?:it|that|this|so|either|them))?\W*$|\bneither (?:was|were) (?:done|applied|tried|needed|used)\W*$/i;

/** True when the sentence is an aside about something other than this incident. */
export function isAside(sentence: string): boolean {
  return ASIDE.test(sentence);
}

/** True when the sentence ends by saying its mentions were not done. */
export function isDisowned(sentence: string): boolean {
  return DISOWNED.test(sentence.trim());
}
