/**
 * An observation as compact markdown, for language-model policies: what an episode reset with
 * `text` puts in Observation.text, and what the llm agent (src/agents/llm.ts) shows its model.
 *
 * Sections, in order: the header (step and budget, clock, task, incident status, objective, the
 * feedback on the last action); the page; the golden signals as one table (a row per service, a
 * column per metric, services with an anomalous signal first, anomalous values in bold with their
 * threshold); the active alerts; the recent logs; the last inspection (series as a few sampled
 * values, dependencies, dependents, changes, logs, the trace); the topology and the KB articles,
 * only when the observation carries them (lean observations carry them on reset and
 * GetObservation only); the previous actions.
 *
 * Pure and deterministic: it reads nothing but the observation (the same observation gives the
 * same bytes), so it can tell nothing that the observation does not already hold. Times are UTC:
 * the first one shown on the page's day carries the date, later ones on that day only the clock
 * time, any on another day the date too. Bounded: at most TEXT_LOG_LINES log lines per list, each message cut to
 * TEXT_LOG_MESSAGE_CHARS characters.
 */
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { ChangeKind, IncidentStatus, LogLevel, RetryBackoff, ServiceKind, Severity, TaskLevel } from "../../gen/incident/v1/enums_pb.js";
import type { Inspection } from "../../gen/incident/v1/inspection_pb.js";
import type { Observation } from "../../gen/incident/v1/observation_pb.js";
import type { Alert, LogEntry, ServiceMetric } from "../../gen/incident/v1/telemetry_pb.js";
import type { Topology } from "../../gen/incident/v1/topology_pb.js";
import { wordFromEnum } from "../sim/enum-words.js";

/** Most log lines shown per list (recent logs, an inspection's logs); the newest are kept. */
export const TEXT_LOG_LINES = 20;
/** Longest log message shown, in characters; longer ones are cut and end with "…". */
export const TEXT_LOG_MESSAGE_CHARS = 300;
/** An inspection's series are shown as one value every this many minutes, ending with the newest. */
const TEXT_SERIES_STEP_MINUTES = 5;

/** The observation as compact markdown (ignores its own `text`). */
export function renderObservationText(o: Observation): string {
  const time = clockFormatter(o);
  const out: string[] = [];
  header(out, o);
  if (o.alert) page(out, o.alert, time);
  signals(out, o.metrics);
  alerts(out, o.activeAlerts, time);
  logs(out, `Recent logs (${Math.min(TEXT_LOG_LINES, o.recentLogs.length)} newest, oldest first)`, o.recentLogs, time);
  if (o.inspection) inspection(out, o.inspection, time);
  if (o.topology) topology(out, o.topology);
  if (o.kbArticles.length > 0) {
    section(out, "Knowledge base (not every article applies)");
    for (const k of o.kbArticles)
      out.push(`- **${k.articleId}** ${inline(k.title)}${k.tags.length > 0 ? ` (${k.tags.join(", ")})` : ""}: ${inline(k.content)}`);
  }
  section(out, "Previous actions");
  if (o.previousActions.length === 0) out.push("(none)");
  for (const a of o.previousActions) out.push(`- ${inline(a)}`);
  return out.join("\n") + "\n";
}

function header(out: string[], o: Observation): void {
  const level = wordFromEnum(TaskLevel, o.taskLevel) ?? "?";
  const status = wordFromEnum(IncidentStatus, o.currentIncidentStatus) ?? "?";
  out.push(`# Incident: step ${o.step} of ${o.maxSteps}, ${o.timeElapsedMinutes} min since the page, task ${level}, status ${status}`);
  out.push(`**Objective:** ${inline(o.objective)}`);
  out.push(`**Last action:** ${inline(o.feedback)}`);
}

function section(out: string[], title: string): void {
  out.push("", `## ${title}`);
}

function page(out: string[], a: Alert, time: (ts: Timestamp | undefined) => string): void {
  section(out, "Page");
  out.push(`${alertLine(a, time)}`);
  if (a.description) out.push(inline(a.description));
}

