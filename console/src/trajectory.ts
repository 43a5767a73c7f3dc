/**
 * Trajectories in the evaluation CLI's JSONL format (src/eval/trajectory.ts, docs/evaluation.md):
 * one episode per line with its reset request, every observation, action, reward, done flag and
 * StepInfo, as the server's REST JSON returned them, so `incident-env replay` reproduces them byte
 * for byte. The console records the episodes a person plays, and reads files for replay mode.
 */
import type { EpisodeState, Observation, StepInfo } from "./model.js";
import { TRAJECTORY_FORMAT, type TrajectoryRecord } from "../../src/eval/trajectory-format.js";

export type Trajectory = TrajectoryRecord<Record<string, unknown>, Observation, StepInfo>;

export interface StepResponse {
  observation: Observation;
  reward: number;
  done: boolean;
  info: StepInfo;
  episode_id: string;
}

/** Where a tab keeps its recordings, so that a reload of the page keeps playing and recording. */
const STORAGE_PREFIX = "incident-console-recording:";

/** Records one episode a person plays in the console. */
export class Recorder {
  readonly trajectory: Trajectory;

  /** The recording of an episode this tab started, if it kept one. */
  static restore(episodeId: string): Recorder | undefined {
    const text = sessionStorage.getItem(STORAGE_PREFIX + episodeId);
    if (text === null) return undefined;
    try {
      const [trajectory] = parseTrajectories(text);
      return trajectory ? new Recorder(trajectory) : undefined;
    } catch {
      return undefined;
    }
  }

  /** A new recording: `reset` is the request as sent, completed with the seed the server chose (state.seed). */
  static start(reset: Record<string, unknown>, observation: Observation, state: EpisodeState): Recorder {
    const recorder = new Recorder({
      format: TRAJECTORY_FORMAT,
      agent: "human",
      task: state.task_level,
      seed: state.seed,
      episode_id: state.episode_id,
      scenario_id: state.scenario_id,
      // The fault is the hidden answer: the console never learns it.
      fault: "",
      reset: { ...reset, seed: state.seed },
      observation,
      steps: [],
      score: 0,
      status: state.status,
      truncated: false,
    });
    recorder.save();
    return recorder;
  }

  private constructor(trajectory: Trajectory) {
    this.trajectory = trajectory;
  }

  /** Keeps the recording in the tab's sessionStorage; a recording too large for it lives on in memory only. */
  private save(): void {
    try {
      sessionStorage.setItem(STORAGE_PREFIX + this.trajectory.episode_id, this.text());
    } catch {
      // quota exceeded: the download still has everything
    }
  }

  step(action: Record<string, unknown>, response: StepResponse): void {
    this.trajectory.steps.push({
      action,
      reward: response.reward,
      done: response.done,
      info: response.info,
      observation: response.observation,
    });
    this.trajectory.score = this.trajectory.steps.reduce((sum, s) => sum + s.reward, 0);
    this.trajectory.status = response.info.status;
    this.trajectory.truncated = response.info.truncated;
    this.save();
  }

  get done(): boolean {
    return this.trajectory.steps.some((s) => s.done);
  }

  /** The JSONL text of the file (one line). */
  text(): string {
    return `${JSON.stringify(this.trajectory)}\n`;
  }
}

/** The episodes of a JSONL file; throws with the line number on anything that is not a trajectory. */
export function parseTrajectories(text: string): Trajectory[] {
  const out: Trajectory[] = [];
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (e) {
      throw new Error(`line ${i + 1}: not JSON (${e instanceof Error ? e.message : String(e)})`, { cause: e });
    }
    const t = json as Partial<Trajectory> | null;
    if (typeof t !== "object" || t === null || t.format !== TRAJECTORY_FORMAT || !Array.isArray(t.steps))
      throw new Error(`line ${i + 1}: not an ${TRAJECTORY_FORMAT} record`);
    out.push(t as Trajectory);
  });
  if (out.length === 0) throw new Error("the file holds no trajectory");
  return out;
}

/** Offers text as a file download. */
export function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: "application/x-ndjson" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
