/**
 * The live episodes of one server process, by id: Episodes themselves (IncidentEnvironment), or
 * handles of episodes that live in worker threads (the worker pool keeps its directory here, so
 * capacity, idle eviction and the default episode behave the same with any number of workers).
 *
 * Capacity: at most `maxLiveEpisodes`. To make room for a new episode the store first evicts
 * episodes idle for longer than the TTL, then the longest-idle finished episode; if every slot
 * holds a running episode touched within the TTL, it refuses with resource_exhausted.
 *
 * The default episode is the one the last reset without an episode_id created; requests that name
 * no episode use it, which keeps the original incident-response-env's curl flow (reset, step,
 * state) working. A reset without an episode_id closes the previous default episode, so such
 * resets can never pile up orphaned episodes. Which callers share one default is decided above
 * this store (src/env/episode-access.ts).
 */
import { EnvError } from "./errors.js";

/** What the store needs of an episode. */
export interface StoredEpisode {
  readonly id: string;
  /** Finished episodes are evicted first when room is needed. */
  readonly done: boolean;
  /** Called when the store evicts, replaces or closes the episode. */
  close(): void;
}

interface Slot<E> {
  episode: E;
  lastUsedMs: number;
}

export class EpisodeStore<E extends StoredEpisode> {
  private readonly slots = new Map<string, Slot<E>>();
  private defaultId: string | undefined;

  constructor(
    private readonly maxLiveEpisodes: number,
    private readonly idleTtlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.slots.size;
  }

  get capacity(): number {
    return this.maxLiveEpisodes;
  }

  /**
   * Makes sure a new episode (or a restart of `replacing`) fits; throws resource_exhausted if not.
   * A new default episode always fits while the default it replaces holds a slot: put() closes that one.
   */
  reserve(replacing?: string, becomesDefault = false): void {
    if (replacing !== undefined && this.slots.has(replacing)) return;
    if (this.slots.size < this.maxLiveEpisodes) return;
    if (becomesDefault && this.defaultId !== undefined && this.slots.has(this.defaultId)) return;
    this.evictIdle();
    if (this.slots.size < this.maxLiveEpisodes) return;
    const finished = [...this.slots.entries()].filter(([, slot]) => slot.episode.done).sort((a, b) => a[1].lastUsedMs - b[1].lastUsedMs)[0];
    if (finished) {
      this.remove(finished[0]);
      return;
    }
    throw new EnvError(
      "resource_exhausted",
      `all ${this.maxLiveEpisodes} episode slots hold running episodes; close one (CloseEpisode) or retry after idle episodes expire`,
    );
  }

  /**
   * Stores an episode (replacing one with the same id) and, when asked, makes it the default. The
   * default it replaces is closed: nobody can name it (its id was never chosen by a client, only
   * returned to one), so keeping it would only hold a slot until it expired.
   */
  put(episode: E, makeDefault: boolean): void {
    const old = this.slots.get(episode.id);
    if (old && old.episode !== episode) old.episode.close();
    this.slots.set(episode.id, { episode, lastUsedMs: this.now() });
    if (!makeDefault) return;
    const previous = this.defaultId;
    this.defaultId = episode.id;
    if (previous !== undefined && previous !== episode.id) this.remove(previous);
  }

  /** The episode with this id, or the default one when no id is given. */
  get(id: string | undefined): E {
    const key = id ?? this.defaultId;
    if (key === undefined) {
      throw new EnvError("not_found", "no episode_id given and there is no default episode yet; reset first (POST /reset)");
    }
    const slot = this.slots.get(key);
    if (!slot) {
      throw new EnvError(
        "not_found",
        id === undefined
          ? `the default episode ${key} no longer exists (closed or expired); reset first`
          : `no episode with id "${id}" (never created, closed, or expired after being idle)`,
      );
    }
    slot.lastUsedMs = this.now();
    return slot.episode;
  }

  /** Removes an episode and returns it. */
  close(id: string | undefined): E {
    const episode = this.get(id);
    this.remove(episode.id);
    return episode;
  }

  /** Evicts every episode idle for longer than the TTL; returns how many. */
  evictIdle(): number {
    const cutoff = this.now() - this.idleTtlMs;
    let evicted = 0;
    for (const [id, slot] of this.slots) {
      if (slot.lastUsedMs <= cutoff) {
        this.remove(id);
        evicted++;
      }
    }
    return evicted;
  }

  /** The episode with this id if the store holds it, without touching it. */
  peek(id: string): E | undefined {
    return this.slots.get(id)?.episode;
  }

  /** Forgets an episode without closing it (its worker is gone). */
  forget(id: string): void {
    this.slots.delete(id);
    if (this.defaultId === id) this.defaultId = undefined;
  }

  /** Every episode held, the most recently used first (without touching them). */
  recent(): { episode: E; lastUsedMs: number }[] {
    return [...this.slots.values()].sort((a, b) => b.lastUsedMs - a.lastUsedMs).map(({ episode, lastUsedMs }) => ({ episode, lastUsedMs }));
  }

  /** Every episode held. */
  episodes(): E[] {
    return [...this.slots.values()].map((slot) => slot.episode);
  }

  /** Closes and forgets every episode (server shutdown). */
  closeAll(): void {
    for (const id of [...this.slots.keys()]) this.remove(id);
  }

  private remove(id: string): void {
    const slot = this.slots.get(id);
    if (!slot) return;
    slot.episode.close();
    this.slots.delete(id);
    if (this.defaultId === id) this.defaultId = undefined;
  }
}
