/**
 * Server-Sent Events for JSON agents and browsers (@fastify/sse):
 *
 *   GET /episodes/:episode_id/logs     StreamLogs as SSE:           event: log | gap | end
 *   GET /episodes/:episode_id/events   StreamEpisodeEvents as SSE:  event: log | metric | status | step | gap | end
 *
 * Query filters are the fields of the request messages in the REST dialect, lists comma-separated:
 * `services=api-gateway,postgres-db&min_level=warn&after_seq=12&since=2026-04-10T08:40:00Z`, and
 * `kinds=log,status` on /events. Each event has `id:` = its sequence number, so an EventSource
 * that reconnects sends `Last-Event-ID` and resumes right after the last event it got (the
 * header wins over after_seq). `data:` is the proto message in the REST JSON dialect
 * (LogEntry, EpisodeEvent, StreamGap). When the episode is over the stream sends
 * `event: end` whose id is the stream's last sequence number, and closes; a client that
 * reconnects after that gets 204 No Content, which tells EventSource to stop.
 * A heartbeat comment goes out every SSE_HEARTBEAT_SECONDS. Errors before the stream starts
 * (unknown episode, bad filter, too many streams) use the common error shape and status.
 * When the server drains (SIGTERM, src/server/drain.ts) the stream sends `event: end` with
 * `data: {"reason": "draining", "last_seq": N}` and `id:` N, the last sequence number it sent
 * (both left out if it sent none), and closes: the episode is not over, and a client that
 * reconnects (elsewhere, or after the restart) resumes after N with Last-Event-ID.
 * Nothing here knows about incidents: the environment filters and follows the journals.
 */
import type { DescMessage, JsonObject } from "@bufbuild/protobuf";
import { fastifySSE, type SSEMessage } from "@fastify/sse";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { EpisodeEventSchema, StreamGapSchema } from "../../gen/incident/v1/stream_pb.js";
import { LogEntrySchema } from "../../gen/incident/v1/telemetry_pb.js";
import { StreamEpisodeEventsRequestSchema, StreamLogsRequestSchema } from "../../gen/incident/v1/service_pb.js";
import type { EnvironmentApi, StreamName, StreamOptions } from "../env/api.js";
import { EnvError } from "../env/errors.js";
import type { EnvironmentFor } from "./callers.js";
import { SSE_DRAIN_REASON, untilDrained } from "./drain.js";
import { dropConnection } from "./drop-connection.js";
import { fromRestJson, toRestJson } from "../json/rest-json.js";
import { validated } from "../json/validation.js";

/** Reconnection delay the server asks EventSource clients to use (the `retry:` field). */
const SSE_RETRY_MS = 1000;

/** The filter parameters of each route; other query keys are refused. */
const LIST_PARAMS = new Set(["services", "kinds"]);

type Query = Record<string, string | string[] | undefined>;

/** The request message from the path and query, in the REST dialect, checked against its rules. */
function streamRequest<Desc extends DescMessage>(desc: Desc, episodeId: string | undefined, query: Query, lastEventId: string | null) {
  const json: JsonObject = {};
  const known = new Set(desc.fields.map((f) => f.name).filter((name) => name !== "episode_id"));
  for (const [key, raw] of Object.entries(query)) {
    if (raw === undefined) continue;
    if (!known.has(key)) {
      throw new EnvError("invalid_argument", `unknown query parameter "${key}"; this route takes: ${[...known].join(", ")}`, [
        { field: key, rule: "field.known", message: "unknown query parameter" },
      ]);
    }
    const values = Array.isArray(raw) ? raw : [raw];
    json[key] = LIST_PARAMS.has(key)
      ? values
          .flatMap((v) => v.split(","))
          .map((v) => v.trim())
          .filter((v) => v !== "")
      : (values[values.length - 1] ?? "");
  }
  if (episodeId !== undefined) json.episode_id = episodeId;
  if (lastEventId !== null && lastEventId.trim() !== "") {
    if (!/^\d{1,10}$/.test(lastEventId.trim())) {
      throw new EnvError("invalid_argument", "Last-Event-ID must be a sequence number sent by this stream", [
        { field: "Last-Event-ID", rule: "header.seq", message: "expected a non-negative integer" },
      ]);
    }
    json.after_seq = lastEventId.trim();
  }
  return validated(desc, fromRestJson(desc, json));
}

/** An opened stream: its SSE frames, or none when a client resumes after the end of a finished episode. */
type Opener = (
  env: EnvironmentApi,
  query: Query,
  episodeId: string | undefined,
  lastEventId: string | null,
  options: StreamOptions,
) => Promise<AsyncIterable<SSEMessage> | undefined>;

