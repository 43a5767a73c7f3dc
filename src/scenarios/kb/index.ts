/**
 * The shared knowledge-base pool of generated incidents: symptom-oriented runbook articles, each
 * fitting several failure modes, in public and held-out wordings, and how an incident picks two.
 */
export { KB_POOL, articlesFitting, kbWordingById, wordingsFor, type KbWordingEntry } from "./pool.js";
export { chooseKbArticles, chooseKbPair, misleadingCandidates, type KbChoice } from "./select.js";
export type { KbPoolArticle, KbSymptom, KbWording } from "./types.js";
