/**
 * Text analysis for the graders: lemmatised tokens and concept matching.
 *
 * Free text (runbook steps, postmortem sections, fix descriptions) is matched against concepts
 * (src/grading/lexicon.ts), never against raw substrings. Matching works on wink-nlp lemmas, so
 * "restarted the pods" and "restart pod" agree, and on whole tokens, so "gc" does not match inside
 * "gcloud" and "az" does not match inside "hazard" (the substring matching of the original incident-response-env did both).
 *
 * A phrase matches when its lemmas appear in order inside one clause, with at most two other
 * tokens between consecutive lemmas ("raise the max_connections limit" matches "raise
 * max_connections"). A match preceded in its clause by a negation ("do not restart the
 * database") is marked negated: graders give it neither credit nor blame.
 *
 * A rejected alternative is treated the same way: "we considered rolling back but renewed the
 * certificate", "rather than restarting we ...", "instead of scaling out", "ruled out a rollback",
 * "a restart was ruled out", "restarting would not have helped" mention a fix without claiming or
 * recommending it (./rejections.ts lists the markers and how far they reach).
 *
 * Text is read sentence by sentence. A sentence that is an aside ("Unrelated: file-service OOM
 * kills; ticket filed"), that disowns what it mentions ("...; we did neither"), or that follows a
 * negation heading ("DON'T: turn off TLS verification", or list items under "Do not:") is read
 * as rejected too (./asides.ts).
 */
import winkNLP, { type ItsFunction } from "wink-nlp";
import model from "wink-eng-lite-web-model";
import { isAside, isDisowned, sentences } from "./asides.js";
import { REJECTION_REACH, endsRejection, rejectionAt } from "./rejections.js";

const nlp = winkNLP(model);
const its = nlp.its;
// wink-nlp's typings declare its.lemma with a signature its own out() does not accept.
const lemmaOf = its.lemma as unknown as ItsFunction<string>;

/** Words that carry no meaning for concept matching. */
const STOPWORDS = new Set([
  "a",
  "an",
  "the",
  "of",
  "to",
  "and",
  "or",
  "on",
  "in",
  "for",
  "with",
  "by",
  "be",
  "it",
  "its",
  "this",
  "that",
  "these",
  "those",
  "from",
  "at",
  "as",
  "into",
  "onto",
  "our",
  "their",
  "any",
  "all",
  "some",
  "so",
  "then",
  "there",
  "here",
  "via",
  "we",
  "you",
  "i",
  "they",
  "us",
  "if",
  "when",
  "which",
  "who",
  "what",
  "will",
  "would",
  "should",
  "can",
  "could",
  "may",
  "might",
  "must",
  "do",
  "have",
  "has",
  "had",
  "per",
  // A possessive clitic and a filler adverb: "shrink each client's pool", "do not just restart X or raise Y"
  // would otherwise push the words of a phrase, or a negation, too far apart.
  "'s",
  "just",
]);
// "Nothing was deployed", "neither fixes resolution": the pronouns negate what follows them too.
const NEGATIONS = new Set(["not", "never", "no", "avoid", "without", "nor", "don't", "dont", "nothing", "neither", "none"]);
// "instead" alone ends a clause ("do not restart; roll back instead"); "instead of" is a rejection.
const CLAUSE_BREAKS = new Set([".", ";", "!", "?", ":", "\n", "but", "however", "instead"]);
const VERSION = /^v\d+(\.\d+)+$/;
/**
 * Phrase words matched as written, never by lemma: the lemma of "gone" is "go", so "errors gone"
 * would otherwise match "errors went up"; the lemma of "blocking" is "block", so "blocking query"
 * would match "dropped the plugin block and forwarded those queries".
 */
const LITERAL_WORDS = new Set(["gone", "blocking"]);
/** Most tokens that may sit between two consecutive lemmas of a phrase. */
const MAX_GAP = 2;
/** A negation this many tokens or fewer before a match negates it. */
const NEGATION_REACH = 4;

interface Token {
  lemma: string;
  /** The word as written (lower case); matched too, because lemmas depend on context (below). */
  word: string;
  clause: number;
  negation: boolean;
  /** Inside the reach of a rejection ("rather than ...", "... was ruled out"). */
  rejected: boolean;
}

export interface AnalyzedText {
  tokens: readonly Token[];
  /** Number of word and number tokens, stopwords included: the text's length in words. */
  wordCount: number;
}

interface ConceptMatch {
  /** Index of the first token of the first non-negated match, or of the first match. */
  position: number;
  negated: boolean;
}

