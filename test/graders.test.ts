/**
 * The graders against honest answers and against cheating policies, on every scenario.
 *
 * Honest answers (test/fixtures/honest-answers.ts) were written from each scenario's observation;
 * the cheats are the seed's known exploits (seed-analysis §7) plus stronger stuffing.
 */
import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { ActionSchema, type Action } from "../gen/incident/v1/action_pb.js";
import { ActionType, Severity } from "../gen/incident/v1/enums_pb.js";
import type { Grade, Grader } from "../src/grading/grade.js";
import { postmortemGrader } from "../src/grading/postmortem-grader.js";
import { runbookGrader } from "../src/grading/runbook-grader.js";
import { triageGrader } from "../src/grading/triage-grader.js";
import { SCENARIOS } from "../src/scenarios/catalog.js";
import { CONCEPTS } from "../src/scenarios/lexicon.js";
import type { PostmortemSectionName, ScenarioTemplate, SeverityWord } from "../src/scenarios/types.js";
import { HONEST_ANSWERS, type HonestAnswers, type HonestPostmortem, type HonestRunbook } from "./fixtures/honest-answers.js";

/** The seed's 15 medium runbook keywords (seed-analysis §4, exploit §7 item 28). */
const SEED_MEDIUM_KEYWORDS = ["timeout", "concurrency", "restart", "queue", "flush", "memory leak", "heap", "gc", "restart", "jvm", "index", "slow query", "auth-service", "database", "cpu"];

/** The union of the seed's hard postmortem keyword phrases (seed-analysis §3, exploit §7 item 29). */
const SEED_HARD_KEYWORDS = [
  // INC-HARD-001
  "network partition", "multiple services", "connection resets", "aws az failure", "network drop", "switch failure", "errors started", "services isolated",
  "failover triggered", "cross-az traffic dropped", "payments failed", "auth failed", "az failover runbook", "multi-az redis",
  // INC-HARD-002
  "deadlocks", "order-service", "deployment", "false traffic spike", "bad transaction logic", "table locking", "new release", "deploy finished",
  "locks accumulated", "api degraded", "orders failed", "database locked", "revert deployment", "fix lock ordering", "db testing",
  // INC-HARD-003
  "self-ddos", "retry storm", "worker-service", "missing backoff", "infinite retries", "code bug", "endpoint failed", "retries triggered",
  "api overwhelmed", "gateway crashed", "platform down", "implement backoff", "circuit breaker", "fix worker loop",
  // INC-HARD-004
  "cascading failure", "webhook", "timeout", "notification", "synchronous calls", "third-party degraded", "thread exhaustion",
  "third-party latency spike", "notification service blocked", "upstream out of memory", "entire platform unresponsive", "messages lost",
  "add timeout", "make webhooks async", "circuit breaker",
];

const ALL_PHRASES = CONCEPTS.flatMap((c) => c.phrases);
const CHEAT_BAR = 0.2;
const KB_PASTE_BAR = 0.5;

function honestFor(t: ScenarioTemplate): HonestAnswers {
  const answers = HONEST_ANSWERS[t.id];
  if (!answers) throw new Error(`no honest answers for ${t.id}`);
  return answers;
}

function grade(grader: Grader, template: ScenarioTemplate, action: Action): Grade {
  const g = grader.grade({ template, action, step: 1, history: [] });
  expect(g.raw).toBeGreaterThanOrEqual(0);
  expect(g.raw).toBeLessThanOrEqual(1);
  return g;
}

function diagnose(target: string, type = ActionType.DIAGNOSE): Action {
  return create(ActionSchema, { actionType: type, reasoning: "diagnosis", targetService: target });
}

function runbook(steps: readonly string[], target?: string, type = ActionType.WRITE_RUNBOOK): Action {
  return create(ActionSchema, {
    actionType: type,
    reasoning: "runbook for the incident",
    runbookSteps: [...steps],
    ...(target !== undefined ? { targetService: target } : {}),
  });
}

function postmortem(
  sections: Readonly<Record<PostmortemSectionName, string>>,
  severity?: SeverityWord,
  target?: string,
  type = ActionType.WRITE_POSTMORTEM,
): Action {
  return create(ActionSchema, {
    actionType: type,
    reasoning: "postmortem of the incident",
    postmortemSections: {
      summary: sections.summary,
      rootCause: sections.root_cause,
      timeline: sections.timeline,
      impact: sections.impact,
      actionItems: sections.action_items,
    },
    ...(severity !== undefined ? { severityAssessment: Severity[severity] } : {}),
    ...(target !== undefined ? { targetService: target } : {}),
  });
}

function everySection(text: string): Record<PostmortemSectionName, string> {
  return { summary: text, root_cause: text, timeline: text, impact: text, action_items: text };
}

function honestRunbook(t: ScenarioTemplate, rb: HonestRunbook): Grade {
  return grade(runbookGrader, t, runbook(rb.steps, rb.target));
}

function honestPostmortem(t: ScenarioTemplate, pm: HonestPostmortem): Grade {
  return grade(postmortemGrader, t, postmortem(pm.sections, pm.severity, pm.target));
}

