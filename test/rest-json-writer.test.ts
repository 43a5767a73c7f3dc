/**
 * The compiled REST JSON writer (src/json/rest-json-writer.ts) writes exactly what the dialect's
 * reference derivation writes (test/support/rest-json-reference.ts: protobuf-es's proto JSON, then
 * names and enum words rewritten), byte for byte: for arbitrary messages of every type in the API,
 * and for the responses of real episodes at every level, with every kind of action.
 */
import { create, type DescMessage } from "@bufbuild/protobuf";
import { nestedTypes } from "@bufbuild/protobuf/reflect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { file_incident_v1_action } from "../gen/incident/v1/action_pb.js";
import { file_incident_v1_catalog } from "../gen/incident/v1/catalog_pb.js";
import { ActionType, TaskLevel } from "../gen/incident/v1/enums_pb.js";
import { file_incident_v1_episode } from "../gen/incident/v1/episode_pb.js";
import { file_incident_v1_inspection } from "../gen/incident/v1/inspection_pb.js";
import { file_incident_v1_observation } from "../gen/incident/v1/observation_pb.js";
import {
  GetStateRequestSchema,
  GetStateResponseSchema,
  ResetRequestSchema,
  ResetResponseSchema,
  StepRequestSchema,
  StepResponseSchema,
  file_incident_v1_service,
} from "../gen/incident/v1/service_pb.js";
import { file_incident_v1_stream } from "../gen/incident/v1/stream_pb.js";
import { file_incident_v1_task } from "../gen/incident/v1/task_pb.js";
import { file_incident_v1_telemetry } from "../gen/incident/v1/telemetry_pb.js";
import { file_incident_v1_topology } from "../gen/incident/v1/topology_pb.js";
import { IncidentEnvironment } from "../src/env/environment.js";
import { toRestJson } from "../src/json/rest-json.js";
import { numberText, restJsonText, stringText } from "../src/json/rest-json-text.js";
import { messageArbitrary } from "./support/arbitrary-message.js";
import { referenceRestJson } from "./support/rest-json-reference.js";

const FILES = [
  file_incident_v1_action,
  file_incident_v1_catalog,
  file_incident_v1_episode,
  file_incident_v1_inspection,
  file_incident_v1_observation,
  file_incident_v1_service,
  file_incident_v1_stream,
  file_incident_v1_task,
  file_incident_v1_telemetry,
  file_incident_v1_topology,
];

const MESSAGES: DescMessage[] = FILES.flatMap((file) => [...nestedTypes(file)].filter((t): t is DescMessage => t.kind === "message"));

/** The JSON text, or that the message has no JSON form (NaN in a google.protobuf.Value, say): both writers must refuse it. */
function outcome(write: () => unknown): string {
  try {
    return JSON.stringify(write());
  } catch {
    return "(no JSON form)";
  }
}
const written = (desc: DescMessage, message: object): string => outcome(() => toRestJson(desc, message as never));
const reference = (desc: DescMessage, message: object): string => outcome(() => referenceRestJson(desc, message as never));
/** The text writer's output, or that it refused the message: it must agree with the object writer, stringified. */
function writtenAsText(desc: DescMessage, message: object): string {
  try {
    return restJsonText(desc, message);
  } catch {
    return "(no JSON form)";
  }
}

