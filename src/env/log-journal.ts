/**
 * An episode's log: every line the world printed, numbered from 1, with a way to wait for more.
 *
 * Streams read the journal at their own pace by sequence number, so a slow reader never holds up
 * the episode or another reader, and a reader that reconnects resumes after the last number it
 * saw. The journal keeps at most `capacity` lines; when full it drops the oldest (a reader that
 * asks for a dropped number continues from the oldest line kept).
 */
import type { LogEntry } from "../../gen/incident/v1/telemetry_pb.js";

export class LogJournal {
  private readonly lines: LogEntry[] = [];
  private firstSeq = 1;
  private waiters: Array<() => void> = [];
  private closed = false;

  constructor(private readonly capacity: number) {}

  /** Sequence number the next appended line will get. */
  get nextSeq(): number {
    return this.firstSeq + this.lines.length;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Appends lines (their seq is assigned here) and wakes waiting readers. */
  append(entries: readonly LogEntry[]): void {
    if (this.closed || entries.length === 0) return;
    for (const entry of entries) {
      entry.seq = this.nextSeq;
      this.lines.push(entry);
    }
    const excess = this.lines.length - this.capacity;
    if (excess > 0) {
      this.lines.splice(0, excess);
      this.firstSeq += excess;
    }
    this.wake();
  }

  /** Lines with seq > afterSeq, oldest first. */
  after(afterSeq: number): LogEntry[] {
    const start = Math.max(0, afterSeq + 1 - this.firstSeq);
    return this.lines.slice(start);
  }

  /** The last `count` lines, oldest first. */
  tail(count: number): LogEntry[] {
    return this.lines.slice(Math.max(0, this.lines.length - count));
  }

  /** Ends the journal: no more lines; waiting readers wake and see `isClosed`. */
  close(): void {
    this.closed = true;
    this.wake();
  }

  /** Resolves when a line is appended, the journal closes, or the signal aborts. */
  waitForChange(signal?: AbortSignal): Promise<void> {
    if (this.closed || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        signal?.removeEventListener("abort", done);
        this.waiters = this.waiters.filter((w) => w !== done);
        resolve();
      };
      this.waiters.push(done);
      signal?.addEventListener("abort", done, { once: true });
    });
  }

  /** Every line from afterSeq on, then each new line, until the journal closes or the signal aborts. */
  async *follow(afterSeq: number, signal?: AbortSignal): AsyncGenerator<LogEntry> {
    let last = afterSeq;
    while (!signal?.aborted) {
      const fresh = this.after(last);
      for (const entry of fresh) {
        if (signal?.aborted) return;
        last = entry.seq;
        yield entry;
      }
      if (fresh.length === 0) {
        if (this.closed) return;
        await this.waitForChange(signal);
      }
    }
  }

  private wake(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) w();
  }
}
