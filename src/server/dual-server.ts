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
 * gRPC clients otherwise keep open forever.
 */
import http from "node:http";
import http2 from "node:http2";
import type net from "node:net";
import { DEFAULT_HTTP_LIMITS } from "../env/limits.js";

/**
 * fastify's request handler. It is typed for HTTP/1 but reads only what HTTP/2 compatibility
 * requests also have, which is why it can serve both sides.
 */
type RequestHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export interface DualServerOptions {
  /** A connection that sends nothing for this long is dropped before it is dispatched. */
  firstBytesTimeoutMs?: number;
  /** An idle HTTP/2 session is closed after this long. */
  h2IdleTimeoutMs?: number;
  /** HTTP/1.1 keep-alive timeout. */
  keepAliveTimeoutMs?: number;
  /** On close, connections still open after this long are cut. */
  closeGraceMs?: number;
  /** Request line and headers of one request (MAX_HEADER_BYTES): HTTP/1.1 answers 431, HTTP/2 refuses the stream. */
  maxHeaderBytes?: number;
}

const HTTP2_PREFACE_START = "PRI";

export function createDualProtocolServer(handler: RequestHandler, options: DualServerOptions = {}): http.Server {
  const maxHeaderBytes = options.maxHeaderBytes ?? DEFAULT_HTTP_LIMITS.maxHeaderBytes;
  const h1 = http.createServer({ maxHeaderSize: maxHeaderBytes }, handler);
  h1.keepAliveTimeout = options.keepAliveTimeoutMs ?? 72_000;
  const h2 = http2.createServer({ settings: { maxHeaderListSize: maxHeaderBytes } }, handler as unknown as (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => void);
  const sessions = new Set<http2.ServerHttp2Session>();
  // A gracefully closed session ends its socket's writable side and then waits for the client to
  // close its side, which an idle client never does; shutdown destroys what is left.
  const h2Sockets = new Set<net.Socket>();
  h2.on("session", (session) => {
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
    session.setTimeout(options.h2IdleTimeoutMs ?? 72_000, () => session.close());
  });

  // Take over h1's own connection listener and call it only for HTTP/1 connections.
  const dispatchHttp1 = h1.listeners("connection")[0] as (socket: net.Socket) => void;
  h1.removeAllListeners("connection");
  h1.on("connection", (socket: net.Socket) => {
    // A reset before the first byte must not become an uncaught error.
    const dropOnError = (): void => {
      socket.destroy();
    };
    socket.on("error", dropOnError);
    const timer = setTimeout(() => socket.destroy(), options.firstBytesTimeoutMs ?? 10_000);
    socket.once("close", () => clearTimeout(timer));
    socket.once("data", (chunk: Buffer) => {
      clearTimeout(timer);
      socket.removeListener("error", dropOnError);
      socket.pause();
      socket.unshift(chunk);
      if (chunk.length >= 3 && chunk.toString("latin1", 0, 3) === HTTP2_PREFACE_START) {
        h2Sockets.add(socket);
        socket.once("close", () => h2Sockets.delete(socket));
        h2.emit("connection", socket);
      } else {
        dispatchHttp1.call(h1, socket);
        socket.resume();
      }
    });
  });

  // close(): stop accepting, let in-flight requests finish, and after a grace period cut whatever
  // is still open (idle keep-alive sockets, HTTP/2 sessions, half-read oversized uploads), so a
  // shutdown never hangs. fastify's forceCloseConnections does not apply to a custom server.
  const closeHttp1 = h1.close.bind(h1);
  h1.close = ((callback?: (err?: Error) => void) => {
    for (const session of sessions) session.close();
    h1.closeIdleConnections();
    const force = setTimeout(() => {
      h1.closeAllConnections();
      for (const session of sessions) session.destroy();
      for (const socket of h2Sockets) socket.destroy();
    }, options.closeGraceMs ?? 2_000);
    force.unref();
    return closeHttp1((err?: Error) => {
      clearTimeout(force);
      callback?.(err);
    });
  }) as typeof h1.close;
  return h1;
}
