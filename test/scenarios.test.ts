/**
 * Data integrity of every scenario template and of the concept lexicon they reference.
 */
import { describe, expect, it } from "vitest";
import { SCENARIOS, findScenario, scenariosFor } from "../src/scenarios/catalog.js";
import { CONCEPTS, LEXICON, concept } from "../src/scenarios/lexicon.js";
import { normalizeServiceName, resolveService } from "../src/scenarios/service-names.js";
import type { ScenarioTemplate } from "../src/scenarios/types.js";
import { phraseLemmas } from "../src/grading/text.js";

const EXPECTED_IDS = [
  "INC-EASY-001",
  "INC-EASY-002",
  "INC-EASY-003",
  "INC-MED-001",
  "INC-MED-002",
  "INC-MED-003",
  "INC-HARD-001",
  "INC-HARD-002",
  "INC-HARD-003",
  "INC-HARD-004",
];

/** Every concept id a template names anywhere. */
function referencedConcepts(t: ScenarioTemplate): string[] {
  const { optional: pmOptional, ...sections } = t.postmortem;
  return [
    ...t.runbook.diagnose,
    ...t.runbook.mitigate,
    ...t.runbook.verify,
    ...t.runbook.optional,
    ...t.runbook.harmful,
    ...Object.values(sections).flat(),
    ...pmOptional,
    ...t.fix.concepts,
    ...t.harmfulFixes.map((h) => h.concept),
  ];
}

describe("catalog", () => {
  it("holds the seed's ten incidents in order, with unique ids", () => {
    expect(SCENARIOS.map((s) => s.id)).toEqual(EXPECTED_IDS);
    expect(new Set(SCENARIOS.map((s) => s.id)).size).toBe(SCENARIOS.length);
  });

  it("has 3 easy, 3 medium and 4 hard scenarios, each id matching its level", () => {
    expect(scenariosFor("easy")).toHaveLength(3);
    expect(scenariosFor("medium")).toHaveLength(3);
    expect(scenariosFor("hard")).toHaveLength(4);
    const prefix = { easy: "INC-EASY-", medium: "INC-MED-", hard: "INC-HARD-" } as const;
    for (const s of SCENARIOS) expect(s.id.startsWith(prefix[s.level])).toBe(true);
  });

  it("finds scenarios by id, case-insensitively", () => {
    expect(findScenario("inc-hard-003")?.id).toBe("INC-HARD-003");
    expect(findScenario("INC-HARD-005")).toBeUndefined();
  });
});

