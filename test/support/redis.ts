/**
 * A Valkey/Redis server for the shared-store tests:
 * - REDIS_URL set (CI sets it): that server; if it cannot be reached the tests fail.
 * - otherwise a `redis-server` (or `valkey-server`) on PATH, started on a free port for this
 *   test file and stopped when the file is done (testRedis registers the afterAll itself: a file
 *   that forgot to stop it left a server running after every `npm test`);
 * - otherwise none: the tests are skipped with the reason (a machine without Redis still passes
 *   `npm test`).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer, Socket } from "node:net";
import { afterAll } from "vitest";

export interface TestRedis {
  /** redis://127.0.0.1:PORT, or undefined when the tests must be skipped. */
  url: string | undefined;
  /** Why there is no server. */
  skipReason: string | undefined;
  stop(): void;
}

function onPath(command: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${command}`], { encoding: "utf8" }).status === 0;
}

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves when something answers PING on the port, or rejects after `timeoutMs`. */
async function waitForPing(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = new Socket();
      socket.setTimeout(500);
      socket.once("error", () => resolve(false));
      socket.once("timeout", () => {
        socket.destroy();
        resolve(false);
      });
      socket.connect(port, "127.0.0.1", () => socket.write("PING\r\n"));
      socket.once("data", (data) => {
        socket.destroy();
        resolve(data.toString().startsWith("+PONG"));
      });
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`no Redis answered on port ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Starts a throwaway server (no persistence) on `port` (default: a free one); the caller stops it. */
export async function spawnRedis(binary: string, port?: number): Promise<{ url: string; port: number; child: ChildProcess }> {
  port ??= await freePort();
  const child = spawn(binary, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  const kill = (): void => {
    child.kill("SIGKILL");
  };
  process.once("exit", kill);
  child.once("exit", () => process.off("exit", kill));
  try {
    await waitForPing(port, 10_000);
  } catch (error) {
    kill();
    throw error;
  }
  return { url: `redis://127.0.0.1:${port}`, port, child };
}

/** The server binary on PATH, if any. */
export function redisBinary(): string | undefined {
  return ["redis-server", "valkey-server"].find(onPath);
}

export async function testRedis(): Promise<TestRedis> {
  const given = process.env.REDIS_URL?.trim();
  if (given) return { url: given, skipReason: undefined, stop: () => {} };
  const binary = redisBinary();
  if (!binary) {
    const reason = "shared-store tests skipped: REDIS_URL is not set and neither redis-server nor valkey-server is on PATH";
    console.warn(reason);
    return { url: undefined, skipReason: reason, stop: () => {} };
  }
  const { url, child } = await spawnRedis(binary);
  const stop = (): void => void child.kill("SIGKILL");
  afterAll(stop);
  return { url, skipReason: undefined, stop };
}
