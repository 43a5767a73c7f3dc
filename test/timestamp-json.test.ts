/**
 * The REST JSON writer's Timestamp (src/json/timestamp-json.ts) against protobuf-es's toJson: the
 * same string for every value toJson writes, the same error for every value it refuses.
 */
import { create, toJson } from "@bufbuild/protobuf";
import { TimestampSchema } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import { timestampJson } from "../src/json/timestamp-json.js";
import { Rng } from "../src/sim/prng.js";

const FIRST_SECONDS = -62_135_596_800n; // 0001-01-01T00:00:00Z
const LAST_SECONDS = 253_402_300_799n; // 9999-12-31T23:59:59Z

const reference = (seconds: bigint, nanos: number): string =>
  toJson(TimestampSchema, create(TimestampSchema, { seconds, nanos })) as string;
const ours = (seconds: bigint, nanos: number): string => timestampJson(create(TimestampSchema, { seconds, nanos }));

describe("timestampJson", () => {
  it("writes what toJson writes, over 20,000 random timestamps across the whole range and the bench's years", () => {
    const rng = new Rng(20261203);
    const span = Number(LAST_SECONDS - FIRST_SECONDS);
    for (let i = 0; i < 20_000; i++) {
      // Half anywhere in the range, half near the episodes' own dates (2026), where the day cache works.
      const seconds =
        i % 2 === 0 ? FIRST_SECONDS + BigInt(Math.floor(rng.next() * span)) : 1_767_225_600n + BigInt(rng.int(0, 400 * 86_400));
      const nanos = [0, rng.int(1, 999) * 1_000_000, rng.int(1, 999_999) * 1000, rng.int(1, 999_999_999)][i % 4] as number;
      expect(ours(seconds, nanos), `${seconds}s ${nanos}ns`).toBe(reference(seconds, nanos));
    }
  });

  it("writes the edges as toJson does: the first and last second, the epoch, a second before it, every kind of fraction", () => {
    const cases: [bigint, number][] = [
      [FIRST_SECONDS, 0],
      [LAST_SECONDS, 999_999_999],
      [0n, 0],
      [-1n, 0],
      [-1n, 1],
      [86_399n, 500_000_000],
      [86_400n, 10_000],
      [951_782_400n, 1], // 2000-02-29
      [1_767_225_599n, 999_000_000],
    ];
    for (const [seconds, nanos] of cases) expect(ours(seconds, nanos), `${seconds}s ${nanos}ns`).toBe(reference(seconds, nanos));
  });

  it("refuses what toJson refuses, with its error", () => {
    const cases: [bigint, number][] = [
      [FIRST_SECONDS - 1n, 0],
      [LAST_SECONDS + 1n, 0],
      [0n, -1],
      [0n, 1_000_000_000],
    ];
    for (const [seconds, nanos] of cases) {
      expect(() => reference(seconds, nanos)).toThrow();
      expect(() => ours(seconds, nanos)).toThrow(
        (() => {
          try {
            reference(seconds, nanos);
          } catch (error) {
            return (error as Error).message;
          }
          return "";
        })(),
      );
    }
  });
});
