/**
 * Incidents from seeds: identifiable, healable, deterministic, varied, and honest to their options.
 */
import { describe, expect, it } from "vitest";
import { fixRecovers, generateIncident, isIdentifiable } from "../src/scenarios/generate-incident.js";
import { FAULT_KINDS } from "../src/scenarios/faults/index.js";
import { FAMILIES } from "../src/scenarios/families/index.js";
import { LEVEL_PROFILES } from "../src/scenarios/levels.js";
import { IncidentWorld } from "../src/sim/incident-world.js";
import type { Level } from "../src/sim/vocabulary.js";
import { TopologyIndex } from "../src/sim/topology.js";
import { range } from "./support/policies.js";

const LEVELS: readonly Level[] = ["easy", "medium", "hard"];

describe.each(LEVELS)("generated %s incidents", (level) => {
  const seeds = range(0, 150);
  const incidents = seeds.map((seed) => ({ seed, ...generateIncident(level, seed) }));

  it("are identifiable: the page fires off the red herrings, the root shows its signature and prints its lines", () => {
    for (const { world } of incidents) expect(isIdentifiable(world)).toBe(true);
  });

  it("can be healed: the fault's durable remedy brings health back and it holds", () => {
    for (const { spec, seed } of incidents) expect(fixRecovers(spec, seed), `${spec.id}`).toBe(true);
  });

  it("keep red herrings off the fault's path and off its signature metrics", () => {
    for (const { spec } of incidents) {
      const index = new TopologyIndex(spec.topology);
      const path = new Set([spec.root, ...index.upstreamOf(spec.root)]);
      for (const d of spec.distractors) {
        expect(path.has(d.node), `${spec.id}: ${d.kind} on ${d.node}`).toBe(false);
        if (d.kind === "noisy_neighbor") expect(spec.fault.signature).not.toContain(d.metric);
        if (d.kind === "decoy_signature") expect(d.fault).not.toBe(spec.fault.kind);
      }
      const profile = LEVEL_PROFILES[level];
      expect(spec.distractors.length).toBeLessThanOrEqual(profile.distractors + profile.chronicAnomalies + profile.noisyChanges);
      // Chronic anomalies are louder than a red herring may be on a signature metric, but they
      // started long before the onset: their alerts fired before the page.
      const world = new IncidentWorld(spec, 0);
      for (const d of spec.distractors) {
        if (d.kind !== "chronic_anomaly") continue;
        const chronic = d.errorRate > 0 ? "error_rate" : "latency_p99";
        // (A backend without alert rules shows its trouble only when inspected.)
        const first = world.alerts.history.find((a) => a.node === d.node && a.metric === chronic);
        if (first) expect(first.firedAtMinute, `${spec.id}: chronic ${d.node} ${chronic} alert`).toBeLessThan(spec.onsetMinute);
      }
    }
  });

  it("fit the level's size and vary in fault, family and size", () => {
    const profile = LEVEL_PROFILES[level];
    for (const { spec } of incidents) {
      expect(spec.topology.nodes.length).toBeGreaterThanOrEqual(profile.minServices);
      expect(spec.topology.nodes.length).toBeLessThanOrEqual(profile.maxServices);
      expect([...spec.fault.injectable, ...(spec.fault.occasionalHosts ?? [])]).toContain(
        new TopologyIndex(spec.topology).node(spec.root).kind,
      );
    }
    expect(new Set(incidents.map((i) => i.spec.fault.kind)).size).toBeGreaterThanOrEqual(15);
    expect(new Set(incidents.map((i) => i.spec.topology.family)).size).toBeGreaterThanOrEqual(4);
    expect(new Set(incidents.map((i) => i.spec.topology.nodes.length)).size).toBeGreaterThanOrEqual(5);
  });

  it("are deterministic: one seed, one incident, one world", () => {
    for (const seed of range(0, 10)) {
      const a = generateIncident(level, seed);
      const b = generateIncident(level, seed);
      expect(b.spec).toEqual(a.spec);
      expect(b.world.openingLogs()).toEqual(a.world.openingLogs());
      expect(b.world.overview()).toEqual(a.world.overview());
    }
  });
});

describe("red herrings by level", () => {
  it("hard incidents always include a decoy (a healthy service printing another fault's lines); easy ones never do", () => {
    let hardWithDecoy = 0;
    for (const seed of range(0, 60)) {
      const hard = generateIncident("hard", seed).spec;
      if (hard.distractors.some((d) => d.kind === "decoy_signature")) hardWithDecoy++;
      expect(generateIncident("easy", seed).spec.distractors.some((d) => d.kind === "decoy_signature")).toBe(false);
    }
    expect(hardWithDecoy).toBeGreaterThanOrEqual(57);
  });
});

describe("generation options", () => {
  it.each(FAULT_KINDS)("fault_kind %s is honoured on every level", (kind) => {
    for (const level of LEVELS)
      for (const seed of [1, 2]) expect(generateIncident(level, seed, { faultKind: kind }).spec.fault.kind).toBe(kind);
  });

  it.each(FAMILIES.map((f) => f.name))("family %s is honoured", (family) => {
    expect(generateIncident("medium", 3, { family }).spec.topology.family).toBe(family);
  });

  it("rejects an unknown family", () => {
    expect(() => generateIncident("easy", 1, { family: "mainframe" })).toThrow(/unknown family/);
  });

  it("never names the fault in what the agent can see before acting", () => {
    for (const seed of range(0, 40)) {
      const { spec, world } = generateIncident("hard", seed);
      expect(spec.id).toBe(`gen-hard-${seed}`);
      // The world shows the articles chosen at generation (what the graders read), under ids that
      // say nothing about the fault or the root's kind (the pool's own ids).
      expect(world.kb()).toEqual(spec.kb);
      for (const article of world.kb()) {
        expect(article.id).toMatch(/^KB-\d{4}$/);
        for (const node of spec.topology.nodes) expect(`${article.title} ${article.content}`).not.toContain(node.name);
      }
    }
  });
});
