/**
 * A message in the form a transport sends (WireForms in ./api.ts): protobuf binary, or the REST
 * JSON text. Only the asked-for form is made: a step response is several kilobytes either way.
 */
import { toBinary, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import { toRestJson } from "../json/rest-json.js";
import type { WireFormat, WireForms } from "./api.js";

export function encodeAs<Desc extends DescMessage, F extends WireFormat>(desc: Desc, message: MessageShape<Desc>, format: F): WireForms[F] {
  const encoders: { [K in WireFormat]: () => WireForms[K] } = {
    binary: () => toBinary(desc, message),
    "rest-json": () => JSON.stringify(toRestJson(desc, message)),
  };
  return encoders[format]();
}
