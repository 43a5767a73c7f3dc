/**
 * The protos are the source of truth: they must lint clean, and gen/ and proto-vendor/ must be
 * exactly what the generators produce from them now.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = new URL("..", import.meta.url).pathname;
const buf = join(root, "node_modules/.bin/buf");
const scratch = mkdtempSync(join(tmpdir(), "proto-check-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function filesUnder(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.set(relative(dir, path), readFileSync(path, "utf8"));
    }
  };
  walk(dir);
  return out;
}

describe("protos", () => {
  it("pass buf lint (STANDARD)", () => {
    expect(() => execFileSync(buf, ["lint"], { cwd: root, stdio: "pipe" })).not.toThrow();
  });

  it("gen/ is what buf generate produces", () => {
    execFileSync(buf, ["generate", "-o", scratch], { cwd: root, stdio: "pipe" });
    const fresh = filesUnder(join(scratch, "gen"));
    const committed = filesUnder(join(root, "gen"));
    expect([...committed.keys()].sort()).toEqual([...fresh.keys()].sort());
    for (const [path, content] of fresh) expect(committed.get(path), `gen/${path} is stale: run npm run generate`).toBe(content);
  }, 60_000);

  it("proto-vendor/buf/validate/validate.proto matches the installed @bufbuild/protovalidate", () => {
    const out = join(scratch, "validate.proto");
    execFileSync(process.execPath, ["--import", "tsx", "tools/print-validate-proto.ts", out], { cwd: root, stdio: "pipe" });
    expect(readFileSync(join(root, "proto-vendor/buf/validate/validate.proto"), "utf8")).toBe(readFileSync(out, "utf8"));
  }, 30_000);
});
