/**
 * The curl-friendly JSON dialect of the REST routes, the WebSocket and MCP, derived from the proto
 * descriptors. It lives with the environment (not the transports) because the worker threads
 * write responses in it too: a worker encodes a response once, and the server thread sends it.
 *
 * It is the proto JSON mapping with three changes, applied generically to every message:
 * - field names are the proto names (`target_service`), as the original incident-response-env spelled them;
 * - enum values are their short names: the value name without the enum's prefix, lower case
 *   (`diagnose`, `easy`, `open`), or upper case for enums marked `short_names_upper` (`P1`,
 *   `ERROR`); on input the short name in any case and the full proto name are both accepted;
 * - on output, a field with explicit presence (a message, or a proto3 `optional`) that is unset
 *   is written as `null` rather than left out, so clients always see every key;
 * - on input, unknown keys are refused (naming the key) unless the caller lists them as ignored,
 *   a number field takes a JSON number or a string holding one as JSON writes it ("42"), and the
 *   values of a map of strings (remediation parameters) take numbers, written as JSON writes them.
 * Connect's JSON endpoints speak the canonical proto JSON, checked by the same walk in its proto
 * form (`protoJson`, see toStrictProtoJson): unknown keys and enum words are refused naming the
 * field, short enum words are accepted, and the proto JSON forms (enum numbers, "NaN") stay valid.
 */
import {
  ScalarType,
  fromJson,
  type DescEnum,
  type DescField,
  type DescMessage,
  type JsonObject,
  type JsonValue,
  type MessageShape,
} from "@bufbuild/protobuf";
import { writeRestJson } from "./rest-json-writer.js";
import { enumPrefix, isOpaque, shortEnumWords } from "./rest-json-words.js";
import { EnvError, type Violation } from "../env/errors.js";

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------- output

/** A message as REST JSON (compiled per message type: ./rest-json-writer.ts). */
export function toRestJson<Desc extends DescMessage>(desc: Desc, message: MessageShape<Desc>): JsonObject {
  return writeRestJson(desc, message);
}

// ---------------------------------------------------------------- input

export interface RestJsonInputOptions {
  /** Message types whose unknown keys are dropped instead of rejected (request envelopes). */
  lenient?: ReadonlySet<string>;
  /** Keys dropped rather than rejected, by message type: what known clients add to a request of that type. */
  ignoredKeys?: ReadonlyMap<string, ReadonlySet<string>>;
  /**
   * The input is canonical proto JSON (Connect's JSON codec): enum values may also be numbers, and
   * scalars are left to protobuf-es, which knows the proto JSON forms ("NaN", base64 bytes).
   */
  protoJson?: boolean;
}

/**
 * Parses REST JSON into a message. Throws EnvError invalid_argument (with the offending field's
 * path) on unknown keys, unknown enum words and values of the wrong type.
 */
export function fromRestJson<Desc extends DescMessage>(
  desc: Desc,
  json: unknown,
  options: RestJsonInputOptions = {},
  path = "",
): MessageShape<Desc> {
  if (json === undefined || json === null) json = {};
  const canonical = rewriteInput(desc, json, options, path);
  try {
    return fromJson(desc, canonical);
  } catch (e) {
    throw decodeError(desc, e, path);
  }
}

/**
 * Canonical proto JSON checked strictly and with the short enum words turned into proto names, for
 * Connect's JSON codec (src/server/connect-json.ts). Throws EnvError invalid_argument naming the field.
 */
export function toStrictProtoJson(desc: DescMessage, json: unknown): JsonObject {
  return rewriteInput(desc, json, { protoJson: true }, "");
}

function invalid(field: string, rule: string, message: string): EnvError {
  const violation: Violation = { field, rule, message };
  return new EnvError("invalid_argument", field ? `${field}: ${message}` : message, [violation]);
}

function join(path: string, key: string | number): string {
  return typeof key === "number" ? `${path}[${key}]` : path ? `${path}.${key}` : key;
}

function rewriteInput(desc: DescMessage, json: unknown, options: RestJsonInputOptions, path: string): JsonObject {
  if (!isObject(json)) throw invalid(path, "type.object", `expected a JSON object for ${desc.name}`);
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(json)) {
    const field = desc.fields.find((f) => f.name === key || f.jsonName === key);
    const at = join(path, key);
    if (!field) {
      if (options.lenient?.has(desc.typeName) || options.ignoredKeys?.get(desc.typeName)?.has(key)) continue;
      const known = desc.fields.map((f) => (options.protoJson ? f.jsonName : f.name)).join(", ");
      throw invalid(at, "field.known", `unknown field "${key}"; ${desc.name} has: ${known}`);
    }
    if (value === null) continue;
    out[field.jsonName] = rewriteInputValue(field, value, options, at);
  }
  return out;
}

