/**
 * Replays trajectory files in process: each episode is reset from its recorded reset request and
 * its recorded actions are taken again; every reward, done flag, grade (StepInfo with its
 * breakdown) and observation must come out byte-identical to the recorded JSON.
 */
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { createGunzip } from "node:zlib";
import { ActionSchema } from "../../gen/incident/v1/action_pb.js";
import { StepInfoSchema } from "../../gen/incident/v1/episode_pb.js";
import { ObservationSchema } from "../../gen/incident/v1/observation_pb.js";
import { CloseEpisodeRequestSchema, ResetRequestSchema, StepRequestSchema } from "../../gen/incident/v1/service_pb.js";
import { create } from "@bufbuild/protobuf";
import { IncidentEnvironment } from "../env/environment.js";
import { fromRestJson, toRestJson } from "../json/rest-json.js";
import { parseTrajectoryLine, type Trajectory } from "./trajectory.js";

interface ReplayMismatch {
  line: number;
  episodeId: string;
  /** 0 for the reset, else the step number. */
  step: number;
  field: "observation" | "reward" | "done" | "info" | "error" | "length";
  recorded: string;
  replayed: string;
}

interface ReplaySummary {
  episodes: number;
  steps: number;
  mismatches: ReplayMismatch[];
  /** Episodes recorded with an error (they are replayed up to where they stopped). */
  erroredEpisodes: number;
}

const clip = (text: string): string => (text.length > 300 ? `${text.slice(0, 300)}...` : text);

/** Replays one recorded episode; returns what differed. */
function replayTrajectory(env: IncidentEnvironment, t: Trajectory, line: number): { steps: number; mismatches: ReplayMismatch[] } {
  const mismatches: ReplayMismatch[] = [];
  const note = (step: number, field: ReplayMismatch["field"], recorded: unknown, replayed: unknown): void => {
    mismatches.push({
      line,
      episodeId: t.episode_id,
      step,
      field,
      recorded: clip(JSON.stringify(recorded)),
      replayed: clip(JSON.stringify(replayed)),
    });
  };
  const reset = fromRestJson(ResetRequestSchema, t.reset);
  let start;
  try {
    start = env.reset(reset);
  } catch (e) {
    note(0, "error", "a reset", e instanceof Error ? e.message : String(e));
    return { steps: 0, mismatches };
  }
  const episodeId = start.episodeId;
  if (t.observation !== null) {
    const observation = toRestJson(ObservationSchema, start.observation ?? create(ObservationSchema));
    if (JSON.stringify(observation) !== JSON.stringify(t.observation)) note(0, "observation", t.observation, observation);
  }
  let steps = 0;
  for (const [i, recorded] of t.steps.entries()) {
    const n = i + 1;
    let response;
    try {
      response = env.step(create(StepRequestSchema, { episodeId, action: fromRestJson(ActionSchema, recorded.action) }));
    } catch (e) {
      note(n, "error", "a step", e instanceof Error ? e.message : String(e));
      break;
    }
    steps++;
    if (response.reward !== recorded.reward) note(n, "reward", recorded.reward, response.reward);
    if (response.done !== recorded.done) note(n, "done", recorded.done, response.done);
    const info = toRestJson(StepInfoSchema, response.info ?? create(StepInfoSchema));
    if (JSON.stringify(info) !== JSON.stringify(recorded.info)) note(n, "info", recorded.info, info);
    const observation = toRestJson(ObservationSchema, response.observation ?? create(ObservationSchema));
    if (JSON.stringify(observation) !== JSON.stringify(recorded.observation)) note(n, "observation", recorded.observation, observation);
    if (response.done && n < t.steps.length) {
      note(n, "length", `${t.steps.length} steps`, `done after ${n}`);
      break;
    }
  }
  const total = t.steps.reduce((sum, s) => sum + s.reward, 0);
  if (t.error === undefined && Math.abs(total - t.score) > 1e-6 && t.steps.length > 0)
    note(t.steps.length, "reward", `score ${t.score}`, `rewards sum to ${total}`);
  try {
    env.closeEpisode(create(CloseEpisodeRequestSchema, { episodeId }));
  } catch {
    // already gone
  }
  return { steps, mismatches };
}

/** Replays every episode of a JSONL trajectory file. */
export async function replayFile(path: string, onEpisode?: (done: number) => void): Promise<ReplaySummary> {
  const env = new IncidentEnvironment({ limits: { maxLiveEpisodes: 100 } });
  const summary: ReplaySummary = { episodes: 0, steps: 0, mismatches: [], erroredEpisodes: 0 };
  const raw = createReadStream(path);
  const input = path.endsWith(".gz") ? raw.pipe(createGunzip()) : raw;
  raw.on("error", (e) => input.destroy(e));
  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNumber = 0;
  for await (const text of lines) {
    lineNumber++;
    if (text.trim() === "") continue;
    const t = parseTrajectoryLine(text, lineNumber);
    const result = replayTrajectory(env, t, lineNumber);
    summary.episodes++;
    summary.steps += result.steps;
    if (t.error !== undefined) summary.erroredEpisodes++;
    summary.mismatches.push(...result.mismatches);
    onEpisode?.(summary.episodes);
  }
  return summary;
}
