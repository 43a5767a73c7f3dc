/**
 * A replica's copies of episodes: built Episode objects, most recently used last, at most
 * REPLICA_CACHE_EPISODES of them. A copy is only a cache: the store holds the truth (the reset
 * request and the committed actions), and a copy that is missing, of another incarnation, or
 * behind is rebuilt or caught up from it before it serves a request.
 */
import type { Episode } from "../episode.js";

export interface CachedEpisode {
  readonly id: string;
  /** The incarnation the copy was built from (a reset with the same id makes a new one). */
  readonly gen: string;
  readonly episode: Episode;
  /** Committed steps the copy has applied. */
  steps: number;
  /**
   * Another replica may have changed the episode since (its notification said so, or the
   * notifications were interrupted): a step syncs with the store first instead of committing
   * optimistically.
   */
  stale: boolean;
}

export class ReplicaCache {
  /** Insertion order is recency: a use moves the entry to the end. */
  private readonly entries = new Map<string, CachedEpisode>();

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.entries.size;
  }

  /** The copy of an episode, marked as just used. */
  get(id: string): CachedEpisode | undefined {
    const entry = this.entries.get(id);
    if (entry) {
      this.entries.delete(id);
      this.entries.set(id, entry);
    }
    return entry;
  }

  /** The copy of an episode, without marking it used. */
  peek(id: string): CachedEpisode | undefined {
    return this.entries.get(id);
  }

  /** Keeps a copy; drops the least recently used ones beyond capacity. */
  set(entry: CachedEpisode): void {
    this.entries.delete(entry.id);
    this.entries.set(entry.id, entry);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }

  delete(id: string): void {
    this.entries.delete(id);
  }

  /** Every copy might be behind (the notifications were interrupted). */
  markAllStale(): void {
    for (const entry of this.entries.values()) entry.stale = true;
  }
}
