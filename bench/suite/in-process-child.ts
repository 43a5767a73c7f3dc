/**
 * The in-process yardstick, run as its own process by bench/suite/in-process.ts: the compiled
 * environment (dist/, what `npm start` runs) on one core, no transport. Prints one JSON line:
 * reset and step times of medium episodes, and the rate of the episode mix (episode-mix.ts).
 *
 *   node --import tsx bench/suite/in-process-child.ts EPISODES [WARMUP_EPISODES]
 *
 * The measured episodes follow WARMUP_EPISODES unmeasured ones (default 1,000), so that the figures
 * are the steady state a long-running trainer or server sees. V8 keeps optimizing the code that
 * runs once per reset for hundreds of medium episodes: after 120 warm-up episodes (this
 * bench's warm-up until 2026-12-03) the next 600 resets averaged about a fifth more than after
 * 1,000 (1.19-1.39 ms against 0.94-1.16 ms in three alternating pairs of runs), and the mix rate
 * was lower by as much. The servers are warmed the same way: each plays WARMUP_EPISODES episodes
 * per simulation thread before its first episode row (bench/run.ts). Each row's own warm-up spell
 * of a few seconds was not enough: a fresh 2-worker server's POST /reset row, measured after it,
 * served 611 resets/s, where servers that had served resets for a minute served 1,060-1,130
 * (2026-12-03, 14:25 UTC; V8 was still compiling the reset's code on its helper threads).
 */
import { create } from "@bufbuild/protobuf"; // the same module instance dist/ resolves
import { PerformanceObserver } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { join } from "node:path";
import { ROOT } from "./processes.js";
import { STEPS_PER_EPISODE, WARMUP_EPISODES, targetOf } from "./episode-mix.js";
import { summarize } from "./stats.js";

// The compiled modules, typed by their sources: tsx would otherwise load src/ through its loader.
const dist = (path: string): string => pathToFileURL(join(ROOT, "dist", path)).href;
const { IncidentEnvironment } = (await import(dist("src/env/environment.js"))) as typeof import("../../src/env/environment.js");
const { ResetRequestSchema, StepRequestSchema } = (await import(
  dist("gen/incident/v1/service_pb.js")
)) as typeof import("../../gen/incident/v1/service_pb.js");
const { ActionType, TaskLevel } = (await import(dist("gen/incident/v1/enums_pb.js"))) as typeof import("../../gen/incident/v1/enums_pb.js");

export interface InProcessResult {
  episodes: number;
  /** Unmeasured episodes played first (see the header). */
  warmupEpisodes: number;
  resetMs: { mean: number; p50: number; p99: number };
  stepMs: { mean: number; p50: number; p99: number };
  /** Steps per second of the episode mix (resets included in the time), one core. */
  mixStepsPerSecond: number;
  /**
   * CPU milliseconds of the process (every thread: the garbage collector's helpers too) per reset,
   * per step, and per step of the mix with its resets: what the simulation costs a machine, as
   * opposed to the time one thread waits for it.
   */
  cpuMs: { reset: number; step: number; mixPerStep: number };
  /** Resets alone, back to back (what POST /reset asks of a server): wall and CPU milliseconds per reset. */
  resetsOnly: { count: number; wallMs: number; cpuMs: number };
  /**
   * Of the mean reset and step times, the share spent in garbage-collector pauses (V8's `gc`
   * performance entries that overlap each call), per call: what the means would be without them
   * is their difference.
   */
  gcMs: { reset: number; step: number };
}

/**
 * Medium resets back to back, each restarting one of 16 episodes; per reset, wall and CPU time,
 * measured after as many resets again (the heap settles from the episode mix first).
 */
function resetsOnly(env: InstanceType<typeof IncidentEnvironment>, count: number, firstSeed: number): InProcessResult["resetsOnly"] {
  for (let e = 0; e < count; e++) {
    env.reset(create(ResetRequestSchema, { taskLevel: TaskLevel.MEDIUM, seed: firstSeed + count + e, episodeId: `inproc-${e % 16}` }));
  }
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let e = 0; e < count; e++) {
    env.reset(create(ResetRequestSchema, { taskLevel: TaskLevel.MEDIUM, seed: firstSeed + e, episodeId: `inproc-${e % 16}` }));
  }
  const wall = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { count, wallMs: wall / count, cpuMs: (used.user + used.system) / 1000 / count };
}

