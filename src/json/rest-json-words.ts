/**
 * The two facts of the REST JSON dialect (./rest-json.ts) that its reader, its writer
 * (./rest-json-writer.ts) and the JSON Schemas share: which message types keep their proto JSON
 * form, and the short word of each enum value.
 */
import { getOption, type DescEnum, type DescMessage } from "@bufbuild/protobuf";
import { short_names_upper } from "../../gen/incident/v1/options_pb.js";

/** Message types whose values are encoded as JSON primitives or free objects: left untouched. */
const OPAQUE_TYPES = new Set([
  "google.protobuf.Timestamp",
  "google.protobuf.Duration",
  "google.protobuf.Struct",
  "google.protobuf.Value",
  "google.protobuf.ListValue",
  "google.protobuf.FieldMask",
  "google.protobuf.Any",
  "google.protobuf.Empty",
]);

export function isOpaque(message: DescMessage): boolean {
  return OPAQUE_TYPES.has(message.typeName) || (message.typeName.startsWith("google.protobuf.") && message.typeName.endsWith("Value"));
}

/** The prefix of an enum's value names, e.g. ACTION_TYPE_ for ActionType. */
export function enumPrefix(desc: DescEnum): string {
  return desc.name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase() + "_";
}

/** Short words by enum and proto value name, filled on first use: reading the option is slow, and every response has enum values. */
const shortWords = new WeakMap<DescEnum, Map<string, string>>();

/** The short JSON word for an enum value name, e.g. ACTION_TYPE_DIAGNOSE -> "diagnose". */
export function shortEnumName(desc: DescEnum, protoName: string): string {
  let words = shortWords.get(desc);
  if (!words) {
    words = new Map();
    shortWords.set(desc, words);
  }
  const known = words.get(protoName);
  if (known !== undefined) return known;
  const prefix = enumPrefix(desc);
  const bare = protoName.startsWith(prefix) ? protoName.slice(prefix.length) : protoName;
  const word = getOption(desc, short_names_upper) ? bare : bare.toLowerCase();
  words.set(protoName, word);
  return word;
}

/** Every short word of an enum, in declaration order, without the zero value. */
export function shortEnumWords(desc: DescEnum): string[] {
  return desc.values.filter((v) => v.number !== 0).map((v) => shortEnumName(desc, v.name));
}
