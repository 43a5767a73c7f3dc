/**
 * A living incident: the engine, its alerts, its logs, and the record of what happened, behind the
 * one object an episode talks to.
 *
 * What the responder can see: the page and the alerts firing now; the golden signals (p99
 * latency, error rate, traffic, CPU) of the entry points and of the services alerting now; the
 * topology; log lines as they are printed; and, by inspecting one service, its metrics of the
 * last 30 minutes, dependencies, recent changes and a sample trace. What moves: simulated minutes pass on
 * `advance`; the fault worsens until a remedy lands; remediations change the system at once.
 * What is recorded for the graders: the timeline (onset, trigger, alerts, remediations, recovery),
 * the impact (peaks and minutes over threshold per service), and the severity that impact implies.
 */
import { applyRemediation, type RemediationOutcome, type RemediationRequest } from "./remediation.js";
import { AlertBook, type AlertRecord } from "./alerts.js";
import { RECENT_MINUTES, Simulation, breached, type MetricWatch } from "./engine.js";
import { shownKb, type IncidentSpec } from "./incident.js";
import { LogWriter, type SimLogLine } from "./log-writer.js";
import { METRICS, METRIC_INDEX, type MetricName } from "./model.js";
import { Phraser } from "./phrasing.js";
import { fillTemplate, placeholderValues } from "./placeholders.js";
import { Rng } from "./prng.js";
import type { DependencyEdge, ServiceNode, Topology } from "./topology.js";
import type { KbArticleSpec, SeverityWord } from "./vocabulary.js";

/** Minutes of history an inspection shows (all the engine keeps). */
const INSPECT_WINDOW_MINUTES = RECENT_MINUTES;
/** Health must hold this long before the incident counts as resolved. */
const HEALTHY_WINDOW_MINUTES = 10;
const GOLDEN_OVERVIEW: readonly MetricName[] = ["latency_p99", "error_rate", "request_rate", "cpu_usage"];

interface MetricReading {
  service: string;
  metric: MetricName;
  value: number;
  unit: string;
  threshold: number;
  anomalous: boolean;
}

interface MetricHistory {
  metric: MetricName;
  unit: string;
  threshold: number;
  /**
   * Minute, value, minute, value..., oldest first: one array of numbers (an inspection shows
   * hundreds of points), not a Float64Array (see Simulation.recentValues).
   */
  points: number[];
}

interface ChangeRecord {
  minute: number;
  service: string;
  kind: "deploy" | "config_change" | "certificate" | "credential" | "migration" | "remediation" | "traffic";
  description: string;
}

interface SpanRecord {
  service: string;
  parent: string;
  durationMs: number;
  error: boolean;
}

export interface Inspection {
  node: ServiceNode;
  history: MetricHistory[];
  dependencies: Array<{ edge: DependencyEdge; errorRate: number; latencyMs: number; callsPerSecond: number }>;
  dependents: readonly DependencyEdge[];
  changes: ChangeRecord[];
  trace: { traceId: string; spans: SpanRecord[] };
}

type TimelineKind = "onset" | "trigger" | "alert" | "remediation" | "mitigated" | "healthy" | "relapse";

export interface TimelineEvent {
  minute: number;
  kind: TimelineKind;
  service: string;
  detail: string;
}

export interface NodeImpact {
  service: string;
  /** Highest error rate since the onset, %. */
  peakErrorRate: number;
  /** Highest p99 latency since the onset, ms. */
  peakLatencyP99: number;
  /** Minutes with a golden signal past its threshold. */
  minutesDegraded: number;
}

/**
 * One node's share of the impact since the onset: its highest error rate and p99 latency, its
 * minutes degraded, and the live readings and watches (none for a red herring) they come from.
 */
interface NodeImpactTracker {
  name: string;
  errorRate: number;
  latencyP99: number;
  minutesDegraded: number;
  readings: Readonly<Float64Array> | undefined;
  degradation: MetricWatch[] | undefined;
}

