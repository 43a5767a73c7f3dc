/**
 * ALLOCATION_SITE_PRETENURING (src/pretenuring.ts): the setting is checked, and the server process
 * turns V8's allocation-site pretenuring off for every isolate it starts afterwards, its
 * simulation workers included, unless the setting keeps it. V8 prints its pretenuring statistics
 * with --trace-pretenuring-statistics; the test reads them from a real server with two workers
 * after it has served resets, and finds none when pretenuring is off and some when it is on.
 */
import { describe, expect, it } from "vitest";
import { pretenuringFromEnv } from "../src/pretenuring.js";
import { startReplica } from "./support/replica-process.js";
import { http } from "./support/server.js";

/** V8's pretenuring lines printed after the server started listening, while it served 40 medium resets. */
async function pretenuringLinesUnderResets(env: Record<string, string>): Promise<string[]> {
  const server = await startReplica({ WORKERS: "2", ...env }, 40_000, ["--trace-pretenuring-statistics"]);
  try {
    const listenedAt = server.output().search(/incident-response-env listening on/);
    // Episodes that outlive a few young collections and die when their id is reset again: what
    // V8 pretenures when it may.
    for (let i = 0; i < 40; i++) {
      const { status } = await http(server.baseUrl, "POST", "/reset", {
        task_level: "medium",
        seed: i + 1,
        episode_id: `pretenure-${i % 25}`,
      });
      expect(status).toBe(200);
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    return server
      .output()
      .slice(listenedAt)
      .split("\n")
      .filter((line) => line.includes("pretenuring:"));
  } finally {
    server.child.kill("SIGTERM");
    await server.exited;
  }
}

describe("ALLOCATION_SITE_PRETENURING", () => {
  it("is off unless set to 1", () => {
    expect(pretenuringFromEnv({})).toBe(false);
    expect(pretenuringFromEnv({ ALLOCATION_SITE_PRETENURING: "" })).toBe(false);
    expect(pretenuringFromEnv({ ALLOCATION_SITE_PRETENURING: "0" })).toBe(false);
    expect(pretenuringFromEnv({ ALLOCATION_SITE_PRETENURING: "1" })).toBe(true);
    for (const bad of ["yes", "true", "2", " 1"]) {
      expect(() => pretenuringFromEnv({ ALLOCATION_SITE_PRETENURING: bad })).toThrow(
        `ALLOCATION_SITE_PRETENURING must be 0 or 1, got "${bad}"`,
      );
    }
  });

  it("a server by default: no pretenuring in its thread or its workers while it serves resets", async () => {
    expect(await pretenuringLinesUnderResets({})).toEqual([]);
  }, 90_000);

  it("with ALLOCATION_SITE_PRETENURING=1: V8 pretenures as it would by itself", async () => {
    const lines = await pretenuringLinesUnderResets({ ALLOCATION_SITE_PRETENURING: "1" });
    expect(
      lines.some((line) => line.includes("=> tenure")),
      lines.join("\n"),
    ).toBe(true);
  }, 90_000);
});
