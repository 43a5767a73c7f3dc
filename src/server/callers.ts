/**
 * Who is calling: each request's API key (when API keys are on) and HTTP/2 connection, and the
 * view of the environment that caller gets (src/env/episode-access.ts). Every transport asks
 * `environmentFor(request)` instead of holding the environment itself.
 *
 * With API keys, an onRequest hook refuses a request without a valid key before anything else
 * runs: 401 `unauthenticated` with `WWW-Authenticate: Bearer`, which gRPC, gRPC-Web and Connect
 * clients read as the code unauthenticated. GET /health, the Health RPC and the API documentation
 * (/docs, /openapi.json) stay open, for load balancers and for people reading the docs, and so do
 * the console's static files (/console): the page asks for the key and sends it with its calls.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { IncomingMessage } from "node:http";
import type { Http2ServerRequest, Http2Session } from "node:http2";
import type { EnvironmentApi } from "../env/api.js";
import { IncidentEnvService } from "../../gen/incident/v1/service_pb.js";
import { EpisodeAccess, type Caller } from "../env/episode-access.js";
import type { Transport } from "../env/episode-listing.js";
import type { ApiKeys } from "./api-keys.js";
import { errorBody } from "./errors.js";

declare module "fastify" {
  interface FastifyRequest {
    /** The API key's name, set by the authentication hook when API keys are on. */
    apiKeyName: string | undefined;
  }
}

/** Paths that answer without an API key. */
function isOpen(url: string): boolean {
  const path = url.split("?", 1)[0] ?? url;
  return (
    path === "/health" ||
    path === "/incident.v1.IncidentEnvService/Health" ||
    path === "/openapi.json" ||
    path === "/docs" ||
    path.startsWith("/docs/") ||
    path === "/console" ||
    path.startsWith("/console/")
  );
}

/** The header the browser console (/console) sends with its REST calls, so that a person playing is listed as such. */
const CONSOLE_CLIENT_HEADER = "x-incident-client";

/** What a request came over, as ListEpisodes shows who plays. */
function transportOf(request: FastifyRequest): Transport {
  const path = request.url.split("?", 1)[0] ?? request.url;
  if (path.startsWith(`/${IncidentEnvService.typeName}/`)) {
    const type = request.headers["content-type"] ?? "";
    if (type.startsWith("application/grpc-web")) return "grpc-web";
    return type.startsWith("application/grpc") ? "grpc" : "connect";
  }
  if (path === "/ws") return "ws";
  if (path === "/mcp") return "mcp";
  return request.headers[CONSOLE_CLIENT_HEADER] === "console" ? "console" : "rest";
}

/** What a transport needs to find its caller's view of the environment. */
export type EnvironmentFor = (request: FastifyRequest) => EnvironmentApi;

export class Callers {
  readonly access: EpisodeAccess;
  /** HTTP/2 connections seen, by session: their name, and the key names that used them. */
  private readonly connections = new WeakMap<Http2Session, { name: string; owners: Set<string | undefined> }>();
  private nextConnection = 1;

  constructor(
    env: EnvironmentApi,
    private readonly keys: ApiKeys | undefined,
  ) {
    this.access = new EpisodeAccess(env);
  }

  get authenticationOn(): boolean {
    return this.keys !== undefined;
  }

  /** The caller of a request (after the authentication hook). */
  callerOf(request: FastifyRequest): Caller {
    const owner = request.apiKeyName;
    const connection = this.connectionOf(request.raw, owner);
    return {
      ...(owner !== undefined ? { owner } : {}),
      ...(connection !== undefined ? { connection } : {}),
      transport: transportOf(request),
    };
  }

  /** The environment as the request's caller sees it. */
  readonly environmentFor: EnvironmentFor = (request) => this.access.view(this.callerOf(request));

  /** The name of the HTTP/2 connection a request came on; undefined for HTTP/1.1. */
  private connectionOf(raw: IncomingMessage | Http2ServerRequest, owner: string | undefined): string | undefined {
    const session = "stream" in raw ? raw.stream?.session : undefined;
    if (session === undefined) return undefined;
    let known = this.connections.get(session);
    if (known === undefined) {
      const entry = { name: `h2-${this.nextConnection++}`, owners: new Set<string | undefined>() };
      known = entry;
      this.connections.set(session, entry);
      session.once("close", () => {
        for (const o of entry.owners) this.access.connectionEnded({ ...(o !== undefined ? { owner: o } : {}), connection: entry.name });
      });
    }
    known.owners.add(owner);
    return known.name;
  }

  /** Installs the authentication hook (when API keys are on) on the root instance. */
  install(app: FastifyInstance): void {
    app.decorateRequest("apiKeyName", undefined);
    const keys = this.keys;
    if (keys === undefined) return;
    app.addHook("onRequest", async (request: FastifyRequest, reply: FastifyReply) => {
      if (isOpen(request.url)) return;
      const header = request.headers.authorization;
      const name = keys.authenticate(typeof header === "string" ? header : undefined);
      if (name === undefined) {
        const message =
          header === undefined ? "this server requires an API key: send Authorization: Bearer <token>" : "the API key is not valid";
        return reply
          .code(401)
          .header("www-authenticate", 'Bearer realm="incident-response-env"')
          .send(errorBody("unauthenticated", message));
      }
      request.apiKeyName = name;
    });
  }
}
