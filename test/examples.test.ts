/**
 * The client examples against the real server on port 0: the TypeScript example (generated
 * Connect client), the Python trainer (stubs generated with Debian's protoc + grpc_python_plugin)
 * and the Go trainer (Debian's protoc-gen-go / protoc-gen-go-grpc, GOPATH build). Each must play
 * an episode of every level over gRPC and print its scores.
 *
 * Python and Go need Debian packages a developer's machine may lack: without them these tests are
 * skipped with the reason and the apt-get line. CI (.ci/run) installs the packages and sets
 * REQUIRE_CLIENT_TOOLCHAINS=1, which turns a missing toolchain into a failure instead.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { onPath, PYTHON, pythonRuntimeMissing, requireToolchain, run as runCommand, type Run } from "./support/python-toolchain.js";
import { useServer } from "./support/server.js";

const ROOT = join(import.meta.dirname, "..");
const server = useServer();
const work = mkdtempSync(join(tmpdir(), "incident-examples-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const PY_PACKAGES = "python3-grpcio python3-protobuf protobuf-compiler protobuf-compiler-grpc";
const GO_PACKAGES =
  "golang-go protobuf-compiler protoc-gen-go protoc-gen-go-grpc golang-google-grpc-dev golang-google-protobuf-dev golang-github-golang-protobuf-1-5-dev";

/** Why the Python toolchain is not usable here, or undefined if it is. */
function pythonMissing(): string | undefined {
  for (const tool of ["protoc", "grpc_python_plugin"]) if (!onPath(tool)) return `${tool} not found`;
  return pythonRuntimeMissing();
}

function goMissing(): string | undefined {
  for (const tool of ["go", "protoc", "protoc-gen-go", "protoc-gen-go-grpc"]) if (!onPath(tool)) return `${tool} not found`;
  if (!existsSync("/usr/share/gocode/src/google.golang.org/grpc")) return "golang-google-grpc-dev is not installed";
  if (!existsSync("/usr/share/gocode/src/google.golang.org/protobuf")) return "golang-google-protobuf-dev is not installed";
  if (existsSync("/usr/share/gocode/src/github.com/golang/protobuf/proto/table_unmarshal.go")) {
    return "golang-github-golang-protobuf-1-3-dev is installed (grpc then cannot decode protoc-gen-go 1.28 messages); install golang-github-golang-protobuf-1-5-dev";
  }
  return undefined;
}

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 60_000): Promise<Run> {
  return runCommand(command, args, { cwd: ROOT, env: { ...process.env, ...env }, timeoutMs });
}

/** Every level played to its end, with a score printed for each. */
function expectScores(out: string, perLevel: number): void {
  for (const level of ["easy", "medium", "hard"]) {
    const lines = out
      .split("\n")
      .filter((l) =>
        new RegExp(
          `^${level} seed=\\d+ score=\\d\\.\\d{3} steps=\\d+ status=terminated_(success|failed) streamed_log_lines=[1-9]\\d*$`,
        ).test(l),
      );
    expect(lines, `${level} episodes in:\n${out}`).toHaveLength(perLevel);
    expect(out).toMatch(new RegExp(`^${level} mean_score=\\d\\.\\d{3} episodes=${perLevel}$`, "m"));
  }
}

describe("TypeScript example (examples/ts/play.ts)", () => {
  it("plays an episode of every level over gRPC and prints the scores", async () => {
    const result = await run(process.execPath, ["--import", "tsx", "examples/ts/play.ts", server.baseUrl]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    for (const level of ["easy", "medium", "hard"]) expect(result.stdout).toMatch(new RegExp(`^${level} score=\\d\\.\\d{3}$`, "m"));
  });

  it("typechecks under the project's strict settings", async () => {
    const result = await run(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "examples/ts/tsconfig.json"]);
    expect(result.stdout + result.stderr).toBe("");
    expect(result.code).toBe(0);
  });
});

describe("Python trainer (examples/python)", () => {
  it("generates stubs, then plays every level over gRPC while streaming logs, and prints scores", { timeout: 120_000 }, async (ctx) => {
    requireToolchain(ctx, "Python toolchain", pythonMissing(), PY_PACKAGES);
    const gen = join(work, "python-gen");
    const generated = await run("sh", ["examples/python/generate.sh", gen]);
    expect(generated.stderr).toBe("");
    expect(generated.code).toBe(0);
    expect(existsSync(join(gen, "incident", "v1", "service_pb2_grpc.py"))).toBe(true);
    const address = server.baseUrl.replace(/^http:\/\//, "");
    const result = await run(PYTHON, ["examples/python/trainer.py", address, "--episodes", "2", "--seed", "3"], { INCIDENT_PY_GEN: gen });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^connected to incident-response-env /m);
    expectScores(result.stdout, 2);
  });
});

describe("Go trainer (examples/go)", () => {
  it("generates stubs, builds in GOPATH mode, then plays every level over gRPC while streaming logs", { timeout: 240_000 }, async (ctx) => {
    requireToolchain(ctx, "Go toolchain", goMissing(), GO_PACKAGES);
    const goWork = join(work, "go");
    const built = await run("sh", ["examples/go/build.sh", goWork], {}, 200_000);
    expect(built.stderr).toBe("");
    expect(built.code).toBe(0);
    const binary = join(goWork, "bin", "trainer");
    expect(built.stdout.trim()).toBe(binary);
    const address = server.baseUrl.replace(/^http:\/\//, "");
    const result = await run(binary, ["-addr", address, "-episodes", "2", "-seed", "3"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^connected to incident-response-env /m);
    expectScores(result.stdout, 2);
  });
});