function rewriteInputValue(field: DescField, value: JsonValue, options: RestJsonInputOptions, at: string): JsonValue {
  const inMessage = (desc: DescMessage, v: JsonValue, p: string): JsonValue =>
    isOpaque(desc) ? checkOpaque(desc, v, p) : rewriteInput(desc, v, options, p);
  switch (field.fieldKind) {
    case "enum":
      return parseEnumWord(field.enum, value, at, options);
    case "message":
      return inMessage(field.message, value, at);
    case "list": {
      if (!Array.isArray(value)) throw invalid(at, "type.array", "expected a JSON array");
      if (field.listKind === "enum") return value.map((v, i) => parseEnumWord(field.enum, v, join(at, i), options));
      if (field.listKind === "message") return value.map((v, i) => inMessage(field.message, v, join(at, i)));
      if (!options.protoJson) value.forEach((v, i) => checkScalar(field.scalar, v, join(at, i)));
      return value;
    }
    case "map": {
      if (!isObject(value)) throw invalid(at, "type.object", "expected a JSON object");
      if (field.mapKind === "enum")
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, parseEnumWord(field.enum, v, join(at, k), options)]));
      if (field.mapKind === "message")
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, inMessage(field.message, v, join(at, k))]));
      // A map of strings (apply_fix's remediation.parameters) takes numbers too: {"replicas": 6} is {"replicas": "6"}.
      const values =
        field.scalar === ScalarType.STRING
          ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeof v === "number" ? String(v) : v]))
          : value;
      if (!options.protoJson) for (const [k, v] of Object.entries(values)) checkScalar(field.scalar, v, join(at, k));
      return values;
    }
    case "scalar":
      if (!options.protoJson) checkScalar(field.scalar, value, at);
      return value;
  }
}

/**
 * A number as JSON writes one: what a numeric field takes inside a string ("42", "0.5", "1e3"), as
 * the proto JSON mapping allows, and nothing looser: no hex ("0x2a"), no sign "+", no leading
 * zeros, no spaces, not "" and not "NaN". One rule for every route, /ws and MCP, since they all
 * parse here.
 */
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * A well-known type (a Timestamp, a Struct) keeps its own JSON form: decoded here, so that a value of
 * the wrong form is refused naming its field rather than the whole message.
 */
function checkOpaque(desc: DescMessage, value: JsonValue, at: string): JsonValue {
  try {
    fromJson(desc, value);
  } catch (e) {
    // protobuf-es says "cannot decode message google.protobuf.Timestamp from JSON: invalid RFC 3339 string", or no reason at all.
    const message = e instanceof Error ? e.message : String(e);
    const generic = /^cannot decode message [\w.]+ from JSON(?:: (.*))?/.exec(message);
    const detail = generic ? (generic[1] ?? "") : message;
    throw invalid(
      at,
      "type.mismatch",
      `expected a ${desc.name} in its JSON form${detail ? ` (${detail})` : ""}, got ${describeJson(value)}`,
    );
  }
  return value;
}

/** Rejects a JSON value of the wrong kind for a scalar field, naming the field. */
function checkScalar(scalar: ScalarType, value: JsonValue, at: string): void {
  const kind = scalar === ScalarType.STRING || scalar === ScalarType.BYTES ? "string" : scalar === ScalarType.BOOL ? "boolean" : "number";
  if (kind === "number") {
    if (typeof value === "number" || (typeof value === "string" && JSON_NUMBER.test(value))) return;
    throw invalid(at, "type.mismatch", `expected a number (a JSON number, or a string holding one, like "42"), got ${describeJson(value)}`);
  }
  if (typeof value !== kind) throw invalid(at, "type.mismatch", `expected a ${kind}, got ${describeJson(value)}`);
}

function describeJson(value: JsonValue): string {
  if (Array.isArray(value)) return "an array";
  if (value === null) return "null";
  if (typeof value === "object") return "an object";
  return `${typeof value} ${JSON.stringify(value).slice(0, 40)}`;
}

/** Accepts a short word in any case ("Diagnose", "p1") or the full proto name (and, in proto JSON, a defined number). */
function parseEnumWord(desc: DescEnum, value: JsonValue, at: string, options: RestJsonInputOptions): JsonValue {
  if (options.protoJson && typeof value === "number" && desc.values.some((v) => v.number === value)) return value;
  if (typeof value === "string") {
    const wanted = value.trim().toUpperCase();
    const prefix = enumPrefix(desc);
    const match = desc.values.find(
      (v) => (v.number !== 0 || options.protoJson === true) && (v.name === wanted || v.name === prefix + wanted),
    );
    if (match) return match.name;
  }
  const forms = options.protoJson ? ` (or its proto name, like ${desc.values[1]?.name ?? desc.values[0]?.name})` : "";
  throw invalid(at, "enum.defined_only", `${JSON.stringify(value)} is not one of: ${shortEnumWords(desc).join(", ")}${forms}`);
}

/** Turns a protobuf-es JSON decoding error into an invalid_argument naming the field. */
function decodeError(desc: DescMessage, error: unknown, path: string): EnvError {
  const message = error instanceof Error ? error.message : String(error);
  // protobuf-es says: cannot decode field incident.v1.Action.reasoning from JSON: 5
  const fieldMatch = /cannot decode field ([\w.]+) from JSON/.exec(message);
  const fullName = fieldMatch?.[1];
  const fieldName = fullName?.slice(fullName.lastIndexOf(".") + 1);
  const typeName = fullName?.slice(0, fullName.lastIndexOf("."));
  const relative =
    typeName !== undefined && typeName !== desc.typeName ? `${typeName.slice(typeName.lastIndexOf(".") + 1)}.${fieldName}` : fieldName;
  const at = relative ? join(path, relative) : path;
  const detail = message.replace(/^cannot decode [^:]*: /, "");
  return invalid(at, "type.mismatch", `wrong type: ${detail}`);
}
