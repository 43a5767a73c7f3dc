/**
 * JSON Schemas (2020-12) generated from the proto descriptors, in either JSON dialect:
 * - "rest": the REST/WebSocket dialect of src/json/rest-json.ts (proto field names, short enum
 *   words, null for unset optional fields);
 * - "connect": canonical proto JSON, as Connect's JSON endpoints speak it.
 * protovalidate rules on fields become JSON Schema constraints (lengths, item counts, patterns,
 * required), so clients and LLM agents see the same limits the server enforces.
 * Nothing here is written by hand per message: a new field in a .proto shows up on restart.
 */
import { ScalarType, getOption, hasOption, type DescEnum, type DescField, type DescMessage } from "@bufbuild/protobuf";
import { field as fieldRulesOption, type FieldRules } from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import { protoComments } from "../../gen/incident/v1/comments.js";
import { shortEnumWords } from "./rest-json-words.js";

export type JsonSchema = Record<string, unknown>;
type Dialect = "rest" | "connect";

const WELL_KNOWN: Readonly<Record<string, JsonSchema>> = {
  "google.protobuf.Timestamp": { type: "string", format: "date-time" },
  "google.protobuf.Duration": { type: "string", pattern: "^-?[0-9]+(\\.[0-9]+)?s$" },
  "google.protobuf.Struct": { type: "object", additionalProperties: true },
  "google.protobuf.Value": {},
  "google.protobuf.ListValue": { type: "array" },
  "google.protobuf.FieldMask": { type: "string" },
  "google.protobuf.Empty": { type: "object" },
};

function scalarSchema(scalar: ScalarType): JsonSchema {
  switch (scalar) {
    case ScalarType.STRING:
      return { type: "string" };
    case ScalarType.BYTES:
      return { type: "string", contentEncoding: "base64" };
    case ScalarType.BOOL:
      return { type: "boolean" };
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      return { type: "number" };
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      // The proto JSON mapping writes 64-bit integers as strings.
      return { type: ["string", "integer"] };
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return { type: "integer", minimum: 0, maximum: 4294967295 };
    default:
      return { type: "integer", minimum: -2147483648, maximum: 2147483647 };
  }
}

function fieldRules(field: DescField): FieldRules | undefined {
  return hasOption(field, fieldRulesOption) ? getOption(field, fieldRulesOption) : undefined;
}

/** Adds protovalidate string/enum constraints of one value to its schema. */
function constrainValue(schema: JsonSchema, rules: FieldRules | undefined): JsonSchema {
  if (rules?.type.case === "string") {
    const r = rules.type.value;
    if (r.minLen > 0n) schema.minLength = Number(r.minLen);
    if (r.maxLen > 0n) schema.maxLength = Number(r.maxLen);
    if (r.pattern !== "") schema.pattern = r.pattern;
  }
  return schema;
}

/** Collects message schemas under one `$ref` prefix, in one dialect. */
export class SchemaCollector {
  readonly definitions: Record<string, JsonSchema> = {};

  constructor(
    readonly dialect: Dialect,
    private readonly refPrefix: string,
  ) {}

  /** A `$ref` to the message's schema (or an inline schema for well-known types). */
  ref(desc: DescMessage): JsonSchema {
    const known = WELL_KNOWN[desc.typeName];
    if (known) return { ...known };
    if (!(desc.typeName in this.definitions)) {
      this.definitions[desc.typeName] = {}; // placeholder: breaks cycles
      this.definitions[desc.typeName] = this.messageSchema(desc);
    }
    return { $ref: `${this.refPrefix}${desc.typeName}` };
  }

  private messageSchema(desc: DescMessage): JsonSchema {
    const properties: Record<string, JsonSchema> = {};
    const required: string[] = [];
    for (const field of desc.fields) {
      const name = this.dialect === "rest" ? field.name : field.jsonName;
      const rules = fieldRules(field);
      let schema = this.fieldSchema(field, rules);
      const explicit = field.fieldKind === "message" || field.proto.proto3Optional === true;
      if (this.dialect === "rest" && explicit && !rules?.required) schema = { anyOf: [schema, { type: "null" }] };
      const comment = leadingComment(field);
      if (comment) schema.description = comment;
      properties[name] = schema;
      if (rules?.required) required.push(name);
    }
    const schema: JsonSchema = { type: "object", title: desc.name, properties, additionalProperties: false };
    const comment = leadingComment(desc);
    if (comment) schema.description = comment;
    if (required.length > 0) schema.required = required;
    return schema;
  }

  private fieldSchema(field: DescField, rules: FieldRules | undefined): JsonSchema {
    switch (field.fieldKind) {
      case "scalar":
        return constrainValue(scalarSchema(field.scalar), rules);
      case "enum":
        return this.enumSchema(field.enum);
      case "message":
        return this.ref(field.message);
      case "list": {
        const itemRules = rules?.type.case === "repeated" ? rules.type.value.items : undefined;
        const items =
          field.listKind === "scalar"
            ? constrainValue(scalarSchema(field.scalar), itemRules)
            : field.listKind === "enum"
              ? this.enumSchema(field.enum)
              : this.ref(field.message);
        const schema: JsonSchema = { type: "array", items };
        if (rules?.type.case === "repeated") {
          if (rules.type.value.minItems > 0n) schema.minItems = Number(rules.type.value.minItems);
          if (rules.type.value.maxItems > 0n) schema.maxItems = Number(rules.type.value.maxItems);
        }
        return schema;
      }
      case "map": {
        // A map of strings takes numbers too (src/env/rest-json.ts): {"replicas": 6}.
        const scalarValues = (scalar: ScalarType): JsonSchema =>
          scalar === ScalarType.STRING ? { type: ["string", "number"] } : scalarSchema(scalar);
        const values =
          field.mapKind === "scalar"
            ? scalarValues(field.scalar)
            : field.mapKind === "enum"
              ? this.enumSchema(field.enum)
              : this.ref(field.message);
        return { type: "object", additionalProperties: values };
      }
    }
  }

  private enumSchema(desc: DescEnum): JsonSchema {
    const words = this.dialect === "rest" ? shortEnumWords(desc) : desc.values.map((v) => v.name);
    const comment = leadingComment(desc);
    return { type: "string", enum: words, ...(comment ? { description: comment } : {}) };
  }
}

/** A self-contained schema for one message, its dependencies under `$defs`. */
export function standaloneSchema(desc: DescMessage, dialect: Dialect): JsonSchema {
  const collector = new SchemaCollector(dialect, "#/$defs/");
  const root = collector.ref(desc);
  return { $schema: "https://json-schema.org/draft/2020-12/schema", ...root, $defs: collector.definitions };
}

/** The proto source comment of a message, field or enum (see tools/protoc-gen-comments.ts). */
function leadingComment(desc: DescMessage | DescField | DescEnum): string | undefined {
  const name = desc.kind === "field" ? `${desc.parent.typeName}.${desc.name}` : desc.typeName;
  return protoComments[name];
}
