/** The names of the agents the evaluation runner can play (kept light: the CLI checks them before loading any agent). */
export const AGENT_NAMES = ["heuristic", "random", "oracle", "llm"] as const;
export type AgentName = (typeof AGENT_NAMES)[number];

export function isAgentName(name: string): name is AgentName {
  return (AGENT_NAMES as readonly string[]).includes(name);
}
