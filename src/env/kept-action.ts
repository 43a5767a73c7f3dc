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
import { toBinary } from "@bufbuild/protobuf";
import { ActionSchema, type Action, type PostmortemSections, type Remediation } from "../../gen/incident/v1/action_pb.js";

/** The action as the store keeps it: protobuf, without metadata or unknown fields. */
export function encodeKeptAction(action: Action): Uint8Array {
  return toBinary(ActionSchema, { ...action, metadata: undefined }, { writeUnknownFields: false });
}

/**
 * A copy of the action without metadata or unknown fields (see the module comment): exactly what
 * decoding encodeKeptAction's bytes gives (the same fields, set in the same order, and text as
 * UTF-8 carries it), so an episode rebuilt from the store reads the same action as the one that
 * applied it. Copied field by field rather than through the bytes: a step spends a few
 * microseconds less (test/kept-action.test.ts checks the two against each other).
 */
export function keptAction(action: Action): Action {
  const kept: Action = {
    $typeName: "incident.v1.Action",
    actionType: action.actionType,
    reasoning: utf8(action.reasoning),
    runbookSteps: action.runbookSteps.map(utf8),
  };
  if (action.targetService !== undefined) kept.targetService = utf8(action.targetService);
  if (action.severityAssessment !== undefined) kept.severityAssessment = action.severityAssessment;
  if (action.postmortemSections !== undefined) kept.postmortemSections = keptSections(action.postmortemSections);
  if (action.remediation !== undefined) kept.remediation = keptRemediation(action.remediation);
  if (action.faultKind !== undefined) kept.faultKind = action.faultKind;
  return kept;
}

function keptSections(s: PostmortemSections): PostmortemSections {
  return {
    $typeName: "incident.v1.PostmortemSections",
    summary: utf8(s.summary),
    timeline: utf8(s.timeline),
    rootCause: utf8(s.rootCause),
    impact: utf8(s.impact),
    actionItems: utf8(s.actionItems),
    trigger: utf8(s.trigger),
    resolution: utf8(s.resolution),
    detection: utf8(s.detection),
    lessonsLearned: utf8(s.lessonsLearned),
  };
}

function keptRemediation(r: Remediation): Remediation {
  const parameters: Record<string, string> = {};
  for (const [key, value] of Object.entries(r.parameters)) parameters[utf8(key)] = utf8(value);
  return { $typeName: "incident.v1.Remediation", kind: r.kind, parameters };
}

/**
 * The text as UTF-8 carries it: a lone surrogate (JSON may hold one, as "\ud800") becomes U+FFFD,
 * as protobuf's encoder writes it.
 */
function utf8(text: string): string {
  return text.isWellFormed() ? text : text.toWellFormed();
}
