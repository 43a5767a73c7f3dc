/**
 * fast-check arbitraries of well-shaped REST JSON bodies (the dialect of src/json/rest-json.ts),
 * derived from the descriptors: the field names of the message, values of roughly the right kind
 * (the enum's short words, numbers and numeric strings, strings, arrays, objects), often wrong in
 * detail (a word of another enum, a number out of range, a string where a number goes), plus now and
 * then a key the message does not have. What a careless or hostile JSON client sends.
 */
import { ScalarType, type DescField, type DescMessage, type JsonValue } from "@bufbuild/protobuf";
import fc from "fast-check";
import { isOpaque, shortEnumWords } from "../../src/json/rest-json-words.js";

export interface RestJsonArbitraryOptions {
  /** Strings worth trying often (the test's episode ids, service names). */
  strings?: readonly string[];
  depth?: number;
  /** Only values of the right kind (enum words, small numbers, plausible strings), no stray keys; by default half the objects are clean. */
  clean?: boolean;
}

const anyJson: fc.Arbitrary<JsonValue> = fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<JsonValue>;

/** Strings a field might plausibly hold: mostly sensible ones, so that requests get past validation and reach the episodes. */
function text(options: RestJsonArbitraryOptions): fc.Arbitrary<string> {
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc.constantFrom(
        "postgres-db",
        "redis-cache",
        "api-gateway",
        "INC-EASY-001",
        "restart the pool",
        ...(options.strings ?? []),
      ),
    },
    { weight: 2, arbitrary: fc.string({ maxLength: 20 }) },
    { weight: 1, arbitrary: fc.constantFrom("", "x".repeat(300), "%zz", "\u0000", "\ud800") },
  );
}

function cleanScalar(kind: ScalarType, options: RestJsonArbitraryOptions): fc.Arbitrary<JsonValue> {
  switch (kind) {
    case ScalarType.STRING:
    case ScalarType.BYTES:
      return fc.constantFrom("postgres-db", "redis-cache", "api-gateway", "restart the pool", ...(options.strings ?? []));
    case ScalarType.BOOL:
      return fc.boolean();
    default:
      return fc.nat({ max: 60 });
  }
}

function scalar(kind: ScalarType, options: RestJsonArbitraryOptions): fc.Arbitrary<JsonValue> {
  if (options.clean) return cleanScalar(kind, options);
  switch (kind) {
    case ScalarType.STRING:
    case ScalarType.BYTES:
      return fc.oneof({ weight: 8, arbitrary: text(options) }, { weight: 1, arbitrary: anyJson });
    case ScalarType.BOOL:
      return fc.oneof({ weight: 8, arbitrary: fc.boolean() }, { weight: 1, arbitrary: anyJson });
    default:
      return fc.oneof(
        { weight: 6, arbitrary: fc.nat({ max: 100 }) },
        { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
        { weight: 1, arbitrary: fc.constantFrom(-1, 0.5, 60, 61, 4294967296, "42", "0.5", "0x2a", " 1", "1e999", "-0") },
        { weight: 1, arbitrary: anyJson },
      );
  }
}

function enumWord(words: readonly string[], options: RestJsonArbitraryOptions): fc.Arbitrary<JsonValue> {
  if (options.clean) return fc.constantFrom(...words);
  return fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...words) },
    { weight: 1, arbitrary: fc.constantFrom(...words).map((w) => w.toUpperCase()) },
    { weight: 1, arbitrary: anyJson },
  );
}

/** Values of a well-known type in (or near) its own JSON form: RFC 3339 times, free objects. */
function wellKnown(desc: DescMessage, options: RestJsonArbitraryOptions): fc.Arbitrary<JsonValue> {
  const near =
    desc.typeName === "google.protobuf.Timestamp"
      ? fc.oneof(
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
          fc.constantFrom("2020-13-01T00:00:00Z", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "-1", "now"),
        )
      : desc.typeName === "google.protobuf.Struct"
        ? fc.dictionary(fc.string({ maxLength: 8 }), anyJson, { maxKeys: 3 })
        : anyJson;
  return options.clean ? near : fc.oneof({ weight: 3, arbitrary: near }, { weight: 1, arbitrary: anyJson });
}

