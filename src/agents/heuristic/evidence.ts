/**
 * Everything the heuristic agent has seen in one episode, gathered from observations only: the
 * topology, every log line (from the observation and from inspections), the worst reading of
 * every metric, the inspections, the change log, and which services alerted. From it, a ranking
 * of suspects: which service is failing, and how.
 */
import { timestampMs, type Timestamp } from "@bufbuild/protobuf/wkt";
import { ServiceKind } from "../../../gen/incident/v1/enums_pb.js";
import type { ChangeEvent, Inspection } from "../../../gen/incident/v1/inspection_pb.js";
import type { Observation } from "../../../gen/incident/v1/observation_pb.js";
import type { Alert, LogEntry } from "../../../gen/incident/v1/telemetry_pb.js";
import type { ServiceNode } from "../../../gen/incident/v1/topology_pb.js";
import { SIGNALS, type FaultWord } from "./signals.js";

/** An alert this much older than the page is background trouble, not the incident. */
const BACKGROUND_MINUTES = 10;

/** Metrics whose trouble is a value under the threshold. */
const FLOOR_METRICS = new Set(["cache_hit_ratio"]);

export function pastThreshold(metric: string, value: number, threshold: number): boolean {
  return FLOOR_METRICS.has(metric) ? value <= threshold : value >= threshold;
}

interface Suspect {
  service: string;
  score: number;
  /** The most likely failure mode on this service, if any evidence names one. */
  fault: FaultWord | undefined;
  faultScore: number;
  /** Runner-up failure modes on this service, best first. */
  alternatives: FaultWord[];
  /** True when the service's own log lines or metrics show the failure (not only its neighbours). */
  selfEvidence: boolean;
}

interface Tally {
  score: number;
  faults: Map<FaultWord, number>;
  self: number;
}

export class Evidence {
  readonly services = new Map<string, ServiceNode>();
  /** Request-path callees and callers of each service. */
  readonly callees = new Map<string, string[]>();
  readonly callers = new Map<string, string[]>();
  readonly logs = new Map<string, LogEntry>();
  readonly inspections = new Map<string, Inspection>();
  readonly changes = new Map<string, ChangeEvent>();
  /** Highest error rate seen per service, %. */
  readonly peakError = new Map<string, number>();
  /** Services seen past a threshold on some metric, with the metrics. */
  readonly anomalous = new Map<string, Set<string>>();
  readonly alerted = new Set<string>();
  /** When each service's first alert fired (ms): an alert much older than the page is background. */
  readonly firstAlertMs = new Map<string, number>();
  page: Alert | undefined;
  kb: Array<{ title: string; content: string }> = [];
  observations = 0;

  ingest(observation: Observation): void {
    this.observations++;
    if (this.services.size === 0 && observation.topology) {
      for (const s of observation.topology.services) {
        this.services.set(s.name, s);
        this.callees.set(s.name, []);
        this.callers.set(s.name, []);
      }
      for (const d of observation.topology.dependencies) {
        if (!d.requestPath) continue;
        this.callees.get(d.caller)?.push(d.callee);
        this.callers.get(d.callee)?.push(d.caller);
      }
    }
    if (!this.page && observation.alert) this.page = observation.alert;
    if (this.kb.length === 0) this.kb = observation.kbArticles.map((a) => ({ title: a.title, content: a.content }));
    for (const alert of [...(observation.alert ? [observation.alert] : []), ...observation.activeAlerts]) {
      for (const s of alert.affectedServices) {
        this.alerted.add(s);
        const at = alert.triggeredAt ? timestampMs(alert.triggeredAt) : 0;
        if (at > 0 && at < (this.firstAlertMs.get(s) ?? Infinity)) this.firstAlertMs.set(s, at);
      }
    }
    for (const m of observation.metrics) {
      if (m.metricName === "error_rate") this.notePeak(m.serviceName, m.value);
      if (m.isAnomalous) this.noteAnomalous(m.serviceName, m.metricName);
    }
    for (const line of observation.recentLogs) this.noteLog(line);
    const inspection = observation.inspection;
    if (inspection) {
      this.inspections.set(inspection.service, inspection);
      for (const line of inspection.recentLogs) this.noteLog(line);
      for (const change of inspection.recentChanges)
        this.changes.set(`${change.service}|${change.description}|${change.timestamp?.seconds ?? 0}`, change);
      for (const series of inspection.series) {
        // Only the last 30 minutes are shown; what is past the threshold there counts.
        for (const point of series.points) {
          if (series.metricName === "error_rate") this.notePeak(inspection.service, point.value);
          if (series.threshold > 0 && pastThreshold(series.metricName, point.value, series.threshold))
            this.noteAnomalous(inspection.service, series.metricName);
        }
      }
    }
  }

  kindOf(service: string): ServiceKind {
    return this.services.get(service)?.kind ?? ServiceKind.UNSPECIFIED;
  }

  /** Services of one kind (e.g. the DNS node). */
  ofKind(kind: ServiceKind): string[] {
    return [...this.services.values()].filter((s) => s.kind === kind).map((s) => s.name);
  }

  /** Every log line seen so far, oldest first. */
  allLogs(): LogEntry[] {
    return [...this.logs.values()].sort((a, b) => ms(a) - ms(b) || a.seq - b.seq);
  }

