/**
 * The simulation engine: a minute-by-minute model of a service graph with one fault in it.
 *
 * Each minute, nodes are computed callees first:
 * 1. traffic: the entry point gets the diurnal user load; every other node gets what its callers
 *    sent it the minute before (retries and cache misses included, so retry storms and cache
 *    stampedes overload callees by themselves);
 * 2. healthy values: the node kind's baselines with seeded noise, CPU following traffic, and
 *    overload when traffic outgrows capacity (replicas);
 * 3. the fault: its effects on the root and its scopes at the current intensity;
 * 4. remediation side effects and distractors;
 * 5. dependencies: each request edge fails when the callee errs, when the edge itself is broken
 *    (partition, expired certificate, DNS), or when the callee is slower than the edge's timeout;
 *    retries hide random failures but add latency and load; failures, latency and blocked threads
 *    flow up to the caller.
 * Every number is a pure function of the incident spec, the seed, and the remediations applied.
 */
import type { Effect, EdgeEffect, Scope } from "./fault-types.js";
import { FaultIntensity } from "./intensity.js";
import type { IncidentSpec } from "./incident.js";
import {
  KIND_PROFILES,
  METRICS,
  METRIC_COUNT,
  METRIC_INDEX as M,
  metricsOf,
  type MetricName,
  type MetricProfile,
  type NodeKind,
} from "./model.js";
import { Rng } from "./prng.js";
import { TopologyIndex, type DependencyEdge, type ServiceNode } from "./topology.js";

/**
 * Minutes of healthy history: simulation starts this long before minute 0, and at least 10
 * minutes before the onset, so every series has a baseline to compare with.
 */
const HISTORY_MINUTES = 30;
const HEALTHY_BEFORE_ONSET = 10;
/** Most a client sends on one edge, as a multiple of its base rate, once retries are counted. */
const RETRY_BUDGET = 2.5;
/**
 * Minutes of history kept per metric: what an inspection shows. Older readings are dropped (with
 * thousands of episodes in memory, a full history would be most of an episode's size); the
 * impact's peaks are tracked minute by minute instead (IncidentWorld).
 */
export const RECENT_MINUTES = 30;

/** Relative noise by metric: how much a healthy reading wobbles from minute to minute. */
const NOISE: Readonly<Record<MetricName, number>> = {
  latency_p50: 0.06,
  latency_p99: 0.1,
  error_rate: 0.35,
  request_rate: 0.04,
  cpu_usage: 0.05,
  memory_usage: 0.015,
  connection_usage: 0.05,
  queue_depth: 0.1,
  consumer_lag: 0.12,
  disk_usage: 0.002,
  cache_hit_ratio: 0.01,
  lock_waits: 0.4,
};

/** Consumers this stuck or less (a few percent of failed deliveries, threads just past 85% busy) count as healthy. */
const STUCK_NOISE = 0.1;

// The engine's tuning: each value below shapes how a healthy system looks and how trouble
// spreads. They were chosen so that incidents read like real ones (a page within minutes of the
// onset, symptoms on callers, recovery within minutes of the right fix); the graders and the
// fixtures depend on them, so a change is a change of every episode.

const MINUTE_MS = 60_000;
const MINUTES_PER_DAY = 1440;
/** Traffic swings this share above and below its mean over a day (a sine of the wall-clock minute). */
const DIURNAL_AMPLITUDE = 0.18;
/** Most of the entry traffic a node may shed (load shedding keeps some requests flowing). */
const MAX_SHED_SHARE = 0.9;
/** CPU at zero load is this share of its baseline; each unit of load adds CPU_PER_LOAD of it, up to CPU_LOAD_CAP units. */
const CPU_IDLE_SHARE = 0.55;
const CPU_PER_LOAD = 0.45;
const CPU_LOAD_CAP = 4;
/** Load (offered / capacity) past which queues build: below it a node absorbs bursts. */
const OVERLOAD_THRESHOLD = 1.3;
/** Per unit of load past OVERLOAD_THRESHOLD: CPU points, p99 latency factor, connection-usage points. */
const OVERLOAD_CPU_POINTS = 30;
const OVERLOAD_P99_FACTOR = 1.5;
const OVERLOAD_CONNECTION_POINTS = 35;
/** Load past which requests fail outright, and the error-rate points per unit of load beyond it. */
const OVERLOAD_FAILURE_LOAD = 2;
const OVERLOAD_ERROR_POINTS = 12;
/** Relative wobble of a distractor's noisy reading. */
const NOISY_READING_WOBBLE = 0.03;
/** A call at its timeout fails half the time; one twice as slow as the timeout always fails. */
const TIMEOUT_FAILURE_AT_LIMIT = 0.5;
/** An error rate this close to 1 fails every retry (Math.pow would otherwise leave a sliver). */
const CERTAIN_FAILURE = 0.999;
/** Extra wait per retry with exponential backoff, as a multiple of the excess latency. */
const EXPONENTIAL_BACKOFF_WAIT = 1.5;
/** Share of retries that backoff (linear or exponential) still sends on: it spaces them out, it does not cancel them. */
const BACKOFF_RETRY_SHARE = 0.4;
/** Share of the callees' excess latency the median feels (p99 takes the worst callee's all). */
const P50_EXCESS_SHARE = 0.6;
/** Connection usage past which a full pool rejects requests, and the error-rate points per point beyond it. */
const POOL_FULL_PERCENT = 97;
const POOL_FULL_ERROR_POINTS = 8;
/** A consumer counts as stuck from CONSUMER_BUSY_FROM% connections used, fully at 100%; or as its error rate reaches CONSUMER_FAILING_AT%. */
const CONSUMER_BUSY_FROM = 85;
const CONSUMER_BUSY_SPAN = 15;
const CONSUMER_FAILING_AT = 50;
/** Messages of lag a fully stuck consumer adds per minute, and that healthy consumers drain per minute. */
const LAG_GROWTH_PER_MINUTE = 900;
const LAG_DRAIN_PER_MINUTE = 1200;
/** A cache's hit ratio when its profile names none, in percent. */
const DEFAULT_CACHE_HIT_PERCENT = 90;
/** Floor of the normal miss share (a cache that never misses would make any miss infinite). */
const MIN_NORMAL_MISS_SHARE = 0.01;
/** Most a cache's misses multiply the database traffic behind it. */
const MAX_CACHE_MISS_FACTOR = 12;

