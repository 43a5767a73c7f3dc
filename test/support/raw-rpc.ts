/**
 * Raw RPC calls with whatever bytes a test wants to send, for the protocols a typed client would
 * never let it send: Connect unary over HTTP/1.1 (fetch), gRPC over h2c (node:http2) and gRPC-Web
 * over HTTP/1.1 (fetch). Each answer is reduced to the status the protocol reports: the HTTP status
 * and, for gRPC and gRPC-Web, the grpc-status and grpc-message of the trailers.
 */
import http2 from "node:http2";
import { brotliDecompressSync, gunzipSync } from "node:zlib";

export interface RawAnswer {
  httpStatus: number;
  /** Connect: the error JSON's code; gRPC and gRPC-Web: the grpc-status number. */
  code: string | number | undefined;
  message: string;
  /** The whole response body, as text (for checks on what it may not contain). */
  text: string;
}

/** One gRPC or gRPC-Web frame: flags, length, payload. */
export function frame(payload: Uint8Array, flags = 0): Buffer {
  const out = Buffer.alloc(5 + payload.length);
  out.writeUInt8(flags, 0);
  out.writeUInt32BE(payload.length, 1);
  Buffer.from(payload).copy(out, 5);
  return out;
}

const path = (method: string): string => `/incident.v1.IncidentEnvService/${method}`;

/** Connect unary POST with a body of the given content type (and any other headers). */
export async function connectUnary(
  baseUrl: string,
  method: string,
  body: Uint8Array | string,
  contentType = "application/proto",
  headers: Record<string, string> = {},
): Promise<RawAnswer> {
  const response = await fetch(baseUrl + path(method), {
    method: "POST",
    headers: { "content-type": contentType, "connect-protocol-version": "1", ...headers },
    body: typeof body === "string" ? body : Uint8Array.from(body),
  });
  return connectAnswer(response);
}

/** Connect unary GET (for methods without side effects): the query as given, e.g. "message=...&encoding=json". */
export async function connectGet(baseUrl: string, method: string, query: string): Promise<RawAnswer> {
  return connectAnswer(await fetch(`${baseUrl}${path(method)}?${query}`));
}

async function connectAnswer(response: Response): Promise<RawAnswer> {
  const text = await response.text();
  let json: { code?: string; message?: string } = {};
  try {
    json = JSON.parse(text) as typeof json;
  } catch {
    // a success body in binary, or no body
  }
  return { httpStatus: response.status, code: response.status === 200 ? undefined : json.code, message: json.message ?? "", text };
}

/** A stream still open when a call gave up waiting (a valid streaming request): not an error. */
export const STILL_STREAMING = "still streaming";

/** gRPC-Web over HTTP/1.1: the body as sent (frame it with `frame`); a stream open after `timeoutMs` is cut. */
export async function grpcWeb(
  baseUrl: string,
  method: string,
  body: Uint8Array,
  contentType = "application/grpc-web+proto",
  timeoutMs = 10_000,
  headers: Record<string, string> = {},
): Promise<RawAnswer> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  let response: Response;
  let bytes: Buffer;
  try {
    response = await fetch(baseUrl + path(method), {
      method: "POST",
      headers: { "content-type": contentType, "x-grpc-web": "1", ...headers },
      body: Uint8Array.from(body),
      signal: abort.signal,
    });
    bytes = Buffer.from(await response.arrayBuffer());
  } catch (error) {
    if (!abort.signal.aborted) throw error;
    return { httpStatus: 200, code: undefined, message: STILL_STREAMING, text: "" };
  } finally {
    clearTimeout(timer);
  }
  let trailer = "";
  for (let at = 0; at + 5 <= bytes.length;) {
    const length = bytes.readUInt32BE(at + 1);
    const payload = bytes.subarray(at + 5, at + 5 + length);
    // A compressed trailer frame (flag bit 0) is compressed as the response's grpc-encoding says.
    const decompress = response.headers.get("grpc-encoding") === "br" ? brotliDecompressSync : gunzipSync;
    if (bytes[at]! & 0x80) trailer = (bytes[at]! & 0x01 ? decompress(payload) : payload).toString("latin1");
    at += 5 + length;
  }
  const field = (name: string): string | undefined => new RegExp(`^${name}:\\s*(.*?)\\s*$`, "mi").exec(trailer)?.[1];
  const status = field("grpc-status") ?? response.headers.get("grpc-status") ?? undefined;
  return {
    httpStatus: response.status,
    code: status === undefined ? undefined : Number(status),
    message: decodeURIComponent(field("grpc-message") ?? response.headers.get("grpc-message") ?? ""),
    text: bytes.toString("latin1"),
  };
}

/** gRPC over h2c on a session of its own: the body as sent (frame it with `frame`); a stream open after `timeoutMs` is cut. */
export async function grpc(
  baseUrl: string,
  method: string,
  body: Uint8Array,
  contentType = "application/grpc",
  timeoutMs = 10_000,
  headers: Record<string, string> = {},
): Promise<RawAnswer> {
  const session = http2.connect(baseUrl);
  session.on("error", () => {});
  try {
    return await new Promise<RawAnswer>((resolve, reject) => {
      const stream = session.request({ ":method": "POST", ":path": path(method), "content-type": contentType, te: "trailers", ...headers });
      let httpStatus = 0;
      let status: string | undefined;
      let message = "";
      const chunks: Buffer[] = [];
      const take = (headers: http2.IncomingHttpHeaders): void => {
        if (headers["grpc-status"] !== undefined) status = String(headers["grpc-status"]);
        if (headers["grpc-message"] !== undefined) message = decodeURIComponent(String(headers["grpc-message"]));
      };
      stream.on("response", (headers) => {
        httpStatus = Number(headers[":status"]);
        take(headers);
      });
      stream.on("trailers", take);
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      let cut = false;
      const timer = setTimeout(() => {
        cut = true;
        stream.close(http2.constants.NGHTTP2_CANCEL);
      }, timeoutMs);
      stream.on("error", (error) => {
        if (!cut) reject(error);
      });
      stream.on("close", () => {
        clearTimeout(timer);
        const text = Buffer.concat(chunks).toString("latin1") + message;
        resolve({
          httpStatus,
          code: status === undefined ? undefined : Number(status),
          message: cut && status === undefined ? STILL_STREAMING : message,
          text,
        });
      });
      stream.end(body);
    });
  } finally {
    session.close();
  }
}
