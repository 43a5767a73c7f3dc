/**
 * Which wording of a line an incident prints. Public incidents (public seeds, presets) print a
 * line's own message or one of its public paraphrases; held-out incidents print only held-out
 * paraphrases, so strings memorised on training seeds never show up on evaluation seeds.
 *
 * One speaker prints one line one way for the whole incident, as one program always formats its
 * messages the same: the wording is chosen per (speaker, line) from its own fork of the incident's
 * phrasing stream, so adding or removing other draws never changes it.
 */
import type { Phrasing, PhrasedText } from "./vocabulary.js";
import type { Rng } from "./prng.js";

/** The wordings an incident of this phrasing may print for `text`. */
export function wordings(text: PhrasedText, phrasing: Phrasing): readonly string[] {
  return phrasing === "public" ? [text.message, ...text.paraphrases.public] : text.paraphrases.held_out;
}

export class Phraser {
  /** Chosen wordings by line (its message), then by speaker: no key string to build per line. */
  private readonly chosen = new Map<string, Map<string, string>>();

  constructor(
    readonly phrasing: Phrasing,
    private readonly rng: Rng,
  ) {}

  /** The wording `speaker` prints `text` in (a service, an alert rule): the same every time. */
  word(text: PhrasedText, speaker: string): string {
    let bySpeaker = this.chosen.get(text.message);
    if (bySpeaker === undefined) this.chosen.set(text.message, (bySpeaker = new Map()));
    let word = bySpeaker.get(speaker);
    if (word === undefined) {
      word = this.rng.fork(`${speaker}\u0000${text.message}`).pick(wordings(text, this.phrasing));
      bySpeaker.set(speaker, word);
    }
    return word;
  }
}
