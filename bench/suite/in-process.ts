/** Runs the in-process yardstick (in-process-child.ts) in a process of its own and reads its figures. */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import type { InProcessResult } from "./in-process-child.js";
import { ROOT } from "./processes.js";

/** Plays `warmupEpisodes` unmeasured episodes, then measures `episodes` (in-process-child.ts). */
export function measureInProcess(episodes: number, warmupEpisodes: number): InProcessResult {
  const child = join(ROOT, "bench", "suite", "in-process-child.ts");
  const run = spawnSync(process.execPath, ["--import", "tsx", child, String(episodes), String(warmupEpisodes)], {
    cwd: ROOT,
    encoding: "utf8",
    maxBuffer: 1 << 20,
  });
  if (run.status !== 0) throw new Error(`the in-process bench failed:\n${run.stderr}`);
  const line = run.stdout.trim().split("\n").at(-1) ?? "";
  return JSON.parse(line) as InProcessResult;
}
