/**
 * An append-only, bounded, numbered history that any number of readers follow at their own pace.
 *
 * An episode keeps two: its log lines (LogEntry, numbered by their `seq`) and its events
 * (EpisodeEvent: log lines, metric readings, status changes and steps, numbered by theirs).
 *
 * - Entries are numbered from 1 without gaps when appended.
 * - The journal keeps at most `capacity` entries; when full it drops the oldest. Appending never
 *   waits for anyone: a reader is only a cursor (the last number it read), so there is no
 *   per-reader queue to fill and a slow reader never holds up the episode or another reader.
 * - A reader that falls behind the oldest entry kept gets one gap item naming the numbers it
 *   lost, then continues with the oldest entry kept. Starting from 0 means "from the oldest entry
 *   kept" and reports no gap.
 * - A reader that resumes after number N (the last one it saw) gets N+1 onwards: no duplicates,
 *   and no losses unless they are reported as a gap.
 * - When the journal closes (the episode ended or was closed), readers get what is left and end.
 *
 * An entry's number is its position (entries need not carry it; `onNumber` tells an entry its
 * number when it is appended, for entries that do). Each entry may come with a stamp, a number
 * kept beside it (the events journal keeps each event's minute there): an episode holds
 * thousands of entries, and a column of numbers costs less than an object per entry.
 */

/** One item a reader receives: an entry with its number and stamp, or the numbers of entries dropped before it could read them. */
export type JournalItem<T> =
  { entry: T; seq: number; stamp: number; gap?: undefined } | { entry?: undefined; gap: { first: number; last: number } };

export class Journal<T> {
  /** Kept entries live in items[head..] (and their stamps in stamps[head..]); the dead prefix is cut off now and then. */
  private items: T[] = [];
  private stamps: number[] = [];
  private head = 0;
  private firstSeq = 1;
  private waiters = new Set<() => void>();
  private closed = false;

  private readonly onNumber: ((entry: T, seq: number) => void) | undefined;
  private readonly stamped: boolean;

  /** `onNumber` tells each entry its number; `stamped` keeps a stamp beside each entry. */
  constructor(
    readonly capacity: number,
    options: { onNumber?: (entry: T, seq: number) => void; stamped?: boolean } = {},
  ) {
    this.onNumber = options.onNumber;
    this.stamped = options.stamped ?? false;
  }

  /** Sequence number the next appended entry will get. */
  get nextSeq(): number {
    return this.firstSeq + this.items.length - this.head;
  }

  /** Sequence number of the oldest entry kept (equal to nextSeq when empty). */
  get oldestSeq(): number {
    return this.firstSeq;
  }

  get size(): number {
    return this.items.length - this.head;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Appends entries (numbered here), with their stamps (0 if none), drops the oldest beyond capacity, and wakes readers. */
  append(entries: readonly T[], stamps?: readonly number[]): void {
    if (this.closed || entries.length === 0) return;
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i] as T;
      this.onNumber?.(entry, this.nextSeq);
      this.items.push(entry);
      if (this.stamped) this.stamps.push(stamps?.[i] ?? 0);
    }
    const excess = this.size - this.capacity;
    if (excess > 0) {
      this.head += excess;
      this.firstSeq += excess;
      if (this.head >= this.capacity) {
        this.items = this.items.slice(this.head);
        if (this.stamped) this.stamps = this.stamps.slice(this.head);
        this.head = 0;
      }
    }
    this.wake();
  }

  /** The entry with this sequence number, if it is kept. */
  at(seq: number): T | undefined {
    if (seq < this.firstSeq || seq >= this.nextSeq) return undefined;
    return this.items[this.head + seq - this.firstSeq];
  }

  /** Entries with seq > afterSeq, oldest first, with their numbers and stamps. */
  after(afterSeq: number): Array<{ entry: T; seq: number; stamp: number }> {
    const found: Array<{ entry: T; seq: number; stamp: number }> = [];
    for (let i = this.head + Math.max(0, afterSeq + 1 - this.firstSeq); i < this.items.length; i++) {
      found.push({ entry: this.items[i] as T, seq: this.firstSeq + i - this.head, stamp: this.stamps[i] ?? 0 });
    }
    return found;
  }

  /** The last `count` entries, oldest first. */
  tail(count: number): T[] {
    return this.items.slice(Math.max(this.head, this.items.length - count));
  }

  /** The last `count` entries that satisfy `keep`, oldest first; searches from the newest without copying the journal. */
  lastMatching(count: number, keep: (entry: T) => boolean): T[] {
    const found: T[] = [];
    for (let i = this.items.length - 1; i >= this.head && found.length < count; i--) {
      const entry = this.items[i] as T;
      if (keep(entry)) found.push(entry);
    }
    return found.reverse();
  }

  /** Ends the journal: nothing more is appended; readers get what is left and end. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.wake();
  }

  /** Resolves when an entry is appended, the journal closes, or the signal aborts. */
  waitForChange(signal?: AbortSignal): Promise<void> {
    if (this.closed || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        signal?.removeEventListener("abort", done);
        this.waiters.delete(done);
        resolve();
      };
      this.waiters.add(done);
      signal?.addEventListener("abort", done, { once: true });
    });
  }

  /**
   * Entries after `afterSeq` (0: from the oldest kept), then each new one, until the journal
   * closes or the signal aborts; with a gap item wherever entries were dropped before this reader
   * got to them.
   */
  async *read(afterSeq: number, signal?: AbortSignal): AsyncGenerator<JournalItem<T>> {
    let cursor = afterSeq;
    while (!signal?.aborted) {
      if (cursor + 1 < this.firstSeq) {
        // Entries cursor+1 .. last are gone; more may go while the gap item waits to be taken,
        // and the next turn of the loop reports those as a further gap.
        const last = this.firstSeq - 1;
        if (cursor > 0) yield { gap: { first: cursor + 1, last } };
        cursor = last;
        continue;
      }
      const seq = cursor + 1;
      if (seq < this.nextSeq) {
        const index = this.head + seq - this.firstSeq;
        cursor = seq;
        yield { entry: this.items[index] as T, seq, stamp: this.stamps[index] ?? 0 };
        continue;
      }
      if (this.closed) return;
      await this.waitForChange(signal);
    }
  }

  private wake(): void {
    const waiting = [...this.waiters];
    this.waiters.clear();
    for (const w of waiting) w();
  }
}
