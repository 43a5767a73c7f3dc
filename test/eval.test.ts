/**
 * The evaluation runner: argument parsing, statistics, reproducible results, the same numbers in
 * process and over every transport, trajectories that replay exactly (and replays that catch a
 * tampered file), the log lines of the original incident-response-env, and the HTML report.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FaultKind } from "../gen/incident/v1/enums_pb.js";
import { agentEntry } from "../src/agents/registry.js";
import { IncidentEnvironment } from "../src/env/environment.js";
import { ArgumentError, formatSeeds, parseSeeds, parseTasks, type TaskWord } from "../src/eval/args.js";
import { InProcessBackend, TRANSPORTS, remoteBackend, type EnvBackend } from "../src/eval/backend.js";
import { openEnvLines } from "../src/eval/openenv-log.js";
import { replayFile } from "../src/eval/replay.js";
import { chartJsBundle, renderReport } from "../src/eval/report.js";
import { buildResults, formatResults, type EpisodeOutcome, type EvalResults } from "../src/eval/results.js";
import { OrderedWriter, runEvaluation } from "../src/eval/runner.js";
import { ci95, mean } from "../src/eval/stats.js";
import type { Trajectory } from "../src/eval/trajectory.js";
import { useServer } from "./support/server.js";

const server = useServer();
const work = mkdtempSync(join(tmpdir(), "incident-eval-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const ALL: TaskWord[] = ["easy", "medium", "hard", "expert"];

async function evaluate(
  agent: "heuristic" | "random" | "oracle",
  backend: EnvBackend,
  seeds: number[],
  extra: { faultKind?: FaultKind } = {},
) {
  const trajectories: Trajectory[] = [];
  const entry = agentEntry(agent);
  const run = await runEvaluation({
    agent: entry,
    backend,
    tasks: ALL,
    seeds,
    concurrency: 4,
    faultKind: extra.faultKind,
    episodeIdPrefix: `t-${agent}`,
    trajectories: true,
    onEpisode: ({ index, trajectory }) => {
      if (trajectory) trajectories[index] = trajectory;
    },
  });
  const results = buildResults(
    {
      agent: entry.name,
      agentDescription: entry.description,
      environment: { name: "incident-response-env", version: "test" },
      backend: backend.kind,
      url: undefined,
      tasks: ALL,
      seeds: formatSeeds(seeds),
      seedsPerTask: seeds.length,
      faultKind: undefined,
      thresholds: { easy: 0.7, medium: 0.7, hard: 0.7 },
      agentStats: run.agentStats,
    },
    run.outcomes,
  );
  return { results, trajectories, outcomes: run.outcomes };
}

describe("arguments", () => {
  it("parses seed ranges, lists and mixtures", () => {
    expect(parseSeeds("0-4")).toEqual([0, 1, 2, 3, 4]);
    expect(parseSeeds("7")).toEqual([7]);
    expect(parseSeeds("1,5, 9")).toEqual([1, 5, 9]);
    expect(parseSeeds("0-2,10-11,1")).toEqual([0, 1, 2, 10, 11]);
    expect(parseSeeds("4294967295")).toEqual([4294967295]);
    expect(formatSeeds([0, 1, 2, 10, 11, 20])).toBe("0-2,10-11,20");
  });

  it.each(["", "a-b", "5-1", "1-", "-3", "1.5", "0-99999999999", "4294967296", "0-2000000"])(
    "rejects the seed range %j with a clear message",
    (spec) => {
      expect(() => parseSeeds(spec)).toThrow(ArgumentError);
      expect(() => parseSeeds(spec)).toThrow(/seed range/);
    },
  );

  it("parses task lists", () => {
    expect(parseTasks("easy,hard")).toEqual(["easy", "hard"]);
    expect(parseTasks("all")).toEqual(ALL);
    expect(() => parseTasks("easy,legendary")).toThrow(/unknown task "legendary"/);
  });
});

describe("statistics", () => {
  it("gives the mean and a Student-t 95% interval", () => {
    expect(mean([0.5, 1])).toBe(0.75);
    expect(ci95([1, 1, 1])).toEqual([1, 1]);
    const [lo, hi] = ci95([0, 1, 0, 1]);
    // sd 0.57735, n 4, t(3) 3.182: half-width 0.9186
    expect(lo).toBeCloseTo(0.5 - 0.9186, 3);
    expect(hi).toBeCloseTo(0.5 + 0.9186, 3);
  });

  it("summarises per task and per fault mode, with intervals clamped to [0, 1]", () => {
    const outcome = (task: TaskWord, seed: number, fault: string, score: number): EpisodeOutcome => ({
      task,
      seed,
      scenario_id: "s",
      fault,
      score,
      steps: 3,
      success: score >= 0.7,
      status: score >= 0.7 ? "terminated_success" : "terminated_failed",
      truncated: false,
      rewards: [score],
    });
    const results = buildResults(
      {
        agent: "a",
        agentDescription: "",
        environment: { name: "e", version: "v" },
        backend: "in-process",
        url: undefined,
        tasks: ["easy", "hard"],
        seeds: "0-1",
        seedsPerTask: 2,
        faultKind: undefined,
        thresholds: {},
        agentStats: undefined,
      },
      [
        outcome("hard", 1, "disk_full", 0.2),
        outcome("easy", 1, "disk_full", 1),
        outcome("easy", 0, "bad_deploy", 0.9),
        outcome("hard", 0, "bad_deploy", 0.3),
      ],
    );
    expect(results.episode_results.map((e) => `${e.task}${e.seed}`)).toEqual(["easy0", "easy1", "hard0", "hard1"]);
    expect(results.per_task.easy?.mean_score).toBe(0.95);
    expect(results.per_task.easy?.ci95[1]).toBe(1);
    expect(results.per_task.hard?.success_rate).toBe(0);
    expect(results.per_fault.disk_full?.mean_score).toBe(0.6);
    expect(results.per_task.hard?.per_fault.bad_deploy?.mean_score).toBe(0.3);
    expect(formatResults(results)).toMatch(/task\s+episodes\s+mean score\s+95% CI\s+success\s+mean steps/);
    expect(formatResults(results)).toMatch(/^disk_full\s+2\s+1\.000\s+0\.200\s+0\.600\s+50\.0%/m);
  });

  it("writes out-of-order items in order", () => {
    const seen: number[] = [];
    const w = new OrderedWriter<number>((x) => seen.push(x));
    for (const i of [2, 0, 3, 1, 4]) w.push(i, i);
    expect(seen).toEqual([0, 1, 2, 3, 4]);
  });
});

describe("runner", () => {
  let inProcess: Awaited<ReturnType<typeof evaluate>>;

  it("gives byte-identical results and trajectories run to run", async () => {
    inProcess = await evaluate("heuristic", new InProcessBackend(), [0, 1, 2, 3, 4, 5]);
    const again = await evaluate("heuristic", new InProcessBackend(), [0, 1, 2, 3, 4, 5]);
    expect(JSON.stringify(again.results)).toBe(JSON.stringify(inProcess.results));
    expect(again.trajectories.map((t) => JSON.stringify(t))).toEqual(inProcess.trajectories.map((t) => JSON.stringify(t)));
    expect(inProcess.results.episodes).toBe(24);
    expect(inProcess.results.errors).toBe(0);
    // In process, every episode's fault mode comes from its record.
    expect(inProcess.results.episode_results.every((e) => e.fault !== "unknown")).toBe(true);
    expect(inProcess.results.mean_score).toBeGreaterThan(0.8);
  });

  it.each(TRANSPORTS)("gets the same scores over %s as in process", async (transport) => {
    const remote = await evaluate("heuristic", remoteBackend(transport, server.baseUrl), [0, 1, 2, 3, 4, 5]);
    expect(remote.results.errors).toBe(0);
    expect(remote.results.episode_results.map((e) => [e.task, e.seed, e.scenario_id, e.score, e.steps, e.status])).toEqual(
      inProcess.results.episode_results.map((e) => [e.task, e.seed, e.scenario_id, e.score, e.steps, e.status]),
    );
    // A generated episode's fault mode is not visible over the network.
    expect(Object.keys(remote.results.per_fault)).toEqual(["unknown"]);
  });

  it("knows the fault mode over the network when the run pins it", async () => {
    const remote = await evaluate("random", remoteBackend("connect", server.baseUrl), [0, 1], { faultKind: FaultKind.DISK_FULL });
    expect(Object.keys(remote.results.per_fault)).toEqual(["disk_full"]);
  });

  it("reports an episode that cannot be played as an error, and goes on", async () => {
    class Broken extends InProcessBackend {
      override step(): Promise<never> {
        return Promise.reject(new Error("connection reset\nby peer"));
      }
    }
    const broken = new Broken(new IncidentEnvironment());
    const run = await runEvaluation({
      agent: agentEntry("random"),
      backend: broken,
      tasks: ["easy"],
      seeds: [1, 2],
      concurrency: 2,
      episodeIdPrefix: "b",
      trajectories: false,
    });
    expect(run.outcomes.map((o) => o.error)).toEqual(["connection reset by peer", "connection reset by peer"]);
  });

  it("replays its trajectory file to identical rewards and grades, and catches a tampered one", async () => {
    const file = join(work, "trajectories.jsonl");
    writeFileSync(file, inProcess.trajectories.map((t) => `${JSON.stringify(t)}\n`).join(""));
    const clean = await replayFile(file);
    expect(clean.episodes).toBe(24);
    expect(clean.steps).toBe(inProcess.results.episode_results.reduce((n, e) => n + e.steps, 0));
    expect(clean.mismatches).toEqual([]);

    const lines = readFileSync(file, "utf8").trimEnd().split("\n");
    const t = JSON.parse(lines[4] ?? "") as Trajectory;
    const step = t.steps[0];
    const last = t.steps.at(-1);
    if (!step || !last) throw new Error("no step");
    step.reward += 0.001;
    // The explained grade comes with the last step only.
    expect(step.info.breakdown === null || t.steps.length === 1).toBe(true);
    ((last.info.breakdown as { components: Array<{ score: number }> }).components[0] ?? { score: 0 }).score = 0.123;
    lines[4] = JSON.stringify(t);
    const tampered = join(work, "tampered.jsonl");
    writeFileSync(tampered, `${lines.join("\n")}\n`);
    const result = await replayFile(tampered);
    expect(result.mismatches.map((m) => [m.line, m.step, m.field])).toEqual([
      [5, 1, "reward"],
      [5, t.steps.length, "info"],
      [5, t.steps.length, "reward"],
    ]);
  });

  it("prints the original incident-response-env's [START]/[STEP]/[END] lines with score= and one-line errors", () => {
    const outcome = inProcess.results.episode_results[0] as EpisodeOutcome;
    const lines = openEnvLines(
      "heuristic",
      { task: "easy", actions: ["inspect", "diagnose"], rewards: [0.05, 0.95], dones: [false, true], error: undefined },
      { ...outcome, success: true, steps: 2, score: 1, rewards: [0.05, 0.95] },
    );
    expect(lines).toEqual([
      "[START] task=easy env=incident-response-env model=heuristic",
      "[STEP] step=1 action=inspect reward=0.05 done=false error=null",
      "[STEP] step=2 action=diagnose reward=0.95 done=true error=null",
      "[END] success=true steps=2 score=1.000 rewards=0.05,0.95",
    ]);
    const failed = openEnvLines(
      "m",
      { task: "hard", actions: [], rewards: [], dones: [], error: "boom\n  at line 2" },
      { ...outcome, success: false, steps: 0, score: 0, rewards: [] },
    );
    expect(failed[1]).toBe("[STEP] step=1 action=none reward=0.00 done=true error=boom at line 2");
    expect(failed[2]).toBe("[END] success=false steps=0 score=0.000 rewards=");
  });

  it("renders a self-contained report with charts and an agent-vs-agent comparison", async () => {
    const random = await evaluate("random", new InProcessBackend(), [0, 1, 2, 3, 4, 5]);
    const named = (results: EvalResults, source: string) => ({ source, results });
    const html = renderReport(
      [named(inProcess.results, "a.json"), named({ ...random.results, agent: "random <b>" }, "b.json")],
      chartJsBundle(),
    );
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<link[^>]+href=/);
    expect(html).toContain("window.Chart=");
    expect(html).not.toContain("sourceMappingURL");
    for (const id of ["byTask", "byFault", "scoreSteps", "paired"]) expect(html).toContain(`<canvas id="${id}">`);
    expect(html).toContain("random &lt;b&gt;");
    expect(html).toContain("Agent vs agent");
    const single = renderReport([named(inProcess.results, "a.json")], "/* chart */");
    expect(single).not.toContain('<canvas id="paired">');
  });
});