const PERCENT_METRICS = new Set<MetricName>([
  "error_rate",
  "cpu_usage",
  "memory_usage",
  "connection_usage",
  "disk_usage",
  "cache_hit_ratio",
]);

/** A metric change on one node, without a scope. */
export type NodeEffect = Omit<Effect, "scope">;

/** A temporary change to a node's metrics (the side effect of a fix that backfired). */
interface TimedEffects {
  effects: ReadonlyArray<NodeEffect & { scope: "node" }>;
  /** First minute the effects apply (unset: at once). */
  from?: number;
  until: number;
}

interface NodeState {
  node: ServiceNode;
  profile: Partial<Record<MetricName, MetricProfile>>;
  metrics: readonly MetricName[];
  /** Steady-state requests per second at diurnal factor 1. */
  baseRate: number;
  /** True where user traffic (or a node's own baseline load) enters: no request edge leads here. */
  entry: boolean;
  /** Which metrics are percentages (clamped to 100), in `metrics` order. */
  percent: boolean[];
  /** Noisy-neighbour red herrings on this node. */
  noisy: ReadonlyArray<{ metric: MetricName; value: number }>;
  /** A chronic anomaly on this node: its own errors and slowness, which its callers do not inherit. */
  chronic: { errorRate: number; addedLatencyMs: number } | undefined;
  /** Request edges from this node to its callees. */
  requestEdges: readonly DependencyEdge[];
  /** The callees' states, in `requestEdges` order. */
  calleeStates: readonly NodeState[];
  /** The fault's edge effects that reach each request edge, in `requestEdges` order. */
  edgeEffects: ReadonlyArray<readonly EdgeEffect[]>;
  /** Requests per second sent to this node during the minute being computed. */
  nextIncoming: number;
  /** Requests per second sent to this node during the previous minute. */
  incoming: number;
  /** Capacity factor from scaling: 1 normal, 2 doubled, 0 down. */
  capacity: number;
  /** Unavailable (restarting) until this minute. */
  downUntil: number;
  /** Share of entry traffic rejected on purpose (load shedding), 0..1. */
  shed: number;
  sideEffects: TimedEffects[];
  /** The fault's effects that concern this node, picked once. */
  faultEffects: readonly Effect[];
  /** This node's own noise stream, drawn in a fixed order each minute. */
  noise: Rng;
  /** Value of each metric at the current minute (a view into Simulation.block). */
  now: Float64Array;
  /** Where `now`, then `history`, start in Simulation.block. */
  offset: number;
  /** Slots (METRIC_INDEX) of the metrics this node reports, in `metrics` order. */
  slots: number[];
  /** Position in `metrics` of each slot (METRIC_INDEX), -1 where the node does not report it. */
  positions: Int8Array;
  /**
   * Every metric's values of the last RECENT_MINUTES minutes, in one ring buffer per node (a view
   * into Simulation.block): the value of metric k (in `metrics` order) at minute m is at
   * history[k * RECENT_MINUTES + (m - firstMinute) % RECENT_MINUTES].
   */
  history: Float64Array;
  /** What each request edge did this minute, in `requestEdges` order (also in Simulation.edgeReadings). */
  readings: EdgeReading[];
  /** Healthy value and noise amplitude of each metric, in `metrics` order. */
  baselines: number[];
  noiseAmplitudes: number[];
}

/** What happened on one edge during the current minute. */
interface EdgeReading {
  edge: DependencyEdge;
  errorRate: number;
  latencyMs: number;
  callsPerSecond: number;
}

