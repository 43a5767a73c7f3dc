/**
 * Symptom alerts, as a monitoring system would fire them: a rule per node and metric fires when
 * the metric has been past its threshold for two consecutive minutes, and clears after five
 * healthy minutes. Rules watch the golden signals (errors, latency) and saturation; the first
 * alert to fire is the page.
 */
import type { Simulation } from "./engine.js";
import { METRICS, METRIC_INDEX, type MetricName } from "./model.js";
import { misconfiguredThreshold } from "./placeholders.js";

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

/** One alerting rule: a node's metric, with its streaks of bad and good minutes. */
interface Rule {
  node: string;
  metric: MetricName;
  threshold: number;
  /** The node's live readings and this metric's slot in them. */
  readings: Readonly<Float64Array>;
  slot: number;
  above: boolean;
  /** A false alarm's misconfiguration: while the fault is active the rule fires at this threshold. */
  misconfigured?: { threshold: number };
  bad: number;
  good: number;
  open?: AlertRecord;
}

export class AlertBook {
  private rules: Rule[] | undefined;
  /** Alerts firing now, oldest first. */
  private firing: AlertRecord[] = [];
  readonly history: AlertRecord[] = [];
  private counter = 0;

  /** Evaluates every rule on the simulation's current minute; returns alerts that fired now. */
  evaluate(sim: Simulation): AlertRecord[] {
    const minute = sim.currentMinute;
    const fired: AlertRecord[] = [];
    this.rules ??= this.buildRules(sim);
    for (const rule of this.rules) {
      const reading = rule.readings[rule.slot] ?? NaN;
      const value = Number.isNaN(reading) ? 0 : reading;
      const threshold = rule.misconfigured && sim.intensity.value > 0 ? rule.misconfigured.threshold : rule.threshold;
      if (rule.above ? value > threshold : value < threshold) {
        rule.bad++;
        rule.good = 0;
      } else {
        rule.good++;
        rule.bad = 0;
      }
      if (!rule.open && rule.bad >= FIRE_AFTER) {
        this.counter++;
        rule.open = {
          id: `ALT-${String(this.counter).padStart(3, "0")}`,
          node: rule.node,
          metric: rule.metric,
          title: `${TITLES[rule.metric] ?? rule.metric} on ${rule.node}`,
          firedAtMinute: minute,
          value,
          threshold,
        };
        this.history.push(rule.open);
        this.firing.push(rule.open);
        fired.push(rule.open);
      } else if (rule.open && rule.good >= CLEAR_AFTER) {
        const cleared = rule.open;
        cleared.clearedAtMinute = minute;
        this.firing = this.firing.filter((a) => a !== cleared);
        rule.open = undefined;
      }
    }
    return fired;
  }

  /** Alerts firing now, oldest first. */
  active(): AlertRecord[] {
    return [...this.firing];
  }

  private buildRules(sim: Simulation): Rule[] {
    const spec = sim.spec;
    const bad = spec.fault.misconfiguredAlert;
    const misfire = bad ? misconfiguredThreshold(spec, sim.index.node(spec.root).kind).misfire : 0;
    return spec.topology.nodes.flatMap((node) =>
      sim
        .metricsOf(node.name)
        .filter((metric) => ALERTING.includes(metric))
        .map((metric) => ({
          node: node.name,
          metric,
          threshold: sim.profileOf(node.name, metric)?.threshold ?? 0,
          readings: sim.readingsOf(node.name) ?? new Float64Array(0),
          slot: METRIC_INDEX[metric],
          above: METRICS[metric].direction === "above",
          ...(bad && node.name === spec.root && metric === bad.metric ? { misconfigured: { threshold: misfire } } : {}),
          bad: 0,
          good: 0,
        })),
    );
  }
}

export function describeReading(metric: MetricName, value: number): string {
  const info = METRICS[metric];
  return `${value.toFixed(info.decimals)}${info.unit === "%" ? "%" : ` ${info.unit}`}`;
}
