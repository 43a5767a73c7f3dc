/**
 * Plays one episode in process: reset, then the agent's actions until the episode ends, or until
 * the environment refuses an action (invalid_argument, e.g. a diagnosis of a service the system
 * does not have): the agent is stopped there, as the evaluation runner stops an episode on an error.
 */
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import type { Action } from "../../gen/incident/v1/action_pb.js";
import { ObservationSchema } from "../../gen/incident/v1/observation_pb.js";
import { ResetRequestSchema, type StepResponse } from "../../gen/incident/v1/service_pb.js";
import type { IncidentEnvironment } from "../env/environment.js";
import { EnvError } from "../env/errors.js";
import type { EpisodeRecord } from "../grading/record.js";
import type { Agent } from "./agent.js";
import { withUnchangingParts } from "./observation-memory.js";

interface EpisodeResult {
  episodeId: string;
  scenarioId: string;
  score: number;
  steps: number;
  success: boolean;
  rewards: number[];
  actions: Action[];
  responses: StepResponse[];
  /** The message of the refusal that stopped the agent, if one did. */
  refused?: string;
}

/** Builds the agent once the episode exists (agents that read the ground truth need its record). */
export type AgentFactory = (record: () => EpisodeRecord) => Agent;

export function runEpisode(
  env: IncidentEnvironment,
  makeAgent: AgentFactory,
  reset: MessageInitShape<typeof ResetRequestSchema>,
): EpisodeResult {
  const start = env.reset(create(ResetRequestSchema, reset));
  const episodeId = start.episodeId;
  const agent = makeAgent(() => env.episodeRecord(episodeId));
  const first = start.observation ?? create(ObservationSchema);
  let observation = first;
  const rewards: number[] = [];
  const actions: Action[] = [];
  const responses: StepResponse[] = [];
  let refused: string | undefined;
  for (let guard = 0; guard < 100; guard++) {
    const action = agent.act(observation);
    actions.push(action);
    let step: StepResponse;
    try {
      step = env.step({ $typeName: "incident.v1.StepRequest", episodeId, action });
    } catch (error) {
      if (!(error instanceof EnvError && error.kind === "invalid_argument")) throw error;
      refused = error.message;
      break;
    }
    responses.push(step);
    rewards.push(step.reward);
    agent.observeStep?.({ reward: step.reward, done: step.done, info: step.info });
    observation = step.observation ? withUnchangingParts(step.observation, first) : observation;
    if (step.done) break;
  }
  const state = env.getState({ $typeName: "incident.v1.GetStateRequest", episodeId }).state;
  return {
    episodeId,
    scenarioId: state?.scenarioId ?? "",
    score: state?.totalReward ?? 0,
    steps: state?.stepCount ?? 0,
    success: state?.status === 2,
    rewards,
    actions,
    responses,
    ...(refused !== undefined ? { refused } : {}),
  };
}
