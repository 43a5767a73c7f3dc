/**
 * The OpenEnv WebSocket protocol on /ws (what OpenEnv's Python EnvClient speaks), on the one port
 * through the HTTP/1.1 upgrade (@fastify/websocket).
 *
 * One connection is one session with at most one episode at a time. Text frames, one JSON object
 * each, one reply per request in order (none for close):
 *
 *   → {"type": "reset", "data": {...ResetRequest, REST dialect; optional}}
 *   ← {"type": "observation", "data": {"observation": {...}, "reward": null, "done": false}}
 *   → {"type": "step", "data": {...bare Action, REST dialect; "metadata" accepted}}
 *   ← {"type": "observation", "data": {"observation": {...}, "reward": 0.25, "done": false}}
 *   → {"type": "state"}
 *   ← {"type": "state", "data": {...EpisodeState, REST dialect, incl. episode_id and step_count}}
 *   → {"type": "mcp", "data": {JSON-RPC 2.0 request}}     (src/server/mcp.ts, on this session's episode)
 *   ← {"type": "mcp", "data": {JSON-RPC 2.0 response}}
 *   → {"type": "close"}                                     (no reply; the server closes the socket)
 *   ← {"type": "error", "data": {"message": "...", "code": "VALIDATION_ERROR", "errors": [...]}}
 *
 * Error codes: INVALID_JSON (not JSON), UNKNOWN_TYPE (type missing or unknown), VALIDATION_ERROR
 * (a message or payload of the wrong shape, an unknown enum word or field, a broken proto rule;
 * `errors` lists {field, rule, message}), EXECUTION_ERROR (the environment refused: step before
 * reset or after the episode ended, no free episode slot), CAPACITY_REACHED (WS_MAX_SESSIONS
 * sessions are open; sent right after the upgrade with active_sessions and max_sessions, then the
 * socket closes with 1013). Per-message errors keep the socket open.
 *
 * Episodes: a reset names its episode by data.episode_id, or the server names it "ws-<uuid>";
 * either way it is a normal episode of the store, visible to GetState, StreamLogs and SSE by that
 * id. A reset with another id while the previous episode still runs closes the previous one. When
 * the connection ends (close message or disconnect) a still-running episode is closed (status
 * closed, its streams end, its slot frees); a finished one stays readable until idle eviction.
 *
 * Liveness: WebSocket pings are answered (pong) by the ws library; the server also pings every
 * WS_PING_INTERVAL_SECONDS and drops a client that did not answer the previous ping. A message
 * over WS_MAX_MESSAGE_BYTES closes the socket with 1009, a malformed frame (a reserved opcode, a
 * text frame that is not UTF-8) with 1002 or 1007; either is logged once, at warn, without a stack
 * trace, and such lines are rate-limited for the whole process (src/server/ws-errors.ts).
 *
 * Drain (SIGTERM, src/server/drain.ts): each session answers the messages it had received, then
 * closes with 1001 (going away) and closes its episode as on any disconnect; a message that
 * arrives after the drain began is not applied (the close frame is its answer).
 */
import { create, type JsonObject, type JsonValue } from "@bufbuild/protobuf";
import fastifyWebsocket from "@fastify/websocket";
import type { FastifyInstance } from "fastify";
import { randomUUID } from "node:crypto";
import type { RawData, WebSocket } from "ws";
import { ActionSchema } from "../../gen/incident/v1/action_pb.js";
import { EpisodeStateSchema } from "../../gen/incident/v1/episode_pb.js";
import {
  CloseEpisodeRequestSchema,
  GetStateRequestSchema,
  ResetRequestSchema,
  StepRequestSchema,
  type ResetRequest,
  type StepRequest,
} from "../../gen/incident/v1/service_pb.js";
import { canPreEncode, type EnvironmentApi } from "../env/api.js";
import { EnvError } from "../env/errors.js";
import type { EnvironmentFor } from "./callers.js";
import { errorBody } from "./errors.js";
import { WS_CLOSE_GOING_AWAY } from "./drain.js";
import type { McpHandler, McpSession } from "./mcp.js";
import { openEnvObservationText } from "../json/openenv-observation.js";
import { fromRestJson, toRestJson } from "../json/rest-json.js";
import { RESET_JSON_OPTIONS } from "./rest-routes.js";
import { validated } from "../json/validation.js";
import { wsErrorHandler } from "./ws-errors.js";

type WsErrorCode = "INVALID_JSON" | "UNKNOWN_TYPE" | "VALIDATION_ERROR" | "EXECUTION_ERROR" | "CAPACITY_REACHED";

/** WebSocket close code for "try again later" (RFC 6455 registry), sent with CAPACITY_REACHED. */
const WS_CLOSE_TRY_AGAIN_LATER = 1013;

/** A drain waits this long for a client to answer its going-away close frame, then drops the socket. */
const DRAIN_CLOSE_HANDSHAKE_MS = 2000;

/** What /ws needs of the server's drain (src/server/drain.ts). */
interface WsDrain {
  readonly signal: AbortSignal;
  /** Keeps the drain waiting until the returned function is called. */
  hold(): () => void;
}

