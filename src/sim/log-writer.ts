/**
 * Log lines written from the simulation's state, minute by minute.
 *
 * The root prints the fault's own signature lines; its callers print what they see of it (for a
 * root nobody calls on the request path, the nodes that reach it otherwise, see `witnesses`); the
 * nodes it calls print the fault's callee lines, if it has any; other
 * failing nodes print generic dependency errors about their worst callee; the entry point prints
 * failed user requests. Lines of one minute along the path from the entry to the root share a
 * trace id, as one request's lines would. Changes (deploys, config pushes) are printed by the
 * config system. Distractors print their own lines and healthy nodes print routine ones, so not
 * every line is about the incident.
 *
 * Every line is printed in the incident's phrasing (public or held-out, src/sim/phrasing.ts); the
 * wording comes from its own stream, so which lines print, when and where stays the same.
 * Change-log lines (the trigger, a harmless deploy) are records of the deploy system and read the
 * same in both phrasings: a harmless deploy must look like a real trigger.
 */
import type { FaultLogTemplate } from "./fault-types.js";
import type { LogLevelWord } from "./vocabulary.js";
import type { Simulation } from "./engine.js";
import { CASCADE, GATEWAY_FAILURE, NOISY_NEIGHBOR, ROUTINE } from "./generic-log-lines.js";
import type { Phraser } from "./phrasing.js";
import type { Rng } from "./prng.js";
import type { DependencyEdge } from "./topology.js";

export interface SimLogLine {
  minute: number;
  second: number;
  level: LogLevelWord;
  service: string;
  message: string;
  traceId?: string;
}

interface LogContext {
  sim: Simulation;
  rng: Rng;
  /** Picks each line's wording; it draws from its own stream, never from `rng`. */
  phraser: Phraser;
  /** Fills placeholders; `extra` overrides per line. */
  render: (template: string, extra?: Readonly<Record<string, string>>) => string;
}

export class LogWriter {
  private recoveryPrinted = 0;
  private lastPhase = "latent";
  /** What never changes within an incident, found on the first minute written (see staticsOf). */
  private statics: WriterStatics | undefined;
  /** The placeholder values of each distractor's lines: they never change, so they are made once. */
  private readonly distractorVars = new Map<object, Readonly<Record<string, string>>>();

  /** A noisy change's or decoy's lines speak as if their node were the root, with its details. */
  private placeholders(
    sim: Simulation,
    d: { node: string; details: Readonly<Record<string, string>> },
    version: string,
  ): Readonly<Record<string, string>> {
    let vars = this.distractorVars.get(d);
    if (vars === undefined) {
      const details = Object.fromEntries(Object.entries(d.details).map(([k, v]) => [`detail:${k}`, v]));
      const callee = sim.index.callees(d.node).find((e) => e.requestPath)?.callee ?? d.node;
      const caller = sim.index.callers(d.node).find((e) => e.requestPath)?.caller ?? d.node;
      vars = { ...details, root: d.node, caller, callee, version };
      this.distractorVars.set(d, vars);
    }
    return vars;
  }

  /** Who announces the trigger: the deploy system for changes, a caller for a traffic surge, else the root. */
  private triggerPrinter(sim: Simulation, announcer: string): string {
    const event = sim.spec.fault.trigger.event;
    if (PRINTED_BY_CONFIG.has(event)) return announcer;
    if (event === "traffic_surge") return sim.index.callers(sim.spec.root).find((e) => e.requestPath)?.caller ?? sim.spec.root;
    return sim.spec.root;
  }

