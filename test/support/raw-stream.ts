/**
 * A raw HTTP/2 client of a Connect server-streaming method (application/connect+json) that can
 * stop reading: it advertises a small flow-control window and does not consume what arrives
 * until told to, so the server's writes to it block, as with a stalled or very slow client.
 */
import http2 from "node:http2";

export interface RawStream {
  /** Messages decoded so far (only while reading). */
  readonly messages: unknown[];
  /** The end-of-stream envelope's JSON, once the stream ended normally. */
  readonly end: unknown;
  /** True once the server reset or closed the stream or the session. */
  readonly closed: boolean;
  /** Start (or go on) consuming data. */
  read(): void;
  /** Resolves when the stream is closed. */
  whenClosed: Promise<void>;
  destroy(): void;
}

export function rawConnectStream(baseUrl: string, path: string, request: unknown, windowBytes = 1024): RawStream {
  const session = http2.connect(baseUrl, { settings: { initialWindowSize: windowBytes } });
  session.on("error", () => {});
  const stream = session.request({
    ":method": "POST",
    ":path": path,
    "content-type": "application/connect+json",
    "connect-protocol-version": "1",
  });
  stream.on("error", () => {});
  const payload = Buffer.from(JSON.stringify(request));
  const envelope = Buffer.alloc(5 + payload.length);
  envelope.writeUInt8(0, 0);
  envelope.writeUInt32BE(payload.length, 1);
  payload.copy(envelope, 5);
  stream.end(envelope);
  stream.pause();

  let buffer = Buffer.alloc(0);
  const state = { messages: [] as unknown[], end: undefined as unknown, closed: false };
  let resolveClosed!: () => void;
  const whenClosed = new Promise<void>((resolve) => (resolveClosed = resolve));
  stream.on("close", () => {
    state.closed = true;
    session.close();
    resolveClosed();
  });
  const onData = (chunk: Buffer): void => {
    buffer = Buffer.concat([buffer, chunk]);
    while (buffer.length >= 5) {
      const flags = buffer.readUInt8(0);
      const length = buffer.readUInt32BE(1);
      if (buffer.length < 5 + length) break;
      const json: unknown = JSON.parse(buffer.subarray(5, 5 + length).toString("utf8"));
      buffer = buffer.subarray(5 + length);
      if (flags & 0x02) state.end = json;
      else state.messages.push(json);
    }
  };
  return {
    get messages() {
      return state.messages;
    },
    get end() {
      return state.end;
    },
    get closed() {
      return state.closed;
    },
    read() {
      stream.off("data", onData);
      stream.on("data", onData);
      stream.resume();
    },
    whenClosed,
    destroy() {
      stream.destroy();
      session.destroy();
    },
  };
}
