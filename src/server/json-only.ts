/**
 * JSON routes take JSON only. Browsers let any page send text/plain, form and multipart bodies to
 * any server without asking it first (no CORS preflight); accepting only application/json means
 * such a request cannot drive the environment even from a browser that sends no Origin.
 * A body of any other type (or with no type) gets 415 in the common error shape, saying what to send.
 */
import type { FastifyError, FastifyInstance, FastifyRequest } from "fastify";

export const JSON_CONTENT_TYPE = "application/json";

function unsupportedMediaType(request: FastifyRequest): FastifyError {
  const type = request.headers["content-type"];
  const sent = type === undefined ? "a body without Content-Type" : `Content-Type ${JSON.stringify(type)}`;
  const error = new Error(
    `${sent} is not accepted on ${request.method} ${request.url.split("?")[0] ?? ""}: send a JSON body with Content-Type: ${JSON_CONTENT_TYPE} (curl: --json, or -H 'content-type: ${JSON_CONTENT_TYPE}')`,
  );
  // A code of its own: src/server/errors.ts rewrites the message of fastify's FST_ERR_CTP_INVALID_MEDIA_TYPE.
  return Object.assign(error, { code: "ERR_JSON_ONLY_BODY", statusCode: 415, name: "FastifyError" });
}

/**
 * Inside a plugin: drops every body parser and refuses every content type; the plugin then adds
 * its parser for application/json (with any parameters, such as charset).
 */
export function refuseNonJsonBodies(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", (request, _payload, done) => done(unsupportedMediaType(request), undefined));
}
