/**
 * One cleartext TCP port for both HTTP/1.1 and HTTP/2 with prior knowledge (h2c).
 *
 * Why: gRPC clients speak h2c, while curl, browsers, WebSocket upgrades and most JSON clients
 * speak HTTP/1.1, and fastify's stock options serve one or the other on a cleartext port, never
 * both. Every HTTP/2 connection opens with the client preface "PRI * HTTP/2.0", and no HTTP/1
 * method starts with "PRI", so the first bytes of a connection tell which server should own it.
 *
 * The returned server is a plain http.Server (fastify's `serverFactory` result): `address()`,
 * port 0 and 'upgrade' events work as usual. Its close() also closes the HTTP/2 sessions, which
 * gRPC clients otherwise keep open forever. Its `traffic` lets a drain (src/server/drain.ts) stop
 * accepting, wait for the requests in flight, and cut what is left.
 *
 * Dead clients: every socket here is accepted by the HTTP/1 server, whose sockets are half-open
 * (allowHalfOpen), which HTTP/1.1 handles itself. An HTTP/2 session does not: on a half-open
 * socket the FIN of a client that died never ends the session, and its streams (and their stream
 * slots) would live on in CLOSE-WAIT. So a socket handed to the HTTP/2 server closes when its
 * client's side does, as on node:http2's own server.
 *
 * Slow requests: a request must arrive whole within `requestTimeoutMs` (REQUEST_TIMEOUT_SECONDS,
 * src/server/server-settings.ts): Node's requestTimeout for HTTP/1.1, src/server/h2-request-deadline.ts
 * for HTTP/2.
 */
import http from "node:http";
import http2 from "node:http2";
import net from "node:net";
import { DEFAULT_HTTP_LIMITS } from "../env/limits.js";
import { H2IdleSessions } from "./h2-idle-sessions.js";
import { H2RequestDeadline } from "./h2-request-deadline.js";

/**
 * fastify's request handler. It is typed for HTTP/1 but reads only what HTTP/2 compatibility
 * requests also have, which is why it can serve both sides.
 */
type RequestHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

interface DualServerOptions {
  /** A connection that sends nothing for this long is dropped before it is dispatched. */
  firstBytesTimeoutMs?: number;
  /** An HTTP/2 session with no open stream for this long is closed (src/server/h2-idle-sessions.ts). */
  h2IdleTimeoutMs?: number;
  /** HTTP/1.1 keep-alive timeout. */
  keepAliveTimeoutMs?: number;
  /** On close, connections still open after this long are cut. */
  closeGraceMs?: number;
  /** Request line and headers of one request (MAX_HEADER_BYTES): HTTP/1.1 answers 431, HTTP/2 refuses the stream. */
  maxHeaderBytes?: number;
  /** A request must arrive whole (headers and body) within this long (REQUEST_TIMEOUT_SECONDS). */
  requestTimeoutMs?: number;
  /**
   * Whether the request at this path is a stream of messages (a client-streaming or bidirectional
   * RPC), which never arrives whole while the call lasts: the timeout then bounds each message.
   */
  isMessageStream?: (path: string) => boolean;
}

/** What a drain needs of the server: stop accepting, know what is in flight, cut what is left. */
export interface ServerTraffic {
  /** Requests received and not yet answered: HTTP/1.1 requests and HTTP/2 streams (WebSockets are not requests). */
  readonly inFlight: number;
  /** Resolves once no request is in flight. */
  whenIdle(): Promise<void>;
  /** Closes the listening socket; connections already open are still served. */
  stopAccepting(): void;
  /** Destroys every connection at once. */
  destroyAll(): void;
}

export type DualProtocolServer = http.Server & { readonly traffic: ServerTraffic };

/** Node's default: headers must arrive within a minute (never longer than the whole request). */
const HEADERS_TIMEOUT_MS = 60_000;

const HTTP2_PREFACE_START = "PRI";

/** A count of things open, and promises of the moment none is. */
class Tally {
  count = 0;
  private waiters: (() => void)[] = [];

  add(): void {
    this.count++;
  }

