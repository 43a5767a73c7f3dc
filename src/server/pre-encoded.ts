/**
 * Responses that arrive already encoded (a worker thread encoded them; src/env/api.ts
 * PreEncodingEnvironment) go out as they are.
 *
 * - Protobuf binary for Connect, gRPC and gRPC-Web: Connect serialises the message a handler
 *   returns, so the bytes ride in an empty message as its unknown fields, which protobuf-es writes
 *   back verbatim: the client receives exactly the worker's encoding, and the server thread never
 *   decodes it. Only for binary clients: a JSON client needs the fields themselves.
 * - REST JSON text, or its UTF-8 bytes (the form worker threads hand over for reset and step,
 *   src/env/api.ts WireForms): sent with the JSON content type instead of being serialised again.
 */
import { create, type DescMessage, type MessageShape, type UnknownField } from "@bufbuild/protobuf";
import { BinaryReader } from "@bufbuild/protobuf/wire";

/** A message that serialises to exactly `bytes` (which must be an encoding of `desc`). */
export function preEncoded<Desc extends DescMessage>(desc: Desc, bytes: Uint8Array): MessageShape<Desc> {
  const reader = new BinaryReader(bytes);
  const unknown: UnknownField[] = [];
  while (reader.pos < reader.len) {
    const [no, wireType] = reader.tag();
    unknown.push({ no, wireType, data: reader.skip(wireType, no) });
  }
  const message = create(desc);
  message.$unknown = unknown;
  return message;
}

/** Whether a Connect request's content type is a binary one (gRPC, gRPC-Web, Connect proto), not JSON. */
export function isBinaryContentType(contentType: string | null): boolean {
  return contentType !== null && !contentType.includes("json");
}

/** REST JSON to send as it is: the text, or its UTF-8 bytes. */
export class RawJson {
  constructor(readonly json: string | Uint8Array) {}
}