function alertLine(a: Alert, time: (ts: Timestamp | undefined) => string): string {
  return `**${a.alertId}** ${Severity[a.severity] ?? "?"} at ${time(a.triggeredAt)}: ${inline(a.title)} (affected: ${a.affectedServices.join(", ")})`;
}

function alerts(out: string[], active: readonly Alert[], time: (ts: Timestamp | undefined) => string): void {
  section(out, `Active alerts (${active.length})`);
  if (active.length === 0) out.push("(none)");
  for (const a of active) out.push(`- ${alertLine(a, time)}`);
}

/**
 * The golden signals as one table: a row per service (those with an anomalous signal first, each
 * group in the observation's order), a column per metric (in order of first appearance, with the
 * unit of its first reading). An anomalous value is bold with its threshold beside it.
 */
function signals(out: string[], metrics: readonly ServiceMetric[]): void {
  section(out, "Golden signals (anomalous in bold, with the threshold)");
  if (metrics.length === 0) {
    out.push("(none)");
    return;
  }
  const columns: { name: string; unit: string }[] = [];
  const rows = new Map<string, Map<string, ServiceMetric>>();
  for (const m of metrics) {
    if (!columns.some((c) => c.name === m.metricName)) columns.push({ name: m.metricName, unit: m.unit });
    let row = rows.get(m.serviceName);
    if (!row) rows.set(m.serviceName, (row = new Map()));
    row.set(m.metricName, m);
  }
  const services = [...rows.keys()];
  const anomalous = (service: string): boolean => [...(rows.get(service)?.values() ?? [])].some((m) => m.isAnomalous);
  const ordered = [...services.filter(anomalous), ...services.filter((s) => !anomalous(s))];
  out.push(`| service | ${columns.map((c) => cell(c.unit ? `${c.name} (${c.unit})` : c.name)).join(" | ")} |`);
  out.push(`|---|${columns.map(() => "---").join("|")}|`);
  for (const service of ordered) {
    const row = rows.get(service);
    const values = columns.map((c) => {
      const m = row?.get(c.name);
      if (!m) return "-";
      const unit = m.unit !== c.unit ? ` ${m.unit}` : "";
      return m.isAnomalous ? `**${m.value}${unit}** (${m.threshold})` : `${m.value}${unit}`;
    });
    out.push(`| ${cell(service)} | ${values.map(cell).join(" | ")} |`);
  }
}

function logs(out: string[], title: string, entries: readonly LogEntry[], time: (ts: Timestamp | undefined) => string): void {
  section(out, title);
  if (entries.length === 0) out.push("(none)");
  for (const l of entries.slice(-TEXT_LOG_LINES)) out.push(`- ${logLine(l, time)}`);
}

function logLine(l: LogEntry, time: (ts: Timestamp | undefined) => string): string {
  const message = inline(l.message);
  const cut = message.length > TEXT_LOG_MESSAGE_CHARS ? `${message.slice(0, TEXT_LOG_MESSAGE_CHARS - 1)}…` : message;
  return `${time(l.timestamp)} ${LogLevel[l.level] ?? "?"} ${l.service}: ${cut}`;
}

