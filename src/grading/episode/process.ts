/**
 * Process: bounded credit for gathering evidence before concluding.
 *
 * 0.5 for inspecting the root; 0.25 for inspecting the change log (the config node) or a direct
 * neighbour of the root; 0.25 for inspecting at least two distinct nodes of the fault's path (the
 * root and the nodes that call it, directly or not). Capped at 1; never discounted.
 *
 * Evidence counts only for the conclusion it supports: the credit is paid when the final
 * diagnosis names the root with the right fault class, and is 0 otherwise. Credit for inspecting
 * the right services regardless of the conclusion would pay a policy that inspects everything,
 * and paid during the episode it would tell the agent which service is the root.
 */
import { finalDiagnosis } from "./diagnosis.js";
import type { EpisodeFacts } from "./facts.js";
import type { PartScore } from "./types.js";

export function processScore(facts: EpisodeFacts): PartScore {
  const inspected = [...facts.record.inspected.keys()].filter((n) => facts.index.byName.has(n));
  const parts: string[] = [];
  let score = 0;
  if (inspected.includes(facts.root)) {
    score += 0.5;
    parts.push("root inspected +0.5");
  }
  const context = inspected.find((n) => facts.index.node(n).kind === "config" || facts.index.distance(n, facts.root) === 1);
  if (context !== undefined) {
    score += 0.25;
    parts.push(`${context} (change log or neighbour of the root) inspected +0.25`);
  }
  const onPath = inspected.filter((n) => facts.faultPath.has(n));
  if (onPath.length >= 2) {
    score += 0.25;
    parts.push(`${onPath.length} nodes of the fault path inspected +0.25`);
  }
  score = Math.min(1, score);
  const detail =
    inspected.length === 0
      ? "nothing inspected"
      : `${parts.join("; ") || `inspected ${inspected.join(", ")}, none on the fault's path or next to the root`}`;
  if (score > 0 && !finalDiagnosis(facts)?.correct)
    return { score: 0, detail: `${detail}; no credit: the final diagnosis does not name the root and its fault class`, notes: [] };
  return { score, detail, notes: [] };
}
