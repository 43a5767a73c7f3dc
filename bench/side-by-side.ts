/**
 * `npm run bench:side-by-side`: two or more servers measured in alternating windows of one
 * workload, on this machine, in one run. This VM's speed wanders by up to half within minutes, so
 * runs one after the other cannot show a change of a few percent, nor compare a build with an
 * earlier one; windows that alternate between servers share each spell of the machine's speed.
 *
 *   npm run bench:side-by-side -- [--workload reset|rest-step] [--rounds 6] [--window 4] [--warm 12] SERVER SERVER...
 *
 * SERVER is a source and optional settings: `.` (this checkout) or a git revision of this
 * repository (`b5b36e1`, `HEAD~3`), then `,NAME=VALUE` for each setting, e.g. `.,WORKERS=2`.
 * A revision is checked out into a temporary git worktree and installed with `npm ci
 * --ignore-scripts` (from the npm registry or its cache); each server runs its own `npm start`
 * command (`node ...`, after its `prestart` if it has one) on a free port of 127.0.0.1, its
 * standard output discarded (its standard error is shown if it does not start). Each plays the
 * workload for --warm seconds first (V8 needs about a minute of resets to settle). Then, round
 * by round, each server gets one window: its rate, its CPU per request (the process, every
 * thread, from /proc), and its rate as a multiple of the first server's rate in the same round.
 *
 * Nothing here asserts: it prints figures.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { cpuWindow } from "./suite/cpu.js";
import { measureReset, measureRestStep, type HttpFigures } from "./suite/http.js";
import { ROOT, ensureBuild } from "./suite/processes.js";
import type { LoadSpec } from "./suite/actors.js";
import { sleep, summarize } from "./suite/stats.js";
import { freePort } from "../test/support/redis.js";

const WORKLOADS = { reset: measureReset, "rest-step": measureRestStep } as const;
type SideWorkload = keyof typeof WORKLOADS;
const START_TIMEOUT_MS = 120_000;

interface ServerSpec {
  /** "." or a git revision. */
  source: string;
  settings: Record<string, string>;
  label: string;
}

/** `SOURCE[,NAME=VALUE...]`; throws on a malformed setting. */
function parseServerSpec(text: string): ServerSpec {
  const [source = "", ...pairs] = text.split(",");
  if (source === "") throw new Error(`a server needs a source ("." or a git revision), got "${text}"`);
  const settings: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf("=");
    if (at <= 0) throw new Error(`a setting is NAME=VALUE, got "${pair}" in "${text}"`);
    settings[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return { source, settings, label: text };
}

interface Running {
  spec: ServerSpec;
  url: string;
  child: ChildProcess;
  cleanup: () => void;
}

function run(command: string, args: string[], cwd: string): void {
  const result = spawnSync(command, args, { cwd, stdio: ["ignore", "ignore", "inherit"] });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed in ${cwd}`);
}

/** The checkout a source names: this one, or a fresh worktree of a revision with its dependencies installed. */
function checkout(source: string): { dir: string; cleanup: () => void } {
  if (source === ".") {
    ensureBuild((line) => console.log(line));
    return { dir: ROOT, cleanup: () => {} };
  }
  const dir = mkdtempSync(join(tmpdir(), "side-by-side-"));
  run("git", ["worktree", "add", "--detach", dir, source], ROOT);
  const cleanup = (): void => {
    spawnSync("git", ["worktree", "remove", "--force", dir], { cwd: ROOT, stdio: "ignore" });
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    console.log(`${source}: npm ci in ${dir}`);
    run("npm", ["ci", "--ignore-scripts", "--no-audit", "--no-fund"], dir);
    return { dir, cleanup };
  } catch (error) {
    cleanup();
    throw error;
  }
}

/** The checkout's own start command (package.json "start"), which must run node directly. */
function startCommand(dir: string): string[] {
  const scripts = (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { scripts?: Record<string, string> }).scripts ?? {};
  const start = scripts.start?.trim().split(/\s+/) ?? [];
  if (start[0] !== "node") throw new Error(`${dir}: the start script must begin with "node", got "${scripts.start ?? ""}"`);
  if (scripts.prestart !== undefined && dir !== ROOT) run("npm", ["run", "prestart"], dir);
  return start.slice(1);
}

async function startServer(spec: ServerSpec): Promise<Running> {
  const { dir, cleanup } = checkout(spec.source);
  try {
    const port = await freePort();
    const child = spawn(process.execPath, startCommand(dir), {
      cwd: dir,
      env: { ...process.env, ...spec.settings, PORT: String(port), HOST: "127.0.0.1" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    // What it says on stderr, for the error when it does not start (the last few lines).
    let said = "";
    child.stderr?.on("data", (chunk: Buffer) => (said = (said + chunk.toString()).slice(-2000)));
    const url = `http://127.0.0.1:${port}`;
    for (const started = Date.now(); Date.now() - started < START_TIMEOUT_MS; await sleep(200)) {
      if (child.exitCode !== null) throw new Error(`${spec.label} exited with code ${child.exitCode} before it answered /health:\n${said}`);
      const healthy = await fetch(`${url}/health`).then(
        (response) => response.ok,
        () => false,
      );
      if (healthy) return { spec, url, child, cleanup };
    }
    child.kill("SIGKILL");
    throw new Error(`${spec.label} did not answer /health within ${START_TIMEOUT_MS / 1000} s`);
  } catch (error) {
    cleanup();
    throw error;
  }
}

