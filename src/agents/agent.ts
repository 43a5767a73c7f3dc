/**
 * An agent: observation in, action out. Baselines and test policies implement this one interface.
 */
import type { Action } from "../../gen/incident/v1/action_pb.js";
import type { Observation } from "../../gen/incident/v1/observation_pb.js";

export interface Agent {
  readonly name: string;
  /** The next action for this observation. Agents may keep state between calls of one episode. */
  act(observation: Observation): Action;
}

/**
 * An agent that may take its time: a model behind an HTTP API answers asynchronously. Every Agent
 * is also an AsyncAgent; the evaluation runner (src/eval) plays either kind.
 */
export interface AsyncAgent {
  readonly name: string;
  act(observation: Observation): Action | Promise<Action>;
  /** Counters worth reporting (model calls, retries, fallbacks...), if the agent keeps any. */
  stats?(): Readonly<Record<string, number>>;
}
