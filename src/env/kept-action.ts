/**
 * What an episode keeps of an action: every field the environment reads, and nothing a client
 * added for itself.
 *
 * An episode keeps every action it applied: the graders read them, a sleeping episode
 * (WARM_EPISODES) is its reset request and its actions, and the shared store (EPISODE_STORE)
 * commits them to Valkey/Redis. Two parts of an action are ignored by the environment and would
 * only cost memory there, up to MAX_BODY_BYTES per step:
 * - `metadata`, the client's free-form data (OpenEnv clients send "metadata" with every step);
 * - unknown fields, which a binary (gRPC, Connect) client may send and protobuf would keep and
 *   write back.
 * So both are dropped when the action is applied; what the agent sees does not change.
 */
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { ActionSchema, type Action } from "../../gen/incident/v1/action_pb.js";

/** The action as the store keeps it: protobuf, without metadata or unknown fields. */
export function encodeKeptAction(action: Action): Uint8Array {
  return toBinary(ActionSchema, { ...action, metadata: undefined }, { writeUnknownFields: false });
}

/** A copy of the action without metadata or unknown fields (see the module comment). */
export function keptAction(action: Action): Action {
  return fromBinary(ActionSchema, encodeKeptAction(action));
}
