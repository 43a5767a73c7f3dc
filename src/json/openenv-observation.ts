/**
 * The OpenEnv WebSocket's observation message (src/server/ws-routes.ts) as text:
 * {"type": "observation", "data": {"observation": {...}, "reward": ..., "done": ...}}, the
 * observation in the REST dialect. One function for both places that write it: the /ws route, and
 * the simulation workers, which write it where the step ran (WireForms "openenv-observation-utf8" in
 * src/env/api.ts) so that the server thread sends it as it is, without decoding the response and
 * writing its JSON again.
 */
import { create } from "@bufbuild/protobuf";
import { ObservationSchema, type Observation } from "../../gen/incident/v1/observation_pb.js";
import { restJsonText } from "./rest-json-text.js";

/** `reward` is null after a reset (OpenEnv's reset carries none). */
export function openEnvObservationText(observation: Observation | undefined, reward: number | null, done: boolean): string {
  // As JSON.stringify({type: "observation", data: {observation, reward, done}}) writes it (a reward that is not finite is null).
  const text = restJsonText(ObservationSchema, observation ?? create(ObservationSchema));
  return `{"type":"observation","data":{"observation":${text},"reward":${JSON.stringify(reward)},"done":${done}}}`;
}
