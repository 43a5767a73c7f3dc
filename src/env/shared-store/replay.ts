/**
 * Episodes from what the store keeps: the resolved reset request (seed and id filled in) and the
 * committed actions. Episodes are deterministic, so the same request and actions rebuild a
 * byte-identical episode on any replica: observations, rewards and journal numbers included.
 */
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { ActionSchema, type Action } from "../../../gen/incident/v1/action_pb.js";
import { ObservationDetail } from "../../../gen/incident/v1/enums_pb.js";
import { ResetRequestSchema, type ResetRequest } from "../../../gen/incident/v1/service_pb.js";
import { EpisodeEventSchema } from "../../../gen/incident/v1/stream_pb.js";
import { LogEntrySchema } from "../../../gen/incident/v1/telemetry_pb.js";
import { IncidentEnvironment } from "../environment.js";
import { Episode } from "../episode.js";
import { EnvError } from "../errors.js";
import { encodeKeptAction } from "../kept-action.js";
import { TASKS } from "../tasks.js";
import type { JournalWrites } from "./store-client.js";

/** What episodes are built with: the same on every replica, or replays would differ. */
export interface EpisodeLimits {
  maxLogLines: number;
  maxEvents: number;
}

/**
 * A new turn-based episode for a reset request, and the request as stored: the seed drawn and the
 * id given, so that building from the stored request gives the same episode again.
 */
export function buildEpisode(request: ResetRequest, id: string, limits: EpisodeLimits): { episode: Episode; stored: ResetRequest } {
  const { level, world, seed } = IncidentEnvironment.buildWorld(request);
  const stored = create(ResetRequestSchema, { ...request, seed, episodeId: id });
  const episode = new Episode(id, TASKS[level], seed, world, {
    maxLogLines: limits.maxLogLines,
    maxEvents: limits.maxEvents,
    detail: request.observation === ObservationDetail.FULL ? "full" : "lean",
    text: request.text === true,
  });
  return { episode, stored };
}

/** Rebuilds an episode from its stored reset request and actions. */
export function replayEpisode(reset: Uint8Array, actions: readonly Uint8Array[], limits: EpisodeLimits): Episode {
  const stored = fromBinary(ResetRequestSchema, reset);
  if (stored.episodeId === undefined) throw new EnvError("internal", "a stored reset request has no episode id");
  const { episode } = buildEpisode(stored, stored.episodeId, limits);
  applyActions(episode, actions);
  return episode;
}

/** Applies committed actions to a copy of their episode. */
export function applyActions(episode: Episode, actions: readonly Uint8Array[]): void {
  for (const action of actions) episode.step(fromBinary(ActionSchema, action));
}

/** An action as the store keeps it: without the client's metadata or unknown fields (src/env/kept-action.ts). */
export function encodeAction(action: Action): Uint8Array {
  return encodeKeptAction(action);
}

export function encodeReset(request: ResetRequest): Uint8Array {
  return toBinary(ResetRequestSchema, request);
}

/** The last numbers of an episode's journals: where the entries of its next change will start. */
interface JournalMarks {
  logs: number;
  events: number;
}

export function journalMarks(episode: Episode): JournalMarks {
  return { logs: episode.logs.nextSeq - 1, events: episode.events.nextSeq - 1 };
}

/** The entries an episode's journals gained since `marks`, encoded for the store. */
export function journalWrites(episode: Episode, marks: JournalMarks): JournalWrites {
  return {
    logs: episode.logs.after(marks.logs).map(({ entry, seq }) => ({ seq, blob: toBinary(LogEntrySchema, episode.logEntryOf(entry)) })),
    events: episode.events
      .after(marks.events)
      .map(({ entry, seq, stamp }) => ({ seq, blob: toBinary(EpisodeEventSchema, episode.eventOf(entry, seq, stamp)) })),
    logSeq: episode.logs.nextSeq - 1,
    eventSeq: episode.events.nextSeq - 1,
  };
}
