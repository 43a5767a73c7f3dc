/**
 * The bench suite (`npm run bench`, bench/run.ts) still runs end to end: a quick run filtered to
 * one small workload starts the bare fastify yardstick and the compiled server, and writes a
 * results table with the run's facts. Only the shape is checked, never a speed.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "bench-suite-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[], script = "bench/run.ts"): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", script, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("npm run bench", () => {
  it("runs a quick, filtered suite and writes the results table with the yardstick beside the figure", async () => {
    const out = join(dir, "RESULTS.md");
    const result = await run(["--quick", "--duration", "0.5", "--only", "state", "--store", "memory", "--workers", "1", "--out", out]);
    expect(result.code, result.stderr).toBe(0);
    const markdown = readFileSync(out, "utf8");
    expect(markdown).toContain("| workload | figure | yardstick | ratio | target | met? | CPU (cores busy) | note |");
    expect(markdown).toMatch(/^- Date: \d{4}-\d\d-\d\dT/m);
    expect(markdown).toMatch(/^- Machine: .+, \d+ cores, [\d.]+ GiB RAM/m);
    expect(markdown).toMatch(/^- Node: v\d+\.\d+\.\d+$/m);
    expect(markdown).toMatch(/^- Git commit: [0-9a-f]{7,}/m);
    expect(markdown).toMatch(/^\| bare fastify GET, HTTP\/1\.1 .*\| [\d,]+ req\/s/m);
    // The served row: a rate, the bare route's rate as its yardstick, their ratio, the target, a
    // verdict, and the CPU the server and the load generator kept busy.
    expect(markdown).toMatch(
      /^\| GET \/state \(HTTP\/1\.1\) · in-memory, WORKERS=1 \| [\d,.]+ req\/s[^|]*\| [\d,.]+ req\/s \(bare fastify[^)|]*\) \| [\d.]+× \| ≥ 0\.5× bare fastify \| (yes|NO) \| server [\d.]+ cores \([\d.]+ ms per request\) \+ bench [\d.]+ \|/m,
    );
    expect(result.stdout).toContain("GET /state (HTTP/1.1) · in-memory, WORKERS=1");
    // Its yardstick is bare fastify measured just before and after it, not the run's start and end.
    expect(markdown).toMatch(
      /^\| GET \/state \(HTTP\/1\.1\) · in-memory, WORKERS=1 \|[^|]*\| [\d,.]+ req\/s \(bare fastify, just before and after this row\) \|.*\| bare fastify [\d,]+ req\/s just before this row, [\d,]+ just after \|$/m,
    );
  }, 120_000);

  it("warms a server's simulation with the yardstick's warm-up episodes before its first episode row", async () => {
    const out = join(dir, "RESULTS.reset.md");
    const result = await run(["--quick", "--duration", "0.5", "--only", "reset", "--store", "memory", "--workers", "1", "--out", out]);
    expect(result.code, result.stderr).toBe(0);
    const said = result.stdout + result.stderr;
    // --quick warms with QUICK_WARMUP_EPISODES (50) per simulation thread; every reset answered 200.
    expect(said).toContain("warming the simulation: 50 REST episodes (50 per simulation thread)");
    expect(said).toMatch(/warm: 50 episodes played in [\d.]+ s\n/);
    expect(said.indexOf("warm: 50 episodes")).toBeLessThan(said.indexOf("POST /reset (autocannon)"));
    expect(readFileSync(out, "utf8")).toMatch(/each server first plays 50 episodes per simulation thread/);
  }, 120_000);

  it("measures the in-process yardstick: reset and step times, and the garbage-collector pauses within them", async () => {
    const out = join(dir, "RESULTS.inprocess.md");
    const result = await run(["--quick", "--only", "inprocess", "--out", out]);
    expect(result.code, result.stderr).toBe(0);
    const markdown = readFileSync(out, "utf8");
    expect(markdown).toMatch(/^\| in process: medium reset, mean \| [\d.]+ ms \|/m);
    expect(markdown).toMatch(/^\| in process: medium inspect step, mean \| [\d.]+ ms \(p50 [\d.]+ ms, p99 [\d.]+ ms\) \|/m);
    // The pauses are a part of each mean: the note gives the means without them, never negative.
    const gc =
      /^\| in process: garbage-collector pauses within a medium reset \/ an inspect step, mean \| ([\d.]+) ms \/ ([\d.]+) ms \|.*the means without them: reset ([\d.]+) ms, step ([\d.]+) ms/m.exec(
        markdown,
      );
    expect(gc, markdown).not.toBeNull();
  }, 120_000);

  it("compares a server's episode rows with the in-process mix measured just before and after them", async () => {
    const out = join(dir, "RESULTS.rest-step.md");
    const result = await run(["--quick", "--duration", "0.5", "--only", "rest-step", "--store", "memory", "--workers", "1", "--out", out]);
    expect(result.code, result.stderr).toBe(0);
    const markdown = readFileSync(out, "utf8");
    const beside =
      /^\| in process: episode mix, 1 core, just before \/ after this server's episode rows \(their yardstick\) · in-memory, WORKERS=1 \| ([\d,]+) \/ ([\d,]+) steps\/s \|/m.exec(
        markdown,
      );
    expect(beside, markdown).not.toBeNull();
    const mean = (Number(beside?.[1]?.replace(/,/g, "")) + Number(beside?.[2]?.replace(/,/g, ""))) / 2;
    const row =
      /^\| POST \/step \(REST, 50 conns\) · in-memory, WORKERS=1 \|[^|]*\| ([\d,]+) steps\/s \(in process, 1 core, just before and after this server's episode rows\) \|/m.exec(
        markdown,
      );
    expect(row, markdown).not.toBeNull();
    // The row's yardstick is the mean of the two readings around it (rounded as the table prints it).
    expect(Math.abs(Number(row?.[1]?.replace(/,/g, "")) - mean)).toBeLessThanOrEqual(1);
    // The in-process reset and step rows give the median of the run's readings: start, before and
    // after the server's episode rows, end.
    expect(markdown).toMatch(
      /^\| in process: medium reset, mean, median of the run's 4 readings \| [\d.]+ ms \(readings [\d.]+ ms–[\d.]+ ms; [\d.]+ ms at the start of the run, p50 [\d.]+ ms, p99 [\d.]+ ms\) \|/m,
    );
    expect(markdown).toMatch(/^\| in process: medium inspect step, mean, median of the run's 4 readings \| [\d.]+ ms \(readings /m);
  }, 120_000);

  it("refuses an unknown workload", async () => {
    const result = await run(["--quick", "--only", "no-such-workload"]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('unknown workload "no-such-workload"');
  }, 30_000);
});

describe("npm run bench:side-by-side", () => {
  const sideBySide = (args: string[]) => run(args, "bench/side-by-side.ts");

  it("measures two servers in alternating windows and gives each one's rate, CPU per request and ratio to the first", async () => {
    const result = await sideBySide(["--workload", "reset", "--rounds", "2", "--window", "0.5", "--warm", "0", ".", ".,WORKERS=1"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^round 1: \. \d+\/s [\d.]+ ms CPU \| \.,WORKERS=1 \d+\/s [\d.]+ ms CPU$/m);
    expect(result.stdout).toMatch(/^round 2: /m);
    expect(result.stdout).toMatch(/^\.: mean \d+ \(\d+-\d+\), [\d.]+ ms of server CPU per request$/m);
    expect(result.stdout).toMatch(
      /^\.,WORKERS=1: mean \d+ \(\d+-\d+\), [\d.]+ ms of server CPU per request, [\d.]+x the first \(rounds [\d.]+ [\d.]+\)$/m,
    );
    expect(result.stdout).not.toContain("failed");
  }, 120_000);

  it("refuses one server, a malformed setting and an unknown workload with one line each", async () => {
    const one = await sideBySide(["."]);
    expect(one.code).toBe(1);
    expect(one.stderr).toContain("name two or more servers");
    const malformed = await sideBySide([".", ".,WORKERS"]);
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toContain('a setting is NAME=VALUE, got "WORKERS" in ".,WORKERS"');
    const unknown = await sideBySide(["--workload", "grpc", ".", "."]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('--workload is one of reset, rest-step, got "grpc"');
    // A server that refuses its settings: its own words, not a timeout.
    const refused = await sideBySide([".", ".,WORKERS=zero"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(".,WORKERS=zero exited with code 1 before it answered /health");
    expect(refused.stderr).toContain("WORKERS");
  }, 60_000);
});
