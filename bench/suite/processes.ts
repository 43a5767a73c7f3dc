/**
 * The processes a bench run starts: the compiled server (`node dist/src/main.js`, what `npm start`
 * runs) on a free port, the bare fastify yardstick, a throwaway redis-server. Every child is killed
 * when the run ends, however it ends.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { redisBinary, spawnRedis } from "../../test/support/redis.js";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SERVER_ENTRY = join(ROOT, "dist", "src", "main.js");

const children = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of children) child.kill("SIGKILL");
});
// Interrupted or terminated: exit through the handler above, so that no child outlives the run.
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(130));

function track(child: ChildProcess): void {
  children.add(child);
  child.once("exit", () => children.delete(child));
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Rebuilds dist/ (`npm run build`) unless it is newer than every file of src/ and gen/. */
export function ensureBuild(log: (line: string) => void): void {
  let built: number;
  try {
    built = statSync(SERVER_ENTRY).mtimeMs;
  } catch {
    built = 0;
  }
  if (built > Math.max(newestMtime(join(ROOT, "src")), newestMtime(join(ROOT, "gen")))) return;
  log("building dist/ (npm run build)...");
  const result = spawnSync("npm", ["run", "build"], { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"] });
  if (result.status !== 0) throw new Error("npm run build failed");
}

export interface ServerProcess {
  baseUrl: string;
  /** Set once the process has exited (code or signal). */
  exit(): string | undefined;
  pid: number;
  /** Simulation workers the server reports in its start-up line (1: in the server thread). */
  workers: number;
  output(): string;
  stop(): Promise<void>;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  // A server waits for its clients' idle HTTP/2 sessions before it exits; nothing is measured
  // after a row, so it is not given long.
  const timer = setTimeout(() => child.kill("SIGKILL"), 500);
  await exited;
  clearTimeout(timer);
}

/** Spawns `command` and resolves once its output matches `ready` (the first group is returned). */
async function spawnUntil(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
  timeoutMs: number,
): Promise<{ child: ChildProcess; match: RegExpExecArray; output: () => string }> {
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  track(child);
  let out = "";
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args.join(" ")} did not start within ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      if (out.length > 200_000) out = out.slice(-100_000);
      const m = ready.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${args.join(" ")} exited (${code}) before it was ready:\n${out}`));
    });
  });
  return { child, match, output: () => out };
}

/**
 * Extra Node flags for the servers under test, from BENCH_SERVER_NODE_FLAGS (space-separated), e.g.
 * `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile them under a row's load (Node refuses --cpu-prof
 * in NODE_OPTIONS).
 */
function serverNodeFlags(): string[] {
  return (process.env.BENCH_SERVER_NODE_FLAGS ?? "").split(" ").filter((flag) => flag !== "");
}

/** The compiled server, configured by `env` on top of PORT=0 and HOST=127.0.0.1. */
export async function startServer(env: Record<string, string>): Promise<ServerProcess> {
  const { child, match, output } = await spawnUntil(
    process.execPath,
    [...serverNodeFlags(), SERVER_ENTRY],
    { ...process.env, PORT: "0", HOST: "127.0.0.1", ...env },
    /listening on (http:\/\/[\d.]+:\d+)[^\n]*?(?:(\d+) simulation workers|simulating in the server thread)/,
    60_000,
  );
  let exit: string | undefined;
  child.once("exit", (code, signal) => (exit = signal ? `killed by ${signal}` : `exited with code ${code}`));
  return {
    baseUrl: match[1] ?? "",
    exit: () => exit,
    pid: child.pid ?? 0,
    workers: match[2] ? Number(match[2]) : 1,
    output,
    stop: () => stopChild(child),
  };
}

export interface BareServer {
  pid: number;
  /** HTTP/1.1 */
  baseUrl: string;
  /** HTTP/2 with prior knowledge (h2c) */
  h2Url: string;
  stop(): Promise<void>;
}

/** A server of this suite that serves one GET route on HTTP/1.1 and h2c and prints "<label> on URL and h2c URL". */
async function startHttpPair(file: string, label: string, env: Record<string, string> = {}): Promise<BareServer> {
  const { child, match } = await spawnUntil(
    process.execPath,
    ["--import", "tsx", join(ROOT, "bench", "suite", file)],
    { ...process.env, ...env },
    new RegExp(`${label} on (http:\\/\\/[\\d.]+:\\d+) and h2c (http:\\/\\/[\\d.]+:\\d+)`),
    30_000,
  );
  return { pid: child.pid ?? 0, baseUrl: match[1] ?? "", h2Url: match[2] ?? "", stop: () => stopChild(child) };
}

/** The yardstick: bench/suite/bare-fastify.ts, the project's fastify with one route and nothing else. */
export function startBare(): Promise<BareServer> {
  return startHttpPair("bare-fastify.ts", "bare fastify");
}

/** The RPC ceiling: canned Reset and Step answers over the same stack (bench/suite/bare-connect.ts). */
export async function startBareConnect(): Promise<{ pid: number; baseUrl: string; stop(): Promise<void> }> {
  const { child, match } = await spawnUntil(
    process.execPath,
    ["--import", "tsx", join(ROOT, "bench", "suite", "bare-connect.ts")],
    { ...process.env },
    /bare connect on (http:\/\/[\d.]+:\d+)/,
    30_000,
  );
  return { pid: child.pid ?? 0, baseUrl: match[1] ?? "", stop: () => stopChild(child) };
}

/** GET /state with one store round trip per request (bench/suite/bare-store-state.ts), on the Redis at `redisUrl`. */
export function startBareStoreState(redisUrl: string): Promise<BareServer> {
  return startHttpPair("bare-store-state.ts", "store state", { REDIS_URL: redisUrl });
}

export interface RedisServer {
  url: string;
  stop(): Promise<void>;
}

/** REDIS_URL if set, else a throwaway redis-server (or valkey-server) on a free port, no persistence. */
export async function startRedis(): Promise<RedisServer> {
  const given = process.env.REDIS_URL?.trim();
  if (given) return { url: given, stop: async () => {} };
  const binary = redisBinary();
  if (!binary) throw new Error("the Redis rows need REDIS_URL, or redis-server (or valkey-server) on PATH; or run with --store memory");
  const { url, child } = await spawnRedis(binary);
  track(child);
  return { url, stop: () => stopChild(child) };
}

/** Resident set size of a process, in bytes, from /proc (Linux). */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  if (kb === undefined) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kb) * 1024;
}
