/**
 * The codebase checks itself: ESLint (typescript-eslint and the layer rule of eslint.config.js)
 * is clean, the layer rule refuses an import that goes up a layer, and every file is formatted as
 * Prettier (.prettierrc.json, .prettierignore) prints it.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const root = new URL("..", import.meta.url).pathname;
const eslint = new ESLint({ cwd: root });

/** Messages of the layer rule for one import written in a file at `filePath`. */
async function layerErrors(filePath: string, importLine: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${importLine}\nexport const used = typeof x;\n`, { filePath: `${root}${filePath}` });
  return (result?.messages ?? []).filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

describe("lint", () => {
  it("ESLint reports nothing over src, test, bench, tools and the other sources", async () => {
    const results = await eslint.lintFiles(["."]);
    const problems = results.flatMap((r) =>
      r.messages.map((m) => `${r.filePath.slice(root.length)}:${m.line}:${m.column} ${m.ruleId ?? ""} ${m.message}`),
    );
    expect(problems, "run npx eslint . to see them").toEqual([]);
    expect(results.length).toBeGreaterThan(300);
  }, 120_000);

  it.each([
    ["src/sim/x.ts", 'import { x } from "../scenarios/levels.js";'],
    ["src/sim/x.ts", 'import { x } from "../env/episode.js";'],
    ["src/scenarios/faults/x.ts", 'import { x } from "../../grading/grade.js";'],
    ["src/grading/episode/x.ts", 'import { x } from "../../env/episode.js";'],
    ["src/env/x.ts", 'import { x } from "../server/app.js";'],
    ["src/env/workers/x.ts", 'import { x } from "../../server/app.js";'],
    ["src/env/x.ts", 'import x from "fastify";'],
    ["src/env/x.ts", 'import { x } from "@connectrpc/connect-node";'],
    ["src/json/x.ts", 'import { x } from "../env/episode.js";'],
    ["src/json/x.ts", 'import { x } from "../server/errors.js";'],
    ["src/agents/x.ts", 'import { x } from "../server/app.js";'],
    ["src/eval/x.ts", 'import { x } from "../server/app.js";'],
  ])("the layer rule refuses, in %s, %s", async (file, line) => {
    expect(await layerErrors(file, line)).toHaveLength(1);
  });

  it.each([
    ["src/scenarios/x.ts", 'import { x } from "../sim/engine.js";'],
    ["src/json/x.ts", 'import { x } from "../env/errors.js";'],
    ["src/env/x.ts", 'import { x } from "../json/rest-json.js";'],
    ["src/eval/x.ts", 'import { x } from "@connectrpc/connect-node";'],
    ["src/server/x.ts", 'import x from "fastify";'],
  ])("the layer rule allows, in %s, %s", async (file, line) => {
    expect(await layerErrors(file, line)).toEqual([]);
  });

  it("Prettier would change no file (npm run format rewrites them)", () => {
    let listed = "";
    try {
      execFileSync(join(root, "node_modules/.bin/prettier"), ["--list-different", "."], { cwd: root, stdio: "pipe", encoding: "utf8" });
    } catch (error) {
      // --list-different exits 1 and prints the files it would change.
      listed = String((error as { stdout?: string }).stdout ?? error);
    }
    expect(listed.split("\n").filter(Boolean), "run npm run format").toEqual([]);
  }, 120_000);
});
