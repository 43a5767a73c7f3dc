/**
 * The values of an incident's text placeholders ({root}, {caller}, {version}, {detail:x}...; the
 * list is in src/scenarios/fault-types.ts), and the one function that fills them.
 */
import type { IncidentSpec } from "./incident.js";
import type { TopologyIndex } from "./topology.js";

export function placeholderValues(spec: IncidentSpec, index: TopologyIndex): Record<string, string> {
  const root = index.node(spec.root);
  const zones = [...new Set(spec.topology.nodes.map((n) => n.zone).filter((z) => z !== ""))];
  const vars: Record<string, string> = {
    root: root.name,
    caller: index.callers(root.name).find((e) => e.requestPath)?.caller ?? root.name,
    callee: index.callees(root.name).find((e) => e.requestPath)?.callee ?? root.name,
    entry: index.entryPoints().find((n) => n.kind === "gateway")?.name ?? root.name,
    version: root.version,
    previous: spec.previousVersion,
    zone: root.zone || zones[0] || "az1",
    other_zone: zones.find((z) => z !== (root.zone || zones[0])) ?? "az2",
  };
  for (const [name, value] of Object.entries(spec.details)) vars[`detail:${name}`] = value;
  return vars;
}

/** Fills placeholders; `{n}` takes `n()` (a small varying number), unknown ones stay as written. */
export function fillTemplate(template: string, vars: Readonly<Record<string, string>>, n: () => string = () => ""): string {
  return template.replace(/\{([a-z_]+(?::[a-z_]+)?)\}/g, (whole, key: string) => (key === "n" ? n() : (vars[key] ?? whole)));
}
