/**
 * How each task level builds its episodes: system size and red herrings. Every fault mode can
 * appear at every level; bigger systems and more distractors make the same fault harder to place.
 * Expert adds what defeats lookup: an unrelated noisy change at the same time whose blip shows
 * another failure mode sharing the incident's symptoms, a root deep below the entry point (the
 * loudest services are far from it), and readings that are sometimes blips.
 */
import type { Level } from "../sim/vocabulary.js";

interface LevelProfile {
  level: Level;
  minServices: number;
  maxServices: number;
  /** Red herrings per episode: a noisy neighbour, a stale error, a harmless deploy. */
  distractors: number;
  /** Nodes off the fault's path failing or slow on their own since long before (Distractor chronic_anomaly). */
  chronicAnomalies: number;
  /** Unrelated noisy changes just before the onset (src/sim/incident.ts Distractor noisy_change). */
  noisyChanges: number;
  /** Chance that one reading an observation shows is a measurement blip (IncidentSpec.readingBlips). */
  readingBlips: number;
  /** Roots are chosen at least this many request hops below an entry point when the system has such nodes. */
  minRootDepth: number;
}

export const LEVEL_PROFILES: Readonly<Record<Level, LevelProfile>> = {
  easy: {
    level: "easy",
    minServices: 7,
    maxServices: 14,
    distractors: 1,
    chronicAnomalies: 3,
    noisyChanges: 0,
    readingBlips: 0,
    minRootDepth: 0,
  },
  medium: {
    level: "medium",
    minServices: 8,
    maxServices: 20,
    distractors: 2,
    chronicAnomalies: 2,
    noisyChanges: 0,
    readingBlips: 0,
    minRootDepth: 0,
  },
  hard: {
    level: "hard",
    minServices: 15,
    maxServices: 40,
    distractors: 3,
    chronicAnomalies: 2,
    noisyChanges: 0,
    readingBlips: 0,
    minRootDepth: 0,
  },
  expert: {
    level: "expert",
    minServices: 20,
    maxServices: 40,
    distractors: 3,
    chronicAnomalies: 2,
    noisyChanges: 1,
    readingBlips: 0.05,
    minRootDepth: 2,
  },
};

/**
 * Seed ranges. Public seeds are for training and development; held-out seeds are reserved for
 * evaluation, so a policy can be scored on episodes it never trained on.
 */
export const SEED_RANGES = {
  public: { first: 0, last: 2_147_483_647, purpose: "training and development; resets without a seed draw from here" },
  held_out: { first: 2_147_483_648, last: 4_294_967_295, purpose: "evaluation only: never train on these seeds" },
} as const;
