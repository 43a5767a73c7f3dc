/**
 * The drain on SIGTERM or SIGINT: the server stops without leaving any client in doubt.
 *
 * 1. It stops accepting connections, and `signal` aborts: log and event streams end with
 *    `unavailable` (gRPC, Connect) or an SSE `end` event whose data says `"reason": "draining"`;
 *    an Interact session answers the request it is serving, then ends with `unavailable`; a /ws
 *    session answers the message it is handling, then closes with 1001 (going away); its later
 *    messages are not applied.
 * 2. Every request whose headers had arrived is answered as usual (a step already sent gets its
 *    result, never a reset). A request arriving later, on a connection kept alive, gets 503 /
 *    `unavailable` with Retry-After; HTTP/1.1 responses say `Connection: close`. /health answers
 *    503 with `"status": "draining"` (gRPC/Connect Health: HEALTH_STATUS_DRAINING), so load
 *    balancers stop sending.
 * 3. Once nothing is in flight (and each /ws session has closed its episode), or at
 *    DRAIN_TIMEOUT_SECONDS at the latest, the rest is closed (HTTP/2 GOAWAY, idle keep-alive
 *    connections) or cut, and the environment stops (worker threads, store connections): worker
 *    calls of the requests answered above have all returned by then.
 *
 * Nothing survives the restart with the in-memory store; with EPISODE_STORE every episode stays
 * in the store for the other replicas and the restarted one.
 */
import { create } from "@bufbuild/protobuf";
import { setMaxListeners } from "node:events";
import { Code, ConnectError, createContextKey, type ContextValues, type Interceptor } from "@connectrpc/connect";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { HealthStatus } from "../../gen/incident/v1/enums_pb.js";
import { HealthResponseSchema, IncidentEnvService } from "../../gen/incident/v1/service_pb.js";
import type { EnvironmentApi } from "../env/api.js";
import { toRestJson } from "../json/rest-json.js";
import type { ServerTraffic } from "./dual-server.js";
import { errorBody } from "./errors.js";

/** Seconds a refused client is asked to wait (Retry-After): about what a restart takes. */
const DRAIN_RETRY_AFTER_SECONDS = 5;

/** The message of every refusal and stream ending caused by a drain. */
export const DRAINING_MESSAGE = "the server is draining (shutting down): retry on another replica or after the restart";

/** The end event of an SSE stream cut by a drain; "reason" tells it from an episode that is over. */
export const SSE_DRAIN_REASON = "draining";

/** Close code of /ws sessions ended by a drain (RFC 6455: the server is going away). */
export const WS_CLOSE_GOING_AWAY = 1001;

/** Whether a Connect request's headers arrived before the drain began (then it is served). */
const admittedKey = createContextKey(true, { description: "arrived before the drain" });

const CONNECT_PREFIX = `/${IncidentEnvService.typeName}/`;

/**
 * A signal for one stream that aborts with `signal` (its client went away) or when the drain
 * begins; call `release` when the stream is over. (AbortSignal.any would do the same, but leaves
 * a WeakRef per stream in the long-lived drain signal, which Node never prunes.)
 */
export function untilDrained(signal: AbortSignal, drain: AbortSignal | undefined): { signal: AbortSignal; release: () => void } {
  if (drain === undefined) return { signal, release: () => {} };
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  if (signal.aborted || drain.aborted) abort();
  signal.addEventListener("abort", abort, { once: true });
  drain.addEventListener("abort", abort, { once: true });
  return {
    signal: controller.signal,
    release: () => {
      signal.removeEventListener("abort", abort);
      drain.removeEventListener("abort", abort);
    },
  };
}

/** A REST request that arrived during the drain: /health says draining, anything else unavailable; both 503 with Retry-After. */
async function refuseDuringDrain(request: FastifyRequest, reply: FastifyReply, env: EnvironmentApi): Promise<void> {
  reply.header("retry-after", String(DRAIN_RETRY_AFTER_SECONDS));
  if (request.method === "GET" && (request.url === "/health" || request.url.startsWith("/health?"))) {
    const health = create(HealthResponseSchema, { ...(await env.health()), status: HealthStatus.DRAINING });
    reply.code(503).send(toRestJson(HealthResponseSchema, health));
    return;
  }
  reply.code(503).send(errorBody("unavailable", DRAINING_MESSAGE));
}

interface DrainOutcome {
  /** True when everything finished before the deadline; false when something was cut. */
  clean: boolean;
  /** Milliseconds it took. */
  tookMs: number;
  /** Requests and /ws sessions still open at the deadline (cut). */
  cut: { requests: number; sessions: number };
}

interface DrainLog {
  info(message: string): void;
  warn(message: string): void;
}

/** A count with a promise of the moment it is zero. */
class Holds {
  count = 0;
  private waiters: (() => void)[] = [];

