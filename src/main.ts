/**
 * `npm start`: serves the environment on PORT (default 7860) and HOST (default 0.0.0.0),
 * simulating in WORKERS threads (default: one per core; src/env/start-environment.ts), with
 * limits from the environment variables listed in src/env/limits.ts (streaming limits:
 * docs/streaming.md), API keys from API_KEYS / API_KEYS_FILE (src/server/api-keys.ts), the origin,
 * Host, rate-limit and overload settings of src/server/guard-settings.ts, and the request and drain
 * timeouts of src/server/server-settings.ts. LOG_LEVEL sets the log level (default info; requests
 * are not logged unless ACCESS_LOG=1). SIGTERM or SIGINT drains the server (src/server/drain.ts)
 * within DRAIN_TIMEOUT_SECONDS, then exits 0, or 1 if the drain had to cut something; a second
 * signal exits at once. HEAP_GROWING_PERCENT tunes V8's heap growth (src/heap-growth.ts);
 * ALLOCATION_SITE_PRETENURING=1 keeps V8's allocation-site pretenuring, which the server turns off
 * (src/pretenuring.ts).
 */
import { settingsFromEnv, startEnvironment } from "./env/start-environment.js";
import { applyHeapGrowth, heapGrowingPercentFromEnv } from "./heap-growth.js";
import { httpLimitsFromEnv } from "./env/limits.js";
import { applyPretenuring, pretenuringFromEnv } from "./pretenuring.js";
import { ApiKeys } from "./server/api-keys.js";
import { buildApp } from "./server/app.js";
import { guardSettingsFromEnv } from "./server/guard-settings.js";
import { serverSettingsFromEnv } from "./server/server-settings.js";

const SWEEP_INTERVAL_MS = 60_000;

function portFromEnv(): number {
  const raw = process.env.PORT ?? "7860";
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be an integer from 0 to 65535, got "${raw}"`);
  return port;
}

/**
 * A setting, a file or a port the server cannot use: one line naming it, and exit status 1. The
 * stack trace helps only with a bug, so it is printed only at LOG_LEVEL debug or trace.
 */
function fail(error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`incident-response-env: ${message}\n`);
  if (["debug", "trace"].includes(process.env.LOG_LEVEL ?? "") && error instanceof Error && error.stack)
    process.stderr.write(`${error.stack}\n`);
  process.exit(1);
}

/** Every setting, read and checked before anything starts. */
function readSettings() {
  return {
    environment: settingsFromEnv(),
    apiKeys: ApiKeys.fromEnv(),
    guard: guardSettingsFromEnv(),
    httpLimits: httpLimitsFromEnv(),
    server: serverSettingsFromEnv(),
    port: portFromEnv(),
    heapGrowingPercent: heapGrowingPercentFromEnv(),
    pretenuring: pretenuringFromEnv(),
  };
}

const configured = (() => {
  try {
    return readSettings();
  } catch (error) {
    return fail(error);
  }
})();
const settings = configured.environment;
// Before the simulation workers start (see src/heap-growth.ts and src/pretenuring.ts).
applyHeapGrowth(configured.heapGrowingPercent);
applyPretenuring(configured.pretenuring);
const env = await startEnvironment(settings).catch(fail);
const {
  app,
  drain,
  settings: server,
} = await buildApp({
  env,
  logLevel: process.env.LOG_LEVEL ?? "info",
  accessLog: process.env.ACCESS_LOG === "1",
  guard: configured.guard,
  httpLimits: configured.httpLimits,
  server: configured.server,
  ...(configured.apiKeys ? { apiKeys: configured.apiKeys } : {}),
});
const sweeper = setInterval(() => void env.sweep(), SWEEP_INTERVAL_MS);
sweeper.unref();

const shutdown = (signal: string): void => {
  if (drain.draining) {
    app.log.warn(`${signal} during the drain: exiting now`);
    process.exit(1);
  }
  app.log.info(`${signal}: shutting down`);
  clearInterval(sweeper);
  drain.run(app, env, server.drainTimeoutMs, app.log).then(
    (outcome) => process.exit(outcome.clean ? 0 : 1),
    (error: unknown) => {
      app.log.error({ err: error }, "the drain failed");
      process.exit(1);
    },
  );
};
process.on("SIGINT", () => shutdown("SIGINT"));
process.on("SIGTERM", () => shutdown("SIGTERM"));

const address = await app.listen({ port: configured.port, host: process.env.HOST ?? "0.0.0.0" }).catch(fail);
app.log.info(
  `incident-response-env listening on ${address} (REST, Connect, gRPC, gRPC-Web, SSE, WebSocket /ws, MCP /mcp; docs at /docs); ` +
    `${settings.workers > 1 ? `${settings.workers} simulation workers` : "simulating in the server thread"}`,
);
