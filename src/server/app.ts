/**
 * The HTTP application: one fastify instance on one port serving
 * - IncidentEnvService over Connect, gRPC (h2c) and gRPC-Web (src/server/connect-routes.ts),
 * - the OpenEnv JSON routes (src/server/rest-routes.ts),
 * - Server-Sent Events of an episode's logs and events (src/server/sse-routes.ts),
 * - the OpenEnv WebSocket /ws (src/server/ws-routes.ts) and MCP on POST /mcp (src/server/mcp.ts),
 * - Swagger UI and the OpenAPI document (src/server/docs.ts),
 * - the incident console at /console (src/server/console-routes.ts).
 * Transports only: every behaviour comes from the IncidentEnvironment it is given.
 */
import { fastifyConnectPlugin } from "@connectrpc/connect-fastify";
import { createValidateInterceptor } from "@connectrpc/validate";
import Fastify, { LogController, type FastifyInstance } from "fastify";
import { IncidentEnvService } from "../../gen/incident/v1/service_pb.js";
import type { EnvironmentApi } from "../env/api.js";
import { ENVIRONMENT_VERSION, IncidentEnvironment } from "../env/environment.js";
import { DEFAULT_HTTP_LIMITS, type HttpLimits } from "../env/limits.js";
import { decodeFailureInterceptor } from "./connect-decode-errors.js";
import { CONNECT_JSON_WRITE_OPTIONS } from "./connect-json.js";
import { connectContextValues, isMessageStreamPath, registerConnectRoutes, type ServiceDescription } from "./connect-routes.js";
import { consoleRoutes } from "./console-routes.js";
import { buildMetadata, buildSchemas } from "./describe.js";
import { registerDocs } from "./docs.js";
import { ServerDrain } from "./drain.js";
import type { ApiKeys } from "./api-keys.js";
import { Callers } from "./callers.js";
import { createDualProtocolServer } from "./dual-server.js";
import { closeRefusedUpgrades } from "./upgrade-refusals.js";
import { envErrorInterceptor, installRestErrorHandling } from "./errors.js";
import { DEFAULT_GUARD_SETTINGS, type GuardSettings } from "./guard-settings.js";
import { registerLoadShedding } from "./load-shedding.js";
import { clientErrorHandler, routerErrorHandler } from "./http-errors.js";
import { McpHandler, mcpRoutes } from "./mcp.js";
import { buildOpenApi } from "./openapi.js";
import { installRequestGuard } from "./request-guard.js";
import { restRouteTable, restRoutes } from "./rest-routes.js";
import { DEFAULT_SERVER_SETTINGS, type ServerSettings } from "./server-settings.js";
import { sseRoutes } from "./sse-routes.js";
import { validator } from "../json/validation.js";
import { wsRoutes } from "./ws-routes.js";

export interface AppOptions {
  /** Where episodes live; an IncidentEnvironment in this process by default. */
  env?: EnvironmentApi;
  /** pino log level, or false for no logging. */
  logLevel?: string | false;
  /** One line per request and response at info level (ACCESS_LOG=1); off by default. */
  accessLog?: boolean;
  /** API keys (API_KEYS, API_KEYS_FILE); without them, requests need no key and episodes have no owner. */
  apiKeys?: ApiKeys;
  /** Where log lines go (tests); standard output by default. */
  logStream?: { write(line: string): void };
  /**
   * Origin and Host checks, rate limit and overload protection (src/server/guard-settings.ts);
   * defaults for what is left out, except overload protection, which is off unless given: an
   * embedding process (a test, a notebook) may block its own event loop for seconds on purpose,
   * and `npm start` passes the server's settings (guardSettingsFromEnv), the heap check on.
   */
  guard?: Partial<GuardSettings>;
  /** Limits of the HTTP server itself (MAX_HEADER_BYTES); the defaults of src/env/limits.ts otherwise. */
  httpLimits?: HttpLimits;
  /** REQUEST_TIMEOUT_SECONDS and DRAIN_TIMEOUT_SECONDS (src/server/server-settings.ts). */
  server?: Partial<ServerSettings>;
  /** The built console's directory (tests build their own); found beside the server by default (src/server/console-routes.ts). */
  consoleDir?: string;
}