  remove(): void {
    this.count--;
    if (this.count > 0 || this.waiters.length === 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  whenZero(): Promise<void> {
    return this.count === 0 ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }
}

export function createDualProtocolServer(handler: RequestHandler, options: DualServerOptions = {}): DualProtocolServer {
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const maxHeaderBytes = options.maxHeaderBytes ?? DEFAULT_HTTP_LIMITS.maxHeaderBytes;
  // Whether the server still accepts: once a drain stops it, HTTP/1.1 responses begun from then on
  // (those of requests in flight, and of requests on connections kept alive) say Connection: close.
  let accepting = true;
  /**
   * Decided where the head is written (writeHead; an implicit head goes through it too) rather than
   * by keeping every response in flight in a Set until the drain: adding and deleting one entry
   * per request cost about 2% of a busy server thread (node --cpu-prof, GET /state).
   */
  class DrainAwareResponse extends http.ServerResponse {
    override writeHead(statusCode: number, ...rest: unknown[]): this {
      if (!accepting) this.shouldKeepAlive = false;
      return (super.writeHead as (statusCode: number, ...rest: unknown[]) => this)(statusCode, ...rest);
    }
  }
  const h1 = http.createServer(
    {
      ServerResponse: DrainAwareResponse,
      maxHeaderSize: maxHeaderBytes,
      requestTimeout: requestTimeoutMs,
      headersTimeout: Math.min(HEADERS_TIMEOUT_MS, requestTimeoutMs),
      // How often Node looks for overdue HTTP/1.1 requests (30 s by default, too coarse for the timeout).
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(requestTimeoutMs / 4))),
    },
    handler,
  );
  h1.keepAliveTimeout = options.keepAliveTimeoutMs ?? 72_000;
  const h2 = http2.createServer(
    { settings: { maxHeaderListSize: maxHeaderBytes } },
    handler as unknown as (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => void,
  );
  const deadline = new H2RequestDeadline(requestTimeoutMs, options.isMessageStream ?? (() => false));
  const idle = new H2IdleSessions(options.h2IdleTimeoutMs ?? 72_000);

  // Requests in flight, for a drain: an HTTP/1.1 request until its response closes, an HTTP/2 one
  // until its response ends.
  const inFlight = new Tally();
  // One listener for every response ('close' comes once): no closure per request.
  const responseClosed = (): void => inFlight.remove();
  // Before fastify's listener, which may answer at once (a drain's 503).
  h1.prependListener("request", (_req: http.IncomingMessage, res: http.ServerResponse) => {
    inFlight.add();
    res.on("close", responseClosed);
  });
  // An HTTP/2 request is answered when its response has ended, even if the client keeps its own
  // side open (a bidirectional call whose client never half-closes): close() then resets it.
  const answeredH2 = new Set<http2.ServerHttp2Stream>();
  h2.on("stream", (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders) => {
    deadline.watch(stream, headers);
    idle.stream(stream);
    inFlight.add();
    let counted = true;
    const answered = (): void => {
      if (counted) inFlight.remove();
      counted = false;
    };
    stream.once("finish", () => {
      answered();
      if (!stream.closed) answeredH2.add(stream);
    });
    stream.once("close", () => {
      answered();
      answeredH2.delete(stream);
    });
  });
  // Every socket, whichever server owns it, so that close() can wait for them all and cut them.
  // (A gracefully closed session ends its socket's writable side and then waits for the client to
  // close its side, which an idle client never does; shutdown destroys what is left.)
  const sockets = new Set<net.Socket>();
  const openSockets = new Tally();
  const sessions = new Set<http2.ServerHttp2Session>();
  h2.on("session", (session) => {
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
    idle.add(session);
  });

  // Take over h1's own connection listener and call it only for HTTP/1 connections.
  const dispatchHttp1 = h1.listeners("connection")[0] as (socket: net.Socket) => void;
  h1.removeAllListeners("connection");
  h1.on("connection", (socket: net.Socket) => {
    sockets.add(socket);
    openSockets.add();
    socket.once("close", () => {
      sockets.delete(socket);
      openSockets.remove();
    });
    // A reset before the first byte must not become an uncaught error, and a client that closes
    // its side before sending anything is gone (the socket is half-open: nothing else would close it).
    const drop = (): void => {
      socket.destroy();
    };
    socket.on("error", drop);
    socket.once("end", drop);
    const timer = setTimeout(drop, options.firstBytesTimeoutMs ?? 10_000);
    socket.once("close", () => clearTimeout(timer));
    socket.once("data", (chunk: Buffer) => {
      clearTimeout(timer);
      socket.removeListener("error", drop);
      socket.removeListener("end", drop);
      socket.pause();
      socket.unshift(chunk);
      if (chunk.length >= 3 && chunk.toString("latin1", 0, 3) === HTTP2_PREFACE_START) {
        // See "Dead clients" above: the client's FIN closes the socket, which ends its session.
        socket.allowHalfOpen = false;
        h2.emit("connection", socket);
      } else {
        dispatchHttp1.call(h1, socket);
        socket.resume();
      }
    });
  });

  const destroyAll = (): void => {
    h1.closeAllConnections();
    for (const session of sessions) session.destroy();
    for (const socket of sockets) socket.destroy();
  };
  // close(): stop accepting (if still listening), let in-flight requests finish, and after a grace
  // period cut whatever is still open (idle keep-alive sockets, HTTP/2 sessions, half-read
  // oversized uploads, sockets that never sent a byte), so a shutdown never hangs. fastify's
  // forceCloseConnections does not apply to a custom server.
  const closeHttp1 = h1.close.bind(h1);
  h1.close = ((callback?: (err?: Error) => void) => {
    for (const session of sessions) session.close();
    // A complete response lets the server stop a request it no longer reads (RFC 9113, 8.1).
    for (const stream of answeredH2) stream.close(http2.constants.NGHTTP2_NO_ERROR);
    const force = setTimeout(destroyAll, options.closeGraceMs ?? 2_000);
    force.unref();
    deadline.stop();
    idle.stop();
    // Stops listening if it still does (a drain may have stopped it already) and closes idle keep-alive connections.
    closeHttp1();
    void openSockets.whenZero().then(() => {
      clearTimeout(force);
      callback?.();
    });
    return h1;
  }) as typeof h1.close;

  const traffic: ServerTraffic = {
    get inFlight() {
      return inFlight.count;
    },
    whenIdle: () => inFlight.whenZero(),
    stopAccepting: () => {
      // net.Server's own close: http.Server's would also close idle keep-alive connections, whose
      // clients may be sending a request right now; the drain answers those instead.
      accepting = false;
      if (h1.listening) net.Server.prototype.close.call(h1);
    },
    destroyAll,
  };
  return Object.assign(h1, { traffic });
}
