/**
 * The priority each alert rule was configured with. It is what monitoring says about a symptom
 * (errors at the front door page as P1, a busy CPU as P3), not the incident's severity, which the
 * responder assesses from the impact: the same symptom may come with a small or a large incident.
 *
 * Teams configure their rules differently, so each system draws its own variation: per metric, a
 * team style one step up or down from the usual default; per rule, an owner who changed it by a
 * step. The draws depend only on the seed, the metric and the node, never on the incident.
 */
import type { SeverityWord } from "./vocabulary.js";
import type { AlertingMetric } from "./alert-wording.js";
import type { NodeKind } from "./model.js";
import type { Rng } from "./prng.js";

type Level = 1 | 2 | 3 | 4;
const WORDS: readonly SeverityWord[] = ["P1", "P2", "P3", "P4"];

/** The usual default per metric, and per node kind where it differs. */
const DEFAULTS: Readonly<Record<AlertingMetric, { default: Level; byKind?: Partial<Record<NodeKind, Level>> }>> = {
  error_rate: { default: 2, byKind: { gateway: 1, cache: 3, queue: 3, search: 3, config: 3 } },
  latency_p99: { default: 3, byKind: { gateway: 2 } },
  cpu_usage: { default: 3 },
  memory_usage: { default: 3 },
  connection_usage: { default: 3, byKind: { database: 2 } },
  disk_usage: { default: 3, byKind: { database: 2, queue: 2 } },
  consumer_lag: { default: 3 },
  cache_hit_ratio: { default: 3 },
};

/** Chance that a system's team pages one step higher (and, separately, lower) on a metric. */
const TEAM_STEP = 0.25;
/** Chance that one rule's owner moved it a step up (and, separately, down). */
const OWNER_STEP = 0.1;

export class AlertPriorities {
  /** The team's step per metric: one seeded draw, the same for every rule on that metric. */
  private readonly teamSteps = new Map<AlertingMetric, number>();

  constructor(private readonly rng: Rng) {}

  /** The configured priority of the rule watching `metric` on `node`. */
  of(node: string, kind: NodeKind, metric: AlertingMetric): SeverityWord {
    const usual = DEFAULTS[metric].byKind?.[kind] ?? DEFAULTS[metric].default;
    let team = this.teamSteps.get(metric);
    if (team === undefined) this.teamSteps.set(metric, (team = step(this.rng.fork(`team:${metric}`), TEAM_STEP)));
    const level = usual + team + step(this.rng.fork(`rule:${node}:${metric}`), OWNER_STEP);
    return WORDS[Math.min(4, Math.max(1, level)) - 1] ?? "P3";
  }
}

/** -1 (more urgent) or +1 with probability `p` each, else 0. */
function step(rng: Rng, p: number): number {
  const x = rng.next();
  return x < p ? -1 : x < 2 * p ? 1 : 0;
}
