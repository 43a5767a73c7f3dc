/**
 * Settings of the server's front door, read from the environment by src/main.ts and handed to
 * buildApp: which browser origins and Host names it accepts (src/server/request-guard.ts), and how
 * much load it takes before it answers "retry later" (src/server/load-shedding.ts). README.md
 * ("Limits") documents the same variables.
 */
import { getHeapStatistics } from "node:v8";

export interface GuardSettings {
  /**
   * Browser origins allowed to call the server besides its own, e.g. "https://app.example.com"
   * (ALLOWED_ORIGINS, comma-separated; "*" allows every origin). CORS answers these origins, and
   * only these; empty by default, so CORS is off.
   */
  allowedOrigins: readonly string[];
  /**
   * Host names the server answers to besides IP addresses and localhost, e.g. "env.example.com"
   * or "*.example.com" (ALLOWED_HOSTS, comma-separated; "*" turns the check off). Unset, the
   * default, any name is accepted from clients that are not browsers; set, from nobody else.
   * On Hugging Face Spaces it defaults to the Space's own name (SPACE_HOST, set by the platform),
   * so that the Space page and its /docs open in a browser.
   */
  allowedHosts: readonly string[];
  /**
   * Requests per minute from one client (one address; an IPv6 client is its /64) before the next
   * get resource_exhausted with Retry-After (RATE_LIMIT_PER_MINUTE). 0, the default, is no limit:
   * a trainer on one machine sends thousands of steps a second, and a default must not bite it.
   */
  rateLimitPerMinute: number;
  /**
   * Mean event-loop delay, over one-second samples, above which new requests get unavailable with
   * Retry-After (MAX_EVENT_LOOP_DELAY_MS; 0 turns the check off). Off by default: a legitimate
   * load, such as the benchmark's 1,000 subscribers following one episode, lags the event loop by
   * seconds while every request is still worth serving (at 1 s, and on the shared store even at
   * 5 s, every step was refused). A shared server sets it to what its clients' deadlines allow.
   */
  maxEventLoopDelayMs: number;
  /**
   * V8 heap in use above which new requests get unavailable with Retry-After, so that the server
   * refuses work instead of dying out of memory (MAX_HEAP_USED_BYTES; 0 turns the check off).
   * Default: 90% of the heap limit (node's --max-old-space-size).
   */
  maxHeapUsedBytes: number;
}

export const DEFAULT_GUARD_SETTINGS: GuardSettings = {
  allowedOrigins: [],
  allowedHosts: [],
  rateLimitPerMinute: 0,
  maxEventLoopDelayMs: 0,
  maxHeapUsedBytes: Math.floor(getHeapStatistics().heap_size_limit * 0.9),
};

function nonNegativeInt(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer (0 turns it off), got "${raw}"`);
  return value;
}

function list(env: NodeJS.ProcessEnv, name: string): string[] {
  return (env[name] ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
}

/** An ALLOWED_ORIGINS entry as the origin a browser sends ("*" as is); throws on anything else. */
export function normalizeOrigin(entry: string): string {
  if (entry === "*") return entry;
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    throw new Error(
      `ALLOWED_ORIGINS: "${entry}" is not an origin; write it as a browser sends it, e.g. https://app.example.com or http://localhost:5173`,
    );
  }
  if (url.origin === "null" || (url.pathname !== "/" && url.pathname !== "") || url.search !== "" || url.hash !== "") {
    throw new Error(`ALLOWED_ORIGINS: "${entry}" is not an origin (scheme, host and port only), e.g. https://app.example.com`);
  }
  return url.origin;
}

/** An ALLOWED_HOSTS entry in lower case; throws on schemes, ports and paths. */
export function normalizeHostPattern(entry: string): string {
  const host = entry.toLowerCase().replace(/\.$/, "");
  if (host === "*") return host;
  if (!/^(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(host)) {
    throw new Error(
      `ALLOWED_HOSTS: "${entry}" is not a host name; give names only (no scheme, port or path), e.g. env.example.com or *.example.com`,
    );
  }
  return host;
}

/** Guard settings from environment variables, falling back to the defaults. */
export function guardSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): GuardSettings {
  const d = DEFAULT_GUARD_SETTINGS;
  return {
    allowedOrigins: list(env, "ALLOWED_ORIGINS").map(normalizeOrigin),
    allowedHosts: (list(env, "ALLOWED_HOSTS").length > 0 ? list(env, "ALLOWED_HOSTS") : list(env, "SPACE_HOST")).map(normalizeHostPattern),
    rateLimitPerMinute: nonNegativeInt(env, "RATE_LIMIT_PER_MINUTE") ?? d.rateLimitPerMinute,
    maxEventLoopDelayMs: nonNegativeInt(env, "MAX_EVENT_LOOP_DELAY_MS") ?? d.maxEventLoopDelayMs,
    maxHeapUsedBytes: nonNegativeInt(env, "MAX_HEAP_USED_BYTES") ?? d.maxHeapUsedBytes,
  };
}
