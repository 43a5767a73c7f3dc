/**
 * Speed and memory of episodes, in process and over the REST route. Prints figures and the ratio
 * of each to its goal; nothing here asserts (timing goals do not belong in unit tests).
 *
 *   npm run bench              (defaults: 300 episodes per level)
 *   npm run bench -- 1000
 *
 * Goals: a medium reset plus 8 steps in process under 5 ms; memory per live episode under 1 MB.
 * Issue 9 goals (measure them on compiled JavaScript, e.g. `npx tsc -p tsconfig.build.json` and
 * bench/ compiled alongside: tsx adds its own overhead): a medium reset at most 1 ms and a medium
 * step at most 0.2 ms, and 10,000 live episodes (reset + 8 steps) in 1 GiB.
 *
 * Memory counts the JS heap and ArrayBuffers: the simulation keeps its readings in typed arrays,
 * whose contents live outside the JS heap.
 */
import { create } from "@bufbuild/protobuf";
import type { AddressInfo } from "node:net";
import { cpus, totalmem } from "node:os";
import { ActionType } from "../gen/incident/v1/enums_pb.js";
import { ResetRequestSchema, StepRequestSchema } from "../gen/incident/v1/service_pb.js";
import { IncidentEnvironment } from "../src/env/environment.js";
import { buildApp } from "../src/server/app.js";

const EPISODES = Number(process.argv[2] ?? 300);
const GOAL_MEDIUM_EPISODE_MS = 5;
const GOAL_BYTES_PER_EPISODE = 1024 * 1024;
const GOAL_MEDIUM_RESET_MS = 1;
const GOAL_MEDIUM_STEP_MS = 0.2;
/** 10,000 live episodes in 1 GiB. */
const GOAL_BYTES_AT_SCALE = 2 ** 30 / 10_000;
const LEVELS = [
  { name: "easy", level: 1 },
  { name: "medium", level: 2 },
  { name: "hard", level: 3 },
] as const;

function stats(samples: number[]): { mean: number; p50: number; p95: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { mean: samples.reduce((a, b) => a + b, 0) / samples.length, p50: at(0.5), p95: at(0.95) };
}

function fmt(ms: number): string {
  return `${ms.toFixed(2)} ms`;
}

/** Reset + 8 inspect steps, timed per episode. */
function episodeTimes(env: IncidentEnvironment, level: number, seeds: number): { reset: number[]; episode: number[] } {
  const reset: number[] = [];
  const episode: number[] = [];
  for (let seed = 0; seed < seeds; seed++) {
    const t0 = performance.now();
    const start = env.reset(create(ResetRequestSchema, { taskLevel: level, seed, episodeId: "bench" }));
    const t1 = performance.now();
    const services = start.observation?.topology?.services.map((s) => s.name) ?? [];
    for (let i = 0; i < 8; i++) {
      env.step(create(StepRequestSchema, { episodeId: "bench", action: { actionType: ActionType.INSPECT, targetService: services[i % services.length] ?? "none", reasoning: "looking" } }));
    }
    episode.push(performance.now() - t0);
    reset.push(t1 - t0);
  }
  return { reset, episode };
}

