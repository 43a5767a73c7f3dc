/**
 * The Python package ships its protobuf and gRPC stubs (clients/python/src/incident_env/proto) so
 * that installing it needs no protoc: they must be exactly what clients/python/generate.sh makes
 * from proto/ now, like gen/ for buf generate (test/proto.test.ts).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PY_STUB_PACKAGES, requireToolchain, run, stubGeneratorMissing } from "./support/python-toolchain.js";

const ROOT = join(import.meta.dirname, "..");
const COMMITTED = join(ROOT, "clients/python/src/incident_env/proto");
const scratch = mkdtempSync(join(tmpdir(), "python-stubs-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Every file under dir by its relative path, bytecode caches aside. */
function filesUnder(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      if (name === "__pycache__") continue;
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.set(relative(dir, path), readFileSync(path, "utf8"));
    }
  };
  walk(dir);
  return out;
}

describe("Python package stubs (clients/python)", () => {
  it("are what clients/python/generate.sh produces from the protos", { timeout: 60_000 }, async (ctx) => {
    requireToolchain(ctx, "protoc 3.21 and grpc_python_plugin", stubGeneratorMissing(), PY_STUB_PACKAGES);
    const generated = await run("sh", ["clients/python/generate.sh", scratch], { cwd: ROOT });
    expect(generated.stderr).toBe("");
    expect(generated.code).toBe(0);
    const fresh = filesUnder(join(scratch, "incident_env/proto"));
    const committed = filesUnder(COMMITTED);
    expect([...committed.keys()].sort()).toEqual([...fresh.keys()].sort());
    for (const [path, content] of fresh) {
      expect(committed.get(path), `clients/python/src/incident_env/proto/${path} is stale: run clients/python/generate.sh`).toBe(content);
    }
    // Package-relative imports only: protoc's `from incident.v1 import ...` needs its output on sys.path.
    for (const [path, content] of fresh) expect(content, path).not.toMatch(/^(from|import) (incident|buf)\b/m);
  });
});
