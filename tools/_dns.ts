import { create } from "@bufbuild/protobuf";
import { ResetRequestSchema } from "../gen/incident/v1/service_pb.js";
import { FaultKind } from "../gen/incident/v1/enums_pb.js";
import { answerFreeAgent } from "../src/agents/answer-free.js";
import { runEpisode } from "../src/agents/run-episode.js";
import { IncidentEnvironment } from "../src/env/environment.js";
const env = new IncidentEnvironment({ limits: { maxLiveEpisodes: 10 } });
const fk = process.argv[2] ?? "DNS_FAILURE";
for (let i = 0; i < 20; i++) {
  const seed = 2147488648 + i;
  const r = runEpisode(env, () => answerFreeAgent("kb_lookup"), create(ResetRequestSchema, { taskLevel: 1, seed, episodeId: "c", faultKind: FaultKind[fk as keyof typeof FaultKind] }));
  const rec = env.episodeRecord("c");
  const diag = r.actions.find((a) => a.actionType === 1);
  const first = r.responses[0]; 
  console.log(seed, rec.spec.root, "->", diag?.targetService, FaultKind[diag?.faultKind ?? 0], r.score.toFixed(2), "covered?", rec.spec.covered?.join(",") ?? "", "overview:", [...new Set(first?.observation?.metrics.map(m=>m.serviceName))].join(" "));
}
