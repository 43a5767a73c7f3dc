/**
 * The OpenEnv WebSocket's observation message (src/server/ws-routes.ts) as text:
 * {"type": "observation", "data": {"observation": {...}, "reward": ..., "done": ...}}, the
 * observation in the REST dialect. One function for both places that write it: the /ws route, and
 * the simulation workers, which write it where the step ran (WireForms "openenv-observation" in
 * src/env/api.ts) so that the server thread sends it as it is, without decoding the response and
 * writing its JSON again.
 */
import { create } from "@bufbuild/protobuf";
import { ObservationSchema, type Observation } from "../../gen/incident/v1/observation_pb.js";
import { toRestJson } from "./rest-json.js";

/** `reward` is null after a reset (OpenEnv's reset carries none). */
export function openEnvObservationText(observation: Observation | undefined, reward: number | null, done: boolean): string {
  const data = { observation: toRestJson(ObservationSchema, observation ?? create(ObservationSchema)), reward, done };
  return JSON.stringify({ type: "observation", data });
}
