/**
 * fast-check arbitraries of well-shaped protobuf messages, derived from the descriptors: every field
 * of the right wire type, with values that are often wrong for the domain (enum numbers out of
 * range, empty and over-long strings, NaN, ids of episodes that do not exist), and sometimes right
 * (the real enum values, the episode ids a test names). Nested messages stop at a depth.
 */
import { ScalarType, create, type DescField, type DescMessage, type MessageInitShape, type MessageShape } from "@bufbuild/protobuf";
import fc from "fast-check";

export interface MessageArbitraryOptions {
  /** Strings worth trying often in string fields (episode ids of the test, service names, words). */
  strings?: readonly string[];
  /** How deep nested messages go (Struct and Value nest without end). */
  depth?: number;
}

/** Mostly plausible strings (so that requests get past validation), sometimes nasty ones. */
function stringArbitrary(options: MessageArbitraryOptions): fc.Arbitrary<string> {
  const plausible = ["postgres-db", "redis-cache", "api-gateway", "INC-EASY-001", "restart the pool", ...(options.strings ?? [])];
  const nasty = ["", " ", "x".repeat(300), "x".repeat(5000), "\u0000", "../../etc/passwd", "%zz", "\ud800"];
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...plausible) },
    { weight: 1, arbitrary: fc.constantFrom(...nasty) },
    { weight: 2, arbitrary: fc.string({ maxLength: 24 }) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 12 }) },
  );
}

function scalarArbitrary(scalar: ScalarType, options: MessageArbitraryOptions): fc.Arbitrary<unknown> {
  switch (scalar) {
    case ScalarType.STRING:
      return stringArbitrary(options);
    case ScalarType.BYTES:
      return fc.uint8Array({ maxLength: 16 });
    case ScalarType.BOOL:
      return fc.boolean();
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      return fc.oneof(
        { weight: 3, arbitrary: fc.double({ min: 0, max: 60, noNaN: true }) },
        { weight: 1, arbitrary: fc.double() },
        { weight: 1, arbitrary: fc.constantFrom(0, -1, 0.5, 60, 61, Number.NaN, Number.POSITIVE_INFINITY) },
      );
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
      return fc.oneof(fc.integer(), fc.constantFrom(0, -1, 1));
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return fc.oneof(
        { weight: 4, arbitrary: fc.nat({ max: 100 }) },
        { weight: 1, arbitrary: fc.nat({ max: 0xffffffff }) },
        { weight: 1, arbitrary: fc.constantFrom(0xffffffff) },
      );
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
      return fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
  }
}

function enumArbitrary(values: readonly number[]): fc.Arbitrary<number> {
  const defined = values.filter((v) => v !== 0);
  return fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...(defined.length > 0 ? defined : values)) },
    { weight: 1, arbitrary: fc.integer({ min: -3, max: 200 }) },
  );
}

function fieldArbitrary(field: DescField, options: MessageArbitraryOptions, depth: number): fc.Arbitrary<unknown> | undefined {
  switch (field.fieldKind) {
    case "scalar":
      return scalarArbitrary(field.scalar, options);
    case "enum":
      return enumArbitrary(field.enum.values.map((v) => v.number));
    case "message":
      return depth > 0 ? initArbitrary(field.message, options, depth - 1) : undefined;
    case "list": {
      const item =
        field.listKind === "scalar"
          ? scalarArbitrary(field.scalar, options)
          : field.listKind === "enum"
            ? enumArbitrary(field.enum.values.map((v) => v.number))
            : depth > 0
              ? initArbitrary(field.message, options, depth - 1)
              : undefined;
      return item ? fc.array(item, { maxLength: 4 }) : undefined;
    }
    case "map": {
      const key =
        field.mapKey === ScalarType.STRING
          ? stringArbitrary(options)
          : field.mapKey === ScalarType.BOOL
            ? fc.constantFrom("true", "false")
            : fc.integer().map(String);
      const value =
        field.mapKind === "scalar"
          ? scalarArbitrary(field.scalar, options)
          : field.mapKind === "enum"
            ? enumArbitrary(field.enum.values.map((v) => v.number))
            : depth > 0
              ? initArbitrary(field.message, options, depth - 1)
              : undefined;
      return value ? fc.dictionary(key, value, { maxKeys: 4 }) : undefined;
    }
  }
}

/** Well-known types whose JSON form bounds their values: kept within the bounds, so that a JSON client can send them. */
const BOUNDED: Readonly<Record<string, fc.Arbitrary<Record<string, unknown>>>> = {
  // 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z
  "google.protobuf.Timestamp": fc.record({
    seconds: fc.bigInt({ min: -62135596800n, max: 253402300799n }),
    nanos: fc.integer({ min: 0, max: 999_999_999 }),
  }),
  "google.protobuf.Duration": fc.record({
    seconds: fc.bigInt({ min: 0n, max: 315576000000n }),
    nanos: fc.integer({ min: 0, max: 999_999_999 }),
  }),
};

/** The init object of a message (for `create`): each field present or not, each oneof one of its cases or none. */
function initArbitrary(desc: DescMessage, options: MessageArbitraryOptions, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const bounded = BOUNDED[desc.typeName];
  if (bounded) return bounded;
  const parts: Record<string, fc.Arbitrary<unknown>> = {};
  for (const field of desc.fields) {
    if (field.oneof !== undefined) continue;
    const value = fieldArbitrary(field, options, depth);
    if (value) parts[field.localName] = fc.option(value, { nil: undefined, freq: 2 });
  }
  for (const oneof of desc.oneofs) {
    const cases = oneof.fields.flatMap((field) => {
      const value = fieldArbitrary(field, options, depth);
      return value ? [value.map((v) => ({ case: field.localName, value: v }))] : [];
    });
    if (cases.length > 0) parts[oneof.localName] = fc.option(fc.oneof(...cases), { nil: undefined, freq: 4 });
  }
  return fc.record(parts).map((init) => Object.fromEntries(Object.entries(init).filter(([, v]) => v !== undefined)));
}

/** Random well-shaped messages of a type. */
export function messageArbitrary<Desc extends DescMessage>(
  desc: Desc,
  options: MessageArbitraryOptions = {},
): fc.Arbitrary<MessageShape<Desc>> {
  return initArbitrary(desc, options, options.depth ?? 3).map((init) => create(desc, init as MessageInitShape<Desc>));
}
