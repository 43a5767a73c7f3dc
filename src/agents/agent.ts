/**
 * An agent: observation in, action out. Baselines and test policies implement this one interface.
 */
import type { Action } from "../../gen/incident/v1/action_pb.js";
import type { StepInfo } from "../../gen/incident/v1/episode_pb.js";
import type { Observation } from "../../gen/incident/v1/observation_pb.js";

/** What a step returned besides the observation: the reward and the environment's info. */
export interface StepReturn {
  reward: number;
  done: boolean;
  info: StepInfo | undefined;
}

export interface Agent {
  readonly name: string;
  /** The next action for this observation. Agents may keep state between calls of one episode. */
  act(observation: Observation): Action;
  /**
   * Called with each step's reward and info before the next act. Agents learn from whatever the
   * environment returns; the probing policies (./answer-free.ts) use it to look for leaks.
   */
  observeStep?(step: StepReturn): void;
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

/**
 * Thrown by an agent that cannot play at all, e.g. its model endpoint is unreachable or refuses it
 * (wrong URL, bad key, unknown model). The evaluation runner stops there: the episodes it has not
 * played are counted as errors with this message, rather than played by a fallback.
 */
export class AgentUnavailableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "AgentUnavailableError";
  }
}
