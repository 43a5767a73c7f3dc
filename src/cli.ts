/**
 * incident-env: evaluate agents on the incident-response environment, replay trajectories, and
 * render reports.
 *
 *   incident-env eval --agent heuristic --tasks easy,medium,hard --seeds 0-99 --concurrency 16
 *   incident-env eval --agent llm --url http://127.0.0.1:7860 --transport grpc --seeds 0-9
 *   incident-env replay trajectories.jsonl
 *   incident-env report results.json other.json -o report.html
 *
 * Exit codes: 0 done; 1 the run failed (server unreachable, an episode errored, a replay
 * mismatch); 2 bad arguments.
 */
import { randomBytes } from "node:crypto";
import { closeSync, existsSync, openSync, readFileSync, writeFileSync, writeSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { Command, CommanderError, Option } from "commander";
import { AGENT_NAMES, isAgentName } from "./agents/names.js";
import {
  ArgumentError,
  FAULT_WORDS,
  TRANSPORTS,
  formatSeeds,
  parsePositiveInt,
  parseSeeds,
  parseTasks,
  parseUrl,
  type TaskWord,
  type TransportName,
} from "./eval/args.js";
// Everything else loads once the arguments are known to be good: help and usage errors stay fast.
import type { EnvBackend } from "./eval/backend.js";
import type { NamedResults } from "./eval/report.js";
import type { EvalResults } from "./eval/results.js";
import type { Trajectory } from "./eval/trajectory.js";

/** Errors that are the user's to fix: exit 2. */
class UsageError extends ArgumentError {}

function stderr(text: string): void {
  process.stderr.write(`${text}\n`);
}

interface EvalFlags {
  agent: string;
  tasks: string;
  seeds: string;
  concurrency: string;
  url?: string;
  transport: TransportName;
  fault?: string;
  out: string;
  trajectories: string | false;
  json?: boolean;
  openenvLog?: boolean;
  progress: boolean;
  timeout: string;
  model?: string;
  baseUrl?: string;
  llmJsonMode?: boolean;
}

async function evalCommand(flags: EvalFlags, command: Command): Promise<number> {
  if (!isAgentName(flags.agent)) throw new UsageError(`unknown agent "${flags.agent}": choose one of ${AGENT_NAMES.join(", ")}`);
  const tasks = parseTasks(flags.tasks);
  const seeds = parseSeeds(flags.seeds);
  const concurrency = parsePositiveInt("concurrency", flags.concurrency, 1024);
  const timeoutMs = parsePositiveInt("timeout", flags.timeout, 3600) * 1000;
  const url = flags.url !== undefined ? parseUrl(flags.url) : undefined;
  const transportGiven = command.getOptionValueSource("transport") === "cli";
  if (transportGiven && url === undefined) throw new UsageError("--transport needs --url (without --url the episodes run in process)");
  const faultWord = flags.fault?.trim().toLowerCase();
  if (faultWord !== undefined && !FAULT_WORDS.includes(faultWord))
    throw new UsageError(`unknown fault mode "${flags.fault}": choose one of ${FAULT_WORDS.join(", ")}`);
  if (flags.json && flags.openenvLog) throw new UsageError("--json and --openenv-log both write to stdout: choose one");
  if (flags.agent === "oracle" && url !== undefined)
    throw new UsageError("the oracle agent reads the episode's ground truth, so it runs only in process: drop --url");

  const [
    { agentEntry },
    { DEFAULT_MODEL, llmConfigFromEnv },
    { IncidentEnvironment },
    { InProcessBackend, remoteBackend },
    { openEnvLines, writeLinesNow },
    { buildResults, formatResults },
    { OrderedWriter, faultKindFromWord, runEvaluation },
    cliProgress,
  ] = await Promise.all([
    import("./agents/registry.js"),
    import("./agents/llm.js"),
    import("./env/environment.js"),
    import("./eval/backend.js"),
    import("./eval/openenv-log.js"),
    import("./eval/results.js"),
    import("./eval/runner.js"),
    import("cli-progress").then((m) => m.default),
  ]);
  const faultKind = faultWord !== undefined ? faultKindFromWord(faultWord) : undefined;

  const entry = agentEntry(flags.agent, {
    llm: () =>
      llmConfigFromEnv(process.env, {
        ...(flags.model !== undefined ? { model: flags.model } : {}),
        ...(flags.baseUrl !== undefined ? { baseURL: flags.baseUrl } : {}),
        ...(flags.llmJsonMode ? { jsonMode: true } : {}),
        timeoutMs,
      }),
  });

  const backend: EnvBackend =
    url !== undefined
      ? remoteBackend(flags.transport, url, timeoutMs)
      : new InProcessBackend(new IncidentEnvironment({ limits: { maxLiveEpisodes: Math.max(100, 2 * concurrency) } }));
  let health;
  try {
    health = await backend.health();
  } catch (e) {
    stderr(`error: cannot reach the environment at ${url} over ${flags.transport}: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
  const taskList = await backend.listTasks();
  const thresholds: Partial<Record<TaskWord, number>> = {};
  for (const t of taskList.tasks) if (tasks.includes(t.name as TaskWord)) thresholds[t.name as TaskWord] = t.scoreThreshold;

  const total = tasks.length * seeds.length;
  const showProgress = flags.progress && !flags.json && process.stderr.isTTY === true;
  const bar = showProgress
    ? new cliProgress.SingleBar(
        {
          format: `eval ${entry.name} |{bar}| {value}/{total} episodes | mean score {mean} | ETA {eta_formatted}`,
          stream: process.stderr,
          hideCursor: true,
          clearOnComplete: false,
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  bar?.start(total, 0, { mean: "-" });
  let done = 0;
  let scoreSum = 0;

  let trajectoryFd: number | undefined;
  if (flags.trajectories !== false) trajectoryFd = openSync(flags.trajectories, "w");
  // A .gz name writes gzip (one member per episode; gunzip and zcat read it as one stream).
  const gzip = flags.trajectories !== false && flags.trajectories.endsWith(".gz");
  // null: an episode without a trajectory (not played), which only keeps the order.
  const writer = new OrderedWriter<string | null>((line) => {
    if (trajectoryFd === undefined || line === null) return;
    if (gzip) writeSync(trajectoryFd, gzipSync(`${line}\n`));
    else writeSync(trajectoryFd, `${line}\n`);
  });
  const model = entry.name === "llm" ? (flags.model ?? process.env.MODEL_NAME ?? DEFAULT_MODEL) : entry.name;

  // Explicit episode ids: deterministic in process; with a run-unique prefix on a shared server.
  const prefix = url === undefined ? `eval-${entry.name}` : `eval-${entry.name}-${randomBytes(4).toString("hex")}`;
  let run;
  try {
    run = await runEvaluation({
      agent: entry,
      backend,
      tasks,
      seeds,
      concurrency,
      faultKind,
      episodeIdPrefix: prefix,
      trajectories: trajectoryFd !== undefined,
      onEpisode: ({ index, outcome, trajectory, log }) => {
        done++;
        scoreSum += outcome.score;
        bar?.update(done, { mean: (scoreSum / done).toFixed(3) });
        if (trajectoryFd !== undefined) writer.push(index, trajectory ? JSON.stringify(trajectory) : null);
        if (flags.openenvLog) writeLinesNow(openEnvLines(model, log, outcome));
      },
    });
  } finally {
    bar?.stop();
    if (trajectoryFd !== undefined) closeSync(trajectoryFd);
    await backend.dispose();
  }

  const results: EvalResults = buildResults(
    {
      agent: entry.name,
      agentDescription: entry.description,
      environment: { name: health.environment, version: health.version },
      backend: backend.kind,
      url,
      tasks,
      seeds: formatSeeds(seeds),
      seedsPerTask: seeds.length,
      faultKind: faultWord,
      thresholds,
      agentStats: run.agentStats,
    },
    run.outcomes,
  );
  writeFileSync(flags.out, `${JSON.stringify(results, null, 2)}\n`);
  if (run.agentUnavailable !== undefined) {
    // No table: its scores would be those of episodes that were never really played.
    if (flags.json) process.stdout.write(`${JSON.stringify(results)}\n`);
    stderr(`error: the ${entry.name} agent cannot play: ${run.agentUnavailable}`);
    stderr(`error: ${results.errors} of ${results.episodes} episodes counted as errors; wrote ${flags.out}`);
    return 1;
  }
  if (flags.json) process.stdout.write(`${JSON.stringify(results)}\n`);
  else if (!flags.openenvLog) process.stdout.write(`${formatResults(results)}\n`);
  stderr(`wrote ${flags.out}${trajectoryFd !== undefined ? ` and ${flags.trajectories}` : ""}`);
  if (results.errors > 0) {
    const first = results.episode_results.find((e) => e.error !== undefined);
    stderr(`error: ${results.errors} of ${results.episodes} episodes failed; first: ${first?.task} seed ${first?.seed}: ${first?.error}`);
    return 1;
  }
  return 0;
}

async function replayCommand(file: string, flags: { json?: boolean }): Promise<number> {
  if (!existsSync(file)) throw new UsageError(`cannot read ${file}: no such file`);
  const { replayFile } = await import("./eval/replay.js");
  let summary;
  try {
    summary = await replayFile(file);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    stderr(`error: ${file}: ${message}`);
    return 1;
  }
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  } else if (summary.mismatches.length === 0) {
    process.stdout.write(
      `replayed ${summary.episodes} episodes (${summary.steps} steps) from ${file}: every reward, grade and observation is identical\n`,
    );
  } else {
    process.stdout.write(
      `replayed ${summary.episodes} episodes (${summary.steps} steps) from ${file}: ${summary.mismatches.length} MISMATCHES\n`,
    );
    for (const m of summary.mismatches.slice(0, 20)) {
      process.stdout.write(
        `  line ${m.line} episode ${m.episodeId} step ${m.step}: ${m.field} recorded ${m.recorded} replayed ${m.replayed}\n`,
      );
    }
    if (summary.mismatches.length > 20) process.stdout.write(`  ... and ${summary.mismatches.length - 20} more\n`);
  }
  if (summary.episodes === 0) {
    stderr(`error: ${file} holds no episodes`);
    return 1;
  }
  return summary.mismatches.length === 0 ? 0 : 1;
}

async function reportCommand(
  files: readonly string[],
  flags: { out: string; markdown?: boolean; trajectories?: string[] },
): Promise<number> {
  const [{ asResults, chartJsBundle, markdownTable, renderReport }, { readTrajectoryFile, withTrajectories }] = await Promise.all([
    import("./eval/report.js"),
    import("./eval/report-trajectories.js"),
  ]);
  const trajectories: Trajectory[] = [];
  for (const file of flags.trajectories ?? []) {
    try {
      trajectories.push(...(await readTrajectoryFile(file)));
    } catch (e) {
      throw new UsageError(`${file}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const read: NamedResults[] = files.map((file) => {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      throw new UsageError(`cannot read ${file}: no such file`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new UsageError(`${file} is not JSON`);
    }
    try {
      return { source: file, results: asResults(json, file) };
    } catch (e) {
      throw new UsageError(e instanceof Error ? e.message : String(e));
    }
  });
  const all = trajectories.length > 0 ? read.map((r) => ({ ...r, results: withTrajectories(r.results, trajectories) })) : read;
  if (flags.markdown) {
    process.stdout.write(`${markdownTable(all)}\n`);
    return 0;
  }
  writeFileSync(flags.out, renderReport(all, chartJsBundle()));
  stderr(`wrote ${flags.out} (${all.length} results file${all.length === 1 ? "" : "s"})`);
  return 0;
}

function buildProgram(): Command {
  const program = new Command("incident-env")
    .description("Evaluate agents on the incident-response environment, replay trajectories, render reports.")
    .version("0.1.0")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();

  program
    .command("eval")
    .description(
      "Play an agent over task levels x seeds, in process or against a server; print a results table and write results.json and trajectories.jsonl.",
    )
    .addOption(new Option("-a, --agent <name>", `agent to play: ${AGENT_NAMES.join(", ")}`).default("heuristic"))
    .option("-t, --tasks <list>", "comma-separated task levels (easy, medium, hard) or all", "easy,medium,hard")
    .option("-s, --seeds <range>", "seeds to play on every task: 0-99, 7, 1,5,9 or 0-9,100-109", "0-99")
    .option("-c, --concurrency <n>", "episodes in flight at once", "8")
    .option("-u, --url <url>", "play against a server at this URL instead of in process (e.g. http://127.0.0.1:7860)")
    .addOption(new Option("--transport <name>", "protocol to the server (with --url)").choices([...TRANSPORTS]).default("connect"))
    .option("--fault <kind>", `generate every episode with this fault mode (${FAULT_WORDS.slice(0, 4).join(", ")}, ...)`)
    .option("-o, --out <file>", "results file", "results.json")
    .option("--trajectories <file>", "trajectory file (JSON Lines, one episode per line; gzip when it ends in .gz)", "trajectories.jsonl")
    .option("--no-trajectories", "do not write a trajectory file")
    .option("--json", "print the results as one JSON object on stdout instead of the table")
    .option("--openenv-log", "print the [START]/[STEP]/[END] lines of the original incident-response-env on stdout instead of the table")
    .option("--no-progress", "no progress bar (it is off anyway when stderr is not a terminal, or with --json)")
    .option("--timeout <seconds>", "timeout of each request to the server or the model", "60")
    .option("--model <name>", "llm agent: model name (default $MODEL_NAME)")
    .option("--base-url <url>", "llm agent: OpenAI-compatible base URL (default $OPENAI_BASE_URL or $API_BASE_URL)")
    .option("--llm-json-mode", "llm agent: ask the endpoint for response_format json_object")
    .addHelpText(
      "after",
      `
Examples:
  incident-env eval --agent heuristic --tasks easy,medium,hard --seeds 0-99 --concurrency 16
  incident-env eval --agent random --seeds 0-99 --json > random.json
  incident-env eval --agent heuristic --url http://127.0.0.1:7860 --transport grpc --seeds 0-19
  MODEL_NAME=qwen2.5:7b OPENAI_BASE_URL=http://localhost:11434/v1 incident-env eval --agent llm --seeds 0-9 --openenv-log

The llm agent reads OPENAI_BASE_URL / API_BASE_URL, MODEL_NAME and OPENAI_API_KEY / HF_TOKEN.
Over the network the fault mode of a generated episode is not known ("unknown" in the tables),
except with --fault or for preset scenarios.`,
    )
    .action(async (flags: EvalFlags, command: Command) => {
      process.exitCode = await evalCommand(flags, command);
    });

  program
    .command("replay")
    .description(
      "Re-run every episode of a trajectory file in process and check that each reward, grade and observation is identical; exit 1 on any mismatch.",
    )
    .argument("<file>", "trajectory file written by incident-env eval")
    .option("--json", "print the summary as JSON")
    .action(async (file: string, flags: { json?: boolean }) => {
      process.exitCode = await replayCommand(file, flags);
    });

  program
    .command("report")
    .description(
      "Write a self-contained HTML report (charts inlined, works offline) of one or more results files; several files are compared agent against agent.",
    )
    .argument("<results...>", "results files written by incident-env eval")
    .option("-o, --out <file>", "HTML file to write", "report.html")
    .option("--markdown", "print a Markdown table of the results on stdout instead of writing HTML")
    .option(
      "--trajectories <files...>",
      "the runs' trajectory files: a remote run's episodes are filed under their fault mode when the trajectory knows it, and older results get their grade components",
    )
    .action(async (files: string[], flags: { out: string; markdown?: boolean; trajectories?: string[] }) => {
      process.exitCode = await reportCommand(files, flags);
    });

  program
    .command("agents")
    .description("List the agents eval can play.")
    .action(async () => {
      const [{ agentEntry }, { llmConfigFromEnv }] = await Promise.all([import("./agents/registry.js"), import("./agents/llm.js")]);
      for (const name of AGENT_NAMES) {
        let description: string;
        try {
          description = agentEntry(name, { llm: () => llmConfigFromEnv() }).description;
        } catch (e) {
          description = e instanceof Error ? e.message : String(e);
        }
        process.stdout.write(`${name.padEnd(10)} ${description}\n`);
      }
    });
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv], { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === "commander.helpDisplayed" || e.code === "commander.version") return 0;
      return 2;
    }
    if (e instanceof ArgumentError) {
      stderr(`error: ${e.message}`);
      return 2;
    }
    stderr(`error: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

const invokedDirectly = process.argv[1] !== undefined && /(?:^|[/\\])cli\.(?:ts|js)$/.test(process.argv[1]);
if (invokedDirectly) {
  const code = await main(process.argv.slice(2));
  // Open HTTP/2 sessions of a remote run would keep the process alive.
  process.exit(code);
}
