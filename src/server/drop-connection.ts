/**
 * Drops a client's connection from the server side, for a stream whose client stopped reading
 * (the stall watchdog): HTTP/2 resets just that stream (RST_STREAM CANCEL), HTTP/1.1 closes the
 * socket. `request.destroy()` is not enough: once a request body has been read, Node's
 * compatibility layers leave the response's stream or socket open.
 */
import type { IncomingMessage } from "node:http";
import http2 from "node:http2";

export function dropConnection(raw: IncomingMessage | http2.Http2ServerRequest): void {
  if ("stream" in raw && typeof raw.stream?.close === "function") {
    if (!raw.stream.destroyed) raw.stream.close(http2.constants.NGHTTP2_CANCEL);
    return;
  }
  raw.socket?.destroy();
}
