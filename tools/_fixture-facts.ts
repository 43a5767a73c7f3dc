import { generateIncident } from "../src/scenarios/generate-incident.js";
import { HONEST_FAULTS } from "../test/fixtures/honest-faults.js";
import { HONEST_DOCUMENTS } from "../test/fixtures/honest-documents.js";
const cases: Array<[string, "medium" | "hard", number]> = [];
for (const [kind, a] of Object.entries(HONEST_FAULTS)) { cases.push([kind, "medium", a.medium.seed], [kind, "hard", a.hard.seed]); }
for (const d of HONEST_DOCUMENTS) cases.push([d.fault, d.level, d.seed]);
for (const [kind, level, seed] of cases) {
  const { spec, world } = generateIncident(level, seed, { faultKind: kind as never });
  const page = world.page();
  console.log(kind, level, seed, spec.root, spec.onsetMinute, page?.node, page?.firedAtMinute, page?.metric);
}
