/**
 * Plays one episode in process: reset, then the agent's actions until the episode ends.
 */
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import type { Action } from "../../gen/incident/v1/action_pb.js";
import { ObservationSchema } from "../../gen/incident/v1/observation_pb.js";
import { ResetRequestSchema, type StepResponse } from "../../gen/incident/v1/service_pb.js";
import type { IncidentEnvironment } from "../env/environment.js";
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
}

/** Builds the agent once the episode exists (agents that read the ground truth need its record). */
export type AgentFactory = (record: () => EpisodeRecord) => Agent;

export function runEpisode(env: IncidentEnvironment, makeAgent: AgentFactory, reset: MessageInitShape<typeof ResetRequestSchema>): EpisodeResult {
  const start = env.reset(create(ResetRequestSchema, reset));
  const episodeId = start.episodeId;
  const agent = makeAgent(() => env.episodeRecord(episodeId));
  const first = start.observation ?? create(ObservationSchema);
  let observation = first;
  const rewards: number[] = [];
  const actions: Action[] = [];
  const responses: StepResponse[] = [];
  for (let guard = 0; guard < 100; guard++) {
    const action = agent.act(observation);
    actions.push(action);
    const step = env.step({ $typeName: "incident.v1.StepRequest", episodeId, action });
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
  };
}