function play(
  env: InstanceType<typeof IncidentEnvironment>,
  episodes: number,
  firstSeed: number,
): { spans: { reset: Span[]; step: Span[] }; totalMs: number; cpu: { reset: number; step: number; total: number } } {
  // Each call's start and end: its time, and which garbage-collector pauses fell within it.
  const spans: { reset: Span[]; step: Span[] } = { reset: [], step: [] };
  const cpu = { reset: 0, step: 0, total: 0 };
  const cpuMs = (since: NodeJS.CpuUsage): number => {
    const used = process.cpuUsage(since);
    return (used.user + used.system) / 1000;
  };
  const startCpu = process.cpuUsage();
  const start = performance.now();
  for (let e = 0; e < episodes; e++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const reset = env.reset(
      create(ResetRequestSchema, { taskLevel: TaskLevel.MEDIUM, seed: firstSeed + e, episodeId: `inproc-${e % 16}` }),
    );
    spans.reset.push({ start: t0, end: performance.now() });
    cpu.reset += cpuMs(c0);
    const services = reset.observation?.topology?.services.map((s) => s.name) ?? [];
    for (let i = 0; i < STEPS_PER_EPISODE; i++) {
      const c1 = process.cpuUsage();
      const t1 = performance.now();
      env.step(
        create(StepRequestSchema, {
          episodeId: `inproc-${e % 16}`,
          action: { actionType: ActionType.INSPECT, targetService: targetOf(services, i), reasoning: "looking" },
        }),
      );
      spans.step.push({ start: t1, end: performance.now() });
      cpu.step += cpuMs(c1);
    }
  }
  cpu.total = cpuMs(startCpu);
  return { spans, totalMs: performance.now() - start, cpu };
}

/** A stretch of time on performance.now()'s clock. */
interface Span {
  start: number;
  end: number;
}

/** The mean time per call spent in the given pauses (both lists in time order). */
function meanOverlap(calls: readonly Span[], pauses: readonly Span[]): number {
  let total = 0;
  let first = 0;
  for (const call of calls) {
    while (first < pauses.length && (pauses[first] as Span).end <= call.start) first++;
    for (let i = first; i < pauses.length && (pauses[i] as Span).start < call.end; i++) {
      const pause = pauses[i] as Span;
      total += Math.min(call.end, pause.end) - Math.max(call.start, pause.start);
    }
  }
  return calls.length > 0 ? total / calls.length : 0;
}

const episodes = Number(process.argv[2] ?? 300);
const warmupEpisodes = Number(process.argv[3] ?? WARMUP_EPISODES);
const env = new IncidentEnvironment({ limits: { maxLiveEpisodes: 64 } });
play(env, warmupEpisodes, 900_000); // the JIT and the caches settle (see the header)
const pauses: Span[] = [];
const gcObserver = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) pauses.push({ start: entry.startTime, end: entry.startTime + entry.duration });
});
gcObserver.observe({ entryTypes: ["gc"] });
const { spans, totalMs, cpu } = play(env, episodes, 1);
const resets = spans.reset.map((span) => span.end - span.start);
const steps = spans.step.map((span) => span.end - span.start);
await new Promise((resolve) => setTimeout(resolve, 50)); // the observer hears of the last pauses on a later turn
gcObserver.disconnect();
pauses.sort((a, b) => a.start - b.start);
const summary = (s: number[]): InProcessResult["resetMs"] => {
  const { mean, p50, p99 } = summarize(s);
  return { mean, p50, p99 };
};
const result: InProcessResult = {
  episodes,
  warmupEpisodes,
  resetMs: summary(resets),
  stepMs: summary(steps),
  mixStepsPerSecond: (steps.length / totalMs) * 1000,
  cpuMs: { reset: cpu.reset / resets.length, step: cpu.step / steps.length, mixPerStep: cpu.total / steps.length },
  resetsOnly: resetsOnly(env, Math.max(300, episodes), 500_000),
  gcMs: { reset: meanOverlap(spans.reset, pauses), step: meanOverlap(spans.step, pauses) },
};
console.log(JSON.stringify(result));
await env.shutdown();
