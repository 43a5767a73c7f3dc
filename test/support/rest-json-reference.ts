/**
 * The REST JSON dialect's output as it was first derived (and as src/json/rest-json.ts defines
 * it): protobuf-es's proto JSON with proto field names and every implicit field, then field names
 * kept in declaration order, enum values rewritten to their short words, and unset fields with
 * explicit presence written as null. Slow (a generic rewrite of every value), but plainly right:
 * the compiled writer (src/json/rest-json-writer.ts) is held to it byte for byte.
 */
import {
  toJson,
  type DescEnum,
  type DescField,
  type DescMessage,
  type JsonObject,
  type JsonValue,
  type MessageShape,
} from "@bufbuild/protobuf";
import { isOpaque, shortEnumName } from "../../src/json/rest-json-words.js";

/** Explicit presence in proto3: message fields and `optional` scalars and enums. */
function hasExplicitPresence(field: DescField): boolean {
  return field.fieldKind === "message" || field.proto.proto3Optional === true;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A message as REST JSON, the reference way. */
export function referenceRestJson<Desc extends DescMessage>(desc: Desc, message: MessageShape<Desc>): JsonObject {
  const canonical = toJson(desc, message, { useProtoFieldName: true, alwaysEmitImplicit: true });
  return rewriteOutput(desc, canonical as JsonObject);
}
function rewriteOutput(desc: DescMessage, json: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const field of desc.fields) {
    const value = json[field.name];
    if (value === undefined) {
      if (hasExplicitPresence(field) && field.oneof === undefined) out[field.name] = null;
      continue;
    }
    out[field.name] = rewriteOutputValue(field, value);
  }
  return out;
}

function rewriteOutputValue(field: DescField, value: JsonValue): JsonValue {
  const outEnum = (desc: DescEnum, v: JsonValue): JsonValue => (typeof v === "string" ? shortEnumName(desc, v) : v);
  const outMessage = (desc: DescMessage, v: JsonValue): JsonValue => (isOpaque(desc) || !isObject(v) ? v : rewriteOutput(desc, v));
  switch (field.fieldKind) {
    case "enum":
      return outEnum(field.enum, value);
    case "message":
      return outMessage(field.message, value);
    case "list":
      if (!Array.isArray(value)) return value;
      if (field.listKind === "enum") return value.map((v) => outEnum(field.enum, v));
      if (field.listKind === "message") return value.map((v) => outMessage(field.message, v));
      return value;
    case "map":
      if (!isObject(value)) return value;
      if (field.mapKind === "enum") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, outEnum(field.enum, v)]));
      if (field.mapKind === "message") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, outMessage(field.message, v)]));
      return value;
    default:
      return value;
  }
}