function value(field: DescField, options: RestJsonArbitraryOptions, depth: number): fc.Arbitrary<JsonValue> {
  const message = (desc: DescMessage): fc.Arbitrary<JsonValue> => {
    if (isOpaque(desc)) return wellKnown(desc, options);
    return depth <= 0 ? (options.clean ? fc.constant({}) : anyJson) : shaped(desc, { ...options, depth: depth - 1 });
  };
  switch (field.fieldKind) {
    case "scalar":
      return scalar(field.scalar, options);
    case "enum":
      return enumWord(shortEnumWords(field.enum), options);
    case "message":
      return message(field.message);
    case "list": {
      const item =
        field.listKind === "scalar"
          ? scalar(field.scalar, options)
          : field.listKind === "enum"
            ? enumWord(shortEnumWords(field.enum), options)
            : message(field.message);
      return options.clean
        ? fc.array(item, { maxLength: 4 })
        : fc.oneof({ weight: 8, arbitrary: fc.array(item, { maxLength: 4 }) }, { weight: 1, arbitrary: anyJson });
    }
    case "map": {
      const item =
        field.mapKind === "scalar"
          ? scalar(field.scalar, options)
          : field.mapKind === "enum"
            ? enumWord(shortEnumWords(field.enum), options)
            : message(field.message);
      return options.clean
        ? fc.dictionary(cleanScalar(ScalarType.STRING, options) as fc.Arbitrary<string>, item, { maxKeys: 4 })
        : fc.oneof({ weight: 8, arbitrary: fc.dictionary(text(options), item, { maxKeys: 4 }) }, { weight: 1, arbitrary: anyJson });
    }
  }
}

/** Random REST JSON objects shaped like the message: some of its fields, sometimes a key it does not have. */
export function restJsonArbitrary(desc: DescMessage, options: RestJsonArbitraryOptions = {}): fc.Arbitrary<JsonValue> {
  if (options.clean === undefined) return fc.oneof(shaped(desc, { ...options, clean: true }), shaped(desc, { ...options, clean: false }));
  return shaped(desc, options);
}

function shaped(desc: DescMessage, options: RestJsonArbitraryOptions): fc.Arbitrary<JsonValue> {
  const depth = options.depth ?? 3;
  const fields: Record<string, fc.Arbitrary<JsonValue>> = {};
  for (const field of desc.fields) fields[field.name] = value(field, options, depth);
  const extraKey = fc.tuple(
    fc.oneof(
      fc.constantFrom("timeout_s", "request_id", "metadata", "task_levle", "__proto__", "constructor"),
      fc.string({ maxLength: 10 }),
    ),
    anyJson,
  );
  // One object in ten has a key of its own.
  const extra = options.clean
    ? fc.constant(null)
    : fc.oneof({ weight: 9, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: extraKey });
  // Clean objects have few fields (each field's rules may clash with another's), noisy ones any.
  const object = options.clean
    ? fc
        .subarray(Object.keys(fields), { maxLength: Math.min(3, Object.keys(fields).length) })
        .chain((keys) => fc.record(Object.fromEntries(keys.map((key) => [key, fields[key] as fc.Arbitrary<JsonValue>]))))
    : fc.record(fields, { requiredKeys: [] });
  return fc.tuple(object, extra).map(([object, more]) => {
    const out: Record<string, JsonValue> = {};
    for (const [key, v] of Object.entries(object)) if (v !== undefined) out[key] = v;
    if (more) Object.defineProperty(out, more[0], { value: more[1], enumerable: true, configurable: true, writable: true });
    return out;
  });
}
