/**
 * An inspect or a diagnose must name one service of the episode's system: one that names none is
 * refused with invalid_argument before anything happens, so it costs no step and ends nothing.
 *
 * A diagnose commits the answer on the easy task, and before this check a typo ("postgress-db")
 * ended the episode with 0. The topology is in every observation, so refusing an unknown name
 * tells the agent nothing it could not read: the message says only that no such service exists
 * (never which one is at fault, and not the closest name either, which a wrong guess could probe).
 * apply_fix and escalate keep their own handling: an unknown apply_fix target changes nothing and
 * says so, and escalate may page a team outside the system (a provider).
 */
import type { Action } from "../../gen/incident/v1/action_pb.js";
import { ActionType } from "../../gen/incident/v1/enums_pb.js";
import { EnvError } from "./errors.js";

const NEEDS_A_SERVICE_OF_THE_SYSTEM: ReadonlySet<ActionType> = new Set([ActionType.INSPECT, ActionType.DIAGNOSE]);

/** The field of the violation, as the REST dialect spells it. */
const FIELD = "action.target_service";

/** Throws EnvError invalid_argument when the action names a service that `resolved` (its match in the topology) says does not exist. */
export function checkTargetExists(action: Action, resolved: string | undefined): void {
  const named = action.targetService?.trim();
  if (!named || resolved !== undefined || !NEEDS_A_SERVICE_OF_THE_SYSTEM.has(action.actionType)) return;
  const message = `${JSON.stringify(named)} does not name one service of this system; see observation.topology (nothing was done, no step was used)`;
  throw new EnvError("invalid_argument", `${FIELD}: ${message}`, [{ field: FIELD, rule: "target_service.in_topology", message }]);
}
