/** Where and on what a bench run happened: machine, Node, git commit. */
import { spawnSync } from "node:child_process";
import { availableParallelism, cpus, totalmem } from "node:os";

export function machineDescription(): string {
  const model = cpus()[0]?.model.trim() ?? "unknown CPU";
  return `${model}, ${availableParallelism()} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${process.platform} ${process.arch}`;
}

export function gitCommit(cwd: string): string {
  const head = spawnSync("git", ["rev-parse", "--short=12", "HEAD"], { cwd, encoding: "utf8" });
  if (head.status !== 0) return "unknown";
  const dirty = spawnSync("git", ["status", "--porcelain", "--untracked-files=no"], { cwd, encoding: "utf8" });
  return `${head.stdout.trim()}${dirty.stdout.trim() ? " (with uncommitted changes)" : ""}`;
}
