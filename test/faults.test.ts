/**
 * The fault library (src/scenarios/faults), run through the simulated world on a fixture topology
 * with every node kind (test/support/fault-topology.ts). For every fault kind:
 *  1. its signature shows by the page: a page, an anomalous signature metric on the root, and one
 *     of its root lines in the opening logs;
 *  2. left alone, it does not get better by itself;
 *  3. its first durable remedy, applied at minute 0, brings the system back to health, and health
 *     holds;
 *  4. a tempting wrong fix makes a user-facing measure clearly worse than doing nothing;
 *  5. a relief remedy helps for a while, then the fault returns;
 *  6. the same spec and seed give the same world.
 * Also: knowledge concepts exist in the lexicon, every template renders without leftover
 * placeholders, and legacy fix descriptions map to the right remediation kind.
 */
import { describe, expect, it } from "vitest";
import { foreignConcepts, profile } from "../src/grading/concepts.js";
import type { FaultKind, RemediationKind, Scope } from "../src/sim/fault-types.js";
import { FAULTS, FAULT_KINDS } from "../src/scenarios/faults/index.js";
import { kbWordingById } from "../src/scenarios/kb/index.js";
import { alternatives, knowledgeIds, requirementIds, satisfiedBy } from "../src/scenarios/knowledge.js";
import { LEXICON } from "../src/scenarios/lexicon.js";
import { REMEDIATION_CONCEPTS, remediationFromConcepts } from "../src/scenarios/remediation-concepts.js";
import { IncidentWorld } from "../src/sim/incident-world.js";
import { wordings } from "../src/sim/phrasing.js";
import type { MetricName } from "../src/sim/model.js";
import { HONEST_WRITEUPS, faultSpec } from "./support/fault-topology.js";

const SEED = 20260302;
const LEFTOVER = /\{[a-z_:]+\}/;

/** A number that is higher when users are worse off. */
type Measure = (world: IncidentWorld) => number;

/** The entry point and the root's direct callers. */
function userFacing(world: IncidentWorld): string[] {
  const entry = world.sim.index
    .entryPoints()
    .filter((n) => n.kind === "gateway")
    .map((n) => n.name);
  const callers = world.sim.nodesIn("root_callers");
  return [...new Set([...entry, ...callers])].filter((n) => n !== world.spec.root);
}

/** Highest error rate over the entry point and the root's callers. */
const worstUserErrors: Measure = (w) => Math.max(...userFacing(w).map((n) => w.sim.value(n, "error_rate") ?? 0));
/** Mean error rate over the entry point and the root's callers (moves even when one of them is at 100%). */
const meanUserErrors: Measure = (w) => {
  const nodes = userFacing(w);
  return nodes.reduce((sum, n) => sum + (w.sim.value(n, "error_rate") ?? 0), 0) / nodes.length;
};
/** Highest p99 latency over the entry point and the root's callers. */
const worstUserLatency: Measure = (w) => Math.max(...userFacing(w).map((n) => w.sim.value(n, "latency_p99") ?? 0));
/** Error rate at the entry point. */
const entryErrors: Measure = (w) => w.sim.value(userFacing(w)[0] ?? "", "error_rate") ?? 0;
/** A metric of the root. */
const rootMetric =
  (metric: MetricName): Measure =>
  (w) =>
    w.sim.value(w.spec.root, metric) ?? 0;

interface Case {
  /** What "worse for users" means for this fault. */
  measure: Measure;
  /** The tempting wrong fix to check, and how much worse it must make `wrongMeasure` (default `measure`). */
  wrongFix: { kind: RemediationKind; target: Scope };
  wrongMeasure?: Measure;
  /** Mean over the 5 minutes after the wrong fix must beat the untouched twin by this much. */
  margin: { relative?: number; absolute?: number };
}

