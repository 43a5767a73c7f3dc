/**
 * The Python package (clients/python) against the real server on port 0, with Debian's
 * /usr/bin/python3: its unittest suite (clients/python/tests: an episode to its end with typed
 * actions and the Gymnasium result, state, observation, errors with their gRPC codes, batches,
 * log streaming, asyncio, context managers, API keys, the rollout example against a fake
 * OpenAI-compatible endpoint) runs once from the source tree and once from a venv the package was
 * installed into offline, as `pip install ./clients/python` and from a git URL with
 * `#subdirectory=clients/python` would install it.
 */
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IncidentEnvironment } from "../src/env/environment.js";
import { ApiKeys } from "../src/server/api-keys.js";
import { buildApp, type App } from "../src/server/app.js";
import {
  PY_CLIENT_PACKAGES,
  PYTHON,
  pythonInstallMissing,
  pythonRuntimeMissing,
  requireToolchain,
  run,
  type Run,
} from "./support/python-toolchain.js";
import { useServer } from "./support/server.js";

const ROOT = join(import.meta.dirname, "..");
const PACKAGE = join(ROOT, "clients/python");
const TESTS = join(PACKAGE, "tests");
const work = mkdtempSync(join(tmpdir(), "python-client-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const server = useServer();

/** A second server that requires an API key, for the tests that send one. */
const KEY = "python-client-token-0123456789";
const keyed = { address: "", built: undefined as App | undefined };
beforeAll(async () => {
  const built = await buildApp({ env: new IncidentEnvironment(), logLevel: false, apiKeys: new ApiKeys([{ name: "py", token: KEY }]) });
  await built.app.listen({ port: 0, host: "127.0.0.1" });
  keyed.address = `127.0.0.1:${(built.app.server.address() as AddressInfo).port}`;
  keyed.built = built;
});
afterAll(async () => {
  await keyed.built?.app.close();
});

/** The environment of a Python run: the servers, and nothing inherited that could change what is imported. */
function pythonEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PYTHONDONTWRITEBYTECODE: "1",
    PIP_NO_CACHE_DIR: "1",
    PIP_DISABLE_PIP_VERSION_CHECK: "1",
  };
  for (const name of ["PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "INCIDENT_ENV_API_KEY", "INCIDENT_ENV_URL"]) delete env[name];
  return {
    ...env,
    INCIDENT_ENV_URL: server.baseUrl.replace(/^http:\/\//, ""),
    INCIDENT_ENV_KEYED_URL: keyed.address,
    INCIDENT_ENV_TEST_KEY: KEY,
    ...extra,
  };
}

/** Runs the package's unittest suite with this Python; every test must run (none skipped) and pass. */
async function unittestSuite(python: string, extra: NodeJS.ProcessEnv): Promise<void> {
  const result = await run(python, ["-m", "unittest", "discover", "-v", "-s", TESTS, "-t", TESTS], {
    cwd: work,
    env: pythonEnv(extra),
    timeoutMs: 120_000,
  });
  const report = result.stdout + result.stderr;
  expect(result.code, report).toBe(0);
  expect(report).toMatch(/^OK$/m);
  expect(report, "a test was skipped").not.toMatch(/skipped/);
  expect(Number(/^Ran (\d+) tests?/m.exec(report)?.[1] ?? 0), report).toBeGreaterThanOrEqual(30);
}

async function venv(name: string): Promise<string> {
  const dir = join(work, name);
  const made = await run(PYTHON, ["-m", "venv", "--system-site-packages", dir], { cwd: work, env: pythonEnv({}), timeoutMs: 120_000 });
  expect(made.code, made.stdout + made.stderr).toBe(0);
  return join(dir, "bin", "python");
}

/** pip install with nothing from the network: grpcio and protobuf come from Debian's packages. */
function pipInstall(python: string, spec: string): Promise<Run> {
  return run(python, ["-m", "pip", "install", "--no-deps", "--no-build-isolation", "--no-index", spec], {
    cwd: work,
    env: pythonEnv({}),
    timeoutMs: 180_000,
  });
}

describe("Python package (clients/python)", () => {
  it("passes its tests from the source tree (PYTHONPATH=clients/python/src)", { timeout: 150_000 }, async (ctx) => {
    requireToolchain(ctx, "Python runtime", pythonRuntimeMissing(), PY_CLIENT_PACKAGES);
    await unittestSuite(PYTHON, { PYTHONPATH: join(PACKAGE, "src") });
  });

  it("installs offline into a venv (pip install ./clients/python) and passes its tests there", { timeout: 300_000 }, async (ctx) => {
    requireToolchain(ctx, "Python venv and build tools", pythonInstallMissing(), PY_CLIENT_PACKAGES);
    const python = await venv("venv-dir");
    // A copy, so that the build's leftovers (build/, *.egg-info) stay out of the checkout.
    const copy = join(work, "package-copy");
    cpSync(PACKAGE, copy, { recursive: true, filter: (source) => !/(__pycache__|\.egg-info|[\\/]build)$/.test(source) });
    const installed = await pipInstall(python, copy);
    expect(installed.code, installed.stdout + installed.stderr).toBe(0);
    expect(installed.stdout).toMatch(/Successfully installed incident-response-env-\d+\.\d+\.\d+/);
    await unittestSuite(python, { INCIDENT_ENV_EXPECT_INSTALLED: "1" });
  });

  it("installs from a git URL with #subdirectory=clients/python", { timeout: 300_000 }, async (ctx) => {
    requireToolchain(ctx, "Python venv and build tools", pythonInstallMissing(), PY_CLIENT_PACKAGES);
    // pip clones the repository: the committed package, not the working tree's edits.
    const head = spawnSync("git", ["-C", ROOT, "rev-parse", "HEAD"], { encoding: "utf8" });
    if (head.status !== 0) ctx.skip("not a git checkout");
    const present = spawnSync("git", ["-C", ROOT, "cat-file", "-e", "HEAD:clients/python/pyproject.toml"], { encoding: "utf8" });
    if (present.status !== 0) ctx.skip("clients/python is not committed yet");
    const python = await venv("venv-git");
    const installed = await pipInstall(python, `git+file://${ROOT}@${head.stdout.trim()}#subdirectory=clients/python`);
    expect(installed.code, installed.stdout + installed.stderr).toBe(0);
    const smoke = await run(
      python,
      [
        "-c",
        "import incident_env, sys; from incident_env import IncidentEnv, Inspect; env = IncidentEnv(sys.argv[1]); print(env.health().environment, incident_env.__file__); env.close()",
        server.baseUrl,
      ],
      { cwd: work, env: pythonEnv({}) },
    );
    expect(smoke.stderr).toBe("");
    expect(smoke.stdout).toMatch(/^incident-response-env \S+site-packages\/incident_env\/__init__\.py$/m);
  });
});
