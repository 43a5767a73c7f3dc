/**
 * Commitments, not hedges: a root cause offered among several suspects names no root, a carpet of
 * timeline times pays for its precision, a KB paste stays a paste however it is padded, and free
 * text turns into a fix or a fault class only when it commits to one and is not copied. Each rule
 * is checked on both sides: the honest answer it must keep paying.
 */
import { describe, expect, it } from "vitest";
import type { Action } from "../gen/incident/v1/action_pb.js";
import { FaultKind, RemediationKind } from "../gen/incident/v1/enums_pb.js";
import { analyzeCopy, copiedParts, copyReferences, isCopied } from "../src/grading/copying.js";
import { factsOf } from "../src/grading/episode/facts.js";
import { EPISODE_GRADERS } from "../src/grading/episode/index.js";
import { timelineScore } from "../src/grading/episode/timeline.js";
import { faultClassFromReasoning } from "../src/grading/free-text-fault.js";
import { remediationFromReasoning } from "../src/grading/free-text-fix.js";
import type { Grade } from "../src/grading/grade.js";
import { FAULT_KINDS } from "../src/scenarios/faults/index.js";
import { IncidentWorld } from "../src/sim/incident-world.js";
import { FAULT_TOPOLOGY, HONEST_WRITEUPS, faultSpec } from "./support/fault-topology.js";
import {
  FIXTURE_TOPOLOGY,
  ROOT,
  clock,
  diagnose,
  fix,
  fixtureSpec,
  inspect,
  play,
  postmortem,
  runbook,
  type Played,
} from "./support/grading-fixture.js";

const HONEST_STEPS: readonly Action[] = [
  inspect(ROOT),
  diagnose(ROOT, FaultKind.CONNECTION_POOL_EXHAUSTION),
  fix(ROOT, RemediationKind.RAISE_LIMIT, {}, "raise max_connections on orders-db"),
  inspect("orders-service", "check that the callers recovered"),
  inspect(ROOT, "check the connection count stays down"),
];
const before: Played = play(HONEST_STEPS);
const KB = new IncidentWorld(fixtureSpec(), 7).kb();
const KB_SENTENCES = KB.flatMap((a) => a.content.split(/(?<=[.!?])\s+/));

function minuteOf(kind: string): number {
  const e = before.record.world.timeline.find((x) => x.kind === kind);
  if (!e) throw new Error(`no ${kind} event`);
  return e.minute;
}
const ONSET = before.record.spec.onsetMinute;
const PAGE = before.record.world.pageMinute;
const FIX = before.record.steps.find((s) => s.remediation?.kind === "fixed")?.minute ?? Number.NaN;
const RECOVERED = minuteOf("mitigated");

const HONEST_SECTIONS: Readonly<Record<string, string>> = {
  summary:
    "orders-db ran out of connection slots after orders-service scaled out to 24 replicas; orders failed for about twenty minutes until max_connections was raised.",
  timeline: `${clock(ONSET)} autoscaler scaled orders-service to 24 replicas. ${clock(PAGE)} page. ${clock(FIX)} raised max_connections. ${clock(RECOVERED)} recovered.`,
  rootCause:
    "orders-db refused new sessions: the 24 orders-service replicas each opened a full connection pool and together passed max_connections, so the pool was exhausted; api-gateway passed the resulting 500s through to users.",
  impact: `Orders failed. ${before.record.world.impact.map((i) => `${i.service} peaked at ${i.peakErrorRate.toFixed(1)}% errors`).join(", ")}.`,
  actionItems: "Put a connection pooler in front of orders-db, cap the pool size per instance, and alert on connection usage above 80%.",
  resolution: "We raised max_connections on orders-db.",
};

function gradePostmortem(edit: (s: Record<string, string>) => void): Grade {
  const sections = { ...HONEST_SECTIONS };
  edit(sections);
  return EPISODE_GRADERS.hard.grade(play([...HONEST_STEPS, postmortem(sections, before.world.severity(), ROOT)]).record);
}

/** A postmortem part's score and explanation, from the grade's notes. */
function part(g: Grade, name: string): { score: number; text: string } {
  const note = g.notes.find((n) => n.startsWith(`postmortem ${name} `));
  const m = note ? /: ([\d.]+): (.*)$/.exec(note) : null;
  if (!m) throw new Error(`no ${name} note in\n${g.notes.join("\n")}`);
  return { score: Number(m[1]), text: m[2] ?? "" };
}

