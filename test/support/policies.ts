/** Runs many in-process episodes of a policy and summarises the scores. */
import { create } from "@bufbuild/protobuf";
import { TaskLevel } from "../../gen/incident/v1/enums_pb.js";
import { ResetRequestSchema } from "../../gen/incident/v1/service_pb.js";
import { runEpisode, type AgentFactory } from "../../src/agents/run-episode.js";
import { IncidentEnvironment } from "../../src/env/environment.js";

export const LEVELS = [
  { level: TaskLevel.EASY, word: "easy" },
  { level: TaskLevel.MEDIUM, word: "medium" },
  { level: TaskLevel.HARD, word: "hard" },
  { level: TaskLevel.EXPERT, word: "expert" },
] as const;

export interface Summary {
  mean: number;
  max: number;
  scores: number[];
}

export function playMany(
  makeAgent: (seed: number) => AgentFactory,
  level: TaskLevel,
  seeds: readonly number[],
  extra: Partial<{ faultKind: number }> = {},
): Summary {
  const env = new IncidentEnvironment({ limits: { maxLiveEpisodes: 10 } });
  const scores = seeds.map(
    (seed) => runEpisode(env, makeAgent(seed), create(ResetRequestSchema, { taskLevel: level, seed, episodeId: "policy", ...extra })).score,
  );
  return { mean: scores.reduce((a, b) => a + b, 0) / Math.max(1, scores.length), max: Math.max(0, ...scores), scores };
}

export function range(from: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => from + i);
}