/**
 * Lemmatises text into content tokens grouped by clause, sentence by sentence (./asides.ts):
 * an aside or a disowned sentence is read as rejected, and so is what follows a negation
 * heading ("DON'T: turn off TLS verification"), in its sentence and in the list items under a
 * heading on a line of its own.
 */
export function analyze(text: string): AnalyzedText {
  const tokens: Token[] = [];
  let wordCount = 0;
  let clauseBase = 0;
  // A negation heading on a line of its own ("Do not:") rejects the list items under it.
  let headingOverList = false;
  for (const sentence of sentences(text)) {
    if (!sentence.listItem) headingOverList = false;
    const part = analyzeSentence(quotesKeptWhole(sentence.text));
    const setAside = headingOverList || isAside(sentence.text) || isDisowned(sentence.text);
    for (const token of part.tokens) tokens.push({ ...token, clause: token.clause + clauseBase, rejected: token.rejected || setAside });
    clauseBase += part.clauses + 1;
    wordCount += part.wordCount;
    if (part.isNegationHeading) headingOverList = true;
  }
  return { tokens, wordCount };
}

/**
 * Commas inside a short quotation do not end a clause: "we did not follow the 'overloaded,
 * scale out' KB article" negates the whole quotation.
 */
function quotesKeptWhole(text: string): string {
  return text.replace(
    /(^|[\s([])(['"\u2018\u201c])([^'"\u2018\u2019\u201c\u201d\n]{1,120}?)(['"\u2019\u201d])(?=[\s.,;:)\]!?]|$)/g,
    (_, before: string, open: string, inside: string, close: string) => `${before}${open}${inside.replace(/,/g, " ")}${close}`,
  );
}

interface SentenceTokens {
  tokens: Token[];
  /** Number of clauses the sentence used. */
  clauses: number;
  wordCount: number;
  /** The sentence is only a negation heading ("Do not:"). */
  isNegationHeading: boolean;
}

function analyzeSentence(text: string): SentenceTokens {
  // Detach sentence-ending periods: wink-nlp reads "miss." as the abbreviation for Mississippi.
  const doc = nlp.readDoc(text.toLowerCase().replace(/([\p{L}\p{N}])\.(?=\s|$)/gu, "$1 ."));
  const raw = joinIdentifiers(
    doc.tokens().out(lemmaOf) as string[],
    doc.tokens().out() as string[],
    doc.tokens().out(its.type) as string[],
    doc.tokens().out(its.precedingSpaces) as string[],
    doc.tokens().out(its.pos) as string[],
  );
  const { lemmas, words, types, pos } = raw;
  const tokens: Token[] = [];
  let clause = 0;
  let wordCount = 0;
  // Content tokens still to be marked rejected by a forward rejection ("rather than ..."), 0 if none.
  let rejecting = 0;
  // After a negation heading ("DON'T: ..."), the rest of the sentence is rejected.
  let afterHeading = false;
  let headingOnly = false;
  for (let i = 0; i < lemmas.length; i++) {
    const lemma = (lemmas[i] ?? "").trim();
    const word = (words[i] ?? lemma).trim();
    const type = types[i];
    const rejection = rejectionAt(words, i);
    if (rejection?.direction === "forward") {
      // The marker's own words carry no concept; what follows it, in its clause, is rejected.
      rejecting = REJECTION_REACH;
      wordCount += rejection.length;
      i += rejection.length - 1;
      continue;
    }
    if (rejection?.direction === "backward") {
      // "a rollback was ruled out", "restarting would not help": the clause so far is rejected.
      for (let k = tokens.length - 1, n = 0; k >= 0 && n < REJECTION_REACH; k--, n++) {
        const token = tokens[k];
        if (!token || token.clause !== clause) break;
        token.rejected = true;
      }
    }
    if (type === "word" || type === "number") wordCount++;
    if (CLAUSE_BREAKS.has(lemma) || (type === "punctuation" && lemma === ",")) {
      const inClause = tokens.filter((t) => t.clause === clause);
      if (lemma === ":" && inClause.length > 0 && inClause.every((t) => t.negation)) {
        afterHeading = true;
        headingOnly = tokens.length === inClause.length && lemmas.slice(i + 1).every((l) => l.trim() === "" || /^\p{P}+$/u.test(l.trim()));
      }
      // Commas separate list items ("restart x, flush y"), which behave like clauses for negation,
      // except in a negated list closed by "or"/"nor": "do not restart, roll back or scale it"
      // negates all three items, so the next item starts with the negation.
      const negatedList = lemma === "," && inClause.some((t) => t.negation) && listClosedByOr(lemmas, i);
      clause++;
      rejecting = 0;
      if (negatedList) tokens.push({ lemma: "not", word: "not", clause, negation: true, rejected: false });
      continue;
    }
    if (rejecting > 0 && endsRejection(words, pos, i)) rejecting = 0;
    if (type === "punctuation" || type === "symbol" || lemma === "" || /^_+$/.test(lemma)) continue;
    if (NEGATIONS.has(lemma)) {
      tokens.push({ lemma, word, clause, negation: true, rejected: false });
      continue;
    }
    if (STOPWORDS.has(lemma)) continue;
    // A version number ("v2.4.1") reads as the word "version": "revert it to v2.4.1".
    tokens.push({ lemma: VERSION.test(word) ? "version" : lemma, word, clause, negation: false, rejected: rejecting > 0 || afterHeading });
    if (rejecting > 0) rejecting--;
  }
  return { tokens, clauses: clause, wordCount, isNegationHeading: headingOnly };
}