  take(): () => void {
    this.count++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.count--;
      if (this.count === 0) for (const resolve of this.waiters.splice(0)) resolve();
    };
  }

  whenZero(): Promise<void> {
    return this.count === 0 ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }
}

/** Resolves true when the promise settles before the deadline, false at the deadline. */
async function beforeDeadline(work: Promise<unknown>, deadline: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()))));
  try {
    return await Promise.race([work.then(() => true), late]);
  } finally {
    clearTimeout(timer);
  }
}

export class ServerDrain {
  private readonly controller = new AbortController();
  /** Aborts when the drain begins. Every open stream listens to it: no listener limit applies. */
  readonly signal: AbortSignal = this.controller.signal;

  constructor() {
    setMaxListeners(0, this.signal);
  }
  private readonly holds = new Holds();
  private traffic: ServerTraffic | undefined;
  private running: Promise<DrainOutcome> | undefined;

  get draining(): boolean {
    return this.signal.aborted;
  }

  /** The server whose traffic the drain stops (buildApp's serverFactory). */
  attach(traffic: ServerTraffic): void {
    this.traffic = traffic;
  }

  /**
   * Something the drain must wait for besides requests (a /ws session, until its episode is
   * closed); call the returned function when it is over.
   */
  hold(): () => void {
    return this.holds.take();
  }

  /** A Connect request's context values, marked with whether it arrived before the drain. */
  admit(values: ContextValues): ContextValues {
    return values.set(admittedKey, !this.draining);
  }

  /** Connect, gRPC and gRPC-Web: Health says draining; a call that arrived during the drain gets unavailable. */
  readonly interceptor: Interceptor = (next) => async (request) => {
    if (!this.draining) return next(request);
    if (request.method === IncidentEnvService.method.health) {
      const response = await next(request);
      if (!response.stream) Object.assign(response.message, { status: HealthStatus.DRAINING });
      return response;
    }
    if (request.contextValues.get(admittedKey)) return next(request);
    throw new ConnectError(DRAINING_MESSAGE, Code.Unavailable, { "retry-after": String(DRAIN_RETRY_AFTER_SECONDS) });
  };

  /**
   * The REST side (a root hook, so every route has it, /ws upgrades and 404s included): during
   * the drain, /health answers 503 with status draining and other requests 503 `unavailable`;
   * Connect routes are left to the interceptor, which answers in the call's own protocol.
   */
  install(app: FastifyInstance, env: EnvironmentApi): void {
    // Callback style: outside a drain the hook passes at once, without the promise and microtask of an async hook.
    app.addHook("onRequest", (request, reply, done) => {
      if (!this.draining || request.url.startsWith(CONNECT_PREFIX)) {
        done();
        return;
      }
      // An answer sent here ends the request (done is not called); a failure goes to the error handler.
      refuseDuringDrain(request, reply, env).catch(done);
    });
  }

  /**
   * Drains the server (once; later calls get the same outcome), closes the fastify app and
   * stops the environment, within `timeoutMs` (plus at most a second to stop the environment).
   */
  run(app: FastifyInstance, env: EnvironmentApi, timeoutMs: number, log: DrainLog): Promise<DrainOutcome> {
    this.running ??= this.drain(app, env, timeoutMs, log);
    return this.running;
  }

  private async drain(app: FastifyInstance, env: EnvironmentApi, timeoutMs: number, log: DrainLog): Promise<DrainOutcome> {
    const started = Date.now();
    const deadline = started + timeoutMs;
    const traffic = this.traffic;
    this.controller.abort();
    traffic?.stopAccepting();
    log.info(
      `draining: ${traffic?.inFlight ?? 0} requests in flight, ${this.holds.count} WebSocket sessions; at most ${timeoutMs / 1000} s`,
    );
    const settled = await beforeDeadline(Promise.all([traffic?.whenIdle(), this.holds.whenZero()]), deadline);
    const cut = { requests: traffic?.inFlight ?? 0, sessions: this.holds.count };
    if (!settled)
      log.warn(`drain timeout (DRAIN_TIMEOUT_SECONDS): cutting ${cut.requests} requests and ${cut.sessions} WebSocket sessions`);
    // GOAWAY to HTTP/2 sessions, idle keep-alive connections closed; cut at the deadline.
    const closing = app.close();
    if (!(await beforeDeadline(closing, deadline))) {
      traffic?.destroyAll();
      await closing;
    }
    // Worker threads and store connections: every call of the requests answered above has returned.
    // (A store that does not answer must not hold the exit: a second at most past the deadline.)
    const stopped = await beforeDeadline(env.shutdown(), Math.max(deadline, Date.now() + 1000));
    if (!stopped) log.warn("the environment did not stop in time (worker threads or store connections)");
    const tookMs = Date.now() - started;
    log.info(`drained in ${tookMs} ms`);
    return { clean: settled && stopped, tookMs, cut };
  }
}
