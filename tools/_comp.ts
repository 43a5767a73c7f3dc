import { create } from "@bufbuild/protobuf";
import { ResetRequestSchema } from "../gen/incident/v1/service_pb.js";
import { answerFreeAgent } from "../src/agents/answer-free.js";
import { runEpisode } from "../src/agents/run-episode.js";
import { IncidentEnvironment } from "../src/env/environment.js";
const env = new IncidentEnvironment({ limits: { maxLiveEpisodes: 10 } });
const level = Number(process.argv[2] ?? 2); const name = process.argv[3] ?? "kb_lookup";
const sums = new Map<string, number>(); let total = 0; const N = Number(process.env.N ?? 100);
const byFault = new Map<string, number[]>();
for (let i = 0; i < N; i++) {
  const seed = (Number(process.env.BASE ?? 3_000_000_000)) + i;
  const r = runEpisode(env, () => answerFreeAgent(name), create(ResetRequestSchema, { taskLevel: level, seed, episodeId: "c" }));
  const b = r.responses.at(-1)?.info?.breakdown;
  for (const c of b?.components ?? []) sums.set(c.name, (sums.get(c.name) ?? 0) + c.score * c.weight);
  total += r.score;
  const f = env.episodeRecord("c").spec.fault.kind; byFault.set(f, [...(byFault.get(f) ?? []), r.score]);
}
console.log("score", (total / N).toFixed(3), Object.fromEntries([...sums].map(([k, v]) => [k, +(v / N).toFixed(3)])));
for (const [f, s] of [...byFault].sort()) console.log(f.padEnd(28), s.length, (s.reduce((a, b) => a + b, 0) / s.length).toFixed(2));
