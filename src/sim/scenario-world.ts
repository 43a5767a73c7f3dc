/**
 * A world driven by one scenario template.
 *
 * What moves: each metric drifts toward its worst value while the fault is active; after the right
 * fix lands on the right service, every metric decays back to its baseline over the template's
 * recovery time. A harmful fix pushes the named metrics further toward their worst values. Log
 * lines are drawn from the template's active, recovery and background lines as time passes, with
 * seeded numbers and trace ids shared by the lines of one request. Readings carry seeded noise.
 *
 * Everything random comes from forks of one seeded generator, keyed by what is drawn and when,
 * so the same seed and the same calls give byte-identical readings and logs.
 */
import { Rng } from "./prng.js";
import type { FaultPhase, FixOutcome, MetricReading, World, WorldAlert, WorldLogLine } from "./world.js";
import type { KbArticleSpec, LogTemplate, MetricSpec, ScenarioTemplate, ServiceSpec } from "../scenarios/types.js";
import { resolveService } from "../scenarios/service-names.js";

/** The earliest simulated page time; seeds spread episodes over the following days. */
const EPOCH_MS = Date.UTC(2026, 2, 2, 8, 0, 0);
const MINUTE_MS = 60_000;
/** A harmful fix moves each metric it worsens this share of the way to its worst value. */
const HARM_SHARE = 0.35;
/** Share of the distance to baseline still left when the recovery time has passed (e^-3). */
const RECOVERY_RATE = 3;

export class ScenarioWorld implements World {
  readonly pagedAtMs: number;
  readonly alert: WorldAlert;
  readonly services: readonly ServiceSpec[];
  readonly kb: readonly KbArticleSpec[];
  private clock = 0;
  private fixedAtMinute: number | undefined;
  private readonly values: number[];
  private recoveryLogsPrinted = 0;
  private readonly rng: Rng;

  constructor(
    private readonly template: ScenarioTemplate,
    seed: number,
  ) {
    this.rng = new Rng(seed).fork(`world:${template.id}`);
    const clockRng = this.rng.fork("page-time");
    this.pagedAtMs = EPOCH_MS + clockRng.int(0, 120) * 24 * 60 * MINUTE_MS + clockRng.int(0, 12 * 60) * MINUTE_MS;
    this.alert = template.alert;
    this.services = template.services;
    this.kb = template.kb;
    this.values = template.metrics.map((m) => m.atPage);
  }

  get minute(): number {
    return this.clock;
  }

  get phase(): FaultPhase {
    if (this.fixedAtMinute === undefined) return "active";
    return this.readings().every((r) => !r.anomalous) ? "healthy" : "recovering";
  }

  readings(): MetricReading[] {
    return this.template.metrics.map((spec, i) => {
      const noise = this.rng.fork(`noise:${i}:${this.clock}`);
      // Sum of two uniforms: a cheap bell shape in [-1, 1].
      const jitter = noise.next() + noise.next() - 1;
      const value = roundForUnit(clampToRange(spec, (this.values[i] ?? spec.baseline) * (1 + spec.noise * jitter)), spec.unit);
      return {
        service: spec.service,
        metric: spec.metric,
        value,
        unit: spec.unit,
        threshold: spec.threshold,
        anomalous: spec.direction === "above" ? value > spec.threshold : value < spec.threshold,
      };
    });
  }

  openingLogs(): WorldLogLine[] {
    const traces = new Map<string, string>();
    const rng = this.rng.fork("opening-logs");
    return [...this.template.openingLogs]
      .sort((a, b) => a.atMinute - b.atMinute)
      .map((line) => this.render(line, line.atMinute, rng, traces));
  }

