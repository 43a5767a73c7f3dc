/**
 * What a free text says literally: which services it names, which numbers and percentages it
 * gives (times: ../time-mentions.ts). Service names are matched on whole tokens, never as substrings: "orders-db",
 * "orders db" and "Orders_DB" name orders-db; "orders-dbx" names nothing. Where names overlap
 * ("orders" is an alias of orders-service, "orders-db" another node), the longest name wins, so
 * "orders-db" is not also read as "orders".
 */
import type { ServiceNode } from "../../sim/topology.js";

/**
 * Lower-case word tokens. Dots, hyphens and underscores stay inside a token, so versions
 * ("v1.4.2"), decimals and names ("orders-db") survive whole; they are trimmed at its ends.
 */
export function tokens(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}._-]+/u)
    .map((t) => t.replace(/^[._-]+|[._-]+$/g, ""))
    .filter((t) => t.length > 0);
}

/** One mention of a service in a text: the node and the characters that name it. */
interface ServiceMention {
  node: string;
  from: number;
  to: number;
}

export interface ServiceMatcher {
  /** The services a text names, in order of first mention, each once. */
  named(text: string): string[];
  /** Every mention, in text order. */
  mentions(text: string): ServiceMention[];
}

export function serviceMatcher(nodes: readonly ServiceNode[]): ServiceMatcher {
  // Each spelling (name or alias) as tokens; a spelling two nodes share names neither.
  const owners = new Map<string, Set<string>>();
  for (const node of nodes) {
    for (const spelling of [node.name, ...node.aliases]) {
      const key = pieces(spelling)
        .map((p) => p.piece)
        .join(" ");
      if (key === "") continue;
      const set = owners.get(key) ?? new Set<string>();
      set.add(node.name);
      owners.set(key, set);
    }
  }
  const spellings: Array<{ words: string[]; node: string }> = [];
  for (const [key, set] of owners) {
    const [only] = set;
    if (set.size === 1 && only !== undefined) spellings.push({ words: key.split(" "), node: only });
  }
  spellings.sort((a, b) => b.words.length - a.words.length);
  const mentions = (text: string): ServiceMention[] => {
    const words = pieces(text);
    const found: ServiceMention[] = [];
    for (let i = 0; i < words.length;) {
      const hit = words[i]?.starts
        ? spellings.find((s) => s.words.every((w, k) => words[i + k]?.piece === w) && words[i + s.words.length - 1]?.ends === true)
        : undefined;
      if (hit) {
        found.push({ node: hit.node, from: words[i]?.from ?? 0, to: words[i + hit.words.length - 1]?.to ?? 0 });
        i += hit.words.length;
      } else {
        i++;
      }
    }
    return found;
  };
  return {
    named: (text) => [...new Set(mentions(text).map((m) => m.node))],
    mentions,
  };
}

/**
 * The text's words split further at hyphens and underscores, each piece marked with whether it
 * starts or ends a whole word ("orders-db" may match "orders db", but "orders" does not match
 * inside "orders-dbx") and with its characters in the text.
 */
function pieces(text: string): Array<{ piece: string; starts: boolean; ends: boolean; from: number; to: number }> {
  const out: Array<{ piece: string; starts: boolean; ends: boolean; from: number; to: number }> = [];
  for (const m of text.toLowerCase().matchAll(/[\p{L}\p{N}._-]+/gu)) {
    const lead = /^[._-]*/.exec(m[0])?.[0].length ?? 0;
    const word = m[0].replace(/^[._-]+|[._-]+$/g, "");
    if (word === "") continue;
    const parts: Array<{ piece: string; at: number }> = [];
    for (const p of word.matchAll(/[^-_]+/g)) parts.push({ piece: p[0], at: (m.index ?? 0) + lead + (p.index ?? 0) });
    parts.forEach(({ piece, at }, i) =>
      out.push({ piece, starts: i === 0, ends: i === parts.length - 1, from: at, to: at + piece.length }),
    );
  }
  return out;
}

/** True when the text contains this value as a whole token ("24" in "to 24 replicas", not in "240"). */
export function hasToken(text: string, value: string): boolean {
  const want = tokens(value).join(" ");
  if (want === "") return false;
  const words = tokens(text);
  const n = want.split(" ").length;
  for (let i = 0; i + n <= words.length; i++) if (words.slice(i, i + n).join(" ") === want) return true;
  return false;
}

/** Percentages the text states ("43.8%", "43.8 %", "43.8 percent"). */
export function percentages(text: string): number[] {
  return [...text.matchAll(/(\d+(?:\.\d+)?)\s*(?:%|percent\b)/gi)].map((m) => Number(m[1]));
}

/** Severity words (P1..P4) the text uses. */
export function severityWords(text: string): string[] {
  const out: string[] = [];
  // An alert's priority is what its rule was configured with, not the incident's severity: "one
  // P2 page", "the riskified-api alert (P3)" say nothing about the assessment.
  for (const sentence of text.split(/(?<=[.!?;])\s+|\n+/)) {
    if (ABOUT_ALERTS.test(sentence)) continue;
    for (const m of sentence.matchAll(/\b[Pp]([1-4])\b/g)) out.push(`P${m[1]}`);
  }
  return out;
}

/** A sentence about alerts or pages, whose P1..P4 are their configured priorities. */
const ABOUT_ALERTS = /\b(?:alerts?|alerting|pages?|paged|paging|rules?|fired|firing)\b/i;

/**
 * The text with every canonical service name replaced by a plain noun ("database" for databases,
 * "provider" for third-party vendors, "service" otherwise), for concept matching. Names are
 * identifiers, and some collide with the lexicon: "deploy-controller" would read as a deploy,
 * "coredns" as a DNS failure, in any text that merely mentions them. The noun keeps what the sentence says ("restart orders-db" still
 * reads as restarting a database, "twilio-api became slow" as a slow provider). Aliases are
 * natural words and are left alone.
 */
const MASK_NOUN: Partial<Record<ServiceNode["kind"], string>> = { database: "database", vendor: "provider" };

export function maskServiceNames(text: string, nodes: readonly ServiceNode[]): string {
  let out = text;
  const sorted = [...nodes].sort((a, b) => b.name.length - a.name.length);
  for (const node of sorted) {
    const parts = node.name
      .split(/[-_\s]+/)
      .filter((p) => p !== "")
      .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    if (parts.length === 0) continue;
    const pattern = new RegExp(`(?<![\\p{L}\\p{N}_])${parts.join("[-_\\s]+")}(?![\\p{L}\\p{N}_])`, "giu");
    out = out.replace(pattern, MASK_NOUN[node.kind] ?? "service");
  }
  return out;
}
