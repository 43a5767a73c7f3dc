/**
 * ListEpisodes: which live episodes a caller may see, and who plays each.
 *
 * Environments list their episodes (EnvironmentApi.listEpisodes) in their own ids, filtered by an id
 * prefix: with API keys a caller's episodes are exactly those in its key's namespace
 * (src/env/episode-access.ts), so the filter runs where the episodes are, before the page is cut.
 *
 * Who plays an episode is the transport of the last reset or step that reached it through this
 * server process (PlayedBy, kept by EpisodeAccess beside the episodes, never inside them): it is
 * bookkeeping for people watching, so it cannot change an observation or a reward, and a replay of
 * the same seed and actions is byte for byte the same whoever sent them. On a shared store
 * (EPISODE_STORE), a replica knows the transports of the requests it served; an episode that only
 * other replicas touched is listed with an empty transport.
 */
import { create } from "@bufbuild/protobuf";
import { timestampFromMs, timestampMs } from "@bufbuild/protobuf/wkt";
import { ClientTransport } from "../../gen/incident/v1/enums_pb.js";
import type { EpisodeState } from "../../gen/incident/v1/episode_pb.js";
import { EpisodeSummarySchema, type EpisodeSummary, type ListEpisodesRequest } from "../../gen/incident/v1/service_pb.js";

/** Episodes in one answer when the request names no page_size. */
export const LIST_EPISODES_DEFAULT = 100;
/** The largest page_size (the proto's rule says the same). */
export const LIST_EPISODES_MAX = 500;

/** The transports a caller can reach an episode over; "console" is a person in the browser console (/console). */
export type Transport = "grpc" | "grpc-web" | "connect" | "rest" | "ws" | "mcp" | "console";

const CLIENT_TRANSPORTS: Readonly<Record<Transport, ClientTransport>> = {
  grpc: ClientTransport.GRPC,
  "grpc-web": ClientTransport.GRPC_WEB,
  connect: ClientTransport.CONNECT,
  rest: ClientTransport.REST,
  ws: ClientTransport.WS,
  mcp: ClientTransport.MCP,
  console: ClientTransport.CONSOLE,
};

/** What an environment lists: its episodes whose id starts with idPrefix, at most limit, most recently active first. */
export interface EpisodeListQuery {
  idPrefix: string;
  limit: number;
}

/** The page size a request asks for. */
export function pageSizeOf(request: Pick<ListEpisodesRequest, "pageSize">): number {
  return request.pageSize === 0 ? LIST_EPISODES_DEFAULT : Math.min(request.pageSize, LIST_EPISODES_MAX);
}

/** An episode as a list shows it: the state without the grade (GetState has it), when it was last used; transport not yet known. */
export function summaryOf(state: EpisodeState, lastUsedMs: number): EpisodeSummary {
  return create(EpisodeSummarySchema, { state: { ...state, grade: undefined }, lastActive: timestampFromMs(lastUsedMs) });
}

/** Summaries from several places (worker threads) as one page: the most recently active first. */
export function mergedPage(
  pages: readonly { episodes: readonly EpisodeSummary[]; truncated: boolean }[],
  limit: number,
): { episodes: EpisodeSummary[]; truncated: boolean } {
  const all = pages.flatMap((page) => page.episodes).sort((a, b) => millis(b) - millis(a));
  return { episodes: all.slice(0, limit), truncated: all.length > limit || pages.some((page) => page.truncated) };
}

function millis(summary: EpisodeSummary): number {
  return summary.lastActive ? timestampMs(summary.lastActive) : 0;
}

/**
 * The transport of the last reset or step of each episode, by the environment's episode id. Bounded:
 * entries of episodes that are gone are dropped at each listing, and beyond `capacity` entries the
 * least recently played are forgotten.
 */
export class PlayedBy {
  private readonly plays = new Map<string, { transport: Transport }>();

  constructor(private readonly capacity: number) {}

  note(episodeId: string, transport: Transport): void {
    this.plays.delete(episodeId);
    this.plays.set(episodeId, { transport });
    if (this.plays.size <= this.capacity) return;
    const oldest = this.plays.keys().next();
    if (oldest.done !== true) this.plays.delete(oldest.value);
  }

  forget(episodeId: string): void {
    this.plays.delete(episodeId);
  }

  /** The summaries with the transports known for them. */
  annotate(summaries: readonly EpisodeSummary[]): EpisodeSummary[] {
    return summaries.map((summary) => {
      const play = summary.state ? this.plays.get(summary.state.episodeId) : undefined;
      return play === undefined ? summary : { ...summary, transport: CLIENT_TRANSPORTS[play.transport] };
    });
  }

  get size(): number {
    return this.plays.size;
  }
}
