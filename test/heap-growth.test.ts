/**
 * HEAP_GROWING_PERCENT (src/heap-growth.ts): the setting is checked, and the server process applies
 * it to every isolate it starts afterwards, its simulation workers included. V8 prints each new
 * heap limit and the factor it used with --trace-gc-verbose; the test reads them from a real
 * server with two workers.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_HEAP_GROWING_PERCENT, heapGrowingPercentFromEnv } from "../src/heap-growth.js";
import { startReplica } from "./support/replica-process.js";
import { http } from "./support/server.js";

describe("HEAP_GROWING_PERCENT", () => {
  it("defaults to 100 and takes an integer from 0 to 300", () => {
    expect(DEFAULT_HEAP_GROWING_PERCENT).toBe(100);
    expect(heapGrowingPercentFromEnv({})).toBe(100);
    expect(heapGrowingPercentFromEnv({ HEAP_GROWING_PERCENT: "" })).toBe(100);
    expect(heapGrowingPercentFromEnv({ HEAP_GROWING_PERCENT: "0" })).toBe(0);
    expect(heapGrowingPercentFromEnv({ HEAP_GROWING_PERCENT: "300" })).toBe(300);
    for (const bad of ["301", "-1", "1.5", "lots"]) {
      expect(() => heapGrowingPercentFromEnv({ HEAP_GROWING_PERCENT: bad })).toThrow(
        `HEAP_GROWING_PERCENT must be an integer from 0 to 300, got "${bad}"`,
      );
    }
  });

  it("sets the growing factor of the server's worker heaps (137: 2.4 times what a collection kept)", async () => {
    const server = await startReplica({ WORKERS: "2", HEAP_GROWING_PERCENT: "137" }, 40_000, ["--trace-gc-verbose"]);
    const until = async (done: () => boolean, what: string): Promise<void> => {
      const deadline = Date.now() + 40_000;
      while (!done()) {
        if (Date.now() > deadline || server.child.exitCode !== null)
          throw new Error(`no ${what}; output:\n${server.output().slice(-3000)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    try {
      const listenedAt = server.output().search(/incident-response-env listening on/);
      // Work for both workers: their heaps grow and V8 sets new limits.
      for (let i = 0; i < 8; i++) {
        const { status } = await http(server.baseUrl, "POST", "/reset", { task_level: "medium", seed: i + 1, episode_id: `heap-${i}` });
        expect(status).toBe(200);
      }
      const factorsAfterStart = (): string[] =>
        [
          ...server
            .output()
            .slice(listenedAt)
            .matchAll(/\[HeapController\] Limit: old size: \d+ KB, new limit: \d+ KB \(([\d.]+)\)/g),
        ].map((m) => m[1] ?? "");
      await until(() => factorsAfterStart().length >= 2, "heap limit set after the server started");
      expect(new Set(factorsAfterStart())).toEqual(new Set(["2.4"]));
    } finally {
      server.child.kill("SIGTERM");
      await server.exited;
    }
  }, 90_000);
});
