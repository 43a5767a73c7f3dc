/**
 * Prints a generated episode the way an honest responder lives it, for people who write honest
 * runbooks and postmortems of it (test/fixtures/honest-documents.ts):
 *
 *   npx tsx tools/show-episode.ts <medium|hard> <seed> <fault_kind>
 *
 * The play is test/support/honest-play.ts: inspect the root, apply the fault's first durable
 * remedy, diagnose, then inspect a neighbour and the root in turn until health has held. Each step
 * shows what the agent observes: the feedback, the incident status, new log lines, the alerts and
 * overview metrics, and after an inspect the inspection (each series as first / peak / last
 * values with their clock times, dependencies, recent changes, the service's logs, the trace).
 *
 * The last section is the episode's facts (read from the ground truth, for checking a document's
 * numbers and for choosing placeholders): onset, page, fix and recovery times, the services that
 * degraded with their peaks, the implied severity, and what each placeholder of
 * test/support/fill-facts.ts fills in. Write documents from what the steps show, not from it.
 */
import {
  ActionType,
  ChangeKind,
  IncidentStatus,
  LogLevel,
  RemediationKind,
  RetryBackoff,
  ServiceKind,
  Severity,
} from "../gen/incident/v1/enums_pb.js";
import { wordFromEnum } from "../src/sim/enum-words.js";
import type { Action } from "../gen/incident/v1/action_pb.js";
import type { Inspection } from "../gen/incident/v1/inspection_pb.js";
import type { Observation } from "../gen/incident/v1/observation_pb.js";
import type { Alert, LogEntry, ServiceMetric } from "../gen/incident/v1/telemetry_pb.js";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { IncidentEnvironment } from "../src/env/environment.js";
import { FAULT_KINDS } from "../src/scenarios/faults/index.js";
import type { FaultKind } from "../src/sim/fault-types.js";
import { eventMinutes, fillFacts } from "../test/support/fill-facts.js";
import { playHonestFix } from "../test/support/honest-play.js";

const MINUTE_MS = 60_000;

function usage(message: string): never {
  process.stderr.write(
    `${message}\nusage: npx tsx tools/show-episode.ts <medium|hard> <seed> <fault_kind>\nfault kinds: ${FAULT_KINDS.join(", ")}\n`,
  );
  process.exit(2);
}

const [levelArg, seedArg, kindArg] = process.argv.slice(2);
if (levelArg !== "medium" && levelArg !== "hard") usage(`level must be medium or hard, not ${String(levelArg)}`);
const seed = Number(seedArg);
if (!Number.isInteger(seed) || seed < 0) usage(`seed must be a non-negative integer, not ${String(seedArg)}`);
if (!(FAULT_KINDS as readonly string[]).includes(kindArg ?? "")) usage(`unknown fault kind ${String(kindArg)}`);
const level = levelArg;
const kind = kindArg as FaultKind;

let startedAtMs = 0;
const clockOf = (minute: number): string => {
  const d = new Date(startedAtMs + minute * MINUTE_MS);
  return `${String(d.getUTCHours()).padStart(2, "0")}:${String(d.getUTCMinutes()).padStart(2, "0")}`;
};
const timeOf = (ts: Parameters<typeof timestampMs>[0] | undefined): string => {
  if (!ts) return "--:--:--";
  return new Date(timestampMs(ts)).toISOString().slice(11, 19);
};
const out = (line = ""): void => void process.stdout.write(`${line}\n`);
const indent = (text: string, by = "    "): string =>
  text
    .split("\n")
    .map((l) => by + l)
    .join("\n");

const printed = new Set<number>();
function printLogs(entries: readonly LogEntry[], label: string, onlyNew: boolean, margin = "  "): void {
  const lines = entries.filter((e) => !onlyNew || !printed.has(e.seq));
  if (lines.length === 0) return;
  out(`${margin}${label}:`);
  for (const e of lines) {
    printed.add(e.seq);
    out(
      `${margin}  ${timeOf(e.timestamp)} ${(LogLevel[e.level] ?? "?").padEnd(8)} ${e.service}: ${e.message}${e.traceId ? `  [trace ${e.traceId.slice(0, 8)}]` : ""}`,
    );
  }
}

function printAlert(a: Alert, prefix: string): void {
  out(`${prefix}${a.alertId} [${Severity[a.severity]}] ${timeOf(a.triggeredAt).slice(0, 5)} ${a.title} (${a.affectedServices.join(", ")})`);
  if (a.description) out(indent(a.description, `${prefix}    `));
}