describe("a root cause must single out one service", () => {
  const honest = gradePostmortem(() => {});

  it("the honest statement names the root, victims and all", () => {
    expect(part(honest, "root_cause").text).toContain("names the root");
    expect(part(honest, "summary").text).toContain("names the root");
  });

  it.each([
    "The cause was either orders-db or catalog-service running out of connections.",
    "The cause was one of orders-db, catalog-service or redis-cache: the connection pool was exhausted.",
    "orders-db or possibly redis-cache exhausted its connection pool under the new replicas.",
    "orders-db and/or redis-cache ran out of connections when orders-service scaled out.",
    "orders-db ran out of connections when orders-service scaled out. Alternatively, redis-cache did.",
  ])("%s -> names no root", (rootCause) => {
    const g = gradePostmortem((s) => (s.rootCause = rootCause));
    const rc = part(g, "root_cause");
    expect(rc.text).toContain("among other suspects");
    expect(rc.score).toBeLessThanOrEqual(part(honest, "root_cause").score - 0.35);
  });

  it("a hedged summary loses its naming half too", () => {
    const g = gradePostmortem(
      (s) => (s.summary = "Either orders-db or catalog-service ran out of connection slots; orders failed for twenty minutes."),
    );
    expect(part(g, "summary").text).toContain("among other suspects");
  });

  it.each([
    "orders-db ran out of connection slots, so orders-service and api-gateway returned 500s to users.",
    "We first suspected api-gateway or orders-service, but the root cause was orders-db: its connection pool was exhausted.",
    "orders-db (the orders database) exhausted its connection pool, not redis-cache as first thought.",
    "orders-service scaled out and exhausted the connection pool of orders-db; redis-cache and catalog-service were fine.",
  ])("%s -> still names the root", (rootCause) => {
    const g = gradePostmortem((s) => (s.rootCause = rootCause));
    expect(part(g, "root_cause").text).toContain("names the root");
  });
});

describe("timeline precision: a carpet of times scores low, an honest timeline high", () => {
  const p = play([...HONEST_STEPS]);
  const facts = factsOf(p.record);
  const events = p.record.world.timeline;
  const alerts = events.filter((e) => e.kind === "alert");
  const firstAlert = alerts[0];
  const secondAlert = alerts.find((a) => a.minute > (firstAlert?.minute ?? 0) && a.minute !== PAGE) ?? alerts[1];
  if (!firstAlert || !secondAlert) throw new Error("the fixture world fires fewer than two alerts");
  const lastMinute = Math.max(...events.map((e) => e.minute), ...p.record.steps.map((s) => s.minute));

  const honestTimelines: Readonly<Record<string, string>> = {
    "four key events": `${clock(ONSET)} orders-service scaled out. ${clock(PAGE)} paged. ${clock(FIX)} raised max_connections. ${clock(RECOVERED)} recovered.`,
    "key events and three other true events": [
      `${clock(ONSET)} autoscaler scaled orders-service from 6 to 24 replicas.`,
      `${clock(firstAlert.minute)} ${firstAlert.detail}.`,
      `${clock(PAGE)} paged.`,
      `${clock(secondAlert.minute)} ${secondAlert.detail}.`,
      `${clock(0)} inspected orders-db: connection usage at 100%.`,
      `${clock(FIX)} raised max_connections on orders-db.`,
      `${clock(RECOVERED)} error rates back to normal.`,
    ].join("\n"),
    "relative wording": `${clock(ONSET)} orders-service scaled out; the page came ${PAGE - ONSET} minutes later. ${FIX - PAGE} minutes after the page we raised max_connections, and errors cleared ${RECOVERED - FIX} minutes after the fix.`,
  };

  it.each(Object.entries(honestTimelines))("honest: %s scores > 0.85", (_name, text) => {
    const graded = timelineScore(facts, text);
    expect(graded.score, `${graded.detail}\n${text}`).toBeGreaterThan(0.85);
  });

  it.each([2, 3])("a carpet with a time every %i minutes over the whole incident scores < 0.2", (every) => {
    const lines: string[] = [];
    for (let m = ONSET - 2; m <= lastMinute + 2; m += every) lines.push(`${clock(m)} status checked.`);
    const graded = timelineScore(facts, lines.join("\n"));
    expect(graded.detail).toContain("4/4 key events");
    expect(graded.score, graded.detail).toBeLessThan(0.2);
  });

  it("guessing the onset with a spread of times costs more than it earns", () => {
    const known = `${clock(PAGE)} paged. ${clock(FIX)} raised max_connections. ${clock(RECOVERED)} recovered.`;
    // Three guesses spread before the page, one of them right.
    const guesses = [ONSET - 12, ONSET - 6, ONSET].map((m) => `${clock(m)} errors may have started.`).join(" ");
    expect(timelineScore(facts, `${guesses} ${known}`).score).toBeLessThan(timelineScore(facts, known).score);
  });

  it("the same time twice is matched once: a key event is covered by one time", () => {
    const twice = `${clock(PAGE)} paged. ${clock(PAGE)} paged again. ${clock(PAGE)} still paged.`;
    const graded = timelineScore(facts, twice);
    expect(graded.detail).toContain("1/4 key events");
    expect(graded.score).toBeLessThan(timelineScore(facts, `${clock(PAGE)} paged.`).score + 1e-9);
  });
});