  applyFix(target: string, remedies: ReadonlySet<string>): FixOutcome {
    const service = resolveService(target, this.services);
    if (!service) {
      return { kind: "unknown_service", feedback: `No service named "${target}" exists in this system; nothing was changed.` };
    }
    const harm = this.template.harmfulFixes.find(
      (h) => remedies.has(h.concept) && (h.targets.length === 0 || h.targets.includes(service.name)),
    );
    if (harm) {
      for (const key of harm.worsens) {
        const i = this.template.metrics.findIndex((m) => `${m.service}/${m.metric}` === key);
        const spec = this.template.metrics[i];
        if (spec) this.values[i] = (this.values[i] ?? spec.atPage) + HARM_SHARE * (spec.worst - (this.values[i] ?? spec.atPage));
      }
      return { kind: "harmful", feedback: harm.feedback };
    }
    if (this.fixedAtMinute !== undefined) {
      return { kind: "already_fixed", feedback: `The fix is already in place; ${service.name} needs nothing more.` };
    }
    const fix = this.template.fix;
    if (fix.targets.includes(service.name) && fix.concepts.some((c) => remedies.has(c))) {
      this.fixedAtMinute = this.clock;
      return { kind: "fixed", feedback: fix.feedback };
    }
    return { kind: "no_effect", feedback: `The change to ${service.name} went through, but the symptoms did not change.` };
  }

  advance(minutes: number): WorldLogLine[] {
    const from = this.clock;
    const lines: WorldLogLine[] = [];
    for (let m = 1; m <= minutes; m++) {
      this.clock = from + m;
      this.evolveOneMinute();
    }
    const rng = this.rng.fork(`logs:${from}`);
    const traces = new Map<string, string>();
    if (this.fixedAtMinute === undefined) {
      const count = rng.int(2, 4);
      for (let k = 0; k < count; k++) {
        lines.push(this.render(rng.pick(this.template.activeLogs), from + rng.int(1, minutes), rng, traces));
      }
    } else {
      const due = this.template.recoveryLogs.slice(this.recoveryLogsPrinted, this.recoveryLogsPrinted + 2);
      this.recoveryLogsPrinted += due.length;
      due.forEach((line, k) => lines.push(this.render(line, from + Math.min(minutes, k + 1), rng, traces)));
    }
    if (this.template.backgroundLogs.length > 0 && rng.chance(0.6)) {
      lines.push(this.render(rng.pick(this.template.backgroundLogs), from + rng.int(1, minutes), rng, traces));
    }
    return lines.sort((a, b) => a.minute - b.minute);
  }

  private evolveOneMinute(): void {
    this.template.metrics.forEach((spec, i) => {
      const current = this.values[i] ?? spec.atPage;
      if (this.fixedAtMinute === undefined) {
        this.values[i] = driftToward(current, spec);
      } else {
        const keep = Math.exp(-RECOVERY_RATE / this.template.fix.recoveryMinutes);
        this.values[i] = spec.baseline + (current - spec.baseline) * keep;
      }
    });
  }

  private render(line: LogTemplate, minute: number, rng: Rng, traces: Map<string, string>): WorldLogLine {
    let traceId: string | undefined;
    if (line.trace) {
      traceId = traces.get(line.trace);
      if (!traceId) {
        traceId = rng.hex(16);
        traces.set(line.trace, traceId);
      }
    }
    const message = line.message.replace(/\{n\}/g, () => String(rng.int(2, 48)));
    return { minute, level: line.level, service: line.service, message, ...(traceId ? { traceId } : {}) };
  }
}

function driftToward(value: number, spec: MetricSpec): number {
  const next = value + spec.driftPerMinute * (spec.worst >= spec.atPage ? 1 : -1);
  return spec.worst >= spec.atPage ? Math.min(next, spec.worst) : Math.max(next, spec.worst);
}

function clampToRange(spec: MetricSpec, value: number): number {
  const low = Math.min(spec.baseline, spec.worst, spec.atPage);
  const high = Math.max(spec.baseline, spec.worst, spec.atPage);
  const clamped = Math.min(high * (1 + spec.noise), Math.max(low * (1 - spec.noise), value));
  return spec.unit === "%" ? Math.min(100, Math.max(0, clamped)) : Math.max(0, clamped);
}

/** Counts are whole; everything else keeps one or two decimals, as dashboards show them. */
function roundForUnit(value: number, unit: string): number {
  if (unit === "count" || unit === "messages" || unit === "threads") return Math.round(value);
  if (value >= 100) return Math.round(value * 10) / 10;
  return Math.round(value * 100) / 100;
}
