/**
 * A self-contained HTML report of one or more results files: summary tables, and charts (mean
 * score by task and by fault mode, score against steps per episode, and an agent-vs-agent
 * comparison when several results are given), the scores by grading component, and a warning
 * when the runs side by side did not play the same tasks and seeds. Chart.js's UMD bundle is
 * inlined, so the page works offline and can be mailed around as one file. Trajectory files add
 * what the results lack (./report-trajectories.ts).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { RESULTS_FORMAT, type EvalResults, type Summary } from "./results.js";

export interface NamedResults {
  /** Where the results came from (a file name); shown when agents share a name. */
  source: string;
  results: EvalResults;
}

/** Chart.js's UMD bundle from node_modules, without its source-map comment. */
export function chartJsBundle(): string {
  const require = createRequire(import.meta.url);
  const main = require.resolve("chart.js");
  return readFileSync(join(dirname(main), "chart.umd.js"), "utf8").replace(/\n\/\/# sourceMappingURL=.*\s*$/, "\n");
}

/** Checks that a parsed JSON value is a results file of this format. */
export function asResults(json: unknown, source: string): EvalResults {
  const r = json as Partial<EvalResults> | null;
  if (typeof r !== "object" || r === null || r.format !== RESULTS_FORMAT || !Array.isArray(r.episode_results)) {
    throw new Error(
      `${source} is not an incident-env results file (expected "format": "${RESULTS_FORMAT}"; write one with incident-env eval)`,
    );
  }
  return r as EvalResults;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);
}

