/**
 * A WebSocket upgrade that is refused (no key, a refused origin, a plain GET answered 426...) must
 * not leave its socket open. Node hands an upgrade request's socket over without an HTTP parser or
 * timeouts, and @fastify/websocket writes the refusal on it and stops there, so the socket would
 * stay open (and keep the server from closing) until the client closed it, which a client that
 * reads the refusal and waits never does.
 */
import type { FastifyInstance } from "fastify";

/** How long a refused upgrade's socket may take to flush the answer before it is cut. */
const REFUSED_UPGRADE_LINGER_MS = 1000;

export function closeRefusedUpgrades(app: FastifyInstance): void {
  // Callback style: it runs after every response, and an async hook would cost each a promise.
  app.addHook("onResponse", (request, reply, done) => {
    if (request.raw.headers.upgrade !== undefined && reply.statusCode !== 101) {
      const socket = request.raw.socket;
      if (!socket.destroyed) {
        socket.end();
        setTimeout(() => socket.destroy(), REFUSED_UPGRADE_LINGER_MS).unref();
      }
    }
    done();
  });
}