export class IncidentWorld {
  readonly sim: Simulation;
  readonly alerts: AlertBook;
  private readonly logs = new LogWriter();
  private readonly rng: Rng;
  /** Wordings of log lines, in the incident's phrasing. */
  private readonly phraser: Phraser;
  private opening: SimLogLine[] = [];
  private readonly events: TimelineEvent[] = [];
  private readonly changes: ChangeRecord[] = [];
  private healthySince: number | undefined;
  /** Red herrings with trouble of their own (chronic anomalies, noisy changes): not the incident's impact. */
  private readonly selfTroubled: ReadonlySet<string>;
  private impactCache: { minute: number; impacts: NodeImpact[] } | undefined;
  /** Made at the onset (trackHealth); undefined before it. */
  private impactTrackers: NodeImpactTracker[] | undefined;
  private fixedAt: number | undefined;
  private readonly vars: Record<string, string>;
  /** render, bound once (the log writer calls it for every line). */
  private readonly renderLine = (template: string, extra?: Readonly<Record<string, string>>): string => this.render(template, extra);
  /** What a `{n}` placeholder prints. */
  private readonly smallNumber = (): string => String(this.rng.int(2, 48));

  constructor(
    readonly spec: IncidentSpec,
    seed: number,
  ) {
    this.sim = new Simulation(spec, seed);
    this.selfTroubled = new Set(
      spec.distractors.filter((d) => d.kind === "chronic_anomaly" || d.kind === "noisy_change").map((d) => d.node),
    );
    this.rng = new Rng(seed).fork(`world:${spec.id}`);
    this.phraser = new Phraser(spec.phrasing, this.rng.fork("phrasing"));
    this.alerts = new AlertBook(spec.phrasing, this.rng.fork("alert-rules"));
    this.vars = placeholderValues(spec, this.sim.index);
    const trigger = spec.fault.trigger;
    if (trigger.description !== "") {
      this.changes.push({
        minute: spec.onsetMinute,
        service: spec.root,
        kind: changeKind(trigger.event),
        description: this.render(trigger.description),
      });
    }
    this.events.push({ minute: spec.onsetMinute, kind: "onset", service: spec.root, detail: spec.fault.title });
    if (trigger.description !== "")
      this.events.push({ minute: spec.onsetMinute, kind: "trigger", service: spec.root, detail: this.render(trigger.description) });
    for (const d of spec.distractors) {
      if (d.kind === "harmless_deploy")
        this.changes.push({ minute: d.minute, service: d.node, kind: "deploy", description: `deployed ${d.node} ${d.version}` });
      if (d.kind === "noisy_change") this.changes.push({ minute: d.minute, service: d.node, kind: d.change, description: d.description });
    }
    this.opening.push(...this.runMinutes(0));
    for (const line of spec.narrative?.openingLogs ?? []) {
      this.opening.push({ minute: line.atMinute, second: 0, level: line.level, service: line.service, message: line.message });
    }
    this.opening.sort((a, b) => a.minute - b.minute || a.second - b.second);
  }

  get minute(): number {
    return this.sim.currentMinute;
  }

  get topology(): Topology {
    return this.spec.topology;
  }

  /** Log lines printed before the responder joined (minute 0 and earlier). */
  openingLogs(): SimLogLine[] {
    return [...this.opening];
  }

  /**
   * The opening log lines, for the episode that plays this world: it keeps them in its journals,
   * so the world lets go of its copy (thousands of live episodes).
   */
  takeOpeningLogs(): SimLogLine[] {
    const lines = this.opening;
    this.opening = [];
    return lines;
  }

  /** Simulates `minutes` more minutes; returns the log lines printed meanwhile. */
  advance(minutes: number): SimLogLine[] {
    return this.runMinutes(this.minute + minutes);
  }

  applyRemediation(request: RemediationRequest): RemediationOutcome {
    const outcome = applyRemediation(this.sim, request);
    if (outcome.kind !== "invalid") {
      this.events.push({ minute: this.minute, kind: "remediation", service: request.target, detail: `${request.kind}: ${outcome.kind}` });
      this.changes.push({
        minute: this.minute,
        service: request.target,
        kind: "remediation",
        description: `${request.kind.replace(/_/g, " ")} by the responder`,
      });
      if ((outcome.kind === "fixed" || outcome.kind === "relieved") && this.fixedAt === undefined) this.fixedAt = this.minute;
    }
    return outcome;
  }

