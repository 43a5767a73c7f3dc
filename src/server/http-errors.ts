/**
 * Errors raised before a request reaches a route, in the one REST error shape (src/server/errors.ts)
 * instead of fastify's or node's own:
 * - a URL the router cannot decode (bad percent-encoding in the path, e.g. `/episodes/%zz`):
 *   400 invalid_argument (fastify's `frameworkErrors`);
 * - an HTTP/1.1 request node's parser refuses (`clientError`): a request line and headers over
 *   MAX_HEADER_BYTES, e.g. an over-long URL: 431 resource_exhausted; a request not received in
 *   time: 408 deadline_exceeded; anything else malformed: 400 invalid_argument. The answer is
 *   written to the socket, which then closes: the connection's framing can no longer be trusted.
 *   (HTTP/2 has no such answer: a stream whose headers are over the limit is reset before there
 *   is a request to answer.)
 */
import http from "node:http";
import type { Socket } from "node:net";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { codeOfClientStatus, errorBody } from "./errors.js";

/** fastify's frameworkErrors: a URL it could not route (FST_ERR_BAD_URL, FST_ERR_MAX_PARAM_LENGTH; async route constraints, which we do not use, would be ours). */
export function routerErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode ?? 400;
  if (status >= 500) {
    request.log.error({ err: error }, "router failed");
    void reply.status(500).send(errorBody("internal", "internal error; see the server log"));
    return;
  }
  const path = request.raw.url?.split("?")[0] ?? "";
  void reply
    .status(status)
    .send(errorBody(codeOfClientStatus(status), `malformed URL path ${JSON.stringify(path.slice(0, 200))}: ${error.message}`));
}

interface ConnectionError extends Error {
  code?: string;
}

/** fastify's clientErrorHandler: the answer to a request node's HTTP/1.1 parser refused. */
export function clientErrorHandler(maxHeaderBytes: number): (error: ConnectionError, socket: Socket) => void {
  return (error, socket) => {
    // The client is gone (or the socket already answered): nothing to say.
    if (error.code === "ECONNRESET" || socket.destroyed) return;
    const { status, message } =
      error.code === "HPE_HEADER_OVERFLOW"
        ? {
            status: 431,
            message: `the request line and headers are over MAX_HEADER_BYTES = ${maxHeaderBytes} bytes (a URL this long does not fit); send parameters in a body`,
          }
        : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
          ? { status: 408, message: "the request was not received in time" }
          : { status: 400, message: `malformed HTTP request${error.code ? ` (${error.code})` : ""}` };
    const body = JSON.stringify(errorBody(codeOfClientStatus(status), message));
    if (socket.writable) {
      socket.end(
        `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ""}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    }
    socket.destroySoon();
  };
}