export class Simulation {
  readonly index: TopologyIndex;
  readonly firstMinute: number;
  readonly intensity: FaultIntensity;
  private minute: number;
  private readonly states = new Map<string, NodeState>();
  private readonly rng: Rng;
  private readonly edgeReadings = new Map<DependencyEdge, EdgeReading>();
  /** Every node's `now` and `history`, back to back (see NodeState.offset). */
  private readonly block: Float64Array;
  /** Node states, callees first. */
  private ordered: NodeState[] = [];
  private readonly rootCallers: ReadonlySet<string>;
  private readonly rootCallees: ReadonlySet<string>;
  /**
   * What incidentHealthy reads: errors and p99 latency of the root and every node upstream of it,
   * and the fault's signature metrics on the root (live readings of this simulation's nodes).
   */
  private healthWatches: readonly MetricWatch[];
  /** Nodes no request edge leads to: user traffic (or their own baseline load) enters here. */
  private readonly entries: ReadonlySet<string>;

  constructor(
    readonly spec: IncidentSpec,
    seed: number,
  ) {
    this.index = TopologyIndex.of(spec.topology);
    this.rng = new Rng(seed).fork(`engine:${spec.id}`);
    this.intensity = new FaultIntensity(spec.fault.growth, spec.onsetMinute);
    this.firstMinute = Math.min(spec.onsetMinute - HEALTHY_BEFORE_ONSET, -HISTORY_MINUTES);
    this.minute = this.firstMinute - 1;
    this.rootCallers = new Set(
      this.index
        .callers(spec.root)
        .filter((e) => e.requestPath)
        .map((e) => e.caller),
    );
    this.rootCallees = new Set(
      this.index
        .callees(spec.root)
        .filter((e) => e.requestPath)
        .map((e) => e.callee),
    );
    this.entries = new Set(this.index.entryPoints().map((n) => n.name));
    // Every node's readings and history live in one buffer: one allocation (and one copy for a
    // fork) instead of two per node.
    let size = 0;
    for (const node of spec.topology.nodes) size += METRIC_COUNT + kindTables(node.kind).metrics.length * RECENT_MINUTES;
    this.block = new Float64Array(size);
    let offset = 0;
    for (const node of spec.topology.nodes) {
      const profile = KIND_PROFILES[node.kind];
      const kind = kindTables(node.kind);
      const historyAt = offset + METRIC_COUNT;
      const end = historyAt + kind.metrics.length * RECENT_MINUTES;
      this.states.set(
        node.name,
        nodeState({
          node,
          profile,
          metrics: kind.metrics,
          baseRate: 0,
          incoming: 0,
          capacity: 1,
          downUntil: -Infinity,
          shed: 0,
          // An unrelated noisy change (expert) is a blip scheduled on its node.
          sideEffects: spec.distractors.flatMap((d) =>
            d.kind === "noisy_change" && d.node === node.name
              ? [
                  {
                    effects: d.effects.map((e) => ({ metric: e.metric, op: e.op, value: e.value, scope: "node" as const })),
                    from: d.minute,
                    until: d.minute + d.minutes - 1,
                  },
                ]
              : [],
          ),
          faultEffects: [],
          noise: this.rng.fork(`noise:${node.name}`),
          now: this.block.subarray(offset, historyAt).fill(NaN),
          offset,
          slots: kind.slots,
          positions: kind.positions,
          history: this.block.subarray(historyAt, end),
          readings: [],
          entry: false,
          percent: kind.percent,
          noisy: spec.distractors.flatMap((d) =>
            d.kind === "noisy_neighbor" && d.node === node.name ? [{ metric: d.metric, value: d.value }] : [],
          ),
          chronic: spec.distractors.flatMap((d) =>
            d.kind === "chronic_anomaly" && d.node === node.name ? [{ errorRate: d.errorRate, addedLatencyMs: d.addedLatencyMs }] : [],
          )[0],
          requestEdges: [],
          calleeStates: [],
          edgeEffects: [],
          nextIncoming: 0,
          baselines: kind.baselines,
          noiseAmplitudes: kind.noiseAmplitudes,
        }),
      );
      offset = end;
    }
    this.computeBaseRates();
    for (const state of this.states.values()) {
      state.faultEffects = spec.fault.effects.filter((e) => this.inScope(e.scope, state.node.name));
      state.requestEdges = this.index.callees(state.node.name).filter((e) => e.requestPath);
      state.readings = state.requestEdges.map((edge) => newEdgeReading(edge, 0, 0, 0));
      for (const reading of state.readings) this.edgeReadings.set(reading.edge, reading);
      state.entry = this.entries.has(state.node.name);
      state.edgeEffects = state.requestEdges.map((edge) => spec.fault.edgeEffects.filter((effect) => this.edgeInScope(effect, edge)));
    }
    for (const state of this.states.values()) {
      state.calleeStates = state.requestEdges.map((edge) => this.states.get(edge.callee) as NodeState);
    }
    this.ordered = this.index.calleesFirst.map((name) => this.states.get(name) as NodeState);
    this.healthWatches = this.incidentWatches();
  }

