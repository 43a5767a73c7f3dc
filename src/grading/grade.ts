/**
 * The shape every grader returns, and the time-pressure rule applied to it.
 *
 * A grade is a weighted sum of components in [0, 1] (weights sum to 1) minus penalties, clamped to
 * [0, 1]. Time-sensitive components carry the time discount of the step that achieved them. The
 * episode score is the best grade so far, and each step's reward is how much that step raised the
 * score, so the rewards of an episode sum to its score.
 */
export interface ComponentScore {
  name: string;
  score: number;
  weight: number;
  detail: string;
}

export interface Penalty {
  name: string;
  amount: number;
  detail: string;
}

export interface Grade {
  grader: string;
  components: ComponentScore[];
  penalties: Penalty[];
  notes: string[];
  /** Weighted components minus penalties, in [0, 1]. */
  raw: number;
}

/** Factor applied to a step's grade: 1 for the first three steps, then x0.95 per further step. */
export function timeDiscount(step: number): number {
  return Math.pow(0.95, Math.max(0, step - 3));
}

export function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}

/** Sums components and penalties into a grade. */
export function finishGrade(grader: string, components: ComponentScore[], penalties: Penalty[], notes: string[]): Grade {
  const weighted = components.reduce((sum, c) => sum + c.weight * clamp01(c.score), 0);
  const deducted = penalties.reduce((sum, p) => sum + p.amount, 0);
  return { grader, components, penalties, notes, raw: roundScore(clamp01(weighted - deducted)) };
}

/** Scores are kept to six decimals so that sums and comparisons are free of float dust. */
export function roundScore(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
