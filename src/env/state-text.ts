/**
 * An episode's state as GET /state sends it: the REST JSON text of src/json/rest-json.ts. Reading
 * the state is the most frequent request and the state changes only when the episode does, so
 * the text is made once per change (Episode.revision) instead of walking the message by
 * reflection on every read.
 */
import { create } from "@bufbuild/protobuf";
import { EpisodeStateSchema, type EpisodeState } from "../../gen/incident/v1/episode_pb.js";
import { restJsonText } from "../json/rest-json-text.js";
import type { Episode } from "./episode.js";

/** The REST JSON text of a state (of an empty one when there is none, as GET /state answers then). */
export function stateText(state: EpisodeState | undefined): string {
  return restJsonText(EpisodeStateSchema, state ?? create(EpisodeStateSchema));
}

/** The state text of built episodes, each kept with the revision it was made at (a WeakMap: it goes when the episode does). */
export class StateTexts {
  private readonly kept = new WeakMap<Episode, { revision: number; text: string }>();

  /** The episode's state text now: a live clock's due minutes run first, as state() runs them. */
  of(episode: Episode): string {
    episode.catchUp();
    const kept = this.kept.get(episode);
    if (kept !== undefined && kept.revision === episode.revision) return kept.text;
    const text = stateText(episode.state());
    // Read after state(): its own catch-up may have run another minute.
    this.kept.set(episode, { revision: episode.revision, text });
    return text;
  }
}