  /** The watches of incidentHealthy, on this simulation's own readings. */
  private incidentWatches(): MetricWatch[] {
    const root = this.spec.root;
    const path = [root, ...this.index.upstreamOf(root)];
    return [
      ...path.flatMap((n) => [this.watch(n, "error_rate"), this.watch(n, "latency_p99")]),
      ...this.spec.fault.signature.map((m) => this.watch(root, m)),
    ].filter((w): w is MetricWatch => w !== undefined);
  }

  /**
   * An independent copy of the simulation as it stands now, for "what if" probes (the generator
   * checks that the right fix heals an incident on a copy, without simulating its history twice).
   */
  fork(): Simulation {
    const states = new Map<string, NodeState>();
    const edgeReadings = new Map<DependencyEdge, EdgeReading>();
    const block = this.block.slice();
    for (const [name, state] of this.states) {
      const readings = state.readings.map((r) => newEdgeReading(r.edge, r.errorRate, r.latencyMs, r.callsPerSecond));
      for (const r of readings) edgeReadings.set(r.edge, r);
      const historyAt = state.offset + METRIC_COUNT;
      states.set(
        name,
        nodeState({
          ...state,
          noise: state.noise.clone(),
          now: block.subarray(state.offset, historyAt),
          sideEffects: [...state.sideEffects],
          history: block.subarray(historyAt, historyAt + state.history.length),
          readings,
        }),
      );
    }
    for (const state of states.values()) state.calleeStates = state.requestEdges.map((edge) => states.get(edge.callee) as NodeState);
    const copy = Object.create(Simulation.prototype) as Simulation;
    Object.assign(copy, this, {
      intensity: this.intensity.clone(),
      block,
      states,
      edgeReadings,
      ordered: this.index.calleesFirst.map((name) => states.get(name) as NodeState),
    });
    copy.healthWatches = copy.incidentWatches();
    return copy;
  }

  /** The last minute computed. */
  get currentMinute(): number {
    return this.minute;
  }

  /** Computes minutes up to and including `minute`. */
  runTo(minute: number): void {
    while (this.minute < minute) this.step();
  }

  /** The value of a metric at the current minute (undefined if the node does not report it). */
  value(node: string, metric: MetricName): number | undefined {
    const value = this.states.get(node)?.now[M[metric]];
    return value === undefined || Number.isNaN(value) ? undefined : value;
  }

  /**
   * The live readings array of a node (indexed by METRIC_INDEX, NaN where not reported), for hot
   * loops that read many metrics every minute. Read-only for callers.
   */
  readingsOf(node: string): Readonly<Float64Array> | undefined {
    return this.states.get(node)?.now;
  }

  /**
   * A metric's values from minute `from` to the current minute, oldest first; empty when the node
   * does not report the metric. `from` must lie within the last RECENT_MINUTES minutes, at or
   * after firstMinute (older readings are not kept).
   *
   * A plain array, not a Float64Array: V8 keeps a typed array of more than 64 bytes outside the
   * heap, and making one costs about 2 microseconds (40 times an array of numbers), which an
   * inspection of a dozen metrics would pay twice per metric.
   */
  recentValues(node: string, metric: MetricName, from: number): number[] {
    const state = this.states.get(node);
    const k = state?.positions[M[metric]] ?? -1;
    if (!state || k < 0 || from > this.minute) return [];
    if (from < this.firstMinute || from <= this.minute - RECENT_MINUTES) throw new RangeError(`minute ${from} is no longer kept`);
    const values: number[] = [];
    const base = k * RECENT_MINUTES;
    for (let m = from; m <= this.minute; m++) values.push(state.history[base + ((m - this.firstMinute) % RECENT_MINUTES)] ?? 0);
    return values;
  }

  metricsOf(node: string): readonly MetricName[] {
    return this.states.get(node)?.metrics ?? [];
  }

  profileOf(node: string, metric: MetricName): MetricProfile | undefined {
    return this.states.get(node)?.profile[metric];
  }

  /** Whether a reading is past its threshold. */
  isAnomalous(node: string, metric: MetricName, value: number): boolean {
    const profile = this.profileOf(node, metric);
    if (!profile) return false;
    return METRICS[metric].direction === "above" ? value > profile.threshold : value < profile.threshold;
  }

  /** Whether any of the fault's edge effects reach this edge (whatever the fault's intensity). */
  edgeAffected(edge: DependencyEdge): boolean {
    return this.spec.fault.edgeEffects.some((effect) => this.edgeInScope(effect, edge));
  }

  /** Whether a metric of a node is past its threshold at the current minute. */
  anomalousNow(node: string, metric: MetricName): boolean {
    // value() and isAnomalous() in one lookup: this runs for every node every minute.
    const state = this.states.get(node);
    const value = state?.now[M[metric]];
    const profile = state?.profile[metric];
    if (value === undefined || Number.isNaN(value) || !profile) return false;
    return METRICS[metric].direction === "above" ? value > profile.threshold : value < profile.threshold;
  }

  /**
   * The incident's health indicators are within thresholds now: errors and p99 latency on the
   * root and everything upstream of it, and the fault's signature metrics on the root.
   */
  incidentHealthy(): boolean {
    for (const w of this.healthWatches) if (breached(w)) return false;
    return true;
  }

