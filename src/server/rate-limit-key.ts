/**
 * Whom a request counts against for RATE_LIMIT_PER_MINUTE (src/server/load-shedding.ts): its API
 * key when API keys are on (src/server/callers.ts runs first and names it), else the client's address, an IPv6 client by its /64 (one host usually holds the whole /64, so counting
 * single addresses would let it rotate through them). The socket's address, not X-Forwarded-For:
 * behind a proxy every client shares the proxy's address.
 */
import { normalizeIP } from "@fastify/rate-limit";
import type { FastifyRequest } from "fastify";

const IPV6_SUBNET_BITS = 64;

export function rateLimitKey(request: FastifyRequest): string {
  if (request.apiKeyName !== undefined) return `key:${request.apiKeyName}`;
  return `addr:${normalizeIP(request.ip ?? "", IPV6_SUBNET_BITS)}`;
}
