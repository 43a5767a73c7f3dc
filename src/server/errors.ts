/**
 * Error mapping for every transport.
 *
 * The domain raises EnvError with a Connect code name. Connect/gRPC/gRPC-Web get a ConnectError
 * with that code (and each violation as an incident.v1.FieldViolation detail); REST gets the
 * status below and one JSON body shape, incident.v1.ErrorResponse, for every error, including
 * fastify's own (bad JSON, body too large, unknown route).
 */
import { create, type JsonObject } from "@bufbuild/protobuf";
import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { ErrorResponseSchema, FieldViolationSchema, type ErrorResponse } from "../../gen/incident/v1/service_pb.js";
import { EnvError, type EnvErrorKind, type Violation } from "../env/errors.js";
import { toRestJson } from "../json/rest-json.js";

export const CONNECT_CODE: Readonly<Record<EnvErrorKind, Code>> = {
  invalid_argument: Code.InvalidArgument,
  not_found: Code.NotFound,
  failed_precondition: Code.FailedPrecondition,
  resource_exhausted: Code.ResourceExhausted,
  aborted: Code.Aborted,
  unavailable: Code.Unavailable,
  unauthenticated: Code.Unauthenticated,
  permission_denied: Code.PermissionDenied,
  internal: Code.Internal,
};

/** HTTP status of each error kind on the REST routes. */
export const HTTP_STATUS: Readonly<Record<EnvErrorKind, number>> = {
  invalid_argument: 400,
  not_found: 404,
  failed_precondition: 409,
  resource_exhausted: 429,
  aborted: 409,
  unavailable: 503,
  unauthenticated: 401,
  permission_denied: 403,
  internal: 500,
};

/**
 * Seconds a client should wait before retrying an error of these kinds: the Retry-After header on
 * REST, Retry-After metadata on Connect, gRPC and gRPC-Web. All episode or stream slots taken
 * (resource_exhausted) frees up when a client closes an episode or a stream; unavailable is a
 * worker or the shared store out of reach. Other kinds get none: waiting does not change them.
 */
const RETRY_AFTER_SECONDS: Readonly<Partial<Record<EnvErrorKind, number>>> = {
  resource_exhausted: 5,
  unavailable: 2,
};

export function toConnectError(error: unknown): ConnectError {
  if (error instanceof EnvError) {
    const details = error.violations.map((v) => ({ desc: FieldViolationSchema, value: create(FieldViolationSchema, v) }));
    const retryAfter = RETRY_AFTER_SECONDS[error.kind];
    const metadata = retryAfter === undefined ? undefined : { "retry-after": String(retryAfter) };
    return new ConnectError(error.message, CONNECT_CODE[error.kind], metadata, details, error);
  }
  return ConnectError.from(error);
}

async function* mapStreamErrors<T>(messages: AsyncIterable<T>): AsyncIterable<T> {
  try {
    yield* messages;
  } catch (error) {
    throw toConnectError(error);
  }
}

/** Turns EnvErrors thrown by handlers (unary or streaming) into ConnectErrors with the right code. */
export const envErrorInterceptor: Interceptor = (next) => async (request) => {
  try {
    const response = await next(request);
    return response.stream ? { ...response, message: mapStreamErrors(response.message) } : response;
  } catch (error) {
    throw toConnectError(error);
  }
};

/** The REST error body. */
export function errorBody(code: string, message: string, violations: readonly Violation[] = []): JsonObject {
  return toRestJson(ErrorResponseSchema, create(ErrorResponseSchema, { code, message, violations: [...violations] }));
}

/**
 * An EnvError as an ErrorResponse message: what a batch item or an Interact request that failed
 * carries, the same code, message and violations as the REST body of that request alone.
 */
export function errorResponse(error: EnvError): ErrorResponse {
  return create(ErrorResponseSchema, { code: error.kind, message: error.message, violations: [...error.violations] });
}

/**
 * The code of each client-error status that fastify or node's HTTP parser raise themselves (the
 * Connect code of the same meaning); any other 4xx is invalid_argument. A content type a route does
 * not take (415) is unimplemented, like a method it does not take (405): the request may be
 * well-formed, the route just does not serve it.
 */
const CODE_OF_STATUS: Readonly<Record<number, string>> = {
  404: "not_found",
  405: "unimplemented",
  408: "deadline_exceeded",
  413: "resource_exhausted",
  414: "resource_exhausted",
  415: "unimplemented",
  431: "resource_exhausted",
};

/** The REST code of a 4xx status raised outside the environment. */
export function codeOfClientStatus(status: number): string {
  return CODE_OF_STATUS[status] ?? "invalid_argument";
}

/** Status and code for an error fastify raised itself (its errors carry statusCode). */
function fastifyErrorKind(error: FastifyError): { status: number; code: string } {
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) return { status, code: codeOfClientStatus(status) };
  return { status: 500, code: "internal" };
}

/** fastify's message, or a clearer one where fastify's says too little. */
function fastifyErrorMessage(error: FastifyError, request: FastifyRequest): string {
  if (error.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") {
    const type = request.headers["content-type"] ?? "";
    return `unsupported content type ${JSON.stringify(type)}: the JSON routes take application/json; the RPC paths take the Connect, gRPC and gRPC-Web content types`;
  }
  return error.message;
}

/** Installs the REST error handler and not-found handler on the root instance. */
export function installRestErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof EnvError) {
      const retryAfter = RETRY_AFTER_SECONDS[error.kind];
      if (retryAfter !== undefined) reply.header("retry-after", String(retryAfter));
      return reply.status(HTTP_STATUS[error.kind]).send(errorBody(error.kind, error.message, error.violations));
    }
    const { status, code } = fastifyErrorKind(error);
    if (status >= 500) {
      request.log.error({ err: error }, "unhandled error");
      return reply.status(500).send(errorBody(code, "internal error; see the server log"));
    }
    return reply.status(status).send(errorBody(code, fastifyErrorMessage(error, request)));
  });
  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split("?")[0] ?? request.url;
    const otherMethods = ["GET", "POST", "PUT", "DELETE", "PATCH"].filter(
      (method) => method !== request.method && app.hasRoute({ method, url: path }),
    );
    if (otherMethods.length > 0) {
      return reply
        .status(405)
        .header("allow", otherMethods.join(", "))
        .send(errorBody("unimplemented", `${request.method} is not allowed on ${path}; use ${otherMethods.join(" or ")}`));
    }
    return reply.status(404).send(errorBody("not_found", `no route ${request.method} ${path}`));
  });
}
