/**
 * The API only grows: `buf breaking` (FILE rules, buf.yaml) finds no breaking change between the
 * protos now and the last released ones (proto-releases/, one image per release, made with
 * `npx buf build proto --exclude-source-info -o proto-releases/v<version>.binpb`).
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = new URL("..", import.meta.url).pathname;
const buf = join(root, "node_modules/.bin/buf");
const releases = join(root, "proto-releases");
const scratch = mkdtempSync(join(tmpdir(), "proto-breaking-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The image of the newest release: versions compared numerically (v0.10.0 after v0.9.0). */
function lastRelease(): string {
  const version = (name: string): number[] =>
    name
      .replace(/^v|\.binpb$/g, "")
      .split(".")
      .map(Number);
  const images = readdirSync(releases).filter((name) => /^v\d+\.\d+\.\d+\.binpb$/.test(name));
  images.sort((a, b) => {
    const [x, y] = [version(a), version(b)];
    for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
    return 0;
  });
  const last = images.at(-1);
  if (last === undefined) throw new Error("no release image in proto-releases/");
  return join(releases, last);
}

/** buf breaking of the workspace in `cwd` against the last release: its output, or "" when clean. */
function breakingChanges(cwd: string): string {
  try {
    execFileSync(buf, ["breaking", "proto", "--against", lastRelease()], { cwd, stdio: "pipe", encoding: "utf8" });
    return "";
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    return `${stdout ?? ""}${stderr ?? ""}` || String(error);
  }
}

describe("proto compatibility", () => {
  it("the protos break nothing of the last release (buf breaking)", () => {
    expect(breakingChanges(root)).toBe("");
  }, 60_000);

  it("a renumbered field is caught", () => {
    for (const part of ["proto", "proto-vendor", "buf.yaml"]) cpSync(join(root, part), join(scratch, part), { recursive: true });
    const file = join(scratch, "proto/incident/v1/action.proto");
    const text = readFileSync(file, "utf8");
    const renumbered = text.replace("string summary = 1 [", "string summary = 99 [");
    expect(renumbered).not.toBe(text);
    writeFileSync(file, renumbered);
    expect(breakingChanges(scratch)).toMatch(/summary|field.*1/i);
  }, 60_000);
});
