/**
 * The postmortem's timeline against what happened: recall of the key events and precision of
 * every time stated.
 *
 * Times: every time the section states (../time-mentions.ts), in text order, placed on the
 * episode's clock (minute m is startedAtMs + m minutes, UTC): clock times of day (24-hour,
 * 12-hour, with a zone, military, ISO), and relative times anchored to the page (or "the alert"),
 * the onset (or "the deploy", "the change"), the first fix, the recovery, or the previous time in
 * the text ("5 minutes later").
 *
 * Key events: the fault's onset (its trigger), the page, the first remediation that fixed or
 * relieved it (if any), and the moment health came back (the "mitigated" event, if any). Each key
 * event is matched by at most one time within MATCH_MINUTES, and each time matches at most one
 * key event. A relative time never matches the event it is anchored to ("0 minutes after onset"
 * states nothing about when the onset was), nor does a time counted from it ("... 1 minute later").
 *
 * Restatements: a time equal to one already stated (a later entry that mentions an earlier
 * change, two entries in the same minute) may match a key event but costs nothing and is left
 * out of the order check; a relative time that glosses the clock time just before it ("11:38
 * UTC (6 minutes after the scale-out)") is not read.
 *
 * Other true events: everything else the record holds (alerts firing, changes, remediations, the
 * responder's own steps). A time that matches no key event may match one of them (one time each,
 * within EXTRA_MINUTES); at most EXTRA_CAP such extra times are supported: a timeline marks the key
 * moments and a few steps between them, not every minute of the incident.
 *
 * Score = key events matched / key events - 1 / key events per time that is neither a matched
 * key event nor a supported extra (a false time costs what a key event earns), floored at 0; x0.8
 * when the times are not in order; 0 without times. A carpet of times (one every 2-3 minutes)
 * covers every key event but pays for every time past the key events and the few extras, and
 * guessing a hidden time with a spread of guesses costs more than the guess earns.
 */
import type { EpisodeFacts } from "./facts.js";
import { clockOf, minuteOfClock } from "./facts.js";
import { timeMentions, type TimeAnchor, type TimeMention } from "../time-mentions.js";
import type { PartScore } from "./types.js";

const MATCH_MINUTES = 3;
const EXTRA_MINUTES = 2;
const EXTRA_CAP = 4;
/** What an unsupported time costs, as a share of what one key event earns. */
const UNSUPPORTED_COST = 1;
const OUT_OF_ORDER = 0.8;

type KeyName = "onset" | "page" | "fix" | "recovery";

interface KeyEvent {
  name: KeyName;
  minute: number;
}

function keyEvents(facts: EpisodeFacts): KeyEvent[] {
  const { spec, world } = facts.record;
  const keys: KeyEvent[] = [
    { name: "onset", minute: spec.onsetMinute },
    { name: "page", minute: world.pageMinute },
  ];
  const fix = firstFix(facts);
  if (fix !== undefined) keys.push({ name: "fix", minute: fix });
  const mitigated = world.timeline.find((e) => e.kind === "mitigated");
  if (mitigated) keys.push({ name: "recovery", minute: mitigated.minute });
  return keys;
}

function firstFix(facts: EpisodeFacts): number | undefined {
  return facts.record.steps.find((s) => s.remediation?.kind === "fixed" || s.remediation?.kind === "relieved")?.minute;
}

/** A stated time on the episode's clock, and the key event it is anchored to, if relative. */
interface StatedTime {
  minute: number;
  anchor?: KeyName;
}

/**
 * What may sit between a clock time and a relative time that glosses it: "11:38 UTC (6 minutes
 * after the scale-out)", "11:53, 3 minutes after the change".
 */
