/**
 * Parsing of the evaluation's arguments: seed ranges, task lists, fault kinds. Every error says
 * what was wrong and what is accepted.
 */

import { FaultKind } from "../../gen/incident/v1/enums_pb.js";
import { enumWords } from "../sim/enum-words.js";

export const TASK_WORDS = ["easy", "medium", "hard", "expert"] as const;
export const TRANSPORTS = ["rest", "connect", "grpc", "grpc-web"] as const;
export type TransportName = (typeof TRANSPORTS)[number];
/** Fault modes of the library, as eval --fault spells them (FaultKind without its prefix), from the proto enum. */
export const FAULT_WORDS: readonly string[] = enumWords(FaultKind);
export type TaskWord = (typeof TASK_WORDS)[number];

/** Largest seed: seeds are uint32 (the held-out range is 2147483648-4294967295). */
const MAX_SEED = 4_294_967_295;
/** More episodes per task than this is almost certainly a typo. */
const MAX_SEEDS = 1_000_000;

export class ArgumentError extends Error {
  override name = "ArgumentError";
}

/**
 * "0-99", "7", "1,5,9", "0-9,100-109": the seeds in the order written, duplicates dropped.
 */
export function parseSeeds(spec: string): number[] {
  const text = spec.trim();
  if (text === "") throw new ArgumentError(`bad seed range "${spec}": expected e.g. 0-99, 7 or 1,5,9`);
  const out: number[] = [];
  const seen = new Set<number>();
  for (const part of text.split(",")) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!m)
      throw new ArgumentError(
        `bad seed range "${spec}": "${part.trim()}" is not a seed or a range FIRST-LAST of whole numbers (e.g. 0-99)`,
      );
    const first = Number(m[1]);
    const last = m[2] !== undefined ? Number(m[2]) : first;
    if (first > MAX_SEED || last > MAX_SEED) throw new ArgumentError(`bad seed range "${spec}": seeds go from 0 to ${MAX_SEED}`);
    if (last < first) throw new ArgumentError(`bad seed range "${spec}": ${first}-${last} ends before it starts`);
    if (out.length + (last - first + 1) > MAX_SEEDS) throw new ArgumentError(`bad seed range "${spec}": more than ${MAX_SEEDS} seeds`);
    for (let s = first; s <= last; s++) {
      if (!seen.has(s)) {
        seen.add(s);
        out.push(s);
      }
    }
  }
  return out;
}

/** A compact spelling of a seed list ("0-99", "1,5,9"). */
export function formatSeeds(seeds: readonly number[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < seeds.length) {
    let j = i;
    while (j + 1 < seeds.length && seeds[j + 1] === (seeds[j] ?? 0) + 1) j++;
    parts.push(i === j ? String(seeds[i]) : `${seeds[i]}-${seeds[j]}`);
    i = j + 1;
  }
  return parts.join(",");
}

/** "easy,medium,hard" or "all". */
export function parseTasks(spec: string): TaskWord[] {
  const words = spec
    .split(",")
    .map((w) => w.trim().toLowerCase())
    .filter((w) => w !== "");
  if (words.length === 1 && words[0] === "all") return [...TASK_WORDS];
  if (words.length === 0)
    throw new ArgumentError(`bad task list "${spec}": expected a comma-separated list of ${TASK_WORDS.join(", ")} (or all)`);
  const out: TaskWord[] = [];
  for (const w of words) {
    if (!(TASK_WORDS as readonly string[]).includes(w))
      throw new ArgumentError(`unknown task "${w}": expected ${TASK_WORDS.join(", ")} (or all)`);
    if (!out.includes(w as TaskWord)) out.push(w as TaskWord);
  }
  return out;
}

export function parsePositiveInt(name: string, value: string, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(n) || n < 1 || n > max)
    throw new ArgumentError(`bad ${name} "${value}": expected a whole number from 1 to ${max}`);
  return n;
}

/** An http(s) URL of a server, without a trailing slash. */
export function parseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ArgumentError(`bad URL "${value}": expected e.g. http://127.0.0.1:7860`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new ArgumentError(`bad URL "${value}": only http:// and https:// are supported`);
  return value.replace(/\/+$/, "");
}