function inspection(out: string[], i: Inspection, time: (ts: Timestamp | undefined) => string): void {
  const kind = wordFromEnum(ServiceKind, i.kind) ?? "?";
  section(
    out,
    `Inspection of ${i.service} (${kind}, ${i.version}, ${count(i.replicas, "replica")}${i.zone ? `, ${i.zone}` : ""}) at minute ${i.takenAtMinute}`,
  );
  if (i.role) out.push(`Role: ${inline(i.role)}`);
  if (i.series.length > 0) {
    out.push(`Metrics, one value every ${TEXT_SERIES_STEP_MINUTES} min up to now (minute: value); min and max over the window:`);
    for (const s of i.series) {
      const points = s.points;
      const last = points[points.length - 1];
      if (!last) {
        out.push(`- ${s.metricName} (${s.unit}, threshold ${s.threshold}): no readings`);
        continue;
      }
      const sampled = points.filter((p) => (last.minute - p.minute) % TEXT_SERIES_STEP_MINUTES === 0);
      const values = points.map((p) => p.value);
      out.push(
        `- ${s.metricName} (${s.unit}, threshold ${s.threshold}): ${sampled.map((p) => `${p.minute}: ${p.value}`).join(", ")}; min ${Math.min(...values)}, max ${Math.max(...values)}`,
      );
    }
  }
  if (i.dependencies.length > 0) {
    out.push("", "| calls | calls/s | errors (%) | p99 (ms) | timeout (ms) | retries |", "|---|---|---|---|---|---|");
    for (const d of i.dependencies)
      out.push(`| ${cell(d.callee)} | ${d.callsPerSecond} | ${d.errorRate} | ${d.latencyMs} | ${d.timeoutMs} | ${d.retries} |`);
    out.push("");
  }
  out.push(`Called by: ${i.dependents.length > 0 ? i.dependents.join(", ") : "(nothing)"}`);
  out.push(i.recentChanges.length > 0 ? "Recent changes:" : "Recent changes: (none)");
  for (const c of i.recentChanges)
    out.push(`- ${time(c.timestamp)} ${c.service} ${wordFromEnum(ChangeKind, c.kind) ?? "?"}: ${inline(c.description)}`);
  if (i.trace)
    out.push(
      `Trace ${i.trace.traceId}: ${i.trace.spans.map((s) => `${s.service} ${s.durationMs} ms${s.error ? " ERROR" : ""}`).join(" > ")}`,
    );
  out.push(`Logs of ${i.service} (${Math.min(TEXT_LOG_LINES, i.recentLogs.length)} newest):`);
  if (i.recentLogs.length === 0) out.push("(none)");
  for (const l of i.recentLogs.slice(-TEXT_LOG_LINES)) out.push(`- ${logLine(l, time)}`);
}

function topology(out: string[], t: Topology): void {
  section(out, `Topology (${t.family})`);
  for (const s of t.services) {
    const aliases = s.aliases.length > 0 ? `; aliases: ${s.aliases.join(", ")}` : "";
    out.push(
      `- ${s.name} (${wordFromEnum(ServiceKind, s.kind) ?? "?"}, ${count(s.replicas, "replica")}, ${s.version}${s.zone ? `, ${s.zone}` : ""}): ${inline(s.role)}${aliases}`,
    );
  }
  out.push("Dependencies (caller -> callee):");
  for (const d of t.dependencies) {
    const path = d.requestPath ? "" : ", infrastructure";
    out.push(
      `- ${d.caller} -> ${d.callee} (${d.callsPerSecond} calls/s, timeout ${d.timeoutMs} ms, ${count(d.retries, "retry", "retries")}, backoff ${wordFromEnum(RetryBackoff, d.backoff) ?? "?"}${path})`,
    );
  }
}

/** Text on one line: newlines become spaces, so a line of the markdown stays one item. */
function inline(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, " ");
}

/** A table cell: one line, its pipes escaped. */
function cell(text: string): string {
  return inline(text).replace(/\|/g, "\\|");
}

const DAY_MS = 86_400_000;

/**
 * Formats timestamps as "YYYY-MM-DD HH:MM:SSZ", or "HH:MM:SSZ" on the reference day (the page's,
 * else the first alert's or log line's) once a time on that day has shown the date. A new
 * formatter per rendering: its state is that rendering's.
 */
function clockFormatter(o: Observation): (ts: Timestamp | undefined) => string {
  const reference = o.alert?.triggeredAt ?? o.activeAlerts[0]?.triggeredAt ?? o.recentLogs[0]?.timestamp;
  const day = reference ? Math.floor(timestampMs(reference) / DAY_MS) : undefined;
  let dateShown = false;
  return (ts) => {
    if (!ts) return "?";
    const ms = timestampMs(ts);
    const iso = new Date(ms).toISOString();
    const clock = `${iso.slice(11, 19)}Z`;
    // The first time printed carries the date, so the clock times after it have their day.
    if (Math.floor(ms / DAY_MS) === day && dateShown) return clock;
    if (Math.floor(ms / DAY_MS) === day) dateShown = true;
    return `${iso.slice(0, 10)} ${clock}`;
  };
}

/** "1 replica", "6 replicas": the text is read by models and people alike. */
function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