describe.each(SCENARIOS.map((s) => [s.id, s] as const))("%s", (_id, t) => {
  const names = new Set(t.services.map((s) => s.name));
  const metricKeys = new Set(t.metrics.map((m) => `${m.service}/${m.metric}`));

  it("references only concepts that exist in the lexicon", () => {
    for (const id of referencedConcepts(t)) expect(() => concept(id), id).not.toThrow();
  });

  it("names only its own services", () => {
    expect(names.size).toBe(t.services.length);
    expect(names.has(t.truth.rootService)).toBe(true);
    for (const s of t.alert.affectedServices) expect(names, s).toContain(s);
    for (const m of t.metrics) expect(names, m.metric).toContain(m.service);
    for (const l of [...t.openingLogs, ...t.activeLogs, ...t.recoveryLogs, ...t.backgroundLogs]) expect(names, l.message).toContain(l.service);
    for (const s of t.fix.targets) expect(names).toContain(s);
    for (const h of t.harmfulFixes) for (const s of h.targets) expect(names).toContain(s);
  });

  it("worsens only metrics it has, and never blocks its own fix", () => {
    for (const h of t.harmfulFixes) {
      for (const key of h.worsens) expect(metricKeys, key).toContain(key);
      const blocksFix = t.fix.concepts.includes(h.concept) && (h.targets.length === 0 || h.targets.some((s) => t.fix.targets.includes(s)));
      expect(blocksFix, `${h.concept} is both the fix and harmful on a fix target`).toBe(false);
    }
  });

  it("keeps harmful runbook concepts out of the runbook it asks for", () => {
    const wanted = new Set([...t.runbook.diagnose, ...t.runbook.mitigate, ...t.runbook.verify, ...t.runbook.optional, ...t.fix.concepts]);
    for (const id of t.runbook.harmful) expect(wanted.has(id), id).toBe(false);
  });

  it("fills both the runbook and the postmortem spec", () => {
    expect(t.runbook.diagnose.length).toBeGreaterThan(0);
    expect(t.runbook.mitigate.length).toBeGreaterThan(0);
    expect(t.runbook.verify.length).toBeGreaterThan(0);
    for (const section of ["summary", "root_cause", "timeline", "impact", "action_items"] as const) {
      expect(t.postmortem[section].length, section).toBeGreaterThan(0);
    }
  });

  it("has the authored shape: services, metrics, logs, KB", () => {
    expect(t.services.length).toBeGreaterThanOrEqual(4);
    expect(t.services.length).toBeLessThanOrEqual(7);
    expect(t.metrics.length).toBeGreaterThanOrEqual(4);
    expect(t.metrics.length).toBeLessThanOrEqual(8);
    expect(t.openingLogs.length).toBeGreaterThanOrEqual(5);
    expect(t.openingLogs.length).toBeLessThanOrEqual(9);
    for (const l of t.openingLogs) expect(l.atMinute).toBeLessThanOrEqual(0);
    expect(t.activeLogs.length).toBeGreaterThanOrEqual(4);
    expect(t.activeLogs.length).toBeLessThanOrEqual(6);
    expect(t.recoveryLogs.length).toBeGreaterThanOrEqual(2);
    expect(t.recoveryLogs.length).toBeLessThanOrEqual(4);
    expect(t.backgroundLogs.length).toBeGreaterThanOrEqual(2);
    expect(t.backgroundLogs.length).toBeLessThanOrEqual(3);
    expect(t.kb).toHaveLength(2);
    expect(t.truth.severity).toBe(t.alert.severity);
  });

  it("pages with anomalous metrics and keeps healthy ones healthy", () => {
    const anomalous = t.metrics.filter((m) => (m.direction === "above" ? m.atPage > m.threshold : m.atPage < m.threshold));
    expect(anomalous.length).toBeGreaterThan(0);
    expect(anomalous.length).toBeLessThan(t.metrics.length);
    for (const m of t.metrics) {
      const healthy = m.direction === "above" ? m.baseline <= m.threshold : m.baseline >= m.threshold;
      expect(healthy, `${m.service}/${m.metric} baseline`).toBe(true);
      expect(m.driftPerMinute).toBeGreaterThanOrEqual(0);
    }
  });

  it("resolves every name and alias to its own service, and nothing else", () => {
    for (const s of t.services) {
      expect(resolveService(s.name, t.services)?.name).toBe(s.name);
      for (const alias of s.aliases) {
        expect(normalizeServiceName(alias).length, alias).toBeGreaterThan(1);
        expect(resolveService(alias, t.services)?.name, alias).toBe(s.name);
        expect(resolveService(` ${alias.toUpperCase()} `, t.services)?.name, alias).toBe(s.name);
      }
    }
    expect(resolveService("e", t.services)).toBeUndefined();
    expect(resolveService("", t.services)).toBeUndefined();
    expect(resolveService(undefined, t.services)).toBeUndefined();
    expect(resolveService(t.services.map((s) => s.name).join(", "), t.services)).toBeUndefined();
  });

  it("never lets alias normalisation make two services collide", () => {
    const owner = new Map<string, string>();
    for (const s of t.services) {
      for (const n of new Set([s.name, ...s.aliases].map(normalizeServiceName))) {
        expect(owner.get(n) ?? s.name, `"${n}" denotes ${owner.get(n)} and ${s.name}`).toBe(s.name);
        owner.set(n, s.name);
      }
    }
  });
});

describe("lexicon", () => {
  it("has unique ids and non-empty phrase lists", () => {
    expect(LEXICON.size).toBe(CONCEPTS.length);
    for (const c of CONCEPTS) expect(c.phrases.length, c.id).toBeGreaterThan(0);
  });

  it("has a content word in every phrase", () => {
    for (const c of LEXICON.values()) for (const p of c.phrases) expect(() => phraseLemmas(p), `${c.id}: "${p}"`).not.toThrow();
  });

  it("has no bare generic word as a phrase of a non-neutral concept", () => {
    const generic = new Set([
      "api", "service", "error", "fail", "failure", "pool", "restart", "partition", "log", "request", "client", "queue", "memory", "index", "database",
      "thread", "connection", "timeout", "cache", "change", "limit", "rate", "traffic", "network", "node", "drain", "pause", "run", "page", "job",
    ]);
    for (const c of LEXICON.values()) {
      if (c.neutral) continue;
      for (const p of c.phrases) {
        const words = phraseLemmas(p);
        if (words.length !== 1) continue;
        const only = words[0];
        expect(only !== undefined && (generic.has(only.lemma) || generic.has(only.word)), `${c.id}: "${p}" is a bare generic word`).toBe(false);
      }
    }
  });

  it("is used: every non-neutral concept belongs to some scenario", () => {
    const used = new Set(SCENARIOS.flatMap(referencedConcepts));
    for (const c of LEXICON.values()) if (!c.neutral) expect(used.has(c.id), c.id).toBe(true);
  });
});