function printMetrics(metrics: readonly ServiceMetric[]): void {
  const byService = new Map<string, ServiceMetric[]>();
  for (const m of metrics) byService.set(m.serviceName, [...(byService.get(m.serviceName) ?? []), m]);
  out("  overview metrics (* = past threshold):");
  for (const [service, list] of byService) {
    const cells = list.map(
      (m) => `${m.metricName} ${m.value}${m.unit === "%" ? "%" : ` ${m.unit}`}${m.isAnomalous ? "*" : ""} (thr ${m.threshold})`,
    );
    out(`    ${service}: ${cells.join(" | ")}`);
  }
}

function printObservation(o: Observation, first: boolean): void {
  out(
    `  status: ${wordFromEnum(IncidentStatus, o.currentIncidentStatus)}   minutes elapsed: ${o.timeElapsedMinutes}   clock now: ${clockOf(o.timeElapsedMinutes)} UTC`,
  );
  if (o.feedback) out(`  feedback: ${o.feedback}`);
  if (first && o.alert) printAlert(o.alert, "  PAGE: ");
  out(`  active alerts (${o.activeAlerts.length}):`);
  for (const a of o.activeAlerts) printAlert(a, "    ");
  printMetrics(o.metrics);
  printLogs(o.recentLogs, first ? "recent logs" : "new log lines", !first);
  if (o.inspection) printInspection(o.inspection);
}

function printInspection(i: Inspection): void {
  out(
    `  INSPECTION of ${i.service} (${wordFromEnum(ServiceKind, i.kind)}, ${i.role}; version ${i.version || "-"}; ${i.replicas} replicas; zone ${i.zone}) at ${clockOf(i.takenAtMinute)}`,
  );
  out("    series (first / peak / last, with clock times; 'over' = first and last minute past threshold):");
  for (const s of i.series) {
    const pts = s.points;
    if (pts.length === 0) continue;
    const first = pts[0];
    const last = pts[pts.length - 1];
    const peak = pts.reduce((a, b) => (b.value > a.value ? b : a));
    const low = pts.reduce((a, b) => (b.value < a.value ? b : a));
    // cache_hit_ratio is bad when low; everything else when high.
    const lowIsBad = s.metricName === "cache_hit_ratio";
    const over = pts.filter((p) => (lowIsBad ? p.value < s.threshold : p.value > s.threshold));
    const overText = over.length > 0 ? `; over ${clockOf(over[0]?.minute ?? 0)}..${clockOf(over[over.length - 1]?.minute ?? 0)}` : "";
    const extreme = lowIsBad ? `low ${low.value}@${clockOf(low.minute)}` : `peak ${peak.value}@${clockOf(peak.minute)}`;
    // Where the curve leaves its starting level, as one would read it off a graph: the first
    // minute a quarter of the way from the first value to the extreme.
    const target = lowIsBad ? low.value : peak.value;
    const knee =
      first && Math.abs(target - first.value) > 0
        ? pts.find((p) => Math.abs(p.value - first.value) >= Math.abs(target - first.value) / 4)
        : undefined;
    const kneeText = knee && knee !== first ? `; moves from ${clockOf(knee.minute)}` : "";
    out(
      `      ${s.metricName.padEnd(17)} ${s.unit.padEnd(4)} thr ${String(s.threshold).padEnd(6)} first ${first?.value}@${clockOf(first?.minute ?? 0)}  ${extreme}  last ${last?.value}@${clockOf(last?.minute ?? 0)}${overText}${kneeText}`,
    );
  }
  if (i.dependencies.length > 0) {
    out("    calls it makes:");
    for (const d of i.dependencies)
      out(
        `      -> ${d.callee}: ${d.callsPerSecond} calls/s, errors ${d.errorRate}%, latency ${d.latencyMs} ms (timeout ${d.timeoutMs} ms, ${d.retries} retries)`,
      );
  }
  if (i.dependents.length > 0) out(`    called by: ${i.dependents.join(", ")}`);
  if (i.recentChanges.length > 0) {
    out("    recent changes:");
    for (const c of i.recentChanges)
      out(`      ${timeOf(c.timestamp).slice(0, 5)} ${wordFromEnum(ChangeKind, c.kind)} ${c.service}: ${c.description}`);
  } else out("    recent changes: none");
  printLogs(i.recentLogs, `its logs (last ${i.recentLogs.length})`, false, "    ");
  if (i.trace) {
    out(`    trace ${i.trace.traceId}:`);
    for (const s of i.trace.spans) out(`      ${s.parent || "(root)"} -> ${s.service}: ${s.durationMs} ms${s.error ? " ERROR" : ""}`);
  }
}

