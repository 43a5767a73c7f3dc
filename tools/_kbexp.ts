import { FAULT_KINDS, FAULTS, strikes } from "../src/scenarios/faults/index.js";
import { KB_POOL, articlesFitting } from "../src/scenarios/kb/pool.js";
import type { KbPoolArticle } from "../src/scenarios/kb/types.js";
import { Rng } from "../src/sim/prng.js";
import type { NodeKind } from "../src/sim/model.js";
type F = (typeof FAULT_KINDS)[number];
const variant = process.argv[2] ?? "least";
function mis(fault: F, helpful: KbPoolArticle, kind: NodeKind): KbPoolArticle[] {
  const wrong = KB_POOL.filter((a) => a !== helpful && !a.fits.includes(fault));
  const plausible = wrong.filter((a) => a.symptoms.some((s) => helpful.symptoms.includes(s)));
  const pool = plausible.length > 0 ? plausible : wrong;
  const overlap = (a: KbPoolArticle) => a.fits.filter((f) => helpful.fits.includes(f)).length;
  const same = (xs: KbPoolArticle[]) => { const s = xs.filter((a) => a.fits.some((f) => strikes(FAULTS[f], kind))); return s.length ? s : xs; };
  if (variant === "least") { const l = Math.min(...pool.map(overlap)); return pool.filter((a) => overlap(a) === l); }
  if (variant === "least-kind") { const l = Math.min(...pool.map(overlap)); return same(pool.filter((a) => overlap(a) === l)); }
  if (variant === "kind") return same(pool);
  if (variant === "kind-le1") return same(pool.filter((a) => overlap(a) <= 1));
  return pool;
}
const rng = new Rng(7);
const pairs = new Map<string, Map<string, number>>(); let cheat = 0; const N = 20000;
for (let i = 0; i < N; i++) {
  const fault = rng.pick(FAULT_KINDS) as F;
  const kinds = [...FAULTS[fault].injectable, ...(FAULTS[fault].occasionalHosts ?? [])];
  const kind = rng.chance(0.7) ? FAULTS[fault].injectable[0]! : rng.pick(kinds);
  const helpful = rng.pick(articlesFitting(fault));
  const m = rng.pick(mis(fault, helpful, kind));
  const key = [helpful.key, m.key].sort().join("+");
  const fm = pairs.get(key) ?? new Map(); fm.set(fault, (fm.get(fault) ?? 0) + 1); pairs.set(key, fm);
  const union = new Set([...helpful.fits, ...m.fits]);
  const guess = FAULT_KINDS.find((f) => union.has(f) && strikes(FAULTS[f], kind));
  if (guess === fault) cheat++;
}
let worst = 0, right = 0, worstKey = "";
for (const [k, fm] of pairs) { const c = [...fm.values()]; const t = c.reduce((a, b) => a + b, 0); const top = Math.max(...c); right += top; if (t >= N / 100 && top / t > worst) { worst = top / t; worstKey = k; } }
console.log(variant, "pairs", pairs.size, "worst", worst.toFixed(2), worstKey, "guess", (right / N).toFixed(3), "kindcheat", (cheat / N).toFixed(3));
// per fault breakdown
const per = new Map<string, [number, number]>();
const r2 = new Rng(9);
for (let i = 0; i < N; i++) {
  const fault = r2.pick(FAULT_KINDS) as F;
  const kind = FAULTS[fault].injectable[0]!;
  const helpful = r2.pick(articlesFitting(fault));
  const m = r2.pick(mis(fault, helpful, kind));
  const union = new Set([...helpful.fits, ...m.fits]);
  const guess = FAULT_KINDS.find((f) => union.has(f) && strikes(FAULTS[f], kind));
  const p = per.get(fault) ?? [0, 0]; p[0]++; if (guess === fault) p[1]++; per.set(fault, p);
}
console.log([...per].map(([f, [n, c]]) => `${f}:${(c / n).toFixed(2)}`).join(" "));
