/**
 * Detects answers copied from the reference texts an agent saw (the knowledge-base articles).
 *
 * The KB articles describe the fix in general terms; a runbook, a postmortem or a diagnosis pasted
 * from them expresses the right concepts without any work on this incident. The first version
 * compared five-word shingles, which one filler word every four words ("basically", "um",
 * "so yeah", or a random SRE word) defeated. This one compares at the sentence level:
 *
 * - Both sides are reduced to content words (stopwords and filler dropped, light stemming so
 *   "restarting" and "restarts" agree).
 * - A run is a stretch of the text in which one reference sentence's content words appear in
 *   order, with at most MAX_TEXT_GAP other content words between two consecutive ones (inserted
 *   padding; filler and stopwords are free, however many) and at most MAX_REFERENCE_SKIP of the
 *   sentence's words left out between two consecutive ones (light paraphrase).
 * - A run counts when it matches at least MIN_RUN content words and either RUN_COVERAGE of its
 *   sentence or LONG_RUN words (a paste cut into chunks at arbitrary words). Padding inserted
 *   between a pasted sentence's words (up to MAX_TEXT_GAP words at a time) does not save it: it
 *   counts as copied with the run. A short sentence
 *   (SHORT_SENTENCE content words or more, fewer than MIN_RUN) found whole, or a sentence cut off
 *   by the start or the end of the text (a paste chopped into chunks), is a short run: too common
 *   a phrasing to call a copy on its own, it counts inside a document already judged a paste.
 * - A text's copied share is the share of its content words inside runs.
 *
 * What counts as copied:
 * - One text on its own (a diagnosis's reasoning, a fix description): a share of SINGLE_SHARE, or
 *   COPIED_SHARE with two runs or more. One quoted command inside one's own sentence stays under.
 * - A document of several parts (runbook steps, postmortem sections, see copiedParts): honest
 *   writers follow a KB instruction in a step of their own, sometimes nearly word for word ("do a
 *   rolling restart of the worker instances to release the blocked threads"), so one part is not
 *   judged alone. The document is a paste when its share reaches DOCUMENT_SHARE, or
 *   LOOSE_DOCUMENT_SHARE with short runs included, or when PASTED_PARTS of its parts reach
 *   COPIED_SHARE (the honest runbooks and postmortems of the test fixtures, written with the KB
 *   open, stay under 0.25 and 0.4, with at most two such parts). In a paste, every part whose
 *   share (short runs included) reaches PART_SHARE is a copy; in any document, so is a part that
 *   holds PASTE_RUNS or more pasted sentences.
 *
 * Works on any list of reference texts (the per-incident articles, or a shared pool); build the
 * references once with copyReferences() and reuse them.
 */

/** A run matches at least this many content words of one reference sentence. */
const MIN_RUN = 5;
/** ... and at least this share of the sentence's content words ... */
const RUN_COVERAGE = 0.85;
/** ... or at least this many of them, whatever share of the sentence that is. */
const LONG_RUN = 9;
/** Reference sentences shorter than this many content words are not indexed ("Check X."). */
const SHORT_SENTENCE = 3;
/** Most content words of the text between two consecutive matched words (inserted padding). */
const MAX_TEXT_GAP = 4;
/** Most words of the reference sentence skipped between two consecutive matched words. */
const MAX_REFERENCE_SKIP = 2;
/** One text on its own is a copy at this share ... */
const SINGLE_SHARE = 0.8;
/** ... or at this share with two runs or more; a part of a document counts towards a paste at it. */
const COPIED_SHARE = 0.45;
/** A document whose copied share reaches this is a paste. */
const DOCUMENT_SHARE = 0.4;
/** A document whose share, short runs included, reaches this is a paste (honest ones stay under 0.4). */
const LOOSE_DOCUMENT_SHARE = 0.6;
/** A document with this many parts at COPIED_SHARE is a paste. */
const PASTED_PARTS = 3;
/** In a paste, a part whose share (short runs included) reaches this is set aside. */
const PART_SHARE = 0.25;
/** A part holding this many separate runs is a copy in any document. */
const PASTE_RUNS = 3;
/** Texts with fewer content words than this are never copies on their own. */
const MIN_CONTENT_WORDS = 6;
/** Reference sentences are indexed as sentence * STRIDE + position. */
const STRIDE = 1 << 12;

