/**
 * The standing suite of cheating policies (src/agents/cheats.ts) and the random agent, over at
 * least 200 generated episodes per task level: none may earn more than crumbs.
 */
import { describe, expect, it } from "vitest";
import { CHEAT_NAMES, cheatAgent } from "../src/agents/cheats.js";
import { randomAgent } from "../src/agents/random.js";
import { LEVELS, playMany, range } from "./support/policies.js";

const SEEDS = range(5000, 200);

describe.each(LEVELS)("$word", ({ level }) => {
  it.each(CHEAT_NAMES)("cheating policy %s averages at most 0.15 over 200 seeds", (name) => {
    const summary = playMany(() => () => cheatAgent(name), level, SEEDS);
    expect(summary.mean).toBeLessThanOrEqual(0.15);
  });

  it("the random agent averages at most 0.1 over 200 seeds", () => {
    const summary = playMany((seed) => () => randomAgent(seed), level, SEEDS);
    expect(summary.mean).toBeLessThanOrEqual(0.1);
  });
});