  /** Golden signals of the entry points and of every service alerting now. */
  overview(): MetricReading[] {
    const shown = new Set([
      ...this.sim.index
        .entryPoints()
        .filter((n) => n.kind === "gateway")
        .map((n) => n.name),
      ...this.alerts.active().map((a) => a.node),
    ]);
    const readings: MetricReading[] = [];
    for (const node of this.spec.topology.nodes) {
      if (!shown.has(node.name)) continue;
      for (const metric of GOLDEN_OVERVIEW) readings.push(...this.reading(node.name, metric));
      for (const alert of this.alerts.active()) {
        if (alert.node === node.name && !GOLDEN_OVERVIEW.includes(alert.metric)) readings.push(...this.reading(node.name, alert.metric));
      }
    }
    return readings;
  }

  inspect(service: string): Inspection {
    const node = this.sim.index.node(service);
    const from = Math.max(this.sim.firstMinute, this.minute - INSPECT_WINDOW_MINUTES + 1);
    const history = this.sim.metricsOf(service).map((metric) => {
      const values = this.sim.recentValues(service, metric, from);
      const points: number[] = [];
      for (let i = 0; i < values.length; i++) {
        const m = from + i;
        points.push(m, round(metric, this.observed(service, metric, m, values[i] ?? 0)));
      }
      return { metric, unit: METRICS[metric].unit, threshold: this.sim.profileOf(service, metric)?.threshold ?? 0, points };
    });
    const dependencies = this.sim.index
      .callees(service)
      .filter((e) => e.requestPath)
      .map((edge) => {
        const r = this.sim.edgeReading(edge);
        return {
          edge,
          errorRate: round("error_rate", r?.errorRate ?? 0),
          latencyMs: round("latency_p99", r?.latencyMs ?? 0),
          callsPerSecond: round("request_rate", r?.callsPerSecond ?? 0),
        };
      });
    const isChangeLog = node.kind === "config";
    const changes = this.changes.filter((c) => (isChangeLog || c.service === service) && c.minute <= this.minute);
    return { node, history, dependencies, dependents: this.sim.index.callers(service), changes, trace: this.sampleTrace(service) };
  }

  /**
   * The KB articles of this incident, as chosen when it was made (IncidentSpec.kb: one that helps
   * and one that misleads, from the shared pool of general documentation that never names this
   * system's nodes), or a preset's hand-written ones.
   */
  kb(): KbArticleSpec[] {
    return shownKb(this.spec).map((a) => ({ ...a, tags: [...a.tags] }));
  }

  /** True when every health indicator on the fault's path is within its threshold now. */
  isHealthy(): boolean {
    return this.healthySince !== undefined;
  }

  /**
   * True when health has held for HEALTHY_WINDOW_MINUTES after a fix; for a fault that needs no
   * fix (a false alarm), when the system has been healthy that long.
   */
  healthHeld(): boolean {
    const settled = this.fixedAt !== undefined || this.spec.fault.response?.restraint === true;
    return settled && this.healthySince !== undefined && this.minute - this.healthySince >= HEALTHY_WINDOW_MINUTES;
  }

  timeline(): readonly TimelineEvent[] {
    return this.events;
  }

  /** Every node that was degraded since the onset, worst first. */
  impact(): NodeImpact[] {
    if (this.impactCache?.minute !== this.minute) this.impactCache = { minute: this.minute, impacts: this.computeImpact() };
    return [...this.impactCache.impacts];
  }

  private computeImpact(): NodeImpact[] {
    const impacts: NodeImpact[] = [];
    for (const node of this.impactTrackers ?? []) {
      if (node.minutesDegraded === 0) continue;
      impacts.push({
        service: node.name,
        peakErrorRate: round("error_rate", node.errorRate),
        peakLatencyP99: round("latency_p99", node.latencyP99),
        minutesDegraded: node.minutesDegraded,
      });
    }
    return impacts.sort((a, b) => b.peakErrorRate - a.peakErrorRate || b.minutesDegraded - a.minutesDegraded);
  }

