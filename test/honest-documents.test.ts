/**
 * The graders are fair to honest documents written in ordinary SRE wording.
 *
 * Every document of test/fixtures/honest-documents.ts (a runbook of a medium episode or a
 * postmortem of a hard one, written blind to the graders, in many voices) is submitted at the end
 * of its own episode, played the honest way (test/support/honest-play.ts), with its placeholders
 * filled from that episode (test/support/fill-facts.ts). Its component in the final grade must
 * reach 0.85. A failure here is a finding about the grader, not a reason to edit the document
 * (see the fixture's header); the failure message carries the grader's explanation.
 *
 * Where the final grade is read is decided in one place, finalBreakdown in
 * test/support/grade-document.ts.
 */
import { describe, expect, it } from "vitest";
import { IncidentEnvironment } from "../src/env/environment.js";
import { FAULT_KINDS } from "../src/scenarios/faults/index.js";
import { HONEST_DOCUMENTS, type HonestDocumentFixture } from "./fixtures/honest-documents.js";
import { gradeHonestDocument, type DocumentGrade } from "./support/grade-document.js";

const FAIR_SCORE = 0.85;
const env = new IncidentEnvironment({ limits: { maxLiveEpisodes: 10 } });

/** Each document's episode is played once and shared by the tests below. */
const grades = new Map<HonestDocumentFixture, DocumentGrade>();
function gradeOf(doc: HonestDocumentFixture): DocumentGrade {
  let grade = grades.get(doc);
  if (!grade) {
    grade = gradeHonestDocument(env, doc);
    grades.set(doc, grade);
  }
  return grade;
}

function label(doc: HonestDocumentFixture): string {
  return `${doc.fault} ${doc.document} (${doc.level} seed ${doc.seed}; ${doc.voice})`;
}

describe("the honest document corpus", () => {
  it("has a medium runbook and a hard postmortem for every fault kind, each on its own episode", () => {
    for (const kind of FAULT_KINDS) {
      const docs = HONEST_DOCUMENTS.filter((d) => d.fault === kind);
      expect(
        docs.some((d) => d.document === "runbook" && d.level === "medium"),
        kind,
      ).toBe(true);
      expect(
        docs.some((d) => d.document === "postmortem" && d.level === "hard"),
        kind,
      ).toBe(true);
    }
    const episodes = HONEST_DOCUMENTS.map((d) => `${d.fault}/${d.level}/${d.seed}`);
    expect(new Set(episodes).size).toBe(episodes.length);
  });

  it("stays within the action's limits (30 steps of 500 characters, sections of 4000)", () => {
    for (const doc of HONEST_DOCUMENTS) {
      if (doc.document === "runbook") {
        expect(doc.runbook_steps.length, label(doc)).toBeGreaterThanOrEqual(3);
        expect(doc.runbook_steps.length, label(doc)).toBeLessThanOrEqual(30);
        for (const step of doc.runbook_steps) expect(step.length, `${label(doc)}: ${step.slice(0, 60)}`).toBeLessThanOrEqual(500);
      } else {
        for (const [name, text] of Object.entries(doc.postmortem_sections))
          expect(text.length, `${label(doc)} ${name}`).toBeLessThanOrEqual(4000);
      }
    }
  });
});

describe.each(HONEST_DOCUMENTS.map((doc) => [label(doc), doc] as const))("%s", (_, doc) => {
  it("fills from its episode, which the honest play heals, and names its root", () => {
    const grade = gradeOf(doc);
    expect(doc.target_service).toBe(grade.root);
    expect(grade.healthHeld, grade.breakdownText).toBe(true);
    expect(grade.filled).not.toMatch(/\{[a-z][a-z0-9:+\-._]*\}/);
  });

  it(`earns at least ${FAIR_SCORE} on its ${doc.document} component`, () => {
    const grade = gradeOf(doc);
    const why = `${grade.breakdownText}\n--- document as submitted ---\n${grade.filled}`;
    expect(grade.component, why).toBeDefined();
    expect(grade.component ?? 0, why).toBeGreaterThanOrEqual(FAIR_SCORE);
  });
});
