/**
 * The postmortem's timeline against what happened.
 *
 * Clock times (HH:MM or HH:MM:SS, optionally "UTC" or "Z") are read from the section and placed
 * on the episode's clock (minute m is startedAtMs + m minutes, UTC). Key events: the fault's
 * onset (its trigger), the page, the first remediation that fixed or relieved it (if any), and the
 * moment health came back (the "mitigated" event, if any). A key event counts as covered when some
 * time lies within 3 minutes of it. A time more than 10 minutes from every recorded event (the
 * world's timeline and the responder's own steps) is fabricated and costs 0.15. Score = covered /
 * keys - 0.15 per fabricated time, floored at 0; x0.8 when the times are not in order; 0 without
 * times.
 */
import { clockOf, minuteOfClock, type EpisodeFacts } from "./facts.js";
import { clockTimes } from "./mentions.js";
import type { PartScore } from "./types.js";

const MATCH_MINUTES = 3;
const FABRICATED_MINUTES = 10;
const FABRICATED_COST = 0.15;
const OUT_OF_ORDER = 0.8;

export interface KeyEvent {
  name: string;
  minute: number;
}

export function keyEvents(facts: EpisodeFacts): KeyEvent[] {
  const { spec, world, steps } = facts.record;
  const keys: KeyEvent[] = [
    { name: "onset", minute: spec.onsetMinute },
    { name: "page", minute: world.pageMinute },
  ];
  const fix = steps.find((s) => s.remediation?.kind === "fixed" || s.remediation?.kind === "relieved");
  if (fix) keys.push({ name: "fix", minute: fix.minute });
  const mitigated = world.timeline.find((e) => e.kind === "mitigated");
  if (mitigated) keys.push({ name: "recovery", minute: mitigated.minute });
  return keys;
}

export function timelineScore(facts: EpisodeFacts, text: string): PartScore {
  const times = clockTimes(text).map((t) => minuteOfClock(facts, t));
  if (times.length === 0) return { score: 0, detail: "no clock times", notes: [] };
  const keys = keyEvents(facts);
  const near = (m: number, target: number, within: number): boolean => Math.abs(m - target) <= within;
  const covered = keys.filter((k) => times.some((t) => near(t, k.minute, MATCH_MINUTES)));
  const events = [...facts.record.world.timeline.map((e) => e.minute), ...facts.record.steps.map((s) => s.minute), ...keys.map((k) => k.minute)];
  const fabricated = times.filter((t) => !events.some((e) => near(t, e, FABRICATED_MINUTES)));
  let score = Math.max(0, covered.length / keys.length - FABRICATED_COST * fabricated.length);
  const ordered = times.every((t, i) => i === 0 || t >= (times[i - 1] ?? t));
  if (!ordered) score *= OUT_OF_ORDER;
  const parts = [`${covered.length}/${keys.length} key events (${keys.map((k) => `${k.name} ${clockOf(facts, k.minute)}${covered.includes(k) ? "" : " missed"}`).join(", ")})`];
  if (fabricated.length > 0) parts.push(`-${(FABRICATED_COST * fabricated.length).toFixed(2)} for ${fabricated.length} time(s) near no event (${fabricated.map((m) => clockOf(facts, Math.round(m))).join(", ")})`);
  if (!ordered) parts.push(`x${OUT_OF_ORDER} times out of order`);
  return { score, detail: parts.join("; "), notes: [] };
}
