/** Conversions between the domain's level words and the proto's TaskLevel enum (through src/sim/enum-words.ts). */
import { TaskLevel } from "../../gen/incident/v1/enums_pb.js";
import { enumFromWord, wordFromEnum } from "../sim/enum-words.js";
import type { Level } from "../sim/vocabulary.js";
import { LEVELS } from "./tasks.js";

export function levelToEnum(level: Level): TaskLevel {
  return enumFromWord(TaskLevel, level) ?? TaskLevel.UNSPECIFIED;
}

/** The level word for an enum value; undefined for UNSPECIFIED or an unknown number. */
export function levelFromEnum(value: TaskLevel): Level | undefined {
  const word = wordFromEnum(TaskLevel, value);
  return word !== undefined && (LEVELS as readonly string[]).includes(word) ? (word as Level) : undefined;
}
