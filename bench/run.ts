/**
 * `npm run bench`: every workload of issue 9, each figure beside a yardstick measured in the same
 * run (a bare fastify route for HTTP rows, the in-process step rate of one core for episode rows)
 * and the issue's target; the table goes to the console and to bench/RESULTS.md. Servers under
 * test are child processes of the compiled build (`node dist/src/main.js`, as `npm start` runs),
 * with WORKERS=1 and WORKERS=all, on the in-memory store and on a throwaway redis-server.
 *
 *   npm run bench                      full run (about 19 minutes on 2 cores)
 *   npm run bench -- --quick           short rows, few episodes (under 2 minutes)
 *   npm run bench -- --only rest,grpc --store memory --workers 1
 *
 * Options: bench/suite/options.ts. Nothing here asserts: timing goals do not belong in unit tests.
 */
import { create, toBinary } from "@bufbuild/protobuf";
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { ActionType } from "../gen/incident/v1/enums_pb.js";
import { StepRequestSchema } from "../gen/incident/v1/service_pb.js";
import { GOAL_STORE_OVERHEAD_P50_MS, measureStoreOverhead } from "./store-overhead.js";
import { type LoopFigures } from "./suite/actors.js";
import { ACTORS, HTTP_CONNECTIONS, STEPS_PER_EPISODE } from "./suite/episode-mix.js";
import { measureFanout } from "./suite/fanout.js";
import {
  measureGet,
  measureGetMany,
  measureH2load,
  measureReset,
  measureRestStep,
  warmSimulation,
  type HttpFigures,
} from "./suite/http.js";
import { cpuBoundRate, cpuSecondsPerCall } from "./suite/ceiling.js";
import { cpuWindow, describeCpu, type CpuFigures } from "./suite/cpu.js";
import { measureInProcess } from "./suite/in-process.js";
import type { InProcessResult } from "./suite/in-process-child.js";
import { gitCommit, machineDescription } from "./suite/machine.js";
import { measureMemory } from "./suite/memory.js";
import { measureObservationSizes, type SizeFigures } from "./suite/observation-size.js";
import {
  EPISODE_ROW_WORKLOADS,
  EPISODE_YARDSTICK_WORKLOADS,
  parseOptions,
  SERVER_WORKLOADS,
  type Options,
  type StoreKind,
  type Workload,
  type WorkersKind,
} from "./suite/options.js";
import {
  ensureBuild,
  ROOT,
  startBare,
  startBareConnect,
  startBareStoreState,
  startRedis,
  startServer,
  type RedisServer,
} from "./suite/processes.js";
import { consoleTable, markdown, ratio, type Row, type Yardstick } from "./suite/report.js";
import { batchCallers, measureInteract, measureStepBatch, measureUnary } from "./suite/rpc.js";
import { count, median, mib, ms, num } from "./suite/stats.js";
import { measureWs } from "./suite/ws.js";

const GIB = 2 ** 30;
const TODAY_RESET_RATE = 140;
const BATCH_SIZES = [1, 16, 256] as const;

const startedAt = Date.now();
/**
 * A yardstick measured once more: its value becomes the mean of the readings. Rows hold the same
 * object, so their ratios follow.
 */
function mergeYardstick(current: Yardstick | undefined, label: string, value: number): Yardstick {
  if (!current) return { label, value };
  current.value = (current.value + value) / 2;
  current.label = `${label}, mean of start and end`;
  return current;
}

const log = (line: string): void =>
  void process.stderr.write(`[bench ${String(Math.round((Date.now() - startedAt) / 1000)).padStart(4)} s] ${line}\n`);

function httpFigure(f: HttpFigures, unit: string): string {
  const latency = Number.isFinite(f.latencyP50Ms) ? ` (latency p50 ${ms(f.latencyP50Ms)}, p99 ${ms(f.latencyP99Ms)})` : "";
  return `${num(f.rate)} ${unit}${latency}`;
}

function failures(count: number, first?: string): string | undefined {
  return count > 0 ? `${count} failed calls${first ? ` (first: ${first.slice(0, 120)})` : ""}` : undefined;
}

function joinNotes(...notes: (string | undefined)[]): string | undefined {
  const kept = notes.filter((n): n is string => Boolean(n));
  return kept.length > 0 ? kept.join("; ") : undefined;
}

interface ServerConfig {
  store: StoreKind;
  workers: WorkersKind;
  label: string;
  env: Record<string, string>;
}

function serverConfigs(options: Options, redis: RedisServer | undefined): ServerConfig[] {
  const all = availableParallelism();
  const configs: ServerConfig[] = [];
  let n = 0;
  for (const store of options.stores) {
    for (const workers of options.workers) {
      const count = workers === "1" ? 1 : all;
      const env: Record<string, string> = { WORKERS: String(count), MAX_LIVE_EPISODES: "20000" };
      if (store === "redis") {
        if (!redis) continue;
        env.EPISODE_STORE = redis.url;
        env.EPISODE_STORE_PREFIX = `bench-${process.pid}-${n++}`;
      }
      configs.push({
        store,
        workers,
        env,
        label: `${store === "memory" ? "in-memory" : "Redis"}, WORKERS=${workers === "1" ? "1" : `all (${all})`}`,
      });
    }
  }
  return configs;
}

/** Measures the bare fastify route now, over HTTP/1.1 or h2c; undefined when it cannot (no h2load). */
type BareNow = (protocol: "http1" | "h2c") => Promise<number | undefined>;

