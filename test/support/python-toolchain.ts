/**
 * Debian's Python for the tests of the Python package (clients/python): what is missing, and a
 * skip that CI turns into a failure. Like test/examples.test.ts: without the packages a test is
 * skipped with the reason and the apt-get line, unless REQUIRE_CLIENT_TOOLCHAINS=1 (.ci/run sets
 * it and installs the packages).
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import type { TestContext } from "vitest";

export const PYTHON = "/usr/bin/python3";
/** What running the package needs (grpcio, protobuf) and installing it offline (venv, setuptools, wheel). */
export const PY_CLIENT_PACKAGES = "python3-grpcio python3-protobuf python3-venv python3-setuptools python3-wheel";
/** What regenerating its stubs needs: protoc 3.21 (bookworm) and the gRPC plugin. */
export const PY_STUB_PACKAGES = "protobuf-compiler protobuf-compiler-grpc";

export function onPath(command: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${command}`], { encoding: "utf8" }).status === 0;
}

function cannotImport(modules: string): string | undefined {
  if (!existsSync(PYTHON)) return `${PYTHON} not found`;
  const probe = spawnSync(PYTHON, ["-c", `import ${modules}`], { encoding: "utf8" });
  return probe.status === 0 ? undefined : `${PYTHON} cannot import ${modules}`;
}

/** Why the package cannot run here (grpc, google.protobuf), or undefined. */
export function pythonRuntimeMissing(): string | undefined {
  return cannotImport("grpc, google.protobuf");
}

/** Why the package cannot be installed into a venv offline here, or undefined. */
export function pythonInstallMissing(): string | undefined {
  // Debian ships ensurepip (what `python3 -m venv` runs) in python3-venv; setuptools 66 builds
  // wheels with the wheel package.
  return pythonRuntimeMissing() ?? cannotImport("ensurepip, venv, setuptools, wheel");
}

/** Why the stubs cannot be regenerated as they were committed, or undefined. */
export function stubGeneratorMissing(): string | undefined {
  for (const tool of ["protoc", "grpc_python_plugin"]) if (!onPath(tool)) return `${tool} not found`;
  const version = spawnSync("protoc", ["--version"], { encoding: "utf8" }).stdout.trim();
  if (!version.startsWith("libprotoc 3.21.")) return `${version} found; the committed stubs come from protoc 3.21 (Debian bookworm)`;
  return undefined;
}

/** Skips (or, with REQUIRE_CLIENT_TOOLCHAINS=1, fails) when something is missing. */
export function requireToolchain(ctx: TestContext, name: string, missing: string | undefined, packages: string): void {
  if (missing === undefined) return;
  const reason = `${name} missing: ${missing}. Install it with: apt-get install -y --no-install-recommends ${packages}`;
  if (process.env.REQUIRE_CLIENT_TOOLCHAINS === "1") throw new Error(reason);
  console.warn(`skipped: ${reason}`);
  ctx.skip(reason);
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end (killed after timeoutMs) and collects its output. */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
