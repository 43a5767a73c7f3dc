/**
 * What the shared episode store (EPISODE_STORE) adds to a step, in process: the same medium
 * episodes and the same 8 inspect steps on one process's memory and on the store, each step timed
 * on both, and the per-step difference reported as the store's overhead (p50 and p99). Also the
 * step time when two replicas alternate on every step (each catches up with the other's action).
 * Nothing here asserts; the goal (p50 overhead at most 1 ms) is printed with its ratio.
 *
 *   node --import tsx bench/store-overhead.ts [episodes]     (default 200)
 *
 * Redis: REDIS_URL, or a redis-server (or valkey-server) on PATH started on a free port.
 * The bench suite can call measureStoreOverhead({ url }) instead.
 */
import { create } from "@bufbuild/protobuf";
import { spawn, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createServer } from "node:net";
import { pathToFileURL } from "node:url";
import { ActionType, TaskLevel } from "../gen/incident/v1/enums_pb.js";
import { ResetRequestSchema, StepRequestSchema, type StepRequest } from "../gen/incident/v1/service_pb.js";
import { IncidentEnvironment } from "../src/env/environment.js";
import { SharedStoreEnvironment } from "../src/env/shared-store/environment.js";

export const GOAL_STORE_OVERHEAD_P50_MS = 1;

export interface Percentiles {
  p50: number;
  p99: number;
}

export interface StoreOverhead {
  episodes: number;
  steps: number;
  /** A step in one process's memory. */
  memoryStep: Percentiles;
  /** A step on the store, always on the same replica (its copy stays current). */
  storeStep: Percentiles;
  /** storeStep minus memoryStep, step by step. */
  overhead: Percentiles;
  /** A step on the store when two replicas alternate (each catches up with the other's step first). */
  alternatingStep: Percentiles;
}

function percentiles(samples: readonly number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: at(0.5), p99: at(0.99) };
}

const STEPS_PER_EPISODE = 8;

function stepsFor(episodeId: string, services: readonly string[]): StepRequest[] {
  return Array.from({ length: STEPS_PER_EPISODE }, (_, i) =>
    create(StepRequestSchema, {
      episodeId,
      action: { actionType: ActionType.INSPECT, targetService: services[i % services.length] ?? "none", reasoning: "looking" },
    }),
  );
}

/** Measures the store's overhead per step against the store at `url` (keys under a fresh prefix). */
export async function measureStoreOverhead(options: { url: string; episodes?: number; warmup?: number }): Promise<StoreOverhead> {
  const episodes = options.episodes ?? 200;
  const warmup = options.warmup ?? 20;
  const store = { url: options.url, prefix: `bench-${randomUUID().slice(0, 8)}` };
  const limits = { maxLiveEpisodes: 2 * (episodes + warmup) + 10 };
  const memory = new IncidentEnvironment({ limits });
  const [a, b] = await Promise.all([SharedStoreEnvironment.start({ store, limits }), SharedStoreEnvironment.start({ store, limits })]);
  const memorySteps: number[] = [];
  const storeSteps: number[] = [];
  const differences: number[] = [];
  const alternating: number[] = [];
  try {
    for (let e = 0; e < warmup + episodes; e++) {
      const timed = e >= warmup;
      const id = `bench-${e}`;
      const reset = create(ResetRequestSchema, { taskLevel: TaskLevel.MEDIUM, seed: e, episodeId: id });
      const start = memory.reset(reset);
      await a.reset(reset);
      const services = start.observation?.topology?.services.map((s) => s.name) ?? [];
      for (const step of stepsFor(id, services)) {
        let t0 = performance.now();
        memory.step(step);
        const inMemory = performance.now() - t0;
        t0 = performance.now();
        await a.step(step);
        const onStore = performance.now() - t0;
        if (timed) {
          memorySteps.push(inMemory);
          storeSteps.push(onStore);
          differences.push(onStore - inMemory);
        }
      }
      // The same episode again under another id, its steps alternating between the replicas.
      const other = `${id}-alt`;
      await b.reset(create(ResetRequestSchema, { taskLevel: TaskLevel.MEDIUM, seed: e, episodeId: other }));
      for (const [i, step] of stepsFor(other, services).entries()) {
        const t0 = performance.now();
        await (i % 2 === 0 ? a : b).step(step);
        if (timed) alternating.push(performance.now() - t0);
      }
    }
  } finally {
    await Promise.all([a.shutdown(), b.shutdown(), memory.shutdown()]);
  }
  return {
    episodes,
    steps: storeSteps.length,
    memoryStep: percentiles(memorySteps),
    storeStep: percentiles(storeSteps),
    overhead: percentiles(differences),
    alternatingStep: percentiles(alternating),
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** REDIS_URL, or a throwaway server started here (stopped by the returned function). */
async function benchStore(): Promise<{ url: string; stop: () => void }> {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, stop: () => {} };
  const binary = ["redis-server", "valkey-server"].find((b) => spawnSync("sh", ["-c", `command -v ${b}`]).status === 0);
  if (!binary) throw new Error("set REDIS_URL, or put redis-server (or valkey-server) on PATH");
  const port = await freePort();
  const child = spawn(binary, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  const stop = (): void => void child.kill("SIGKILL");
  process.once("exit", stop);
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once("error", () => resolve(true)); // the port is taken: the server is up
      probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(false)));
    });
    if (up) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { url: `redis://127.0.0.1:${port}`, stop };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { url, stop } = await benchStore();
  try {
    const result = await measureStoreOverhead({ url, episodes: Number(process.argv[2] ?? 200) });
    const ms = (p: Percentiles): string => `p50 ${p.p50.toFixed(3)} ms, p99 ${p.p99.toFixed(3)} ms`;
    console.log(`store overhead per step: ${result.episodes} medium episodes, ${result.steps} inspect steps, store ${url}`);
    console.log(`  step in memory:                 ${ms(result.memoryStep)}`);
    console.log(`  step on the store, one replica: ${ms(result.storeStep)}`);
    console.log(
      `  overhead (paired difference):   ${ms(result.overhead)}  goal p50 <= ${GOAL_STORE_OVERHEAD_P50_MS} ms, ratio ${(result.overhead.p50 / GOAL_STORE_OVERHEAD_P50_MS).toFixed(2)}`,
    );
    console.log(`  step, two replicas alternating: ${ms(result.alternatingStep)}`);
  } finally {
    stop();
  }
}
