/**
 * Property: the same seed and the same actions give byte-identical trajectories (observations,
 * rewards, grades), whatever the level, the seed and the actions.
 */
import { create, toBinary } from "@bufbuild/protobuf";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ActionSchema } from "../gen/incident/v1/action_pb.js";
import { ActionType, FaultKind, RemediationKind, Severity, TaskLevel } from "../gen/incident/v1/enums_pb.js";
import { ResetRequestSchema, ResetResponseSchema, StepRequestSchema, StepResponseSchema } from "../gen/incident/v1/service_pb.js";
import { IncidentEnvironment } from "../src/env/environment.js";
import { enumValues } from "../src/sim/enum-words.js";

interface Move {
  type: ActionType;
  target: number;
  remediation: RemediationKind;
  fault: FaultKind;
  severity: Severity;
  words: string[];
}

// Every value of each enum (from the generated code), so a new action, fault or fix is played
// without editing this file.
const move = fc.record({
  type: fc.constantFrom(...enumValues(ActionType)),
  target: fc.nat(60),
  remediation: fc.constantFrom(...enumValues(RemediationKind)),
  fault: fc.constantFrom(...enumValues(FaultKind)),
  severity: fc.constantFrom(...enumValues(Severity)),
  words: fc.array(fc.constantFrom("restart", "rollback", "database", "error", "latency", "pool", "deploy", "cache", "at", "10:05", "42%"), {
    maxLength: 12,
  }),
});

function play(level: TaskLevel, seed: number, moves: readonly Move[]): Uint8Array[] {
  const env = new IncidentEnvironment();
  const reset = env.reset(create(ResetRequestSchema, { taskLevel: level, seed, episodeId: "prop" }));
  const names = reset.observation?.topology?.services.map((s) => s.name) ?? [];
  const out = [toBinary(ResetResponseSchema, reset)];
  for (const m of moves) {
    const text = m.words.join(" ");
    const action = create(ActionSchema, {
      actionType: m.type,
      targetService: names[m.target % Math.max(1, names.length)] ?? "none",
      reasoning: text,
      remediation: { kind: m.remediation },
      faultKind: m.fault,
      severityAssessment: m.severity,
      runbookSteps: m.type === ActionType.WRITE_RUNBOOK ? [text, text.split(" ").reverse().join(" ")] : [],
      ...(m.type === ActionType.WRITE_POSTMORTEM
        ? { postmortemSections: { summary: text, timeline: text, rootCause: text, impact: text, actionItems: text } }
        : {}),
    });
    const step = env.step(create(StepRequestSchema, { episodeId: "prop", action }));
    out.push(toBinary(StepResponseSchema, step));
    if (step.done) break;
  }
  return out;
}

describe("determinism (property)", () => {
  it("same seed + same actions -> byte-identical responses", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...enumValues(TaskLevel)),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.array(move, { minLength: 1, maxLength: 10 }),
        (level, seed, moves) => {
          const first = play(level, seed, moves);
          const second = play(level, seed, moves);
          expect(second.length).toBe(first.length);
          first.forEach((bytes, i) => expect(Buffer.from(second[i] ?? new Uint8Array()).equals(Buffer.from(bytes))).toBe(true));
        },
      ),
      { numRuns: 40, seed: 20261125 },
    );
  }, 120_000);
});
