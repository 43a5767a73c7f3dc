import { create } from "@bufbuild/protobuf";
import { ResetRequestSchema } from "../gen/incident/v1/service_pb.js";
import { IncidentEnvironment } from "../src/env/environment.js";
import { kbWordingById } from "../src/scenarios/kb/index.js";
import { FAULT_KINDS, FAULTS } from "../src/scenarios/faults/index.js";
const env = new IncidentEnvironment({ limits: { maxLiveEpisodes: 10 } });
const level = Number(process.argv[2] ?? 1);
const stats = new Map<string, { n: number; svc: number; both: number; chronicSameKind: number }>();
for (let i = 0; i < 300; i++) {
  const seed = 3_000_000_000 + i;
  const r = env.reset(create(ResetRequestSchema, { taskLevel: level, seed, episodeId: "d" }));
  const o = r.observation!;
  const rec = env.episodeRecord("d");
  const truth = rec.spec.fault.kind;
  const score = new Map<string, number>();
  for (const m of o.metrics) score.set(m.serviceName, Math.max(score.get(m.serviceName) ?? 0, m.threshold > 0 ? m.value / m.threshold : 0));
  for (const a of o.activeAlerts) for (const s of a.affectedServices) score.set(s, (score.get(s) ?? 0) + 1);
  const ranked = [...score.entries()].sort((a, b) => b[1] - a[1]).map(([s]) => s);
  const fits = new Set<string>();
  for (const a of o.kbArticles) for (const f of kbWordingById(a.articleId)?.article.fits ?? []) fits.add(f);
  const cands = FAULT_KINDS.filter((f) => fits.has(f));
  const kindOf = (s: string) => rec.spec.topology.nodes.find((n) => n.name === s)!.kind;
  let guessS = "", guessF = "";
  for (const s of ranked) { const f = cands.find((c) => FAULTS[c].injectable.includes(kindOf(s))); if (f) { guessS = s; guessF = f; break; } }
  const st = stats.get(truth) ?? { n: 0, svc: 0, both: 0, chronicSameKind: 0 };
  st.n++; if (guessS === rec.spec.root) st.svc++; if (guessS === rec.spec.root && guessF === truth) st.both++;
  if (rec.spec.distractors.some((d) => d.kind === "chronic_anomaly" && kindOf(d.node) === kindOf(rec.spec.root))) st.chronicSameKind++;
  if (process.argv[3] === "v" && guessS === rec.spec.root && i < 40) console.log(truth, rec.spec.root, JSON.stringify([...score.entries()].sort((a,b)=>b[1]-a[1]).slice(0,5).map(([s,v])=>[s,kindOf(s),+v.toFixed(2)])), rec.spec.distractors.filter(d=>d.kind==="chronic_anomaly").map(d=>d.node));
  stats.set(truth, st);
}
let N = 0, S = 0, B = 0;
for (const [f, s] of [...stats].sort()) { N += s.n; S += s.svc; B += s.both; console.log(f.padEnd(28), s.n, "svc", (s.svc / s.n).toFixed(2), "both", (s.both / s.n).toFixed(2), "chronicSameKind", (s.chronicSameKind/s.n).toFixed(2)); }
console.log("all svc", (S / N).toFixed(2), "both", (B / N).toFixed(2));
