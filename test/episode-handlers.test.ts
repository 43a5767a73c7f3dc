/**
 * Episode.act dispatches through one handler per action type (Episode.ACTION_HANDLERS, a Record
 * over ActionType that the compiler checks for completeness); a number outside the enum does nothing.
 */
import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { ActionSchema } from "../gen/incident/v1/action_pb.js";
import { ActionType, TaskLevel } from "../gen/incident/v1/enums_pb.js";
import { ResetRequestSchema, StepRequestSchema } from "../gen/incident/v1/service_pb.js";
import { Episode } from "../src/env/episode.js";
import { IncidentEnvironment } from "../src/env/environment.js";
import { enumValues } from "../src/sim/enum-words.js";

const UNKNOWN = "Unknown action; nothing happened.";

function feedbackOf(actionType: number): string {
  const env = new IncidentEnvironment();
  const reset = env.reset(create(ResetRequestSchema, { taskLevel: TaskLevel.HARD, seed: 3, episodeId: "h" }));
  const service = reset.observation?.topology?.services[0]?.name ?? "";
  const step = env.step(
    create(StepRequestSchema, {
      episodeId: "h",
      action: create(ActionSchema, { actionType, targetService: service, reasoning: "restart it" }),
    }),
  );
  return step.observation?.feedback ?? "";
}

describe("action handlers", () => {
  it("every action type of the proto has its handler", () => {
    const handlers = Episode["ACTION_HANDLERS"];
    expect(Object.keys(handlers).map(Number).sort()).toEqual([ActionType.UNSPECIFIED, ...enumValues(ActionType)].sort());
  });

  it.each(enumValues(ActionType).map((type) => [ActionType[type], type] as const))("%s is carried out", (_name, type) => {
    expect(feedbackOf(type)).not.toBe(UNKNOWN);
  });

  it("unspecified and unknown action types do nothing", () => {
    expect(feedbackOf(ActionType.UNSPECIFIED)).toBe(UNKNOWN);
    expect(feedbackOf(99)).toBe(UNKNOWN);
  });
});