export interface App {
  app: FastifyInstance;
  env: EnvironmentApi;
  /** Callers and their views of the environment (default episodes of connections and keys). */
  callers: Callers;
  /** Drains the server on SIGTERM (src/server/drain.ts). */
  drain: ServerDrain;
  settings: ServerSettings;
}

export async function buildApp(options: AppOptions = {}): Promise<App> {
  const env: EnvironmentApi = options.env ?? new IncidentEnvironment();
  const httpLimits = options.httpLimits ?? DEFAULT_HTTP_LIMITS;
  const settings: ServerSettings = { ...DEFAULT_SERVER_SETTINGS, ...options.server };
  const drain = new ServerDrain();
  const app = Fastify({
    serverFactory: (handler) => {
      const server = createDualProtocolServer(handler, {
        maxHeaderBytes: httpLimits.maxHeaderBytes,
        requestTimeoutMs: settings.requestTimeoutMs,
        isMessageStream: isMessageStreamPath,
      });
      drain.attach(server.traffic);
      return server;
    },
    // Errors before a route, in the REST error shape (src/server/http-errors.ts). A path parameter
    // (an episode id) is bounded by the header limit, and checked by its proto rule, not by the router.
    frameworkErrors: routerErrorHandler,
    clientErrorHandler: clientErrorHandler(httpLimits.maxHeaderBytes),
    routerOptions: { maxParamLength: httpLimits.maxHeaderBytes },
    bodyLimit: env.limits.maxBodyBytes,
    // While closing, the drain's own 503 (error shape, Retry-After) answers, not fastify's.
    return503OnClosing: false,
    logger: options.logLevel ? { level: options.logLevel, ...(options.logStream ? { stream: options.logStream } : {}) } : false,
    // One log line per request would drown the log of a training run and cost the hot path; errors
    // are still logged, and ACCESS_LOG=1 asks for the lines.
    logController: new LogController({ disableRequestLogging: options.accessLog !== true }),
  });
  const about: ServiceDescription = { metadata: buildMetadata(), schemas: buildSchemas() };
  const callers = new Callers(env, options.apiKeys);
  const { environmentFor } = callers;
  const routes = restRouteTable(env, environmentFor, about);

  installRestErrorHandling(app);
  closeRefusedUpgrades(app);
  // Before every route: who may call at all (origin and Host, then the API key), then whether the
  // server takes more work now (overload, then the rate limit of the caller's key or address).
  const guard: GuardSettings = { ...DEFAULT_GUARD_SETTINGS, maxEventLoopDelayMs: 0, maxHeapUsedBytes: 0, ...options.guard };
  installRequestGuard(app, guard);
  callers.install(app);
  await registerLoadShedding(app, guard);
  drain.install(app, env);
  await registerDocs(app, buildOpenApi({ version: ENVIRONMENT_VERSION, routes, services: [IncidentEnvService] }));
  await app.register(fastifyConnectPlugin, {
    routes: (router) => registerConnectRoutes(router, env, about, drain.signal),
    interceptors: [decodeFailureInterceptor, envErrorInterceptor, drain.interceptor, createValidateInterceptor({ validator })],
    // Every method replaces these with its strict options (src/server/connect-json.ts).
    jsonOptions: { ...CONNECT_JSON_WRITE_OPTIONS, ignoreUnknownFields: false },
    readMaxBytes: env.limits.maxBodyBytes,
    compressMinBytes: env.limits.compressMinBytes,
    contextValues: (request) => drain.admit(connectContextValues(request, environmentFor)),
  });
  await app.register(restRoutes, { routes });
  await app.register(sseRoutes, { env, environmentFor, drain: drain.signal });
  const mcp = new McpHandler();
  await app.register(mcpRoutes, { mcp, environmentFor });
  await app.register(wsRoutes, { env, mcp, environmentFor, drain });
  await app.register(consoleRoutes, options.consoleDir !== undefined ? { root: options.consoleDir } : {});
  return { app, env, callers, drain, settings };
}