describe("copy detection survives padding", () => {
  const references = factsOf(before.record).kb;
  const SRE_WORDS = ["latency", "p99", "dashboard", "kubernetes", "pod", "oncall", "grafana", "slo", "cluster", "budget"];
  let k = 0;
  const sreWord = (): string => SRE_WORDS[k++ % SRE_WORDS.length] ?? "slo";
  const everyNth = (text: string, n: number, filler: () => string): string =>
    text
      .split(" ")
      .map((w, i) => (i % n === n - 1 ? `${w} ${filler()}` : w))
      .join(" ");
  const whole = KB.map((a) => a.content).join(" ");
  const padded: Readonly<Record<string, string>> = {
    verbatim: whole,
    "'basically' every third word": everyNth(whole, 3, () => "basically"),
    "'um' every other word": everyNth(whole, 2, () => "um,"),
    "'so yeah' between sentences": KB_SENTENCES.join(" so yeah, "),
    "an SRE word every other word": everyNth(whole, 2, sreWord),
    "an SRE word after every word": everyNth(whole, 1, sreWord),
    "five SRE words between sentences": KB_SENTENCES.map((s) => `${s} ${[1, 2, 3, 4, 5].map(sreWord).join(" ")}`).join(" "),
  };

  it.each(Object.entries(padded))("one text: %s is copied", (_name, text) => {
    expect(isCopied(text, references), `share ${analyzeCopy(text, references).share}`).toBe(true);
  });

  it.each(Object.entries(padded))("as runbook steps: %s, every step holding a KB sentence is set aside", (_name, text) => {
    const steps = text.split(/(?<=[.!?])\s+|(?<=\.) so yeah, /).filter((s) => s.trim() !== "");
    const flags = copiedParts(steps, references);
    expect(steps.length).toBeGreaterThanOrEqual(KB_SENTENCES.length);
    const padding = new Set([...SRE_WORDS, "basically", "um,", "so", "yeah,"]);
    steps.forEach((step, i) => {
      const kbWords = step.split(/\s+/).filter((w) => !padding.has(w));
      if (kbWords.length >= 3) expect(flags[i], step).toBe(true);
    });
  });

  it.each(Object.entries(padded))("the runbook grader pays next to nothing for %s", (_name, text) => {
    const steps = text.split(/(?<=[.!?])\s+/);
    const g = EPISODE_GRADERS.medium.grade(play([runbook(steps, ROOT)]).record);
    expect(g.components.find((c) => c.name === "runbook")?.score ?? 1, g.notes.join("\n")).toBeLessThanOrEqual(0.15);
  });

  it("the postmortem grader pays nothing for padded KB sections", () => {
    const text = padded["an SRE word every other word"] ?? "";
    const g = gradePostmortem((s) => {
      s.rootCause = text;
      s.summary = text;
      s.actionItems = text;
    });
    for (const name of ["root_cause", "summary", "action_items"]) expect(part(g, name).text, name).toBe("copied");
  });

  const pgReferences = copyReferences([
    "To list idle sessions, run SELECT pid, usename, state FROM pg_stat_activity WHERE state = 'idle' ORDER BY backend_start. Terminate them with pg_terminate_backend(pid), then cap the pool size per client so the replicas stay under max_connections.",
  ]);

  it.each([
    "On orders-db I ran SELECT pid, usename, state FROM pg_stat_activity WHERE state = 'idle' ORDER BY backend_start and found 80 idle sessions from orders-service.",
    "Terminate the idle sessions that orders-service holds on orders-db with pg_terminate_backend so new sessions get slots again.",
    "Cap the pool size of orders-service at 4 per replica so its 24 replicas stay under the limit of 100.",
  ])("quoting one command or following one instruction is not a copy: %s", (text) => {
    expect(isCopied(text, pgReferences)).toBe(false);
  });

  it("honest runbooks and postmortems for every fault keep all their parts", () => {
    for (const kind of FAULT_KINDS) {
      const refs = factsOf(play([inspect(faultSpec(kind).root)], { spec: faultSpec(kind) }).record).kb;
      const w = HONEST_WRITEUPS[kind];
      expect(copiedParts(w.runbook, refs), kind).toEqual(w.runbook.map(() => false));
      expect(copiedParts([w.rootCause, w.trigger, w.actionItems], refs), kind).toEqual([false, false, false]);
    }
  });

  it("is fast: a few hundred microseconds per text against every fault's KB", () => {
    const pool = copyReferences(
      FAULT_KINDS.flatMap((kind) => new IncidentWorld(faultSpec(kind), 1).kb().flatMap((a) => [a.title, a.content])),
    );
    const texts = Array.from(
      { length: 200 },
      (_, i) => `${HONEST_WRITEUPS[FAULT_KINDS[i % FAULT_KINDS.length] ?? "bad_deploy"].runbook.join(" ")} ${whole} step ${i}`,
    );
    const start = performance.now();
    for (const t of texts) analyzeCopy(t, pool);
    const perText = (performance.now() - start) / texts.length;
    expect(perText).toBeLessThan(2);
  });
});

