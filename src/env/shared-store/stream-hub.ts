/**
 * How a replica's stream subscribers follow journals kept in the store without one blocking
 * connection each: the replica listens to the store's notification channel once, and wakes the
 * local subscribers of an episode when any replica changed it; they then read what is new with
 * ordinary (non-blocking) reads on the shared command connection.
 *
 * - One feed per followed journal (episode, incarnation, logs or events) on this replica, shared
 *   by its local subscribers; it disappears with its last subscriber.
 * - Subscribers at the same place that wake together share one read (the usual case: everyone is
 *   waiting at the end of the journal when a step lands).
 * - A notification that never arrives (the channel was interrupted) costs latency, not entries:
 *   subscribers re-read every FEED_POLL_MS anyway, and everything is re-read on reconnection.
 */
import { asEnvError } from "../errors.js";
import type { JournalRead } from "./store-client.js";

/** A waiting subscriber re-reads at least this often, notification or not. */
const FEED_POLL_MS = 2000;
/**
 * A subscriber's read that fails with `unavailable` is tried this many times in all,
 * STREAM_RETRY_MS apart, before its stream ends with that error. A replica busy delivering to many
 * subscribers can see a store command time out while the store is fine; a stream outlives that,
 * and a short pause of the store, but not a store that stays away.
 */
export const STREAM_READ_ATTEMPTS = 4;
const STREAM_RETRY_MS = 250;

type JournalName = "logs" | "events";

export class Feed {
  /** Bumped whenever the journal may have changed. */
  version = 0;
  subscribers = 0;
  private readonly waiters = new Set<() => void>();
  /** Reads under way, by version and position: subscribers that woke together share them. */
  private readonly reads = new Map<string, Promise<JournalRead>>();

  constructor(
    readonly id: string,
    readonly gen: string,
    readonly name: JournalName,
    private readonly load: (feed: Feed, afterSeq: number) => Promise<JournalRead>,
  ) {}

  /** What the store has after `afterSeq`, read at the current version or later. */
  read(afterSeq: number): Promise<JournalRead> {
    const key = `${this.version}:${afterSeq}`;
    const running = this.reads.get(key);
    if (running) return running;
    const read = this.load(this, afterSeq).finally(() => this.reads.delete(key));
    this.reads.set(key, read);
    return read;
  }

  /** read(), tried again while the store does not answer (STREAM_READ_ATTEMPTS), unless the subscriber left. */
  async readPatiently(afterSeq: number, signal: AbortSignal | undefined): Promise<JournalRead> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.read(afterSeq);
      } catch (error) {
        if (attempt >= STREAM_READ_ATTEMPTS || signal?.aborted || asEnvError(error).kind !== "unavailable") throw error;
        await new Promise((resolve) => setTimeout(resolve, STREAM_RETRY_MS));
      }
    }
  }

  changed(): void {
    this.version++;
    const waiting = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiting) wake();
  }

  /** Resolves when the version moves past `version`, the signal aborts, or FEED_POLL_MS pass. */
  wait(version: number, signal: AbortSignal | undefined): Promise<void> {
    if (this.version !== version || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, FEED_POLL_MS);
      timer.unref();
      this.waiters.add(done);
      signal?.addEventListener("abort", done, { once: true });
    });
  }
}

export class StreamHub {
  private readonly byEpisode = new Map<string, Map<string, Feed>>();

  constructor(private readonly load: (feed: Feed, afterSeq: number) => Promise<JournalRead>) {}

  /** The feed of a journal, shared with this replica's other subscribers; release it when done. */
  open(id: string, gen: string, name: JournalName): Feed {
    let feeds = this.byEpisode.get(id);
    if (!feeds) {
      feeds = new Map();
      this.byEpisode.set(id, feeds);
    }
    const key = `${gen}:${name}`;
    let feed = feeds.get(key);
    if (!feed) {
      feed = new Feed(id, gen, name, this.load);
      feeds.set(key, feed);
    }
    feed.subscribers++;
    return feed;
  }

  release(feed: Feed): void {
    feed.subscribers--;
    if (feed.subscribers > 0) return;
    const feeds = this.byEpisode.get(feed.id);
    feeds?.delete(`${feed.gen}:${feed.name}`);
    if (feeds?.size === 0) this.byEpisode.delete(feed.id);
    feed.changed(); // nobody waits on it any more; wake stragglers so they notice
  }

  /** Some replica changed the episode: its local subscribers read again. */
  changed(id: string): void {
    const feeds = this.byEpisode.get(id);
    if (feeds) for (const feed of feeds.values()) feed.changed();
  }

  /** Notifications may have been missed: every subscriber reads again. */
  changedAll(): void {
    for (const feeds of this.byEpisode.values()) for (const feed of feeds.values()) feed.changed();
  }

  /** Feeds being followed (for health and tests). */
  get size(): number {
    let n = 0;
    for (const feeds of this.byEpisode.values()) n += feeds.size;
    return n;
  }
}
