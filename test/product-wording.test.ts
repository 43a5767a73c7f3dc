/**
 * Product text calls the original Python environment "the original incident-response-env", never
 * "the seed", which readers take for the random seed: the README, docs/ and every source file
 * (the CLI's help and the comments the docs point to) are checked. "seed" for the random seed
 * stays. (The .proto comments, which the generated schemas carry, are not fixed yet.)
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..");

function filesUnder(dir: string, suffix: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(suffix))
    .map((name) => join(ROOT, dir, name));
}

/** The phrasings that meant the original environment ("the seed's inference.py", "what the seed dropped"). */
const ORIGINAL_AS_SEED = /\bthe seed's\b|\bthe seed (?:dropped|accepted|named|presets?|flow|exploits)\b|\bas the seed\b|seed-analysis/i;

describe("product text names the original incident-response-env plainly", () => {
  const files = [join(ROOT, "README.md"), ...filesUnder("docs", ".md"), ...filesUnder("src", ".ts")];

  it.each(files.map((file) => [relative(ROOT, file), file]))("%s", (_name, file) => {
    const offending = readFileSync(file, "utf8")
      .split("\n")
      .map((line, i) => `${i + 1}: ${line.trim()}`)
      .filter((line) => ORIGINAL_AS_SEED.test(line));
    expect(offending).toEqual([]);
  });
});
