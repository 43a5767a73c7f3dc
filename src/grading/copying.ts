/**
 * Detects answers copied from the knowledge base.
 *
 * The KB articles an agent reads often describe the fix in general terms; a runbook step or a
 * postmortem section pasted from them expresses the right concepts without any work on this
 * incident. The seed graded such pastes like original writing. Here a text counts as copied when
 * nearly all of its five-word sequences also occur in the reference texts; quoting a command or
 * following an instruction in one's own words stays well under that share.
 */

const SHINGLE = 5;
/** Texts shorter than this many shingles (SHINGLE + 3 words) are never counted as copies. */
const MIN_SHINGLES = 4;
/**
 * A text whose share of shingles found in the references reaches this is a copy. A verbatim
 * paste scores 1; honest steps that follow a KB instruction in the responder's own sentence
 * ("do a rolling restart of the worker-service instances to release the threads...") reach about
 * 0.6, so the bar sits well above that.
 */
export const COPIED_SHARE = 0.8;

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}_]+/u)
    .filter((w) => w.length > 0);
}

function shingles(text: string): string[] {
  const w = words(text);
  const out: string[] = [];
  for (let i = 0; i + SHINGLE <= w.length; i++) out.push(w.slice(i, i + SHINGLE).join(" "));
  return out;
}

/** The reference texts' shingles, for repeated checks against the same KB. */
export function referenceShingles(references: readonly string[]): ReadonlySet<string> {
  return new Set(references.flatMap(shingles));
}

/** Share (0..1) of the text's five-word sequences that also occur in the references. */
export function copiedShare(text: string, references: ReadonlySet<string>): number {
  const own = shingles(text);
  // A short step that quotes one command ("set maxmemory-policy allkeys-lru") is not a paste.
  if (own.length < MIN_SHINGLES) return 0;
  return own.filter((s) => references.has(s)).length / own.length;
}

export function isCopied(text: string, references: ReadonlySet<string>): boolean {
  return copiedShare(text, references) >= COPIED_SHARE;
}
