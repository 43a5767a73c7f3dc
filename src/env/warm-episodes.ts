/**
 * Bounds the memory that many live episodes take in one process (WARM_EPISODES).
 *
 * A built episode (its world, the simulation's history, its journals) takes a few hundred KiB; what
 * rebuilds it takes a few hundred bytes: the reset request with its seed and id resolved, and the
 * actions applied since. Episodes are deterministic, so rebuilding from those gives the same
 * episode byte for byte, journals and their sequence numbers included (the shared store rebuilds
 * episodes the same way, src/env/shared-store/replay.ts).
 *
 * So at most `limit` episodes stay built ("warm"), in least-recently-used order; beyond that the
 * least recently used one that can sleep is reduced to its recipe, and rebuilt when next used.
 * An episode cannot sleep while something holds on to its built form: a stream subscriber, or a
 * live clock (a live episode's world moves with wall-clock time, which no replay reproduces).
 * Sleeping changes nothing an agent can observe; it only costs a replay on the next request.
 */
import { create } from "@bufbuild/protobuf";
import type { Action } from "../../gen/incident/v1/action_pb.js";
import type { EpisodeState } from "../../gen/incident/v1/episode_pb.js";
import { ResetRequestSchema, type ResetRequest } from "../../gen/incident/v1/service_pb.js";
import type { Episode } from "./episode.js";
import type { StoredEpisode } from "./episode-store.js";

/** What rebuilds an episode: its reset request (seed and id resolved) and the actions applied since. */
export interface EpisodeRecipe {
  readonly reset: ResetRequest;
  readonly actions: readonly Action[];
}

/** The episode store's entry: the built episode while it is warm, its recipe while it sleeps. */
export class EpisodeHandle implements StoredEpisode {
  private built: Episode | undefined;
  private sleeping: readonly Action[] | undefined;
  /** The state when it went to sleep, without the grade (a few hundred bytes): what a listing shows without rebuilding it. */
  private sleptState: EpisodeState | undefined;
  private finished = false;

  constructor(
    readonly id: string,
    /** The reset request with its seed and id resolved. */
    readonly reset: ResetRequest,
    episode: Episode,
    /** Called when the store lets go of the handle. */
    private readonly onClose: (handle: EpisodeHandle) => void,
  ) {
    this.built = episode;
  }

  /** Over, or a live episode past its natural end that nobody has looked at since (the store evicts it first). */
  get done(): boolean {
    return this.built ? this.built.done || this.built.timeIsUp : this.finished;
  }

  get isWarm(): boolean {
    return this.built !== undefined;
  }

  /** The built episode, if warm. */
  get warm(): Episode | undefined {
    return this.built;
  }

  /** Keeps only the recipe. */
  sleep(episode: Episode): void {
    this.sleeping = episode.actions();
    this.sleptState = { ...episode.state(), grade: undefined };
    this.finished = episode.done;
    this.built = undefined;
  }

  /** The episode's state as it is now, without waking it (a sleeping episode does not change; its grade is left out). */
  currentState(): EpisodeState | undefined {
    return this.built?.state() ?? this.sleptState;
  }

  /** The recipe of a sleeping episode. */
  recipe(): EpisodeRecipe {
    return { reset: this.reset, actions: this.sleeping ?? this.built?.actions() ?? [] };
  }

  wake(episode: Episode): void {
    this.built = episode;
    this.sleeping = undefined;
    this.sleptState = undefined;
  }

  /** The store evicted, replaced or closed it: a sleeping episode has nothing to end. */
  close(): void {
    this.built?.close();
    this.onClose(this);
  }
}

/** The reset request as the recipe keeps it: what was asked, with the seed drawn and the id given. */
export function resolvedReset(request: ResetRequest, seed: number, id: string): ResetRequest {
  return create(ResetRequestSchema, { ...request, seed, episodeId: id });
}

export class WarmEpisodes {
  /** Warm handles, least recently used first (a Map keeps insertion order). */
  private readonly warm = new Map<string, EpisodeHandle>();
  /**
   * The most recently used handle, the last of `warm`: reads of one episode in a row (an agent
   * polling its state) leave the order as it is, instead of moving the entry on every read, which
   * fills the Map with deleted slots for V8 to compact.
   */
  private newest: EpisodeHandle | undefined;
  /** Rebuilds since start (operators and tests). */
  rebuilt = 0;

  constructor(
    private readonly limit: number,
    /** Whether a warm episode may sleep now (no subscriber, no live clock). */
    private readonly canSleep: (episode: Episode) => boolean,
    /** Builds an episode from its recipe, byte for byte as it was. */
    private readonly rebuild: (recipe: EpisodeRecipe) => Episode,
  ) {}

  get size(): number {
    return this.warm.size;
  }

  /** A handle for a new episode, warm and the most recently used. */
  adopt(id: string, reset: ResetRequest, episode: Episode): EpisodeHandle {
    const handle = new EpisodeHandle(id, reset, episode, (closed) => this.forget(closed));
    this.episodeOf(handle);
    return handle;
  }

  /** The built episode behind a handle (rebuilt if it slept), marked as the most recently used. */
  episodeOf(handle: EpisodeHandle): Episode {
    let episode = handle.warm;
    if (episode && handle === this.newest) return episode;
    if (!episode) {
      episode = this.rebuild(handle.recipe());
      handle.wake(episode);
      this.rebuilt++;
    }
    this.warm.delete(handle.id);
    this.warm.set(handle.id, handle);
    this.newest = handle;
    this.trim(handle);
    return episode;
  }

  /** The handle left the store (closed, evicted or replaced). */
  private forget(handle: EpisodeHandle): void {
    if (this.warm.get(handle.id) === handle) this.warm.delete(handle.id);
    if (this.newest === handle) this.newest = undefined;
  }

  /** Puts the least recently used episodes that can sleep to sleep until at most `limit` are warm; `keep` stays warm. */
  private trim(keep: EpisodeHandle): void {
    if (this.warm.size <= this.limit) return;
    for (const handle of this.warm.values()) {
      if (this.warm.size <= this.limit) return;
      const episode = handle.warm;
      if (handle === keep || !episode || !this.canSleep(episode)) continue;
      handle.sleep(episode);
      this.warm.delete(handle.id);
    }
  }
}
