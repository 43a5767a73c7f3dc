/**
 * Who may reach which episode, and which episode a request without an episode_id means.
 *
 * Transports know their caller: the API key it presented (API_KEYS; src/server/api-keys.ts) and
 * the connection it came on. They ask EpisodeAccess for a view of the environment for that caller
 * and call the view exactly as they would call the environment.
 *
 * Ownership. With API keys, every episode belongs to the key that created it: the view keeps each
 * key's episode ids in a namespace of its own (the environment sees "<key name>/<episode_id>";
 * "/" cannot occur in an episode_id, so no key can name another's episodes). Another key naming
 * the same id reaches a different episode, or none: it gets not_found exactly as for an id that
 * was never used, so nothing tells it the other episode exists. Answers carry the caller's ids.
 * Namespaces live in the ids themselves, so ownership holds across worker threads and replicas
 * on a shared store with nothing stored beside the episodes.
 *
 * The default episode (requests that name no episode), by caller:
 * - an HTTP/2 connection (gRPC, Connect or gRPC-Web over h2c) has a default episode of its own;
 *   when the connection ends, the episode stays (named by the id its reset returned) but is no
 *   longer anybody's default;
 * - otherwise, with API keys, each key has one;
 * - otherwise (plain HTTP without keys: curl) there is one, the environment's own, shared by
 *   replicas on a shared store; whoever resets without an episode_id replaces it.
 * Every reset without an episode_id closes the default episode it replaces, so such resets never
 * pile up episodes that nobody can name.
 *
 * Listing (ListEpisodes): a caller lists the episodes of its namespace, in its own ids, each with the
 * transport that last reset or stepped it (PlayedBy, src/env/episode-listing.ts). With API keys,
 * other keys' episodes are invisible, as they are to every other request.
 */
import { create } from "@bufbuild/protobuf";
import { randomUUID } from "node:crypto";
import {
  CloseEpisodeRequestSchema,
  ResetResponseSchema,
  StepResponseSchema,
  type CloseEpisodeRequest,
  type CloseEpisodeResponse,
  type GetObservationRequest,
  type GetObservationResponse,
  type GetStateRequest,
  type GetStateResponse,
  type HealthResponse,
  type ListEpisodesResponse,
  type ListScenariosResponse,
  type ListTasksResponse,
  type ResetRequest,
  type ResetResponse,
  type StepRequest,
  type StepResponse,
  type StreamEpisodeEventsRequest,
  type StreamEpisodeEventsResponse,
  type StreamLogsRequest,
  type StreamLogsResponse,
} from "../../gen/incident/v1/service_pb.js";
import type { EpisodeState } from "../../gen/incident/v1/episode_pb.js";
import {
  canPreEncode,
  canTellStateText,
  type Awaitable,
  type EnvironmentApi,
  type Outcome,
  type PreEncodingEnvironment,
  type StateTextEnvironment,
  type StreamName,
  type StreamOptions,
  type WireForms,
  type WireFormat,
} from "./api.js";
import { PlayedBy, type EpisodeListQuery, type Transport } from "./episode-listing.js";
import { EnvError } from "./errors.js";
import { encodeAs } from "./wire-forms.js";
import type { Limits, StreamLimits } from "./limits.js";

/** Separates a key's name from its episode ids inside the environment; episode_id rules exclude it. */
const NAMESPACE_SEPARATOR = "/";

/** Key names: what may precede the separator (src/server/api-keys.ts checks names against this). */
export const OWNER_NAME_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

export interface Caller {
  /** The name of the API key the request presented; undefined when API keys are off. */
  readonly owner?: string;
  /** The connection whose default episode requests without an id use (HTTP/2 sessions); see the file comment. */
  readonly connection?: string;
  /** What the request came over: recorded as who plays the episodes it resets and steps (ListEpisodes). */
  readonly transport?: Transport;
}

/** Requests that can name an episode. */
interface Addressed {
  episodeId?: string;
}

