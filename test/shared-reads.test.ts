import { describe, expect, it } from "vitest";
import { SharedReads } from "../src/env/shared-store/shared-reads.js";

/** A read whose start and answer the test controls. */
function controlledRead(): {
  read: (started: () => void) => Promise<string>;
  start: () => void;
  answer: (text: string) => void;
  fail: (error: Error) => void;
  calls: () => number;
} {
  let calls = 0;
  let started: (() => void) | undefined;
  let resolve: ((text: string) => void) | undefined;
  let reject: ((error: Error) => void) | undefined;
  return {
    read: (s) => {
      calls++;
      started = s;
      return new Promise<string>((res, rej) => {
        resolve = res;
        reject = rej;
      });
    },
    start: () => started?.(),
    answer: (text) => resolve?.(text),
    fail: (error) => reject?.(error),
    calls: () => calls,
  };
}

describe("SharedReads", () => {
  it("lets reads that arrive before a read starts share it, and gives later arrivals a read of their own", async () => {
    const reads = new SharedReads<string>();
    const first = controlledRead();
    const a = reads.run("ep", first.read);
    const b = reads.run("ep", first.read);
    const other = reads.run("other", controlledRead().read);
    expect(first.calls()).toBe(1);
    expect(reads.size).toBe(2);
    void other;
    first.start();
    // Started: a read arriving now may not see what the started one saw, so it gets its own.
    const second = controlledRead();
    const c = reads.run("ep", second.read);
    expect(second.calls()).toBe(1);
    first.answer("old");
    second.start();
    second.answer("new");
    expect(await Promise.all([a, b, c])).toEqual(["old", "old", "new"]);
  });

  it("fails every read that joined a failed one, and does not keep it for later arrivals", async () => {
    const reads = new SharedReads<string>();
    const failing = controlledRead();
    const a = reads.run("ep", failing.read);
    const b = reads.run("ep", failing.read);
    failing.fail(new Error("store down"));
    await expect(a).rejects.toThrow("store down");
    await expect(b).rejects.toThrow("store down");
    expect(reads.size).toBe(0);
    const next = controlledRead();
    const c = reads.run("ep", next.read);
    expect(next.calls()).toBe(1);
    next.start();
    next.answer("back");
    expect(await c).toBe("back");
    expect(reads.size).toBe(0);
  });
});
