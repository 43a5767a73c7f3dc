/** What the soak test (test/soak.test.ts) and its server process (test/support/soak-server.ts) say to each other. */

export interface SoakMeasure {
  heapUsedBytes: number;
  liveEpisodes: number;
  liveStreams: number;
  connections: number;
  inFlight: number;
  /** Node's open resources by kind (TCPSocketWrap, Timeout, ...): process.getActiveResourcesInfo(). */
  resources: Record<string, number>;
}

export type SoakReply =
  | { type: "listening"; port: number }
  | { type: "measured"; measure: SoakMeasure }
  | { type: "census"; counts: Record<string, number> }
  | { type: "expired"; evicted: number };

/** Objects that one connection, request, stream, /ws session or episode makes, by constructor name. */
export const CENSUS = [
  "Socket",
  "ServerHttp2Session",
  "ServerHttp2Stream",
  "Http2ServerRequest",
  "IncomingMessage",
  "ServerResponse",
  "WebSocket",
  "WsSession",
  "AbortController",
  "AbortSignal",
  "WeakRef",
  "Timeout",
  "Episode",
  "Journal",
  "IncidentWorld",
] as const;
