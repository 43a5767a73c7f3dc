/**
 * A log line as an episode keeps it: a LogEntry message (with its Timestamp and the Timestamp's
 * bigint) is three objects, twice the size of the line's own fields, and an episode keeps every
 * line it printed. The message is made when the line is shown (the observation's recent lines, an
 * inspection, a stream), with the same fields and bytes.
 */
import type { LogLevel } from "../../gen/incident/v1/enums_pb.js";
import type { LogEntry } from "../../gen/incident/v1/telemetry_pb.js";
import { leanLogEntry, leanTimestamp } from "./lean-messages.js";

export class LogRecord {
  /** Its number in the episode's log (LogEntry.seq), set when the logs journal takes it. */
  seq = 0;

  constructor(
    /** Simulated minute and second it was printed at. */
    readonly minute: number,
    readonly second: number,
    readonly level: LogLevel,
    readonly service: string,
    readonly message: string,
    readonly traceId: string | undefined,
  ) {}

  /** The LogEntry message; `startedAtMs` is the incident's minute 0. */
  toEntry(startedAtMs: number): LogEntry {
    const entry = leanLogEntry(
      leanTimestamp(startedAtMs + this.minute * 60_000 + this.second * 1000),
      this.level,
      this.service,
      this.message,
      this.traceId,
    );
    entry.seq = this.seq;
    return entry;
  }
}
