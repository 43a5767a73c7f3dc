/**
 * The real server as a child process (`node --import tsx src/main.ts`), as a replica of a shared
 * episode store or on its own: PORT=0 and the address read from its log. Node flags (V8's traces,
 * say) go before the entry point; what they print to stdout is in output().
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface ReplicaProcess {
  baseUrl: string;
  child: ChildProcess;
  /** Everything it printed (for failure messages). */
  output(): string;
  /** Resolves when the process has exited. */
  exited: Promise<void>;
}

export async function startReplica(
  env: Record<string, string>,
  timeoutMs = 60_000,
  nodeFlags: readonly string[] = [],
): Promise<ReplicaProcess> {
  const child = spawn(process.execPath, [...nodeFlags, "--import", "tsx", "src/main.ts"], {
    cwd: ROOT,
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info", WORKERS: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const kill = (): void => {
    child.kill("SIGKILL");
  };
  process.once("exit", kill);
  void exited.then(() => process.off("exit", kill));
  child.stderr?.on("data", (chunk: Buffer) => (out += chunk.toString()));
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the replica did not start within ${timeoutMs} ms:\n${out}`)), timeoutMs);
    void exited.then(() => reject(new Error(`the replica exited before listening:\n${out}`)));
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/[\d.]+:\d+)/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });
  return { baseUrl, child, output: () => out, exited };
}
