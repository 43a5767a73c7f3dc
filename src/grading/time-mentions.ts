/**
 * The times a free text states: clock times in any common form, and times relative to a named
 * event, in text order. Parsing is chrono-node's (natural-language date parsing); this file only
 * decides which of its readings are times an incident timeline means.
 *
 * Clock times: "09:05", "9:05:30", "1:05 PM", "1:05pm", "1 PM", "9.05am", "13:05 UTC", "noon",
 * ISO timestamps ("2024-05-14T13:05:00Z"), ranges ("09:05–09:20" gives both ends), and military
 * times with a zone or "hrs" ("1305Z", "0905 UTC"). A bare number is never a time: "at 2" in "p99
 * at 2 s", versions ("v1.4.2"), percentages ("0.25%"), addresses ("10.96.0.10:53"), measures
 * ("1.25 s") and durations ("for 12 minutes") are not read. Times without a zone are UTC, the
 * episode's clock; a stated zone ("1:05 PM PST") is converted.
 *
 * Relative times: "12 minutes after the page", "five minutes after the deploy", "3 minutes before
 * the alert", "at page+12m" are anchored to the named event; "about 20 minutes later", "two
 * minutes after that" to the previous time in the text. Vague ones ("a few minutes later"),
 * durations ("within 3 minutes", "in 5 minutes", "for 12 minutes") and "ago" are not read.
 */
import * as chrono from "chrono-node";

/** Events a relative time may be anchored to. */
export type TimeAnchor = "page" | "onset" | "fix" | "recovery" | "previous";

/** Where a mention is in the text: its first character and the character after it. */
interface Span {
  index: number;
  end: number;
}

export type TimeMention =
  /** A time of day, minutes since midnight UTC. */
  | ({ kind: "clock"; minutesOfDay: number } & Span)
  /** An exact instant (an ISO timestamp with its date), epoch ms. */
  | ({ kind: "instant"; epochMs: number } & Span)
  /** Minutes after (negative: before) an anchor event. */
  | ({ kind: "relative"; offsetMinutes: number; anchor: TimeAnchor } & Span);

/** "1305Z", "0905 UTC", "2210 hrs": four digits only count with a zone or "hrs" after them. */
const MILITARY: chrono.Parser = {
  pattern: () => /(?<![\d.:])([01]\d|2[0-3])([0-5]\d)\s*(z|utc|gmt|hrs)(?![\p{L}\d])/iu,
  extract: (_context, match) => ({ hour: Number(match[1]), minute: Number(match[2]), timezoneOffset: 0 }),
};