export class EpisodeAccess {
  /** Default episodes of the scopes the environment does not keep itself: scope -> the environment's id. */
  private readonly defaults = new Map<string, string>();
  /** Who played each episode last (bounded: twice MAX_LIVE_EPISODES entries). */
  readonly playedBy: PlayedBy;
  constructor(readonly env: EnvironmentApi) {
    this.playedBy = new PlayedBy(2 * env.limits.maxLiveEpisodes);
  }

  /** The environment as `caller` may use it: the environment itself for a caller with nothing to map or record. */
  view(caller: Caller | undefined): EnvironmentApi {
    if (caller === undefined || (caller.owner === undefined && caller.connection === undefined && caller.transport === undefined))
      return this.env;
    return new CallerView(this.env, this.defaults, caller, this.playedBy);
  }

  /**
   * A connection ended: it is forgotten, and so is its default episode as a default. The episode
   * itself stays, addressed by the id its reset returned, until it is closed or expires: gRPC
   * clients reconnect on their own (the server closes idle connections), and a language-model
   * agent may think for longer than that between two steps.
   */
  connectionEnded(caller: Caller): void {
    const scope = scopeOf(caller);
    if (scope !== undefined) this.defaults.delete(scope);
  }

  /** Default episodes held for connections and keys (operators and tests). */
  get scopedDefaults(): number {
    return this.defaults.size;
  }
}

/** The scope of the caller's default episode; undefined: the environment's own default. */
function scopeOf(caller: Caller): string | undefined {
  if (caller.connection !== undefined) return `${caller.owner ?? ""}${NAMESPACE_SEPARATOR}${caller.connection}`;
  if (caller.owner !== undefined) return caller.owner;
  return undefined;
}

/** The environment as one caller sees it: its own ids in, its own ids out, its own default episode. */
class CallerView implements EnvironmentApi {
  readonly limits: Limits;
  readonly streamLimits: StreamLimits;
  private readonly prefix: string;
  readonly scope: string | undefined;
  private readonly transport: Transport | undefined;

  constructor(
    private readonly env: EnvironmentApi,
    private readonly defaults: Map<string, string>,
    caller: Caller,
    private readonly playedBy: PlayedBy,
  ) {
    this.limits = env.limits;
    this.streamLimits = env.streamLimits;
    this.prefix = caller.owner === undefined ? "" : caller.owner + NAMESPACE_SEPARATOR;
    this.scope = scopeOf(caller);
    this.transport = caller.transport;
    // Without a namespace, ids cross unchanged, so encoded answers from worker threads can be passed on as they are.
    if (this.prefix === "" && canPreEncode(env)) Object.assign(this, preEncodingOf(this, env));
    // And the state's text: it holds the episode's id, which a namespaced view rewrites in the message instead.
    if (this.prefix === "" && canTellStateText(env)) Object.assign(this, stateTextOf(this, env));
  }

  health(): Awaitable<HealthResponse> {
    return this.env.health();
  }

  listTasks(): ListTasksResponse {
    return this.env.listTasks();
  }

  listScenarios(): ListScenariosResponse {
    return this.env.listScenarios();
  }

  /** The environment's id of an episode the caller names (or its default episode). */
  inner(id: string | undefined): string | undefined {
    if (id !== undefined) return this.prefix + id;
    if (this.scope === undefined) return undefined;
    const known = this.defaults.get(this.scope);
    if (known === undefined)
      throw new EnvError("not_found", "no episode_id given and there is no default episode yet; reset first (POST /reset)");
    return known;
  }

  /** A request with its episode id as the environment knows it. */
  address<R extends Addressed>(request: R): R {
    const episodeId = this.inner(request.episodeId);
    return episodeId === request.episodeId ? request : { ...request, episodeId };
  }

  /** The caller's id of one of its episodes. */
  private outer(id: string): string {
    return this.prefix !== "" && id.startsWith(this.prefix) ? id.slice(this.prefix.length) : id;
  }

  private outerState(state: EpisodeState | undefined): EpisodeState | undefined {
    return state === undefined || this.prefix === "" ? state : { ...state, episodeId: this.outer(state.episodeId) };
  }

  private answer<M extends { episodeId: string; state?: EpisodeState }>(message: M): M {
    if (this.prefix === "") return message;
    return {
      ...message,
      episodeId: this.outer(message.episodeId),
      ...("state" in message ? { state: this.outerState(message.state) } : {}),
    };
  }