const STOPWORDS = new Set(
  (
    "a an the of to and or on in for with by be is are was were been being it its this that these those from at as into onto " +
    "our their any all some so then there here via we you i they us if when which who what will would should can could may might " +
    "must do does did have has had per not no than too very also just only each every other such own same both either it's " +
    "he she him her his them my me your yours about over under again further once out up down off more most few nor " +
    // filler people (and padders) sprinkle into text
    "basically um uh erm er hmm yeah yep ok okay like actually really literally well anyway anyways kinda sorta right " +
    "essentially totally honestly obviously clearly simply quite pretty"
  ).split(" "),
);

/** A light stemmer: plural and tense endings, enough for "restarts", "restarted", "restarting". */
function stem(word: string): string {
  if (word.length <= 4) return word;
  if (word.endsWith("ies") && word.length > 5) return `${word.slice(0, -3)}y`;
  for (const suffix of ["ing", "ed", "es", "s"]) {
    if (word.endsWith(suffix) && !word.endsWith("ss") && word.length - suffix.length >= 3) return word.slice(0, -suffix.length);
  }
  return word;
}

const WORD = /[\p{L}\p{N}_]+(?:['’]\p{L}+)?/gu;

/** The stemmed content words of a text. */
function contentWords(text: string): string[] {
  const out: string[] = [];
  for (const m of text.toLowerCase().matchAll(WORD)) {
    const word = m[0].replace(/['’]s$/, "");
    if (!STOPWORDS.has(word)) out.push(stem(word));
  }
  return out;
}

/** The reference sentences, indexed by content word. Build once, reuse for every check. */
export interface CopyReferences {
  readonly sentences: readonly (readonly string[])[];
  /** For each stem, where it occurs: sentence * STRIDE + position. */
  readonly occurrences: ReadonlyMap<string, readonly number[]>;
}

export function copyReferences(texts: readonly string[]): CopyReferences {
  const sentences: string[][] = [];
  const occurrences = new Map<string, number[]>();
  const seen = new Set<string>();
  for (const text of texts) {
    for (const raw of text.split(/[.!?;:]+(?=\s|$)|\n+/)) {
      const words = contentWords(raw).slice(0, STRIDE - 1);
      const key = words.join(" ");
      if (words.length < SHORT_SENTENCE || seen.has(key)) continue;
      seen.add(key);
      const s = sentences.length;
      sentences.push(words);
      words.forEach((w, p) => {
        const list = occurrences.get(w);
        if (list) list.push(s * STRIDE + p);
        else occurrences.set(w, [s * STRIDE + p]);
      });
    }
  }
  return { sentences, occurrences };
}

interface CopyAnalysis {
  /** Content words of the text. */
  words: number;
  /** Content words inside runs (padding inside a run included). */
  copied: number;
  /** copied / words; 0 for texts too short to judge. */
  share: number;
  /** Separate runs (roughly: pasted sentences). */
  runs: number;
  /** Content words inside runs or short runs (whole short reference sentences). */
  copiedLoosely: number;
}

interface Chain {
  /** Index (in content words of the text) of the first matched word. */
  first: number;
  /** Position in the reference sentence of the first matched word. */
  from: number;
  /** Index of the last matched word. */
  last: number;
  matched: number;
}

const cache = new WeakMap<CopyReferences, Map<string, CopyAnalysis>>();
const CACHE_SIZE = 4096;

/** The copied runs of a text against the references. Cached per references. */
export function analyzeCopy(text: string, references: CopyReferences): CopyAnalysis {
  let byText = cache.get(references);
  if (!byText) {
    byText = new Map();
    cache.set(references, byText);
  }
  const cached = byText.get(text);
  if (cached) return cached;
  const result = computeCopy(contentWords(text), references);
  if (byText.size >= CACHE_SIZE) byText.delete(byText.keys().next().value as string);
  byText.set(text, result);
  return result;
}

/**
 * One pass over the text: for every reference position a word occurs at, extend the best chain
 * that ended at one of the previous (up to MAX_REFERENCE_SKIP + 1) positions of the same sentence
 * within MAX_TEXT_GAP words, else start one. Chains that qualify are collected as intervals.
 */
function computeCopy(words: readonly string[], references: CopyReferences): CopyAnalysis {
  const chains = new Map<number, Chain>();
  const intervals: Array<[number, number]> = [];
  const short: Array<[number, number]> = [];
  words.forEach((word, i) => {
    // Chains are extended from their state before this word: one word matches one position.
    const updates: Array<[number, Chain]> = [];
    for (const at of references.occurrences.get(word) ?? []) {
      const position = at % STRIDE;
      let best: Chain | undefined;
      for (let skip = 0; skip <= MAX_REFERENCE_SKIP && position - 1 - skip >= 0; skip++) {
        const previous = chains.get(at - 1 - skip);
        if (previous && previous.last >= i - 1 - MAX_TEXT_GAP && (!best || previous.matched > best.matched)) best = previous;
      }
      const chain: Chain = best
        ? { first: best.first, from: best.from, last: i, matched: best.matched + 1 }
        : { first: i, from: position, last: i, matched: 1 };
      const existing = chains.get(at);
      if (!existing || existing.last < i - 1 - MAX_TEXT_GAP || chain.matched >= existing.matched) updates.push([at, chain]);
      const length = references.sentences[Math.floor(at / STRIDE)]?.length ?? 0;
      if (chain.matched >= MIN_RUN && (chain.matched >= LONG_RUN || chain.matched >= RUN_COVERAGE * length))
        intervals.push([chain.first, chain.last]);
      else if (chain.matched === length || isEdgeFragment(chain, position, length, words.length)) short.push([chain.first, chain.last]);
    }
    for (const [at, chain] of updates) chains.set(at, chain);
  });
  const runs = merge(intervals);
  const copied = covered(runs);
  const share = words.length >= MIN_CONTENT_WORDS ? copied / words.length : 0;
  return {
    words: words.length,
    copied,
    share,
    runs: runs.length,
    copiedLoosely: short.length > 0 ? covered(merge([...intervals, ...short])) : copied,
  };
}

/**
 * A sentence cut by the text's start or end (a paste chopped into chunks at arbitrary words): the
 * chain opens the text and runs to the sentence's end, or closes the text and starts at the
 * sentence's start, covering RUN_COVERAGE of that part.
 */
function isEdgeFragment(chain: Chain, position: number, length: number, words: number): boolean {
  if (chain.matched < SHORT_SENTENCE) return false;
  const opens = chain.first <= 1 && position >= length - 2 && chain.matched >= RUN_COVERAGE * (length - chain.from);
  const closes = chain.last >= words - 2 && chain.from <= 1 && chain.matched >= RUN_COVERAGE * (position + 1);
  return opens || closes;
}

/** Overlapping or adjacent intervals merged, in order. */
function merge(intervals: Array<[number, number]>): Array<[number, number]> {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: Array<[number, number]> = [];
  for (const [a, b] of sorted) {
    const top = merged[merged.length - 1];
    if (top && a <= top[1] + 1) top[1] = Math.max(top[1], b);
    else merged.push([a, b]);
  }
  return merged;
}

function covered(intervals: ReadonlyArray<[number, number]>): number {
  return intervals.reduce((sum, [a, b]) => sum + (b - a + 1), 0);
}

/** Whether one text on its own (a reasoning, a fix description) is copied from the references. */
export function isCopied(text: string, references: CopyReferences): boolean {
  const a = analyzeCopy(text, references);
  return a.share >= SINGLE_SHARE || (a.share >= COPIED_SHARE && a.runs >= 2);
}

/**
 * Which parts of one document (runbook steps, postmortem sections) are copies: in a paste (a
 * share of DOCUMENT_SHARE over all parts, or PASTED_PARTS parts at COPIED_SHARE), every part whose
 * share, short runs included, reaches PART_SHARE; in any document, a part of PASTE_RUNS or more
 * pasted sentences at COPIED_SHARE.
 */
export function copiedParts(parts: readonly string[], references: CopyReferences): boolean[] {
  const analyses = parts.map((p) => analyzeCopy(p, references));
  const words = analyses.reduce((sum, a) => sum + a.words, 0);
  const copied = analyses.reduce((sum, a) => sum + a.copied, 0);
  const loosely = analyses.reduce((sum, a) => sum + a.copiedLoosely, 0);
  const heavy = analyses.filter((a) => a.words > 0 && a.copied / a.words >= COPIED_SHARE).length;
  const pasted = (words > 0 && (copied / words >= DOCUMENT_SHARE || loosely / words >= LOOSE_DOCUMENT_SHARE)) || heavy >= PASTED_PARTS;
  return analyses.map((a) => {
    if (a.words === 0) return false;
    if (pasted) return a.copiedLoosely / a.words >= PART_SHARE;
    return a.runs >= PASTE_RUNS && a.copied / a.words >= COPIED_SHARE;
  });
}
