/**
 * What the server thread knows of episodes before it asks a worker, in the two ways a worker pool
 * can keep them:
 * - DirectoryPlacement (episodes in the workers' memory): the server thread keeps the directory
 *   of episodes (an EpisodeStore of handles), so capacity, idle and finished-first eviction and the
 *   default episode behave exactly as with one thread. It resolves the default episode and names
 *   new episodes before it asks the worker that owns them.
 * - StorePlacement (EPISODE_STORE: episodes in Valkey/Redis): the store keeps all of that, for
 *   every replica and every worker alike. Any worker can serve any episode; the hash of the id
 *   only keeps an episode's requests on one worker, whose cached copy is then up to date. A
 *   request that names no episode goes to one fixed worker, which asks the store for the default.
 */
import { randomUUID } from "node:crypto";
import type { ResetRequest } from "../../../gen/incident/v1/service_pb.js";
import { EpisodeStore, type StoredEpisode } from "../episode-store.js";
import type { Limits } from "../limits.js";

/** Where a request about an existing episode goes. */
interface Located {
  /** The id to send; undefined lets the worker resolve the default episode. */
  id: string | undefined;
  /** The key that chooses the worker. */
  key: string;
  /** Records whether the episode is over after the answer. */
  answered(done: boolean): void;
  /** The state text kept for the episode as it is now (directory only: see RemoteEpisode). */
  readonly keptState: string | undefined;
  /** Keeps a state text read from the worker, unless a change was sent since this locate. */
  keepState(text: string): void;
}

/** Where a reset goes, and how its outcome is recorded. */
interface Admitted {
  id: string | undefined;
  key: string;
  succeeded(done: boolean): void;
  failed(): void;
}

export interface Placement {
  /** Whether the server thread keeps state texts (keptState); if not, the worker makes every one. */
  readonly keepsStateTexts: boolean;
  locate(id: string | undefined): Located;
  /** For a step: like locate, and what is kept of the episode's state is dropped. */
  changing(id: string | undefined): Located;
  /** Throws resource_exhausted when a new episode has no room (directory only). */
  admit(request: ResetRequest): Admitted;
  /** For a close: like locate, and the directory forgets the episode at once. */
  closing(id: string | undefined): Located;
  /** Live episodes and capacity, when the server thread knows them. */
  counts(): { live: number; capacity: number } | undefined;
  /** Evicts idle episodes, when the server thread decides that; undefined when a worker must. */
  sweep(): number | undefined;
  /** A worker died: forget the episodes whose key it served. */
  lost(served: (key: string) => boolean): void;
}

const NOTHING = (): void => {};

/**
 * The directory's entry for an episode that lives in a worker, with the state text last read from
 * it (GET /state answers from it without asking the worker). Every request that may change the
 * episode (a step, a reset of its id, a close, an eviction) drops the text and counts a change in
 * the same turn as it is posted to the worker, and a worker answers its requests in the order they
 * were posted, so a read that was answered before a change is never kept after it. An entry
 * evicted, closed or lost leaves the directory with its text; a reset of the id then gets a new
 * entry. A live clock moves its episode inside the worker: the pool keeps no text of one that runs.
 */
class RemoteEpisode implements StoredEpisode {
  done = false;
  /** Changes sent to the worker so far: a read is kept only if none was sent while it ran. */
  changes = 0;
  stateText: string | undefined;
  constructor(
    readonly id: string,
    private readonly evict: (id: string) => void,
  ) {}

  /** A request that may change the episode is posted to the worker in this turn. */
  changed(): void {
    this.changes++;
    this.stateText = undefined;
  }

  /** The directory evicted it: the worker frees it too. */
  close(): void {
    this.changed();
    this.evict(this.id);
  }

  /** Where a request about this episode goes, and what is kept of its state. */
  located(): Located {
    const changes = this.changes;
    return {
      id: this.id,
      key: this.id,
      answered: (done) => {
        this.done = done;
      },
      keptState: this.stateText,
      keepState: (text) => {
        if (this.changes === changes) this.stateText = text;
      },
    };
  }
}

export class DirectoryPlacement implements Placement {
  readonly keepsStateTexts = true;
  private readonly directory: EpisodeStore<RemoteEpisode>;

  /** @param evict tells the worker that holds an episode to free it */
  constructor(
    limits: Limits,
    private readonly evict: (id: string) => void,
  ) {
    this.directory = new EpisodeStore<RemoteEpisode>(limits.maxLiveEpisodes, limits.episodeIdleTtlMs);
  }

  locate(id: string | undefined): Located {
    return this.directory.get(id).located();
  }

  changing(id: string | undefined): Located {
    const episode = this.directory.get(id);
    episode.changed();
    return episode.located();
  }

  /**
   * Puts a new episode in the directory before the worker builds it, so that concurrent resets
   * cannot overfill it; a reset that fails takes it out again (a refused reset changes nothing).
   */
  admit(request: ResetRequest): Admitted {
    const makeDefault = request.episodeId === undefined;
    const id = request.episodeId ?? randomUUID();
    const existing = this.directory.peek(id);
    this.directory.reserve(id, makeDefault);
    existing?.changed();
    const episode = existing ?? new RemoteEpisode(id, this.evict);
    if (!existing) this.directory.put(episode, false);
    return {
      id,
      key: id,
      succeeded: (done) => {
        episode.done = done;
        this.directory.put(episode, makeDefault);
      },
      failed: () => {
        if (!existing) this.directory.forget(id);
      },
    };
  }

  closing(id: string | undefined): Located {
    const episode = this.directory.get(id);
    // Out of the directory first: requests that follow see no episode, as with one thread.
    this.directory.forget(episode.id);
    episode.changed();
    return { ...episode.located(), answered: NOTHING };
  }

  counts(): { live: number; capacity: number } {
    return { live: this.directory.size, capacity: this.directory.capacity };
  }

  sweep(): number {
    return this.directory.evictIdle();
  }

  lost(served: (key: string) => boolean): void {
    for (const episode of this.directory.episodes()) if (served(episode.id)) this.directory.forget(episode.id);
  }
}

/** The key of requests that name no episode: they all go to one worker. */
const DEFAULT_EPISODE_KEY = "";

export class StorePlacement implements Placement {
  readonly keepsStateTexts = false;
  /** Nothing is kept: other replicas change the store's episodes without telling this one. */
  locate(id: string | undefined): Located {
    return { id, key: id ?? DEFAULT_EPISODE_KEY, answered: NOTHING, keptState: undefined, keepState: NOTHING };
  }

  changing(id: string | undefined): Located {
    return this.locate(id);
  }

  admit(request: ResetRequest): Admitted {
    return { id: request.episodeId, key: request.episodeId ?? DEFAULT_EPISODE_KEY, succeeded: NOTHING, failed: NOTHING };
  }

  closing(id: string | undefined): Located {
    return this.locate(id);
  }

  counts(): undefined {
    return undefined;
  }

  sweep(): undefined {
    return undefined;
  }

  lost(): void {
    // The store keeps the episodes; another worker rebuilds them on demand.
  }
}
