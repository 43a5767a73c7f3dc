/**
 * The values of an incident's text placeholders ({root}, {caller}, {version}, {detail:x}...; the
 * list is in src/sim/fault-types.ts), and the one function that fills them.
 */
import type { IncidentSpec } from "./incident.js";
import { KIND_PROFILES, type NodeKind } from "./model.js";
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
  // Certificate dates as openssl prints them: expired at the onset, renewed for 90 days.
  const onsetMs = spec.startedAtMs + spec.onsetMinute * 60_000;
  vars.expired_at = opensslDate(onsetMs);
  vars.renewed_until = opensslDate(onsetMs + 90 * 86_400_000);
  const misconfigured = spec.fault.misconfiguredAlert;
  if (misconfigured) {
    const rule = misconfiguredThreshold(spec, root.kind);
    vars.misfire_threshold = String(rule.misfire);
    vars.real_threshold = String(rule.real);
  }
  for (const [name, value] of Object.entries(spec.details)) vars[`detail:${name}`] = value;
  return vars;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "Aug 26 10:39:00 2026 GMT", as openssl prints a certificate's notAfter. */
function opensslDate(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number): string => String(n).padStart(2, "0");
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, " ")} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:00 ${d.getUTCFullYear()} GMT`;
}

/**
 * The thresholds of a false alarm's misconfigured rule on the root: the node's real one and the
 * one the bad change set (a share of the real one, below the healthy level, so healthy readings
 * cross it).
 */
export function misconfiguredThreshold(spec: IncidentSpec, kind: NodeKind): { real: number; misfire: number } {
  const rule = spec.fault.misconfiguredAlert;
  const profile = rule ? KIND_PROFILES[kind][rule.metric] : undefined;
  if (!rule || !profile) return { real: 0, misfire: 0 };
  return { real: profile.threshold, misfire: Math.max(1, Math.round(profile.threshold * rule.thresholdOverReal)) };
}

/**
 * Fills placeholders; `{n}` takes `n()` (a small varying number), unknown ones stay as written.
 * `extra` overrides `vars` (as {...vars, ...extra} would, without copying them for every line).
 */
export function fillTemplate(
  template: string,
  vars: Readonly<Record<string, string>>,
  n: () => string = () => "",
  extra?: Readonly<Record<string, string>>,
): string {
  if (!template.includes("{")) return template;
  const parts = compiled(template);
  const filled: string[] = [parts[0] ?? ""];
  for (let i = 1; i < parts.length; i += 2) {
    const key = parts[i] as string;
    filled.push(
      key === "n" ? n() : ((extra !== undefined && Object.hasOwn(extra, key) ? extra[key] : vars[key]) ?? `{${key}}`),
      parts[i + 1] ?? "",
    );
  }
  // join makes one flat string: log lines are kept for the whole episode, and a string built with
  // += would keep every piece (a rope) alive.
  return filled.join("");
}

const PLACEHOLDER = /\{([a-z_]+(?::[a-z_]+)?)\}/g;
/** Most templates kept split; they come from the fault and line catalogues, so a few hundred in practice. */
const MAX_COMPILED = 4096;
const compiledTemplates = new Map<string, readonly string[]>();

/** A template split at its placeholders: text, key, text, key, ..., text. */
function compiled(template: string): readonly string[] {
  let parts = compiledTemplates.get(template);
  if (parts === undefined) {
    const split: string[] = [];
    let last = 0;
    for (const match of template.matchAll(PLACEHOLDER)) {
      split.push(template.slice(last, match.index), match[1] as string);
      last = match.index + match[0].length;
    }
    split.push(template.slice(last));
    parts = split;
    if (compiledTemplates.size >= MAX_COMPILED) compiledTemplates.clear();
    compiledTemplates.set(template, parts);
  }
  return parts;
}
