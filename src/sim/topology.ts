/**
 * A system's dependency graph: services (nodes) and who calls whom (edges), with the call rates,
 * timeouts and retry policies that decide how a failure spreads. Graphs are acyclic: a request
 * flows from the edge toward the data stores and external vendors.
 */
import type { NodeKind } from "./model.js";

export interface ServiceNode {
  /** Canonical name, as metrics and logs print it, e.g. "checkout-service". */
  name: string;
  kind: NodeKind;
  /** What it does, one line, e.g. "PostgreSQL primary for orders". */
  role: string;
  /** Other names a responder may fairly use for it (matched whole, case and spacing aside). */
  aliases: readonly string[];
  replicas: number;
  /** Running version, e.g. "v2.4.1". */
  version: string;
  /** Availability zone ("az1", "az2"); empty for zone-less nodes (vendors, DNS). */
  zone: string;
}

export type RetryBackoff = "none" | "exponential";

export interface DependencyEdge {
  caller: string;
  callee: string;
  /** Calls per second from caller to callee at baseline traffic. */
  callsPerSecond: number;
  timeoutMs: number;
  /** Extra attempts after a failed call. */
  retries: number;
  backoff: RetryBackoff;
  /** False for infrastructure edges (DNS lookups, config reads) that are not request hops. */
  requestPath: boolean;
}

export interface Topology {
  /** Architecture family, e.g. "web-shop". */
  family: string;
  nodes: readonly ServiceNode[];
  edges: readonly DependencyEdge[];
}

/** Indexes made so far, by topology: a topology is read-only, and one episode's generator, simulations and graders all ask. */
const INDEXES = new WeakMap<Topology, TopologyIndex>();

/** Read-only queries over one topology, computed once. */
export class TopologyIndex {
  /** The index of a topology, made on first use and shared. */
  static of(topology: Topology): TopologyIndex {
    let index = INDEXES.get(topology);
    if (index === undefined) {
      index = new TopologyIndex(topology);
      INDEXES.set(topology, index);
    }
    return index;
  }

  readonly byName: ReadonlyMap<string, ServiceNode>;
  private readonly out = new Map<string, DependencyEdge[]>();
  private readonly into = new Map<string, DependencyEdge[]>();
  /** Node names with every callee before its callers. */
  readonly calleesFirst: readonly string[];

  constructor(readonly topology: Topology) {
    this.byName = new Map(topology.nodes.map((n) => [n.name, n]));
    for (const node of topology.nodes) {
      this.out.set(node.name, []);
      this.into.set(node.name, []);
    }
    for (const edge of topology.edges) {
      if (!this.byName.has(edge.caller) || !this.byName.has(edge.callee)) {
        throw new Error(`edge ${edge.caller} -> ${edge.callee} names an unknown node`);
      }
      this.out.get(edge.caller)?.push(edge);
      this.into.get(edge.callee)?.push(edge);
    }
    this.calleesFirst = this.sortCalleesFirst();
  }

  node(name: string): ServiceNode {
    const node = this.byName.get(name);
    if (!node) throw new Error(`unknown node ${name}`);
    return node;
  }

  /** Edges from this node to the nodes it calls. */
  callees(name: string): readonly DependencyEdge[] {
    return this.out.get(name) ?? [];
  }

  /** Edges from the nodes that call this node. */
  callers(name: string): readonly DependencyEdge[] {
    return this.into.get(name) ?? [];
  }

  /** Nodes that reach this node through request edges (its transitive callers). */
  upstreamOf(name: string): Set<string> {
    const seen = new Set<string>();
    const queue = [name];
    while (queue.length > 0) {
      const current = queue.pop() as string;
      for (const edge of this.callers(current)) {
        if (!edge.requestPath || seen.has(edge.caller)) continue;
        seen.add(edge.caller);
        queue.push(edge.caller);
      }
    }
    return seen;
  }

  /** Hops between two nodes, ignoring edge direction; Infinity if unconnected. */
  distance(from: string, to: string): number {
    if (from === to) return 0;
    const seen = new Set([from]);
    let frontier = [from];
    for (let hops = 1; frontier.length > 0; hops++) {
      const next: string[] = [];
      for (const name of frontier) {
        for (const edge of [...this.callees(name), ...this.callers(name)]) {
          const other = edge.caller === name ? edge.callee : edge.caller;
          if (other === to) return hops;
          if (!seen.has(other)) {
            seen.add(other);
            next.push(other);
          }
        }
      }
      frontier = next;
    }
    return Infinity;
  }

  /** Fewest request hops from an entry point down to this node (0 for an entry point; Infinity if none reaches it). */
  depthBelowEntry(name: string): number {
    let frontier = this.entryPoints().map((n) => n.name);
    const seen = new Set(frontier);
    for (let depth = 0; frontier.length > 0; depth++) {
      if (frontier.includes(name)) return depth;
      const next: string[] = [];
      for (const current of frontier) {
        for (const edge of this.callees(current)) {
          if (!edge.requestPath || seen.has(edge.callee)) continue;
          seen.add(edge.callee);
          next.push(edge.callee);
        }
      }
      frontier = next;
    }
    return Infinity;
  }

  /** Nodes nobody calls through a request edge: where user traffic enters. */
  entryPoints(): ServiceNode[] {
    return this.topology.nodes.filter((n) => !this.callers(n.name).some((e) => e.requestPath));
  }

  private sortCalleesFirst(): string[] {
    const order: string[] = [];
    const state = new Map<string, "visiting" | "done">();
    const visit = (name: string): void => {
      const mark = state.get(name);
      if (mark === "done") return;
      if (mark === "visiting") throw new Error(`dependency cycle through ${name}`);
      state.set(name, "visiting");
      for (const edge of this.callees(name)) visit(edge.callee);
      state.set(name, "done");
      order.push(name);
    };
    for (const node of this.topology.nodes) visit(node.name);
    return order;
  }
}
