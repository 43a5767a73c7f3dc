/**
 * Refusing a request from a hook, before any route runs, in the protocol the client speaks, so that
 * every client library reports the right code (and Retry-After where its protocol carries headers):
 *
 * - gRPC (application/grpc*) and gRPC-Web (application/grpc-web*): HTTP 200 with grpc-status and
 *   grpc-message in the headers and no body (a "trailers-only" response);
 * - Connect streaming (application/connect+*): HTTP 200 and one end-of-stream message holding the
 *   error, as the protocol wants (a non-200 status would reach the client as a guessed code);
 * - Connect unary (any other request to an /incident.v1.* path, GET included): the Connect error
 *   JSON with the HTTP status of its code (resource_exhausted 429, unavailable 503, ...);
 * - everything else (REST, SSE, MCP, the /ws handshake): the REST status and error body
 *   (src/server/errors.ts). A refused WebSocket handshake is answered before the upgrade, and
 *   its socket is closed.
 *
 * Used by the origin and Host checks (src/server/request-guard.ts) and by rate limiting and
 * overload protection (src/server/load-shedding.ts).
 */
import { ConnectError } from "@connectrpc/connect";
import { codeToHttpStatus, endStreamFlag, endStreamToJson, errorToJsonBytes } from "@connectrpc/connect/protocol-connect";
import { setTrailerStatus } from "@connectrpc/connect/protocol-grpc";
import type { FastifyReply, FastifyRequest } from "fastify";
import { IncidentEnvService } from "../../gen/incident/v1/service_pb.js";
import type { EnvErrorKind } from "../env/errors.js";
import { CONNECT_CODE, errorBody, HTTP_STATUS } from "./errors.js";

interface Refusal {
  kind: EnvErrorKind;
  message: string;
  /** Seconds the client should wait before retrying (the Retry-After header), when waiting helps. */
  retryAfterSeconds?: number;
}

type WireProtocol = "grpc" | "grpc-web" | "connect-stream" | "connect-unary" | "http";

/** Paths of the RPC services: "/incident.v1." then the service and method names. */
const RPC_PATH_PREFIX = `/${IncidentEnvService.file.proto.package}.`;

/** The protocol of a request, from its path and Content-Type. */
function wireProtocolOf(path: string, contentType: string | undefined): WireProtocol {
  if (!path.startsWith(RPC_PATH_PREFIX)) return "http";
  const type = (contentType ?? "").trim().toLowerCase();
  if (/^application\/grpc-web(-text)?([+;]|$)/.test(type)) return "grpc-web";
  if (/^application\/grpc([+;]|$)/.test(type)) return "grpc";
  if (/^application\/connect\+/.test(type)) return "connect-stream";
  return "connect-unary";
}

/** The request's media type without parameters, as a response of the same protocol echoes it. */
function mediaType(contentType: string | undefined): string {
  return (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

/** A Connect end-of-stream message: flag byte, 32-bit big-endian length, JSON. */
function endStreamEnvelope(json: unknown): Buffer {
  const data = Buffer.from(JSON.stringify(json), "utf8");
  const head = Buffer.alloc(5);
  head.writeUInt8(endStreamFlag, 0);
  head.writeUInt32BE(data.length, 1);
  return Buffer.concat([head, data]);
}

/**
 * Answers the request with the refusal in its own protocol. Resolves once the answer is written;
 * a hook that refuses does not call `done` (or awaits this promise and stops).
 */
export function refuse(request: FastifyRequest, reply: FastifyReply, refusal: Refusal): Promise<void> {
  const path = request.url.split("?")[0] ?? request.url;
  const contentType = request.headers["content-type"];
  const metadata = new Headers();
  if (refusal.retryAfterSeconds !== undefined) metadata.set("retry-after", String(Math.max(1, Math.ceil(refusal.retryAfterSeconds))));
  const error = new ConnectError(refusal.message, CONNECT_CODE[refusal.kind], metadata);
  const setHeaders = (headers: Headers): void => headers.forEach((value, key) => void reply.header(key, value));

  const protocol = wireProtocolOf(path, contentType);
  switch (protocol) {
    case "grpc":
    case "grpc-web":
      // Status and metadata (Retry-After) in the headers: a trailers-only response.
      setHeaders(setTrailerStatus(new Headers({ "content-type": mediaType(contentType) }), error));
      reply.code(200).send();
      break;
    case "connect-stream":
      setHeaders(metadata);
      reply
        .code(200)
        .type(mediaType(contentType))
        .send(endStreamEnvelope(endStreamToJson(metadata, error, undefined)));
      break;
    case "connect-unary":
      setHeaders(metadata);
      reply
        .code(codeToHttpStatus(error.code))
        .type("application/json")
        .send(Buffer.from(errorToJsonBytes(error, undefined)));
      break;
    case "http":
      setHeaders(metadata);
      // A refused handshake's socket is closed after the answer by src/server/upgrade-refusals.ts.
      if (request.raw.headers.upgrade !== undefined) reply.header("connection", "close");
      reply.code(HTTP_STATUS[refusal.kind]).send(errorBody(refusal.kind, refusal.message));
      break;
    default: {
      const unknown: never = protocol;
      throw new Error(`unhandled protocol ${String(unknown)}`);
    }
  }
  return finished(reply);
}

/** Resolves once the answer is written (or the client went away). */
function finished(reply: FastifyReply): Promise<void> {
  return new Promise((resolve) => reply.then(resolve, () => resolve()));
}
