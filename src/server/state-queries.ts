/**
 * GET /state and GET /episodes/:episode_id name an episode; the id becomes a GetStateRequest
 * checked against its proto rules. Reads repeat the same few ids (an agent polls its episode), and
 * reading the JSON and running the rules (an RE2 pattern) cost more than answering from the kept
 * state text, so the ids that passed are remembered: the check is a pure function of the id, and a
 * remembered id is known to pass it. Anything else (no id, a repeated query parameter, an id not
 * seen yet) takes the full path, with its error for bad input.
 */
import { create } from "@bufbuild/protobuf";
import { GetStateRequestSchema, type GetStateRequest } from "../../gen/incident/v1/service_pb.js";
import { fromRestJson } from "../json/rest-json.js";
import { validated } from "../json/validation.js";

/** Ids remembered at most; past it the memory starts over. */
const REMEMBERED_IDS = 4096;

/** A checker of state queries with a memory of its own (one per route table). */
export function stateQueries(): (episodeId: unknown) => GetStateRequest {
  const passed = new Set<string>();
  return (episodeId) => {
    // What fromRestJson makes of {"episode_id": <a string>}.
    if (typeof episodeId === "string" && passed.has(episodeId)) return create(GetStateRequestSchema, { episodeId });
    const query = validated(
      GetStateRequestSchema,
      fromRestJson(GetStateRequestSchema, episodeId === undefined ? {} : { episode_id: episodeId }),
    );
    if (typeof episodeId === "string") {
      if (passed.size >= REMEMBERED_IDS) passed.clear();
      passed.add(episodeId);
    }
    return query;
  };
}