const GLOSS_GAP = /^[\s,;:([\-\u2013\u2014]*(?:utc|gmt|z)?[\s,;:([\-\u2013\u2014]*$/i;

/**
 * The times the text states, on the episode's clock, in text order. A relative time that
 * glosses the clock time just before it ("11:38 UTC (6 minutes after the scale-out)") restates
 * it and is not read: the clock time is the claim.
 */
export function statedTimes(facts: EpisodeFacts, text: string): StatedTime[] {
  const { record } = facts;
  const anchors: Record<Exclude<TimeAnchor, "previous">, number | undefined> = {
    page: record.world.pageMinute,
    onset: record.spec.onsetMinute,
    fix: firstFix(facts) ?? record.steps.find((s) => s.remediation !== undefined)?.minute,
    recovery: record.world.timeline.find((e) => e.kind === "mitigated")?.minute,
  };
  const out: StatedTime[] = [];
  let previousMention: TimeMention | undefined;
  for (const m of timeMentions(text)) {
    const glossed = previousMention;
    previousMention = m;
    if (m.kind === "relative" && glossed !== undefined && glossed.kind !== "relative" && GLOSS_GAP.test(text.slice(glossed.end, m.index)))
      continue;
    if (m.kind === "clock") out.push({ minute: minuteOfClock(facts, m.minutesOfDay) });
    else if (m.kind === "instant") out.push({ minute: (m.epochMs - record.world.startedAtMs) / 60_000 });
    else if (m.anchor === "previous") {
      // A time counted from a relative time inherits its anchor: "0 minutes after onset ... 1
      // minute later" still says nothing about when the onset was.
      const previous = out[out.length - 1];
      if (previous)
        out.push({ minute: previous.minute + m.offsetMinutes, ...(previous.anchor !== undefined ? { anchor: previous.anchor } : {}) });
    } else {
      const base = anchors[m.anchor];
      if (base !== undefined) out.push({ minute: base + m.offsetMinutes, anchor: m.anchor });
    }
  }
  return out;
}

/** Pairs (time index, target index) within `within` minutes, nearest first, each side used once. */
function matchOneToOne(
  times: readonly number[],
  targets: readonly number[],
  within: number,
  allowed: (t: number, k: number) => boolean,
): Map<number, number> {
  const pairs: Array<[number, number, number]> = [];
  times.forEach((t, i) =>
    targets.forEach((k, j) => {
      const d = Math.abs(t - k);
      if (d <= within && allowed(i, j)) pairs.push([d, i, j]);
    }),
  );
  pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
  const byTime = new Map<number, number>();
  const usedTargets = new Set<number>();
  for (const [, i, j] of pairs) {
    if (byTime.has(i) || usedTargets.has(j)) continue;
    byTime.set(i, j);
    usedTargets.add(j);
  }
  return byTime;
}

/** Two stated times this close (minutes) are the same time. */
const SAME_TIME = 0.5;

export function timelineScore(facts: EpisodeFacts, text: string): PartScore {
  const stated = statedTimes(facts, text);
  if (stated.length === 0) return { score: 0, detail: "no clock times", notes: [] };
  const times = stated.map((s) => s.minute);
  // A time already stated is a restatement ("the change list shows the rotation at 02:31" in a
  // later entry; two entries in the same minute): it may still mark a key event (the onset and
  // the page can fall in the same minute), but it costs nothing and does not break the order.
  const restates = times.map((t, i) => times.slice(0, i).some((e) => Math.abs(e - t) < SAME_TIME));
  const keys = keyEvents(facts);
  // A restatement marks only a key event in its own minute: copies of one time cannot fish for
  // the events around it.
  const keyMatch = matchOneToOne(
    times,
    keys.map((k) => k.minute),
    MATCH_MINUTES,
    (i, j) => stated[i]?.anchor !== keys[j]?.name && (!restates[i] || Math.abs((times[i] ?? 0) - (keys[j]?.minute ?? 0)) < 1),
  );

  // Every other true event, each usable once; a matched key uses up one event at its minute.
  const { record } = facts;
  const events = [
    ...record.world.timeline.map((e) => e.minute),
    ...record.steps.map((s) => s.minute),
    ...record.spec.distractors.flatMap((d) => (d.kind === "harmless_deploy" ? [d.minute] : [])),
  ];
  for (const j of keyMatch.values()) {
    const at = events.findIndex((e) => e === keys[j]?.minute);
    if (at >= 0) events.splice(at, 1);
  }
  const rest = times.map((t, i) => (keyMatch.has(i) || restates[i] ? Number.NaN : t));
  const extraMatch = matchOneToOne(rest, events, EXTRA_MINUTES, () => true);
  const supportedExtras = Math.min(extraMatch.size, EXTRA_CAP);
  const restated = restates.filter((r, i) => r && !keyMatch.has(i)).length;
  const unsupported = times.length - keyMatch.size - supportedExtras - restated;

  const cost = UNSUPPORTED_COST / keys.length;
  let score = Math.max(0, keyMatch.size / keys.length - cost * unsupported);
  // The order that matters is the incident's own sequence: the times that mark key events. An
  // entry that refers back to an earlier true event ("reviews-service slow since 21:51") does not
  // break it.
  const inOrder = times.filter((_, i) => keyMatch.has(i) && !restates[i]);
  const ordered = inOrder.every((t, i) => i === 0 || t >= (inOrder[i - 1] ?? t));
  if (!ordered) score *= OUT_OF_ORDER;

  const covered = new Set(keyMatch.values());
  const parts = [
    `${covered.size}/${keys.length} key events (${keys.map((k, j) => `${k.name} ${clockOf(facts, k.minute)}${covered.has(j) ? "" : " missed"}`).join(", ")})`,
  ];
  parts.push(
    `${times.length} time(s)${restated > 0 ? ` (${restated} restated)` : ""}: ${supportedExtras} other true event(s)${extraMatch.size > EXTRA_CAP ? ` (${extraMatch.size} matched, at most ${EXTRA_CAP} count)` : ""}`,
  );
  if (unsupported > 0) {
    const lone = times.filter((_, i) => !keyMatch.has(i) && !extraMatch.has(i) && !restates[i]).map((m) => clockOf(facts, Math.round(m)));
    parts.push(
      `-${(cost * unsupported).toFixed(2)} for ${unsupported} time(s) matching no event or past the extras${lone.length > 0 ? ` (near no event: ${lone.join(", ")})` : ""}`,
    );
  }
  if (!ordered) parts.push(`x${OUT_OF_ORDER} times out of order`);
  return { score, detail: parts.join("; "), notes: [] };
}