describe("the compiled REST JSON writers (object and text)", () => {
  it("covers every message type of the API", () => {
    expect(MESSAGES.length).toBeGreaterThan(60);
    expect(MESSAGES.map((m) => m.typeName)).toContain("incident.v1.Observation");
  });

  it.each(MESSAGES.map((desc) => [desc.typeName, desc] as const))(
    "%s: arbitrary messages are written as the reference writes them",
    (_, desc) => {
      expect(written(desc, create(desc))).toBe(reference(desc, create(desc)));
      expect(writtenAsText(desc, create(desc))).toBe(written(desc, create(desc)));
      fc.assert(
        fc.property(messageArbitrary(desc, { depth: 3 }), (message) => {
          const text = written(desc, message);
          expect(text).toBe(reference(desc, message));
          expect(writtenAsText(desc, message)).toBe(text);
        }),
        { numRuns: 60, seed: 20261202 },
      );
    },
  );

  it("writes the responses of real episodes, at every level and after every kind of action, as the reference does", () => {
    const env = new IncidentEnvironment({ limits: { maxLiveEpisodes: 8 } });
    const levels = [TaskLevel.EASY, TaskLevel.MEDIUM, TaskLevel.HARD, TaskLevel.EXPERT];
    const actions = [
      ActionType.INSPECT,
      ActionType.INSPECT,
      ActionType.DIAGNOSE,
      ActionType.APPLY_FIX,
      ActionType.ESCALATE,
      ActionType.WRITE_RUNBOOK,
      ActionType.WRITE_POSTMORTEM,
      ActionType.RESOLVE,
    ];
    let compared = 0;
    const same = (desc: DescMessage, message: object): void => {
      const text = written(desc, message);
      expect(text).not.toBe("(no JSON form)");
      expect(text).toBe(reference(desc, message));
      expect(writtenAsText(desc, message)).toBe(text);
    };
    for (const taskLevel of levels) {
      for (let seed = 1; seed <= 6; seed++) {
        const episodeId = `writer-${taskLevel}-${seed}`;
        const reset = env.reset(create(ResetRequestSchema, { taskLevel, seed, episodeId, text: seed % 2 === 0 }));
        same(ResetResponseSchema, reset);
        const services = reset.observation?.topology?.services.map((s) => s.name) ?? [];
        for (const [i, actionType] of actions.entries()) {
          const step = env.step(
            create(StepRequestSchema, {
              episodeId,
              action: {
                actionType,
                targetService: services[(seed + i) % services.length] ?? "",
                reasoning: "the pool is exhausted",
                remediation: { kind: 1 + ((seed + i) % 14), parameters: { replicas: "4" } },
                runbookSteps: ["check the pool", "restart the service"],
                postmortemSections: { summary: "pool exhausted", rootCause: "a leak" },
              },
            }),
          );
          same(StepResponseSchema, step);
          compared++;
          if (step.done) break;
        }
        const state = env.getState(create(GetStateRequestSchema, { episodeId }));
        same(GetStateResponseSchema, state);
      }
    }
    expect(compared).toBeGreaterThan(100);
  });
});

describe("the text writer's numbers and strings", () => {
  const decimals = fc
    .tuple(fc.integer({ min: -2_000_000_000_000, max: 2_000_000_000_000 }), fc.integer({ min: 0, max: 6 }))
    .map(([n, k]) => n / 10 ** k);
  const edges = [
    0,
    -0,
    0.1,
    -0.1,
    0.05,
    0.25,
    0.29,
    1.005,
    2.675,
    1e-7,
    -1e-7,
    1e21,
    1.5e21,
    2147483647.5,
    2147483648.5,
    2 ** 53 + 0.5,
    Number.MAX_VALUE,
    Number.MIN_VALUE,
    Number.EPSILON,
  ];

  it("writes every finite number exactly as JSON.stringify does", () => {
    for (const n of edges) expect(numberText(n)).toBe(JSON.stringify(n));
    fc.assert(
      fc.property(fc.oneof(decimals, fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer()), (n) => {
        expect(numberText(n)).toBe(JSON.stringify(n));
      }),
      { numRuns: 200_000, seed: 20261203 },
    );
  });

  it("writes every string exactly as JSON.stringify does: escapes, control characters, lone surrogates", () => {
    for (const s of [
      "",
      "plain",
      'a "quote"',
      "back\\slash",
      "tab\tnew\nline",
      "\u0000\u001f\u007f",
      "\u2028\u2029",
      "\ud83d\ude00",
      "\ud800",
      "x\udfff",
    ]) {
      expect(stringText(s)).toBe(JSON.stringify(s));
    }
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.string({ unit: "grapheme-composite" })), (s) => {
        expect(stringText(s)).toBe(JSON.stringify(s));
      }),
      { numRuns: 20_000, seed: 20261203 },
    );
  });
});