const CASES: Readonly<Record<Exclude<FaultKind, "false_alarm">, Case>> = {
  bad_deploy: { measure: worstUserErrors, wrongFix: { kind: "restart", target: "root" }, margin: { relative: 0.1 } },
  config_push: { measure: worstUserErrors, wrongFix: { kind: "rollback", target: "root" }, margin: { relative: 0.1 } },
  connection_pool_exhaustion: { measure: meanUserErrors, wrongFix: { kind: "restart", target: "root" }, margin: { relative: 0.1 } },
  memory_leak: { measure: worstUserErrors, wrongFix: { kind: "scale", target: "root" }, margin: { relative: 0.1 } },
  certificate_expiry: { measure: worstUserErrors, wrongFix: { kind: "restart", target: "root_callers" }, margin: { relative: 0.1 } },
  dns_failure: { measure: entryErrors, wrongFix: { kind: "restart", target: "root" }, margin: { relative: 0.1 } },
  disk_full: { measure: worstUserErrors, wrongFix: { kind: "restart", target: "root" }, margin: { relative: 0.1 } },
  cache_stampede: { measure: worstUserErrors, wrongFix: { kind: "flush_cache", target: "root" }, margin: { relative: 0.1 } },
  retry_storm: { measure: rootMetric("error_rate"), wrongFix: { kind: "restart", target: "root_callees" }, margin: { relative: 0.1 } },
  db_lock_contention: { measure: meanUserErrors, wrongFix: { kind: "raise_limit", target: "root" }, margin: { relative: 0.1 } },
  dependency_timeout: { measure: worstUserErrors, wrongFix: { kind: "raise_limit", target: "root" }, margin: { relative: 0.1 } },
  quota_throttling: { measure: worstUserErrors, wrongFix: { kind: "scale", target: "root_callers" }, margin: { relative: 0.1 } },
  network_partition: { measure: entryErrors, wrongFix: { kind: "restart", target: "root" }, margin: { relative: 0.1 } },
  queue_poison_pill: {
    measure: rootMetric("consumer_lag"),
    wrongFix: { kind: "restart", target: "root" },
    wrongMeasure: worstUserErrors,
    margin: { absolute: 5 },
  },
  stale_credentials: {
    measure: worstUserErrors,
    wrongFix: { kind: "rotate_credential", target: "root_callees" },
    margin: { relative: 0.1 },
  },
  process_crash: { measure: worstUserErrors, wrongFix: { kind: "scale", target: "root" }, margin: { relative: 0.1 } },
  cache_memory_full: { measure: worstUserErrors, wrongFix: { kind: "restart", target: "root" }, margin: { relative: 0.1 } },
  slow_query: { measure: meanUserErrors, wrongFix: { kind: "raise_limit", target: "root" }, margin: { relative: 0.1 } },
  // Its callers already fail nearly every call that needs the provider: a cold restart shows in their latency.
  third_party_outage: {
    measure: worstUserErrors,
    wrongFix: { kind: "restart", target: "root_callers" },
    wrongMeasure: worstUserLatency,
    margin: { relative: 0.2 },
  },
};

/** Faults that need a fix on our side (a false alarm needs none: see its own tests below). */
const FIXABLE = FAULT_KINDS.filter((kind) => FAULTS[kind].response?.restraint !== true) as Array<Exclude<FaultKind, "false_alarm">>;

function world(kind: FaultKind): IncidentWorld {
  return new IncidentWorld(faultSpec(kind), SEED);
}

/** The first node of a scope (relative to the root). */
function targetIn(w: IncidentWorld, scope: Scope): string {
  const node = w.sim.nodesIn(scope)[0];
  if (node === undefined) throw new Error(`no node in scope ${scope} for ${w.spec.fault.kind}`);
  return node;
}

/** Mean of a measure over the next `minutes` minutes. */
function meanOver(w: IncidentWorld, measure: Measure, minutes: number): number {
  let sum = 0;
  for (let i = 0; i < minutes; i++) {
    w.advance(1);
    sum += measure(w);
  }
  return sum / minutes;
}

function signatureShows(w: IncidentWorld): boolean {
  return w.spec.fault.signature.some((metric) => {
    const value = w.sim.value(w.spec.root, metric);
    return value !== undefined && w.sim.isAnomalous(w.spec.root, metric, value);
  });
}

/** A regular expression for the lines a template renders to in this world ({n} is any number). */
function linePattern(w: IncidentWorld, template: string): RegExp {
  const rendered = w.render(template.replace(/\{n\}/g, "\u0000"));
  const escaped = rendered.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`^${escaped.replaceAll("\u0000", "\\d+")}$`);
}

it("covers every fault kind", () => {
  expect([...FIXABLE].sort()).toEqual(Object.keys(CASES).sort());
  expect(FAULT_KINDS).toHaveLength(20);
  for (const kind of FAULT_KINDS) expect(FAULTS[kind].kind).toBe(kind);
});