/** JSON safe to put inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

function label(r: NamedResults, all: readonly NamedResults[]): string {
  const same = all.filter((o) => o.results.agent === r.results.agent).length > 1;
  return same ? `${r.results.agent} (${r.source})` : r.results.agent;
}

function summaryCells(s: Summary | undefined): string {
  if (!s) return "<td>-</td><td>-</td><td>-</td><td>-</td><td>-</td>";
  return `<td>${s.episodes}</td><td>${s.mean_score.toFixed(3)}</td><td>[${s.ci95[0].toFixed(3)}, ${s.ci95[1].toFixed(3)}]</td><td>${(100 * s.success_rate).toFixed(1)}%</td><td>${s.mean_steps.toFixed(1)}</td>`;
}

export function renderReport(all: readonly NamedResults[], chartJs: string): string {
  if (all.length === 0) throw new Error("no results to report");
  const labels = all.map((r) => label(r, all));
  const tasks = [...new Set(all.flatMap((r) => r.results.tasks))];
  const faults = [...new Set(all.flatMap((r) => Object.keys(r.results.per_fault)))].sort();
  const data = {
    labels,
    tasks,
    faults,
    byTask: all.map((r) => tasks.map((t) => r.results.per_task[t]?.mean_score ?? null)),
    ciByTask: all.map((r) => tasks.map((t) => r.results.per_task[t]?.ci95 ?? null)),
    successByTask: all.map((r) => tasks.map((t) => r.results.per_task[t]?.success_rate ?? null)),
    byFault: all.map((r) => faults.map((f) => r.results.per_fault[f]?.mean_score ?? null)),
    points: all.map((r) => r.results.episode_results.map((e) => ({ x: e.steps, y: e.score, task: e.task, seed: e.seed, fault: e.fault }))),
    paired: all.length >= 2 && all[0] && all[1] ? pairEpisodes(all[0].results, all[1].results) : [],
  };

  const summaryRows = all
    .map((r, i) => {
      const rows = r.results.tasks.map(
        (t) => `<tr><td>${escapeHtml(labels[i] ?? "")}</td><td>${t}</td>${summaryCells(r.results.per_task[t])}</tr>`,
      );
      rows.push(`<tr class="all"><td>${escapeHtml(labels[i] ?? "")}</td><td>all</td>${summaryCells(r.results)}</tr>`);
      return rows.join("\n");
    })
    .join("\n");
  const faultHeader = labels.map((l) => `<th>${escapeHtml(l)}</th>`).join("");
  const faultRows = faults
    .map(
      (f) =>
        `<tr><td>${escapeHtml(f)}</td>${all.map((r) => `<td>${r.results.per_fault[f] ? `${r.results.per_fault[f].mean_score.toFixed(3)} (${r.results.per_fault[f].episodes})` : "-"}</td>`).join("")}</tr>`,
    )
    .join("\n");
  const runs = all
    .map(
      (r, i) =>
        `<li><b>${escapeHtml(labels[i] ?? "")}</b>: ${escapeHtml(r.results.agent_description)}; ${escapeHtml(r.results.backend)}${r.results.url ? ` ${escapeHtml(r.results.url)}` : ""}; seeds ${escapeHtml(r.results.seeds)}; environment ${escapeHtml(r.results.environment.name)} ${escapeHtml(r.results.environment.version)}; source <code>${escapeHtml(r.source)}</code>${r.results.errors > 0 ? `; <b>${r.results.errors} episodes failed</b>` : ""}</li>`,
    )
    .join("\n");
  const comparison = all.length >= 2 ? comparisonSection(all, labels, tasks) : "";
  const warning = differentEpisodesWarning(all, labels);
  const components = componentSection(all, labels, tasks);

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>incident-env evaluation: ${escapeHtml(labels.join(" vs "))}</title>
<style>
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 1100px; color: #1f2328; padding: 0 1rem; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 2.2rem; }
table { border-collapse: collapse; margin: 0.5rem 0; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid #d0d7de; padding: 0.3rem 0.7rem; text-align: right; }
th:first-child, td:first-child, table.two-labels th:nth-child(2), table.two-labels td:nth-child(2) { text-align: left; }
tr.all td { font-weight: 600; }
.chart { position: relative; height: 360px; margin: 1rem 0; }
.note { color: #57606a; font-size: 0.9rem; }
code { background: #f6f8fa; padding: 0 0.2rem; }
.warning { background: #fff8c5; border: 1px solid #d4a72c; border-radius: 6px; padding: 0.6rem 1rem; margin: 1rem 0; }
</style>
</head>
<body>
<h1>Incident-response environment: evaluation report</h1>
<ul>
${runs}
</ul>
${warning}
<h2>Scores by task</h2>
<table class="two-labels">
<thead><tr><th>agent</th><th>task</th><th>episodes</th><th>mean score</th><th>95% CI</th><th>success</th><th>mean steps</th></tr></thead>
<tbody>
${summaryRows}
</tbody>
</table>
<div class="chart"><canvas id="byTask"></canvas></div>
<p class="note">Error bars are not drawn; the 95% confidence intervals of the means are in the table. Success: the episode ended at or above the task's score threshold.</p>
<h2>Scores by fault mode</h2>
<div class="chart" style="height:${Math.max(360, 28 * faults.length * Math.max(1, all.length) + 80)}px"><canvas id="byFault"></canvas></div>
<table>
<thead><tr><th>fault mode</th>${faultHeader}</tr></thead>
<tbody>
${faultRows}
</tbody>
</table>
<p class="note">Mean score over every task (episodes in brackets). A remote run that cannot know an episode's fault mode files it under <code>unknown</code>, unless its trajectory file (<code>--trajectories</code>) knows it.</p>
${components}
<h2>Score vs steps</h2>
<div class="chart"><canvas id="scoreSteps"></canvas></div>
<p class="note">One point per episode.</p>
${comparison}
<script>${chartJs}</script>
<script>
const DATA = ${scriptJson(data)};
const COLORS = ["#0969da", "#cf222e", "#1a7f37", "#8250df", "#bf8700", "#0a3069", "#a40e26", "#116329"];
const TASK_COLORS = { easy: "#1a7f37", medium: "#bf8700", hard: "#cf222e" };
const color = (i) => COLORS[i % COLORS.length];
new Chart(document.getElementById("byTask"), {
  type: "bar",
  data: { labels: DATA.tasks, datasets: DATA.labels.map((l, i) => ({ label: l, data: DATA.byTask[i], backgroundColor: color(i) })) },
  options: { maintainAspectRatio: false, scales: { y: { min: 0, max: 1, title: { display: true, text: "mean score" } } },
    plugins: { tooltip: { callbacks: { afterLabel: (c) => { const ci = DATA.ciByTask[c.datasetIndex][c.dataIndex]; const s = DATA.successByTask[c.datasetIndex][c.dataIndex]; return ci ? "95% CI [" + ci[0].toFixed(3) + ", " + ci[1].toFixed(3) + "], success " + (100 * s).toFixed(1) + "%" : ""; } } } } },
});
new Chart(document.getElementById("byFault"), {
  type: "bar",
  data: { labels: DATA.faults, datasets: DATA.labels.map((l, i) => ({ label: l, data: DATA.byFault[i], backgroundColor: color(i) })) },
  options: { indexAxis: "y", maintainAspectRatio: false, scales: { x: { min: 0, max: 1, title: { display: true, text: "mean score" } } } },
});
new Chart(document.getElementById("scoreSteps"), {
  type: "scatter",
  data: { datasets: DATA.labels.flatMap((l, i) => DATA.tasks.map((t) => ({
    label: l + " / " + t,
    data: DATA.points[i].filter((p) => p.task === t),
    backgroundColor: DATA.labels.length > 1 ? color(i) : TASK_COLORS[t] || color(i),
    pointStyle: ["circle", "rect", "triangle"][DATA.tasks.indexOf(t) % 3],
    clip: 8,
  }))) },
  options: { maintainAspectRatio: false,
    scales: { x: { title: { display: true, text: "steps" } }, y: { min: 0, max: 1, title: { display: true, text: "score" } } },
    plugins: { legend: { labels: { usePointStyle: true } }, tooltip: { callbacks: { label: (c) => c.raw.task + " seed " + c.raw.seed + " (" + c.raw.fault + "): score " + c.raw.y.toFixed(3) + " in " + c.raw.x + " steps" } } } },
});
if (document.getElementById("paired")) {
  new Chart(document.getElementById("paired"), {
    type: "scatter",
    data: { datasets: DATA.tasks.map((t) => ({ label: t, data: DATA.paired.filter((p) => p.task === t), backgroundColor: TASK_COLORS[t] || "#57606a", clip: 8 })) },
    options: { maintainAspectRatio: false,
      scales: { x: { min: 0, max: 1, title: { display: true, text: DATA.labels[0] + " score" } }, y: { min: 0, max: 1, title: { display: true, text: DATA.labels[1] + " score" } } },
      plugins: { tooltip: { callbacks: { label: (c) => c.raw.task + " seed " + c.raw.seed + ": " + c.raw.x.toFixed(3) + " vs " + c.raw.y.toFixed(3) } } } },
  });
}
</script>
</body>
</html>
`;
}

/** What a run played: its tasks, seeds and pinned fault mode. */
function episodesPlayed(r: EvalResults): string {
  return `tasks ${r.tasks.join(", ")}; seeds ${r.seeds}${r.fault_kind ? `; fault ${r.fault_kind}` : ""}`;
}