interface Window {
  rate: number;
  /** Server CPU milliseconds per request, every thread; undefined off Linux. */
  cpuMs: number | undefined;
  figures: HttpFigures;
}

async function measure(server: Running, workload: SideWorkload, spec: LoadSpec): Promise<Window> {
  const end = cpuWindow(server.child.pid ?? 0, false);
  const figures = await WORKLOADS[workload](server.url, spec);
  const cpu = end();
  return { rate: figures.rate, cpuMs: cpu && figures.rate > 0 ? (cpu.serverCores / figures.rate) * 1000 : undefined, figures };
}

const mean = (values: readonly number[]): number => summarize(values).mean;

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      workload: { type: "string", default: "reset" },
      rounds: { type: "string", default: "6" },
      window: { type: "string", default: "4" },
      warm: { type: "string", default: "12" },
    },
  });
  const workload = values.workload as SideWorkload;
  if (!(workload in WORKLOADS)) throw new Error(`--workload is one of ${Object.keys(WORKLOADS).join(", ")}, got "${values.workload}"`);
  const [rounds, windowS, warmS] = [values.rounds, values.window, values.warm].map(Number) as [number, number, number];
  if (!(rounds >= 1 && windowS > 0 && warmS >= 0)) throw new Error("--rounds must be at least 1, --window above 0, --warm at least 0");
  if (positionals.length < 2) throw new Error("name two or more servers, e.g. `. b5b36e1` or `.,WORKERS=1 .,WORKERS=2`");
  const specs = positionals.map(parseServerSpec);

  const servers: Running[] = [];
  const stopAll = (): void => {
    for (const server of servers) {
      server.child.kill("SIGKILL");
      server.cleanup();
    }
  };
  process.once("SIGINT", () => {
    stopAll();
    process.exit(130);
  });
  try {
    for (const spec of specs) servers.push(await startServer(spec));
    for (const server of servers) if (warmS > 0) await WORKLOADS[workload](server.url, { durationS: warmS, warmupS: 0 });
    const windows = servers.map((): Window[] => []);
    for (let round = 0; round < rounds; round++) {
      const line: string[] = [];
      for (const [i, server] of servers.entries()) {
        const w = await measure(server, workload, { durationS: windowS, warmupS: 1 });
        windows[i]?.push(w);
        const failed = w.figures.failures > 0 ? ` (${w.figures.failures} failed: ${w.figures.firstError ?? "no answer"})` : "";
        line.push(`${server.spec.label} ${w.rate.toFixed(0)}/s${w.cpuMs === undefined ? "" : ` ${w.cpuMs.toFixed(2)} ms CPU`}${failed}`);
      }
      console.log(`round ${round + 1}: ${line.join(" | ")}`);
    }
    const first = windows[0] ?? [];
    console.log(`\n${workload}, ${rounds} rounds of ${windowS} s windows, requests per second:`);
    for (const [i, server] of servers.entries()) {
      const own = windows[i] ?? [];
      const rates = own.map((w) => w.rate);
      const ratios = own.map((w, r) => w.rate / (first[r]?.rate ?? NaN));
      const cpu = own.flatMap((w) => (w.cpuMs === undefined ? [] : [w.cpuMs]));
      console.log(
        `${server.spec.label}: mean ${mean(rates).toFixed(0)} (${Math.min(...rates).toFixed(0)}-${Math.max(...rates).toFixed(0)})` +
          (cpu.length > 0 ? `, ${mean(cpu).toFixed(2)} ms of server CPU per request` : "") +
          (i > 0 ? `, ${mean(ratios).toFixed(2)}x the first (rounds ${ratios.map((r) => r.toFixed(2)).join(" ")})` : ""),
      );
    }
  } finally {
    stopAll();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
