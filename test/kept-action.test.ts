/**
 * keptAction copies an action field by field: it must equal what decoding encodeKeptAction's bytes
 * gives (an episode rebuilt from the store, or woken from sleep, reads those), in value and in the
 * order its fields are set, for actions of every shape: metadata and unknown fields dropped,
 * optional fields set and unset, empty sub-messages, and text JSON may carry but UTF-8 cannot.
 */
import { create, fromBinary, toBinary, type MessageInitShape } from "@bufbuild/protobuf";
import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import { describe, expect, it } from "vitest";
import { ActionSchema, type Action } from "../gen/incident/v1/action_pb.js";
import { ActionType, FaultKind, RemediationKind, Severity } from "../gen/incident/v1/enums_pb.js";
import { encodeKeptAction, keptAction } from "../src/env/kept-action.js";
import { Rng } from "../src/sim/prng.js";

const LONE = "cause: \ud800 pool \udfff end";

/** Whatever the bytes give: the reference keptAction must match. */
function throughBytes(action: Action): Action {
  return fromBinary(ActionSchema, encodeKeptAction(action));
}

function withUnknownField(action: Action): Action {
  const bytes = new BinaryWriter().tag(99, WireType.LengthDelimited).string("client data").finish();
  const parsed = fromBinary(ActionSchema, new Uint8Array([...toBinary(ActionSchema, action), ...bytes]));
  expect(parsed.$unknown?.length).toBe(1);
  return parsed;
}

const SHAPES: Array<MessageInitShape<typeof ActionSchema>> = [
  {},
  { actionType: ActionType.INSPECT, targetService: "orders", reasoning: "looking" },
  { actionType: ActionType.INSPECT, targetService: "" },
  { actionType: ActionType.WRITE_RUNBOOK, runbookSteps: ["check the pool", LONE, ""] },
  { actionType: ActionType.DIAGNOSE, reasoning: LONE, severityAssessment: Severity.P2, faultKind: FaultKind.UNSPECIFIED },
  { actionType: ActionType.APPLY_FIX, remediation: {} },
  { actionType: ActionType.APPLY_FIX, remediation: { kind: RemediationKind.ROLLBACK, parameters: { version: "v1", [LONE]: LONE } } },
  { actionType: ActionType.WRITE_POSTMORTEM, postmortemSections: {} },
  { actionType: ActionType.WRITE_POSTMORTEM, postmortemSections: { summary: "s", rootCause: LONE, lessonsLearned: "l" } },
  { actionType: ActionType.ESCALATE, metadata: { trace: "x".repeat(1000), nested: { n: 1 } } },
];

function expectSame(action: Action): void {
  const kept = keptAction(action);
  const reference = throughBytes(action);
  expect(kept).toStrictEqual(reference);
  // Set in the same order: an object's key order shows wherever it is walked (JSON.stringify).
  expect(JSON.stringify(kept, (_, v: unknown) => (typeof v === "bigint" ? String(v) : v))).toBe(
    JSON.stringify(reference, (_, v: unknown) => (typeof v === "bigint" ? String(v) : v)),
  );
  expect(kept.metadata).toBeUndefined();
  expect(kept.$unknown).toBeUndefined();
}

describe("keptAction", () => {
  it("equals the action decoded from its kept bytes, for every shape", () => {
    for (const shape of SHAPES) {
      expectSame(create(ActionSchema, shape));
      expectSame(withUnknownField(create(ActionSchema, shape)));
    }
  });

  it("equals the decoded action for 500 random actions", () => {
    const rng = new Rng(7);
    const text = (): string => rng.pick(["", "pool", LONE, "ünïcödé 🚨", "\udc00"]);
    for (let i = 0; i < 500; i++) {
      const shape: MessageInitShape<typeof ActionSchema> = {
        actionType: rng.int(0, 9),
        reasoning: text(),
        runbookSteps: rng.chance(0.3) ? [text(), text()] : [],
        ...(rng.chance(0.5) ? { targetService: text() } : {}),
        ...(rng.chance(0.3) ? { severityAssessment: rng.int(0, 4) } : {}),
        ...(rng.chance(0.3) ? { postmortemSections: { summary: text(), timeline: text(), impact: text() } } : {}),
        ...(rng.chance(0.3)
          ? { remediation: { kind: rng.int(0, 14), parameters: rng.chance(0.5) ? { [text() || "k"]: text() } : {} } }
          : {}),
        ...(rng.chance(0.3) ? { faultKind: rng.int(0, 18) } : {}),
        ...(rng.chance(0.3) ? { metadata: { note: text() } } : {}),
      };
      const action = create(ActionSchema, shape);
      expectSame(rng.chance(0.3) ? withUnknownField(action) : action);
    }
  });

  it("is a copy: changing the sent action afterwards leaves the kept one as it was", () => {
    const sent = create(ActionSchema, {
      actionType: ActionType.APPLY_FIX,
      runbookSteps: ["a"],
      remediation: { kind: RemediationKind.ROLLBACK, parameters: { version: "v1" } },
      postmortemSections: { summary: "s" },
    });
    const kept = keptAction(sent);
    sent.runbookSteps.push("b");
    (sent.remediation as NonNullable<Action["remediation"]>).parameters.version = "v2";
    (sent.postmortemSections as NonNullable<Action["postmortemSections"]>).summary = "changed";
    expect(kept.runbookSteps).toEqual(["a"]);
    expect(kept.remediation?.parameters).toEqual({ version: "v1" });
    expect(kept.postmortemSections?.summary).toBe("s");
  });
});
