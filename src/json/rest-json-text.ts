/**
 * The REST JSON dialect (./rest-json.ts) written straight to text: one compiled writer per message
 * type, like ./rest-json-writer.ts, but producing the JSON text instead of an object for
 * JSON.stringify. What it writes is, byte for byte, `JSON.stringify(writeRestJson(desc, message))`
 * (test/rest-json-writer.test.ts holds it to that for arbitrary messages of every type and for
 * real episodes).
 *
 * Why: every REST and `/ws` step and reset response is REST JSON text, and on Node 20
 * JSON.stringify spends about 140 ns on each small object and 100-200 ns on each fractional
 * number; a medium inspect step's 17 KB response has about 190 of each (its metric series).
 * Building the object and then stringifying it took about 110 µs per step response in process,
 * longer than the step itself. Written here directly, without the intermediate objects, and with
 * the simulator's one- and two-decimal readings formatted from integers, the same text takes 62 µs.
 *
 * What is rare or not plain data (maps, Struct, Timestamp and the other well-known types with a
 * JSON form of their own) is written by the object writer and stringified: one definition of the
 * dialect for those, at their small cost.
 */
import { ScalarType, type DescEnum, type DescField, type DescMessage } from "@bufbuild/protobuf";
import { base64Encode } from "@bufbuild/protobuf/wire";
import { StructSchema, TimestampSchema, type Timestamp } from "@bufbuild/protobuf/wkt";
import { isOpaque, shortEnumName } from "./rest-json-words.js";
import { restJsonValueWriter, writeRestJson } from "./rest-json-writer.js";
import { timestampJson } from "./timestamp-json.js";

type MessageObject = Record<string, unknown>;
type ValueText = (value: unknown) => string;
type MessageText = (message: MessageObject) => string;

const writers = new WeakMap<DescMessage, MessageText>();

/** The REST JSON text of a message of type `desc`: `JSON.stringify(writeRestJson(desc, message))`, faster. */
export function restJsonText(desc: DescMessage, message: object): string {
  return textWriterOf(desc)(message as MessageObject);
}

/** Message types that the object writer writes in a form of their own rather than field by field. */
function hasOwnJsonForm(desc: DescMessage): boolean {
  return desc.typeName === StructSchema.typeName || desc.typeName === TimestampSchema.typeName || isOpaque(desc);
}

/**
 * A message type's writer, generated as JavaScript source and compiled with `new Function`: each
 * type gets a function of its own that reads its fields by name, so V8 sees one object shape at
 * each property read. A writer made of closures (one per field, all sharing one `message[name]`
 * read) took 88 µs on a step response instead of 62, its reads megamorphic. The source holds
 * only field names and JSON text quoted with JSON.stringify, from the compiled-in descriptors;
 * values are never code.
 */
function textWriterOf(desc: DescMessage): MessageText {
  const known = writers.get(desc);
  if (known) return known;
  if (hasOwnJsonForm(desc)) {
    // Decided once per type here, not on every call: such a message is written by the object writer.
    const viaObject: MessageText = (message) => JSON.stringify(writeRestJson(desc, message));
    writers.set(desc, viaObject);
    return viaObject;
  }
  // Recursive types need no forward entry: a message field's writer looks its type's writer up when first called.
  const helpers: ValueText[] = [];
  const helper = (write: ValueText): string => `h${helpers.push(write) - 1}`;
  const typeName = JSON.stringify(desc.typeName);
  const lines = [
    `if (m.$typeName !== ${typeName}) throw new Error("cannot write " + String(m.$typeName) + " as " + ${typeName});`,
    `let t = "{";`,
  ];
  let written = false;
  for (const field of desc.fields) {
    // The separator is a constant comma once a field is certainly written; before that (after
    // oneof members only), a comma if anything was.
    const separator = written ? `","` : `(t.length > 1 ? "," : "")`;
    const key = JSON.stringify(JSON.stringify(field.name) + ":");
    const write = helper(valueText(field));
    const local = JSON.stringify(field.localName);
    if (field.oneof !== undefined) {
      const selected = `m[${JSON.stringify(field.oneof.localName)}]`;
      lines.push(`if (${selected}.case === ${local}) t += ${separator} + ${key} + ${write}(${selected}.value);`);
      continue;
    }
    if (field.fieldKind === "message" || field.proto.proto3Optional === true) {
      // Explicit presence: unset is written as null, as the object writer does.
      const present = `m[${local}] !== undefined && Object.prototype.hasOwnProperty.call(m, ${local})`;
      lines.push(`t += ${separator} + ${key} + (${present} ? ${write}(m[${local}]) : "null");`);
    } else {
      lines.push(`t += ${separator} + ${key} + ${write}(m[${local}]);`);
    }
    written = true;
  }
  lines.push(`return t + "}";`);
  const unpack = helpers.map((_, i) => `const h${i} = h[${i}];`).join("\n");
  const compiled = new Function("h", `${unpack}\nreturn function write(m) {\n${lines.join("\n")}\n};`)(helpers) as MessageText;
  writers.set(desc, compiled);
  return compiled;
}

