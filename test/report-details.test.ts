/**
 * The HTML report's details: a warning when the runs side by side played different tasks or seeds,
 * the scores broken down by grading component, and a remote run's episodes filed under their
 * fault mode when its trajectory file knows it (through the CLI, against a real server).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { agentEntry } from "../src/agents/registry.js";
import { ENVIRONMENT_VERSION } from "../src/env/environment.js";
import { formatSeeds, type TaskWord } from "../src/eval/args.js";
import { InProcessBackend, remoteBackend, type EnvBackend } from "../src/eval/backend.js";
import { renderReport } from "../src/eval/report.js";
import { withTrajectories } from "../src/eval/report-trajectories.js";
import { buildResults, type EvalResults } from "../src/eval/results.js";
import { runEvaluation } from "../src/eval/runner.js";
import type { Trajectory } from "../src/eval/trajectory.js";
import { useServer } from "./support/server.js";

const ROOT = join(import.meta.dirname, "..");
const server = useServer();
const work = mkdtempSync(join(tmpdir(), "incident-report-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function evaluate(
  agent: "heuristic" | "random",
  backend: EnvBackend,
  tasks: TaskWord[],
  seeds: number[],
  version = ENVIRONMENT_VERSION,
) {
  const trajectories: Trajectory[] = [];
  const entry = agentEntry(agent);
  const run = await runEvaluation({
    agent: entry,
    backend,
    tasks,
    seeds,
    concurrency: 2,
    episodeIdPrefix: `report-${agent}-${backend.kind}`,
    trajectories: true,
    onEpisode: ({ index, trajectory }) => {
      if (trajectory) trajectories[index] = trajectory;
    },
  });
  const results = buildResults(
    {
      agent: entry.name,
      agentDescription: entry.description,
      environment: { name: "incident-response-env", version },
      backend: backend.kind,
      url: undefined,
      tasks,
      seeds: formatSeeds(seeds),
      seedsPerTask: seeds.length,
      faultKind: undefined,
      thresholds: {},
      agentStats: run.agentStats,
    },
    run.outcomes,
  );
  return { results, trajectories };
}

const named = (results: EvalResults, source: string) => ({ source, results });

describe("the report warns when runs compared side by side played different episodes", () => {
  it("says so, naming each run's tasks and seeds; and says nothing when they match", async () => {
    const heuristic = await evaluate("heuristic", new InProcessBackend(), ["easy", "medium"], [0, 1, 2]);
    const sameEpisodes = await evaluate("random", new InProcessBackend(), ["easy", "medium"], [0, 1, 2]);
    const otherSeeds = await evaluate("random", new InProcessBackend(), ["easy", "medium"], [3, 4]);
    const otherTasks = await evaluate("random", new InProcessBackend(), ["easy"], [0, 1, 2]);

    expect(renderReport([named(heuristic.results, "a.json"), named(sameEpisodes.results, "b.json")], "")).not.toContain(
      'id="different-episodes"',
    );
    const seeds = renderReport([named(heuristic.results, "a.json"), named(otherSeeds.results, "b.json")], "");
    expect(seeds).toContain('id="different-episodes"');
    expect(seeds).toContain("<li>heuristic: tasks easy, medium; seeds 0-2</li>");
    expect(seeds).toContain("<li>random: tasks easy, medium; seeds 3-4</li>");
    const tasks = renderReport([named(heuristic.results, "a.json"), named(otherTasks.results, "b.json")], "");
    expect(tasks).toContain("<li>random: tasks easy; seeds 0-2</li>");
    expect(renderReport([named(heuristic.results, "a.json")], "")).not.toContain('id="different-episodes"');
  });
});

describe("the report breaks scores down by grading component", () => {
  it("from the components the results now record, per task and run", async () => {
    const { results } = await evaluate("heuristic", new InProcessBackend(), ["easy", "medium"], [0, 1]);
    const easy = results.episode_results.find((e) => e.task === "easy");
    expect(Object.keys(easy?.components ?? {})).toContain("diagnosis");
    const html = renderReport([named(results, "a.json")], "");
    expect(html).toContain("<h2>Scores by grading component</h2>");
    const mean =
      results.episode_results.filter((e) => e.task === "easy").reduce((sum, e) => sum + (e.components?.["diagnosis"] ?? 0), 0) / 2;
    expect(html).toContain(`<tr><td>easy</td><td>diagnosis</td><td>${mean.toFixed(3)} (2)</td></tr>`);
    expect(html).toMatch(/<tr><td>medium<\/td><td>\w+<\/td><td>\d\.\d{3} \(2\)<\/td><\/tr>/);
  });

  it("from the trajectories, for results written without components", async () => {
    const { results, trajectories } = await evaluate("heuristic", new InProcessBackend(), ["easy"], [0]);
    const old: EvalResults = { ...results, episode_results: results.episode_results.map(({ components: _dropped, ...e }) => e) };
    expect(renderReport([named(old, "old.json")], "")).toContain("hold no grade components");
    expect(renderReport([named(withTrajectories(old, trajectories), "old.json")], "")).toContain("<td>easy</td><td>diagnosis</td>");
  });
});

describe("a remote run's episodes are filed under their fault mode when the trajectory knows it", () => {
  it("rebuilt in process from the recorded reset request, on the same environment version only", async () => {
    const seeds = [0, 1, 2, 3];
    const local = await evaluate("heuristic", new InProcessBackend(), ["easy", "medium"], seeds);
    const remote = await evaluate("heuristic", remoteBackend("grpc", server.baseUrl), ["easy", "medium"], seeds);
    expect(Object.keys(remote.results.per_fault)).toEqual(["unknown"]);
    const filed = withTrajectories(remote.results, remote.trajectories);
    expect(filed.episode_results.map((e) => e.fault)).toEqual(local.results.episode_results.map((e) => e.fault));
    expect(Object.keys(filed.per_fault)).toEqual(Object.keys(local.results.per_fault));
    expect(filed.per_task.easy?.per_fault).toEqual(local.results.per_task.easy?.per_fault);
    // Another version may build another incident from the same seed: left unknown.
    const other = withTrajectories(
      { ...remote.results, environment: { ...remote.results.environment, version: "0.0.0-other" } },
      remote.trajectories,
    );
    expect(Object.keys(other.per_fault)).toEqual(["unknown"]);
  }, 60_000);

  it("through the CLI: eval against the server, then report --trajectories", async () => {
    const run = (args: string[]) =>
      new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
        const child = spawn(process.execPath, ["--import", "tsx", "src/cli.ts", ...args], { cwd: ROOT });
        let stderr = "";
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        child.stdout.resume();
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, stderr }));
      });
    const results = join(work, "remote.json");
    const trajectories = join(work, "remote.jsonl");
    const evalRun = await run([
      "eval",
      "--agent",
      "heuristic",
      "--url",
      server.baseUrl,
      "--transport",
      "grpc",
      "--tasks",
      "easy",
      "--seeds",
      "0-1",
      "--out",
      results,
      "--trajectories",
      trajectories,
    ]);
    expect(evalRun.code, evalRun.stderr).toBe(0);
    const plain = await run(["report", results, "-o", join(work, "plain.html")]);
    expect(plain.code, plain.stderr).toBe(0);
    const filed = await run(["report", results, "--trajectories", trajectories, "-o", join(work, "filed.html")]);
    expect(filed.code, filed.stderr).toBe(0);

    const local = await evaluate("heuristic", new InProcessBackend(), ["easy"], [0, 1]);
    const faults = Object.keys(local.results.per_fault);
    const faultRows = (html: string) => [...html.matchAll(/<tr><td>([a-z_]+)<\/td><td>\d\.\d{3} \(\d+\)<\/td><\/tr>/g)].map((m) => m[1]);
    expect(faultRows(readFileSync(join(work, "plain.html"), "utf8"))).toEqual(["unknown"]);
    expect(faultRows(readFileSync(join(work, "filed.html"), "utf8"))).toEqual(faults);
  }, 90_000);
});
