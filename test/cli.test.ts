/**
 * The incident-env CLI, spawned as users run it (`node --import tsx src/cli.ts ...`, and once
 * through the package's bin with npx): help for every command, clear errors and exit codes for
 * bad arguments, the full 100-seed heuristic evaluation in under a minute, identical results
 * run to run, --json, --openenv-log, replay, report, remote runs and the llm agent.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EvalResults } from "../src/eval/results.js";
import { startFakeOpenAI, type FakeOpenAI } from "./support/fake-openai.js";
import { useServer } from "./support/server.js";

const ROOT = join(import.meta.dirname, "..");
const server = useServer();
const work = mkdtempSync(join(tmpdir(), "incident-cli-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function cli(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  command: readonly string[] = [process.execPath, "--import", "tsx", "src/cli.ts"],
): Promise<Run> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const [bin, ...pre] = command;
    const child = spawn(bin ?? process.execPath, [...pre, ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr, ms: performance.now() - started }));
  });
}

const out = (name: string): string => join(work, name);

describe.concurrent("help and bad arguments", () => {
  it.each([[[]], [["eval"]], [["replay"]], [["report"]], [["agents"]]])("%j --help explains the command and exits 0", async (cmd) => {
    const r = await cli([...cmd, "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Usage: incident-env ${cmd.length > 0 ? `${cmd[0]} ` : ""}`));
  });

  it.each([
    [["eval", "--seeds", "9-3"], /error: bad seed range "9-3": 9-3 ends before it starts/],
    [["eval", "--seeds", "lots"], /error: bad seed range "lots"/],
    [["eval", "--agent", "gpt-9"], /error: unknown agent "gpt-9": choose one of heuristic, random, oracle, llm/],
    [["eval", "--tasks", "easy,legendary"], /error: unknown task "legendary"/],
    [["eval", "--concurrency", "0"], /error: bad concurrency "0"/],
    [["eval", "--fault", "gremlins"], /error: unknown fault mode "gremlins"/],
    [["eval", "--transport", "grpc"], /--transport needs --url/],
    [
      ["eval", "--url", "http://127.0.0.1:9", "--transport", "carrier-pigeon"],
      /argument 'carrier-pigeon' is invalid. Allowed choices are rest, connect, grpc, grpc-web/,
    ],
    [["eval", "--url", "ftp://x"], /bad URL "ftp:\/\/x"/],
    [
      ["eval", "--agent", "oracle", "--url", "http://127.0.0.1:9"],
      /oracle agent reads the episode's ground truth, so it runs only in process/,
    ],
    [["eval", "--json", "--openenv-log"], /--json and --openenv-log both write to stdout/],
    [["eval", "--bogus"], /unknown option '--bogus'/],
    [["report", "does-not-exist.json"], /cannot read does-not-exist.json/],
    [["replay", "does-not-exist.jsonl"], /cannot read does-not-exist.jsonl/],
    [["frobnicate"], /unknown command 'frobnicate'/],
    [[], /Usage: incident-env/],
  ])("%j exits 2 with a clear message", async (args, message) => {
    const r = await cli(args);
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
  });

  it("says so and exits 1 when the server is unreachable", async () => {
    const r = await cli([
      "eval",
      "--url",
      "http://127.0.0.1:9",
      "--transport",
      "rest",
      "--seeds",
      "0",
      "--no-trajectories",
      "--out",
      out("never.json"),
    ]);
    expect(r.stderr).toMatch(/error: cannot reach the environment at http:\/\/127\.0\.0\.1:9 over rest: /);
    expect(r.code).toBe(1);
    expect(existsSync(out("never.json"))).toBe(false);
  });

  it("rejects a results file that is not one", async () => {
    writeFileSync(out("not-results.json"), JSON.stringify({ hello: 1 }));
    const r = await cli(["report", out("not-results.json"), "-o", out("x.html")]);
    expect(r.stderr).toMatch(/is not an incident-env results file/);
    expect(r.code).toBe(2);
  });

  it("runs through the package's bin with npx", async () => {
    const r = await cli(["--version"], { npm_config_offline: "true", npm_config_update_notifier: "false" }, [
      "npx",
      "--no-install",
      "incident-env",
    ]);
    expect(r.stdout.trim()).toBe("0.1.0");
    expect(r.code).toBe(0);
  });
});

describe("eval in process", () => {
  it("plays the heuristic on 100 seeds of every level in under a minute, with --json on stdout", { timeout: 120_000 }, async () => {
    const r = await cli([
      "eval",
      "--agent",
      "heuristic",
      "--tasks",
      "easy,medium,hard",
      "--seeds",
      "0-99",
      "--concurrency",
      "16",
      "--json",
      "--no-trajectories",
      "--out",
      out("full.json"),
    ]);
    expect(r.code).toBe(0);
    expect(r.ms).toBeLessThan(60_000);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    const json = JSON.parse(lines[0] ?? "") as EvalResults;
    expect(json.episodes).toBe(300);
    expect(json.mean_score).toBeGreaterThan(0.9);
    for (const task of ["easy", "medium", "hard"] as const) {
      expect(json.per_task[task]?.episodes).toBe(100);
      expect(json.per_task[task]?.success_rate).toBeGreaterThanOrEqual(0.85);
      expect(Object.keys(json.per_task[task]?.per_fault ?? {}).length).toBeGreaterThan(10);
    }
    expect(readFileSync(out("full.json"), "utf8")).toBe(`${JSON.stringify(json, null, 2)}\n`);
    // No progress bar when stderr is not a terminal.
    expect(r.stderr).toBe(`wrote ${out("full.json")}\n`);
  });

  it("gives identical results.json and trajectories for the same arguments", { timeout: 60_000 }, async () => {
    const args = (n: string) => [
      "eval",
      "--agent",
      "random",
      "--seeds",
      "0-5",
      "--concurrency",
      "4",
      "--out",
      out(`same-${n}.json`),
      "--trajectories",
      out(`same-${n}.jsonl`),
    ];
    const [a, b] = await Promise.all([cli(args("a")), cli(args("b"))]);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    expect(a.stdout).toMatch(/^task\s+episodes\s+mean score/m);
    expect(readFileSync(out("same-a.json"), "utf8")).toBe(readFileSync(out("same-b.json"), "utf8"));
    expect(readFileSync(out("same-a.jsonl"), "utf8")).toBe(readFileSync(out("same-b.jsonl"), "utf8"));
    expect(readFileSync(out("same-a.jsonl"), "utf8").trimEnd().split("\n")).toHaveLength(18);

    const replay = await cli(["replay", out("same-a.jsonl")]);
    expect(replay.stdout).toMatch(/replayed 18 episodes \(\d+ steps\) .*: every reward, grade and observation is identical/);
    expect(replay.code).toBe(0);

    const lines = readFileSync(out("same-a.jsonl"), "utf8").trimEnd().split("\n");
    lines[2] = (lines[2] ?? "").replace(/"reward":([0-9.]+)/, (_m, r: string) => `"reward":${Number(r) + 0.5}`);
    writeFileSync(out("bad.jsonl"), `${lines.join("\n")}\n`);
    const bad = await cli(["replay", out("bad.jsonl")]);
    expect(bad.stdout).toMatch(/MISMATCHES/);
    expect(bad.stdout).toMatch(/line 3 episode eval-random-easy-2 step 1: reward recorded/);
    expect(bad.code).toBe(1);

    const report = await cli(["report", out("full.json"), out("same-a.json"), "-o", out("report.html")]);
    expect(report.code).toBe(0);
    const html = readFileSync(out("report.html"), "utf8");
    expect(html).toContain('<canvas id="paired">');
    expect(html).toContain("window.Chart=");
  });

  it("prints the original incident-response-env's [START]/[STEP]/[END] lines with --openenv-log", async () => {
    const r = await cli([
      "eval",
      "--agent",
      "heuristic",
      "--tasks",
      "easy",
      "--seeds",
      "3",
      "--openenv-log",
      "--no-trajectories",
      "--out",
      out("log.json"),
    ]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("[START] task=easy env=incident-response-env model=heuristic");
    for (const l of lines.slice(1, -1))
      expect(l).toMatch(/^\[STEP\] step=\d+ action=[a-z_]+ reward=\d\.\d\d done=(true|false) error=null$/);
    expect(lines[lines.length - 1]).toMatch(/^\[END\] success=true steps=\d+ score=\d\.\d{3} rewards=\d\.\d\d(,\d\.\d\d)*$/);
  });
});

describe("eval against a server and with a model", () => {
  let fake: FakeOpenAI;
  beforeAll(async () => {
    fake = await startFakeOpenAI();
  });
  afterAll(async () => {
    await fake.close();
  });

  it("plays over gRPC against --url", async () => {
    const r = await cli([
      "eval",
      "--agent",
      "heuristic",
      "--url",
      server.baseUrl,
      "--transport",
      "grpc",
      "--seeds",
      "0-1",
      "--json",
      "--trajectories",
      out("remote.jsonl"),
      "--out",
      out("remote.json"),
    ]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as EvalResults;
    expect(json).toMatchObject({ backend: "grpc", url: server.baseUrl, episodes: 6, errors: 0 });
    expect(Object.keys(json.per_fault)).toEqual(["unknown"]);
    const replay = await cli(["replay", out("remote.jsonl")]);
    expect(replay.code).toBe(0);
  });

  it("plays the llm agent against an OpenAI-compatible endpoint", async () => {
    fake.setDefault({ content: JSON.stringify({ action_type: "resolve", reasoning: "nothing to see" }) });
    const r = await cli(
      [
        "eval",
        "--agent",
        "llm",
        "--base-url",
        fake.baseURL,
        "--model",
        "tiny-test-model",
        "--tasks",
        "medium",
        "--seeds",
        "4",
        "--openenv-log",
        "--no-trajectories",
        "--out",
        out("llm.json"),
      ],
      {
        OPENAI_API_KEY: "sk-test",
      },
    );
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")).toEqual([
      "[START] task=medium env=incident-response-env model=tiny-test-model",
      "[STEP] step=1 action=resolve reward=0.00 done=true error=null",
      "[END] success=false steps=1 score=0.000 rewards=0.00",
      "",
    ]);
    expect(fake.requests.at(-1)?.model).toBe("tiny-test-model");
    const results = JSON.parse(readFileSync(out("llm.json"), "utf8")) as EvalResults;
    expect(results.agent_stats).toMatchObject({ calls: 1, fallbacks: 0 });
  });
});