function opener(stream: StreamName): Opener {
  if (stream === "logs") {
    return async (env, query, episodeId, lastEventId, options) => {
      const request = streamRequest(StreamLogsRequestSchema, episodeId, query, lastEventId);
      if (await env.streamIsOver(request.episodeId, stream, request.afterSeq)) return undefined;
      const messages = await env.streamLogs(request, options);
      return (async function* () {
        for await (const m of messages) {
          if (m.gap) yield { id: String(m.gap.lastMissingSeq), event: "gap", data: toRestJson(StreamGapSchema, m.gap) };
          else if (m.entry) yield { id: String(m.entry.seq), event: "log", data: toRestJson(LogEntrySchema, m.entry) };
        }
      })();
    };
  }
  return async (env, query, episodeId, lastEventId, options) => {
    const request = streamRequest(StreamEpisodeEventsRequestSchema, episodeId, query, lastEventId);
    if (await env.streamIsOver(request.episodeId, stream, request.afterSeq)) return undefined;
    const messages = await env.streamEpisodeEvents(request, options);
    return (async function* () {
      for await (const m of messages) {
        const event = m.event;
        if (event?.kind.case !== undefined)
          yield { id: String(event.seq), event: event.kind.case, data: toRestJson(EpisodeEventSchema, event) };
      }
    })();
  };
}

async function serve(
  open: Opener,
  env: EnvironmentApi,
  request: FastifyRequest<{ Params: { episode_id?: string }; Querystring: Query }>,
  reply: FastifyReply,
  drain: AbortSignal | undefined,
): Promise<void> {
  const sse = reply.sse;
  const abort = new AbortController();
  const untilEnd = untilDrained(abort.signal, drain);
  let lastSeq: number | undefined;
  // Checks first (bad filter 400, unknown episode 404, too many streams 429): nothing is sent yet.
  const frames = await open(env, request.query, request.params.episode_id, sse.lastEventId, {
    signal: untilEnd.signal,
    onStall: () => dropConnection(request.raw),
    onEnd: (seq) => {
      lastSeq = seq;
    },
  }).catch((error: unknown) => {
    untilEnd.release();
    throw error;
  });
  if (frames === undefined) {
    untilEnd.release();
    // The episode is over and this client has seen all of it: 204 stops EventSource reconnecting.
    await reply.code(204).send();
    return;
  }
  const closed = new Promise<void>((resolve) =>
    sse.onClose(() => {
      abort.abort();
      resolve();
    }),
  );
  sse.sendHeaders(200);
  async function* withEnd(stream: AsyncIterable<SSEMessage>): AsyncGenerator<SSEMessage> {
    yield { data: undefined, retry: SSE_RETRY_MS };
    let sent: string | undefined;
    for await (const frame of stream) {
      yield frame;
      sent = frame.id ?? sent;
    }
    if (lastSeq !== undefined) yield { id: String(lastSeq), event: "end", data: { last_seq: lastSeq } };
    else if (drain?.aborted && !abort.signal.aborted) {
      yield sent === undefined
        ? { event: "end", data: { reason: SSE_DRAIN_REASON } }
        : { id: sent, event: "end", data: { reason: SSE_DRAIN_REASON, last_seq: Number(sent) } };
    }
  }
  try {
    // A client that goes away while a write waits for its buffer to drain may never settle the
    // send; the close event ends the handler either way (and the abort frees the stream's slot).
    await Promise.race([sse.send(withEnd(frames)), closed]);
  } catch (error) {
    // Headers are out: the stream can only end. The client resumes with Last-Event-ID.
    request.log.error({ err: error }, "SSE stream failed");
  } finally {
    abort.abort();
    untilEnd.release();
  }
}

/** Registers the SSE routes (a fastify plugin: @fastify/sse applies only inside it). */
export async function sseRoutes(
  app: FastifyInstance,
  { env, environmentFor, drain }: { env: EnvironmentApi; environmentFor: EnvironmentFor; drain?: AbortSignal },
): Promise<void> {
  await app.register(fastifySSE, { heartbeatInterval: env.streamLimits.sseHeartbeatMs });
  for (const stream of ["logs", "events"] as const) {
    const open = opener(stream);
    app.get<{ Params: { episode_id?: string }; Querystring: Query }>(
      `/episodes/:episode_id/${stream}`,
      { sse: "manual" },
      (request, reply) => serve(open, environmentFor(request), request, reply, drain),
    );
  }
}
