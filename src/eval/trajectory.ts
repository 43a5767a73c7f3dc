/**
 * Trajectory files: JSON Lines, one episode per line, with everything needed to replay it and to
 * check the replay: the reset request, every observation, action, reward, done flag and grade
 * (StepInfo with its breakdown). Messages are written in the REST JSON dialect of the server
 * (src/json/rest-json.ts; the JSON Schemas of GET /schema describe them).
 *
 *   {"format": "incident-env-trajectory/1", "agent": "heuristic", "task": "easy", "seed": 3,
 *    "episode_id": "...", "scenario_id": "gen-easy-3", "fault": "process_crash",
 *    "reset": {ResetRequest}, "observation": {Observation after reset},
 *    "steps": [{"action": {Action}, "reward": 0.25, "done": false, "info": {StepInfo},
 *               "observation": {Observation}}, ...],
 *    "score": 1, "status": "terminated_success", "truncated": false}
 */
import { toRestJson } from "../json/rest-json.js";
import type { JsonObject } from "@bufbuild/protobuf";
import { ActionSchema, type Action } from "../../gen/incident/v1/action_pb.js";
import { StepInfoSchema } from "../../gen/incident/v1/episode_pb.js";
import { ObservationSchema, type Observation } from "../../gen/incident/v1/observation_pb.js";
import { ResetRequestSchema, type ResetRequest, type StepResponse } from "../../gen/incident/v1/service_pb.js";
import { create } from "@bufbuild/protobuf";
import { TRAJECTORY_FORMAT, type TrajectoryRecord, type TrajectoryStepRecord } from "./trajectory-format.js";

type TrajectoryStep = TrajectoryStepRecord<JsonObject, JsonObject, JsonObject>;
export type Trajectory = TrajectoryRecord<JsonObject, JsonObject, JsonObject>;

export function newTrajectory(agent: string, task: string, seed: number, reset: ResetRequest): Trajectory {
  return {
    format: TRAJECTORY_FORMAT,
    agent,
    task,
    seed,
    episode_id: reset.episodeId ?? "",
    scenario_id: "",
    fault: "",
    reset: toRestJson(ResetRequestSchema, reset),
    observation: null,
    steps: [],
    score: 0,
    status: "running",
    truncated: false,
  };
}

export function observationJson(observation: Observation | undefined): JsonObject {
  return toRestJson(ObservationSchema, observation ?? create(ObservationSchema));
}

export function stepJson(action: Action, response: StepResponse): TrajectoryStep {
  return {
    action: toRestJson(ActionSchema, action),
    reward: response.reward,
    done: response.done,
    info: toRestJson(StepInfoSchema, response.info ?? create(StepInfoSchema)),
    observation: observationJson(response.observation),
  };
}

/** Parses one line of a trajectory file; throws with the line number on anything malformed. */
export function parseTrajectoryLine(line: string, lineNumber: number): Trajectory {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (e) {
    throw new Error(`line ${lineNumber}: not JSON (${e instanceof Error ? e.message : String(e)})`, { cause: e });
  }
  const t = json as Partial<Trajectory>;
  if (typeof t !== "object" || t === null || t.format !== TRAJECTORY_FORMAT) {
    throw new Error(
      `line ${lineNumber}: not an ${TRAJECTORY_FORMAT} record (format is ${JSON.stringify((t as { format?: unknown } | null)?.format)})`,
    );
  }
  if (typeof t.reset !== "object" || t.reset === null || !Array.isArray(t.steps))
    throw new Error(`line ${lineNumber}: missing reset or steps`);
  return t as Trajectory;
}