/** A warning when the runs side by side did not play the same episodes: their means do not compare like for like. */
function differentEpisodesWarning(all: readonly NamedResults[], labels: readonly string[]): string {
  const played = all.map((r) => episodesPlayed(r.results));
  if (new Set(played).size <= 1) return "";
  const items = played.map((p, i) => `<li>${escapeHtml(labels[i] ?? "")}: ${escapeHtml(p)}</li>`).join("\n");
  return `<div class="warning" id="different-episodes" role="alert"><b>Warning: these runs did not play the same tasks and seeds</b>, so their scores side by side are not a like-for-like comparison:
<ul>
${items}
</ul>
The agent-vs-agent points pair only the episodes both runs played.</div>`;
}

/** Mean score of each grading component, by task, per run (over the episodes that ended with a grade). */
function componentSection(all: readonly NamedResults[], labels: readonly string[], tasks: readonly string[]): string {
  const header = `<h2>Scores by grading component</h2>`;
  const rows: string[] = [];
  for (const task of tasks) {
    const graded = all.map((r) => r.results.episode_results.filter((e) => e.task === task && e.components !== undefined));
    const names = [...new Set(graded.flatMap((episodes) => episodes.flatMap((e) => Object.keys(e.components ?? {}))))];
    for (const name of names) {
      const cells = graded.map((episodes) => {
        const scores = episodes.flatMap((e) => (e.components?.[name] !== undefined ? [e.components[name]] : []));
        return scores.length === 0
          ? "<td>-</td>"
          : `<td>${(scores.reduce((a, b) => a + b, 0) / scores.length).toFixed(3)} (${scores.length})</td>`;
      });
      rows.push(`<tr><td>${escapeHtml(task)}</td><td>${escapeHtml(name)}</td>${cells.join("")}</tr>`);
    }
  }
  if (rows.length === 0) {
    return `${header}
<p class="note">These results hold no grade components (they were written before components were recorded): pass the runs' trajectory files with <code>--trajectories</code>.</p>`;
  }
  return `${header}
<table class="two-labels">
<thead><tr><th>task</th><th>component</th>${labels.map((l) => `<th>${escapeHtml(l)}</th>`).join("")}</tr></thead>
<tbody>
${rows.join("\n")}
</tbody>
</table>
<p class="note">Mean score of each component of the final grade (episodes in brackets); the grade weighs them as the task's grader says (GET /tasks).</p>`;
}

