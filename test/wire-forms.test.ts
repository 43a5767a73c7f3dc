/**
 * The forms a worker thread hands responses over in (src/env/wire-forms.ts): the UTF-8 bytes of the
 * REST JSON and of the OpenEnv observation message are exactly the texts' encodings, outside ASCII
 * too, and own their buffers, so that a worker can transfer them to the server thread instead of
 * copying them; no other form is ever transferred.
 */
import { create, toBinary } from "@bufbuild/protobuf";
import { MessageChannel } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { ActionType, TaskLevel } from "../gen/incident/v1/enums_pb.js";
import { ResetRequestSchema, ResetResponseSchema, StepRequestSchema, StepResponseSchema } from "../gen/incident/v1/service_pb.js";
import { IncidentEnvironment } from "../src/env/environment.js";
import { encodeAs, transferables } from "../src/env/wire-forms.js";
import { openEnvObservationText } from "../src/json/openenv-observation.js";

/** A reset and a step whose reasoning (echoed in previous_actions) is outside ASCII. */
function responses(): { reset: ReturnType<IncidentEnvironment["reset"]>; step: ReturnType<IncidentEnvironment["step"]> } {
  const env = new IncidentEnvironment({});
  const reset = env.reset(create(ResetRequestSchema, { taskLevel: TaskLevel.MEDIUM, seed: 12, episodeId: "utf8" }));
  const target = reset.observation?.topology?.services[0]?.name ?? "";
  const step = env.step(
    create(StepRequestSchema, {
      episodeId: "utf8",
      action: { actionType: ActionType.DIAGNOSE, targetService: target, reasoning: "Überlast, 过载 🔥 \u2028" },
    }),
  );
  return { reset, step };
}

describe("wire forms", () => {
  it("gives the REST JSON text's UTF-8 encoding, in a buffer of its own", () => {
    const { reset, step } = responses();
    for (const [desc, message] of [
      [ResetResponseSchema, reset],
      [StepResponseSchema, step],
    ] as const) {
      const text = encodeAs(desc, message as never, "rest-json");
      const bytes = encodeAs(desc, message as never, "rest-json-utf8");
      expect(Buffer.from(bytes).equals(Buffer.from(text, "utf8"))).toBe(true);
      expect(bytes.byteOffset).toBe(0);
      expect(bytes.buffer.byteLength).toBe(bytes.byteLength);
    }
    expect(encodeAs(StepResponseSchema, step, "rest-json")).toContain("Überlast, 过载 🔥");
  });

  it("gives the OpenEnv observation message's UTF-8 encoding, in a buffer of its own", () => {
    const { reset, step } = responses();
    const observed = [
      [encodeAs(ResetResponseSchema, reset, "openenv-observation-utf8"), openEnvObservationText(reset.observation, null, reset.done)],
      [encodeAs(StepResponseSchema, step, "openenv-observation-utf8"), openEnvObservationText(step.observation, step.reward, step.done)],
    ] as const;
    for (const [bytes, text] of observed) {
      expect(Buffer.from(bytes).equals(Buffer.from(text, "utf8"))).toBe(true);
      expect(bytes.buffer.byteLength).toBe(bytes.byteLength);
      expect(transferables("openenv-observation-utf8", [bytes])).toEqual([bytes.buffer]);
    }
    expect(observed[1][1]).toContain("Überlast, 过载 🔥");
  });

  it("transfers only the UTF-8 form's buffers, which then arrive intact and leave the sender", async () => {
    const { step } = responses();
    const bytes = encodeAs(StepResponseSchema, step, "rest-json-utf8");
    const expected = Buffer.from(bytes);
    expect(transferables("rest-json", [encodeAs(StepResponseSchema, step, "rest-json")])).toEqual([]);
    expect(transferables("binary", [toBinary(StepResponseSchema, step)])).toEqual([]);
    expect(transferables("rest-json-utf8", [bytes, undefined])).toEqual([bytes.buffer]);

    const { port1, port2 } = new MessageChannel();
    const received = new Promise<Uint8Array>((resolve) => port2.once("message", (message: { body: Uint8Array }) => resolve(message.body)));
    port1.postMessage({ body: bytes }, transferables("rest-json-utf8", [bytes]));
    const arrived = await received;
    port1.close();
    expect(bytes.byteLength).toBe(0); // moved, not copied
    expect(Buffer.from(arrived).equals(expected)).toBe(true);
  });
});
