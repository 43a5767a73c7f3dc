/**
 * What can be checked of the container without a Docker engine: every path the Dockerfile copies
 * exists, its build command works, the built server starts with its start command and passes its
 * HEALTHCHECK, and the runtime stage's production dependencies cover every import of the build.
 * Also: openenv.yaml agrees with the served task list.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { IncidentEnvironment } from "../src/env/environment.js";

const root = new URL("..", import.meta.url).pathname;
const dockerfile = readFileSync(join(root, "Dockerfile"), "utf8");
const instructions = dockerfile
  .replace(/\\\n/g, " ")
  .split("\n")
  .map((l) => l.trim())
  .filter((l) => l !== "" && !l.startsWith("#"));

function jsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? jsFiles(path) : path.endsWith(".js") ? [path] : [];
  });
}

describe("Dockerfile", () => {
  it("is multi-stage, runs as a non-root user, has a HEALTHCHECK on /health and honours PORT", () => {
    expect(instructions.filter((l) => l.startsWith("FROM ")).length).toBeGreaterThanOrEqual(2);
    const user = instructions.filter((l) => l.startsWith("USER ")).pop();
    expect(user).toBeDefined();
    expect(user).not.toMatch(/USER\s+(root|0)\b/);
    expect(instructions.find((l) => l.startsWith("HEALTHCHECK"))).toMatch(/\/health/);
    expect(dockerfile).toMatch(/process\.env\.PORT/);
  });

  it("copies only paths that exist", () => {
    const copies = instructions.filter((l) => l.startsWith("COPY ") && !l.includes("--from="));
    expect(copies.length).toBeGreaterThan(0);
    for (const copy of copies) {
      const parts = copy
        .split(/\s+/)
        .slice(1)
        .filter((p) => !p.startsWith("--"));
      for (const source of parts.slice(0, -1)) expect(existsSync(join(root, source)), `${copy}: ${source} is missing`).toBe(true);
    }
  });

  it("runs only npm scripts that package.json defines", () => {
    const scripts = Object.keys(
      (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts,
    );
    for (const run of instructions.filter((l) => l.startsWith("RUN "))) {
      for (const match of run.matchAll(/npm run (\S+)/g)) expect(scripts).toContain(match[1]);
    }
  });

  describe("build and start commands", () => {
    let server: ChildProcess | undefined;
    let baseUrl = "";

    beforeAll(async () => {
      execFileSync("npm", ["run", "build"], { cwd: root, stdio: "pipe" });
      const cmd = instructions.filter((l) => l.startsWith("CMD ")).pop() ?? "";
      const argv = JSON.parse(cmd.slice(4)) as string[];
      server = spawn(argv[0] ?? "node", argv.slice(1), {
        cwd: root,
        env: { ...process.env, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info" },
      });
      baseUrl = await new Promise<string>((resolve, reject) => {
        let out = "";
        const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 15_000);
        server?.stdout?.on("data", (chunk: Buffer) => {
          out += chunk.toString();
          const match = /listening on (http:\/\/[\d.]+:\d+)/.exec(out);
          if (match?.[1]) {
            clearTimeout(timer);
            resolve(match[1]);
          }
        });
      });
    }, 120_000);

    afterAll(() => {
      server?.kill("SIGTERM");
    });

    it("serves /health from the built output", async () => {
      const response = await fetch(`${baseUrl}/health`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ status: "healthy" });
    });

    it("serves the incident console bundled by the build", async () => {
      const page = await fetch(`${baseUrl}/console/`);
      expect(page.status).toBe(200);
      expect(page.headers.get("content-type")).toMatch(/text\/html/);
      const script = await fetch(`${baseUrl}/console/app.js`);
      expect(script.status).toBe(200);
      expect((await script.text()).length).toBeGreaterThan(10_000);
    });

    it("passes its own HEALTHCHECK command", () => {
      const check = instructions.find((l) => l.startsWith("HEALTHCHECK")) ?? "";
      const script = /node -e "(.*)"$/.exec(check)?.[1];
      expect(script).toBeDefined();
      const port = new URL(baseUrl).port;
      expect(() => execFileSync("node", ["-e", script ?? ""], { env: { ...process.env, PORT: port }, stdio: "pipe" })).not.toThrow();
    });

    it("needs only production dependencies at run time", () => {
      const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { dependencies: Record<string, string> };
      const allowed = new Set([...Object.keys(pkg.dependencies), ...builtinModules]);
      const missing = new Set<string>();
      for (const file of jsFiles(join(root, "dist"))) {
        const source = readFileSync(file, "utf8");
        const specifiers = [
          ...source.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+["']([^"'.][^"']*)["']/gm),
          ...source.matchAll(/^\s*import\s+["']([^"'.][^"']*)["']/gm),
          ...source.matchAll(/\bimport\(\s*["']([^"'.][^"']*)["']\s*\)/g),
        ];
        for (const match of specifiers) {
          const specifier = (match[1] ?? "").replace(/^node:/, "");
          const name = specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : (specifier.split("/")[0] ?? "");
          if (!allowed.has(name)) missing.add(`${name} (in ${file.slice(root.length)})`);
        }
      }
      expect([...missing]).toEqual([]);
    });
  });
});

describe("openenv.yaml", () => {
  const manifest = parse(readFileSync(join(root, "openenv.yaml"), "utf8")) as {
    name: string;
    port: number;
    tasks: Array<{ name: string; max_steps: number; score_threshold: number; description: string }>;
  };

  it("names the environment and its port", () => {
    expect(manifest.name).toBe("incident-response-env");
    expect(manifest.port).toBe(7860);
  });

  it("lists the same tasks, budgets and thresholds as ListTasks", () => {
    const served = new IncidentEnvironment().listTasks().tasks.map((t) => ({
      name: t.name,
      max_steps: t.maxSteps,
      score_threshold: t.scoreThreshold,
      description: t.description,
    }));
    expect(manifest.tasks).toEqual(served);
  });
});
