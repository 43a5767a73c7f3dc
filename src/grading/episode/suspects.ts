/**
 * Whether a root-cause statement commits to one service or hedges over several suspects.
 *
 * "Either orders-db or payments-service", "the cause was one of orders-db, payments-service or
 * redis-cache", "orders-db or possibly payments-service", "orders-db and/or redis-cache" name a
 * set of suspects, not a root: whichever the root is, such a statement would "name" it. Honest
 * statements name other services in other roles, which stays fine: "web-bff passed the 500s
 * through", "orders-db ran out of connections, so orders-service and api-gateway returned 500s",
 * "we first suspected api-gateway or orders-service, but the root was orders-db" (the root is not
 * among the alternatives).
 *
 * The rule: service mentions one after another in a sentence, each within MAX_GAP_WORDS words of
 * the previous and joined only by list words (commas, "and", "or", "either", "possibly", ...),
 * form a list. A list is a set of alternatives when one of its joins is a disjunction ("or",
 * "nor", "/", "versus", "alternatively") or when "one of", "either", "between", "among", "any of"
 * or "candidates" / "suspects" introduces it. A sentence that opens with "or" / "alternatively" /
 * "otherwise", or says "may / could / might also have been", offers its services as alternatives
 * to the rest of the text. The root hedged among other services is not named.
 */
import type { ServiceMatcher } from "./mentions.js";

const MAX_GAP_WORDS = 4;
/** Words allowed between two services of one list. */
const LIST_WORDS = new Set([
  "and",
  "or",
  "nor",
  "either",
  "neither",
  "possibly",
  "maybe",
  "perhaps",
  "probably",
  "likely",
  "alternatively",
  "versus",
  "vs",
  "the",
  "a",
  "an",
  "also",
  "even",
  "else",
  "otherwise",
  "both",
]);
const DISJUNCTIONS = new Set(["or", "nor", "versus", "vs", "alternatively", "otherwise"]);
const INTRODUCERS = /\b(?:one of|either|between|among|any of|candidates?|suspects?|culprits?)\W*$/i;
const ALTERNATIVE_SENTENCE =
  /^\W*(?:or|alternatively|otherwise)\b|\b(?:may|might|could) (?:also|instead|equally) (?:have been|be)\b|\bor (?:it|else) (?:was|could|may|might)\b/i;

interface Hedge {
  hedged: boolean;
  /** The other services offered with the root. */
  others: string[];
}

/** The root among alternatives, if the text offers it as one of several suspects. */
export function hedgedRoot(text: string, matcher: ServiceMatcher, root: string): Hedge {
  const mentions = matcher.mentions(text);
  if (!mentions.some((m) => m.node === root) || mentions.every((m) => m.node === root)) return { hedged: false, others: [] };
  const others = new Set<string>();
  // Lists of consecutive mentions.
  let list: typeof mentions = [];
  let disjunctive = false;
  const close = (): void => {
    const nodes = new Set(list.map((m) => m.node));
    const first = list[0];
    const before = first ? sentenceBefore(text, first.from) : "";
    if (nodes.has(root) && nodes.size > 1 && (disjunctive || INTRODUCERS.test(before)))
      for (const n of nodes) if (n !== root) others.add(n);
    list = [];
    disjunctive = false;
  };
  for (const m of mentions) {
    const last = list[list.length - 1];
    if (last) {
      const gap = text.slice(last.to, m.from);
      const words = gap
        .toLowerCase()
        .split(/[^\p{L}]+/u)
        .filter((w) => w !== "");
      const joined = !/[.;!?\n:]/.test(gap) && words.length <= MAX_GAP_WORDS && words.every((w) => LIST_WORDS.has(w));
      if (joined) {
        if (words.some((w) => DISJUNCTIONS.has(w)) || gap.includes("/")) disjunctive = true;
      } else close();
    }
    list.push(m);
  }
  close();
  // Sentences that offer their services as alternatives to the rest.
  for (const sentence of sentences(text)) {
    if (!ALTERNATIVE_SENTENCE.test(sentence.text)) continue;
    for (const m of mentions) if (m.from >= sentence.from && m.to <= sentence.to && m.node !== root) others.add(m.node);
  }
  return { hedged: others.size > 0, others: [...others].sort() };
}

/** The text of the sentence before a position, up to it. */
function sentenceBefore(text: string, at: number): string {
  const head = text.slice(0, at);
  const start = Math.max(
    head.lastIndexOf(". "),
    head.lastIndexOf("; "),
    head.lastIndexOf("\n"),
    head.lastIndexOf("? "),
    head.lastIndexOf("! "),
  );
  return head.slice(start + 1);
}

/** Sentences with their positions; a dot inside a word ("v1.4.2") does not end one. */
function sentences(text: string): Array<{ text: string; from: number; to: number }> {
  const out: Array<{ text: string; from: number; to: number }> = [];
  let from = 0;
  for (const m of text.matchAll(/[.;!?]+(?=\s|$)|\n/g)) {
    const to = (m.index ?? 0) + m[0].length;
    out.push({ text: text.slice(from, to), from, to });
    from = to;
  }
  if (from < text.length) out.push({ text: text.slice(from), from, to: text.length });
  return out;
}
