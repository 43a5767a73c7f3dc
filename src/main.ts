/**
 * `npm start`: serves the environment on PORT (default 7860) and HOST (default 0.0.0.0),
 * simulating in WORKERS threads (default: one per core; src/env/start-environment.ts), with
 * limits from the environment variables listed in src/env/limits.ts (streaming limits:
 * docs/streaming.md), API keys from API_KEYS / API_KEYS_FILE (src/server/api-keys.ts), and the origin,
 * Host, rate-limit and overload settings of src/server/guard-settings.ts. LOG_LEVEL sets the log
 * level (default info; requests are not logged unless ACCESS_LOG=1).
 */
import { settingsFromEnv, startEnvironment } from "./env/start-environment.js";
import { httpLimitsFromEnv } from "./env/limits.js";
import { ApiKeys } from "./server/api-keys.js";
import { buildApp } from "./server/app.js";
import { guardSettingsFromEnv } from "./server/guard-settings.js";

const SWEEP_INTERVAL_MS = 60_000;

function portFromEnv(): number {
  const raw = process.env.PORT ?? "7860";
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be an integer from 0 to 65535, got "${raw}"`);
  return port;
}

const settings = settingsFromEnv();
const apiKeys = ApiKeys.fromEnv();
const guard = guardSettingsFromEnv();
const env = await startEnvironment(settings);
const { app } = await buildApp({
  env,
  logLevel: process.env.LOG_LEVEL ?? "info",
  accessLog: process.env.ACCESS_LOG === "1",
  guard,
  httpLimits: httpLimitsFromEnv(),
  ...(apiKeys ? { apiKeys } : {}),
});
const sweeper = setInterval(() => void env.sweep(), SWEEP_INTERVAL_MS);
sweeper.unref();

const shutdown = (signal: string): void => {
  app.log.info(`${signal}: shutting down`);
  clearInterval(sweeper);
  app
    .close()
    .then(() => env.shutdown())
    .then(
      () => process.exit(0),
      () => process.exit(1),
    );
};
process.once("SIGINT", () => shutdown("SIGINT"));
process.once("SIGTERM", () => shutdown("SIGTERM"));

const address = await app.listen({ port: portFromEnv(), host: process.env.HOST ?? "0.0.0.0" });
app.log.info(
  `incident-response-env listening on ${address} (REST, Connect, gRPC, gRPC-Web, SSE, WebSocket /ws, MCP /mcp; docs at /docs); ` +
    `${settings.workers > 1 ? `${settings.workers} simulation workers` : "simulating in the server thread"}`,
);