  /**
   * A live check of one metric of one node against its threshold (breached() is anomalousNow
   * without the lookups), for code that asks the same question every minute; undefined when the
   * node does not have the metric (never anomalous).
   */
  watch(node: string, metric: MetricName): MetricWatch | undefined {
    const state = this.states.get(node);
    const profile = state?.profile[metric];
    if (!state || !profile || (state.positions[M[metric]] ?? -1) < 0) return undefined;
    return { now: state.now, slot: M[metric], threshold: profile.threshold, above: METRICS[metric].direction === "above" };
  }

  edgeReading(edge: DependencyEdge): EdgeReading | undefined {
    return this.minute >= this.firstMinute ? this.edgeReadings.get(edge) : undefined;
  }

  /** Makes a node unavailable for `minutes` (a restart), starting now. */
  restart(node: string, minutes: number): void {
    const state = this.states.get(node);
    // The current minute is already computed: the node is down for the next `minutes` minutes.
    if (state) state.downUntil = this.minute + minutes + 1;
  }

  /** Sets a node's capacity factor (replicas now / replicas before). 0 takes it down. */
  scale(node: string, factor: number): void {
    const state = this.states.get(node);
    if (state) state.capacity = factor;
  }

  /** Rejects a share of the traffic entering at this node from now on. */
  shedLoad(node: string, share: number): void {
    const state = this.states.get(node);
    if (state) state.shed = Math.min(MAX_SHED_SHARE, Math.max(0, share));
  }

  /** Adds temporary metric effects to nodes in a scope (relative to the root) for `minutes`. */
  addSideEffects(effects: readonly Effect[], minutes: number): void {
    for (const node of this.spec.topology.nodes) {
      const own = effects.filter((e) => this.inScope(e.scope, node.name)).map((e) => ({ ...e, scope: "node" as const }));
      if (own.length > 0) this.states.get(node.name)?.sideEffects.push({ effects: own, until: this.minute + minutes });
    }
  }

  /** Adds temporary metric effects to one node for `minutes`. */
  addNodeEffects(node: string, effects: readonly NodeEffect[], minutes: number): void {
    if (effects.length === 0) return;
    this.states
      .get(node)
      ?.sideEffects.push({ effects: effects.map((e) => ({ ...e, scope: "node" as const })), until: this.minute + minutes });
  }

  /** Nodes a scope covers. */
  nodesIn(scope: Scope): string[] {
    return this.spec.topology.nodes.map((n) => n.name).filter((name) => this.inScope(scope, name));
  }

  inScope(scope: Scope, node: string): boolean {
    switch (scope) {
      case "root":
        return node === this.spec.root;
      case "root_callers":
        return this.rootCallers.has(node);
      case "root_callees":
        return this.rootCallees.has(node);
    }
  }

  // ------------------------------------------------------------------ the minute step

  private step(): void {
    const t = this.minute + 1;
    this.minute = t;
    this.intensity.tick(t);
    const level = this.intensity.value;
    const diurnal = 1 + DIURNAL_AMPLITUDE * Math.sin((2 * Math.PI * (this.spec.startedAtMs / MINUTE_MS + t)) / MINUTES_PER_DAY);
    for (const state of this.ordered) {
      if (state.sideEffects.length > 0) state.sideEffects = state.sideEffects.filter((s) => s.until >= t);
      this.computeNode(state, t, level, diurnal);
    }
    const ring = (t - this.firstMinute) % RECENT_MINUTES;
    for (const state of this.ordered) {
      state.incoming = state.nextIncoming;
      state.nextIncoming = 0;
      const slots = state.slots;
      const history = state.history;
      const now = state.now;
      for (let k = 0, at = ring; k < slots.length; k++, at += RECENT_MINUTES) history[at] = now[slots[k] as number] ?? 0;
    }
  }