describe.each([...FIXABLE])("%s", (kind) => {
  const fault = FAULTS[kind];
  const testCase = CASES[kind];

  it("is a complete definition", () => {
    expect(fault.injectable.length).toBeGreaterThan(0);
    expect(fault.mechanism.length).toBeGreaterThan(80);
    expect(fault.signature.length).toBeGreaterThan(0);
    expect(fault.effects.length + fault.edgeEffects.length).toBeGreaterThan(0);
    expect(fault.logs.root.length).toBeGreaterThan(0);
    expect(fault.logs.root.some((t) => t.level !== "INFO" && t.level !== "DEBUG")).toBe(true);
    expect(fault.logs.recovery.length).toBeGreaterThan(0);
    expect(fault.remedies.some((r) => r.effect === "durable")).toBe(true);
    expect(fault.wrongFixes.length).toBeGreaterThan(0);
    for (const wrong of fault.wrongFixes) expect(wrong.intensityDelta > 0 || wrong.sideEffects.length > 0).toBe(true);
    for (const remedy of fault.remedies) {
      if (remedy.effect === "relief") expect(remedy.reliefMinutes).toBeGreaterThan(0);
      expect(fault.wrongFixes.some((w) => w.kind === remedy.kind && w.target === remedy.target)).toBe(false);
    }
    const [min, max] = fault.onsetBeforePage;
    expect(min).toBeGreaterThanOrEqual(2);
    expect(max).toBeGreaterThanOrEqual(min);
    expect(fault.knowledge.runbook.mitigate.length).toBeGreaterThan(0);
    expect(fault.knowledge.postmortem.rootCause.length).toBeGreaterThan(0);
    expect(fault.knowledge.postmortem.actionItems.length).toBeGreaterThan(0);
  });

  it("knowledge names lexicon concepts only, and none is both needed and harmful", () => {
    const { runbook, postmortem } = fault.knowledge;
    for (const id of knowledgeIds(fault.knowledge)) expect(LEXICON.has(id), `${kind}: unknown concept ${id}`).toBe(true);
    const requirements = [
      ...runbook.diagnose,
      ...runbook.mitigate,
      ...runbook.verify,
      ...runbook.escalate,
      ...postmortem.rootCause,
      ...postmortem.trigger,
      ...postmortem.actionItems,
    ];
    for (const r of requirements) expect(alternatives(r).length, `${kind}: an empty requirement`).toBeGreaterThan(0);
    const needed = new Set([
      ...requirementIds([...runbook.diagnose, ...runbook.mitigate, ...runbook.verify, ...postmortem.rootCause, ...postmortem.actionItems]),
      ...runbook.optional,
    ]);
    for (const id of runbook.harmful) expect(needed.has(id), `${kind}: ${id} is both needed and harmful`).toBe(false);
    // A concept fills one runbook requirement at most, so one sentence cannot cover two of them.
    const slots = [...runbook.diagnose, ...runbook.mitigate, ...runbook.verify].map((r) => alternatives(r));
    for (const id of requirementIds([...runbook.diagnose, ...runbook.mitigate, ...runbook.verify])) {
      expect(slots.filter((ids) => ids.includes(id)).length, `${kind}: ${id} is an alternative of two runbook requirements`).toBe(1);
    }
  });

  it("keeps required runbook items few enough for a short honest runbook", () => {
    const { runbook } = fault.knowledge;
    expect(runbook.diagnose.length).toBeLessThanOrEqual(2);
    expect(runbook.mitigate.length).toBeGreaterThanOrEqual(1);
    expect(runbook.mitigate.length).toBeLessThanOrEqual(2);
    expect(runbook.verify.length).toBe(1);
  });

  it("never calls harmful what one of its own remedies does", () => {
    const harmful = new Set(fault.knowledge.runbook.harmful);
    for (const remedy of fault.remedies) {
      for (const id of REMEDIATION_CONCEPTS[remedy.kind])
        expect(harmful.has(id), `${kind}: remedy ${remedy.kind} is ${id}, listed as harmful`).toBe(false);
    }
  });

  it("rewards an honest runbook and postmortem written from what the responder sees", () => {
    const { runbook, postmortem } = fault.knowledge;
    const writeup = HONEST_WRITEUPS[kind];
    const concepts = (...texts: string[]): Set<string> => new Set(texts.flatMap((t) => [...profile(t).expressed.keys()]));
    const steps = concepts(...writeup.runbook);
    for (const r of [...runbook.diagnose, ...runbook.mitigate, ...runbook.verify])
      expect(satisfiedBy(r, steps), `runbook lacks ${alternatives(r).join("|")}`).toBeDefined();
    for (const id of runbook.harmful) expect(steps.has(id), `runbook recommends harmful ${id}`).toBe(false);
    const sections: Array<[string, readonly (string | readonly string[])[]]> = [
      [writeup.rootCause, postmortem.rootCause],
      [writeup.trigger, postmortem.trigger],
      [writeup.actionItems, postmortem.actionItems],
    ];
    for (const [text, requirements] of sections) {
      const found = concepts(text);
      for (const r of requirements) expect(satisfiedBy(r, found), `"${text}" lacks ${alternatives(r).join("|")}`).toBeDefined();
    }
    const allowed = new Set([
      ...requirementIds([...runbook.diagnose, ...runbook.mitigate, ...runbook.verify, ...runbook.escalate]),
      ...runbook.optional,
      ...requirementIds([...postmortem.rootCause, ...postmortem.trigger, ...postmortem.actionItems]),
      ...postmortem.optional,
    ]);
    expect(foreignConcepts(steps, allowed).length, `foreign: ${foreignConcepts(steps, allowed).join(", ")}`).toBeLessThanOrEqual(1);
    const written = concepts(writeup.rootCause, writeup.trigger, writeup.actionItems);
    expect(foreignConcepts(written, allowed).length, `foreign: ${foreignConcepts(written, allowed).join(", ")}`).toBeLessThanOrEqual(1);
  });

  it("renders every template without leftover placeholders", () => {
    const w = world(kind);
    const extra = { caller: "edge-gateway", callee: w.spec.root, timeout: "1000" };
    const texts = [
      fault.title,
      fault.mechanism,
      fault.trigger.description,
      ...fault.logs.root.map((t) => t.message),
      ...fault.logs.recovery.map((t) => t.message),
    ];
    for (const text of texts) expect(w.render(text), text).not.toMatch(LEFTOVER);
    for (const t of [...fault.logs.callers, ...(fault.logs.callees ?? [])])
      expect(w.render(t.message, extra), t.message).not.toMatch(LEFTOVER);
    // The KB articles come from the shared pool: one fits this fault, the other does not.
    const shown = w.kb();
    expect(shown.map((a) => kbWordingById(a.id)?.article.fits.includes(kind)).sort()).toEqual([false, true]);
    for (const article of shown) {
      expect(article.title).not.toMatch(LEFTOVER);
      expect(article.content).not.toMatch(LEFTOVER);
      for (const tag of article.tags) expect(tag).not.toMatch(LEFTOVER);
    }
    for (const values of Object.values(fault.details)) for (const value of values) expect(value).not.toMatch(/[{}]/);
    for (const line of w.openingLogs()) expect(line.message, line.message).not.toMatch(LEFTOVER);
  });

  it("1. shows its signature by the page", () => {
    const w = world(kind);
    expect(w.minute).toBe(0);
    const page = w.page();
    expect(page, "a page by minute 0").toBeDefined();
    expect(page?.firedAtMinute).toBeGreaterThanOrEqual(w.spec.onsetMinute);
    expect(page?.firedAtMinute).toBeLessThanOrEqual(0);
    expect(
      w.alerts.history.filter((a) => a.firedAtMinute < w.spec.onsetMinute),
      "no alert before the onset",
    ).toEqual([]);
    expect(signatureShows(w), `a signature metric of ${w.spec.root} past its threshold`).toBe(true);
    const patterns = fault.logs.root.flatMap((t) => wordings(t, w.spec.phrasing).map((wording) => linePattern(w, wording)));
    const printed = w.openingLogs().filter((l) => l.service === w.spec.root && patterns.some((p) => p.test(l.message)));
    expect(printed.length, "root printed one of its fault's lines").toBeGreaterThan(0);
  });

  it("1b. is identifiable at the shortest onset too", () => {
    const spec = { ...faultSpec(kind), onsetMinute: -Math.min(...fault.onsetBeforePage) };
    const w = new IncidentWorld(spec, SEED);
    expect(w.page()).toBeDefined();
    expect(signatureShows(w)).toBe(true);
  });

  it("2. does not get better by itself", () => {
    const w = world(kind);
    const atPage = testCase.measure(w);
    w.advance(20);
    const later = testCase.measure(w);
    expect(later, `measure at minute 20 (${later}) vs minute 0 (${atPage})`).toBeGreaterThanOrEqual(atPage * 0.95 - 0.5);
    expect(signatureShows(w)).toBe(true);
    expect(w.isHealthy()).toBe(false);
  });

  it("3. recovers with its first durable remedy", () => {
    const remedy = fault.remedies.find((r) => r.effect === "durable");
    if (!remedy) throw new Error("no durable remedy");
    const w = world(kind);
    const outcome = w.applyRemediation({ kind: remedy.kind, target: targetIn(w, remedy.target), parameters: {} });
    expect(outcome.kind).toBe("fixed");
    let waited = 0;
    while (!w.isHealthy() && waited < remedy.recoveryMinutes + 10) {
      w.advance(1);
      waited++;
    }
    expect(w.isHealthy(), `healthy within ${remedy.recoveryMinutes + 10} minutes`).toBe(true);
    w.advance(10);
    expect(w.healthHeld()).toBe(true);
    expect(signatureShows(w)).toBe(false);
  });

  it("4. gets measurably worse with a tempting wrong fix", () => {
    const { wrongFix, margin } = testCase;
    const measure = testCase.wrongMeasure ?? testCase.measure;
    expect(fault.wrongFixes.some((w) => w.kind === wrongFix.kind && w.target === wrongFix.target)).toBe(true);
    const twin = world(kind);
    const treated = world(kind);
    const outcome = treated.applyRemediation({ kind: wrongFix.kind, target: targetIn(treated, wrongFix.target), parameters: {} });
    expect(outcome.kind).toBe("harmful");
    const untouched = meanOver(twin, measure, 5);
    const worse = meanOver(treated, measure, 5);
    const needed = Math.max(margin.absolute ?? 0, (margin.relative ?? 0) * untouched);
    expect(worse - untouched, `mean ${worse.toFixed(2)} vs ${untouched.toFixed(2)} untouched`).toBeGreaterThanOrEqual(needed);
  });

  const relief = fault.remedies.find((r) => r.effect === "relief");
  // Only faults that have a relief remedy get this test (the others list none to check).
  if (relief)
    it("5. a relief remedy helps for a while, then the fault returns", () => {
      const twin = world(kind);
      const treated = world(kind);
      const outcome = treated.applyRemediation({ kind: relief.kind, target: targetIn(treated, relief.target), parameters: {} });
      expect(outcome.kind).toBe("relieved");
      const settle = relief.recoveryMinutes + 1;
      twin.advance(settle);
      treated.advance(settle);
      expect(treated.isHealthy(), "healthy while relieved").toBe(true);
      expect(testCase.measure(treated)).toBeLessThan(testCase.measure(twin));
      const back = relief.recoveryMinutes + (relief.reliefMinutes ?? 0) + fault.growth.minutesToFull + 5 - settle;
      twin.advance(back);
      treated.advance(back);
      expect(signatureShows(treated), "the fault is back").toBe(true);
      expect(treated.isHealthy()).toBe(false);
    });

  it("6. is deterministic", () => {
    const a = world(kind);
    const b = world(kind);
    expect(a.overview()).toEqual(b.overview());
    expect(a.openingLogs()).toEqual(b.openingLogs());
    a.advance(5);
    b.advance(5);
    expect(a.overview()).toEqual(b.overview());
  });
});

