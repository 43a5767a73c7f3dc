/**
 * Shapes shared by the v2 episode graders.
 */
import type { Grade } from "../grade.js";
import type { EpisodeRecord } from "../record.js";

/** Grades a whole episode record so far. Pure and deterministic. */
export interface EpisodeGrader {
  readonly name: string;
  grade(record: EpisodeRecord): Grade;
}

/** One part's score in [0, 1], what it rests on, and anything worth telling. */
export interface PartScore {
  score: number;
  detail: string;
  notes: string[];
}
