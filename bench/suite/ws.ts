/** The OpenEnv WebSocket (/ws): ACTORS sessions, each playing the episode mix; steps per second. */
import WebSocket from "ws";
import { closedLoop, type ActorContext, type LoopFigures } from "./actors.js";
import { ACTORS, STEPS_PER_EPISODE, freshSeed, targetOf } from "./episode-mix.js";

interface WsReply {
  type: string;
  data?: { observation?: { topology?: { services?: { name?: string }[] } }; message?: string };
}

/** One socket, one request at a time: `call` sends a message and resolves with the reply. */
class WsSession {
  private readonly replies: ((reply: WsReply) => void)[] = [];
  private constructor(private readonly socket: WebSocket) {
    socket.on("message", (data: WebSocket.RawData) => {
      const next = this.replies.shift();
      next?.(JSON.parse(data.toString()) as WsReply);
    });
  }

  static open(url: string): Promise<WsSession> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      socket.once("open", () => resolve(new WsSession(socket)));
      socket.once("error", reject);
    });
  }

  call(message: unknown): Promise<WsReply> {
    return new Promise((resolve, reject) => {
      if (this.socket.readyState !== WebSocket.OPEN) {
        reject(new Error("the socket is closed"));
        return;
      }
      this.replies.push((reply) =>
        reply.type === "error" ? reject(new Error(`ws error: ${reply.data?.message ?? "?"}`)) : resolve(reply),
      );
      this.socket.send(JSON.stringify(message));
    });
  }

  get open(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  close(): void {
    this.socket.close();
  }
}

export async function measureWs(baseUrl: string, spec: { durationS: number; warmupS: number }): Promise<LoopFigures> {
  const url = `${baseUrl.replace(/^http/, "ws")}/ws`;
  const prefix = `ws-${Date.now()}`;
  const sessions = new Map<number, WsSession>();
  try {
    return await closedLoop({ actors: ACTORS, ...spec }, async (ctx: ActorContext) => {
      let session = sessions.get(ctx.actor);
      if (!session?.open) {
        session = await WsSession.open(url);
        sessions.set(ctx.actor, session);
      }
      const id = `${prefix}-${ctx.actor}`;
      const reset = await session.call({ type: "reset", data: { task_level: "medium", seed: freshSeed(), episode_id: id } });
      const services = (reset.data?.observation?.topology?.services ?? []).map((s) => s.name ?? "");
      for (let i = 0; i < STEPS_PER_EPISODE && ctx.running(); i++) {
        await session.call({ type: "step", data: { action_type: "inspect", target_service: targetOf(services, i), reasoning: "looking" } });
        ctx.done(1);
      }
    });
  } finally {
    for (const session of sessions.values()) session.close();
  }
}