  /** An error about the caller's episodes, in the caller's ids. */
  private failure(error: unknown): unknown {
    if (!(error instanceof EnvError) || this.prefix === "" || !error.message.includes(this.prefix)) return error;
    return new EnvError(error.kind, error.message.split(this.prefix).join(""), error.violations);
  }

  private async guarded<T>(work: () => Awaitable<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw this.failure(error);
    }
  }

  /**
   * A reset without an episode_id in a scope of its own: a fresh id becomes the scope's default,
   * and the previous default is closed (first, if the environment has no room for both).
   */
  async newDefault<T>(request: ResetRequest, run: (request: ResetRequest) => Awaitable<T>): Promise<T> {
    const scope = this.scope as string;
    const episodeId = this.prefix + randomUUID();
    const previous = this.defaults.get(scope);
    const closePrevious = async (): Promise<void> => {
      if (previous === undefined || this.defaults.get(scope) !== previous) return;
      this.defaults.delete(scope);
      await Promise.resolve(this.env.closeEpisode(create(CloseEpisodeRequestSchema, { episodeId: previous }))).catch(() => undefined);
    };
    let answer: T;
    try {
      answer = await run({ ...request, episodeId });
    } catch (error) {
      if (!(error instanceof EnvError && error.kind === "resource_exhausted" && previous !== undefined)) throw error;
      await closePrevious();
      answer = await run({ ...request, episodeId });
    }
    await closePrevious();
    this.defaults.set(scope, episodeId);
    return answer;
  }

  /** Records the caller's transport as who plays the episode (the environment's id); returns the answer. */
  played<M extends { episodeId: string }>(message: M): M {
    if (this.transport !== undefined) this.playedBy.note(message.episodeId, this.transport);
    return message;
  }

  /** Records who plays each episode a batch reached. */
  private playedAll<M extends { episodeId: string }>(outcomes: Outcome<M>[]): Outcome<M>[] {
    for (const outcome of outcomes) if (outcome.ok) this.played(outcome.value);
    return outcomes;
  }

  reset(request: ResetRequest): Promise<ResetResponse> {
    return this.guarded(async () => {
      if (request.episodeId === undefined && this.scope !== undefined)
        return this.answer(this.played(await this.newDefault(request, (r) => this.env.reset(r))));
      return this.answer(this.played(await this.env.reset(this.address(request))));
    });
  }

  step(request: StepRequest): Promise<StepResponse> {
    return this.guarded(async () => this.answer(this.played(await this.env.step(this.address(request)))));
  }

  resetMany(requests: readonly ResetRequest[]): Promise<Outcome<ResetResponse>[]> {
    return this.guarded(async () =>
      this.outcomes(this.playedAll(await this.env.resetMany(requests.map((r) => this.address(r)))), (v) => this.answer(v)),
    );
  }

  stepMany(requests: readonly StepRequest[]): Promise<Outcome<StepResponse>[]> {
    return this.guarded(async () =>
      this.outcomes(this.playedAll(await this.env.stepMany(requests.map((r) => this.address(r)))), (v) => this.answer(v)),
    );
  }

  /** The caller's episodes (its namespace only), in its ids, with who plays each. */
  listEpisodes(query: EpisodeListQuery): Promise<ListEpisodesResponse> {
    return this.guarded(async () => {
      const page = await this.env.listEpisodes({ ...query, idPrefix: this.prefix + query.idPrefix });
      const episodes = this.playedBy.annotate(page.episodes).map((summary) => ({ ...summary, state: this.outerState(summary.state) }));
      return { ...page, episodes };
    });
  }

  /** Outcomes in the caller's ids. */
  outcomes<T>(outcomes: Outcome<T>[], map: (value: T) => T): Outcome<T>[] {
    if (this.prefix === "") return outcomes;
    return outcomes.map((o) => (o.ok ? { ok: true, value: map(o.value) } : { ok: false, error: this.failure(o.error) as EnvError }));
  }

  getObservation(request: GetObservationRequest): Promise<GetObservationResponse> {
    return this.guarded(async () => this.answer(await this.env.getObservation(this.address(request))));
  }

  getState(request: GetStateRequest): Promise<GetStateResponse> {
    return this.guarded(async () => {
      const response = await this.env.getState(this.address(request));
      return this.prefix === "" ? response : { ...response, state: this.outerState(response.state) };
    });
  }

  closeEpisode(request: CloseEpisodeRequest): Promise<CloseEpisodeResponse> {
    return this.guarded(async () => {
      const addressed = this.address(request);
      const response = await this.env.closeEpisode(addressed);
      if (response.state) this.playedBy.forget(response.state.episodeId);
      if (this.scope !== undefined && this.defaults.get(this.scope) === addressed.episodeId) this.defaults.delete(this.scope);
      return this.prefix === "" ? response : { ...response, state: this.outerState(response.state) };
    });
  }

  streamLogs(request: StreamLogsRequest, options?: StreamOptions): Promise<AsyncIterable<StreamLogsResponse>> {
    return this.guarded(() => this.env.streamLogs(this.address(request), options));
  }

  streamEpisodeEvents(request: StreamEpisodeEventsRequest, options?: StreamOptions): Promise<AsyncIterable<StreamEpisodeEventsResponse>> {
    return this.guarded(() => this.env.streamEpisodeEvents(this.address(request), options));
  }

  streamIsOver(episodeId: string | undefined, stream: StreamName, afterSeq: number): Promise<boolean> {
    return this.guarded(() => this.env.streamIsOver(this.inner(episodeId), stream, afterSeq));
  }

  sweep(): Awaitable<number> {
    return this.env.sweep();
  }

  shutdown(): Promise<void> {
    return this.env.shutdown();
  }
}

