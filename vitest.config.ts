import { defineConfig } from "vitest/config";

/**
 * Test files left out of `npm run test:fast`: each starts servers, child processes, worker pools,
 * Redis, Python or Go toolchains, or runs long generated or timed workloads. `npm test` and CI run
 * them all (both projects); `npm run test:fast` runs the "fast" project only, the pure and unit
 * tests plus a few quick in-process server tests, in well under a minute on two cores.
 */
const slow = [
  "test/transports.test.ts", // gRPC, gRPC-Web and Connect clients against a live server
  "test/soak.test.ts", // a long mixed-load run against a separate server process
  "test/python-client.test.ts", // builds a venv and installs the Python package
  "test/python-stubs.test.ts", // regenerates the Python stubs with protoc
  "test/examples.test.ts", // the Python and Go example clients
  "test/bench-suite.test.ts", // the benchmark suite in quick mode
  "test/shared-store.test.ts", // episodes in Redis, several replicas
  "test/drain.test.ts", // graceful shutdown with streams open
  "test/dead-clients.test.ts", // clients that vanish mid-stream, with timeouts
  "test/fuzz.test.ts", // fast-check over every surface and transport
  "test/property.test.ts", // fast-check over whole episodes
  "test/cheats.test.ts", // every cheating policy over many seeds
  "test/oracle.test.ts", // the oracle agent over many seeds
  "test/cli.test.ts", // the evaluation CLI as child processes
  "test/packaging.test.ts", // npm pack, the build and the Docker context
  "test/startup-errors.test.ts", // the server binary started with bad settings
  "test/heap-growth.test.ts", // the server binary with two workers, read through V8's GC trace
  "test/pretenuring.test.ts", // the server binary with two workers, read through V8's pretenuring trace
  "test/workers.test.ts", // worker-thread pools
  "test/state-text.test.ts", // GET /state's kept text over one thread and worker pools, with idle eviction and live clocks
  "test/streaming.test.ts", // log streams with a live clock
  "test/eval.test.ts", // evaluation runs over many episodes
  "test/episode-access.test.ts", // concurrent access to episodes across transports
  "test/proto.test.ts", // buf lint, buf generate and buf breaking
  "test/lint.test.ts", // ESLint and Prettier over the whole codebase
  "test/kb-pool.test.ts", // knowledge-base documents over many generated incidents
  "test/agents.test.ts", // every built-in agent over whole episodes
  "test/sse.test.ts", // Server-Sent Events with a live clock
  "test/load-shedding.test.ts", // a server pushed past its limits
  "test/live-clock-limits.test.ts", // live-clock episodes waiting on timers
  "test/alert-priority.test.ts", // alert priorities over many generated incidents
  "test/batch.test.ts", // batch RPCs over every transport
  "test/honest-documents.test.ts", // grades honest documents over many seeds
  "test/warm-episodes.test.ts", // the warm-episode pool refilling in the background
  "test/console.test.ts", // the console in Debian's chromium
  "test/list-episodes.test.ts", // episode listings over every transport, worker pools and Redis
  "test/observation-text.test.ts", // text observations over every transport, worker pools and Redis
  "test/report-details.test.ts", // an evaluation over a live server, then the report
  "test/llm-unavailable.test.ts", // the evaluation CLI as child processes
  "test/proto-breaking.test.ts", // buf breaking against the release image
];

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // The JSON report feeds the "N passed, N failed" line that .ci/run prints.
    reporters: ["default", ["json", { outputFile: "test-results/vitest.json" }]],
    projects: [
      { extends: true, test: { name: "fast", include: ["test/**/*.test.ts"], exclude: slow } },
      { extends: true, test: { name: "slow", include: slow } },
    ],
  },
});
