/**
 * The standing suite of cheating and answer-free policies (src/agents/cheats.ts,
 * src/agents/answer-free.ts) and the random agent, over 200 held-out seeds per task level: none
 * may earn more than crumbs. The answer-free policies know everything public (the fault library's
 * rubrics, the KB pool and which faults its articles fit) and read everything an episode returns
 * before it ends; the bar for them is 0.25, for the plain cheats 0.15, for the random agent 0.1.
 */
import { describe, expect, it } from "vitest";
import { ANSWER_FREE_NAMES, answerFreeAgent } from "../src/agents/answer-free.js";
import { CHEAT_NAMES, cheatAgent } from "../src/agents/cheats.js";
import { randomAgent } from "../src/agents/random.js";
import { LEVELS, playMany, range } from "./support/policies.js";

/** 200 seeds of the held-out (evaluation) range. */
const SEEDS = range(2 ** 31 + 5000, 200);

describe.each(LEVELS)("$word", ({ level }) => {
  it.each(ANSWER_FREE_NAMES)("answer-free policy %s averages at most 0.25 over 200 seeds", (name) => {
    const summary = playMany(() => () => answerFreeAgent(name), level, SEEDS);
    expect(summary.mean).toBeLessThanOrEqual(0.25);
  });

  it.each(CHEAT_NAMES)("cheating policy %s averages at most 0.15 over 200 seeds", (name) => {
    const summary = playMany(() => () => cheatAgent(name), level, SEEDS);
    expect(summary.mean).toBeLessThanOrEqual(0.15);
  });

  it("the random agent averages at most 0.1 over 200 seeds", () => {
    const summary = playMany((seed) => () => randomAgent(seed), level, SEEDS);
    expect(summary.mean).toBeLessThanOrEqual(0.1);
  });
});
