/**
 * Conversions between the domain's snake_case words ("bad_deploy", "gateway") and the generated
 * TypeScript enums (FaultKind.BAD_DEPLOY, ServiceKind.GATEWAY), whose member names are the proto
 * value names without their prefix.
 */

type NumericEnum = Record<string, string | number>;

/** The enum value whose member name is the word in upper case; undefined if none. */
export function enumFromWord<E extends NumericEnum>(enumObject: E, word: string): E[keyof E] | undefined {
  const value = enumObject[word.toUpperCase()];
  return typeof value === "number" ? (value as E[keyof E]) : undefined;
}

/** The snake_case word of an enum value; undefined for unknown numbers. */
export function wordFromEnum(enumObject: NumericEnum, value: number): string | undefined {
  const name = enumObject[value];
  return typeof name === "string" ? name.toLowerCase() : undefined;
}