/** Most words a negated list may run on after a comma before its closing "or"/"nor". */
const NEGATED_LIST_REACH = 12;

/** True when the words after the comma at `comma` end the list with "or"/"nor" before the clause ends. */
function listClosedByOr(lemmas: readonly string[], comma: number): boolean {
  for (let k = comma + 1; k < lemmas.length && k <= comma + NEGATED_LIST_REACH; k++) {
    const lemma = (lemmas[k] ?? "").trim();
    if (lemma === "or" || lemma === "nor") return true;
    if (CLAUSE_BREAKS.has(lemma)) return false;
  }
  return false;
}

/**
 * Joins identifiers that wink-nlp splits at underscores and dots ("rules_cache_ttl_ms" comes out
 * as rules _ cache _ ttl _ ms, "v2.4.1" as v2 . 4 . 1) back into one token, so that a concept
 * phrase matches whole identifiers only ("ttl" does not fire inside the config key
 * pricing.rules_cache_ttl_ms, while the phrase "max_connections" still matches max_connections),
 * and the dots of a version or an address do not end a clause.
 */
function joinIdentifiers(
  lemmas: readonly string[],
  words: readonly string[],
  types: readonly string[],
  spaces: readonly string[],
  pos: readonly string[],
): { lemmas: string[]; words: string[]; types: string[]; pos: string[] } {
  const out = { lemmas: [] as string[], words: [] as string[], types: [] as string[], pos: [] as string[] };
  const isPart = (i: number): boolean => types[i] === "word" || types[i] === "number";
  // An underscore, or a dot inside a word (v2.4.1, 10.0.3.21, pricing.rules_cache_ttl_ms); a dot
  // that ends a sentence is followed by a space (analyze() detaches it before a space too).
  const isUnderscore = (i: number): boolean => /^_+$/.test(words[i] ?? "") || words[i] === ".";
  for (let i = 0; i < words.length; i++) {
    let end = i;
    if (isPart(i)) {
      // word (_ word)+ with no spaces in between
      while (isUnderscore(end + 1) && (spaces[end + 1] ?? "") === "" && isPart(end + 2) && (spaces[end + 2] ?? "") === "") end += 2;
    }
    if (end === i) {
      out.lemmas.push(lemmas[i] ?? "");
      out.words.push(words[i] ?? "");
      out.types.push(types[i] ?? "");
      out.pos.push(pos[i] ?? "");
      continue;
    }
    const joined = words.slice(i, end + 1).join("");
    out.lemmas.push(joined);
    out.words.push(joined);
    out.types.push("word");
    out.pos.push("NOUN");
    i = end;
  }
  return out;
}

const phraseCache = new Map<string, readonly PhraseWord[]>();

/** One word of a phrase: its lemma and its written form, either of which may match a token. */
interface PhraseWord {
  lemma: string;
  word: string;
}

/**
 * The content lemmas of a phrase, cached.
 *
 * A negation word inside a phrase is kept and matched literally, so a concept can name a failure
 * the way people report it ("could not log in" is matched as "not log"). Dropping it, as this
 * function first did, turned that phrase into a bare "log" that fired on "check the logs", and
 * made impact statements such as "customers could not pay" read as negated.
 */
function phraseLemmas(phrase: string): readonly PhraseWord[] {
  let lemmas = phraseCache.get(phrase);
  if (!lemmas) {
    const tokens = analyze(phrase).tokens;
    if (tokens.every((t) => t.negation)) throw new Error(`phrase has no content words: "${phrase}"`);
    lemmas = tokens.map((t) => (LITERAL_WORDS.has(t.word) ? { lemma: t.word, word: t.word } : { lemma: t.lemma, word: t.word }));
    phraseCache.set(phrase, lemmas);
  }
  return lemmas;
}

