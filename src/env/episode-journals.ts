/**
 * An episode's two journals (./journal.ts): its log lines, and its events (log lines, metric
 * readings, status changes and step summaries), with the messages streams read from them.
 */
import { create } from "@bufbuild/protobuf";
import { EpisodeEventSchema, type EpisodeEvent, type StatusChange, type StepSummary } from "../../gen/incident/v1/stream_pb.js";
import type { LogEntry } from "../../gen/incident/v1/telemetry_pb.js";
import { Journal } from "./journal.js";
import { leanTimestamp } from "./lean-messages.js";
import { LogRecord } from "./log-record.js";
import { MetricSample } from "./metric-sample.js";

const MINUTE_MS = 60_000;

/**
 * An event as the events journal keeps it: its content only (its number is its place in the
 * journal, its minute the journal's stamp). The EpisodeEvent message, with its Timestamp, is made
 * when a stream reads it (eventMessage): an episode holds thousands of events and most are
 * never read. A log line is the LogRecord of the logs journal; a metric reading is its sample
 * (./metric-sample.ts), which the journal holds once per reading of the sample.
 */
export type EventContent = LogRecord | MetricSample | StatusChange | StepSummary;

/** The journals of a new episode: `maxLogLines` lines (MAX_LOG_LINES_PER_EPISODE), `maxEvents` events (MAX_EVENTS_PER_EPISODE). */
export function episodeJournals(maxLogLines: number, maxEvents: number): { logs: Journal<LogRecord>; events: Journal<EventContent> } {
  return {
    logs: new Journal<LogRecord>(maxLogLines, { onNumber: (record, seq) => (record.seq = seq) }),
    events: new Journal<EventContent>(maxEvents, { stamped: true }),
  };
}

/** The LogEntry message of a line of the logs journal. */
export function logEntryMessage(record: LogRecord, startedAtMs: number): LogEntry {
  return record.toEntry(startedAtMs);
}

/** The EpisodeEvent message of an event of the journal: a log line's timestamp is the line's own, any other event's its minute's. */
export function eventMessage(content: EventContent, seq: number, minute: number, startedAtMs: number): EpisodeEvent {
  if (content instanceof LogRecord) {
    const entry = logEntryMessage(content, startedAtMs);
    return create(EpisodeEventSchema, { seq, timestamp: entry.timestamp, minute, kind: { case: "log", value: entry } });
  }
  const timestamp = leanTimestamp(startedAtMs + minute * MINUTE_MS);
  return create(EpisodeEventSchema, { seq, timestamp, minute, kind: eventKind(content, seq) });
}

function eventKind(content: MetricSample | StatusChange | StepSummary, seq: number): NonNullable<EpisodeEvent["kind"]> {
  if (content instanceof MetricSample) return { case: "metric", value: content.reading(seq) };
  switch (content.$typeName) {
    case "incident.v1.StatusChange":
      return { case: "status", value: content };
    case "incident.v1.StepSummary":
      return { case: "step", value: content };
  }
}
