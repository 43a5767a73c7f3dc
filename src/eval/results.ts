/**
 * The results of an evaluation: one record per episode, and summaries per task, per fault mode
 * and overall. Everything is derived from the episodes in a fixed order (task, then seed), with
 * figures rounded to 6 decimals, so the same run gives a byte-identical results.json.
 */
import { TASK_WORDS, type TaskWord } from "./args.js";
import { ci95, mean, round6 } from "./stats.js";

export const RESULTS_FORMAT = "incident-env-results/1";
/** The fault mode of an episode whose fault a remote run cannot know. */
export const UNKNOWN_FAULT = "unknown";

export interface EpisodeOutcome {
  task: TaskWord;
  seed: number;
  scenario_id: string;
  /** Fault mode word (e.g. "bad_deploy"), or "unknown" over the network (see docs/evaluation.md). */
  fault: string;
  score: number;
  steps: number;
  /** The environment's verdict: the episode ended at or above the task's score threshold. */
  success: boolean;
  /** Episode status word: terminated_success, terminated_failed, running (aborted by an error), not_played (the agent was unavailable). */
  status: string;
  truncated: boolean;
  rewards: number[];
  /** Set when the episode could not be played to its end (transport or agent failure). */
  error?: string;
  /** The final grade's components by name (each score in [0, 1]), when the episode ended with a grade. */
  components?: Record<string, number>;
}

export interface Summary {
  episodes: number;
  mean_score: number;
  /** 95 % confidence interval of the mean score (Student's t), clamped to [0, 1]. */
  ci95: [number, number];
  success_rate: number;
  mean_steps: number;
  errors: number;
}

interface TaskSummary extends Summary {
  threshold: number;
  per_fault: Record<string, Summary>;
}

export interface EvalResults {
  format: typeof RESULTS_FORMAT;
  agent: string;
  agent_description: string;
  environment: { name: string; version: string };
  /** "in-process" or the transport used (rest, connect, grpc, grpc-web). */
  backend: string;
  url: string | null;
  tasks: TaskWord[];
  seeds: string;
  seeds_per_task: number;
  fault_kind: string | null;
  episodes: number;
  mean_score: number;
  ci95: [number, number];
  success_rate: number;
  mean_steps: number;
  errors: number;
  per_task: Partial<Record<TaskWord, TaskSummary>>;
  /** Every task together, by fault mode. */
  per_fault: Record<string, Summary>;
  /** Counters the agent keeps (the llm agent: calls, retries, fallbacks...), summed over episodes. */
  agent_stats: Record<string, number> | null;
  /** One row per episode, in task then seed order. */
  episode_results: EpisodeOutcome[];
}

export function summarize(outcomes: readonly EpisodeOutcome[]): Summary {
  const scores = outcomes.map((o) => o.score);
  const [lo, hi] = ci95(scores);
  return {
    episodes: outcomes.length,
    mean_score: round6(mean(scores)),
    // Scores live in [0, 1], and so does every mean of them.
    ci95: [round6(Math.max(0, lo)), round6(Math.min(1, hi))],
    success_rate: round6(outcomes.length === 0 ? 0 : outcomes.filter((o) => o.success).length / outcomes.length),
    mean_steps: round6(mean(outcomes.map((o) => o.steps))),
    errors: outcomes.filter((o) => o.error !== undefined).length,
  };
}

/** Summaries by fault mode, in the fault words' order. */
export function byFault(outcomes: readonly EpisodeOutcome[]): Record<string, Summary> {
  const faults = [...new Set(outcomes.map((o) => o.fault))].sort();
  return Object.fromEntries(faults.map((f) => [f, summarize(outcomes.filter((o) => o.fault === f))]));
}

interface ResultsMeta {
  agent: string;
  agentDescription: string;
  environment: { name: string; version: string };
  backend: string;
  url: string | undefined;
  tasks: TaskWord[];
  seeds: string;
  seedsPerTask: number;
  faultKind: string | undefined;
  thresholds: Partial<Record<TaskWord, number>>;
  agentStats: Record<string, number> | undefined;
}

