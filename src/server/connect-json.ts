/**
 * Strict JSON for Connect, gRPC-Web and gRPC with `+json`: the request messages of every method
 * are checked before protobuf-es decodes them.
 *
 * connect-es ignores unknown JSON keys by default, and protobuf-es then drops an unknown enum word
 * too: `{"taskLevl":"hard"}` or `{"taskLevel":"hard"}` would start an easy episode, and a misspelled
 * `targetSevice` would cost a step. Here an unknown key or enum word is invalid_argument naming the
 * field, as on the REST routes, and the short enum words of the REST dialect ("hard", "inspect") are
 * accepted next to the proto names (src/env/rest-json.ts toStrictProtoJson).
 *
 * connect-es has no hook per message type but takes JSON options per method, and its JSON codec
 * reads every request message through `textDecoder.decode` (unary bodies, GET query messages and
 * each message of a stream alike): so each method gets a decoder that parses, checks and rewrites
 * the JSON of its input type. Its errors are ConnectErrors already (invalid_argument, with the
 * field violation as a detail), which connect-es's JSON codec passes on as they are.
 */
import type { DescMessage } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import type { JsonReadOptions, JsonWriteOptions } from "@bufbuild/protobuf";
import { toStrictProtoJson } from "../json/rest-json.js";
import { toConnectError } from "./errors.js";

/** How every Connect JSON response is written: with the fields at their default values, so clients see every key. */
export const CONNECT_JSON_WRITE_OPTIONS: Partial<JsonWriteOptions> = { alwaysEmitImplicit: true };

interface StrictJsonOptions extends Partial<JsonReadOptions & JsonWriteOptions> {
  textDecoder: { decode(input?: Uint8Array): string };
}

/** The JSON options of one method whose request messages are `input`. */
export function strictJsonOptions(input: DescMessage): StrictJsonOptions {
  const utf8 = new TextDecoder();
  return {
    ...CONNECT_JSON_WRITE_OPTIONS,
    ignoreUnknownFields: false,
    textDecoder: {
      decode(bytes?: Uint8Array): string {
        const text = utf8.decode(bytes);
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch (error) {
          throw new ConnectError(
            `the request is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
            Code.InvalidArgument,
          );
        }
        try {
          return JSON.stringify(toStrictProtoJson(input, json));
        } catch (error) {
          // an EnvError invalid_argument, with the field violation as an error detail
          throw toConnectError(error);
        }
      },
    },
  };
}
