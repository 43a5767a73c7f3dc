/**
 * `npm start` with a setting it cannot use, a key file it cannot read or a port in use: one clear
 * line on stderr naming the problem, exit status 1, no stack trace.
 */
import { spawn } from "node:child_process";
import { createServer, type AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

function start(env: Record<string, string>): Promise<{ status: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: ROOT,
      env: { ...process.env, PORT: "0", HOST: "127.0.0.1", WORKERS: "1", LOG_LEVEL: "warn", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    let stdout = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.once("exit", (status) => {
      clearTimeout(timer);
      resolve({ status, stderr, stdout });
    });
  });
}

describe("startup errors", () => {
  it.each([
    [{ MAX_LIVE_EPISODES: "lots" }, /MAX_LIVE_EPISODES must be a positive integer, got "lots"/],
    [{ API_KEYS_FILE: "/nonexistent/keys" }, /API_KEYS_FILE: cannot read \/nonexistent\/keys/],
    // A file that exists but cannot be read as one (a directory): one line too.
    [{ API_KEYS_FILE: "/" }, /API_KEYS_FILE: cannot read \/ \(EISDIR\)/],
    [{ API_KEYS: "alice:short" }, /at least 16 characters/],
    [{ RATE_LIMIT_PER_MINUTE: "-3" }, /RATE_LIMIT_PER_MINUTE/],
    [{ PORT: "99999" }, /PORT must be an integer from 0 to 65535/],
    [{ HEAP_GROWING_PERCENT: "lots" }, /HEAP_GROWING_PERCENT must be an integer from 0 to 300, got "lots"/],
    [{ ALLOCATION_SITE_PRETENURING: "yes" }, /ALLOCATION_SITE_PRETENURING must be 0 or 1, got "yes"/],
  ])(
    "%o: one line and exit 1",
    async (env, expected) => {
      const { status, stderr } = await start(env);
      expect(status).toBe(1);
      const lines = stderr.trim().split("\n");
      expect(lines, stderr).toHaveLength(1);
      expect(lines[0]).toMatch(expected);
      expect(lines[0]).toMatch(/^incident-response-env: /);
    },
    40_000,
  );

  it("a port in use: one line naming the address", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      const { status, stderr } = await start({ PORT: String(port) });
      expect(status).toBe(1);
      expect(stderr.trim().split("\n"), stderr).toHaveLength(1);
      expect(stderr).toMatch(new RegExp(`address already in use.*127\\.0\\.0\\.1:${port}|127\\.0\\.0\\.1:${port}.*in use`));
    } finally {
      blocker.close();
    }
  }, 40_000);
});