/** Splits into `parts` nearly equal consecutive chunks. */
function chunks<T>(items: readonly T[], parts: number): T[][] {
  const size = Math.ceil(items.length / parts);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function explain(g: Grade): string {
  return `${g.raw}: ${g.components.map((c) => `${c.name}=${c.score.toFixed(2)} (${c.detail})`).join("; ")} ${g.penalties.map((p) => p.detail).join("; ")} ${g.notes.join("; ")}`;
}

describe("honest answers score high", () => {
  describe.each(SCENARIOS.map((s) => [s.id, s] as const))("%s", (_id, t) => {
    const h = honestFor(t);

    it("a correct diagnose scores exactly 1, by name or alias", () => {
      expect(h.diagnose).toBe(t.truth.rootService);
      expect(grade(triageGrader, t, diagnose(h.diagnose)).raw).toBe(1);
      const root = t.services.find((s) => s.name === t.truth.rootService);
      for (const alias of root?.aliases ?? []) expect(grade(triageGrader, t, diagnose(alias)).raw, alias).toBe(1);
    });

    it("a wrong service or a non-diagnose action scores 0 on triage", () => {
      const other = t.services.find((s) => s.name !== t.truth.rootService);
      expect(other).toBeDefined();
      if (other) expect(grade(triageGrader, t, diagnose(other.name)).raw).toBe(0);
      expect(grade(triageGrader, t, diagnose(h.diagnose, ActionType.ESCALATE)).raw).toBe(0);
    });

    it("the honest runbook scores >= 0.8 and its rewording >= 0.7", () => {
      const g = honestRunbook(t, h.runbook);
      expect(g.raw, explain(g)).toBeGreaterThanOrEqual(0.8);
      const alt = honestRunbook(t, h.runbookAlt);
      expect(alt.raw, explain(alt)).toBeGreaterThanOrEqual(0.7);
    });

    it("the honest postmortem scores >= 0.8 and its rewording >= 0.7", () => {
      const g = honestPostmortem(t, h.postmortem);
      expect(h.postmortem.severity).toBe(t.truth.severity);
      expect(g.raw, explain(g)).toBeGreaterThanOrEqual(0.8);
      const alt = honestPostmortem(t, h.postmortemAlt);
      expect(alt.raw, explain(alt)).toBeGreaterThanOrEqual(0.7);
    });

    it("the honest answers recommend nothing harmful and stay on topic", () => {
      for (const rb of [h.runbook, h.runbookAlt]) {
        const g = honestRunbook(t, rb);
        expect(g.penalties, explain(g)).toEqual([]);
        expect(g.notes.filter((n) => n.startsWith("focus")), explain(g)).toEqual([]);
      }
      for (const pm of [h.postmortem, h.postmortemAlt]) {
        const g = honestPostmortem(t, pm);
        expect(g.notes, explain(g)).toEqual([]);
      }
    });

    it("a wrong severity or a wrong target costs points", () => {
      const base = honestPostmortem(t, h.postmortem).raw;
      const wrongSeverity: SeverityWord = t.truth.severity === "P1" ? "P3" : "P4";
      expect(grade(postmortemGrader, t, postmortem(h.postmortem.sections, wrongSeverity, h.postmortem.target)).raw).toBeLessThan(base);
      const other = t.services.find((s) => s.name !== t.truth.rootService)?.name;
      expect(grade(postmortemGrader, t, postmortem(h.postmortem.sections, h.postmortem.severity, other)).raw).toBeLessThan(base);
      expect(grade(runbookGrader, t, runbook(h.runbook.steps, other)).raw).toBeLessThan(honestRunbook(t, h.runbook).raw);
    });
  });
});

describe("cheating policies score low", () => {
  describe.each(SCENARIOS.map((s) => [s.id, s] as const))("%s", (_id, t) => {
    const h = honestFor(t);
    const kbTexts = t.kb.map((a) => a.content);
    const kbSentences = kbTexts.flatMap((c) => c.split(/(?<=[.!?])\s+/));

    it("diagnose 'e' and diagnose every service at once score 0", () => {
      expect(grade(triageGrader, t, diagnose("e")).raw).toBe(0);
      expect(grade(triageGrader, t, diagnose(t.services.map((s) => s.name).join(", "))).raw).toBe(0);
      expect(grade(triageGrader, t, diagnose(t.alert.affectedServices.join(", "))).raw).toBe(0);
    });

    it("the seed's 15 medium keywords in 3 steps score < 0.2, as write_runbook and as resolve", () => {
      const steps = chunks(SEED_MEDIUM_KEYWORDS, 3).map((c) => c.join(" "));
      const g = grade(runbookGrader, t, runbook(steps));
      expect(g.raw, explain(g)).toBeLessThan(CHEAT_BAR);
      expect(grade(runbookGrader, t, runbook(steps, undefined, ActionType.RESOLVE)).raw).toBe(0);
    });

    it("the seed's hard keyword union in every section with P1 scores < 0.2, as write_postmortem and as escalate", () => {
      const sections = everySection(SEED_HARD_KEYWORDS.join(", "));
      const g = grade(postmortemGrader, t, postmortem(sections, "P1"));
      expect(g.raw, explain(g)).toBeLessThan(CHEAT_BAR);
      expect(grade(postmortemGrader, t, postmortem(sections, "P1", undefined, ActionType.ESCALATE)).raw).toBe(0);
    });

    it("a runbook made of every lexicon phrase scores < 0.2, even with the right target", () => {
      const perConcept = CONCEPTS.map((c) => c.phrases.join(", "));
      expect(grade(runbookGrader, t, runbook(perConcept, h.runbook.target)).raw).toBeLessThan(CHEAT_BAR);
      const fifteen = chunks(ALL_PHRASES, 15).map((c) => c.join(", "));
      const g = grade(runbookGrader, t, runbook(fifteen, h.runbook.target));
      expect(g.raw, explain(g)).toBeLessThan(CHEAT_BAR);
    });

    it("a postmortem made of every lexicon phrase scores < 0.2, in any order, even with the right severity and target", () => {
      for (const phrases of [ALL_PHRASES, [...ALL_PHRASES].reverse()]) {
        const g = grade(postmortemGrader, t, postmortem(everySection(phrases.join(", ")), t.truth.severity, h.postmortem.target));
        expect(g.raw, explain(g)).toBeLessThan(CHEAT_BAR);
      }
    });

    it("empty runbooks and empty postmortems score 0", () => {
      expect(grade(runbookGrader, t, runbook([], h.runbook.target)).raw).toBe(0);
      expect(grade(runbookGrader, t, runbook(["", "   "], h.runbook.target)).raw).toBe(0);
      expect(grade(postmortemGrader, t, postmortem(everySection(""), t.truth.severity, h.postmortem.target)).raw).toBe(0);
      const none = create(ActionSchema, { actionType: ActionType.WRITE_POSTMORTEM, reasoning: "x", targetService: h.postmortem.target, severityAssessment: Severity[t.truth.severity] });
      expect(grade(postmortemGrader, t, none).raw).toBe(0);
    });

    it("one giant step of the honest runbook repeated 20 times scores < 0.2", () => {
      const giant = Array.from({ length: 20 }, () => h.runbook.steps.join(" ")).join(" ");
      const g = grade(runbookGrader, t, runbook([giant], h.runbook.target));
      expect(g.raw, explain(g)).toBeLessThan(CHEAT_BAR);
    });

    it("KB articles pasted as the runbook or into every postmortem section score < 0.5 and below honest", () => {
      const honestRb = honestRunbook(t, h.runbook).raw;
      const honestPm = honestPostmortem(t, h.postmortem).raw;
      for (const steps of [kbTexts, kbSentences]) {
        for (const target of [undefined, h.runbook.target]) {
          const g = grade(runbookGrader, t, runbook(steps, target));
          expect(g.raw, explain(g)).toBeLessThan(KB_PASTE_BAR);
          expect(g.raw).toBeLessThan(honestRb);
        }
      }
      for (const target of [undefined, h.postmortem.target]) {
        const g = grade(postmortemGrader, t, postmortem(everySection(kbTexts.join(" ")), t.alert.severity, target));
        expect(g.raw, explain(g)).toBeLessThan(KB_PASTE_BAR);
        expect(g.raw).toBeLessThan(honestPm);
      }
    });

    it("an honest answer written for another incident earns little here", () => {
      for (const other of SCENARIOS) {
        if (other.id === t.id) continue;
        const o = honestFor(other);
        const rb = grade(runbookGrader, t, runbook(o.runbook.steps));
        expect(rb.raw, `${other.id} runbook on ${t.id}: ${explain(rb)}`).toBeLessThan(0.3);
        const pm = grade(postmortemGrader, t, postmortem(o.postmortem.sections, t.truth.severity));
        expect(pm.raw, `${other.id} postmortem on ${t.id}: ${explain(pm)}`).toBeLessThan(0.5);
      }
    });
  });
});

describe("negation in runbook steps", () => {
  const harmfulDbRestart = SCENARIOS.filter(
    (t) => t.runbook.harmful.includes("restart_service") && t.harmfulFixes.some((f) => f.concept === "restart_service" && f.targets.includes("postgres-db")),
  );

  it("applies to at least one scenario", () => {
    expect(harmfulDbRestart.length).toBeGreaterThan(0);
  });

  it.each(harmfulDbRestart.map((t) => [t.id, t] as const))("%s: 'restart the database' is penalised, 'do not restart the database' is not", (_id, t) => {
    const h = honestFor(t);
    const plain = grade(runbookGrader, t, runbook([...h.runbook.steps, "Restart the database."], h.runbook.target));
    expect(plain.penalties.map((p) => p.name)).toContain("harmful_step");
    const negated = grade(runbookGrader, t, runbook([...h.runbook.steps, "Do not restart the database."], h.runbook.target));
    expect(negated.penalties).toEqual([]);
    expect(negated.raw).toBeGreaterThan(plain.raw);
  });
});