export function buildResults(meta: ResultsMeta, outcomes: readonly EpisodeOutcome[]): EvalResults {
  const order = (o: EpisodeOutcome): number => TASK_WORDS.indexOf(o.task);
  const sorted = [...outcomes].sort((a, b) => order(a) - order(b) || a.seed - b.seed);
  const all = summarize(sorted);
  const perTask: Partial<Record<TaskWord, TaskSummary>> = {};
  for (const task of meta.tasks) {
    const mine = sorted.filter((o) => o.task === task);
    perTask[task] = { ...summarize(mine), threshold: meta.thresholds[task] ?? 0.7, per_fault: byFault(mine) };
  }
  return {
    format: RESULTS_FORMAT,
    agent: meta.agent,
    agent_description: meta.agentDescription,
    environment: meta.environment,
    backend: meta.backend,
    url: meta.url ?? null,
    tasks: meta.tasks,
    seeds: meta.seeds,
    seeds_per_task: meta.seedsPerTask,
    fault_kind: meta.faultKind ?? null,
    episodes: all.episodes,
    mean_score: all.mean_score,
    ci95: all.ci95,
    success_rate: all.success_rate,
    mean_steps: all.mean_steps,
    errors: all.errors,
    per_task: perTask,
    per_fault: byFault(sorted),
    agent_stats: meta.agentStats ?? null,
    episode_results: sorted.map((o) => ({
      ...o,
      score: round6(o.score),
      rewards: o.rewards.map(round6),
      ...(o.components
        ? { components: Object.fromEntries(Object.entries(o.components).map(([name, score]) => [name, round6(score)])) }
        : {}),
    })),
  };
}

// ------------------------------------------------------------------ the table

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

function table(header: readonly string[], rows: readonly string[][], rightFrom = 1): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => pad(c, widths[i] ?? 0, i >= rightFrom))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

function summaryRow(name: string, s: Summary): string[] {
  return [
    name,
    String(s.episodes),
    s.mean_score.toFixed(3),
    `[${s.ci95[0].toFixed(3)}, ${s.ci95[1].toFixed(3)}]`,
    pct(s.success_rate),
    s.mean_steps.toFixed(1),
  ];
}

/** The human-readable results: per task, then per fault mode. */
export function formatResults(r: EvalResults): string {
  const out: string[] = [];
  const where = r.backend === "in-process" ? "in process" : `${r.backend} ${r.url ?? ""}`.trim();
  out.push(
    `agent ${r.agent} · ${where} · seeds ${r.seeds} (${r.seeds_per_task} per task)${r.fault_kind ? ` · fault ${r.fault_kind}` : ""} · ${r.episodes} episodes${r.errors > 0 ? ` · ${r.errors} ERRORS` : ""}`,
  );
  out.push("");
  const rows = r.tasks.map((t) => {
    const s = r.per_task[t];
    return s ? [...summaryRow(t, s), s.threshold.toFixed(2)] : [t];
  });
  rows.push([...summaryRow("all", r), ""]);
  out.push(table(["task", "episodes", "mean score", "95% CI", "success", "mean steps", "threshold"], rows));
  out.push("");
  const faults = Object.keys(r.per_fault);
  const faultRows = faults.map((f) => {
    const s = r.per_fault[f];
    const perTask = r.tasks.map((t) => {
      const ts = r.per_task[t]?.per_fault[f];
      return ts ? ts.mean_score.toFixed(3) : "-";
    });
    return s ? [f, String(s.episodes), ...perTask, s.mean_score.toFixed(3), pct(s.success_rate), s.mean_steps.toFixed(1)] : [f];
  });
  out.push(table(["fault mode", "episodes", ...r.tasks.map((t) => `${t} mean`), "all mean", "success", "mean steps"], faultRows));
  if (r.agent_stats) {
    out.push("");
    out.push(
      `agent stats: ${Object.entries(r.agent_stats)
        .map(([k, v]) => `${k}=${v}`)
        .join(" ")}`,
    );
  }
  return out.join("\n");
}