async function restStepLatency(steps: number): Promise<number[]> {
  const env = new IncidentEnvironment();
  const { app } = await buildApp({ env, logLevel: false });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const post = (path: string, body: unknown) => fetch(base + path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const samples: number[] = [];
  let remaining = 0;
  for (let i = 0; i < steps; i++) {
    if (remaining === 0) {
      await (await post("/reset", { task_level: "hard", seed: i, episode_id: "rest-bench" })).arrayBuffer();
      remaining = 15;
    }
    const t0 = performance.now();
    await (await post("/step", { episode_id: "rest-bench", action: { action_type: "escalate", reasoning: "bench" } })).arrayBuffer();
    samples.push(performance.now() - t0);
    remaining--;
  }
  await app.close();
  return samples;
}

/** JS heap plus ArrayBuffer contents, after a full collection when --expose-gc allows one. */
function liveBytes(): number {
  global.gc?.();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

/** Memory per live medium episode after its reset, and after 8 inspect steps. */
function bytesPerEpisode(count: number): { reset: number; steps: number } {
  const env = new IncidentEnvironment({ limits: { maxLiveEpisodes: count + 10 } });
  const before = liveBytes();
  const targets: string[][] = [];
  for (let i = 0; i < count; i++) {
    const start = env.reset(create(ResetRequestSchema, { taskLevel: 2, seed: i, episodeId: `mem-${i}` }));
    targets.push(start.observation?.topology?.services.map((s) => s.name) ?? []);
  }
  const afterReset = liveBytes();
  for (let i = 0; i < count; i++) {
    const services = targets[i] ?? [];
    for (let s = 0; s < 8; s++) env.step(create(StepRequestSchema, { episodeId: `mem-${i}`, action: { actionType: ActionType.INSPECT, targetService: services[s % services.length] ?? "none" } }));
  }
  const afterSteps = liveBytes();
  return { reset: (afterReset - before) / count, steps: (afterSteps - before) / count };
}

async function main(): Promise<void> {
  console.log(`incident-response-env benchmark, ${new Date().toISOString().slice(0, 10)}`);
  console.log(`machine: ${cpus()[0]?.model ?? "?"} x${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}`);
  const env = new IncidentEnvironment({ limits: { maxLiveEpisodes: 10 } });
  episodeTimes(env, 2, 30); // warm up the JIT and the caches
  console.log(`\nin process, ${EPISODES} episodes per level (reset, then 8 inspect steps):`);
  for (const { name, level } of LEVELS) {
    const { reset, episode } = episodeTimes(env, level, EPISODES);
    const r = stats(reset);
    const e = stats(episode);
    console.log(`  ${name.padEnd(6)} reset mean ${fmt(r.mean)}  p95 ${fmt(r.p95)}   reset+8 steps mean ${fmt(e.mean)}  p50 ${fmt(e.p50)}  p95 ${fmt(e.p95)}`);
    if (name === "medium") {
      const step = (e.mean - r.mean) / 8;
      console.log(`         goal: medium reset+8 steps < ${GOAL_MEDIUM_EPISODE_MS} ms -> ratio ${(e.mean / GOAL_MEDIUM_EPISODE_MS).toFixed(2)} (${e.mean < GOAL_MEDIUM_EPISODE_MS ? "met" : "NOT met"})`);
      console.log(`         goal: medium reset <= ${GOAL_MEDIUM_RESET_MS} ms -> ratio ${(r.mean / GOAL_MEDIUM_RESET_MS).toFixed(2)}; step (mean of the 8) ${fmt(step)} <= ${GOAL_MEDIUM_STEP_MS} ms -> ratio ${(step / GOAL_MEDIUM_STEP_MS).toFixed(2)}`);
    }
  }
  const rest = stats(await restStepLatency(Math.max(200, EPISODES)));
  console.log(`\nREST POST /step over loopback HTTP/1.1 (hard episodes): mean ${fmt(rest.mean)}  p50 ${fmt(rest.p50)}  p95 ${fmt(rest.p95)}  (~${Math.round(1000 / rest.mean)} steps/s sequential)`);
  const bytes = bytesPerEpisode(1000);
  console.log(
    `\nmemory per live medium episode (1,000 episodes, heap + ArrayBuffers): after reset ${(bytes.reset / 1024).toFixed(0)} KiB, after 8 inspect steps ${(bytes.steps / 1024).toFixed(0)} KiB` +
      ` -> ratio ${(bytes.steps / GOAL_BYTES_PER_EPISODE).toFixed(2)} of the 1 MiB goal, ${(bytes.steps / GOAL_BYTES_AT_SCALE).toFixed(2)} of 10,000 in 1 GiB${global.gc ? "" : " (run with --expose-gc for a steadier figure)"}`,
  );
}

await main();