  /** Lines printed during the minute just computed. */
  write(ctx: LogContext): SimLogLine[] {
    const { sim, rng, phraser } = ctx;
    const minute = sim.currentMinute;
    const spec = sim.spec;
    const level = sim.intensity.value;
    const phase = sim.intensity.state;
    const lines: SimLogLine[] = [];
    // The trace id's draws come first every minute; its text is made only if a line carries it.
    const idHigh = rng.nextUint32();
    const idLow = rng.nextUint32();
    let traceId: string | undefined;
    const line = (service: string, lvl: LogLevelWord, message: string, traced = false): void => {
      const second = rng.int(0, 59);
      if (traced) {
        // One flat string (a + b would keep a rope of three strings for every traced minute).
        traceId ??= [hex8(idHigh), hex8(idLow)].join("");
        lines.push({ minute, second, level: lvl, service, message, traceId });
      } else {
        lines.push({ minute, second, level: lvl, service, message });
      }
    };
    const statics = (this.statics ??= staticsOf(sim));
    const announcer = statics.announcer;

    if (minute === spec.onsetMinute && spec.fault.trigger.description !== "") {
      line(this.triggerPrinter(sim, announcer), "INFO", ctx.render(spec.fault.trigger.description));
    }
    for (const d of spec.distractors) {
      if (d.kind === "harmless_deploy" && d.minute === minute) line(announcer, "INFO", `deployed ${d.node} ${d.version}`);
      if (d.kind === "noisy_change" && d.minute === minute) line(announcer, "INFO", d.description);
      if (d.kind === "noisy_change" && minute > d.minute && minute < d.minute + d.minutes && d.lines.length > 0 && rng.chance(0.6)) {
        const t = rng.pick(d.lines);
        line(d.node, t.level, ctx.render(phraser.word(t, d.node), this.placeholders(sim, d, d.version)), true);
      }
      if (d.kind === "stale_error" && rng.chance(0.15)) line(d.node, "ERROR", d.message);
      if (d.kind === "chronic_anomaly" && rng.chance(0.3)) line(d.node, "ERROR", d.message);
      if (d.kind === "noisy_neighbor" && rng.chance(0.2)) {
        line(
          d.node,
          "WARN",
          ctx.render(phraser.word(NOISY_NEIGHBOR, d.node), { metric: d.metric.replace(/_/g, " "), minutes: String(rng.int(3, 40)) }),
        );
      }
      if (d.kind === "decoy_signature" && d.lines.length > 0 && rng.chance(0.5)) {
        const t = rng.pick(d.lines);
        line(d.node, t.level, ctx.render(phraser.word(t, d.node), this.placeholders(sim, d, sim.index.node(d.node).version)));
      }
    }

    const active = phase === "active" || (phase === "recovering" && level > 0.3);
    if (active && level > 0) {
      const rootLines = statics.rootLines.at(level);
      if (rootLines.length > 0 && rng.chance(0.65)) {
        const t = rng.pick(rootLines);
        line(spec.root, t.level, ctx.render(phraser.word(t, spec.root)), true);
      }
      const callers = statics.witnesses;
      const callerLines = statics.callerLines.at(level);
      if (callers.length > 0 && callerLines.length > 0 && rng.chance(0.55)) {
        const edge = rng.pick(callers);
        const t = rng.pick(callerLines);
        line(
          edge.caller,
          t.level,
          ctx.render(phraser.word(t, edge.caller), { caller: edge.caller, callee: edge.callee, timeout: String(edge.timeoutMs) }),
          true,
        );
      }
      const callees = statics.rootCallees;
      const calleeLines = statics.calleeLines.at(level);
      if (callees.length > 0 && calleeLines.length > 0 && rng.chance(0.5)) {
        const edge = rng.pick(callees);
        const t = rng.pick(calleeLines);
        line(
          edge.callee,
          t.level,
          ctx.render(phraser.word(t, edge.callee), { caller: spec.root, callee: edge.callee, timeout: String(edge.timeoutMs) }),
          true,
        );
      }
    }
    if (phase === "recovering" && this.lastPhase !== "recovering") this.recoveryPrinted = 0;
    if ((phase === "recovering" || phase === "fixed") && this.recoveryPrinted < spec.fault.logs.recovery.length) {
      const t = spec.fault.logs.recovery[this.recoveryPrinted];
      this.recoveryPrinted++;
      if (t) line(spec.root, t.level, ctx.render(phraser.word(t, spec.root)));
    }
    this.lastPhase = phase;

    // Other failing nodes complain about their worst dependency.
    let cascades = 0;
    for (const node of spec.topology.nodes) {
      if (cascades >= 2 || node.name === spec.root) continue;
      const errors = sim.value(node.name, "error_rate") ?? 0;
      if (!sim.isAnomalous(node.name, "error_rate", errors) || !rng.chance(0.35)) continue;
      const worst = sim.index
        .callees(node.name)
        .filter((e) => e.requestPath)
        .map((e) => ({ e, r: sim.edgeReading(e) }))
        .sort((a, b) => (b.r?.errorRate ?? 0) - (a.r?.errorRate ?? 0))[0];
      if (!worst || (worst.r?.errorRate ?? 0) < 1) continue;
      let message: string;
      if (node.kind === "gateway") {
        const method = rng.pick(["GET", "POST"]);
        const path = rng.pick(["orders", "cart", "session", "checkout", "items", "feed", "payments"]);
        const status = rng.pick(["502", "503", "504"]);
        message = ctx.render(phraser.word(GATEWAY_FAILURE, node.name), { method, path, status, callee: worst.e.callee });
      } else {
        message = ctx.render(phraser.word(rng.pick(CASCADE), node.name), { callee: worst.e.callee, timeout: String(worst.e.timeoutMs) });
      }
      line(node.name, "ERROR", message, true);
      cascades++;
    }

    if (rng.chance(0.35)) {
      const node = rng.pick(spec.topology.nodes);
      const pool = ROUTINE[node.kind];
      if (pool.length > 0 && !sim.isAnomalous(node.name, "error_rate", sim.value(node.name, "error_rate") ?? 0)) {
        const routineLevel = node.kind === "service" && rng.chance(0.3) ? "DEBUG" : "INFO";
        line(node.name, routineLevel, ctx.render(phraser.word(rng.pick(pool), node.name)));
      }
    }
    // By second, stable (as Array.prototype.sort), in place: a minute prints a handful of lines,
    // and sort() would copy them first.
    for (let i = 1; i < lines.length; i++) {
      const moving = lines[i] as SimLogLine;
      let j = i - 1;
      for (; j >= 0 && (lines[j] as SimLogLine).second > moving.second; j--) lines[j + 1] = lines[j] as SimLogLine;
      lines[j + 1] = moving;
    }
    return lines;
  }
}

