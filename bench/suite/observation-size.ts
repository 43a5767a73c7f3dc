/**
 * Observation sizes, in process: what an agent receives per observation as REST JSON and as
 * protobuf binary (both without the text), beside the byte size of its markdown rendering
 * (Observation.text, src/env/observation-text.ts), for the reset (complete: topology and KB
 * articles) and for the lean steps of the episode mix (bench/suite/episode-mix.ts). Deterministic:
 * seeds 1..episodes, so two runs print the same figures.
 */
import { create, toBinary } from "@bufbuild/protobuf";
import { ActionType, TaskLevel } from "../../gen/incident/v1/enums_pb.js";
import { ObservationSchema, type Observation } from "../../gen/incident/v1/observation_pb.js";
import { ResetRequestSchema, StepRequestSchema } from "../../gen/incident/v1/service_pb.js";
import { IncidentEnvironment } from "../../src/env/environment.js";
import { toRestJson } from "../../src/json/rest-json.js";
import { STEPS_PER_EPISODE, targetOf } from "./episode-mix.js";

/** Mean bytes per observation of one kind. */
export interface SizeFigures {
  observations: number;
  restJson: number;
  binary: number;
  text: number;
}

export interface ObservationSizes {
  episodes: number;
  reset: SizeFigures;
  step: SizeFigures;
}

function accumulate(into: SizeFigures, observation: Observation | undefined): void {
  if (!observation) return;
  const bare = { ...observation, text: undefined };
  into.observations++;
  into.restJson += Buffer.byteLength(JSON.stringify(toRestJson(ObservationSchema, bare)));
  into.binary += toBinary(ObservationSchema, bare).length;
  into.text += Buffer.byteLength(observation.text ?? "");
}

function mean(figures: SizeFigures): SizeFigures {
  const n = Math.max(1, figures.observations);
  return { observations: figures.observations, restJson: figures.restJson / n, binary: figures.binary / n, text: figures.text / n };
}

export function measureObservationSizes(episodes: number): ObservationSizes {
  const env = new IncidentEnvironment();
  const reset: SizeFigures = { observations: 0, restJson: 0, binary: 0, text: 0 };
  const step: SizeFigures = { observations: 0, restJson: 0, binary: 0, text: 0 };
  for (let seed = 1; seed <= episodes; seed++) {
    const id = `sizes-${seed}`;
    const start = env.reset(create(ResetRequestSchema, { taskLevel: TaskLevel.MEDIUM, seed, episodeId: id, text: true }));
    accumulate(reset, start.observation);
    const services = start.observation?.topology?.services.map((s) => s.name) ?? [];
    for (let i = 0; i < STEPS_PER_EPISODE; i++) {
      const next = env.step(
        create(StepRequestSchema, { episodeId: id, action: { actionType: ActionType.INSPECT, targetService: targetOf(services, i) } }),
      );
      accumulate(step, next.observation);
    }
    env.closeEpisode({ $typeName: "incident.v1.CloseEpisodeRequest", episodeId: id });
  }
  return { episodes, reset: mean(reset), step: mean(step) };
}
