/**
 * Every limit the server enforces, with its default and the environment variable that sets it.
 * README.md ("Limits") documents the same table; tests exercise each one.
 *
 * Limits on the size of fields (reasoning, runbook steps, postmortem sections, ids) are declared
 * in the proto files with protovalidate rules and enforced on every transport. The server's own
 * settings live in src/server: allowed origins and Host names, rate limit and overload thresholds
 * in guard-settings.ts, REQUEST_TIMEOUT_SECONDS and DRAIN_TIMEOUT_SECONDS in server-settings.ts.
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
  /**
   * Items in one ResetBatch or StepBatch (REST: POST /reset/batch, /step/batch); a larger or an
   * empty batch is refused whole with invalid_argument (MAX_BATCH_SIZE). maxBodyBytes bounds a
   * batch too: 256 steps with long write-ups do not fit in 256 KiB.
   */
  maxBatchSize: number;
  /**
   * Episodes kept built in memory (WARM_EPISODES); beyond it, the least recently used that have
   * no stream and no live clock sleep as their reset request and actions, and are rebuilt (byte
   * for byte) when next used. Bounds memory when MAX_LIVE_EPISODES is large (src/env/warm-episodes.ts).
   */
  warmEpisodes: number;
  /**
   * gRPC, gRPC-Web and Connect responses of at least this many bytes are compressed when the client
   * accepts gzip (RPC_COMPRESS_MIN_BYTES). Off by default: compressing an observation costs more
   * than sending it over a local network, the usual place of a trainer. Compressed requests are
   * always accepted.
   */
  compressMinBytes: number;
  /**
   * A live-clock episode's natural end, in simulated minutes (LIVE_EPISODE_MAX_MINUTES; one
   * simulated day by default): when its clock, or a step, reaches it, the episode ends truncated
   * and graded, as when the step budget runs out. Its world, and everything it remembers (the
   * timeline, the alerts, the journals), stops growing there, however long the episode is kept
   * and polled; one catch-up never runs more minutes than this (about 50 ms at the default).
   * Turn-based episodes end by their step budget long before.
   */
  liveEpisodeMaxMinutes: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxLiveEpisodes: 1000,
  episodeIdleTtlMs: 30 * 60 * 1000,
  maxBodyBytes: 256 * 1024,
  maxLogLinesPerEpisode: 10_000,
  maxBatchSize: 256,
  warmEpisodes: 1000,
  compressMinBytes: Number.POSITIVE_INFINITY,
  liveEpisodeMaxMinutes: 24 * 60,
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
    maxBatchSize: positiveInt(env, "MAX_BATCH_SIZE") ?? DEFAULT_LIMITS.maxBatchSize,
    warmEpisodes: positiveInt(env, "WARM_EPISODES") ?? DEFAULT_LIMITS.warmEpisodes,
    compressMinBytes: positiveInt(env, "RPC_COMPRESS_MIN_BYTES") ?? DEFAULT_LIMITS.compressMinBytes,
    liveEpisodeMaxMinutes: positiveInt(env, "LIVE_EPISODE_MAX_MINUTES") ?? DEFAULT_LIMITS.liveEpisodeMaxMinutes,
  };
}

/**
 * Limits of the streaming surfaces: log and event streams (gRPC, Connect, SSE), the OpenEnv
 * WebSocket (/ws). docs/streaming.md documents the same table; test/streaming.test.ts,
 * test/sse.test.ts and test/websocket.test.ts exercise each one.
 */
export interface StreamLimits {
  /** Events kept per episode (log lines, metric readings, status changes, steps); oldest dropped first (MAX_EVENTS_PER_EPISODE). */
  maxEventsPerEpisode: number;
  /** Open streams (StreamLogs, StreamEpisodeEvents, SSE) on one episode; more are refused with resource_exhausted (MAX_SUBSCRIBERS_PER_EPISODE). */
  maxSubscribersPerEpisode: number;
  /** A subscriber that takes no waiting entry for this long is disconnected (STREAM_STALL_TIMEOUT_SECONDS). */
  streamStallTimeoutMs: number;
  /** Interval of SSE heartbeat comments (SSE_HEARTBEAT_SECONDS). */
  sseHeartbeatMs: number;
  /** Concurrent OpenEnv WebSocket sessions on /ws; the next one gets CAPACITY_REACHED and is closed (WS_MAX_SESSIONS). */
  wsMaxSessions: number;
  /** Largest WebSocket message accepted on /ws; a larger one closes the socket with 1009 (WS_MAX_MESSAGE_BYTES). */
  wsMaxMessageBytes: number;
  /** The server pings every /ws client this often and drops one that did not answer the previous ping (WS_PING_INTERVAL_SECONDS). */
  wsPingIntervalMs: number;
}