function valueText(field: DescField): ValueText {
  switch (field.fieldKind) {
    case "scalar":
      return scalarText(field.scalar);
    case "enum":
      return enumText(field.enum);
    case "message":
      return messageText(field, field.message);
    case "list": {
      // The object writer writes such a list whole (its writers take the field, not an item).
      if (field.listKind === "message" && field.message.typeName !== TimestampSchema.typeName && hasOwnJsonForm(field.message))
        return viaObjectWriter(field);
      const item =
        field.listKind === "scalar"
          ? scalarText(field.scalar)
          : field.listKind === "enum"
            ? enumText(field.enum)
            : messageText(field, field.message);
      return (value) => {
        const items = value as readonly unknown[];
        if (items.length === 0) return "[]";
        let text = "[" + item(items[0]);
        for (let i = 1; i < items.length; i++) text += "," + item(items[i]);
        return text + "]";
      };
    }
    case "map":
      return viaObjectWriter(field);
  }
}

/** The field's value as the object writer writes it, stringified: for what has a JSON form of its own. */
function viaObjectWriter(field: DescField): ValueText {
  const write = restJsonValueWriter(field);
  return (value) => JSON.stringify(write(value));
}

/** A message value; `field` is a singular field of that type or a list of it (then only as Timestamp). */
function messageText(field: DescField, desc: DescMessage): ValueText {
  // Log lines carry timestamps: their RFC 3339 text (digits, "-", ":", ".", "T", "Z") needs only quotes.
  if (desc.typeName === TimestampSchema.typeName) return (value) => '"' + timestampJson(value as Timestamp) + '"';
  if (hasOwnJsonForm(desc)) return viaObjectWriter(field);
  let writer: MessageText | undefined;
  return (value) => (writer ??= textWriterOf(desc))(value as MessageObject);
}

/** Enum values as their short words, quoted once here; a number the enum does not know stays a number. */
function enumText(desc: DescEnum): ValueText {
  if (desc.typeName === "google.protobuf.NullValue") return () => "null";
  const words = new Map<number, string>(desc.values.map((v) => [v.number, JSON.stringify(shortEnumName(desc, v.name))]));
  return (value) => words.get(value as number) ?? integerText(value as number);
}

function scalarText(scalar: ScalarType): ValueText {
  switch (scalar) {
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      return (value) => {
        const n = value as number;
        if (Number.isNaN(n)) return '"NaN"';
        if (n === Number.POSITIVE_INFINITY) return '"Infinity"';
        if (n === Number.NEGATIVE_INFINITY) return '"-Infinity"';
        return numberText(n);
      };
    case ScalarType.INT64:
    case ScalarType.UINT64:
    case ScalarType.SINT64:
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
      // Digits and a sign: nothing to escape.
      return (value) => '"' + String(value) + '"';
    case ScalarType.BYTES:
      // Base64's alphabet needs no escaping either.
      return (value) => '"' + base64Encode(value as Uint8Array) + '"';
    case ScalarType.INT32:
    case ScalarType.UINT32:
    case ScalarType.SINT32:
    case ScalarType.FIXED32:
    case ScalarType.SFIXED32:
      return (value) => integerText(value as number);
    case ScalarType.STRING:
      return (value) => stringText(value as string);
    case ScalarType.BOOL:
      return (value) => (value === true ? "true" : value === false ? "false" : JSON.stringify(value));
  }
}

/** A 32-bit integer (or an enum's number) as JSON.stringify writes it: a number that is not finite is null. */
function integerText(n: number): string {
  return Number.isFinite(n) ? numberText(n) : "null";
}

/** What JSON.stringify escapes in a string: quotes, backslashes, control characters and (lone) surrogates. */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const NEEDS_ESCAPING = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A string as JSON.stringify writes it; most need no escaping and are only quoted, which is twice as fast. */
export function stringText(value: string): string {
  return NEEDS_ESCAPING.test(value) ? JSON.stringify(value) : '"' + value + '"';
}

/**
 * A finite number as JSON.stringify writes it (the shortest decimal that reads back as the same
 * double). The simulator's readings have one or two decimals (54.3, 0.34); those are written from
 * integers, which is several times faster than V8's shortest-double conversion, and exact: when
 * round(|n|·10)/10 is |n|, the one-decimal form reads back as n and nothing shorter does (a shorter
 * one would be an integer), and likewise for two decimals. Everything else goes to the engine.
 */
export function numberText(n: number): string {
  if (Number.isInteger(n)) return "" + n;
  const magnitude = n < 0 ? -n : n;
  // Below 2^31 the tenths and hundredths are small integers and a decimal step is far wider than a double's spacing.
  if (magnitude < 2147483648) {
    const sign = n < 0 ? "-" : "";
    const tenths = Math.round(magnitude * 10);
    if (tenths / 10 === magnitude) {
      const digit = tenths % 10;
      return sign + (tenths - digit) / 10 + "." + digit;
    }
    const hundredths = Math.round(magnitude * 100);
    if (hundredths / 100 === magnitude) {
      const cents = hundredths % 100;
      return sign + (hundredths - cents) / 100 + (cents < 10 ? ".0" : ".") + cents;
    }
  }
  return "" + n;
}
