/**
 * A request message that cannot be decoded is the client's error: invalid_argument, on every
 * protocol, never `internal` (HTTP 500 on Connect).
 *
 * connect-es reports a request body that is not a protobuf message of the method's input type
 * (random bytes, a truncated message, a compressed flag without an encoding) as `internal`, which
 * reads as a bug of the server and would send a client to the server's log. connect-go calls it
 * invalid_argument, and so do we. Where connect-es decodes decides how:
 * - unary methods decode their one message before any interceptor runs, so the service cannot
 *   catch the error. decodeFailureInterceptor marks the requests that reach the interceptors
 *   (their context values carry a fresh RequestStage, see trackRequestStage), and the handlers
 *   wrapped by reportDecodeFailures rewrite an `internal` answer to a request that never did:
 *   the JSON error body and status on Connect, the trailers on gRPC, the trailer frame on gRPC-Web.
 *   Nothing else fails with `internal` before the interceptors (content types, timeouts, sizes and
 *   compression have codes of their own).
 * - streaming methods decode each message as the service reads it, after the interceptors:
 *   decodeFailureInterceptor turns an `internal` error raised while reading the request stream
 *   into invalid_argument.
 */
import { Code, ConnectError, createContextKey, type ContextValues, type Interceptor } from "@connectrpc/connect";
import {
  encodeEnvelope,
  type UniversalHandler,
  type UniversalServerRequest,
  type UniversalServerResponse,
} from "@connectrpc/connect/protocol";
import { setTrailerStatus } from "@connectrpc/connect/protocol-grpc";
import { trailerFlag, trailerParse, trailerSerialize } from "@connectrpc/connect/protocol-grpc-web";
import { brotliDecompressSync, gunzipSync } from "node:zlib";

/** The flag bit of a compressed gRPC / gRPC-Web frame. */
const COMPRESSED_FLAG = 0b1;

/** Whether a request got as far as the interceptors, i.e. its message (if unary) was decoded. */
interface RequestStage {
  reachedInterceptors: boolean;
}

const requestStageKey = createContextKey<RequestStage | undefined>(undefined, {
  description: "whether the request reached the interceptors",
});

/** Gives one request's context values a fresh RequestStage (call it for every request). */
export function trackRequestStage(values: ContextValues): ContextValues {
  return values.set(requestStageKey, { reachedInterceptors: false });
}

function undecodable(typeName: string, detail: string, cause?: unknown): ConnectError {
  return new ConnectError(`the request is not a valid ${typeName} message: ${detail}`, Code.InvalidArgument, undefined, undefined, cause);
}

async function* decodedOrInvalid<T>(messages: AsyncIterable<T>, typeName: string): AsyncIterable<T> {
  try {
    yield* messages;
  } catch (error) {
    const connectError = ConnectError.from(error);
    throw connectError.code === Code.Internal ? undecodable(typeName, connectError.rawMessage, error) : error;
  }
}

/** The first interceptor: marks the request as decoded, and reports undecodable stream messages as invalid_argument. */
export const decodeFailureInterceptor: Interceptor = (next) => async (request) => {
  const stage = request.contextValues.get(requestStageKey);
  if (stage) stage.reachedInterceptors = true;
  if (!request.stream) return next(request);
  return next({ ...request, message: decodedOrInvalid(request.message, request.method.input.typeName) });
};

