/**
 * Which requests may come in at all, judged from their headers before any route runs (a root
 * onRequest hook, so it covers every route, the /ws handshake and unknown paths alike). A refusal is
 * permission_denied (HTTP 403, gRPC PERMISSION_DENIED) in the client's protocol
 * (src/server/protocol-reject.ts).
 *
 * Origin (pages on other sites using a browser as their proxy). Browsers mark what a page sends:
 * `Origin` on every cross-origin request, every POST and every WebSocket handshake, and
 * `Sec-Fetch-Site` on everything (clients outside browsers send neither, and pass). Refused:
 * - a request whose Origin is neither the server's own (its host is the Host header; the scheme is
 *   not compared, since a TLS proxy may sit in front) nor in ALLOWED_ORIGINS;
 * - a request a page on another site sent without an Origin (Sec-Fetch-Site cross-site or
 *   same-site: an <img> or <script> pointed at a stream), except a top-level navigation, such as
 *   a link to /docs.
 *
 * Host (DNS rebinding). A page on attacker.example whose name is then re-pointed at this server's
 * address sends `Host: attacker.example` and its own origin: it looks same-origin, and only its
 * Host name gives it away. Accepted Host names:
 * - an IP address or localhost, always: nobody can re-point them;
 * - the names in ALLOWED_HOSTS ("*.example.com" for any subdomain, "*" for any name; on Hugging
 *   Face Spaces the Space's own name by default, src/server/guard-settings.ts);
 * - when ALLOWED_HOSTS is unset, any name from a client that is not a browser (no Origin, no
 *   Sec-Fetch-Site), so that `curl http://build-box:7860`, docker service names and gRPC clients
 *   work out of the box. A browser using a name needs that name in ALLOWED_HOSTS.
 * This holds whatever address the server binds (HOST): one on 127.0.0.1 is the classic victim of
 * rebinding, and one on 0.0.0.0 is reached by names the server cannot know. The trade-off of the
 * default: a browser opening http://build-box:7860/docs is refused (with a message naming
 * ALLOWED_HOSTS) until the name is listed, while a browser too old to send Sec-Fetch-Site can still
 * read (GET) under a rebound name; what changes state is a POST or DELETE, which carries Origin.
 *
 * CORS is off unless ALLOWED_ORIGINS is set: then requests from those origins get
 * Access-Control-Allow-Origin and the headers clients must read exposed (Connect, gRPC-Web,
 * Retry-After, Mcp-Session-Id), and their preflight requests are answered with 204.
 */
import { cors } from "@connectrpc/connect";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { IncomingHttpHeaders } from "node:http";
import { isIP } from "node:net";
import type { GuardSettings } from "./guard-settings.js";
import { normalizeHostPattern, normalizeOrigin } from "./guard-settings.js";
import { refuse } from "./protocol-reject.js";

type GuardVerdict =
  | { allowed: true; /** The cross origin, listed in ALLOWED_ORIGINS, that CORS answers. */ corsOrigin?: string }
  | { allowed: false; message: string };

const ALLOWED: GuardVerdict = { allowed: true };

/** Response headers a page on an allowed origin may read. */
const EXPOSED_HEADERS = [...cors.exposedHeaders.map((name) => name.toLowerCase()), "retry-after", "mcp-session-id", "allow"];
const ALLOWED_METHODS = ["GET", "POST", "DELETE"];
/** Browsers cache a preflight answer this long at most (Chromium caps it at two hours). */
const PREFLIGHT_MAX_AGE_SECONDS = 7200;

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** "Example.COM:7860" → "example.com"; "[::1]:7860" → "::1"; a trailing dot dropped. */
function hostnameOf(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith("[")) {
    const end = h.indexOf("]");
    return end === -1 ? h : h.slice(1, end);
  }
  const colon = h.indexOf(":");
  return (colon === -1 ? h : h.slice(0, colon)).replace(/\.$/, "");
}

/** The host of an Origin ("https://a.example" → "a.example", default ports dropped), or undefined for "null" and junk. */
function originHost(origin: string): string | undefined {
  try {
    const url = new URL(origin);
    return url.origin === "null" ? undefined : url.host;
  } catch {
    return undefined;
  }
}

/** A Host header as an origin's host compares with it: lower case, without :80 or :443. */
function comparableHost(host: string): string {
  return host
    .trim()
    .toLowerCase()
    .replace(/\.$/, "")
    .replace(/:(80|443)$/, "");
}

class RequestGuard {
  private readonly anyOrigin: boolean;
  private readonly origins: ReadonlySet<string>;
  private readonly anyHost: boolean;
  private readonly hosts: readonly string[];

