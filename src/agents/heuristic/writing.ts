/**
 * The heuristic agent's written answers: the runbook from its playbook, and the postmortem from
 * what it saw in this episode (clock times from observed timestamps, impact from observed error
 * rates, the trigger from the change log, severity from the impact at the entry points).
 */
import { RemediationKind, ServiceKind, Severity } from "../../../gen/incident/v1/enums_pb.js";
import type { PostmortemSections } from "../../../gen/incident/v1/action_pb.js";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { PostmortemSectionsSchema } from "../../../gen/incident/v1/action_pb.js";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { ms, pastThreshold, type Evidence } from "./evidence.js";
import { FIX_WORDS, GENERIC_PLAY, PLAYBOOK } from "./playbook.js";
import type { FaultWord } from "./signals.js";

const MINUTE_MS = 60_000;

/** A fix the agent applied, with the simulated minute it was applied at. */
export interface AppliedFix {
  kind: RemediationKind;
  target: string;
  minute: number;
}

export function fill(text: string, root: string): string {
  return text.replace(/\{root\}/g, root);
}

export function runbookSteps(fault: FaultWord | undefined, root: string): string[] {
  return (fault ? PLAYBOOK[fault] : GENERIC_PLAY).runbook.map((s) => fill(s, root));
}

/** "HH:MM UTC" of an epoch time. */
export function clock(epochMs: number): string {
  const d = new Date(epochMs);
  return `${String(d.getUTCHours()).padStart(2, "0")}:${String(d.getUTCMinutes()).padStart(2, "0")} UTC`;
}

/**
 * Wall-clock time of simulated minute 0. The change log stamps our own fix with the minute it was
 * applied, which gives it exactly; without one, the latest minute-0 log line of the first
 * observation gives it to the minute.
 */
export function minuteZeroMs(evidence: Evidence, fix: AppliedFix | undefined, openingLatestMs: number | undefined): number | undefined {
  if (fix) {
    for (const change of evidence.changes.values()) {
      if (change.service === fix.target && /by the responder/.test(change.description)) return ms(change) - fix.minute * MINUTE_MS;
    }
  }
  if (openingLatestMs !== undefined) return Math.floor(openingLatestMs / MINUTE_MS) * MINUTE_MS;
  return undefined;
}

/** The change that set the incident off: the latest change to the root before the page, not ours. */
function triggerChange(evidence: Evidence, root: string): { description: string; atMs: number } | undefined {
  const pageMs = evidence.page?.triggeredAt ? timestampMs(evidence.page.triggeredAt) : Infinity;
  let best: { description: string; atMs: number } | undefined;
  for (const change of evidence.changes.values()) {
    if (change.service !== root || /by the responder/.test(change.description)) continue;
    const at = ms(change);
    if (at > pageMs) continue;
    if (!best || at > best.atMs) best = { description: change.description, atMs: at };
  }
  return best;
}

/**
 * When the fault began: the trigger change if there is one, else the first sign of it (the first
 * log line of the failure, or the first minute a metric of the root went past its threshold).
 */
export function onsetMs(evidence: Evidence, root: string, zeroMs: number | undefined, signalLines: readonly number[]): number | undefined {
  const trigger = triggerChange(evidence, root);
  if (trigger) return trigger.atMs;
  const candidates = [...signalLines];
  const inspection = evidence.inspections.get(root);
  if (inspection && zeroMs !== undefined) {
    for (const series of inspection.series) {
      const first = series.points.find((p) => series.threshold > 0 && pastThreshold(series.metricName, p.value, series.threshold));
      if (first) candidates.push(zeroMs + first.minute * MINUTE_MS);
    }
  }
  return candidates.length > 0 ? Math.min(...candidates) : undefined;
}

/** The first minute after the fix from which the root's metrics stayed within their thresholds. */
function recoveryMinute(evidence: Evidence, root: string, fixMinute: number): number | undefined {
  const inspection = evidence.inspections.get(root);
  if (!inspection) return undefined;
  let lastBad = fixMinute;
  let sawAfter = false;
  for (const series of inspection.series) {
    if (series.threshold <= 0) continue;
    for (const p of series.points) {
      if (p.minute < fixMinute) continue;
      sawAfter = true;
      if (pastThreshold(series.metricName, p.value, series.threshold)) lastBad = Math.max(lastBad, p.minute);
    }
  }
  if (!sawAfter || lastBad >= inspection.takenAtMinute) return undefined;
  return lastBad + 1;
}

