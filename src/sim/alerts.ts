/**
 * Symptom alerts, as a monitoring system would fire them: a rule per node and metric fires when
 * the metric has been past its threshold for two consecutive minutes, and clears after five
 * healthy minutes. Rules watch the golden signals (errors, latency) and saturation; the first
 * alert to fire is the page. Each rule has the priority monitoring was configured with
 * (./alert-priority.ts) and words its alerts in the incident's phrasing (./alert-wording.ts).
 *
 * Coverage is uneven, as in real systems: user-facing nodes (gateways, services) always have
 * their rules, but each backend (database, cache, queue, search, vendor, DNS, network) has its
 * own rules only with probability BACKEND_COVERAGE, seeded per system. A backend without rules
 * never pages and never shows among the alerts or in the overview: when it is the root, the
 * responder finds it by following the trouble down from the page (inspections, traces, logs).
 */
import type { Phrasing, SeverityWord } from "./vocabulary.js";
import { AlertPriorities } from "./alert-priority.js";
import { ALERTING, ALERT_DESCRIPTION, ALERT_TITLES, type AlertingMetric } from "./alert-wording.js";
import type { Simulation } from "./engine.js";
import { METRICS, METRIC_INDEX, type MetricName, type NodeKind } from "./model.js";
import { Phraser } from "./phrasing.js";
import { fillTemplate, misconfiguredThreshold } from "./placeholders.js";
import type { Rng } from "./prng.js";

const FIRE_AFTER = 2;
/** An alert already firing when the history starts has been firing this long (45 minutes to 6 hours). */
const CHRONIC_ALERT_MIN_AGE_MINUTES = 45;
const CHRONIC_ALERT_MAX_AGE_MINUTES = 360;
/** Chance that a backend node has alert rules at all. */
const BACKEND_COVERAGE = 0.3;
const BACKENDS: ReadonlySet<string> = new Set(["database", "cache", "queue", "search", "vendor", "dns", "network"]);
const CLEAR_AFTER = 5;

export interface AlertRecord {
  id: string;
  node: string;
  metric: MetricName;
  title: string;
  description: string;
  /** The priority the rule was configured with (not the incident's severity). */
  priority: SeverityWord;
  firedAtMinute: number;
  clearedAtMinute?: number;
  /** The reading that fired it. */
  value: number;
  threshold: number;
}

/** One alerting rule: a node's metric, with its streaks of bad and good minutes. */
interface Rule {
  node: string;
  metric: AlertingMetric;
  threshold: number;
  /** The node's kind: with the node and the metric, it gives the rule's configured priority (drawn when the rule first fires). */
  kind: NodeKind;
  /** The node's live readings and this metric's slot in them. */
  readings: Readonly<Float64Array>;
  slot: number;
  above: boolean;
  /** A false alarm's misconfiguration: while the fault is active the rule fires at this threshold. */
  misconfigured: { threshold: number } | undefined;
  bad: number;
  good: number;
  open: AlertRecord | undefined;
}

export class AlertBook {
  private rules: Rule[] | undefined;
  /** Alerts firing now, oldest first. */
  private firing: AlertRecord[] = [];
  readonly history: AlertRecord[] = [];
  private counter = 0;
  private readonly phraser: Phraser;
  private readonly priorities: AlertPriorities;

  /** `rng` seeds the rules' configured priorities and wordings. */
  constructor(phrasing: Phrasing, rng: Rng) {
    this.phraser = new Phraser(phrasing, rng.fork("wording"));
    this.priorities = new AlertPriorities(rng.fork("priority"));
    this.coverage = rng.fork("coverage");
  }

  private readonly coverage: Rng;

  /** Whether a node has alert rules: always for user-facing nodes, by a seeded draw for backends. */
  private covered(node: string, kind: string, forced: boolean): boolean {
    return forced || !BACKENDS.has(kind) || this.coverage.fork(node).chance(BACKEND_COVERAGE);
  }

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
        const speaker = `${rule.node}/${rule.metric}`;
        const vars = {
          node: rule.node,
          signal: rule.metric.replace(/_/g, " "),
          value: describeReading(rule.metric, value),
          threshold: describeReading(rule.metric, threshold),
        };
        rule.open = {
          id: `ALT-${String(this.counter).padStart(3, "0")}`,
          node: rule.node,
          metric: rule.metric,
          title: fillTemplate(this.phraser.word(ALERT_TITLES[rule.metric], speaker), vars),
          description: fillTemplate(this.phraser.word(ALERT_DESCRIPTION, speaker), vars),
          priority: this.priorities.of(rule.node, rule.kind, rule.metric),
          // A rule already firing when the history starts has been firing for a while (a chronic
          // problem): hours, not the two minutes the history happens to show.
          firedAtMinute:
            minute <= sim.firstMinute + FIRE_AFTER
              ? minute -
                this.coverage.fork(`since:${rule.node}:${rule.metric}`).int(CHRONIC_ALERT_MIN_AGE_MINUTES, CHRONIC_ALERT_MAX_AGE_MINUTES)
              : minute,
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
    const forced = new Set(spec.covered ?? []);
    if (bad) forced.add(spec.root);
    return spec.topology.nodes
      .filter((node) => this.covered(node.name, node.kind, forced.has(node.name)))
      .flatMap((node) =>
        sim
          .metricsOf(node.name)
          .filter(isAlerting)
          .map((metric): Rule => ({
            node: node.name,
            metric,
            kind: node.kind,
            threshold: sim.profileOf(node.name, metric)?.threshold ?? 0,
            readings: sim.readingsOf(node.name) ?? new Float64Array(0),
            slot: METRIC_INDEX[metric],
            above: METRICS[metric].direction === "above",
            misconfigured: bad && node.name === spec.root && metric === bad.metric ? { threshold: misfire } : undefined,
            bad: 0,
            good: 0,
            open: undefined,
          })),
      );
  }
}

function isAlerting(metric: MetricName): metric is AlertingMetric {
  return (ALERTING as readonly MetricName[]).includes(metric);
}

function describeReading(metric: MetricName, value: number): string {
  const info = METRICS[metric];
  return `${value.toFixed(info.decimals)}${info.unit === "%" ? "%" : ` ${info.unit}`}`;
}