function describe(action: Action): string {
  const type = wordFromEnum(ActionType, action.actionType) ?? "?";
  const remediation =
    action.remediation && action.remediation.kind !== RemediationKind.UNSPECIFIED
      ? ` ${wordFromEnum(RemediationKind, action.remediation.kind)}`
      : "";
  return `${type}${remediation} on ${action.targetService ?? "-"}`;
}

function printReset(observation: Observation | undefined): void {
  out(`# ${level} episode, seed ${seed}, fault ${kind}`);
  out(`# minute 0 (the responder joins) = ${new Date(startedAtMs).toISOString().replace(".000", "")}`);
  out();
  out("=== RESET (what the responder sees when paged)");
  if (!observation) return;
  const topology = observation.topology;
  if (topology) {
    out(`  topology: family ${topology.family}`);
    for (const s of topology.services) {
      out(
        `    ${s.name} (${wordFromEnum(ServiceKind, s.kind)}, ${s.role}; ${s.version || "-"}; ${s.replicas} replicas; zone ${s.zone}${s.aliases.length ? `; aka ${s.aliases.join(", ")}` : ""})`,
      );
    }
    out("  dependencies:");
    for (const d of topology.dependencies) {
      out(
        `    ${d.caller} -> ${d.callee}${d.requestPath ? "" : " (infrastructure)"}: ${d.callsPerSecond}/s, timeout ${d.timeoutMs} ms, ${d.retries} retries, backoff ${wordFromEnum(RetryBackoff, d.backoff)}`,
      );
    }
  }
  printObservation(observation, true);
  out("  KB articles:");
  for (const kb of observation.kbArticles) {
    out(`    ${kb.articleId}: ${kb.title} [${kb.tags.join(", ")}]`);
    out(indent(kb.content, "      "));
  }
}

const env = new IncidentEnvironment();
let stepNo = 0;
let minuteBefore = 0;
const session = playHonestFix(env, kind, level, seed, {
  episodeId: `show-${kind}-${level}-${seed}`,
  onReset: (response, record) => {
    startedAtMs = record.spec.startedAtMs;
    printReset(response.observation);
  },
  observe: (action, response) => {
    stepNo += 1;
    out();
    out(`=== STEP ${stepNo} at ${clockOf(minuteBefore)} UTC: ${describe(action)}`);
    if (response.observation) {
      printObservation(response.observation, false);
      minuteBefore = response.observation.timeElapsedMinutes;
    }
  },
});

// The facts, from the ground truth.
const final = session.record();
const minutes = eventMinutes(final);
out();
out("=== FACTS (ground truth; for checking numbers and choosing placeholders, not for writing)");
out(`  root ${final.spec.root}; fault ${final.spec.fault.kind}; details ${JSON.stringify(final.spec.details)}`);
out(`  fix applied: ${session.plan.remedy.kind} on ${session.plan.fixTarget}; neighbour watched: ${session.plan.caller}`);
for (const [name, minute] of Object.entries(minutes)) {
  out(`  {${name}} = ${fillFacts(`{${name}}`, final)} = {${name}:12h} ${fillFacts(`{${name}:12h}`, final)} (minute ${minute})`);
}
const pairs: Array<[string, string]> = [
  ["page", "onset"],
  ["fix", "page"],
  ["fix", "onset"],
  ["recovered", "fix"],
  ["recovered", "onset"],
  ["recovered", "page"],
];
for (const [a, b] of pairs) {
  if (minutes[a as keyof typeof minutes] !== undefined && minutes[b as keyof typeof minutes] !== undefined)
    out(`  {minutes:${a}-${b}} = ${fillFacts(`{minutes:${a}-${b}}`, final)}`);
}
out(`  date: ${fillFacts("{date} / {date:long}", final)}`);
const kindOf = new Map(final.spec.topology.nodes.map((n) => [n.name, n.kind]));
out(`  degraded services (worst first), implied severity ${final.world.severity}:`);
for (const i of final.world.impact) {
  out(
    `    ${i.service} (${kindOf.get(i.service)}): peak errors ${i.peakErrorRate}%, peak p99 ${i.peakLatencyP99} ms, ${i.minutesDegraded} minutes degraded`,
  );
}
out(
  `  gateways: ${final.spec.topology.nodes
    .filter((n) => n.kind === "gateway")
    .map((n) => n.name)
    .join(", ")}`,
);
out(`  health held: ${final.world.healthHeld} at minute ${final.world.minute}`);