async function allBytes(body: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Connect unary: a 500 JSON error body becomes a 400 invalid_argument one. */
async function connectUnary(response: UniversalServerResponse, typeName: string): Promise<UniversalServerResponse> {
  const header = response.header;
  if (response.status !== 500 || header === undefined || response.body === undefined) return response;
  let detail = "undecodable";
  if (!header.has("content-encoding")) {
    try {
      const error = JSON.parse(Buffer.from(await allBytes(response.body)).toString("utf8")) as { code?: unknown; message?: unknown };
      if (error.code !== "internal") return response;
      if (typeof error.message === "string") detail = error.message;
    } catch {
      // not a Connect error body: answer with the generic detail
    }
  }
  const body = new TextEncoder().encode(JSON.stringify({ code: "invalid_argument", message: undecodable(typeName, detail).rawMessage }));
  header.delete("content-encoding");
  header.set("content-length", String(body.byteLength));
  return {
    ...response,
    status: 400,
    header,
    body: (async function* () {
      yield body;
    })(),
  };
}

/** gRPC: the trailers are final once the body has been read. */
async function* grpcBody(
  body: AsyncIterable<Uint8Array>,
  trailer: Headers,
  stage: RequestStage,
  typeName: string,
): AsyncIterable<Uint8Array> {
  yield* body;
  if (!stage.reachedInterceptors && trailer.get("grpc-status") === String(Code.Internal)) {
    setTrailerStatus(trailer, undecodable(typeName, decodeURIComponent(trailer.get("grpc-message") ?? "")));
  }
}

/** A frame's payload, decompressed if its flag says so (with the response's grpc-encoding); undefined if that cannot be done. */
function framePayload(chunk: Uint8Array, encoding: string | null): Uint8Array | undefined {
  const payload = chunk.subarray(5);
  if ((chunk[0]! & COMPRESSED_FLAG) === 0) return payload;
  try {
    if (encoding === "gzip") return gunzipSync(payload);
    if (encoding === "br") return brotliDecompressSync(payload);
  } catch {
    // not what the flag says: leave the frame alone
  }
  return undefined;
}

/** gRPC-Web: the trailers are the last frame of the body (compressed like any frame when RPC_COMPRESS_MIN_BYTES is small); the new one goes uncompressed. */
async function* grpcWebBody(
  body: AsyncIterable<Uint8Array>,
  encoding: string | null,
  stage: RequestStage,
  typeName: string,
): AsyncIterable<Uint8Array> {
  for await (const chunk of body) {
    const isTrailerFrame = chunk.length >= 5 && (chunk[0]! & trailerFlag) !== 0 && Buffer.from(chunk).readUInt32BE(1) === chunk.length - 5;
    const payload = isTrailerFrame && !stage.reachedInterceptors ? framePayload(chunk, encoding) : undefined;
    if (payload === undefined) {
      yield chunk;
      continue;
    }
    const trailer = trailerParse(payload);
    if (trailer.get("grpc-status") === String(Code.Internal)) {
      setTrailerStatus(trailer, undecodable(typeName, decodeURIComponent(trailer.get("grpc-message") ?? "")));
      yield encodeEnvelope(trailerFlag, trailerSerialize(trailer));
    } else {
      yield chunk;
    }
  }
}

function rewrite(
  response: UniversalServerResponse,
  request: UniversalServerRequest,
  typeName: string,
): UniversalServerResponse | Promise<UniversalServerResponse> {
  const stage = request.contextValues?.get(requestStageKey);
  if (stage === undefined || response.body === undefined) return response;
  const contentType = response.header?.get("content-type") ?? "";
  if (contentType.startsWith("application/grpc-web"))
    return { ...response, body: grpcWebBody(response.body, response.header?.get("grpc-encoding") ?? null, stage, typeName) };
  if (contentType.startsWith("application/grpc")) {
    return response.trailer ? { ...response, body: grpcBody(response.body, response.trailer, stage, typeName) } : response;
  }
  return stage.reachedInterceptors ? response : connectUnary(response, typeName);
}

/** Wraps the router's handlers (in place) so that undecodable unary requests get invalid_argument. */
export function reportDecodeFailures(handlers: UniversalHandler[]): void {
  handlers.forEach((handler, i) => {
    const typeName = handler.method.input.typeName;
    const wrapped = async (request: UniversalServerRequest): Promise<UniversalServerResponse> =>
      rewrite(await handler(request), request, typeName);
    handlers[i] = Object.assign(wrapped, {
      protocolNames: handler.protocolNames,
      service: handler.service,
      method: handler.method,
      requestPath: handler.requestPath,
      allowedMethods: handler.allowedMethods,
      supportedContentType: handler.supportedContentType,
    });
  });
}
