/**
 * The shape of one line of a trajectory file (JSON Lines, one episode per line), shared by the
 * evaluation CLI (src/eval/trajectory.ts) and the console (console/src/trajectory.ts), which
 * records human demonstrations that `incident-env replay` must read. No runtime imports: the
 * console's bundle takes it as it is.
 *
 * The type parameters say how each side types the JSON it holds: the CLI keeps plain JSON objects,
 * the console its typed views of the REST JSON.
 */

/** The format tag of every line; a reader refuses any other. */
export const TRAJECTORY_FORMAT = "incident-env-trajectory/1";

export interface TrajectoryStepRecord<Json, Obs, Info> {
  action: Json;
  reward: number;
  done: boolean;
  info: Info;
  observation: Obs;
}

export interface TrajectoryRecord<Json, Obs, Info> {
  format: typeof TRAJECTORY_FORMAT;
  agent: string;
  task: string;
  seed: number;
  episode_id: string;
  scenario_id: string;
  fault: string;
  reset: Json;
  observation: Obs | null;
  steps: TrajectoryStepRecord<Json, Obs, Info>[];
  score: number;
  status: string;
  truncated: boolean;
  error?: string;
}
