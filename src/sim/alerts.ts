/**
 * Symptom alerts, as a monitoring system would fire them: a rule per node and metric fires when
 * the metric has been past its threshold for two consecutive minutes, and clears after five
 * healthy minutes. Rules watch the golden signals (errors, latency) and saturation; the first
 * alert to fire is the page.
 */
import type { Simulation } from "./engine.js";
import { METRICS, type MetricName } from "./model.js";

/** Metrics with alerting rules. Traffic alone does not page anyone. */
const ALERTING: readonly MetricName[] = ["error_rate", "latency_p99", "cpu_usage", "memory_usage", "connection_usage", "disk_usage", "consumer_lag", "cache_hit_ratio"];
const FIRE_AFTER = 2;
const CLEAR_AFTER = 5;

const TITLES: Readonly<Record<string, string>> = {
  error_rate: "High error rate",
  latency_p99: "High p99 latency",
  cpu_usage: "CPU saturation",
  memory_usage: "Memory pressure",
  connection_usage: "Connection pool saturation",
  disk_usage: "Disk almost full",
  consumer_lag: "Consumer lag growing",
  cache_hit_ratio: "Cache hit ratio collapsed",
};

export interface AlertRecord {
  id: string;
  node: string;
  metric: MetricName;
  title: string;
  firedAtMinute: number;
  clearedAtMinute?: number;
  /** The reading that fired it. */
  value: number;
  threshold: number;
}

export class AlertBook {
  private readonly streaks = new Map<string, { bad: number; good: number }>();
  private readonly open = new Map<string, AlertRecord>();
  readonly history: AlertRecord[] = [];
  private counter = 0;

  /** Evaluates every rule on the simulation's current minute; returns alerts that fired now. */
  evaluate(sim: Simulation): AlertRecord[] {
    const minute = sim.currentMinute;
    const fired: AlertRecord[] = [];
    for (const node of sim.spec.topology.nodes) {
      for (const metric of sim.metricsOf(node.name)) {
        if (!ALERTING.includes(metric)) continue;
        const value = sim.value(node.name, metric) ?? 0;
        const key = `${node.name}|${metric}`;
        const streak = this.streaks.get(key) ?? { bad: 0, good: 0 };
        if (sim.isAnomalous(node.name, metric, value)) {
          streak.bad++;
          streak.good = 0;
        } else {
          streak.good++;
          streak.bad = 0;
        }
        this.streaks.set(key, streak);
        const current = this.open.get(key);
        if (!current && streak.bad >= FIRE_AFTER) {
          this.counter++;
          const record: AlertRecord = {
            id: `ALT-${String(this.counter).padStart(3, "0")}`,
            node: node.name,
            metric,
            title: `${TITLES[metric] ?? metric} on ${node.name}`,
            firedAtMinute: minute,
            value,
            threshold: sim.profileOf(node.name, metric)?.threshold ?? 0,
          };
          this.open.set(key, record);
          this.history.push(record);
          fired.push(record);
        } else if (current && streak.good >= CLEAR_AFTER) {
          current.clearedAtMinute = minute;
          this.open.delete(key);
        }
      }
    }
    return fired;
  }

  /** Alerts firing now, oldest first. */
  active(): AlertRecord[] {
    return [...this.open.values()].sort((a, b) => a.firedAtMinute - b.firedAtMinute);
  }

}

export function describeReading(metric: MetricName, value: number): string {
  const info = METRICS[metric];
  return `${value.toFixed(info.decimals)}${info.unit === "%" ? "%" : ` ${info.unit}`}`;
}
