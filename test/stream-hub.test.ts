import { describe, expect, it } from "vitest";
import { EnvError } from "../src/env/errors.js";
import { Feed, STREAM_READ_ATTEMPTS } from "../src/env/shared-store/stream-hub.js";
import type { JournalRead } from "../src/env/shared-store/store-client.js";

const READ: JournalRead = { entries: [{ seq: 1, blob: Buffer.from("x") }], endSeq: undefined, gone: false };

/** A feed whose store read fails with `errors` in turn, then answers READ; counts the reads. */
function feedFailing(errors: Error[]): { feed: Feed; reads: () => number } {
  let reads = 0;
  const feed = new Feed("ep", "gen", "logs", async () => {
    const error = errors[reads++];
    if (error) throw error;
    return READ;
  });
  return { feed, reads: () => reads };
}

const timedOut = (): EnvError => new EnvError("unavailable", "the episode store cannot be reached (Command timed out); retry later");

describe("a subscriber's reads of the store", () => {
  it("ride out a store that does not answer for a while", async () => {
    const { feed, reads } = feedFailing(Array.from({ length: STREAM_READ_ATTEMPTS - 1 }, timedOut));
    expect(await feed.readPatiently(0, undefined)).toEqual(READ);
    expect(reads()).toBe(STREAM_READ_ATTEMPTS);
  });

  it("give up with unavailable when the store stays away", async () => {
    const { feed, reads } = feedFailing(Array.from({ length: STREAM_READ_ATTEMPTS }, timedOut));
    await expect(feed.readPatiently(0, undefined)).rejects.toMatchObject({ kind: "unavailable" });
    expect(reads()).toBe(STREAM_READ_ATTEMPTS);
  });

  it("do not retry other errors, nor for a subscriber that left", async () => {
    const other = feedFailing([new EnvError("not_found", "gone")]);
    await expect(other.feed.readPatiently(0, undefined)).rejects.toMatchObject({ kind: "not_found" });
    expect(other.reads()).toBe(1);
    const left = feedFailing([timedOut()]);
    const abort = new AbortController();
    abort.abort();
    await expect(left.feed.readPatiently(0, abort.signal)).rejects.toMatchObject({ kind: "unavailable" });
    expect(left.reads()).toBe(1);
  });
});