  private computeNode(state: NodeState, t: number, level: number, diurnal: number): void {
    const noise = state.noise;
    const offered = state.entry || t === this.firstMinute ? state.baseRate * diurnal : state.incoming;
    const rate = offered * (1 - state.shed);
    const load = state.capacity > 0 ? rate / Math.max(1e-9, state.baseRate * state.capacity) : Infinity;

    // Readings are computed in place: callers computed later this minute read them.
    const v = state.now;
    const slots = state.slots;
    for (let k = 0; k < slots.length; k++) {
      const wobble = 1 + (state.noiseAmplitudes[k] ?? 0) * (noise.next() + noise.next() - 1);
      v[slots[k] as number] = (state.baselines[k] ?? 0) * wobble;
    }
    if (has(v, M.request_rate)) v[M.request_rate] = rate;
    if (has(v, M.cpu_usage)) v[M.cpu_usage] = (v[M.cpu_usage] as number) * (CPU_IDLE_SHARE + CPU_PER_LOAD * Math.min(load, CPU_LOAD_CAP));
    // Overload: past OVERLOAD_THRESHOLD x capacity, queues build, latency climbs, and finally requests fail.
    if (load > OVERLOAD_THRESHOLD && Number.isFinite(load)) {
      const over = load - OVERLOAD_THRESHOLD;
      if (has(v, M.cpu_usage)) v[M.cpu_usage] = (v[M.cpu_usage] as number) + OVERLOAD_CPU_POINTS * over;
      if (has(v, M.latency_p99)) v[M.latency_p99] = (v[M.latency_p99] as number) * (1 + OVERLOAD_P99_FACTOR * over);
      if (has(v, M.latency_p50)) v[M.latency_p50] = (v[M.latency_p50] as number) * (1 + over);
      if (has(v, M.connection_usage)) v[M.connection_usage] = (v[M.connection_usage] as number) + OVERLOAD_CONNECTION_POINTS * over;
      if (has(v, M.error_rate))
        v[M.error_rate] = (v[M.error_rate] as number) + Math.max(0, load - OVERLOAD_FAILURE_LOAD) * OVERLOAD_ERROR_POINTS;
    }

    applyEffects(v, state.faultEffects, level);
    for (const timed of state.sideEffects) if (timed.from === undefined || timed.from <= t) applyEffects(v, timed.effects, 1);
    for (const d of state.noisy) {
      if (has(v, M[d.metric])) v[M[d.metric]] = d.value * (1 + NOISY_READING_WOBBLE * (noise.next() - 0.5));
    }

    this.propagateFromCallees(state, v, rate, load, level, t);
    const chronic = state.chronic;
    if (chronic) {
      if (has(v, M.error_rate)) v[M.error_rate] = (v[M.error_rate] as number) + chronic.errorRate;
      // Slowness of its own, on top of whatever it inherits from its callees.
      if (has(v, M.latency_p99)) v[M.latency_p99] = (v[M.latency_p99] as number) + chronic.addedLatencyMs;
    }

    const down = state.capacity === 0 || t < state.downUntil;
    if (down) {
      if (has(v, M.error_rate)) v[M.error_rate] = 100;
      if (has(v, M.cpu_usage)) v[M.cpu_usage] = 0;
    }
    for (let k = 0; k < slots.length; k++) {
      const i = slots[k] as number;
      const value = Math.max(0, v[i] as number);
      v[i] = state.percent[k] ? Math.min(100, value) : value;
    }
  }