/** The parts of a minute's writing that depend on the incident alone. */
interface WriterStatics {
  /** Who prints change-log lines: the config system, or the root when there is none. */
  announcer: string;
  witnesses: readonly DependencyEdge[];
  /** The root's request edges to its callees. */
  rootCallees: readonly DependencyEdge[];
  rootLines: EligibleTemplates;
  callerLines: EligibleTemplates;
  calleeLines: EligibleTemplates;
}

function staticsOf(sim: Simulation): WriterStatics {
  const spec = sim.spec;
  return {
    announcer: spec.topology.nodes.find((n) => n.kind === "config")?.name ?? spec.root,
    witnesses: witnesses(sim),
    rootCallees: sim.index.callees(spec.root).filter((e) => e.requestPath),
    rootLines: new EligibleTemplates(spec.fault.logs.root),
    callerLines: new EligibleTemplates(spec.fault.logs.callers),
    calleeLines: new EligibleTemplates(spec.fault.logs.callees ?? []),
  };
}

/**
 * A fault's templates that may print at an intensity (those whose fromIntensity it has reached),
 * in their listed order. The list changes only where the intensity crosses a template's
 * threshold, so each distinct list is made once.
 */
class EligibleTemplates {
  /** The distinct thresholds, ascending. */
  private readonly thresholds: number[];
  /** The eligible templates for intensities from thresholds[k] up to the next one (made on first use). */
  private readonly lists: Array<FaultLogTemplate[] | undefined>;

  constructor(private readonly templates: readonly FaultLogTemplate[]) {
    this.thresholds = [...new Set(templates.map((t) => t.fromIntensity ?? 0))].sort((a, b) => a - b);
    this.lists = this.thresholds.map(() => undefined);
  }

  at(level: number): FaultLogTemplate[] {
    let k = -1;
    while (k + 1 < this.thresholds.length && (this.thresholds[k + 1] as number) <= level) k++;
    if (k < 0) return [];
    const threshold = this.thresholds[k] as number;
    return (this.lists[k] ??= this.templates.filter((t) => (t.fromIntensity ?? 0) <= threshold));
  }
}

/**
 * The edges whose callers print the fault's caller lines: request edges into the root; for a root
 * nobody calls on the request path (DNS, config), the infrastructure edges into it; for a root
 * with no edges at all (the network), the request edges its fault breaks.
 */
function witnesses(sim: Simulation): DependencyEdge[] {
  const root = sim.spec.root;
  const into = sim.index.callers(root);
  const requests = into.filter((e) => e.requestPath);
  if (requests.length > 0) return requests;
  if (into.length > 0) return [...into];
  return sim.spec.topology.edges.filter((e) => e.requestPath && sim.edgeAffected(e));
}

/** What Rng.hex prints for one 32-bit draw. */
function hex8(word: number): string {
  return word.toString(16).padStart(8, "0");
}

const PRINTED_BY_CONFIG = new Set(["deploy", "config_change", "schema_migration", "secret_rotation"]);
