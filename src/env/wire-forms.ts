/**
 * A message in the form a transport sends (WireForms in ./api.ts): protobuf binary, or the REST
 * JSON text. Only the asked-for form is made: a step response is several kilobytes either way.
 */
import { toBinary, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import type { Observation } from "../../gen/incident/v1/observation_pb.js";
import { openEnvObservationText } from "../json/openenv-observation.js";
import { restJsonText } from "../json/rest-json-text.js";
import type { WireFormat, WireForms } from "./api.js";

/** What the OpenEnv observation message reads of a reset or step response. */
interface ObservedResponse {
  observation?: Observation;
  reward?: number;
  done: boolean;
}

export function encodeAs<Desc extends DescMessage, F extends WireFormat>(desc: Desc, message: MessageShape<Desc>, format: F): WireForms[F] {
  const encoders: { [K in WireFormat]: () => WireForms[K] } = {
    binary: () => toBinary(desc, message),
    "rest-json": () => restJsonText(desc, message),
    "openenv-observation": () => {
      // Only reset and step responses are encoded (PreEncodingEnvironment); a reset has no reward field.
      const response = message as unknown as ObservedResponse;
      return openEnvObservationText(response.observation, response.reward ?? null, response.done);
    },
  };
  return encoders[format]();
}
