/**
 * Every limit the server enforces, with its default and the environment variable that sets it.
 * README.md ("Limits") documents the same table; tests exercise each one.
 *
 * Limits on the size of fields (reasoning, runbook steps, postmortem sections, ids) are declared
 * in the proto files with protovalidate rules and enforced on every transport.
 */
export interface Limits {
  /** Episodes kept in memory at once (MAX_LIVE_EPISODES). */
  maxLiveEpisodes: number;
  /** An episode untouched this long may be evicted to make room (EPISODE_IDLE_TTL_SECONDS). */
  episodeIdleTtlMs: number;
  /** Largest request body accepted, in bytes, on every route and protocol (MAX_BODY_BYTES). */
  maxBodyBytes: number;
  /** Log lines kept per episode; older lines are dropped first (MAX_LOG_LINES_PER_EPISODE). */
  maxLogLinesPerEpisode: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxLiveEpisodes: 1000,
  episodeIdleTtlMs: 30 * 60 * 1000,
  maxBodyBytes: 256 * 1024,
  maxLogLinesPerEpisode: 10_000,
};

function positiveInt(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === "") return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

/** Limits from environment variables, falling back to the defaults. */
export function limitsFromEnv(env: NodeJS.ProcessEnv = process.env): Limits {
  const ttlSeconds = positiveInt(env, "EPISODE_IDLE_TTL_SECONDS");
  return {
    maxLiveEpisodes: positiveInt(env, "MAX_LIVE_EPISODES") ?? DEFAULT_LIMITS.maxLiveEpisodes,
    episodeIdleTtlMs: ttlSeconds !== undefined ? ttlSeconds * 1000 : DEFAULT_LIMITS.episodeIdleTtlMs,
    maxBodyBytes: positiveInt(env, "MAX_BODY_BYTES") ?? DEFAULT_LIMITS.maxBodyBytes,
    maxLogLinesPerEpisode: positiveInt(env, "MAX_LOG_LINES_PER_EPISODE") ?? DEFAULT_LIMITS.maxLogLinesPerEpisode,
  };
}