/** "09:10Z", "09:10:30Z": chrono reads only "09" of them. */
const ZULU: chrono.Parser = {
  pattern: () => /(?<![\d.:])([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?z(?![\p{L}\d])/iu,
  extract: (_context, match) => ({ hour: Number(match[1]), minute: Number(match[2]), second: Number(match[3] ?? "0"), timezoneOffset: 0 }),
};

const parser = (() => {
  const custom = chrono.casual.clone();
  custom.parsers.push(MILITARY, ZULU);
  return custom;
})();

/** Any reference instant works: only times of day and offsets are read. Midnight UTC. */
const REFERENCE = new Date(Date.UTC(2000, 0, 3, 0, 0, 0));

/** A reading is a clock time only with minutes, a meridiem, a zone, or noon / midnight. */
const CLOCK_TEXT = /\d[:.h]\d\d|\d\s*(?:am|pm|a\.m\.|p\.m\.)|\d{4}\s*(?:z|utc|gmt|hrs)|\bnoon\b|\bmidnight\b|\d\s*(?:utc|gmt|z)\b/i;
/**
 * A clock reading that is part of something else: an address ("10.96.0.10:53"), a percentage
 * ("from 0.25% to 38%"), a ratio or a measure ("1.25x", "12.30 GB").
 */
const INSIDE_BEFORE = /[\d.:]$/;
const INSIDE_AFTER = /^(?:\s*(?:%|percent\b|x\b|[kmg]i?b\b|ms\b|s\b)|[.:]\d|\d)/i;
/** Relative readings that are durations, vague, or relative to the moment of writing. */
const NOT_A_TIME = /^(?:within|in|for|over|during)\b|\bago\b|\b(?:few|several|some|many)\b/i;

/** Words after "N minutes after/before ..." that name the anchor, nearest first. */
const ANCHOR_WORDS: ReadonlyArray<[RegExp, TimeAnchor]> = [
  [/^(?:page|paged|pager|paging|alert|alerts|alerted|alarm|alarms)$/, "page"],
  [/^(?:recovery|recovered|mitigated|healthy|resolved|cleared)$/, "recovery"],
  [
    /^(?:fix|fixed|rollback|rolled|revert|reverted|restart|restarted|remediation|mitigation|renewal|renewed|failover|flush|flushed|raised|drained|disabled|applied|reload|reloaded)$/,
    "fix",
  ],
  [
    /^(?:onset|deploy|deployed|deployment|release|released|rollout|change|push|pushed|migration|rotation|rotated|began|begin|started|start|trigger|triggered|incident|outage|scale|scaled|autoscaler|expiry|expired)$/,
    "onset",
  ],
  [/^(?:that|this|then|it)$/, "previous"],
];
/** "page+12m", "onset + 5 min", "alert+3". */
const EVENT_PLUS = /\b(page|alert|onset|deploy|fix|recovery)\s*([+-])\s*(\d{1,3})\s*(?:m|min|mins|minutes?)?(?![\p{L}\d])/giu;
const EVENT_OF: Readonly<Record<string, TimeAnchor>> = {
  page: "page",
  alert: "page",
  onset: "onset",
  deploy: "onset",
  fix: "fix",
  recovery: "recovery",
};

function anchorAfter(text: string, from: number): TimeAnchor {
  const words = text
    .slice(from, from + 60)
    .toLowerCase()
    .split(/[^\p{L}]+/u)
    .filter((w) => w !== "");
  for (const word of words.slice(0, 5)) {
    for (const [pattern, anchor] of ANCHOR_WORDS) if (pattern.test(word)) return anchor;
  }
  return "previous";
}

function clockOf(date: Date): number {
  return date.getUTCHours() * 60 + date.getUTCMinutes() + date.getUTCSeconds() / 60;
}

/** Every time the text states, in text order. */
export function timeMentions(text: string): TimeMention[] {
  const out: TimeMention[] = [];
  const taken: Array<[number, number]> = [];
  for (const m of text.matchAll(EVENT_PLUS)) {
    const index = m.index ?? 0;
    const sign = m[2] === "-" ? -1 : 1;
    out.push({
      kind: "relative",
      index,
      end: index + m[0].length,
      offsetMinutes: sign * Number(m[3]),
      anchor: EVENT_OF[(m[1] ?? "").toLowerCase()] ?? "previous",
    });
    taken.push([index, index + m[0].length]);
  }
  for (const r of parser.parse(text, { instant: REFERENCE, timezone: 0 })) {
    if (taken.some(([a, b]) => r.index < b && r.index + r.text.length > a)) continue;
    const said = r.text.trim();
    const end = r.index + r.text.length;
    if (r.tags().has("result/relativeDate")) {
      if (NOT_A_TIME.test(said)) continue;
      const offsetMinutes = (r.start.date().getTime() - REFERENCE.getTime()) / 60_000;
      const lower = said.toLowerCase();
      if (/\b(?:after|before)$/.test(lower))
        out.push({ kind: "relative", index: r.index, end, offsetMinutes, anchor: anchorAfter(text, end) });
      else if (/\b(?:later|earlier|after|afterwards)\b/.test(lower))
        out.push({ kind: "relative", index: r.index, end, offsetMinutes, anchor: "previous" });
      continue;
    }
    if (r.tags().has("parser/ISOFormatParser") && r.start.isCertain("day") && r.start.isCertain("hour")) {
      out.push({ kind: "instant", index: r.index, end, epochMs: r.start.date().getTime() });
      continue;
    }
    if (!CLOCK_TEXT.test(said)) continue;
    if (INSIDE_BEFORE.test(text.slice(0, r.index)) || INSIDE_AFTER.test(text.slice(end))) continue;
    out.push({ kind: "clock", index: r.index, end, minutesOfDay: clockOf(r.start.date()) });
    if (r.end) out.push({ kind: "clock", index: r.index + 0.5, end, minutesOfDay: clockOf(r.end.date()) });
  }
  return out.sort((a, b) => a.index - b.index);
}