/**
 * Pre-encoded resets and steps through a view without a namespace (ids cross unchanged). Who plays
 * is recorded by the id the request names (or the scope's default); a request for the
 * environment's own default episode, whose id only the answer tells, is answered decoded and
 * encoded here instead, so that its player is known too. Batch items without an episode_id are
 * not recorded (their ids are made inside the environment): they list with an empty transport.
 */
function preEncodingOf(view: CallerView, env: EnvironmentApi & PreEncodingEnvironment): PreEncodingEnvironment {
  const note = (id: string | undefined): void => {
    if (id !== undefined) view.played({ episodeId: id });
  };
  return {
    resetEncoded: async <F extends WireFormat>(request: ResetRequest, format: F): Promise<WireForms[F]> => {
      if (request.episodeId !== undefined) {
        const answer = await env.resetEncoded(request, format);
        note(request.episodeId);
        return answer;
      }
      if (view.scope === undefined) return encodeAs(ResetResponseSchema, await view.reset(request), format);
      return view.newDefault(request, async (r) => {
        const answer = await env.resetEncoded(r, format);
        note(r.episodeId);
        return answer;
      });
    },
    stepEncoded: async <F extends WireFormat>(request: StepRequest, format: F): Promise<WireForms[F]> => {
      const addressed = view.address(request);
      if (addressed.episodeId === undefined) return encodeAs(StepResponseSchema, await view.step(request), format);
      const answer = await env.stepEncoded(addressed, format);
      note(addressed.episodeId);
      return answer;
    },
    resetManyEncoded: async <F extends WireFormat>(requests: readonly ResetRequest[], format: F) => {
      const outcomes = await env.resetManyEncoded(requests, format);
      outcomes.forEach((outcome, i) => outcome.ok && note(requests[i]?.episodeId));
      return outcomes;
    },
    stepManyEncoded: async <F extends WireFormat>(requests: readonly StepRequest[], format: F) => {
      const outcomes = await env.stepManyEncoded(requests, format);
      outcomes.forEach((outcome, i) => outcome.ok && note(requests[i]?.episodeId));
      return outcomes;
    },
  };
}

/** State texts through a view without a namespace: the id the caller names (or its scope's default) is the environment's. */
function stateTextOf(view: CallerView, env: EnvironmentApi & StateTextEnvironment): StateTextEnvironment {
  return { stateText: async (request) => env.stateText(view.address(request)) };
}
