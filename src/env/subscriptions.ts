/**
 * Bookkeeping of the open streams (StreamLogs, StreamEpisodeEvents, SSE) of every episode.
 *
 * - At most `maxPerEpisode` streams per episode; one more is refused with resource_exhausted.
 * - A stream is released when its reader finishes, when its transport aborts (client cancel or
 *   disconnect), or when the stall watchdog drops it.
 * - Stall watchdog: a stream "parks" while an entry it produced waits for the transport to take it
 *   (the client's flow-control window or socket buffer is full). One parked for longer than
 *   `stallTimeoutMs` is released and its transport told to drop the connection (`onStall`), so a
 *   client that stopped reading cannot hold a slot or buffers forever. One timer serves all
 *   streams, and only while there are streams.
 */
import type { Clock } from "./clock.js";
import { EnvError } from "./errors.js";

interface Subscription {
  /** Marks that an entry was handed to the transport and not yet taken. */
  park(): void;
  /** Marks that the transport asked for the next entry. */
  unpark(): void;
  /** Frees the slot (idempotent). */
  release(): void;
  readonly released: boolean;
}

interface Entry extends Subscription {
  released: boolean;
  key: object;
  parkedSince: number | undefined;
  onStall: (() => void) | undefined;
}

export class Subscriptions {
  private readonly byKey = new Map<object, Set<Entry>>();
  private total = 0;
  private stopWatchdog: (() => void) | undefined;

  constructor(
    private readonly maxPerEpisode: number,
    private readonly stallTimeoutMs: number,
    private readonly clock: Clock,
  ) {}

  /** Open streams over all episodes. */
  get size(): number {
    return this.total;
  }

  /** Open streams of one episode. */
  count(key: object): number {
    return this.byKey.get(key)?.size ?? 0;
  }

  /** Takes a slot for a new stream on `key` (an episode); throws resource_exhausted when none is free. */
  open(key: object, onStall?: () => void): Subscription {
    const set = this.byKey.get(key) ?? new Set<Entry>();
    if (set.size >= this.maxPerEpisode) {
      throw new EnvError(
        "resource_exhausted",
        `the episode already has ${set.size} open streams (MAX_SUBSCRIBERS_PER_EPISODE=${this.maxPerEpisode}); close one or share it`,
      );
    }
    this.byKey.set(key, set);
    const clock = this.clock;
    const entry: Entry = {
      key,
      parkedSince: undefined,
      onStall,
      released: false,
      park() {
        if (!entry.released) entry.parkedSince = clock.now();
      },
      unpark() {
        entry.parkedSince = undefined;
      },
      release: () => this.release(entry),
    };
    set.add(entry);
    this.total++;
    this.startWatchdog();
    return entry;
  }

  private release(entry: Entry): void {
    if (entry.released) return;
    entry.released = true;
    entry.parkedSince = undefined;
    const set = this.byKey.get(entry.key);
    set?.delete(entry);
    if (set && set.size === 0) this.byKey.delete(entry.key);
    this.total--;
    if (this.total === 0) {
      this.stopWatchdog?.();
      this.stopWatchdog = undefined;
    }
  }

  private startWatchdog(): void {
    if (this.stopWatchdog) return;
    const interval = Math.max(50, Math.min(1000, Math.floor(this.stallTimeoutMs / 4)));
    this.stopWatchdog = this.clock.every(interval, () => this.checkStalls());
  }

  /** Drops every stream parked for longer than the stall timeout. */
  checkStalls(): void {
    const cutoff = this.clock.now() - this.stallTimeoutMs;
    const stalled: Entry[] = [];
    for (const set of this.byKey.values()) {
      for (const entry of set) if (entry.parkedSince !== undefined && entry.parkedSince <= cutoff) stalled.push(entry);
    }
    for (const entry of stalled) {
      this.release(entry);
      try {
        entry.onStall?.();
      } catch (error) {
        // A transport that cannot drop its client must not take the timer down with it.
        console.error("dropping a stalled stream failed", error);
      }
    }
  }
}
