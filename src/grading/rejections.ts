/**
 * Rejected alternatives: words that mention a fix without claiming or recommending it.
 *
 * "We considered rolling back but renewed the certificate" claims a renewal, not a rollback;
 * "rather than restarting we ...", "instead of scaling out", "ruled out a rollback" likewise. A
 * postmortem that weighs alternatives must not be charged for claiming them, and a runbook that
 * says what not to do must not be charged for recommending it. The text analysis
 * (./text.ts) marks what such a marker reaches as rejected, which graders read like a negation.
 *
 * - Forward markers reject what follows them in their clause: at most REJECTION_REACH content
 *   words, and never past a new subject ("rather than restarting we renewed the certificate": the
 *   renewal is claimed) or an "and" / "so" / "then" / "or" that starts a new verb ("ruled out a
 *   rollback and renewed the certificate"). An "and" before a noun or a gerund continues the list
 *   ("ruled out a rollback and a restart").
 * - Backward markers reject the clause before them: passives ("a rollback was ruled out"),
 *   counterfactuals ("restarting would not have helped", "a restart does not help", "restarting
 *   would have dropped every session"), options left unused ("restarting the pods or raising the
 *   limit were both on the table", "a restart was not attempted").
 * - Advice reported in the third person ("one KB article suggests restarting the callers") is a
 *   forward marker: the writer reports it, and says elsewhere what was done.
 *
 * Markers are matched on written words (lower case), so the imperative "consider rolling back"
 * (a recommendation in a runbook) is not "we considered rolling back".
 */

/** Most content words one rejection reaches. */
export const REJECTION_REACH = 8;

const FORWARD: readonly string[] = [
  "rather than",
  "instead of",
  "as opposed to",
  "in place of",
  "in lieu of",
  "rule out",
  "ruled out",
  "rules out",
  "ruling out",
  "decided against",
  "decide against",
  "decides against",
  "opted against",
  "chose against",
  "argued against",
  "advise against",
  "advised against",
  "recommend against",
  "recommended against",
  "voted against",
  "considered",
  "weighed",
  "contemplated",
  "discussed",
  "debated",
  "thought about",
  "thought of",
  "hold off on",
  "held off on",
  "hold off",
  "held off",
  "refrain from",
  "refrained from",
  "rejected",
  "dismissed",
  "discarded",
  "talked about",
  "talk about",
  "argued for",
  // A source's advice reported, not followed: "one KB article suggests restarting the callers".
  // Only the third person: the imperative "suggest rolling back" in a runbook recommends it.
  "suggests",
  "recommends",
  "advises",
  "proposes",
];

/** Forward markers that turn backward after a form of "be": "a rollback was ruled out". */
const PASSIVE: ReadonlySet<string> = new Set([
  "ruled out",
  "rejected",
  "dismissed",
  "discarded",
  "considered",
  "weighed",
  "discussed",
  "debated",
]);
const BE = new Set(["was", "were", "is", "are", "be", "been", "being", "got"]);

const BACKWARD: readonly string[] = [
  "would not",
  "would n't",
  "wouldn't",
  "would never",
  "could not have",
  "could n't have",
  "couldn't have",
  "not help",
  "n't help",
  "not have helped",
  "n't have helped",
  "not needed",
  "n't needed",
  "unnecessary",
  // Counterfactuals and options left unused: "restarting would have dropped every session",
  // "restarting or raising the limit were both on the table", "a restart was not attempted".
  "would have",
  "would only have",
  "would just have",
  "would 've",
  "on the table",
  "not attempted",
  "n't attempted",
  "never attempted",
  "not tried",
  "n't tried",
  "never tried",
  "not an option",
  "never an option",
  "not acceptable",
  "n't acceptable",
  "unacceptable",
];

interface Marker {
  words: readonly string[];
  direction: "forward" | "backward";
  passive: boolean;
}

const MARKERS: readonly Marker[] = [
  ...FORWARD.map((m) => ({ words: m.split(" "), direction: "forward" as const, passive: PASSIVE.has(m) })),
  ...BACKWARD.map((m) => ({ words: m.split(" "), direction: "backward" as const, passive: false })),
].sort((a, b) => b.words.length - a.words.length);

/** Pronouns that start a new subject, and so end a forward rejection. */
const SUBJECTS = new Set(["we", "i", "they", "he", "she", "you"]);
/** Nouns that start a new subject when a verb follows ("the team renewed ..."). */
const SUBJECT_NOUNS = new Set(["team", "on-call", "oncall", "engineer", "responder", "sre", "sres"]);
/** Conjunctions after which a new verb ends a forward rejection. */
const JOINS = new Set(["and", "so", "then", "or", "&"]);

/** The rejection marker starting at word i, if any: its length and which way it reaches. */
export function rejectionAt(words: readonly string[], i: number): { length: number; direction: "forward" | "backward" } | undefined {
  for (const marker of MARKERS) {
    if (!marker.words.every((w, k) => words[i + k] === w)) continue;
    const passive = marker.passive && BE.has(words[i - 1] ?? "");
    return { length: marker.words.length, direction: passive ? "backward" : marker.direction };
  }
  return undefined;
}

/** True when word i ends a forward rejection: a new subject, or a conjunction before a new verb. */
export function endsRejection(words: readonly string[], pos: readonly string[], i: number): boolean {
  const word = words[i] ?? "";
  if (SUBJECTS.has(word)) return true;
  if (SUBJECT_NOUNS.has(word)) return (pos[i + 1] ?? "") === "VERB" || (pos[i + 1] ?? "") === "AUX";
  if (!JOINS.has(word)) return false;
  // "and renewed", "and then renewed", "and we": a new clause. "and a restart", "and restarting": the list goes on.
  for (let k = i + 1; k < Math.min(words.length, i + 3); k++) {
    const next = words[k] ?? "";
    if (JOINS.has(next) || next === "then") continue;
    if (SUBJECTS.has(next)) return true;
    return (pos[k] === "VERB" || pos[k] === "AUX") && !next.endsWith("ing");
  }
  return false;
}
