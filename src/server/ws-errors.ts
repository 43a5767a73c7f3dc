/**
 * What a broken /ws connection costs the log: every log line must be earned, and a client must not
 * be able to fill the log by misbehaving.
 *
 * - A malformed frame (an invalid opcode, a text frame that is not UTF-8, an unmasked client frame,
 *   a message over WS_MAX_MESSAGE_BYTES: the ws library's WS_ERR_* errors) is the client's fault.
 *   ws has already sent the matching close code (1002, 1007, 1009); the server logs one warn line
 *   with the error's code and message and no stack trace, and cuts the socket if the client does
 *   not finish the close handshake within CLOSE_GRACE_MS.
 * - A client that vanished (ECONNRESET, EPIPE) is not news: a debug line.
 * - Anything else is a bug of ours: an error line with the stack.
 * Each connection logs at most once (ws emits one error per connection), and all connections
 * together at most LOG_LINES_PER_MINUTE lines of each kind a minute; the next line logged reports
 * how many were left out, so a flood shows up as a count rather than as lines.
 */
import type { FastifyRequest } from "fastify";
import type { WebSocket } from "ws";

/** Log lines about broken /ws connections, per minute, for the whole process. */
export const LOG_LINES_PER_MINUTE = 10;

/** A client that broke the protocol gets this long to finish the close handshake. */
const CLOSE_GRACE_MS = 1000;

/** At most `limit` events per window of `windowMs`; counts the ones it refuses. */
export class LogRateLimit {
  private windowStart = Number.NEGATIVE_INFINITY;
  private inWindow = 0;
  private suppressed = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** undefined: do not log; otherwise log, mentioning `suppressed` lines left out since the last one. */
  take(): { suppressed: number } | undefined {
    const now = this.now();
    if (now - this.windowStart >= this.windowMs) {
      this.windowStart = now;
      this.inWindow = 0;
    }
    if (this.inWindow >= this.limit) {
      this.suppressed += 1;
      return undefined;
    }
    this.inWindow += 1;
    const suppressed = this.suppressed;
    this.suppressed = 0;
    return { suppressed };
  }
}

type ErrorKind = "protocol" | "disconnect" | "bug";

function kindOf(error: Error & { code?: unknown; syscall?: unknown }): ErrorKind {
  if (typeof error.code === "string" && error.code.startsWith("WS_ERR_")) return "protocol";
  if (typeof error.syscall === "string" || error.code === "ECONNRESET" || error.code === "EPIPE") return "disconnect";
  return "bug";
}

/** One rate limit per kind of line, so that debug lines about disconnects never crowd out a warning. */
type WsLogLimits = Record<ErrorKind, LogRateLimit>;

function perMinute(): WsLogLimits {
  return {
    protocol: new LogRateLimit(LOG_LINES_PER_MINUTE, 60_000),
    disconnect: new LogRateLimit(LOG_LINES_PER_MINUTE, 60_000),
    bug: new LogRateLimit(LOG_LINES_PER_MINUTE, 60_000),
  };
}

/** @fastify/websocket's errorHandler for /ws; its rate limits are shared by all connections. */
export function wsErrorHandler(limits: WsLogLimits = perMinute()) {
  return (error: Error & { code?: unknown }, socket: WebSocket, request: FastifyRequest): void => {
    const kind = kindOf(error);
    if (kind === "protocol") {
      // ws is closing the connection with the close code that names the fault.
      const cut = setTimeout(() => socket.terminate(), CLOSE_GRACE_MS);
      cut.unref();
      socket.once("close", () => clearTimeout(cut));
    } else {
      socket.terminate();
    }
    const allowed = limits[kind].take();
    if (allowed === undefined) return;
    const suppressed = allowed.suppressed > 0 ? { suppressed: allowed.suppressed } : {};
    const code = typeof error.code === "string" ? error.code : undefined;
    switch (kind) {
      case "protocol":
        request.log.warn(
          { code, reason: error.message, remote: request.ip, ...suppressed },
          "malformed WebSocket frame; connection closed",
        );
        return;
      case "disconnect":
        request.log.debug({ code, reason: error.message, ...suppressed }, "WebSocket client disconnected abruptly");
        return;
      case "bug":
        request.log.error({ err: error, ...suppressed }, "WebSocket session failed");
        return;
    }
  };
}