describe("free text turns into one fix, or none", () => {
  const references = factsOf(before.record).kb;

  it.each([
    ["rolled back the deploy", "rollback"],
    ["renewed the certificate and restarted the service", "renew_certificate"],
    ["restarted checkout so it picks up the rotated secret", "restart"],
    ["freed up disk space by compressing old logs", "free_disk"],
    ["rather than restarting, we rolled back the deploy", "rollback"],
    ["raised max_connections on orders-db", "raise_limit"],
  ])("%s -> %s", (text, kind) => {
    expect(remediationFromReasoning(text, references)).toBe(kind);
  });

  it.each([
    ["several fixes", "rolled back the deploy and flushed the cache"],
    ["a list of alternatives", "restart the pods, or roll back, or fail over to the other zone"],
    ["no fix at all", "looked at the dashboards"],
    ["the KB pasted", KB.map((a) => a.content).join(" ")],
    ["the KB padded", KB_SENTENCES.join(" so yeah, basically ")],
  ])("%s -> nothing", (_name, text) => {
    expect(remediationFromReasoning(text, references)).toBeUndefined();
  });
});

describe("free text turns into one fault class, or none", () => {
  const references = factsOf(before.record).kb;
  const nodes = FIXTURE_TOPOLOGY.nodes;

  it.each([
    ["orders-db is out of connections: every slot up to max_connections is taken", "connection_pool_exhaustion"],
    ["a memory leak in the new build: the heap grows until the pods are OOMKilled", "memory_leak"],
    ["not a memory leak: the connection pool is exhausted", "connection_pool_exhaustion"],
    ["lock contention behind the schema migration", "db_lock_contention"],
    ["the serving certificate expired", "certificate_expiry"],
  ])("%s -> %s", (text, kind) => {
    expect(faultClassFromReasoning(text, references, nodes)).toBe(kind);
  });

  it.each([
    ["no mechanism", "orders-db is down"],
    ["two mechanisms", "the connection pool is exhausted and the disk is full"],
    ["the KB pasted", KB.map((a) => a.content).join(" ")],
    ["a keyword list", "connection pool exhausted, memory leak, certificate expired, disk full, dns failure, retry storm, deadlock"],
    [
      "straying over other incidents' words",
      "connections exhausted; we rolled back, flushed the cache, renewed the certificate and failed over",
    ],
  ])("%s -> nothing", (_name, text) => {
    expect(faultClassFromReasoning(text, references, nodes)).toBeUndefined();
  });

  it("a service name that reads like a concept is masked (deploy-controller is not a deploy)", () => {
    expect(faultClassFromReasoning("deploy-controller shows orders-db out of connections at max_connections", references, nodes)).toBe(
      "connection_pool_exhaustion",
    );
  });

  it("works on any topology", () => {
    const refs = factsOf(play([inspect("checkout-service")], { spec: faultSpec("certificate_expiry") }).record).kb;
    expect(faultClassFromReasoning("checkout-service's certificate expired and TLS handshakes fail", refs, FAULT_TOPOLOGY.nodes)).toBe(
      "certificate_expiry",
    );
  });
});