  /** Ranks the services by how strongly the evidence says each is failing. */
  suspects(): Suspect[] {
    const tallies = new Map<string, Tally>();
    const tally = (service: string): Tally | undefined => {
      if (!this.services.has(service)) return undefined;
      let t = tallies.get(service);
      if (!t) {
        t = { score: 0, faults: new Map(), self: 0 };
        tallies.set(service, t);
      }
      return t;
    };
    // Log lines: each distinct pattern counts fully once per service, repeats a little.
    const hits = new Map<string, number>();
    for (const line of this.logs.values()) {
      for (const signals of SIGNALS) {
        for (const [i, pattern] of signals.logs.entries()) {
          const m = pattern.re.exec(line.message);
          if (!m) continue;
          let service: string | undefined;
          let weight: number;
          let self = false;
          if (pattern.role === "root") {
            service = line.service;
            weight = 3;
            self = true;
          } else if (pattern.role === "infra") {
            const kind = signals.kinds[0] ?? ServiceKind.UNSPECIFIED;
            service = this.ofKind(kind)[0];
            weight = 1.5;
          } else {
            // The wording that matched holds the name (alternatives have their own groups).
            service = m.slice(1).find((g) => g !== undefined);
            weight = pattern.role === "callee" ? 1.5 : 1;
          }
          if (service === undefined || !this.services.has(service)) continue;
          if (!signals.kinds.includes(this.kindOf(service))) weight *= 0.2;
          const key = `${service}|${signals.fault}|${i}`;
          const seen = hits.get(key) ?? 0;
          hits.set(key, seen + 1);
          const w = seen === 0 ? weight : seen < 4 ? weight * 0.15 : 0;
          const t = tally(service);
          if (!t) continue;
          t.score += w;
          t.faults.set(signals.fault, (t.faults.get(signals.fault) ?? 0) + w);
          if (self) t.self += w;
        }
      }
    }
    // Metrics past their thresholds: on the service itself, a hint of its failure mode.
    for (const [service, metrics] of this.anomalous) {
      const t = tally(service);
      if (!t) continue;
      t.score += 0.5 + 0.25 * Math.min(metrics.size, 4);
      for (const signals of SIGNALS) {
        if (!signals.kinds.includes(this.kindOf(service))) continue;
        for (const cue of signals.metrics) {
          if (metrics.has(cue.metric)) {
            t.faults.set(signals.fault, (t.faults.get(signals.fault) ?? 0) + 0.75);
            t.self += 0.5;
          }
        }
      }
    }
    // Alerting services: the alert rules fired on them.
    for (const service of this.alerted) {
      const t = tally(service);
      if (t) t.score += 0.5;
    }
    // Follow the trouble down the request graph: an anomalous service whose callees look fine
    // is more likely the source than one with an anomalous callee.
    for (const [service, t] of tallies) {
      if (!this.anomalous.has(service)) continue;
      const down = (this.callees.get(service) ?? []).some((c) => this.anomalous.has(c));
      if (!down) t.score += 0.75;
    }
    // Knowledge-base articles: a weak hint for the failure modes they discuss (an article covers
    // one symptom and several candidate causes, and one of the two shown does not fit at all).
    for (const article of this.kb) {
      for (const signals of SIGNALS) {
        if (!signals.kb.test(`${article.title} ${article.content}`)) continue;
        for (const t of tallies.values())
          if (t.faults.has(signals.fault)) t.faults.set(signals.fault, (t.faults.get(signals.fault) ?? 0) + 0.25);
      }
    }
    // Trouble that was there long before the page is background (a known, chronic problem),
    // not what paged: its alerts predate the page by more than BACKGROUND_MINUTES.
    const pageMs = this.page?.triggeredAt ? timestampMs(this.page.triggeredAt) : 0;
    for (const [service, t] of tallies) {
      const first = this.firstAlertMs.get(service);
      if (pageMs > 0 && first !== undefined && first < pageMs - BACKGROUND_MINUTES * 60_000) t.score *= 0.3;
    }
    const out: Suspect[] = [];
    for (const [service, t] of tallies) {
      const ranked = [...t.faults.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
      out.push({
        service,
        score: t.score,
        fault: ranked[0]?.[0],
        faultScore: ranked[0]?.[1] ?? 0,
        alternatives: ranked.slice(1).map(([f]) => f),
        selfEvidence: t.self >= 3,
      });
    }
    return out.sort((a, b) => b.score - a.score || a.service.localeCompare(b.service));
  }

  private noteLog(line: LogEntry): void {
    const key = line.seq > 0 ? `#${line.seq}` : `${line.service}|${ms(line)}|${line.message}`;
    if (!this.logs.has(key)) this.logs.set(key, line);
  }

  private notePeak(service: string, value: number): void {
    if (value > (this.peakError.get(service) ?? -1)) this.peakError.set(service, value);
  }

  private noteAnomalous(service: string, metric: string): void {
    let set = this.anomalous.get(service);
    if (!set) {
      set = new Set();
      this.anomalous.set(service, set);
    }
    set.add(metric);
  }
}

export function ms(item: { timestamp?: Timestamp | undefined }): number {
  return item.timestamp ? timestampMs(item.timestamp) : 0;
}
