/** Conversions between the domain's level words and the proto's TaskLevel enum. */
import { TaskLevel } from "../../gen/incident/v1/enums_pb.js";
import type { Level } from "../sim/vocabulary.js";

const TO_ENUM: Readonly<Record<Level, TaskLevel>> = {
  easy: TaskLevel.EASY,
  medium: TaskLevel.MEDIUM,
  hard: TaskLevel.HARD,
  expert: TaskLevel.EXPERT,
};

export function levelToEnum(level: Level): TaskLevel {
  return TO_ENUM[level];
}

/** The level word for an enum value; undefined for UNSPECIFIED or an unknown number. */
export function levelFromEnum(value: TaskLevel): Level | undefined {
  return (Object.keys(TO_ENUM) as Level[]).find((level) => TO_ENUM[level] === value);
}
