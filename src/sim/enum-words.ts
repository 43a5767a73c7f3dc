/**
 * The one place that converts between the domain's snake_case words ("bad_deploy", "gateway",
 * "apply_fix") and the generated TypeScript enums (FaultKind.BAD_DEPLOY, ServiceKind.GATEWAY,
 * ActionType.APPLY_FIX), whose member names are the proto value names without their prefix. Every
 * list of words (eval --fault, the property tests' ranges) is derived here from the enums, so a
 * value added to a proto enum is known everywhere without another edit.
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

/** Every value of an enum but its zero (UNSPECIFIED), in declaration order. */
export function enumValues<E extends NumericEnum>(enumObject: E): Array<E[keyof E]> {
  return Object.values(enumObject).filter((v): v is E[keyof E] => typeof v === "number" && v !== 0);
}

/** The words of every value of an enum but its zero, in declaration order. */
export function enumWords(enumObject: NumericEnum): string[] {
  return enumValues(enumObject).map((v) => wordFromEnum(enumObject, v as number) ?? "");
}