const MESSAGE_TYPES = ["reset", "step", "state", "close", "mcp"] as const;

class WsError extends Error {
  constructor(
    readonly code: WsErrorCode,
    message: string,
    readonly extra: JsonObject = {},
  ) {
    super(message);
  }
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function envelopeError(message: string, field: string, rule: string): WsError {
  return new WsError("VALIDATION_ERROR", message, { errors: [{ field, rule, message }] });
}

/** An EnvError as the protocol's error: bad input is VALIDATION_ERROR, anything else EXECUTION_ERROR. */
function fromEnvError(error: EnvError): WsError {
  if (error.kind === "invalid_argument") {
    return new WsError("VALIDATION_ERROR", error.message, {
      errors: error.violations.map((v) => ({ field: v.field, rule: v.rule, message: v.message })),
    });
  }
  return new WsError("EXECUTION_ERROR", error.message);
}

/** One connection's session: its episode and the handling of its messages. */
class WsSession {
  /** Shared with MCP messages on this connection, so that an MCP reset is this session's episode. */
  readonly mcpSession: McpSession;

  /** @param env the environment as this connection's caller sees it (src/server/callers.ts) */
  constructor(
    private readonly env: EnvironmentApi,
    private readonly mcp: McpHandler,
    private readonly socket: WebSocket,
  ) {
    this.mcpSession = { env, episodeId: undefined, newEpisodeId: () => `ws-${randomUUID()}` };
  }

  private get episodeId(): string | undefined {
    return this.mcpSession.episodeId;
  }

  send(type: string, data: JsonValue): void {
    this.sendText(JSON.stringify({ type, data }));
  }

  sendError(error: WsError): void {
    this.send("error", { message: error.message, code: error.code, ...error.extra });
  }

  /** Messages are handled one at a time, in arrival order, so replies come in request order. */
  private pending: Promise<void> = Promise.resolve();
  /** Set by a drain: messages from now on are not applied. */
  private draining = false;

  onMessage(raw: RawData): void {
    if (this.draining) return;
    this.pending = this.pending.then(() => this.handle(raw));
  }

  /**
   * Closes the episode (if it still runs) once the messages before the disconnect are handled;
   * the returned promise settles when that is done.
   */
  onClose(): Promise<void> {
    this.pending = this.pending.then(() => this.end());
    return this.pending;
  }

  /** The drain: answers the messages already received, then closes the socket with 1001 (going away). */
  drain(): void {
    this.draining = true;
    this.pending = this.pending.then(() => {
      this.socket.close(WS_CLOSE_GOING_AWAY, "the server is draining (shutting down)");
      setTimeout(() => this.socket.terminate(), DRAIN_CLOSE_HANDSHAKE_MS).unref();
    });
  }

  private async handle(raw: RawData): Promise<void> {
    try {
      await this.dispatch(this.parse(raw));
    } catch (error) {
      if (error instanceof WsError) this.sendError(error);
      else if (error instanceof EnvError) this.sendError(fromEnvError(error));
      else {
        console.error("WebSocket message failed", error);
        this.sendError(new WsError("EXECUTION_ERROR", "internal error; see the server log"));
      }
    }
  }

  /** Closes the episode if it still runs (the connection is its session). */
  private async end(id = this.episodeId): Promise<void> {
    if (id === undefined) return;
    try {
      const state = (await this.env.getState(create(GetStateRequestSchema, { episodeId: id }))).state;
      if (state && !state.done) await this.env.closeEpisode(create(CloseEpisodeRequestSchema, { episodeId: id }));
    } catch {
      // already closed, replaced or evicted
    }
  }

