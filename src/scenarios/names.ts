/**
 * The alias policy for generated topologies.
 *
 * A responder may name a node by its canonical name or by an alias, compared after normalising
 * (lower case; runs of spaces, underscores and hyphens -> one hyphen; see service-names.ts). So
 * that a name never denotes two nodes, the generator keeps an alias only if, after normalising:
 *
 *  1. it is at least two characters long and differs from the node's own name;
 *  2. it is not a word generic to every system ("service", "api", "worker", "server", "search",
 *     "cluster", ...), which never single out a node;
 *  3. if it is a word generic to one kind of node ("database", "db", "cache", "queue", "kafka",
 *     "redis", "postgres", ...), the topology holds exactly one node of that kind, the node is of
 *     that kind (then "database" fairly means that one database);
 *  4. it is not another node's canonical name, and no other node keeps the same alias: an alias
 *     two nodes claim is dropped from both.
 *
 * When a topology holds exactly one node of a kind, that node also gets the kind's generic
 * aliases (KIND_ALIASES), e.g. the only cache is "cache" and the gateway is "gateway".
 */
import type { NodeKind } from "../sim/model.js";
import { normalizeServiceName } from "./service-names.js";

export { normalizeServiceName };

/** Words that never single out a node, whatever the topology. */
export const NEVER_ALIASES: ReadonlySet<string> = new Set([
  "service",
  "services",
  "svc",
  "api",
  "apis",
  "app",
  "server",
  "backend",
  "frontend",
  "worker",
  "workers",
  "consumer",
  "consumers",
  "cluster",
  "primary",
  "replica",
  "system",
  "store",
  "storage",
  "search",
  "infra",
  "infrastructure",
  "platform",
  "vendor",
  "third-party",
  "external-api",
  "provider",
  "node",
]);

/** Words that denote a node only when it is the single node of its kind. */
export const KIND_WORDS: ReadonlyMap<string, NodeKind> = new Map<string, NodeKind>([
  ["database", "database"],
  ["databases", "database"],
  ["db", "database"],
  ["primary-database", "database"],
  ["postgres", "database"],
  ["postgresql", "database"],
  ["pg", "database"],
  ["mysql", "database"],
  ["mongo", "database"],
  ["mongodb", "database"],
  ["cassandra", "database"],
  ["cache", "cache"],
  ["redis", "cache"],
  ["memcached", "cache"],
  ["memcache", "cache"],
  ["queue", "queue"],
  ["broker", "queue"],
  ["message-broker", "queue"],
  ["message-queue", "queue"],
  ["kafka", "queue"],
  ["rabbitmq", "queue"],
  ["rabbit", "queue"],
  ["sqs", "queue"],
  ["search-cluster", "search"],
  ["search-engine", "search"],
  ["elasticsearch", "search"],
  ["opensearch", "search"],
  ["es", "search"],
  ["gateway", "gateway"],
  ["api-gateway", "gateway"],
  ["dns", "dns"],
  ["network", "network"],
]);

/** Generic aliases a node gets when it is the only node of its kind in the topology. */
const KIND_ALIASES: Readonly<Record<NodeKind, readonly string[]>> = {
  gateway: ["gateway", "api gateway"],
  service: [],
  database: ["database", "db", "primary database"],
  cache: ["cache"],
  queue: ["queue", "message broker", "broker"],
  search: ["search cluster", "search engine"],
  vendor: [],
  network: ["network"],
  dns: ["dns"],
  config: ["config system", "deploy system"],
};

interface AliasCandidate {
  name: string;
  kind: NodeKind;
  aliases: readonly string[];
}

/**
 * Normalised forms of names and aliases, kept: they come from the families' and presets' data (a
 * few hundred words), and every generated topology normalises a few dozen of them.
 */
const normalizedNames = new Map<string, string>();
/** More would mean the words are not code's own; they are then normalised each time. */
const MAX_NORMALIZED_NAMES = 4096;

function normalized(name: string): string {
  let key = normalizedNames.get(name);
  if (key === undefined) {
    key = normalizeServiceName(name);
    if (normalizedNames.size < MAX_NORMALIZED_NAMES) normalizedNames.set(name, key);
  }
  return key;
}

/**
 * Applies the policy: returns, for each node in order, the aliases it keeps (as written, first
 * spelling of each normalised form).
 */
export function resolveAliases(nodes: readonly AliasCandidate[]): string[][] {
  const kindCount = new Map<NodeKind, number>();
  for (const node of nodes) kindCount.set(node.kind, (kindCount.get(node.kind) ?? 0) + 1);
  const names = new Set(nodes.map((node) => normalized(node.name)));

  // First pass: per node, the admissible aliases by normalised form.
  const perNode: Map<string, string>[] = [];
  const claims = new Map<string, number>();
  for (const node of nodes) {
    const own = normalized(node.name);
    const single = kindCount.get(node.kind) === 1;
    const kept = new Map<string, string>();
    const candidates = single ? [...node.aliases, ...KIND_ALIASES[node.kind]] : node.aliases;
    for (const alias of candidates) {
      const key = normalized(alias);
      if (key.length < 2 || key === own || kept.has(key) || names.has(key) || NEVER_ALIASES.has(key)) continue;
      const kindWord = KIND_WORDS.get(key);
      if (kindWord !== undefined && (kindWord !== node.kind || !single)) continue;
      kept.set(key, alias);
    }
    for (const key of kept.keys()) claims.set(key, (claims.get(key) ?? 0) + 1);
    perNode.push(kept);
  }

  // Second pass: drop aliases claimed by more than one node.
  return perNode.map((kept) => [...kept].filter(([key]) => claims.get(key) === 1).map(([, alias]) => alias));
}
