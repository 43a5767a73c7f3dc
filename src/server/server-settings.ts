/**
 * Settings of the HTTP server itself, not of episodes: how long a request may take to arrive, and
 * how long a drain (SIGTERM, SIGINT) may last. README.md ("Limits") documents the same table;
 * test/dead-clients.test.ts and test/drain.test.ts exercise them.
 */
export interface ServerSettings {
  /**
   * A request must arrive whole within this long of its start (REQUEST_TIMEOUT_SECONDS), as its
   * headers must: a body that trickles in (a slow-body attack, or a client that died without
   * closing its connection) is cut after it. HTTP/1.1 answers 408 and closes the connection;
   * HTTP/2 resets the stream (RST_STREAM CANCEL) and the session's other streams go on.
   * "Whole" is the end of the request body (HTTP/2: END_STREAM). A request that has arrived is
   * never cut by this, however long its answer runs (log and event streams, SSE, /ws). A
   * bidirectional Interact session never ends its request while it lasts, so there the bound
   * applies to each message: once a message's first byte has arrived, the rest of it must arrive
   * within this long; the time between messages (an agent thinking) is not bounded.
   */
  requestTimeoutMs: number;
  /**
   * Longest drain on SIGTERM or SIGINT (DRAIN_TIMEOUT_SECONDS): requests already received are
   * answered, streams end with a clear status, and whatever is still open after this long is cut
   * (src/server/drain.ts).
   */
  drainTimeoutMs: number;
}

export const DEFAULT_SERVER_SETTINGS: ServerSettings = {
  requestTimeoutMs: 30_000,
  drainTimeoutMs: 10_000,
};

function seconds(env: NodeJS.ProcessEnv, name: string, fallbackMs: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallbackMs;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer (seconds), got "${raw}"`);
  return value * 1000;
}

/** Server settings from environment variables, falling back to the defaults. */
export function serverSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): ServerSettings {
  const d = DEFAULT_SERVER_SETTINGS;
  return {
    requestTimeoutMs: seconds(env, "REQUEST_TIMEOUT_SECONDS", d.requestTimeoutMs),
    drainTimeoutMs: seconds(env, "DRAIN_TIMEOUT_SECONDS", d.drainTimeoutMs),
  };
}