/** Services whose errors or tail latency went past their thresholds, worst first. */
function degradedServices(evidence: Evidence, root: string): string[] {
  const out = new Set<string>([root]);
  for (const [service, metrics] of evidence.anomalous) {
    if (metrics.has("error_rate") || metrics.has("latency_p99")) out.add(service);
  }
  return [...out].sort((a, b) => (evidence.peakError.get(b) ?? 0) - (evidence.peakError.get(a) ?? 0) || a.localeCompare(b));
}

/** Severity from the impact seen: errors users saw at the entry points, and how much degraded. */
function assessSeverity(evidence: Evidence, degraded: readonly string[]): Severity {
  const gateways = evidence.ofKind(ServiceKind.GATEWAY);
  const entryErrors = Math.max(0, ...gateways.map((g) => evidence.peakError.get(g) ?? 0));
  const inHouse = [...evidence.services.values()].filter((s) => s.kind !== ServiceKind.VENDOR).length;
  if (entryErrors >= 20 || degraded.length >= inHouse / 2) return Severity.P1;
  if (entryErrors >= 5 || degraded.some((d) => gateways.includes(d))) return Severity.P2;
  if (degraded.length > 0) return Severity.P3;
  return Severity.P4;
}

interface PostmortemInput {
  evidence: Evidence;
  /** Undefined when no failure mode could be named. */
  fault: FaultWord | undefined;
  root: string;
  fix: AppliedFix | undefined;
  /** Wall-clock time of minute 0, if known. */
  zeroMs: number | undefined;
  /** Timestamps of the log lines that showed the failure. */
  signalLines: readonly number[];
}

export function postmortem(input: PostmortemInput): { sections: MessageInitShape<typeof PostmortemSectionsSchema>; severity: Severity } {
  const { evidence, fault, root, fix, zeroMs } = input;
  const play = fault ? PLAYBOOK[fault] : GENERIC_PLAY;
  const degraded = degradedServices(evidence, root);
  const severity = assessSeverity(evidence, degraded);
  const trigger = triggerChange(evidence, root);
  const fixWords = fix ? FIX_WORDS[fix.kind] : undefined;
  const fixTarget = fix && fixWords ? `${fixWords} ${fix.target}` : undefined;

  const events: Array<{ atMs: number; text: string }> = [];
  const onset = onsetMs(evidence, root, zeroMs, input.signalLines);
  if (onset !== undefined)
    events.push({ atMs: onset, text: trigger ? `a change to ${root}, then first errors on it` : `first errors on ${root}` });
  if (evidence.page?.triggeredAt)
    events.push({ atMs: timestampMs(evidence.page.triggeredAt), text: `alert "${evidence.page.title}" fired and on-call was paged` });
  if (fix && zeroMs !== undefined && fixTarget) events.push({ atMs: zeroMs + fix.minute * MINUTE_MS, text: `${fixTarget}` });
  const recovered = fix ? recoveryMinute(evidence, root, fix.minute) : undefined;
  if (recovered !== undefined && zeroMs !== undefined)
    events.push({ atMs: zeroMs + recovered * MINUTE_MS, text: `error rates back to normal` });
  events.sort((a, b) => a.atMs - b.atMs);

  const measured = degraded.filter((s) => evidence.inspections.has(s) && (evidence.peakError.get(s) ?? 0) >= 5);
  const impact = degraded
    .slice(0, 8)
    .map((s) => (measured.includes(s) ? `${s} error rate peaked at ${(evidence.peakError.get(s) ?? 0).toFixed(1)}%` : `${s} was degraded`));
  const duration =
    onset !== undefined && recovered !== undefined && zeroMs !== undefined
      ? Math.round((zeroMs + recovered * MINUTE_MS - onset) / MINUTE_MS)
      : undefined;

  const mechanism = fill(play.mechanism, root);
  const sections: Partial<PostmortemSections> = {
    summary: `${root} failed because of ${play.headline}${duration !== undefined ? `; the incident lasted about ${duration} minutes` : ""}.${fixTarget ? ` We ${fixTarget}.` : ""}`,
    rootCause: `${capitalize(mechanism)}.${trigger ? ` Trigger: ${trigger.description}.` : ""}`,
    timeline: events.map((e) => `${clock(e.atMs)} ${e.text}.`).join(" "),
    impact: `${impact.join("; ")}.`,
    actionItems: fill(play.actionItems, root),
  };
  return { sections: sections as MessageInitShape<typeof PostmortemSectionsSchema>, severity };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