/**
 * Whether a token is this phrase word. wink-nlp lemmatises by the part of speech it guesses, and
 * the guess differs between a phrase on its own and the same words in a sentence ("shipping
 * provider" alone gives "ship provider"; in "a slow shipping provider" it keeps "shipping"), so a
 * match on either the lemma or the written form counts.
 */
function sameWord(token: Token | undefined, want: PhraseWord | undefined): boolean {
  if (!token || !want) return false;
  return token.lemma === want.lemma || token.word === want.word || token.lemma === want.word || token.word === want.lemma;
}

/** Positions of each lemma and written word in a text, built once per text. */
const wordIndexes = new WeakMap<AnalyzedText, Map<string, number[]>>();

function positionsOf(text: AnalyzedText, want: PhraseWord): number[] {
  let index = wordIndexes.get(text);
  if (!index) {
    index = new Map();
    text.tokens.forEach((token, i) => {
      for (const key of token.word === token.lemma ? [token.lemma] : [token.lemma, token.word]) {
        const list = index?.get(key);
        if (list) list.push(i);
        else index?.set(key, [i]);
      }
    });
    wordIndexes.set(text, index);
  }
  const byLemma = index.get(want.lemma) ?? [];
  if (want.word === want.lemma) return byLemma;
  return [...new Set([...byLemma, ...(index.get(want.word) ?? [])])].sort((a, b) => a - b);
}

/** Start index of each place the phrase matches in the text. */
function phraseStarts(text: AnalyzedText, lemmas: readonly PhraseWord[]): number[] {
  const tokens = text.tokens;
  const first = lemmas[0];
  if (!first) return [];
  const starts: number[] = [];
  for (const i of positionsOf(text, first)) {
    let at = i;
    let ok = true;
    for (let k = 1; k < lemmas.length && ok; k++) {
      ok = false;
      for (let j = at + 1; j <= at + 1 + MAX_GAP && j < tokens.length; j++) {
        const token = tokens[j];
        if (!token || token.clause !== tokens[i]?.clause) break;
        if (sameWord(token, lemmas[k])) {
          at = j;
          ok = true;
          break;
        }
      }
    }
    if (ok) starts.push(i);
  }
  return starts;
}

function isNegated(tokens: readonly Token[], start: number): boolean {
  const clause = tokens[start]?.clause;
  for (let j = start - 1; j >= 0 && j >= start - NEGATION_REACH; j--) {
    const token = tokens[j];
    if (!token || token.clause !== clause) break;
    if (token.negation) return true;
  }
  return false;
}

/**
 * Where, if anywhere, any of the phrases matches. A non-negated match wins over a negated one;
 * a rejected match counts as negated.
 * A negation covers every later match of the same concept in its clause, so "do not restart the
 * apps or pin IP addresses in hosts files" negates "hosts file" as well as "pin IP", however far
 * the list runs past NEGATION_REACH.
 */
export function matchPhrases(text: AnalyzedText, phrases: readonly string[]): ConceptMatch | undefined {
  const matches: Array<{ start: number; negated: boolean; rejected: boolean }> = [];
  for (const phrase of phrases) {
    for (const start of phraseStarts(text, phraseLemmas(phrase))) {
      matches.push({ start, negated: isNegated(text.tokens, start), rejected: text.tokens[start]?.rejected === true });
    }
  }
  if (matches.length === 0) return undefined;
  matches.sort((a, b) => a.start - b.start);
  const negatedClauses = new Map<number, number>();
  let negatedMatch: ConceptMatch | undefined;
  for (const m of matches) {
    // A rejected mention neither claims nor covers later mentions: "rather than restart the
    // whole fleet we restart only the leaking pod" still recommends a restart.
    if (m.rejected && !m.negated) {
      negatedMatch ??= { position: m.start, negated: true };
      continue;
    }
    const clause = text.tokens[m.start]?.clause ?? -1;
    const firstNegated = negatedClauses.get(clause);
    if (m.negated || (firstNegated !== undefined && firstNegated <= m.start)) {
      if (!negatedClauses.has(clause)) negatedClauses.set(clause, m.start);
      negatedMatch ??= { position: m.start, negated: true };
      continue;
    }
    return { position: m.start, negated: false };
  }
  return negatedMatch;
}