/** Episodes both runs played (same task and seed), as (first score, second score) points. */
function pairEpisodes(a: EvalResults, b: EvalResults): Array<{ x: number; y: number; task: string; seed: number }> {
  const other = new Map(b.episode_results.map((e) => [`${e.task}|${e.seed}`, e.score]));
  const out: Array<{ x: number; y: number; task: string; seed: number }> = [];
  for (const e of a.episode_results) {
    const y = other.get(`${e.task}|${e.seed}`);
    if (y !== undefined) out.push({ x: e.score, y, task: e.task, seed: e.seed });
  }
  return out;
}

function comparisonSection(all: readonly NamedResults[], labels: readonly string[], tasks: readonly string[]): string {
  const base = all[0];
  if (!base) return "";
  const rows: string[] = [];
  for (const [i, r] of all.entries()) {
    if (i === 0) continue;
    for (const t of [...tasks, "all"]) {
      const a = t === "all" ? base.results : base.results.per_task[t as keyof EvalResults["per_task"]];
      const b = t === "all" ? r.results : r.results.per_task[t as keyof EvalResults["per_task"]];
      if (!a || !b) continue;
      const diff = b.mean_score - a.mean_score;
      rows.push(
        `<tr><td>${escapeHtml(labels[i] ?? "")} - ${escapeHtml(labels[0] ?? "")}</td><td>${t}</td><td>${diff >= 0 ? "+" : ""}${diff.toFixed(3)}</td><td>${(100 * (b.success_rate - a.success_rate)).toFixed(1)} pts</td><td>${(b.mean_steps - a.mean_steps).toFixed(1)}</td></tr>`,
      );
    }
  }
  return `<h2>Agent vs agent</h2>
<table class="two-labels">
<thead><tr><th>comparison</th><th>task</th><th>mean score</th><th>success</th><th>mean steps</th></tr></thead>
<tbody>
${rows.join("\n")}
</tbody>
</table>
<div class="chart"><canvas id="paired"></canvas></div>
<p class="note">Each point is one episode (same task and seed) played by both: ${escapeHtml(labels[0] ?? "")} on the x axis, ${escapeHtml(labels[1] ?? "")} on the y axis. Points above the diagonal favour ${escapeHtml(labels[1] ?? "")}.</p>`;
}

/** A Markdown table of the results (agents x tasks), for docs and pull requests. */
export function markdownTable(all: readonly NamedResults[]): string {
  const rows = [
    "| agent | task | episodes | mean score | 95% CI | success | mean steps |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const r of all) {
    const name = label(r, all);
    const line = (task: string, s: Summary): string =>
      `| ${name} | ${task} | ${s.episodes} | ${s.mean_score.toFixed(3)} | [${s.ci95[0].toFixed(3)}, ${s.ci95[1].toFixed(3)}] | ${(100 * s.success_rate).toFixed(1)}% | ${s.mean_steps.toFixed(1)} |`;
    for (const t of r.results.tasks) {
      const s = r.results.per_task[t];
      if (s) rows.push(line(t, s));
    }
    rows.push(line("**all**", r.results));
  }
  return rows.join("\n");
}
