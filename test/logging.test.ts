/**
 * Request logging: off by default (one line per request would drown a training run's log and cost
 * the hot path), on with ACCESS_LOG=1 (buildApp's accessLog). Through a real server on port 0.
 */
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { IncidentEnvironment } from "../src/env/environment.js";
import { buildApp } from "../src/server/app.js";

async function logLinesOf(accessLog: boolean): Promise<string[]> {
  const lines: string[] = [];
  const { app } = await buildApp({
    env: new IncidentEnvironment(),
    logLevel: "info",
    accessLog,
    logStream: { write: (line) => void lines.push(line) },
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  try {
    const { port } = app.server.address() as AddressInfo;
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBe(200);
    const missing = await fetch(`http://127.0.0.1:${port}/state?episode_id=nobody`);
    expect(missing.status).toBe(404);
  } finally {
    await app.close();
  }
  return lines;
}

describe("request logging", () => {
  it("logs no line per request by default, and one per request and response with ACCESS_LOG", async () => {
    const messages = (lines: string[]): string[] =>
      lines
        .map((line) => (JSON.parse(line) as { msg: string }).msg)
        .filter((msg) => msg.startsWith("incoming") || msg.startsWith("request completed"));
    expect(messages(await logLinesOf(false))).toEqual([]);
    const loud = await logLinesOf(true);
    expect(messages(loud)).toEqual(["incoming request", "request completed", "incoming request", "request completed"]);
    expect(loud.some((line) => line.includes('"/health"'))).toBe(true);
  });
});
