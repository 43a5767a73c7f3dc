/**
 * A message in the form a transport sends (WireForms in ./api.ts): protobuf binary, or the REST
 * JSON text. Only the asked-for form is made: a step response is several kilobytes either way.
 */
import { toBinary, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import type { Observation } from "../../gen/incident/v1/observation_pb.js";
import { openEnvObservationText } from "../json/openenv-observation.js";
import { restJsonText } from "../json/rest-json-text.js";
import type { WireFormat, WireForms } from "./api.js";

const utf8 = new TextEncoder();

/** What the OpenEnv observation message reads of a reset or step response. */
interface ObservedResponse {
  observation?: Observation;
  reward?: number;
  done: boolean;
}

/** The OpenEnv observation message of a reset or step response (PreEncodingEnvironment encodes no other); a reset has no reward field. */
function observationText(message: object): string {
  const response = message as ObservedResponse;
  return openEnvObservationText(response.observation, response.reward ?? null, response.done);
}

export function encodeAs<Desc extends DescMessage, F extends WireFormat>(desc: Desc, message: MessageShape<Desc>, format: F): WireForms[F] {
  const encoders: { [K in WireFormat]: () => WireForms[K] } = {
    binary: () => toBinary(desc, message),
    "rest-json": () => restJsonText(desc, message),
    // TextEncoder's bytes have an ArrayBuffer of their own, which a worker can transfer (see
    // transferables); Buffer.from would place short texts in its shared pool.
    "rest-json-utf8": () => utf8.encode(restJsonText(desc, message)),
    "openenv-observation-utf8": () => utf8.encode(observationText(message)),
  };
  return encoders[format]();
}

/** The forms made to be sent as they are, as UTF-8 bytes whose buffer nothing else holds. */
const TRANSFERRED_FORMS: ReadonlySet<WireFormat> = new Set<WireFormat>(["rest-json-utf8", "openenv-observation-utf8"]);

/**
 * The buffers of encoded bodies that can be handed to another thread instead of copied: those of
 * the UTF-8 forms (TRANSFERRED_FORMS). Binary bodies stay copied: protobuf-es may return a view
 * into a larger buffer.
 */
export function transferables(format: WireFormat, bodies: readonly unknown[]): ArrayBuffer[] {
  if (!TRANSFERRED_FORMS.has(format)) return [];
  return bodies.filter((body): body is Uint8Array => body instanceof Uint8Array).map((body) => body.buffer as ArrayBuffer);
}
