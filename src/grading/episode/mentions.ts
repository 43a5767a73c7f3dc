/**
 * What a free text says literally: which services it names, which numbers, percentages and clock
 * times it gives. Service names are matched on whole tokens, never as substrings: "orders-db",
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

export interface ServiceMatcher {
  /** The services a text names, in order of first mention, each once. */
  named(text: string): string[];
}

export function serviceMatcher(nodes: readonly ServiceNode[]): ServiceMatcher {
  // Each spelling (name or alias) as tokens; a spelling two nodes share names neither.
  const owners = new Map<string, Set<string>>();
  for (const node of nodes) {
    for (const spelling of [node.name, ...node.aliases]) {
      const key = pieces(spelling).map((p) => p.piece).join(" ");
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
  return {
    named(text: string): string[] {
      const words = pieces(text);
      const found: string[] = [];
      for (let i = 0; i < words.length; ) {
        const hit = words[i]?.starts
          ? spellings.find((s) => s.words.every((w, k) => words[i + k]?.piece === w) && words[i + s.words.length - 1]?.ends === true)
          : undefined;
        if (hit) {
          if (!found.includes(hit.node)) found.push(hit.node);
          i += hit.words.length;
        } else {
          i++;
        }
      }
      return found;
    },
  };
}

/**
 * The text's words split further at hyphens and underscores, each piece marked with whether it
 * starts or ends a whole word: "orders-db" may match "orders db", but "orders" does not match
 * inside "orders-dbx".
 */
function pieces(text: string): Array<{ piece: string; starts: boolean; ends: boolean }> {
  const out: Array<{ piece: string; starts: boolean; ends: boolean }> = [];
  for (const word of tokens(text)) {
    const parts = word.split(/[-_]+/).filter((p) => p !== "");
    parts.forEach((piece, i) => out.push({ piece, starts: i === 0, ends: i === parts.length - 1 }));
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

/** Clock times in the text (HH:MM or HH:MM:SS, optional UTC/Z), as minutes since midnight. */
export function clockTimes(text: string): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(/(?<![\d:.])([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?(?![\d:])/g)) {
    out.push(Number(m[1]) * 60 + Number(m[2]) + Number(m[3] ?? "0") / 60);
  }
  return out;
}

/** Severity words (P1..P4) the text uses. */
export function severityWords(text: string): string[] {
  return [...text.matchAll(/\b[Pp]([1-4])\b/g)].map((m) => `P${m[1]}`);
}

/**
 * The text with every canonical service name replaced by a plain noun ("database" for databases,
 * "service" otherwise), for concept matching. Names are identifiers, and some collide with the
 * lexicon: "deploy-controller" would read as a deploy, "coredns" as a DNS failure, in any text
 * that merely mentions them. The noun keeps what the sentence says ("restart orders-db" still
 * reads as restarting a database). Aliases are natural words and are left alone.
 */
export function maskServiceNames(text: string, nodes: readonly ServiceNode[]): string {
  let out = text;
  const sorted = [...nodes].sort((a, b) => b.name.length - a.name.length);
  for (const node of sorted) {
    const parts = node.name.split(/[-_\s]+/).filter((p) => p !== "").map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    if (parts.length === 0) continue;
    const pattern = new RegExp(`(?<![\\p{L}\\p{N}_])${parts.join("[-_\\s]+")}(?![\\p{L}\\p{N}_])`, "giu");
    out = out.replace(pattern, node.kind === "database" ? "database" : "service");
  }
  return out;
}