export const DEFAULT_STREAM_LIMITS: StreamLimits = {
  maxEventsPerEpisode: 20_000,
  maxSubscribersPerEpisode: 256,
  streamStallTimeoutMs: 30_000,
  sseHeartbeatMs: 15_000,
  wsMaxSessions: 128,
  wsMaxMessageBytes: 1024 * 1024,
  wsPingIntervalMs: 30_000,
};

/** Streaming limits from environment variables, falling back to the defaults. */
export function streamLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): StreamLimits {
  const seconds = (name: string, fallbackMs: number): number => {
    const value = positiveInt(env, name);
    return value !== undefined ? value * 1000 : fallbackMs;
  };
  const d = DEFAULT_STREAM_LIMITS;
  return {
    maxEventsPerEpisode: positiveInt(env, "MAX_EVENTS_PER_EPISODE") ?? d.maxEventsPerEpisode,
    maxSubscribersPerEpisode: positiveInt(env, "MAX_SUBSCRIBERS_PER_EPISODE") ?? d.maxSubscribersPerEpisode,
    streamStallTimeoutMs: seconds("STREAM_STALL_TIMEOUT_SECONDS", d.streamStallTimeoutMs),
    sseHeartbeatMs: seconds("SSE_HEARTBEAT_SECONDS", d.sseHeartbeatMs),
    wsMaxSessions: positiveInt(env, "WS_MAX_SESSIONS") ?? d.wsMaxSessions,
    wsMaxMessageBytes: positiveInt(env, "WS_MAX_MESSAGE_BYTES") ?? d.wsMaxMessageBytes,
    wsPingIntervalMs: seconds("WS_PING_INTERVAL_SECONDS", d.wsPingIntervalMs),
  };
}

/**
 * Limits of a replica on the shared episode store (EPISODE_STORE; src/env/shared-store). README.md
 * ("Scaling out") documents them; test/shared-store.test.ts exercises them.
 */
export interface SharedStoreLimits {
  /** Episodes a replica keeps built in memory (least recently used dropped first); others are rebuilt from the store on demand (REPLICA_CACHE_EPISODES). */
  replicaCacheEpisodes: number;
  /** A store command not answered within this long fails the request with unavailable (EPISODE_STORE_TIMEOUT_MS). */
  storeTimeoutMs: number;
}

export const DEFAULT_SHARED_STORE_LIMITS: SharedStoreLimits = {
  replicaCacheEpisodes: 1000,
  storeTimeoutMs: 2000,
};

/** Shared-store limits from environment variables, falling back to the defaults. */
export function sharedStoreLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): SharedStoreLimits {
  const d = DEFAULT_SHARED_STORE_LIMITS;
  return {
    replicaCacheEpisodes: positiveInt(env, "REPLICA_CACHE_EPISODES") ?? d.replicaCacheEpisodes,
    storeTimeoutMs: positiveInt(env, "EPISODE_STORE_TIMEOUT_MS") ?? d.storeTimeoutMs,
  };
}

/**
 * Limits of the HTTP server itself, before a request reaches a route (src/server/dual-server.ts,
 * src/server/http-errors.ts). README.md ("Limits") documents them; test/http-errors.test.ts exercises them.
 */
export interface HttpLimits {
  /**
   * Request line and headers of one request, in bytes (MAX_HEADER_BYTES): node's HTTP parser
   * refuses a larger HTTP/1.1 request with 431 resource_exhausted, HTTP/2 refuses the stream.
   * It bounds the URL, so an episode id in a path fits whenever the request does.
   */
  maxHeaderBytes: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  maxHeaderBytes: 16 * 1024,
};

/** HTTP server limits from environment variables, falling back to the defaults. */
export function httpLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): HttpLimits {
  return { maxHeaderBytes: positiveInt(env, "MAX_HEADER_BYTES") ?? DEFAULT_HTTP_LIMITS.maxHeaderBytes };
}