describe("false_alarm", () => {
  const fault = FAULTS.false_alarm;

  it("pages on a healthy service through its misconfigured rule, and nothing else is wrong", () => {
    const w = world("false_alarm");
    const page = w.page();
    expect(page?.node).toBe(w.spec.root);
    expect(page?.metric).toBe(fault.misconfiguredAlert?.metric);
    expect(page?.firedAtMinute).toBeGreaterThanOrEqual(w.spec.onsetMinute);
    // The alert's own threshold is below the reading; the metric's real threshold is far above it.
    expect(page?.threshold).toBeLessThan(page?.value ?? 0);
    expect(w.sim.anomalousNow(w.spec.root, "latency_p99")).toBe(false);
    expect(w.alerts.history.filter((a) => a.firedAtMinute < w.spec.onsetMinute)).toEqual([]);
    expect(w.isHealthy()).toBe(true);
    expect(w.impact()).toEqual([]);
    expect(w.severity()).toBe("P4");
    // The rule change is in the change log, printed by the change system.
    expect(
      w
        .inspect(w.spec.root)
        .changes.map((c) => c.description)
        .join(" "),
    ).toMatch(/threshold changed to \d+ ms \(was \d+ ms\)/);
    w.advance(20);
    expect(w.isHealthy()).toBe(true);
    expect(w.healthHeld()).toBe(true);
  });

  it("stops paging once the rule is put back, with no change to the system", () => {
    const w = world("false_alarm");
    expect(w.applyRemediation({ kind: "revert_config", target: w.spec.root, parameters: {} }).kind).toBe("fixed");
    w.advance(12);
    expect(w.alerts.active().filter((a) => a.node === w.spec.root)).toEqual([]);
    expect(w.isHealthy()).toBe(true);
  });

  it("knowledge names lexicon concepts only, and an honest write-up meets it", () => {
    for (const id of knowledgeIds(fault.knowledge)) expect(LEXICON.has(id), id).toBe(true);
    const writeup = HONEST_WRITEUPS.false_alarm;
    const concepts = (...texts: string[]): Set<string> => new Set(texts.flatMap((t) => [...profile(t).expressed.keys()]));
    const steps = concepts(...writeup.runbook);
    const { runbook, postmortem } = fault.knowledge;
    for (const r of [...runbook.diagnose, ...runbook.mitigate, ...runbook.verify])
      expect(satisfiedBy(r, steps), `runbook lacks ${alternatives(r).join("|")}`).toBeDefined();
    for (const id of runbook.harmful) expect(steps.has(id), `runbook recommends harmful ${id}`).toBe(false);
    for (const [text, requirements] of [
      [writeup.rootCause, postmortem.rootCause],
      [writeup.trigger, postmortem.trigger],
      [writeup.actionItems, postmortem.actionItems],
    ] as const) {
      const found = concepts(text);
      for (const r of requirements) expect(satisfiedBy(r, found), `"${text}" lacks ${alternatives(r).join("|")}`).toBeDefined();
    }
  });
});

