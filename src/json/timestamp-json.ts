/**
 * google.protobuf.Timestamp in its proto JSON form ("2026-06-01T12:34:56Z", with 3, 6 or 9 digits
 * of fraction when it has nanos), exactly as protobuf-es's `toJson` writes it, for the REST JSON
 * writer (./rest-json-writer.ts).
 *
 * Why not `toJson`: every log line and alert of an observation carries a timestamp, dozens per
 * step, and `toJson`'s generic path (its options, a `Date`, `toISOString`, a `replace`) took about
 * 4% of a served REST step's CPU in a profile of the bench's POST /step row. Timestamps of one
 * episode fall on a few days, so the date part is made once per day and kept; the time of day is
 * plain arithmetic. A value `toJson` refuses (out of its range, nanos out of bounds) goes to
 * `toJson`, which throws its own error.
 */
import { toJson } from "@bufbuild/protobuf";
import { TimestampSchema, type Timestamp } from "@bufbuild/protobuf/wkt";

const MS_PER_DAY = 86_400_000;
/** protobuf-es's bounds: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z. */
const FIRST_MS = Date.parse("0001-01-01T00:00:00Z");
const LAST_MS = Date.parse("9999-12-31T23:59:59Z");

/** "YYYY-MM-DDT" by day number (days since 1970-01-01), bounded: a server runs many episodes. */
const datePrefixes = new Map<number, string>();
const MAX_DATE_PREFIXES = 4096;

function datePrefix(day: number): string {
  let prefix = datePrefixes.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * MS_PER_DAY).toISOString().slice(0, 11);
    if (datePrefixes.size >= MAX_DATE_PREFIXES) datePrefixes.clear();
    datePrefixes.set(day, prefix);
  }
  return prefix;
}

const two = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** The proto JSON string of a Timestamp (throws as `toJson` does for one it cannot write). */
export function timestampJson(value: Timestamp): string {
  const ms = Number(value.seconds) * 1000;
  const nanos = value.nanos;
  if (!(ms >= FIRST_MS && ms <= LAST_MS) || !(nanos >= 0 && nanos <= 999_999_999) || !Number.isInteger(nanos)) {
    return toJson(TimestampSchema, value) as string;
  }
  const day = Math.floor(ms / MS_PER_DAY);
  const inDay = ms - day * MS_PER_DAY; // whole seconds: `seconds` is an integer
  const hours = Math.floor(inDay / 3_600_000);
  const minutes = Math.floor((inDay % 3_600_000) / 60_000);
  const secs = Math.floor((inDay % 60_000) / 1000);
  let fraction = "";
  if (nanos > 0) {
    const digits = String(nanos + 1_000_000_000).slice(1);
    fraction = digits.endsWith("000000") ? `.${digits.slice(0, 3)}` : digits.endsWith("000") ? `.${digits.slice(0, 6)}` : `.${digits}`;
  }
  return `${datePrefix(day)}${two(hours)}:${two(minutes)}:${two(secs)}${fraction}Z`;
}