  /** Folds what the node's callees did this minute into the node, and records what it sends them. */
  private propagateFromCallees(state: NodeState, v: Float64Array, rate: number, load: number, level: number, t: number): void {
    const traffic = state.baseRate > 0 ? rate / state.baseRate : 0;
    const edges = state.requestEdges;
    const missFactor = cacheMissFactor(state.calleeStates);
    let survive = 1;
    let worstExcess = 0;
    let sharedExcess = 0;
    let blocked = 0;
    for (let e = 0; e < edges.length; e++) {
      const edge = edges[e] as DependencyEdge;
      const callee = state.calleeStates[e] as NodeState;
      const share = state.baseRate > 0 ? Math.min(1, edge.callsPerSecond / state.baseRate) : 0;
      const broken = edgeBreakage(state.edgeEffects[e] ?? [], level);
      // A callee's chronic trouble is its own: callers do not wait for that endpoint.
      const own = callee.chronic;
      const calleeErrors = own ? Math.max(0, orZero(callee.now, M.error_rate) - own.errorRate) : orZero(callee.now, M.error_rate);
      const calleeLatency = own ? Math.max(0, orZero(callee.now, M.latency_p99) - own.addedLatencyMs) : orZero(callee.now, M.latency_p99);
      let errorRate = Math.min(100, calleeErrors + broken.errorRate);
      let latency = calleeLatency + broken.addedLatencyMs;
      if (latency >= edge.timeoutMs) {
        const timedOut = Math.min(1, TIMEOUT_FAILURE_AT_LIMIT + (latency - edge.timeoutMs) / edge.timeoutMs);
        errorRate = Math.max(errorRate, timedOut * 100);
        latency = edge.timeoutMs;
      }
      const p = errorRate / 100;
      const retried = 1 + edge.retries * p;
      const failAfterRetries = p >= CERTAIN_FAILURE ? 1 : Math.pow(p, 1 + edge.retries);
      survive *= 1 - failAfterRetries * share;
      const baselineLatency = callee.profile.latency_p99?.baseline ?? 0;
      const excess =
        Math.max(0, latency - baselineLatency) *
        (edge.backoff === "exponential" ? 1 + EXPONENTIAL_BACKOFF_WAIT * edge.retries * p : retried);
      worstExcess = Math.max(worstExcess, excess);
      sharedExcess += share * excess;
      blocked = Math.max(blocked, Math.min(1, excess / Math.max(1, edge.timeoutMs)));
      const amplification = edge.backoff === "none" ? retried : 1 + (retried - 1) * BACKOFF_RETRY_SHARE;
      const misses = callee.node.kind === "database" ? missFactor : 1;
      // Retry budgets: however many retries and cache misses pile up along a path, a client sends
      // at most RETRY_BUDGET times its base rate on an edge. (A fault's own call multiplier, a
      // retry storm, is not budgeted.)
      const budgeted = Math.min(traffic * amplification * misses, RETRY_BUDGET);
      const sent = edge.callsPerSecond * budgeted * broken.callMultiplier * (load === Infinity ? 0 : 1);
      callee.nextIncoming += sent;
      const reading = state.readings[e] as EdgeReading;
      reading.errorRate = errorRate;
      reading.latencyMs = latency;
      reading.callsPerSecond = sent;
    }
    // A queue hands messages to its consumers asynchronously: producers do not wait for them, so a
    // slow or failing consumer shows as lag (below), not as the queue's own errors or latency.
    const asynchronous = has(v, M.consumer_lag);
    if (has(v, M.error_rate) && !asynchronous) v[M.error_rate] = 100 - (100 - (v[M.error_rate] as number)) * survive;
    if (has(v, M.latency_p99) && !asynchronous) v[M.latency_p99] = (v[M.latency_p99] as number) + worstExcess;
    if (has(v, M.latency_p50) && !asynchronous) v[M.latency_p50] = (v[M.latency_p50] as number) + sharedExcess * P50_EXCESS_SHARE;
    if (has(v, M.connection_usage)) {
      // Threads waiting on slow calls stay busy; a full pool turns into rejected requests.
      const busy = (v[M.connection_usage] as number) + (100 - (v[M.connection_usage] as number)) * blocked;
      v[M.connection_usage] = busy;
      if (busy > POOL_FULL_PERCENT && has(v, M.error_rate))
        v[M.error_rate] = (v[M.error_rate] as number) + (busy - POOL_FULL_PERCENT) * POOL_FULL_ERROR_POINTS;
    }
    if (asynchronous) {
      // A queue delivers to its consumers (queue -> consumer edges): its lag grows while they are
      // stuck (threads busy or calls failing), and drains once they recover.
      let stuck = 0;
      for (let i = 0; i < edges.length; i++) {
        const busy = (orZero((state.calleeStates[i] as NodeState).now, M.connection_usage) - CONSUMER_BUSY_FROM) / CONSUMER_BUSY_SPAN;
        const failing = (state.readings[i] as EdgeReading).errorRate / CONSUMER_FAILING_AT;
        stuck = Math.max(stuck, busy, failing);
      }
      // The last minute's lag (this minute's slot is written after the minute is computed).
      const k = state.positions[M.consumer_lag] ?? -1;
      const previous =
        t > this.firstMinute
          ? (state.history[k * RECENT_MINUTES + ((t - 1 - this.firstMinute) % RECENT_MINUTES)] ?? 0)
          : (v[M.consumer_lag] as number);
      // Below STUCK_NOISE the consumers are healthy: a baseline error rate of a fraction of a
      // percent must not count as stuck, or the lag creeps up forever and never drains.
      const drifted = stuck > STUCK_NOISE ? previous + LAG_GROWTH_PER_MINUTE * Math.min(1, stuck) : previous - LAG_DRAIN_PER_MINUTE;
      v[M.consumer_lag] = Math.max(v[M.consumer_lag] as number, drifted);
    }
  }

  private edgeInScope(effect: EdgeEffect, edge: DependencyEdge): boolean {
    switch (effect.scope) {
      case "into_root":
        return edge.callee === this.spec.root;
      case "out_of_root":
        return edge.caller === this.spec.root;
      case "all":
        return edge.requestPath;
      case "cross_zone": {
        const a = this.index.node(edge.caller).zone;
        const b = this.index.node(edge.callee).zone;
        return a !== "" && b !== "" && a !== b;
      }
    }
  }

  /** Steady-state traffic: the entry points' baseline, pushed down the request edges. */
  private computeBaseRates(): void {
    const order = [...this.index.calleesFirst].reverse(); // callers first
    for (const name of order) {
      const state = this.states.get(name) as NodeState;
      const inbound = this.index
        .callers(name)
        .filter((e) => e.requestPath)
        .reduce((sum, e) => sum + e.callsPerSecond, 0);
      const outbound = this.index
        .callees(name)
        .filter((e) => e.requestPath)
        .reduce((sum, e) => sum + e.callsPerSecond, 0);
      state.baseRate = inbound > 0 ? inbound : Math.max(outbound, state.profile.request_rate?.baseline ?? 1);
    }
  }
}

/**
 * A node state with its fields always in this order: the per-minute loop sees one object shape,
 * for the simulation's own states and a fork's copies alike.
 */
function nodeState(s: NodeState): NodeState {
  return {
    node: s.node,
    profile: s.profile,
    metrics: s.metrics,
    baseRate: s.baseRate,
    entry: s.entry,
    percent: s.percent,
    noisy: s.noisy,
    chronic: s.chronic,
    requestEdges: s.requestEdges,
    calleeStates: s.calleeStates,
    edgeEffects: s.edgeEffects,
    nextIncoming: s.nextIncoming,
    incoming: s.incoming,
    capacity: s.capacity,
    downUntil: s.downUntil,
    shed: s.shed,
    sideEffects: s.sideEffects,
    faultEffects: s.faultEffects,
    noise: s.noise,
    now: s.now,
    offset: s.offset,
    slots: s.slots,
    positions: s.positions,
    history: s.history,
    readings: s.readings,
    baselines: s.baselines,
    noiseAmplitudes: s.noiseAmplitudes,
  };
}

