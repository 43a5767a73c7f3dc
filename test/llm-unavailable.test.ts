/**
 * The llm agent fails fast when its endpoint cannot serve it: the CLI, spawned as users run it,
 * prints the first error once, counts the episodes as errors, exits 1, and prints no results
 * table; the model endpoint is asked only until the first failure. Two endpoints: a closed port
 * (nothing answers) and a tiny local server answering 401 (a bad key).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EvalResults } from "../src/eval/results.js";

const ROOT = join(import.meta.dirname, "..");
const work = mkdtempSync(join(tmpdir(), "incident-llm-unavailable-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: readonly string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli.ts", ...args], {
      cwd: ROOT,
      env: { ...process.env, OPENAI_API_KEY: "sk-wrong" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let refusing: Server;
let refusingUrl = "";
let refusals = 0;
beforeAll(async () => {
  refusing = createServer((request, response) => {
    refusals++;
    request.resume();
    response.writeHead(401, { "content-type": "application/json" });
    response.end(
      JSON.stringify({ error: { message: "Incorrect API key provided", type: "invalid_request_error", code: "invalid_api_key" } }),
    );
  });
  await new Promise<void>((resolve) => refusing.listen(0, "127.0.0.1", resolve));
  refusingUrl = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise((resolve) => refusing.close(resolve)));

function expectFailedFast(run: Run, out: string, why: RegExp): void {
  expect(run.code, run.stderr).toBe(1);
  // No table, no scores: stdout stays empty.
  expect(run.stdout).toBe("");
  const errors = run.stderr.split("\n").filter((line) => line.startsWith("error:"));
  expect(errors, run.stderr).toHaveLength(2);
  expect(errors[0]).toMatch(why);
  expect(errors[1]).toBe(`error: 4 of 4 episodes counted as errors; wrote ${out}`);
  const results = JSON.parse(readFileSync(out, "utf8")) as EvalResults;
  expect(results.errors).toBe(4);
  expect(results.episode_results.every((e) => e.error !== undefined && e.score === 0)).toBe(true);
  expect(results.episode_results.slice(1).every((e) => e.status === "not_played")).toBe(true);
}

describe("the llm agent with an endpoint that cannot serve it", () => {
  it("a closed port: unreachable", async () => {
    const out = join(work, "closed.json");
    const run = await cli([
      "eval",
      "--agent",
      "llm",
      "--base-url",
      `http://127.0.0.1:${await closedPort()}/v1`,
      "--tasks",
      "easy,medium",
      "--seeds",
      "0-1",
      "--concurrency",
      "1",
      "--out",
      out,
      "--trajectories",
      join(work, "closed.jsonl"),
    ]);
    expectFailedFast(
      run,
      out,
      /^error: the llm agent cannot play: the model endpoint http:\/\/127\.0\.0\.1:\d+\/v1 \(model [^)]+\) is unreachable: Connection error\.$/,
    );
    // The one episode that was played wrote its trajectory, with its error.
    const lines = readFileSync(join(work, "closed.jsonl"), "utf8").trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ task: "easy", seed: 0, error: expect.stringMatching(/unreachable/) });
  }, 60_000);

  it("HTTP 401: a bad key, asked once", async () => {
    const out = join(work, "refused.json");
    refusals = 0;
    const run = await cli([
      "eval",
      "--agent",
      "llm",
      "--base-url",
      refusingUrl,
      "--model",
      "tiny",
      "--tasks",
      "easy,medium",
      "--seeds",
      "0-1",
      "--concurrency",
      "1",
      "--no-trajectories",
      "--out",
      out,
    ]);
    expectFailedFast(
      run,
      out,
      /^error: the llm agent cannot play: the model endpoint http:\/\/127\.0\.0\.1:\d+\/v1 \(model tiny\) refused the request with HTTP 401: 401 Incorrect API key provided$/,
    );
    expect(refusals).toBe(1);
  }, 60_000);
});
