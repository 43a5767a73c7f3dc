/**
 * The stdout protocol of the original incident-response-env, for tools that parse it (the OpenEnv hackathon's sample scripts):
 *
 *   [START] task=<task> env=incident-response-env model=<model>
 *   [STEP] step=<n> action=<action_type> reward=<r:.2f> done=<true|false> error=<msg|null>
 *   [END] success=<true|false> steps=<n> score=<s:.3f> rewards=<r1,r2,...>
 *
 * Fixed against the original: `score=` is back on [END]; `success` is the environment's verdict (the
 * episode ended at or above the task threshold), not "some step paid 0.7"; error text is one line.
 * Each episode's lines are written together (episodes run concurrently) with a synchronous write,
 * so they are flushed before anything else happens.
 */
import { writeSync } from "node:fs";
import type { EpisodeOutcome } from "./results.js";
import type { EpisodeLog } from "./runner.js";

const ENV_NAME = "incident-response-env";

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

export function openEnvLines(model: string, log: EpisodeLog, outcome: EpisodeOutcome): string[] {
  const lines = [`[START] task=${log.task} env=${ENV_NAME} model=${oneLine(model)}`];
  log.actions.forEach((action, i) => {
    lines.push(`[STEP] step=${i + 1} action=${action} reward=${(log.rewards[i] ?? 0).toFixed(2)} done=${log.dones[i] === true} error=null`);
  });
  if (log.error !== undefined) {
    lines.push(`[STEP] step=${log.actions.length + 1} action=none reward=0.00 done=true error=${oneLine(log.error)}`);
  }
  lines.push(
    `[END] success=${outcome.success} steps=${outcome.steps} score=${outcome.score.toFixed(3)} rewards=${outcome.rewards.map((r) => r.toFixed(2)).join(",")}`,
  );
  return lines;
}

/** Writes lines to stdout at once (fd 1, synchronously: nothing is left in a buffer). */
export function writeLinesNow(lines: readonly string[]): void {
  writeSync(1, `${lines.join("\n")}\n`);
}