  /**
   * Severity from impact so far: P1 when users saw 20 % or more errors at the entry or half the
   * system was degraded; P2 at 5 % errors or a latency breach at the entry; P3 when only internal
   * services were degraded; P4 otherwise.
   */
  severity(): SeverityWord {
    const impacts = this.impact();
    const entries = this.sim.index
      .entryPoints()
      .filter((n) => n.kind === "gateway")
      .map((n) => n.name);
    const entryImpact = impacts.filter((i) => entries.includes(i.service));
    const entryErrors = Math.max(0, ...entryImpact.map((i) => i.peakErrorRate));
    const inHouse = this.spec.topology.nodes.filter((n) => n.kind !== "vendor").length;
    if (entryErrors >= 20 || impacts.length >= inHouse / 2) return "P1";
    if (entryErrors >= 5 || entryImpact.length > 0) return "P2";
    if (impacts.length > 0) return "P3";
    return "P4";
  }

  /**
   * The page: the first symptom alert (on a gateway or a service, where users feel it) that fired
   * at or after the fault's onset; failing that, the first alert after the onset. Older alerts are
   * background noise, and alerts on infrastructure only show among the active alerts.
   */
  page(): AlertRecord | undefined {
    const recent = this.alerts.history.filter((a) => a.firedAtMinute >= this.spec.onsetMinute);
    const symptom = recent.find((a) => {
      const kind = this.sim.index.byName.get(a.node)?.kind;
      return kind === "gateway" || kind === "service";
    });
    return symptom ?? recent[0];
  }

  /** Fills a template's placeholders for this incident. */
  render(template: string, extra: Readonly<Record<string, string>> = {}): string {
    return fillTemplate(template, this.vars, this.smallNumber, extra);
  }

  private runMinutes(until: number): SimLogLine[] {
    const lines: SimLogLine[] = [];
    while (this.sim.currentMinute < until) {
      this.sim.runTo(this.sim.currentMinute + 1);
      const minute = this.sim.currentMinute;
      for (const alert of this.alerts.evaluate(this.sim)) {
        this.events.push({ minute: alert.firedAtMinute, kind: "alert", service: alert.node, detail: alert.title });
      }
      this.trackHealth(minute);
      for (const line of this.logs.write({
        sim: this.sim,
        rng: this.rng.fork(`logs:${minute}`),
        phraser: this.phraser,
        render: this.renderLine,
      }))
        lines.push(line);
    }
    return lines;
  }

  /** Per node, in topology order, what trackHealth updates every minute from the onset on. */
  private newImpactTrackers(): NodeImpactTracker[] {
    return this.spec.topology.nodes.map((node) => {
      // Degraded: errors or tail latency past threshold; for the root, also its fault's signature.
      const metrics: readonly MetricName[] = [
        "error_rate",
        "latency_p99",
        ...(node.name === this.spec.root ? this.spec.fault.signature : []),
      ];
      return {
        name: node.name,
        errorRate: 0,
        latencyP99: 0,
        minutesDegraded: 0,
        readings: this.sim.readingsOf(node.name),
        // What a red herring shows of its own trouble is not the incident's impact.
        degradation: this.selfTroubled.has(node.name)
          ? undefined
          : metrics.map((m) => this.sim.watch(node.name, m)).filter((w): w is MetricWatch => w !== undefined),
      };
    });
  }

  private trackHealth(minute: number): void {
    if (minute >= this.spec.onsetMinute) {
      for (const node of (this.impactTrackers ??= this.newImpactTrackers())) {
        const errors = node.readings?.[ERROR_RATE_SLOT];
        const latency = node.readings?.[LATENCY_P99_SLOT];
        if (errors !== undefined && errors > node.errorRate) node.errorRate = errors;
        if (latency !== undefined && latency > node.latencyP99) node.latencyP99 = latency;
        if (node.degradation?.some(breached)) node.minutesDegraded++;
      }
    }
    const healthy = this.sim.incidentHealthy();
    if (healthy && this.healthySince === undefined) {
      this.healthySince = minute;
      if (this.fixedAt !== undefined)
        this.events.push({ minute, kind: "mitigated", service: this.spec.root, detail: "health indicators back within thresholds" });
    } else if (!healthy && this.healthySince !== undefined) {
      this.healthySince = undefined;
      if (this.fixedAt !== undefined)
        this.events.push({ minute, kind: "relapse", service: this.spec.root, detail: "health indicators past thresholds again" });
    }
    if (healthy && this.fixedAt !== undefined && this.healthySince !== undefined && minute - this.healthySince === HEALTHY_WINDOW_MINUTES) {
      this.events.push({ minute, kind: "healthy", service: this.spec.root, detail: `healthy for ${HEALTHY_WINDOW_MINUTES} minutes` });
    }
  }