/**
 * The yardstick of a GET /state row: bare fastify measured just before and just after it, so that
 * both sides of the ratio its target judges come from the same spell of this VM, whose speed
 * wanders by up to half within minutes; the run's start and end readings when there are none.
 */
async function besideBare(
  bareNow: BareNow | undefined,
  protocol: "http1" | "h2c",
  fallback: Yardstick | undefined,
  row: () => Promise<void>,
): Promise<{ yardstick?: Yardstick; note?: string }> {
  const before = await bareNow?.(protocol);
  await row();
  const after = await bareNow?.(protocol);
  if (before === undefined || after === undefined) return fallback ? { yardstick: fallback } : {};
  const label = protocol === "h2c" ? "bare fastify h2c" : "bare fastify";
  return {
    yardstick: { label: `${label}, just before and after this row`, value: (before + after) / 2 },
    note: `${label} ${num(before)} req/s just before this row, ${num(after)} just after`,
  };
}

/** Runs the server rows of one configuration against one server process. */
async function serverRows(
  config: ServerConfig,
  options: Options,
  yard: { bare?: Yardstick; bareH2?: Yardstick; episode?: Yardstick },
  bareNow: BareNow | undefined,
  inProcessNow: (() => number) | undefined,
): Promise<Row[]> {
  const server = await startServer(config.env);
  const rows: Row[] = [];
  const requested = Number(config.env.WORKERS);
  const ignored =
    server.workers !== requested
      ? `WORKERS=${requested} ignored by this build: the server simulates in ${server.workers === 1 ? "its own thread" : `${server.workers} workers`}`
      : undefined;
  const spec = { durationS: options.durationS, warmupS: options.warmupS };
  // Once the server has died, the later rows are skipped (the row where it died says so).
  const has = (w: Workload): boolean => options.only.has(w) && server.exit() === undefined;
  const key = (w: string): string => `${w}|${config.store}|${config.workers}`;
  const name = (w: string): string => `${w} · ${config.label}`;
  // A server that dies fails every later row: say so on the row where it happened, with its last words.
  const died = (): string | undefined => {
    const exit = server.exit();
    if (exit === undefined) return undefined;
    const message = (line: string): string => /"msg":"((?:[^"\\]|\\.)*)"/.exec(line)?.[1] ?? line;
    const tail = server.output().trim().split("\n").slice(-4).map(message).join(" / ").slice(-600);
    return `the server ${exit} during this row; its last output: ${tail}`;
  };
  /** Runs a row's load and notes where its CPU went (bench/suite/cpu.ts). */
  const metered = async <F extends { rate: number }>(per: string, run: () => Promise<F>): Promise<F & { cpu?: string }> => {
    const end = cpuWindow(server.pid);
    const f = await run();
    const cpu = end();
    return cpu ? { ...f, cpu: describeCpu(cpu, f.rate, per) } : f;
  };
  /**
   * The yardstick of this server's episode rows: the in-process mix measured just before and just
   * after them (the run's start and end readings when the in-process yardstick is not run), for the
   * reason besideBare gives. Rows hold this object; its value becomes the mean once the second
   * reading is in.
   */
  let episodeYard = yard.episode;
  let inProcessBefore: number | undefined;
  const episodeRow = (w: string, title: string, f: LoopFigures & { cpu?: string }, extra?: Partial<Row>): Row => ({
    key: key(w),
    workload: name(title),
    figure: `${num(f.rate)} steps/s`,
    value: f.rate,
    unit: "steps/s",
    ...(episodeYard ? { yardstick: episodeYard } : {}),
    ...(f.cpu !== undefined ? { cpu: f.cpu } : {}),
    ...extra,
    note: joinNotes(ignored, failures(f.failures, f.firstError), extra?.note, died()),
  });
  try {
    log(`server ${config.label} at ${server.baseUrl} (${server.workers} simulation thread${server.workers > 1 ? "s" : ""})`);
    if (has("state") || has("state-h2")) {
      // One episode to read; GET /state is the cheapest call that touches one.
      await fetch(`${server.baseUrl}/reset`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ task_level: "medium", seed: 1, episode_id: "bench-state" }),
      }).then((r) => r.arrayBuffer());
    }
    if (has("state")) {
      log("  GET /state (autocannon), between two windows of bare fastify");
      let f: HttpFigures & { cpu?: string } = { rate: 0, latencyP50Ms: NaN, latencyP99Ms: NaN, failures: 0 };
      const beside = await besideBare(bareNow, "http1", yard.bare, async () => {
        f = await metered("request", () => measureGet(`${server.baseUrl}/state?episode_id=bench-state`, spec));
      });
      rows.push({
        key: key("state"),
        workload: name("GET /state (HTTP/1.1)"),
        figure: httpFigure(f, "req/s"),
        value: f.rate,
        unit: "req/s",
        ...(f.cpu !== undefined ? { cpu: f.cpu } : {}),
        ...(beside.yardstick ? { yardstick: beside.yardstick } : {}),
        target: "≥ 0.5× bare fastify",
        note: joinNotes(beside.note, ignored, failures(f.failures, f.firstError), died()),
      });
    }
    if (has("state-many")) {
      // As many episodes as connections, read in turn: the reads of one episode seldom overlap, so
      // with a shared store nearly every read makes its own round trip.
      const ids = Array.from({ length: HTTP_CONNECTIONS }, (_, i) => `bench-state-${i}`);
      for (const [i, id] of ids.entries())
        await fetch(`${server.baseUrl}/reset`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ task_level: "medium", seed: 100 + i, episode_id: id }),
        }).then((r) => r.arrayBuffer());
      log(`  GET /state of ${ids.length} episodes in turn (autocannon)`);
      const f = await metered("request", () => measureGetMany(server.baseUrl, ids, spec));
      rows.push({
        key: key("state-many"),
        workload: name(`GET /state (HTTP/1.1), ${ids.length} episodes read in turn`),
        figure: httpFigure(f, "req/s"),
        value: f.rate,
        unit: "req/s",
        ...(f.cpu !== undefined ? { cpu: f.cpu } : {}),
        ...(yard.bare ? { yardstick: yard.bare } : {}),
        note: joinNotes(
          "no target of its own: the GET /state target is the row above (one episode); here reads of one episode seldom overlap, so they share no store round trip",
          ignored,
          failures(f.failures, f.firstError),
          died(),
        ),
      });
    }
    if (has("state-h2") && yard.bareH2) {
      log("  GET /state over h2c (h2load), between two windows of bare fastify");
      let f: HttpFigures | undefined;
      let cpu: CpuFigures | undefined;
      const beside = await besideBare(bareNow, "h2c", yard.bareH2, async () => {
        const end = cpuWindow(server.pid, false);
        f = await measureH2load(`${server.baseUrl}/state?episode_id=bench-state`, spec);
        cpu = end();
      });
      if (f)
        rows.push({
          key: key("state-h2"),
          workload: name("GET /state (h2c, h2load)"),
          figure: httpFigure(f, "req/s"),
          value: f.rate,
          unit: "req/s",
          ...(cpu ? { cpu: describeCpu(cpu, f.rate, "request") } : {}),
          ...(beside.yardstick ? { yardstick: beside.yardstick } : {}),
          target: "≥ 0.5× bare fastify",
          note: joinNotes(beside.note, ignored, failures(f.failures, f.firstError), died()),
        });
    }
    if (EPISODE_ROW_WORKLOADS.some(has)) {
      // The simulation threads play as many episodes as the in-process yardstick warms up with
      // before any episode row is measured, so that every row meets a steady state.
      const perThread = options.warmupEpisodes;
      log(`  warming the simulation: ${count(perThread * server.workers)} REST episodes (${count(perThread)} per simulation thread)`);
      const warm = await warmSimulation(server.baseUrl, perThread * server.workers);
      const failed = warm.failures > 0 ? `; ${warm.failures} calls failed, the first: ${warm.firstError ?? "a connection error"}` : "";
      log(`  warm: ${count(warm.episodes)} episodes played in ${warm.seconds.toFixed(1)} s${failed}`);
    }
    if (inProcessNow && EPISODE_YARDSTICK_WORKLOADS.some(has)) {
      log("  in process, one core, before this server's episode rows");
      inProcessBefore = inProcessNow();
      episodeYard = { label: "in process, 1 core, just before and after this server's episode rows", value: inProcessBefore };
    }
    if (has("reset")) {
      log("  POST /reset (autocannon)");
      const f = await metered("reset", () => measureReset(server.baseUrl, spec));
      rows.push({
        key: key("reset"),
        workload: name("POST /reset (medium)"),
        figure: httpFigure(f, "req/s"),
        value: f.rate,
        unit: "req/s",
        ...(f.cpu !== undefined ? { cpu: f.cpu } : {}),
        ...(yard.bare ? { yardstick: yard.bare } : {}),
        target: `≥ ${num(10 * TODAY_RESET_RATE)} req/s (10× ${TODAY_RESET_RATE})`,
        note: joinNotes(ignored, failures(f.failures, f.firstError), died()),
      });
    }
    if (has("rest-step")) {
      log("  POST /step (autocannon)");
      const f = await metered("step", () => measureRestStep(server.baseUrl, spec));
      rows.push({
        key: key("rest-step"),
        workload: name(`POST /step (REST, ${HTTP_CONNECTIONS} conns)`),
        figure: httpFigure(f, "steps/s"),
        value: f.rate,
        unit: "steps/s",
        ...(f.cpu !== undefined ? { cpu: f.cpu } : {}),
        ...(episodeYard ? { yardstick: episodeYard } : {}),
        target: "≥ 0.5× in process",
        note: joinNotes(ignored, failures(f.failures, f.firstError), died()),
      });
    }
    for (const [w, protocol, title] of [
      ["connect-json", "connect-json", "Connect JSON (HTTP/1.1) steps"],
      ["connect-binary", "connect-binary", "Connect binary (h2c) steps"],
      ["grpc-unary", "grpc", "gRPC unary steps"],
    ] as const) {
      if (!has(w)) continue;
      log(`  ${title}`);
      rows.push(
        episodeRow(w, `${title} (${ACTORS} actors)`, await metered("step", () => measureUnary(protocol, server.baseUrl, spec)), {
          target: "≥ 0.6× in process",
        }),
      );
    }
    // Interact right after the unary row its target is a multiple of, so that both meet the same
    // spell of the machine.
    if (has("interact")) {
      log("  Interact");
      rows.push(
        episodeRow(
          "interact",
          `gRPC Interact (${ACTORS} sessions) steps`,
          await metered("step", () => measureInteract(server.baseUrl, spec)),
          {
            target: "≥ 2× gRPC unary",
          },
        ),
      );
    }
    if (has("batch")) {
      for (const size of BATCH_SIZES) {
        log(`  gRPC StepBatch(${size})`);
        const callers = batchCallers(size, options.quick);
        const f = await metered("env-step", () => measureStepBatch(server.baseUrl, size, { ...spec, callers }));
        rows.push({
          ...episodeRow(
            `batch-${size}`,
            `gRPC StepBatch(${size}), ${callers} caller${callers > 1 ? "s" : ""}`,
            f,
            size === 256 ? { target: "≥ 0.8× in process" } : {},
          ),
          figure: `${num(f.rate)} env-steps/s`,
        });
      }
    }
    if (has("ws")) {
      log("  OpenEnv /ws");
      rows.push(episodeRow("ws", `OpenEnv /ws (${ACTORS} sessions) steps`, await metered("step", () => measureWs(server.baseUrl, spec))));
    }
    if (inProcessNow && inProcessBefore !== undefined && episodeYard) {
      log("  in process, one core, after this server's episode rows");
      const after = inProcessNow();
      episodeYard.value = (inProcessBefore + after) / 2;
      rows.push({
        key: key("inproc-beside"),
        workload: name("in process: episode mix, 1 core, just before / after this server's episode rows (their yardstick)"),
        figure: `${num(inProcessBefore)} / ${num(after)} steps/s`,
        value: episodeYard.value,
        unit: "steps/s",
      });
    }
  } finally {
    await server.stop();
  }
  return rows;
}

