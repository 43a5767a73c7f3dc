/**
 * Command line of `npm run bench` (bench/run.ts):
 *
 *   --quick              short rows, few episodes (whole suite in under 2 minutes)
 *   --only a,b           run only these workloads or groups (see WORKLOADS and GROUPS)
 *   --store memory|redis|both      server rows on these episode stores (default both)
 *   --workers 1|all|both           server rows with these WORKERS settings (default both)
 *   --duration SECONDS   measured seconds per load row (default 8, quick 0.7)
 *   --out FILE           where the markdown goes (default bench/RESULTS.md; quick bench/RESULTS.quick.md; with --only
 *                        bench/RESULTS.subset.md, not committed)
 *   --no-build           use dist/ as it is (by default it is rebuilt when src/ or gen/ is newer)
 *
 * BENCH_SERVER_NODE_FLAGS (environment, space-separated) passes Node flags to the servers under
 * test, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` for a CPU profile of every server thread and
 * simulation worker under a row's load.
 */
import { QUICK_WARMUP_EPISODES, WARMUP_EPISODES } from "./episode-mix.js";

export const WORKLOADS = [
  "bare", // the bare fastify yardstick (runs whenever an HTTP row does)
  "inprocess", // in-process reset and step (the yardstick of episode rows; runs whenever one does)
  "state", // GET /state, autocannon
  "state-many", // GET /state of 50 episodes in turn (no two reads likely to share a store round trip), autocannon
  "state-h2", // GET /state over h2c, h2load
  "reset", // POST /reset (medium), autocannon
  "rest-step", // POST /step, autocannon
  "connect-json",
  "connect-binary",
  "grpc-unary",
  "batch", // gRPC StepBatch at 1, 16 and 256
  "interact",
  "ws", // the OpenEnv /ws
  "memory", // RSS with 10,000 live episodes
  "fanout", // StreamLogs to 1,000 subscribers
  "store", // Redis store overhead per step, in process
  "obs-size", // observation sizes: REST JSON and binary beside the markdown text, in process
] as const;
export type Workload = (typeof WORKLOADS)[number];

/** Workloads whose yardstick is the bare fastify route. */
export const HTTP_YARDSTICK_WORKLOADS: readonly Workload[] = ["state", "state-many", "state-h2", "reset"];
/** Workloads whose yardstick is the in-process step rate. */
export const EPISODE_YARDSTICK_WORKLOADS: readonly Workload[] = [
  "rest-step",
  "connect-json",
  "connect-binary",
  "grpc-unary",
  "batch",
  "interact",
  "ws",
];

/** Server workloads that play episodes: a server warms its simulation up before the first of them. */
export const EPISODE_ROW_WORKLOADS: readonly Workload[] = ["reset", ...EPISODE_YARDSTICK_WORKLOADS];

export const GROUPS: Record<string, readonly Workload[]> = {
  rest: ["state", "state-many", "state-h2", "reset", "rest-step"],
  connect: ["connect-json", "connect-binary"],
  grpc: ["grpc-unary", "batch", "interact"],
  // Every served workload: those measured against bare fastify, then those against the in-process rate.
  http: [...HTTP_YARDSTICK_WORKLOADS, ...EPISODE_YARDSTICK_WORKLOADS],
};

/** Workloads that run against a served environment, once per (store, workers) configuration. */
export const SERVER_WORKLOADS: readonly Workload[] = GROUPS.http ?? [];

export type StoreKind = "memory" | "redis";
export type WorkersKind = "1" | "all";

export interface Options {
  quick: boolean;
  only: Set<Workload>;
  stores: StoreKind[];
  workers: WorkersKind[];
  /** Measured seconds per load row. */
  durationS: number;
  /** Warm-up seconds before each load row (not measured). */
  warmupS: number;
  /** Episodes each simulation thread plays before anything is measured (episode-mix.ts). */
  warmupEpisodes: number;
  out: string;
  /** Only some workloads were asked for (--only): the run writes to its own file. */
  subset: boolean;
  build: boolean;
}

function list<T extends string>(raw: string, allowed: readonly T[], name: string): T[] {
  if (raw === "both") return [...allowed];
  const values = raw.split(",").map((v) => v.trim());
  for (const v of values)
    if (!(allowed as readonly string[]).includes(v)) throw new Error(`${name} must be one of ${allowed.join(", ")} or both, got "${v}"`);
  return values as T[];
}

export function parseOptions(argv: readonly string[]): Options {
  let quick = false;
  let only: string | undefined;
  let store = "both";
  let workers = "both";
  let duration: number | undefined;
  let out: string | undefined;
  let build = true;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    const [flag, inline] = arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const take = (): string => inline ?? value();
    switch (flag) {
      case "--quick":
        quick = true;
        break;
      case "--only":
        only = take();
        break;
      case "--store":
        store = take();
        break;
      case "--workers":
        workers = take();
        break;
      case "--duration":
        duration = Number(take());
        if (!(duration > 0)) throw new Error("--duration must be a positive number of seconds");
        break;
      case "--out":
        out = take();
        break;
      case "--no-build":
        build = false;
        break;
      case "--help":
      case "-h":
        throw new Error(
          "usage: npm run bench -- [--quick] [--only a,b] [--store memory|redis|both] [--workers 1|all|both] [--duration S] [--out FILE] [--no-build]",
        );
      default:
        throw new Error(`unknown argument "${arg}" (try --help)`);
    }
  }
  const selected = new Set<Workload>();
  for (const name of (only ?? WORKLOADS.join(","))
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean)) {
    const group = GROUPS[name];
    if (group) group.forEach((w) => selected.add(w));
    else if ((WORKLOADS as readonly string[]).includes(name)) selected.add(name as Workload);
    else
      throw new Error(`--only: unknown workload "${name}"; workloads: ${WORKLOADS.join(", ")}; groups: ${Object.keys(GROUPS).join(", ")}`);
  }
  if ([...selected].some((w) => HTTP_YARDSTICK_WORKLOADS.includes(w))) selected.add("bare");
  if ([...selected].some((w) => EPISODE_YARDSTICK_WORKLOADS.includes(w))) selected.add("inprocess");
  return {
    quick,
    only: selected,
    stores: list<StoreKind>(store, ["memory", "redis"], "--store"),
    workers: list<WorkersKind>(workers, ["1", "all"], "--workers"),
    durationS: duration ?? (quick ? 0.7 : 8),
    warmupS: quick ? 0.25 : 2,
    warmupEpisodes: quick ? QUICK_WARMUP_EPISODES : WARMUP_EPISODES,
    // A subset never overwrites the full results: its figures lack the rows the others are read beside.
    out: out ?? (quick ? "bench/RESULTS.quick.md" : only !== undefined ? "bench/RESULTS.subset.md" : "bench/RESULTS.md"),
    subset: only !== undefined,
    build,
  };
}