  /**
   * What monitoring shows for a reading: the value itself, or with probability spec.readingBlips
   * a blip (a scrape that caught a spike or a partial bucket), the same blip every time that
   * minute is shown. Only observations see blips; the engine, alerts and graders use true values.
   */
  private observed(node: string, metric: MetricName, minute: number, value: number): number {
    const chance = this.spec.readingBlips ?? 0;
    if (chance <= 0) return value;
    const rng = this.rng.fork(`blip:${node}:${metric}:${minute}`);
    if (!rng.chance(chance)) return value;
    if (metric === "request_rate") return value * rng.range(0.4, 0.7);
    if (METRICS[metric].direction === "below") return value * rng.range(0.5, 0.8);
    const spiked = value * rng.range(2, 4);
    return METRICS[metric].unit === "%" ? Math.min(100, Math.max(spiked, value + rng.range(3, 12))) : spiked;
  }

  private reading(node: string, metric: MetricName): MetricReading[] {
    const value = this.sim.value(node, metric);
    const threshold = this.sim.profileOf(node, metric)?.threshold;
    if (value === undefined || threshold === undefined) return [];
    const shown = round(metric, this.observed(node, metric, this.minute, value));
    return [
      { service: node, metric, value: shown, unit: METRICS[metric].unit, threshold, anomalous: this.sim.isAnomalous(node, metric, shown) },
    ];
  }

  /** One request's path from the entry point to the service, and on to the service's callees. */
  private sampleTrace(service: string): { traceId: string; spans: SpanRecord[] } {
    const rng = this.rng.fork(`trace:${service}:${this.minute}`);
    const path = this.pathFromEntry(service);
    const spans: SpanRecord[] = [];
    path.forEach((name, i) => {
      spans.push({
        service: name,
        parent: path[i - 1] ?? "",
        durationMs: round(
          "latency_p99",
          (this.sim.value(name, "latency_p50") ?? this.sim.value(name, "latency_p99") ?? 0) * rng.range(0.8, 1.3),
        ),
        error: rng.next() * 100 < (this.sim.value(name, "error_rate") ?? 0),
      });
    });
    for (const edge of this.sim.index.callees(service).filter((e) => e.requestPath)) {
      const r = this.sim.edgeReading(edge);
      spans.push({
        service: edge.callee,
        parent: service,
        durationMs: round("latency_p99", (r?.latencyMs ?? 0) * rng.range(0.5, 1)),
        error: rng.next() * 100 < (r?.errorRate ?? 0),
      });
    }
    return { traceId: rng.hex(16), spans };
  }

  private pathFromEntry(service: string): string[] {
    const path = [service];
    let current = service;
    for (let guard = 0; guard < 50; guard++) {
      const caller = this.sim.index.callers(current).find((e) => e.requestPath)?.caller;
      if (!caller) break;
      path.unshift(caller);
      current = caller;
    }
    return path;
  }
}

const ERROR_RATE_SLOT = METRIC_INDEX.error_rate;
const LATENCY_P99_SLOT = METRIC_INDEX.latency_p99;

function round(metric: MetricName, value: number): number {
  const factor = Math.pow(10, METRICS[metric].decimals);
  return Math.round(value * factor) / factor;
}

function changeKind(event: string): ChangeRecord["kind"] {
  switch (event) {
    case "deploy":
      return "deploy";
    case "config_change":
      return "config_change";
    case "certificate_expiry":
      return "certificate";
    case "secret_rotation":
      return "credential";
    case "schema_migration":
      return "migration";
    default:
      return "traffic";
  }
}