describe("lexicon", () => {
  it("has no dead concepts: each non-neutral one is named by a fault or a remediation kind", () => {
    const used = new Set<string>(Object.values(REMEDIATION_CONCEPTS).flat());
    for (const kind of FAULT_KINDS) for (const id of knowledgeIds(FAULTS[kind].knowledge)) used.add(id);
    for (const c of LEXICON.values()) if (!c.neutral) expect(used.has(c.id), c.id).toBe(true);
  });
});

describe("remediation concepts", () => {
  it("names lexicon concepts for every remediation kind", () => {
    for (const [kind, ids] of Object.entries(REMEDIATION_CONCEPTS)) {
      expect(ids.length, kind).toBeGreaterThan(0);
      for (const id of ids) expect(LEXICON.has(id), `${kind}: ${id}`).toBe(true);
    }
  });

  const examples: ReadonlyArray<[string, string]> = [
    ["rolled back the deploy", "rollback"],
    ["restarted the pods", "restart"],
    ["flushed the cache", "flush_cache"],
    ["raised max_connections", "raise_limit"],
    ["failed over to the other zone", "failover"],
    ["renewed the certificate", "renew_certificate"],
    ["reverted the config push", "revert_config"],
    ["renewed the certificate and restarted the service", "renew_certificate"],
    ["restarted checkout so it picks up the rotated secret", "restart"],
    ["rotated the database password", "rotate_credential"],
    ["freed up disk space by compressing old logs", "free_disk"],
    ["moved the poison message to the dead-letter queue", "skip_message"],
    ["created the missing index concurrently", "add_index"],
    ["killed the blocking query", "kill_query"],
    ["warmed the cache from the hot key list", "warm_cache"],
    ["switched to exponential backoff with jitter", "tune_retries"],
    ["disabled the feature flag", "disable_feature_flag"],
    ["scaled out to 8 replicas", "scale"],
    ["started shedding load at the gateway", "shed_load"],
    ["asked the provider for a quota increase", "raise_limit"],
    ["drained the node", "drain_node"],
  ];
  it.each(examples)("%s -> %s", (text, expected) => {
    expect(remediationFromConcepts(new Set(profile(text).expressed.keys()))).toBe(expected);
  });

  it("returns undefined when no remediation is named", () => {
    expect(remediationFromConcepts(new Set(profile("looked at the dashboards").expressed.keys()))).toBeUndefined();
  });
});
