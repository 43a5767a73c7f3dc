/**
 * The most a CPU-bound workload could reach on this machine: its cores divided by the CPU one
 * call needs at least, where that least is the sum of parts measured in the same run (the stack
 * and load generator against canned answers, the simulation in process). A server can only add
 * to those parts (worker hand-offs, validation, bookkeeping), so a target above this figure cannot
 * be met with this stack beside this load generator, whatever the server does.
 */
import type { CpuFigures } from "./cpu.js";

/** CPU seconds per call of a measured row: server and load generator together. */
export function cpuSecondsPerCall(cpu: CpuFigures, rate: number): number {
  return rate > 0 ? (cpu.serverCores + (cpu.benchCores ?? 0)) / rate : Number.NaN;
}

/** Calls per second when every core is busy and each call costs the sum of `cpuSeconds`. */
export function cpuBoundRate(cores: number, cpuSeconds: readonly number[]): number {
  const perCall = cpuSeconds.reduce((sum, s) => sum + s, 0);
  return perCall > 0 ? cores / perCall : Number.NaN;
}