  constructor(settings: Pick<GuardSettings, "allowedOrigins" | "allowedHosts">) {
    const origins = settings.allowedOrigins.map(normalizeOrigin);
    const hosts = settings.allowedHosts.map(normalizeHostPattern);
    this.anyOrigin = origins.includes("*");
    this.origins = new Set(origins);
    this.anyHost = hosts.includes("*");
    this.hosts = hosts;
  }

  /** True when CORS is on (ALLOWED_ORIGINS set). */
  get corsEnabled(): boolean {
    return this.origins.size > 0;
  }

  private hostListed(hostname: string): boolean {
    return (
      this.anyHost || this.hosts.some((pattern) => (pattern.startsWith("*.") ? hostname.endsWith(pattern.slice(1)) : hostname === pattern))
    );
  }

  private originAllowed(origin: string): boolean {
    if (this.anyOrigin) return true;
    try {
      return this.origins.has(normalizeOrigin(origin));
    } catch {
      return false;
    }
  }

  check(method: string, headers: IncomingHttpHeaders): GuardVerdict {
    const origin = header(headers, "origin");
    const site = header(headers, "sec-fetch-site");
    const browser = origin !== undefined || site !== undefined;
    // A client that is not a browser, with ALLOWED_HOSTS unset, passes whatever its Host (the rules
    // below say so): the usual case (a trainer's HTTP client) skips parsing the Host on every request.
    if (!browser && this.hosts.length === 0) return ALLOWED;
    const host = header(headers, "host") ?? header(headers, ":authority") ?? "";

    const hostname = hostnameOf(host);
    const hostOk =
      hostname === ""
        ? !browser
        : isIP(hostname) !== 0 || hostname === "localhost" || this.hostListed(hostname) || (this.hosts.length === 0 && !browser);
    if (!hostOk) {
      const shown = hostname === "" ? "(none)" : JSON.stringify(hostname);
      return {
        allowed: false,
        message:
          this.hosts.length === 0
            ? `a browser reached this server by the name ${shown}, which it does not know (DNS rebinding protection); the operator can list it in ALLOWED_HOSTS, or use the server's IP address or localhost`
            : `Host ${shown} is not one of this server's names (ALLOWED_HOSTS); use a listed name, the server's IP address or localhost`,
      };
    }

    if (origin !== undefined) {
      const own = originHost(origin);
      if (own !== undefined && own === comparableHost(host)) return { allowed: true };
      if (this.originAllowed(origin)) return { allowed: true, corsOrigin: origin };
      return {
        allowed: false,
        message: `cross-origin request from ${JSON.stringify(origin)} refused: only pages of the server's own origin and of ALLOWED_ORIGINS may call it`,
      };
    }
    if (site === "cross-site" || site === "same-site") {
      const navigation = (method === "GET" || method === "HEAD") && header(headers, "sec-fetch-mode") === "navigate";
      if (!navigation)
        return {
          allowed: false,
          message: `a request sent by a page on another site (Sec-Fetch-Site: ${site}) without an Origin is refused`,
        };
    }
    return { allowed: true };
  }
}

function isPreflight(request: FastifyRequest): boolean {
  return request.method === "OPTIONS" && request.headers["access-control-request-method"] !== undefined;
}

/** Installs the origin and Host checks, and CORS for ALLOWED_ORIGINS, on every route of `app`. */
export function installRequestGuard(app: FastifyInstance, settings: Pick<GuardSettings, "allowedOrigins" | "allowedHosts">): void {
  const guard = new RequestGuard(settings);
  app.addHook("onRequest", (request, reply, done) => {
    const verdict = guard.check(request.method, request.headers);
    if (!verdict.allowed) {
      void refuse(request, reply, { kind: "permission_denied", message: verdict.message });
      return;
    }
    if (guard.corsEnabled && request.headers.origin !== undefined) reply.header("vary", "origin");
    if (verdict.corsOrigin !== undefined) {
      reply.header("access-control-allow-origin", verdict.corsOrigin);
      if (isPreflight(request)) {
        const requested = request.headers["access-control-request-headers"];
        reply
          .code(204)
          .header("access-control-allow-methods", ALLOWED_METHODS.join(", "))
          .header(
            "access-control-allow-headers",
            typeof requested === "string" && requested !== "" ? requested : cors.allowedHeaders.join(", "),
          )
          .header("access-control-max-age", String(PREFLIGHT_MAX_AGE_SECONDS))
          .send();
        return;
      }
      reply.header("access-control-expose-headers", EXPOSED_HEADERS.join(", "));
    }
    done();
  });
}
