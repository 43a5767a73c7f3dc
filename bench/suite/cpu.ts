/**
 * Where a row's CPU went: the server process (all its threads, simulation workers included) and
 * this bench process (the load generator, when it runs here), as cores kept busy over the row.
 *
 * On a machine the server shares with its load generator, a row whose two figures add up to the
 * machine's cores is bound by CPU: its rate can only rise if a call costs less CPU. The server's
 * CPU per call (cores / rate) is then what a faster server must cut, and the in-process step time
 * is the part of it that is simulation. The window covers the row's warm-up and its measurement,
 * which run the same load.
 */
import { readFileSync } from "node:fs";

export interface CpuFigures {
  /** Cores the server process kept busy on average over the row. */
  serverCores: number;
  /** Cores this bench process (the load generator) kept busy; undefined when the load ran elsewhere (h2load). */
  benchCores: number | undefined;
}

/** USER_HZ of /proc/<pid>/stat on Linux (the kernel's ABI fixes it at 100 on every architecture Node runs on). */
const TICKS_PER_SECOND = 100;

/** CPU seconds a process has used, all threads, from /proc; undefined where /proc is missing. */
function processCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name is in parentheses and may hold spaces: fields are counted after it.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) / TICKS_PER_SECOND : undefined;
  } catch {
    return undefined;
  }
}

/** Starts measuring; the returned function ends the window and gives its figures (undefined off Linux). */
export function cpuWindow(serverPid: number, loadRunsHere = true): () => CpuFigures | undefined {
  const wall = performance.now();
  const server = processCpuSeconds(serverPid);
  const bench = process.cpuUsage();
  return () => {
    const seconds = (performance.now() - wall) / 1000;
    const serverNow = processCpuSeconds(serverPid);
    if (server === undefined || serverNow === undefined || seconds <= 0) return undefined;
    const used = process.cpuUsage(bench);
    return {
      serverCores: (serverNow - server) / seconds,
      benchCores: loadRunsHere ? (used.user + used.system) / 1e6 / seconds : undefined,
    };
  };
}

/** "server 1.62 cores (0.94 ms per step) + bench 0.35": what the report prints. */
export function describeCpu(cpu: CpuFigures, rate: number, per: string): string {
  const perCall = rate > 0 ? ` (${((cpu.serverCores / rate) * 1000).toPrecision(2)} ms per ${per})` : "";
  const bench = cpu.benchCores === undefined ? "" : ` + bench ${cpu.benchCores.toFixed(2)}`;
  return `server ${cpu.serverCores.toFixed(2)} cores${perCall}${bench}`;
}
