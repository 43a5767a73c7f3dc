/**
 * The output half of the REST JSON dialect (./rest-json.ts), compiled: one writer per message type,
 * made on first use from the descriptor, that walks a message and builds its REST JSON directly.
 *
 * Why compiled: every REST step and reset response is written in this dialect (by the simulation
 * workers, for /step, /reset, /ws and MCP), and deriving it from protobuf-es's proto JSON (toJson,
 * then a generic rewrite of names and enum words) cost about five times the simulation step
 * itself. A writer per type decides once, from the schema, what each field needs.
 *
 * What it writes is exactly what the dialect defines: proto field names in declaration order;
 * enum values as their short words (the number when the value is unknown); every implicit field,
 * at its zero value too; an unset message field or proto3 `optional` as `null`, an unset oneof
 * member left out; the proto JSON forms of scalars ("NaN", 64-bit integers as strings, base64
 * bytes); well-known types with their own JSON form (Timestamp, Struct, ...) as protobuf-es writes
 * them. test/rest-json-writer.test.ts holds it to the reference derivation, byte for byte.
 */
import {
  ScalarType,
  fromJson,
  toJson,
  type DescEnum,
  type DescField,
  type DescMessage,
  type JsonObject,
  type JsonValue,
} from "@bufbuild/protobuf";
import { base64Encode } from "@bufbuild/protobuf/wire";
import { StructSchema, TimestampSchema, type Timestamp } from "@bufbuild/protobuf/wkt";
import { isOpaque, shortEnumName } from "./rest-json-words.js";
import { timestampJson } from "./timestamp-json.js";

/** A message's own fields, read from its protobuf-es object. */
type MessageObject = Record<string, unknown>;
type ValueWriter = (value: unknown) => JsonValue;
type FieldWriter = (message: MessageObject, out: JsonObject) => void;
type MessageWriter = (message: MessageObject) => JsonObject;

/** How protobuf-es writes the opaque well-known types: the options of the dialect's proto JSON. */
const OPAQUE_OPTIONS = { useProtoFieldName: true, alwaysEmitImplicit: true } as const;

const writers = new WeakMap<DescMessage, MessageWriter>();

/** The REST JSON object of a message of type `desc`. */
export function writeRestJson(desc: DescMessage, message: object): JsonObject {
  return writerOf(desc)(message as MessageObject);
}

function writerOf(desc: DescMessage): MessageWriter {
  const known = writers.get(desc);
  if (known) return known;
  const fields: FieldWriter[] = [];
  const typeName = desc.typeName;
  const writer: MessageWriter = (message) => {
    if (message.$typeName !== typeName) throw new Error(`cannot write ${String(message.$typeName)} as ${typeName}`);
    const out: JsonObject = {};
    for (let i = 0; i < fields.length; i++) (fields[i] as FieldWriter)(message, out);
    return out;
  };
  // Registered before its fields are compiled, so that recursive types find it.
  writers.set(desc, writer);
  for (const field of desc.fields) fields.push(fieldWriter(field));
  return writer;
}

function fieldWriter(field: DescField): FieldWriter {
  const name = field.name;
  const local = field.localName;
  const write = restJsonValueWriter(field);
  if (field.oneof !== undefined) {
    const oneof = field.oneof.localName;
    return (message, out) => {
      const selected = message[oneof] as { case: string | undefined; value?: unknown };
      if (selected.case === local) out[name] = write(selected.value);
    };
  }
  if (field.fieldKind === "message" || field.proto.proto3Optional === true) {
    // Explicit presence: unset is written as null, so that clients always see every key.
    return (message, out) => {
      const value = message[local];
      out[name] = value !== undefined && Object.prototype.hasOwnProperty.call(message, local) ? write(value) : null;
    };
  }
  return (message, out) => {
    out[name] = write(message[local]);
  };
}

/** A field's value as REST JSON (the text writer, ./rest-json-text.ts, borrows it for maps and well-known types). */
export function restJsonValueWriter(field: DescField): ValueWriter {
  switch (field.fieldKind) {
    case "scalar":
      return scalarWriter(field.scalar);
    case "enum":
      return enumWriter(field.enum);
    case "message":
      return messageWriter(field.message, field.parent);
    case "list": {
      const item =
        field.listKind === "scalar"
          ? scalarWriter(field.scalar)
          : field.listKind === "enum"
            ? enumWriter(field.enum)
            : messageWriter(field.message, field.parent);
      return (value) => {
        const items = value as readonly unknown[];
        const out: JsonValue[] = new Array<JsonValue>(items.length);
        for (let i = 0; i < items.length; i++) out[i] = item(items[i]);
        return out;
      };
    }
    case "map": {
      const entry =
        field.mapKind === "scalar"
          ? scalarWriter(field.scalar)
          : field.mapKind === "enum"
            ? enumWriter(field.enum)
            : messageWriter(field.message, field.parent);
      return (value) => {
        const record = value as Record<string, unknown>;
        // A null-prototype object: a key such as "__proto__" stays an ordinary key.
        const out = Object.create(null) as JsonObject;
        for (const key of Object.keys(record)) out[key] = entry(record[key]);
        return { ...out };
      };
    }
  }
}

function messageWriter(desc: DescMessage, parent: DescMessage): ValueWriter {
  // protobuf-es keeps a Struct field (outside google.protobuf.Value) as the JSON object it stands for.
  if (desc.typeName === StructSchema.typeName && parent.typeName !== "google.protobuf.Value")
    return (value) => toJson(StructSchema, fromJson(StructSchema, value as JsonValue), OPAQUE_OPTIONS);
  if (desc.typeName === TimestampSchema.typeName) return (value) => timestampJson(value as Timestamp);
  if (isOpaque(desc)) return (value) => toJson(desc, value as never, OPAQUE_OPTIONS);
  let writer: MessageWriter | undefined;
  return (value) => (writer ??= writerOf(desc))(value as MessageObject);
}

/** Enum values as their short words; a number the enum does not know stays a number. */
function enumWriter(desc: DescEnum): ValueWriter {
  if (desc.typeName === "google.protobuf.NullValue") return () => null;
  const words = new Map<number, string>(desc.values.map((v) => [v.number, shortEnumName(desc, v.name)]));
  return (value) => words.get(value as number) ?? (value as number);
}

function scalarWriter(scalar: ScalarType): ValueWriter {
  switch (scalar) {
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      return (value) => {
        const n = value as number;
        if (Number.isNaN(n)) return "NaN";
        if (n === Number.POSITIVE_INFINITY) return "Infinity";
        if (n === Number.NEGATIVE_INFINITY) return "-Infinity";
        return n;
      };
    case ScalarType.INT64:
    case ScalarType.UINT64:
    case ScalarType.SINT64:
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
      return (value) => String(value);
    case ScalarType.BYTES:
      return (value) => base64Encode(value as Uint8Array);
    case ScalarType.INT32:
    case ScalarType.UINT32:
    case ScalarType.SINT32:
    case ScalarType.FIXED32:
    case ScalarType.SFIXED32:
    case ScalarType.STRING:
    case ScalarType.BOOL:
      return (value) => value as JsonValue;
  }
}
