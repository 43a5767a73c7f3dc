/**
 * An alert's priority is what its rule was configured with (src/sim/alert-priority.ts), not the
 * incident's severity the grader expects: the page and the active alerts show the rule's priority,
 * and over many seeds of every level that priority is no function of the expected severity (they
 * agree and differ for every severity that occurs).
 */
import { describe, expect, it } from "vitest";
import { Severity } from "../gen/incident/v1/enums_pb.js";
import { Episode } from "../src/env/episode.js";
import { TASKS } from "../src/env/tasks.js";
import { generateIncident } from "../src/scenarios/generate-incident.js";
import { SEED_RANGES } from "../src/scenarios/levels.js";
import type { Level, SeverityWord } from "../src/sim/vocabulary.js";

const LEVELS: readonly Level[] = ["easy", "medium", "hard"];
const SEEDS = [...Array.from({ length: 120 }, (_, i) => i), ...Array.from({ length: 30 }, (_, i) => SEED_RANGES.held_out.first + i * 977)];

describe("alert priority", () => {
  it.each(LEVELS)("%s: the page's priority is not a function of the expected severity", (level) => {
    const pairs: Array<{ expected: SeverityWord; priority: SeverityWord }> = [];
    for (const seed of SEEDS) {
      const { world } = generateIncident(level, seed);
      const page = world.page();
      if (page) pairs.push({ expected: world.severity(), priority: page.priority });
    }
    expect(pairs.length).toBeGreaterThan(140);
    const differ = pairs.filter((p) => p.priority !== p.expected).length / pairs.length;
    expect(differ).toBeGreaterThan(0.3);
    for (const severity of new Set(pairs.map((p) => p.expected))) {
      const these = pairs.filter((p) => p.expected === severity);
      if (these.length < 10) continue;
      expect(
        these.some((p) => p.priority === severity),
        `${severity}: some pages agree`,
      ).toBe(true);
      expect(
        these.some((p) => p.priority !== severity),
        `${severity}: some pages differ`,
      ).toBe(true);
    }
  });

  it("the page and the active alerts show their rules' priorities", () => {
    let differing = 0;
    for (const seed of SEEDS.slice(0, 40)) {
      const { world } = generateIncident("medium", seed);
      const episode = new Episode(`priority-${seed}`, TASKS.medium, seed, world, { maxLogLines: 1000, maxEvents: 1000 });
      const observation = episode.observe();
      const page = world.page();
      expect(page).toBeDefined();
      expect(observation.alert?.severity).toBe(Severity[page?.priority ?? "P4"]);
      const byId = new Map(world.alerts.active().map((a) => [a.id, a]));
      for (const alert of observation.activeAlerts) expect(alert.severity).toBe(Severity[byId.get(alert.alertId)?.priority ?? "P4"]);
      if (observation.alert?.severity !== Severity[world.severity()]) differing++;
    }
    expect(differing).toBeGreaterThan(5);
  });

  it("a rule keeps its priority: the same seed configures the same priorities", () => {
    const a = generateIncident("hard", 77).world;
    const b = generateIncident("hard", 77).world;
    a.advance(20);
    b.advance(20);
    expect(b.alerts.history.map((x) => `${x.node}/${x.metric}=${x.priority}`)).toEqual(
      a.alerts.history.map((x) => `${x.node}/${x.metric}=${x.priority}`),
    );
    expect(a.alerts.history.length).toBeGreaterThan(1);
  });
});
