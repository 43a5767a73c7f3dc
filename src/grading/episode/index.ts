/**
 * Episode graders v2: each level's grade computed from the whole episode record so far
 * (src/grading/record.ts). The episode keeps the best grade and pays its increase as reward.
 * See ./levels.ts for the weights and the files next to it for each part.
 */
import type { Level } from "../../sim/vocabulary.js";
import { easyGrader, expertGrader, hardGrader, mediumGrader } from "./levels.js";
import type { EpisodeGrader } from "./types.js";

export type { EpisodeGrader, PartScore } from "./types.js";

export const EPISODE_GRADERS: Readonly<Record<Level, EpisodeGrader>> = {
  easy: easyGrader,
  medium: mediumGrader,
  hard: hardGrader,
  expert: expertGrader,
};
