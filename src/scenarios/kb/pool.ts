/**
 * The shared knowledge-base pool: every symptom article (./articles-*.ts) and lookups by shown id.
 * Generated incidents show two articles of this pool (./select.ts); presets keep their own.
 */
import type { FaultKind } from "../../sim/fault-types.js";
import type { Phrasing } from "../../sim/vocabulary.js";
import { ERROR_ARTICLES } from "./articles-errors.js";
import { LATENCY_ARTICLES } from "./articles-latency.js";
import { SATURATION_ARTICLES } from "./articles-saturation.js";
import type { KbPoolArticle, KbWording } from "./types.js";

export const KB_POOL: readonly KbPoolArticle[] = [...ERROR_ARTICLES, ...LATENCY_ARTICLES, ...SATURATION_ARTICLES];

/** The wordings of an article that incidents of this phrasing may show. */
export function wordingsFor(article: KbPoolArticle, phrasing: Phrasing): readonly KbWording[] {
  return phrasing === "held_out" ? article.wordings.heldOut : [article.wordings.public];
}

export interface KbWordingEntry {
  article: KbPoolArticle;
  phrasing: Phrasing;
  wording: KbWording;
}

const BY_ID: ReadonlyMap<string, KbWordingEntry> = new Map(
  KB_POOL.flatMap((article) =>
    (["public", "held_out"] as const).flatMap((phrasing) =>
      wordingsFor(article, phrasing).map((wording) => [wording.id, { article, phrasing, wording }] as const),
    ),
  ),
);

/** The pool article, phrasing and wording behind a shown article id, if the id is a pool id. */
export function kbWordingById(id: string): KbWordingEntry | undefined {
  return BY_ID.get(id);
}

/** The pool articles that fit a fault (one of them is the helpful article of its incidents). */
export function articlesFitting(fault: FaultKind): KbPoolArticle[] {
  return KB_POOL.filter((a) => a.fits.includes(fault));
}
