/**
 * Saying "retry later" instead of falling over, in every client's own protocol
 * (src/server/protocol-reject.ts), before a request reaches its route:
 *
 * - Overload (@fastify/under-pressure): while the mean event-loop delay of the last one-second
 *   sample is above MAX_EVENT_LOOP_DELAY_MS, or the V8 heap in use above MAX_HEAP_USED_BYTES, new
 *   requests get unavailable (HTTP 503, gRPC UNAVAILABLE) with Retry-After:
 *   PRESSURE_RETRY_AFTER_SECONDS. Requests already running, and streams already open, go on.
 * - Rate limit (@fastify/rate-limit, RATE_LIMIT_PER_MINUTE, off by default): each client
 *   (rateLimitKey: its address) may start that many requests per fixed one-minute window; the next
 *   get resource_exhausted (HTTP 429, gRPC RESOURCE_EXHAUSTED) with Retry-After: the seconds left in
 *   the window. A request is one HTTP request, one RPC or one WebSocket handshake: the messages
 *   inside a stream or a WebSocket are not counted. The counters live in this process (an LRU of
 *   clients, so memory stays bounded); replicas count separately.
 *
 * Health checks (GET /health, the Health RPC) are exempt from both: a liveness probe that failed
 * because the server is busy would have it restarted, and every episode lost with it.
 */
import fastifyRateLimit from "@fastify/rate-limit";
import fastifyUnderPressure from "@fastify/under-pressure";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { IncidentEnvService } from "../../gen/incident/v1/service_pb.js";
import type { GuardSettings } from "./guard-settings.js";
import { refuse } from "./protocol-reject.js";
import { rateLimitKey } from "./rate-limit-key.js";

/** What an overloaded server asks clients to wait: two of under-pressure's one-second samples. */
const PRESSURE_RETRY_AFTER_SECONDS = 2;

const RATE_WINDOW_MS = 60_000;

const EXEMPT_ROUTES: ReadonlySet<string> = new Set(["/health", `/${IncidentEnvService.typeName}/Health`]);

function exempt(request: FastifyRequest): boolean {
  const route = request.routeOptions.url;
  return route !== undefined && EXEMPT_ROUTES.has(route);
}

type LoadSettings = Pick<GuardSettings, "rateLimitPerMinute" | "maxEventLoopDelayMs" | "maxHeapUsedBytes">;

/** Registers overload protection and the rate limit (each only when its setting is on) on every route of `app`. */
export async function registerLoadShedding(app: FastifyInstance, settings: LoadSettings): Promise<void> {
  if (settings.maxEventLoopDelayMs > 0 || settings.maxHeapUsedBytes > 0) {
    await app.register(fastifyUnderPressure, {
      maxEventLoopDelay: settings.maxEventLoopDelayMs,
      maxHeapUsedBytes: settings.maxHeapUsedBytes,
      pressureHandler: (request, reply, type) => {
        if (exempt(request)) return;
        const cause =
          type === fastifyUnderPressure.TYPE_HEAP_USED_BYTES
            ? "its heap is above MAX_HEAP_USED_BYTES"
            : "its event loop lags more than MAX_EVENT_LOOP_DELAY_MS";
        return refuse(request, reply, {
          kind: "unavailable",
          message: `the server is overloaded (${cause}); retry in ${PRESSURE_RETRY_AFTER_SECONDS} s`,
          retryAfterSeconds: PRESSURE_RETRY_AFTER_SECONDS,
        });
      },
    });
  }

  if (settings.rateLimitPerMinute > 0) {
    // global: false: no hook of the plugin's own, whose answer would be REST JSON for every protocol.
    await app.register(fastifyRateLimit, { global: false });
    const limit = app.createRateLimit({ max: settings.rateLimitPerMinute, timeWindow: RATE_WINDOW_MS, keyGenerator: rateLimitKey });
    app.addHook("onRequest", (request, reply, done) => {
      if (exempt(request)) {
        done();
        return;
      }
      limit(request).then((result) => {
        if (result.isAllowed || !result.isExceeded) {
          done();
          return;
        }
        void refuse(request, reply, {
          kind: "resource_exhausted",
          message: `more than ${result.max} requests in a minute from this client (RATE_LIMIT_PER_MINUTE); retry in ${result.ttlInSeconds} s`,
          retryAfterSeconds: result.ttlInSeconds,
        });
      }, done);
    });
  }
}
