/**
 * Clients that can die: raw node:http2 and node:net clients on sockets the test holds, so that it
 * can destroy them (the FIN of a process that was killed) or leave them half-sent, and a server
 * in the test's own process whose sockets, streams and episodes the test can count.
 */
import { create, toBinary } from "@bufbuild/protobuf";
import type { FastifyInstance } from "fastify";
import http2 from "node:http2";
import net, { type AddressInfo } from "node:net";
import { StreamLogsRequestSchema } from "../../gen/incident/v1/service_pb.js";
import { IncidentEnvironment, type EnvironmentOptions } from "../../src/env/environment.js";
import { buildApp } from "../../src/server/app.js";
import type { DualProtocolServer } from "../../src/server/dual-server.js";
import type { ServerSettings } from "../../src/server/server-settings.js";

export interface CountedServer {
  app: FastifyInstance;
  env: IncidentEnvironment;
  baseUrl: string;
  port: number;
  /** TCP connections the server holds open (whichever protocol owns them). */
  connections(): Promise<number>;
  /** Requests received and not yet answered (HTTP/1.1 requests, HTTP/2 streams). */
  inFlight(): number;
  close(): Promise<void>;
}

export async function startCountedServer(options: EnvironmentOptions = {}, server: Partial<ServerSettings> = {}): Promise<CountedServer> {
  const env = new IncidentEnvironment(options);
  const { app } = await buildApp({ env, logLevel: false, server });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const { port } = app.server.address() as AddressInfo;
  return {
    app,
    env,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    connections: () =>
      new Promise((resolve, reject) => app.server.getConnections((error, count) => (error ? reject(error) : resolve(count)))),
    inFlight: () => (app.server as Partial<DualProtocolServer>).traffic?.inFlight ?? 0,
    close: () => app.close(),
  };
}

export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A TCP connection to the server, opened. */
export async function tcp(port: number): Promise<net.Socket> {
  const socket = net.connect(port, "127.0.0.1");
  socket.on("error", () => {});
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  return socket;
}

/** An HTTP/2 (h2c) session over a socket the test holds. */
export interface RawH2 {
  socket: net.Socket;
  session: http2.ClientHttp2Session;
}

export async function rawH2(port: number): Promise<RawH2> {
  const socket = await tcp(port);
  const session = http2.connect(`http://127.0.0.1:${port}`, { createConnection: () => socket });
  session.on("error", () => {});
  await new Promise<void>((resolve) => session.once("connect", () => resolve()));
  return { socket, session };
}

/** One message in the 5-byte envelope of gRPC, gRPC-Web and Connect streams. */
export function envelope(payload: Uint8Array): Buffer {
  const out = Buffer.alloc(5 + payload.length);
  out.writeUInt32BE(payload.length, 1);
  out.set(payload, 5);
  return out;
}

export type StreamTransport = "grpc" | "connect" | "sse";

/** Opens a StreamLogs stream on the episode (gRPC binary, Connect JSON, or SSE over HTTP/2) and reads it. */
export function openLogStream(session: http2.ClientHttp2Session, transport: StreamTransport, episodeId: string): http2.ClientHttp2Stream {
  let stream: http2.ClientHttp2Stream;
  switch (transport) {
    case "grpc":
      stream = session.request({
        ":method": "POST",
        ":path": "/incident.v1.IncidentEnvService/StreamLogs",
        "content-type": "application/grpc",
        te: "trailers",
      });
      stream.end(envelope(toBinary(StreamLogsRequestSchema, create(StreamLogsRequestSchema, { episodeId }))));
      break;
    case "connect":
      stream = session.request({
        ":method": "POST",
        ":path": "/incident.v1.IncidentEnvService/StreamLogs",
        "content-type": "application/connect+json",
        "connect-protocol-version": "1",
      });
      stream.end(envelope(Buffer.from(JSON.stringify({ episodeId }))));
      break;
    case "sse":
      stream = session.request({
        ":method": "GET",
        ":path": `/episodes/${encodeURIComponent(episodeId)}/logs`,
        accept: "text/event-stream",
      });
      break;
  }
  stream.on("error", () => {});
  stream.on("data", () => {});
  return stream;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Reads one HTTP/1.1 response (with a Content-Length body) from a raw socket, skipping
 * "100 Continue". Resolves undefined if the socket closes first.
 */
export function readResponse(socket: net.Socket): Promise<RawResponse | undefined> {
  return new Promise((resolve) => {
    let buffer = "";
    const done = (response: RawResponse | undefined): void => {
      socket.off("data", onData);
      socket.off("close", onClose);
      resolve(response);
    };
    const onData = (chunk: Buffer): void => {
      buffer += chunk.toString("latin1");
      for (;;) {
        const end = buffer.indexOf("\r\n\r\n");
        if (end < 0) return;
        const [statusLine = "", ...lines] = buffer.slice(0, end).split("\r\n");
        const status = Number(statusLine.split(" ")[1]);
        if (status === 100) {
          buffer = buffer.slice(end + 4);
          continue;
        }
        const headers: Record<string, string> = {};
        for (const line of lines) {
          const colon = line.indexOf(":");
          headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
        }
        const length = Number(headers["content-length"] ?? 0);
        if (buffer.length < end + 4 + length) return;
        done({ status, headers, body: Buffer.from(buffer.slice(end + 4, end + 4 + length), "latin1").toString("utf8") });
        return;
      }
    };
    const onClose = (): void => done(undefined);
    socket.on("data", onData);
    socket.on("close", onClose);
  });
}