  private parse(raw: RawData): JsonObject {
    const text = Array.isArray(raw) ? Buffer.concat(raw).toString("utf8") : Buffer.from(raw as ArrayBuffer).toString("utf8");
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch (e) {
      throw new WsError("INVALID_JSON", `invalid JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!isObject(message)) throw envelopeError('a message must be a JSON object like {"type": "step", "data": {...}}', "", "type.object");
    return message;
  }

  private async dispatch(message: JsonObject): Promise<void> {
    const type = message.type;
    switch (type) {
      case "reset":
        return this.reset(message.data);
      case "step":
        return this.step(message.data);
      case "state":
        return this.state();
      case "mcp":
        return this.mcpMessage(message.data);
      case "close":
        this.socket.close(1000, "closed by the client");
        return;
      default:
        throw new WsError(
          "UNKNOWN_TYPE",
          `unknown message type ${JSON.stringify(type ?? null)}; expected one of ${MESSAGE_TYPES.join(", ")}`,
        );
    }
  }

  /** Sends a message already written as JSON text, or as its UTF-8 bytes, in a text frame (dropped once the socket is no longer open). */
  private sendText(text: string | Uint8Array): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(text, { binary: false });
  }

  private async reset(data: JsonValue | undefined): Promise<void> {
    if (data !== undefined && data !== null && !isObject(data))
      throw envelopeError("reset data must be a JSON object (or left out)", "data", "type.object");
    const request = validated(ResetRequestSchema, fromRestJson(ResetRequestSchema, data ?? {}, RESET_JSON_OPTIONS));
    const previous = this.episodeId;
    const episodeId = (request.episodeId ??= `ws-${randomUUID()}`);
    const text = await this.resetText(request); // a refused reset changes nothing
    if (previous !== undefined && previous !== episodeId) await this.end(previous);
    this.mcpSession.episodeId = episodeId;
    this.sendText(text);
  }

  private async step(data: JsonValue | undefined): Promise<void> {
    if (!isObject(data))
      throw envelopeError(
        'step needs "data": the action as a JSON object, e.g. {"action_type": "inspect", "target_service": "..."}',
        "data",
        "required",
      );
    // The protocol sends the bare action; an {"action": {...}} wrapper is accepted too.
    const action = isObject(data.action) && !("action_type" in data) ? data.action : data;
    if (this.episodeId === undefined) throw new WsError("EXECUTION_ERROR", "no episode on this connection yet: send reset first");
    const step = create(StepRequestSchema, { episodeId: this.episodeId });
    step.action = fromRestJson(ActionSchema, action);
    this.sendText(await this.stepText(validated(StepRequestSchema, step)));
  }

  // Worker threads write the observation message where the episode runs (src/json/openenv-observation.ts).
  private async resetText(request: ResetRequest): Promise<string | Uint8Array> {
    if (canPreEncode(this.env)) return this.env.resetEncoded(request, "openenv-observation-utf8");
    const response = await this.env.reset(request);
    return openEnvObservationText(response.observation, null, response.done);
  }

  private async stepText(request: StepRequest): Promise<string | Uint8Array> {
    if (canPreEncode(this.env)) return this.env.stepEncoded(request, "openenv-observation-utf8");
    const response = await this.env.step(request);
    return openEnvObservationText(response.observation, response.reward, response.done);
  }

  private async state(): Promise<void> {
    if (this.episodeId === undefined) throw new WsError("EXECUTION_ERROR", "no episode on this connection yet: send reset first");
    const state = (await this.env.getState(create(GetStateRequestSchema, { episodeId: this.episodeId }))).state;
    this.send("state", toRestJson(EpisodeStateSchema, state ?? create(EpisodeStateSchema)));
  }

  private async mcpMessage(data: JsonValue | undefined): Promise<void> {
    const { reply } = await this.mcp.handle(data ?? null, this.mcpSession);
    if (reply !== undefined) this.send("mcp", reply);
  }
}

/** Registers /ws (a fastify plugin: @fastify/websocket's hooks apply only inside it). */
export async function wsRoutes(
  app: FastifyInstance,
  { env, mcp, environmentFor, drain }: { env: EnvironmentApi; mcp: McpHandler; environmentFor: EnvironmentFor; drain?: WsDrain },
): Promise<void> {
  const limits = env.streamLimits;
  await app.register(fastifyWebsocket, { options: { maxPayload: limits.wsMaxMessageBytes }, errorHandler: wsErrorHandler() });
  const alive = new Map<WebSocket, boolean>();
  const pinger = setInterval(() => {
    for (const [socket, answered] of alive) {
      if (!answered) {
        socket.terminate();
        continue;
      }
      alive.set(socket, false);
      socket.ping();
    }
  }, limits.wsPingIntervalMs);
  pinger.unref();
  app.addHook("onClose", async () => clearInterval(pinger));
  const sessions = new Map<WebSocket, WsSession>();
  drain?.signal.addEventListener("abort", () => {
    for (const session of sessions.values()) session.drain();
  });

  const onSocket = (socket: WebSocket, caller: EnvironmentApi): void => {
    if (alive.size >= limits.wsMaxSessions) {
      const error = new WsError(
        "CAPACITY_REACHED",
        `all ${limits.wsMaxSessions} WebSocket sessions are in use (WS_MAX_SESSIONS); retry later`,
        {
          active_sessions: alive.size,
          max_sessions: limits.wsMaxSessions,
        },
      );
      socket.send(JSON.stringify({ type: "error", data: { message: error.message, code: error.code, ...error.extra } }), () =>
        socket.close(WS_CLOSE_TRY_AGAIN_LATER, "capacity reached"),
      );
      return;
    }
    const session = new WsSession(caller, mcp, socket);
    alive.set(socket, true);
    sessions.set(socket, session);
    const release = drain?.hold();
    socket.on("pong", () => {
      if (alive.has(socket)) alive.set(socket, true);
    });
    socket.on("message", (raw) => session.onMessage(raw));
    socket.on("close", () => {
      alive.delete(socket);
      sessions.delete(socket);
      void session.onClose().finally(() => release?.());
    });
    if (drain?.signal.aborted) session.drain();
  };
  app.route({
    method: "GET",
    url: "/ws",
    // A plain GET (no Upgrade: websocket) gets 426 in the common error shape.
    handler: async (_request, reply) =>
      reply
        .code(426)
        .header("upgrade", "websocket")
        .send(
          errorBody(
            "failed_precondition",
            "/ws speaks the OpenEnv WebSocket protocol: connect with a WebSocket client (Upgrade: websocket)",
          ),
        ),
    wsHandler: (socket, request) => onSocket(socket, environmentFor(request)),
  });
}
