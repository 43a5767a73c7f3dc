/**
 * Fills the placeholders of an honest document with its episode's own facts, so that a document
 * written once survives small changes of the simulation (a peak that moves by a tenth of a
 * percent, a recovery that lands a minute later).
 *
 * A placeholder is `{...}` around lower-case words, digits and `: + - . _`. The language:
 *
 *   {EVENT}            clock time of an event, "14:05 UTC"
 *   {EVENT:FORMAT}     the same time as utc "14:05 UTC" (default), hhmm "14:05", 12h "2:05 PM",
 *                      ampm "2:05pm"
 *   {EVENT+N} {EVENT-N} (also with :FORMAT) N minutes after or before the event
 *   {minutes:A-B}      whole minutes from event B to event A ("{minutes:fix-page}" -> "17")
 *   {date}             the day of the page: "2026-03-02"; {date:long} "2 March 2026",
 *                      {date:us} "March 2, 2026"
 *   {peak:SERVICE}     the service's highest error rate since the onset, "38.3%";
 *                      {peak:SERVICE:int} "38%", {peak:SERVICE:num} "38.3"
 *   {p99:SERVICE}      the service's highest p99 latency since the onset, "4,200 ms";
 *                      {p99:SERVICE:s} "4.2 s"
 *
 * EVENT is one of
 *   onset      the fault began (the first minute of the root's symptoms)
 *   page       the page fired
 *   joined     the responder joined (minute 0, the first action)
 *   fix        the first remediation that fixed or relieved the fault was applied
 *   diagnosed  the first diagnosis was committed
 *   recovered  health indicators were back within thresholds after the fix
 *   held       health had held for ten minutes after the fix
 *
 * Anything else in braces that looks like a placeholder is an error (a typo must not reach a
 * grader as literal text); a fact the episode does not have (no fix yet, a service that never
 * degraded) is an error too.
 */
import { ActionType } from "../../gen/incident/v1/enums_pb.js";
import type { EpisodeRecord } from "../../src/grading/record.js";

const MINUTE_MS = 60_000;
const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
] as const;
const EVENTS = ["onset", "page", "joined", "fix", "diagnosed", "recovered", "held"] as const;
type EventName = (typeof EVENTS)[number];

const PLACEHOLDER = /\{([a-z][a-z0-9:+\-._]*)\}/g;

/** The minute of each event this episode has had so far. */
export function eventMinutes(record: EpisodeRecord): Partial<Record<EventName, number>> {
  const fix = record.steps.find((s) => s.remediation?.kind === "fixed" || s.remediation?.kind === "relieved");
  const diagnosed = record.steps.find((s) => s.action.actionType === ActionType.DIAGNOSE);
  const after = (kind: string): number | undefined =>
    fix ? record.world.timeline.find((e) => e.kind === kind && e.minute >= fix.minute)?.minute : undefined;
  const minutes: Partial<Record<EventName, number>> = {
    onset: record.spec.onsetMinute,
    page: record.world.pageMinute,
    joined: 0,
  };
  if (fix) minutes.fix = fix.minute;
  if (diagnosed) minutes.diagnosed = diagnosed.minute;
  const recovered = after("mitigated");
  if (recovered !== undefined) minutes.recovered = recovered;
  const held = after("healthy");
  if (held !== undefined) minutes.held = held;
  return minutes;
}

export function fillFacts(text: string, record: EpisodeRecord): string {
  const minutes = eventMinutes(record);
  const eventMinute = (name: string): number => {
    if (!(EVENTS as readonly string[]).includes(name)) throw new Error(`unknown event "${name}" in a placeholder`);
    const minute = minutes[name as EventName];
    if (minute === undefined) throw new Error(`episode ${record.spec.id} has no ${name} event yet`);
    return minute;
  };
  const impactOf = (service: string): EpisodeRecord["world"]["impact"][number] => {
    const impact = record.world.impact.find((i) => i.service === service);
    if (!impact)
      throw new Error(
        `${service} was not degraded in ${record.spec.id} (degraded: ${record.world.impact.map((i) => i.service).join(", ")})`,
      );
    return impact;
  };
  return text.replace(PLACEHOLDER, (whole, body: string) => {
    const parts = body.split(":");
    const head = parts[0] ?? "";
    if (head === "minutes") {
      const span = /^([a-z]+)-([a-z]+)$/.exec(parts[1] ?? "");
      if (!span || parts.length !== 2) throw new Error(`bad placeholder ${whole}: write {minutes:later-earlier}`);
      const value = eventMinute(span[1] ?? "") - eventMinute(span[2] ?? "");
      if (value < 0) throw new Error(`${whole} is negative (${value}) in ${record.spec.id}`);
      return String(value);
    }
    if (head === "date") return formatDate(record.world.startedAtMs + record.world.pageMinute * MINUTE_MS, parts[1] ?? "iso", whole);
    if (head === "peak") {
      const impact = impactOf(parts[1] ?? "");
      const format = parts[2] ?? "pct";
      if (format === "pct") return `${impact.peakErrorRate.toFixed(1)}%`;
      if (format === "int") return `${Math.round(impact.peakErrorRate)}%`;
      if (format === "num") return impact.peakErrorRate.toFixed(1);
      throw new Error(`bad format in ${whole}: pct, int or num`);
    }
    if (head === "p99") {
      const impact = impactOf(parts[1] ?? "");
      const format = parts[2] ?? "ms";
      if (format === "ms") return `${Math.round(impact.peakLatencyP99).toLocaleString("en-US")} ms`;
      if (format === "s") return `${(impact.peakLatencyP99 / 1000).toFixed(1)} s`;
      throw new Error(`bad format in ${whole}: ms or s`);
    }
    const event = /^([a-z]+)([+-]\d+)?$/.exec(head);
    if (!event || parts.length > 2) throw new Error(`unknown placeholder ${whole}`);
    const minute = eventMinute(event[1] ?? "") + Number(event[2] ?? 0);
    return formatClock(record.world.startedAtMs + minute * MINUTE_MS, parts[1] ?? "utc", whole);
  });
}

function formatClock(ms: number, format: string, whole: string): string {
  const d = new Date(ms);
  const h = d.getUTCHours();
  const mm = String(d.getUTCMinutes()).padStart(2, "0");
  const hhmm = `${String(h).padStart(2, "0")}:${mm}`;
  const h12 = h % 12 === 0 ? 12 : h % 12;
  switch (format) {
    case "utc":
      return `${hhmm} UTC`;
    case "hhmm":
      return hhmm;
    case "12h":
      return `${h12}:${mm} ${h < 12 ? "AM" : "PM"}`;
    case "ampm":
      return `${h12}:${mm}${h < 12 ? "am" : "pm"}`;
    default:
      throw new Error(`bad clock format in ${whole}: utc, hhmm, 12h or ampm`);
  }
}

function formatDate(ms: number, format: string, whole: string): string {
  const d = new Date(ms);
  const month = MONTHS[d.getUTCMonth()] ?? "";
  switch (format) {
    case "iso":
      return d.toISOString().slice(0, 10);
    case "long":
      return `${d.getUTCDate()} ${month} ${d.getUTCFullYear()}`;
    case "us":
      return `${month} ${d.getUTCDate()}, ${d.getUTCFullYear()}`;
    default:
      throw new Error(`bad date format in ${whole}: iso, long or us`);
  }
}
