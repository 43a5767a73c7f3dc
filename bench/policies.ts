/**
 * Mean score of every answer-free policy, cheating policy, the random agent, the heuristic and the
 * oracle, per level, over a seed range (default: 200 held-out seeds). For the README and bench.
 *   npm run bench:policies -- [first-seed] [count] [levels] [policies]
 */
import { create } from "@bufbuild/protobuf";
import { TaskLevel } from "../gen/incident/v1/enums_pb.js";
import { ResetRequestSchema } from "../gen/incident/v1/service_pb.js";
import { ANSWER_FREE_NAMES, answerFreeAgent } from "../src/agents/answer-free.js";
import { CHEAT_NAMES, cheatAgent } from "../src/agents/cheats.js";
import { heuristicAgent } from "../src/agents/heuristic/index.js";
import { oracleAgent } from "../src/agents/oracle.js";
import { randomAgent } from "../src/agents/random.js";
import { runEpisode, type AgentFactory } from "../src/agents/run-episode.js";
import { IncidentEnvironment } from "../src/env/environment.js";
import { enumFromWord } from "../src/sim/enum-words.js";

const first = Number(process.argv[2] ?? 3_000_000_000);
const count = Number(process.argv[3] ?? 200);
const levels = (process.argv[4] ?? "easy,medium,hard,expert").split(",");
const only = process.argv[5]?.split(",");

const policies: Array<[string, (seed: number) => AgentFactory]> = [
  ...ANSWER_FREE_NAMES.map((n): [string, (seed: number) => AgentFactory] => [n, () => () => answerFreeAgent(n)]),
  ...CHEAT_NAMES.map((n): [string, (seed: number) => AgentFactory] => [n, () => () => cheatAgent(n)]),
  ["random", (seed) => () => randomAgent(seed)],
  ["heuristic", () => () => heuristicAgent()],
  ["oracle", () => (record) => oracleAgent(record().spec, () => record().world)],
];
const env = new IncidentEnvironment({ limits: { maxLiveEpisodes: 10 } });
console.log(`seeds ${first}..${first + count - 1}`);
console.log(["policy", ...levels].map((s) => s.padEnd(28)).join(""));
for (const [name, make] of policies) {
  if (only && !only.includes(name)) continue;
  const row = [name.padEnd(28)];
  for (const level of levels) {
    let sum = 0;
    for (let i = 0; i < count; i++) {
      const seed = first + i;
      sum += runEpisode(
        env,
        make(seed),
        create(ResetRequestSchema, { taskLevel: enumFromWord(TaskLevel, level) ?? TaskLevel.UNSPECIFIED, seed, episodeId: "m" }),
      ).score;
    }
    row.push((sum / count).toFixed(3).padEnd(28));
  }
  console.log(row.join(""));
}
