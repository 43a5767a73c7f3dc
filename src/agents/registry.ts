/**
 * The agents the evaluation runner and the CLI can play, by name.
 */
import type { EpisodeRecord } from "../grading/record.js";
import type { AsyncAgent } from "./agent.js";
import { heuristicAgent } from "./heuristic/index.js";
import { llmAgent, openAIClient, type LlmConfig } from "./llm.js";
import { oracleAgent } from "./oracle.js";
import type { AgentName } from "./names.js";
import { randomAgent } from "./random.js";

/** What an agent may know about the episode it is built for. */
export interface EpisodeContext {
  task: "easy" | "medium" | "hard" | "expert";
  seed: number;
  episodeId: string;
  /** The episode's full record, ground truth included: only in process. */
  record?: () => EpisodeRecord;
}

export interface AgentEntry {
  name: string;
  description: string;
  /** Reads the episode's ground truth, so it can only run in process. */
  groundTruth: boolean;
  make(context: EpisodeContext): AsyncAgent;
}

interface RegistryOptions {
  /** Needed by the llm agent. */
  llm?: () => LlmConfig;
}

export { AGENT_NAMES, isAgentName, type AgentName } from "./names.js";

export function agentEntry(name: AgentName, options: RegistryOptions = {}): AgentEntry {
  switch (name) {
    case "heuristic":
      return {
        name,
        description:
          "rule-based SRE: follows the anomalous signals, inspects, applies the playbook's fix, writes up what it saw (observations only)",
        groundTruth: false,
        make: () => heuristicAgent(),
      };
    case "random":
      return {
        name,
        description: "uniformly random actions, seeded by the episode seed (a floor)",
        groundTruth: false,
        make: (c) => randomAgent(c.seed),
      };
    case "oracle":
      return {
        name,
        description: "reads the ground truth (an upper bound); in process only",
        groundTruth: true,
        make: (c) => {
          const record = c.record;
          if (!record) throw new Error("the oracle reads the episode's ground truth and runs only in process (drop --url)");
          return oracleAgent(record().spec, () => record().world);
        },
      };
    case "llm": {
      const config = options.llm;
      if (!config) throw new Error("the llm agent needs a model configuration");
      // One client for every episode of a run.
      const resolved = config();
      const client = openAIClient(resolved);
      return {
        name,
        description: `OpenAI-compatible chat model ${resolved.model}${resolved.baseURL ? ` at ${resolved.baseURL}` : ""}`,
        groundTruth: false,
        make: () => llmAgent(resolved, client),
      };
    }
  }
}