/**
 * The in-process reset and step rows, once every in-process reading of the run is in: the median
 * of the readings' means, beside their range and the first reading (the one measured at the start
 * of the run: its percentiles are given here, and its collector pauses in a row of their own).
 */
function inProcessFigures(rows: Row[], readings: readonly InProcessResult[]): void {
  if (readings.length < 2) return;
  const first = readings[0] as InProcessResult;
  for (const [key, times, goal] of [
    ["inproc-reset", (r: InProcessResult) => r.resetMs, 1],
    ["inproc-step", (r: InProcessResult) => r.stepMs, 0.2],
  ] as const) {
    const row = rows.find((r) => r.key === key);
    if (!row) continue;
    const means = readings.map((r) => times(r).mean);
    const start = times(first);
    const middle = median(means);
    row.workload = `${row.workload}, median of the run's ${readings.length} readings`;
    row.figure = `${ms(middle)} (readings ${ms(Math.min(...means))}–${ms(Math.max(...means))}; ${ms(start.mean)} at the start of the run, p50 ${ms(start.p50)}, p99 ${ms(start.p99)})`;
    row.value = middle;
    row.met = middle <= goal;
    row.note = joinNotes(
      row.note,
      `each reading: a process of its own playing ${count(first.episodes)} medium episodes after ${count(first.warmupEpisodes)} unmeasured, at the start and end of the run and just before and after each server's episode rows`,
    );
  }
}