function newEdgeReading(edge: DependencyEdge, errorRate: number, latencyMs: number, callsPerSecond: number): EdgeReading {
  return { edge, errorRate, latencyMs, callsPerSecond };
}

const UNBROKEN = { errorRate: 0, addedLatencyMs: 0, callMultiplier: 1 } as const;

/** How much more database traffic callers send when the caches they use miss. */
function cacheMissFactor(callees: readonly NodeState[]): number {
  let factor = 1;
  for (const cache of callees) {
    if (cache.node.kind !== "cache") continue;
    const baseline = cache.profile.cache_hit_ratio?.baseline ?? DEFAULT_CACHE_HIT_PERCENT;
    const hit = has(cache.now, M.cache_hit_ratio) ? (cache.now[M.cache_hit_ratio] as number) : baseline;
    const down = orZero(cache.now, M.error_rate) / 100;
    const missesNow = Math.min(1, (100 - hit) / 100 + down);
    const missesNormally = (100 - baseline) / 100;
    factor = Math.max(factor, missesNow / Math.max(MIN_NORMAL_MISS_SHARE, missesNormally));
  }
  return Math.min(factor, MAX_CACHE_MISS_FACTOR);
}

interface KindTables {
  metrics: readonly MetricName[];
  slots: number[];
  positions: Int8Array;
  percent: boolean[];
  baselines: number[];
  noiseAmplitudes: number[];
}

/** Per node kind, read-only tables shared by every node of that kind (in every episode). */
const KIND_TABLES = new Map<NodeKind, KindTables>();

function kindTables(kind: NodeKind): KindTables {
  let tables = KIND_TABLES.get(kind);
  if (!tables) {
    const metrics = metricsOf(kind);
    const profile = KIND_PROFILES[kind];
    const positions = new Int8Array(METRIC_COUNT).fill(-1);
    metrics.forEach((m, k) => (positions[M[m]] = k));
    tables = {
      metrics,
      slots: metrics.map((m) => M[m]),
      positions,
      percent: metrics.map((m) => PERCENT_METRICS.has(m)),
      baselines: metrics.map((m) => profile[m]?.baseline ?? 0),
      noiseAmplitudes: metrics.map((m) => NOISE[m]),
    };
    KIND_TABLES.set(kind, tables);
  }
  return tables;
}

/** How the fault's edge effects that reach one edge degrade its calls at this intensity. */
function edgeBreakage(
  effects: readonly EdgeEffect[],
  level: number,
): { errorRate: number; addedLatencyMs: number; callMultiplier: number } {
  if (effects.length === 0) return UNBROKEN;
  let errorRate = 0;
  let addedLatencyMs = 0;
  let callMultiplier = 1;
  for (const effect of effects) {
    const strength = gate(level, effect.fromIntensity);
    if (strength <= 0) continue;
    errorRate += (effect.errorRate ?? 0) * strength;
    addedLatencyMs += (effect.addedLatencyMs ?? 0) * strength;
    callMultiplier *= 1 + ((effect.callMultiplier ?? 1) - 1) * strength;
  }
  return { errorRate, addedLatencyMs, callMultiplier };
}

/** See Simulation.watch. */
export interface MetricWatch {
  readonly now: Readonly<Float64Array>;
  readonly slot: number;
  readonly threshold: number;
  readonly above: boolean;
}

/** Whether a watched metric is past its threshold now (a node without a reading is not). */
export function breached(w: MetricWatch): boolean {
  const value = w.now[w.slot] as number;
  return w.above ? value > w.threshold : value < w.threshold;
}

/** Whether the node reports the metric in this slot. */
function has(v: Float64Array, i: number): boolean {
  return !Number.isNaN(v[i]);
}

function orZero(v: Float64Array, i: number): number {
  const value = v[i];
  return value === undefined || Number.isNaN(value) ? 0 : value;
}

/** Applies metric effects to a node's readings at the given intensity. */
function applyEffects(v: Float64Array, effects: readonly NodeEffect[], level: number): void {
  for (const effect of effects) {
    const i = M[effect.metric];
    if (!has(v, i)) continue;
    const strength = gate(level, effect.fromIntensity);
    if (strength <= 0) continue;
    const current = v[i] as number;
    if (effect.op === "add") v[i] = current + effect.value * strength;
    else if (effect.op === "multiply") v[i] = current * (1 + (effect.value - 1) * strength);
    else v[i] = current + (effect.value - current) * strength;
  }
}

/** Strength of an effect gated to start at `from`: 0 below it, rising to 1 at full intensity. */
function gate(level: number, from: number | undefined): number {
  if (from === undefined || from <= 0) return level;
  if (level <= from) return 0;
  return (level - from) / (1 - from);
}