/** Judges each row against its target, now that every row (and every yardstick) is known. */
function judge(rows: Row[]): void {
  const byKey = new Map(rows.map((r) => [r.key, r]));
  for (const row of rows) {
    const [w, store, workers] = row.key.split("|");
    const r = ratio(row);
    switch (w) {
      case "state":
      case "state-h2":
        row.met = r === undefined ? undefined : r >= 0.5;
        break;
      case "reset":
        row.met = row.value >= 10 * TODAY_RESET_RATE;
        break;
      case "rest-step":
        row.met = r === undefined ? undefined : r >= 0.5;
        break;
      case "connect-json":
      case "connect-binary":
      case "grpc-unary":
        row.met = r === undefined ? undefined : r >= 0.6;
        break;
      case "batch-256":
        row.met = r === undefined ? undefined : r >= 0.8;
        break;
      case "interact": {
        const unary = byKey.get(`grpc-unary|${store}|${workers}`);
        if (unary) {
          row.target = `≥ 2× gRPC unary (${num(2 * unary.value)} steps/s)`;
          row.met = row.value >= 2 * unary.value;
        }
        break;
      }
      default:
        break;
    }
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const loadAtStart = loadavg()[0] ?? Number.NaN;
  const started = Date.now();
  const needsDist = [...options.only].some((w) => w !== "bare" && w !== "store" && w !== "obs-size");
  if (needsDist && options.build) ensureBuild(log);
  const rows: Row[] = [];
  const yard: { bare?: Yardstick; bareH2?: Yardstick; episode?: Yardstick } = {};
  /** What the computed ceilings (bench/suite/ceiling.ts) are made of, from the start of the run. */
  const parts: { bareCpuPerRequest?: number; inProcess?: InProcessResult } = {};
  const cores = availableParallelism();
  const spec = { durationS: options.durationS, warmupS: options.warmupS };
  const has = (w: Workload): boolean => options.only.has(w);

  // The yardsticks are measured before the server rows and again after them; rows are compared
  // with the mean of the two, and the two readings show how much the machine drifted meanwhile.
  const serverRowsRun = [...options.only].some((w) => SERVER_WORKLOADS.includes(w));
  // The bare route stays up for the whole run: the GET /state rows measure it just before and
  // after themselves as well (besideBare).
  const bare = has("bare") ? await startBare() : undefined;
  const bareNow: BareNow | undefined = bare
    ? async (protocol) => {
        const adjacent = { durationS: Math.max(0.5, options.durationS / 2), warmupS: Math.min(1, options.warmupS) };
        return protocol === "h2c"
          ? (await measureH2load(`${bare.h2Url}/state`, adjacent))?.rate
          : (await measureGet(`${bare.baseUrl}/state`, adjacent)).rate;
      }
    : undefined;
  const bareYardsticks = async (when: "start" | "end"): Promise<void> => {
    if (!bare) return;
    log(`bare fastify GET (autocannon), ${when} of the run`);
    const end = cpuWindow(bare.pid);
    const f = await measureGet(`${bare.baseUrl}/state`, spec);
    const cpu = end();
    rows.push({
      key: `bare-${when}`,
      workload: `bare fastify GET, HTTP/1.1 (yardstick, ${HTTP_CONNECTIONS} conns), ${when} of the run`,
      figure: httpFigure(f, "req/s"),
      value: f.rate,
      unit: "req/s",
      ...(cpu ? { cpu: describeCpu(cpu, f.rate, "request") } : {}),
    });
    yard.bare = mergeYardstick(yard.bare, "bare fastify", f.rate);
    if (cpu && when === "start") parts.bareCpuPerRequest = cpuSecondsPerCall(cpu, f.rate);
    if (has("state-h2")) {
      log(`bare fastify GET over h2c (h2load), ${when} of the run`);
      const endH2 = cpuWindow(bare.pid, false);
      const h2 = await measureH2load(`${bare.h2Url}/state`, spec);
      const h2Cpu = endH2();
      if (h2) {
        rows.push({
          key: `bare-h2-${when}`,
          workload: `bare fastify GET, h2c (yardstick, h2load, ${HTTP_CONNECTIONS} clients), ${when} of the run`,
          figure: httpFigure(h2, "req/s"),
          value: h2.rate,
          unit: "req/s",
          ...(h2Cpu ? { cpu: describeCpu(h2Cpu, h2.rate, "request") } : {}),
        });
        yard.bareH2 = mergeYardstick(yard.bareH2, "bare fastify h2c", h2.rate);
      } else log("h2load is not installed: the h2c rows are skipped");
    }
  };
  /**
   * Every in-process reading of the run (start, end, and around each server's episode rows): the
   * in-process reset and step rows give their median, since one reading taken in a slow spell of
   * the machine can be twice another (see inProcessFigures).
   */
  const inProcessReadings: InProcessResult[] = [];
  const measureYardstick = (): InProcessResult => {
    const r = measureInProcess(options.quick ? 100 : 600, options.warmupEpisodes);
    inProcessReadings.push(r);
    return r;
  };
  const inProcessNow = has("inprocess") ? (): number => measureYardstick().mixStepsPerSecond : undefined;
  const inProcessYardstick = (when: "start" | "end"): InProcessResult => {
    log(`in process (compiled), one core, ${when} of the run`);
    const r = measureYardstick();
    rows.push({
      key: `inproc-mix-${when}`,
      workload: `in process: episode mix, 1 core (yardstick: reset + ${STEPS_PER_EPISODE} steps, ${r.episodes} episodes after ${r.warmupEpisodes} unmeasured), ${when} of the run`,
      figure: `${num(r.mixStepsPerSecond)} steps/s`,
      value: r.mixStepsPerSecond,
      unit: "steps/s",
    });
    yard.episode = mergeYardstick(yard.episode, "in process, 1 core", r.mixStepsPerSecond);
    return r;
  };

  // Redis first: a machine without it fails here, before minutes of measuring.
  const needsRedis = options.stores.includes("redis") && (serverRowsRun || has("fanout") || has("store"));
  const redis = needsRedis ? await startRedis() : undefined;

  if (has("bare")) await bareYardsticks("start");

  if (has("inprocess")) {
    const r = inProcessYardstick("start");
    parts.inProcess = r;
    rows.push(
      {
        key: "inproc-reset",
        workload: "in process: medium reset, mean",
        figure: ms(r.resetMs.mean),
        value: r.resetMs.mean,
        unit: "ms",
        target: "≤ 1 ms",
        met: r.resetMs.mean <= 1,
      },
      {
        key: "inproc-reset-pct",
        workload: "in process: medium reset, p50 / p99",
        figure: `${ms(r.resetMs.p50)} / ${ms(r.resetMs.p99)}`,
        value: r.resetMs.p50,
        unit: "ms",
      },
      {
        key: "inproc-gc",
        workload: "in process: garbage-collector pauses within a medium reset / an inspect step, mean",
        figure: `${ms(r.gcMs.reset)} / ${ms(r.gcMs.step)}`,
        value: r.gcMs.reset,
        unit: "ms",
        note: `the means without them: reset ${ms(r.resetMs.mean - r.gcMs.reset)}, step ${ms(r.stepMs.mean - r.gcMs.step)} (V8's gc performance entries that overlap each call)`,
      },
      {
        key: "inproc-step",
        workload: "in process: medium inspect step, mean",
        figure: `${ms(r.stepMs.mean)} (p50 ${ms(r.stepMs.p50)}, p99 ${ms(r.stepMs.p99)})`,
        value: r.stepMs.mean,
        unit: "ms",
        target: "≤ 0.2 ms",
        met: r.stepMs.mean <= 0.2,
      },
    );
    if (has("reset") && parts.bareCpuPerRequest !== undefined) {
      const rate = cpuBoundRate(cores, [parts.bareCpuPerRequest, r.resetsOnly.cpuMs / 1000]);
      rows.push({
        key: "ceiling-reset",
        workload: "POST /reset (medium): most this machine could serve (computed, an upper bound)",
        figure: `${num(rate)} req/s`,
        value: rate,
        unit: "req/s",
        note: `${cores} cores ÷ (the bare fastify row's CPU per request, server and autocannon, ${ms(parts.bareCpuPerRequest * 1000)} + the CPU of an in-process medium reset, resets back to back, garbage collector included, ${ms(r.resetsOnly.cpuMs)}); it leaves out the reset's JSON and the request's parsing`,
      });
    }
  }

  if (has("obs-size")) {
    const episodes = options.quick ? 5 : 40;
    log(`observation sizes: ${episodes} medium episodes, reset + ${STEPS_PER_EPISODE} inspect steps, text on`);
    const sizes = measureObservationSizes(episodes);
    const kib = (bytes: number): string => `${num(bytes / 1024)} KiB`;
    const sizeRow = (kind: "reset" | "step", f: SizeFigures, what: string): Row => ({
      key: `obs-size-${kind}`,
      workload: `observation size, ${what} (mean of ${f.observations}, in process)`,
      figure: `REST JSON ${kib(f.restJson)}, binary ${kib(f.binary)}, text ${kib(f.text)} (${(f.text / f.restJson).toFixed(2)}× the JSON)`,
      value: f.text,
      unit: "bytes",
      note: "text: Observation.text (reset with text: true), which the JSON and binary figures leave out",
    });
    rows.push(
      sizeRow("reset", sizes.reset, "medium reset (complete: topology and KB)"),
      sizeRow("step", sizes.step, "medium inspect step (lean)"),
    );
  }

  if (has("bare") && has("grpc-unary")) {
    // The same actors and mix as the gRPC rows, against canned answers: the most any server on this stack could serve here.
    const ceiling = await startBareConnect();
    const SAME_LOAD = "the same stack and load generator with nothing behind them";
    const ceilingRow = (key: string, workload: string, rate: number, figure: string, note: string | undefined, cpu?: string): Row => ({
      key,
      workload: `${workload} against canned answers, no simulation (ceiling)`,
      figure,
      value: rate,
      unit: "steps/s",
      ...(yard.episode ? { yardstick: yard.episode } : {}),
      ...(cpu !== undefined ? { cpu } : {}),
      note,
    });
    /** Runs a ceiling row's load and notes where its CPU went. */
    const meteredCeiling = async <F extends { rate: number }>(
      run: () => Promise<F>,
    ): Promise<[F, string | undefined, CpuFigures | undefined]> => {
      const end = cpuWindow(ceiling.pid);
      const f = await run();
      const cpu = end();
      return [f, cpu ? describeCpu(cpu, f.rate, "step") : undefined, cpu];
    };
    try {
      log("gRPC unary against canned Reset/Step answers (the transport's ceiling)");
      const [f, unaryCpu] = await meteredCeiling(() => measureUnary("grpc", ceiling.baseUrl, spec));
      rows.push(
        ceilingRow(
          "ceiling-grpc",
          `gRPC unary steps (${ACTORS} actors)`,
          f.rate,
          `${num(f.rate)} steps/s`,
          joinNotes(SAME_LOAD, failures(f.failures, f.firstError)),
          unaryCpu,
        ),
      );
      // Interact right after the unary row it is compared with (as in the server rows).
      if (has("interact")) {
        log("gRPC Interact against canned answers");
        const [i, interactCpu] = await meteredCeiling(() => measureInteract(ceiling.baseUrl, spec));
        rows.push(
          ceilingRow(
            "ceiling-interact",
            `gRPC Interact (${ACTORS} sessions)`,
            i.rate,
            `${num(i.rate)} steps/s, ${(i.rate / f.rate).toFixed(2)}× the canned unary row`,
            joinNotes(SAME_LOAD, failures(i.failures, i.firstError)),
            interactCpu,
          ),
        );
      }
      if (has("batch")) {
        const callers = batchCallers(256, options.quick);
        log("gRPC StepBatch(256) against canned answers");
        const [b, batchCpu, batchCpuFigures] = await meteredCeiling(() => measureStepBatch(ceiling.baseUrl, 256, { ...spec, callers }));
        rows.push(
          ceilingRow(
            "ceiling-batch-256",
            `gRPC StepBatch(256), ${callers} caller${callers > 1 ? "s" : ""},`,
            b.rate,
            `${num(b.rate)} env-steps/s`,
            joinNotes(SAME_LOAD, failures(b.failures, b.firstError)),
            batchCpu,
          ),
        );
        if (batchCpuFigures && parts.inProcess) {
          const simCpu = parts.inProcess.cpuMs.mixPerStep / 1000;
          const rate = cpuBoundRate(cores, [cpuSecondsPerCall(batchCpuFigures, b.rate), simCpu]);
          rows.push({
            key: "ceiling-batch-256-sim",
            workload: `gRPC StepBatch(256), ${callers} caller${callers > 1 ? "s" : ""}, with the simulation: most this machine could serve (computed, an upper bound)`,
            figure: `${num(rate)} env-steps/s`,
            value: rate,
            unit: "steps/s",
            ...(yard.episode ? { yardstick: yard.episode } : {}),
            note: `${cores} cores ÷ (the canned row's CPU per env-step, server and client, ${ms(cpuSecondsPerCall(batchCpuFigures, b.rate) * 1000)} + the in-process CPU per step of the episode mix, resets and garbage collector included, ${ms(simCpu * 1000)})`,
          });
        }
      }
      // The same canned Step with h2load, a load generator in C: what the stack serves when the client costs little.
      const bodyFile = join(tmpdir(), `bench-step-${process.pid}.bin`);
      const message = toBinary(
        StepRequestSchema,
        create(StepRequestSchema, { episodeId: "canned", action: { actionType: ActionType.INSPECT, targetService: "x" } }),
      );
      const frame = new Uint8Array(5 + message.length);
      new DataView(frame.buffer).setUint32(1, message.length);
      frame.set(message, 5);
      writeFileSync(bodyFile, frame);
      log("gRPC Step against canned answers with h2load");
      const endH2 = cpuWindow(ceiling.pid, false);
      const h2 = await measureH2load(`${ceiling.baseUrl}/incident.v1.IncidentEnvService/Step`, spec, {
        bodyFile,
        headers: { "content-type": "application/grpc", te: "trailers" },
      });
      const h2Cpu = endH2();
      if (h2) {
        const note = joinNotes(
          "the stack alone, with a light client; one request body, so no episode could be played this way",
          failures(h2.failures),
        );
        rows.push(
          ceilingRow(
            "ceiling-grpc-h2load",
            `gRPC Step, h2load (${HTTP_CONNECTIONS} clients),`,
            h2.rate,
            `${num(h2.rate)} steps/s`,
            note,
            h2Cpu ? describeCpu(h2Cpu, h2.rate, "step") : undefined,
          ),
        );
      }
    } finally {
      await ceiling.stop();
    }
  }

  try {
    if (redis && has("state") && yard.bare) {
      // What a replica that made one store round trip per request could serve at most, then a canned state. The
      // server may pass it: reads of one episode that wait for the same turn share one round trip (shared-reads.ts).
      const storeState = await startBareStoreState(redis.url);
      const NOTE =
        "one store check per request (the SYNC script), then a state text made once: nothing else; the server shares one check among the reads of an episode that wait together, so it may pass this";
      try {
        log("GET /state with one store round trip per request, canned state");
        const end = cpuWindow(storeState.pid);
        const f = await measureGet(`${storeState.baseUrl}/state`, spec);
        const cpu = end();
        rows.push({
          key: "ceiling-state-redis",
          workload: "GET /state (HTTP/1.1) with one Redis round trip per request, no simulation (bound of one store read per request)",
          figure: httpFigure(f, "req/s"),
          value: f.rate,
          unit: "req/s",
          ...(cpu ? { cpu: describeCpu(cpu, f.rate, "request") } : {}),
          yardstick: yard.bare,
          note: joinNotes(NOTE, failures(f.failures, f.firstError)),
        });
        if (has("state-h2") && yard.bareH2) {
          log("GET /state over h2c with one store round trip per read (h2load)");
          const endH2 = cpuWindow(storeState.pid, false);
          const h2 = await measureH2load(`${storeState.h2Url}/state`, spec);
          const h2Cpu = endH2();
          if (h2)
            rows.push({
              key: "ceiling-state-h2-redis",
              workload:
                "GET /state (h2c, h2load) with one Redis round trip per request, no simulation (bound of one store read per request)",
              figure: httpFigure(h2, "req/s"),
              value: h2.rate,
              unit: "req/s",
              ...(h2Cpu ? { cpu: describeCpu(h2Cpu, h2.rate, "request") } : {}),
              yardstick: yard.bareH2,
              note: joinNotes(NOTE, failures(h2.failures)),
            });
        }
      } finally {
        await storeState.stop();
      }
    }

    const configs = serverConfigs(options, redis);
    if (serverRowsRun) {
      for (const config of configs) rows.push(...(await serverRows(config, options, yard, bareNow, inProcessNow)));
    }

    if (has("memory")) {
      const episodes = options.quick ? 200 : 10_000;
      for (const workers of options.workers) {
        const count = workers === "1" ? "1" : String(availableParallelism());
        log(`memory: ${episodes} live episodes, WORKERS=${count}`);
        const m = await measureMemory({ workers: count, episodes });
        const at10k = m.baseRss + m.bytesPerEpisode * 10_000;
        rows.push({
          key: `memory|memory|${workers}`,
          workload: `RSS with ${num(episodes)} live medium episodes · in-memory, WORKERS=${count}`,
          figure: `${mib(m.rss)} (base ${mib(m.baseRss)}; ${num(m.bytesPerEpisode / 1024)} KiB per episode)`,
          value: m.rss,
          unit: "bytes",
          target: "10,000 episodes ≤ 1 GiB RSS",
          // A few hundred episodes say little about 10,000: the heap's own growth dominates them.
          ...(episodes >= 10_000 ? { met: m.rss <= GIB } : {}),
          note: joinNotes(
            episodes < 10_000 ? `too few episodes to judge (a full run opens 10,000); straight extrapolation: ${mib(at10k)}` : undefined,
            m.workers !== Number(count) ? `server ran ${m.workers} workers` : undefined,
          ),
        });
      }
    }

    if (has("fanout")) {
      const subscribers = options.quick ? 200 : 1000;
      for (const config of configs) {
        log(`StreamLogs fan-out to ${subscribers} subscribers · ${config.label}`);
        try {
          const f = await measureFanout({
            env: config.env,
            subscribers,
            episodes: options.quick ? 1 : 2,
            steps: options.quick ? 2 : STEPS_PER_EPISODE,
          });
          rows.push({
            key: `fanout|${config.store}|${config.workers}`,
            workload: `StreamLogs fan-out, ${num(subscribers)} gRPC subscribers · ${config.label}`,
            figure: `delivery p50 ${ms(f.delivery.p50)}, p99 ${ms(f.delivery.p99)} (${num(f.lines)} deliveries over ${f.steps} steps)`,
            value: f.delivery.p99,
            unit: "ms",
            note: joinNotes(f.workers !== Number(config.env.WORKERS) ? `WORKERS=${config.env.WORKERS} ignored by this build` : undefined),
          });
        } catch (error) {
          rows.push({
            key: `fanout|${config.store}|${config.workers}`,
            workload: `StreamLogs fan-out · ${config.label}`,
            figure: "failed",
            value: Number.NaN,
            unit: "ms",
            note: error instanceof Error ? error.message.slice(0, 200) : String(error),
          });
        }
      }
    }

    if (has("store") && redis) {
      log("Redis store overhead per step (in process, bench/store-overhead.ts)");
      const o = await measureStoreOverhead({ url: redis.url, episodes: options.quick ? 20 : 200, warmup: options.quick ? 5 : 20 });
      rows.push({
        key: "store-overhead",
        workload: `Redis store overhead per step (${o.steps} medium inspect steps, in process)`,
        figure: `p50 ${ms(o.overhead.p50)}, p99 ${ms(o.overhead.p99)} (step in memory p50 ${ms(o.memoryStep.p50)}, on the store ${ms(o.storeStep.p50)}, two replicas alternating ${ms(o.alternatingStep.p50)})`,
        value: o.overhead.p50,
        unit: "ms",
        target: `≤ ${GOAL_STORE_OVERHEAD_P50_MS} ms p50`,
        met: o.overhead.p50 <= GOAL_STORE_OVERHEAD_P50_MS,
      });
    }
  } finally {
    await redis?.stop();
  }

  if (serverRowsRun && has("bare")) await bareYardsticks("end");
  await bare?.stop();
  if (serverRowsRun && has("inprocess")) inProcessYardstick("end");

  inProcessFigures(rows, inProcessReadings);
  judge(rows);
  // Servers play the warm-up episodes only before episode rows (see the server loop above).
  const serversWarmed = serverRowsRun && EPISODE_ROW_WORKLOADS.some(has);
  const info = {
    date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    machine: machineDescription(),
    node: process.version,
    commit: gitCommit(ROOT),
    mode: `${options.quick ? "quick (indicative figures only)" : options.subset ? `subset (${[...options.only].join(", ")})` : "full"}; ${options.durationS} s per load row after ${options.warmupS} s of warm-up${serversWarmed ? `; each server first plays ${count(options.warmupEpisodes)} episodes per simulation thread, as the in-process yardstick does` : ""}; ran ${Math.round((Date.now() - started) / 1000)} s`,
    settings: [
      "Yardsticks (bare fastify, in process) are measured at the start and again at the end of the run; rows are compared with the mean of the two readings, and the gap between them shows how much the machine drifted. The GET /state rows, whose target is a ratio to bare fastify, are compared instead with bare fastify measured just before and just after each of them (windows of half a row's length, the same load tool), so that both sides of that ratio come from the same spell of the machine; their notes give the two readings. Likewise the episode rows (steps against the in-process rate) are compared with the in-process mix measured just before and just after each server's episode rows (a row per server gives the two readings); the run's start and end readings remain the yardstick of the computed ceilings and canned rows.",
      `Load generators run on the same machine as the server. HTTP rows: autocannon, ${HTTP_CONNECTIONS} connections; h2c row: h2load, ${HTTP_CONNECTIONS} clients.`,
      `Episode rows play the same mix as the in-process yardstick: a medium reset with the actor's own id, then ${STEPS_PER_EPISODE} inspect steps; figures count steps, time includes the resets. Unary and session rows: ${ACTORS} actors over 4 HTTP/2 sessions (Connect JSON: HTTP/1.1 connections). StepBatch(n): n episodes per call, max(2, ${ACTORS}/n) callers (a quick run: 1 caller at 256).`,
      "Servers: `node dist/src/main.js` (what `npm start` runs), default LOG_LEVEL, MAX_LIVE_EPISODES=20000; Redis rows: a throwaway redis-server (no persistence) on this machine.",
      "Memory rows: a server process of their own; RSS is VmRSS from /proc (the lowest of 4 readings); per episode = (RSS after − RSS before) / episodes, each episode a medium reset and 4 inspect steps.",
      "CPU (cores busy): over each load row (warm-up and measurement), the CPU time of the server process (all its threads, simulation workers included, from /proc) and of this bench process (the load generator: autocannon and the RPC clients; not h2load) divided by the wall time. When the two add up to the machine's cores the row is bound by CPU, and the server's CPU per call (cores / rate) is what a faster server must cut; the in-process step time is the simulation's share of it.",
      "Fan-out rows: the subscribers are gRPC StreamLogs streams in the bench process over 20 HTTP/2 sessions; a line's delivery time runs from the moment the step that wrote it was sent to its arrival at each subscriber.",
      `Load average (1 min) at start and end: ${loadAtStart.toFixed(2)} and ${(loadavg()[0] ?? Number.NaN).toFixed(2)} on ${availableParallelism()} cores (figures compare only on a quiet machine).`,
    ],
  };
  const out = resolve(ROOT, options.out);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, markdown(info, rows));
  console.log(`\n${info.date} · ${info.machine} · Node ${info.node} · ${info.commit}\n${info.mode}\n`);
  console.log(consoleTable(rows));
  console.log(`\nwritten to ${options.out}`);
}

await main();
process.exit(0); // HTTP/2 sessions of the clients would otherwise keep the process alive
