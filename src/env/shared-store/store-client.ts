/**
 * The replica's two connections to the shared store, and typed calls of the scripts
 * (src/env/shared-store/scripts.ts).
 *
 * - Commands: one connection; concurrent calls are pipelined on it (none waits for the answer
 *   to another). ioredis's auto-pipelining stays off: it drops the command name of callBuffer.
 *   Nothing waits for the store unboundedly: a command fails at once while the connection is down
 *   (no offline queue) and after EPISODE_STORE_TIMEOUT_MS when the store does not answer; either
 *   way the request fails with `unavailable` (HTTP 503, Connect Unavailable). Commands are never
 *   resent by the client after a reconnect, and a step commit carries a token besides, so that a
 *   commit that reached the store twice would be recognised rather than applied twice.
 * - Notifications: one subscriber connection on P:notify, whatever the number of streams and
 *   episodes, which tells the replica when another one changed an episode.
 *
 * Client: ioredis (maintained by Redis, speaks to Valkey and Redis alike, typed).
 */
import { Redis, type RedisOptions } from "ioredis";
import { EnvError } from "../errors.js";
import { CLOSE, READ, RESET, STEP, SWEEP, SYNC, type StoreScript } from "./scripts.js";

/** Reconnection backoff: at most this long between attempts while the store is down. */
const MAX_RECONNECT_DELAY_MS = 2000;
/** Seconds a retired incarnation's streams stay readable for subscribers still following them. */
const RETIRED_JOURNAL_GRACE_SECONDS = 600;

type Arg = string | Buffer | number;

/** A journal entry to write: its sequence number and its protobuf encoding. */
interface NumberedBlob {
  seq: number;
  blob: Uint8Array;
}

/** What an episode's change adds to its journals, and their last numbers afterwards. */
export interface JournalWrites {
  logs: NumberedBlob[];
  events: NumberedBlob[];
  logSeq: number;
  eventSeq: number;
}

export interface JournalCaps {
  logs: number;
  events: number;
}

/** An episode as the store holds it. */
interface EpisodeInfo {
  gen: string;
  steps: number;
  done: boolean;
  logSeq: number;
  eventSeq: number;
}

/** SYNC with actions: the episode, and what a replica's copy lacks. */
interface EpisodeSync extends EpisodeInfo {
  /** "same": `actions` follow the copy's; "full": rebuild from `reset` and all `actions`. */
  basis: "same" | "full";
  reset: Buffer;
  actions: Buffer[];
}

export type CommitResult = "ok" | "missing" | "gone" | "conflict" | "over";

/** A subscriber's read of a journal. */
export interface JournalRead {
  entries: { seq: number; blob: Buffer }[];
  /** The last sequence number, when the end marker was reached. */
  endSeq: number | undefined;
  /** The incarnation no longer exists (its streams expired). */
  gone: boolean;
}

/** A change announced on the notification channel. */
export type Notice = { kind: "stepped"; id: string; gen: string; steps: number } | { kind: "removed"; id: string };

const RETRYABLE_REPLY = /^(LOADING|BUSY|READONLY|MASTERDOWN|TRYAGAIN|OOM|CLUSTERDOWN|NOAUTH|WRONGPASS|NOPERM)\b/;

/** The EnvError a failed store call becomes: unavailable when the store cannot serve, internal for a bug. */
function storeError(error: unknown): EnvError {
  if (error instanceof EnvError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const isReply = error instanceof Error && error.name === "ReplyError";
  if (isReply && !RETRYABLE_REPLY.test(message)) {
    console.error("episode store script failed", error);
    return new EnvError("internal", "internal error; see the server log");
  }
  return new EnvError("unavailable", `the episode store cannot be reached (${message}); retry later`);
}

function text(value: unknown): string {
  if (Buffer.isBuffer(value)) return value.toString("utf8");
  if (typeof value === "number" || typeof value === "string") return String(value);
  throw new EnvError("internal", "unexpected reply from the episode store");
}

function bytes(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (typeof value === "string") return Buffer.from(value, "utf8");
  throw new EnvError("internal", "unexpected reply from the episode store");
}

function list(value: unknown): unknown[] {
  if (!Array.isArray(value)) throw new EnvError("internal", "unexpected reply from the episode store");
  return value;
}

function integer(value: unknown): number {
  const n = Number(text(value));
  if (!Number.isInteger(n)) throw new EnvError("internal", "unexpected reply from the episode store");
  return n;
}

function journalArgs(entries: readonly NumberedBlob[]): Arg[] {
  const args: Arg[] = [entries.length];
  for (const e of entries) args.push(e.seq, Buffer.from(e.blob.buffer, e.blob.byteOffset, e.blob.byteLength));
  return args;
}

function info(reply: unknown[]): EpisodeInfo {
  return {
    gen: text(reply[1]),
    steps: integer(reply[2]),
    done: text(reply[3]) === "1",
    logSeq: integer(reply[4]),
    eventSeq: integer(reply[5]),
  };
}

/** Parses a notification ("s GEN STEPS ID" or "x ID"); undefined for anything else. */
function parseNotice(message: string): Notice | undefined {
  if (message.startsWith("x ")) return { kind: "removed", id: message.slice(2) };
  const match = /^s (\d+) (\d+) (.+)$/s.exec(message);
  if (!match || match[1] === undefined || match[2] === undefined || match[3] === undefined) return undefined;
  return { kind: "stepped", gen: match[1], steps: Number(match[2]), id: match[3] };
}

interface StoreClientOptions {
  url: string;
  prefix: string;
  timeoutMs: number;
  /** Called for every change any replica announces. */
  onNotice: (notice: Notice) => void;
  /** Called when the notification connection is (re)established: changes may have been missed. */
  onResubscribed: () => void;
}

export class StoreClient {
  private readonly commands: Redis;
  private readonly subscriber: Redis;
  private readonly prefix: string;
  private readonly channel: string;
  private reportedDown = false;

  /** Creates the connections; connect() opens them. */
  constructor(private readonly options: StoreClientOptions) {
    this.prefix = options.prefix;
    this.channel = `${options.prefix}:notify`;
    const common: RedisOptions = {
      // RESP2: the reply shapes every Valkey and Redis version gives alike.
      protocol: 2,
      connectTimeout: options.timeoutMs,
      retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 6), MAX_RECONNECT_DELAY_MS),
      lazyConnect: true,
    };
    this.commands = new Redis(options.url, {
      ...common,
      connectionName: "incident-env",
      commandTimeout: options.timeoutMs,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
    });
    this.subscriber = new Redis(options.url, {
      ...common,
      connectionName: "incident-env-notify",
      autoResubscribe: true,
      maxRetriesPerRequest: null,
    });
    for (const connection of [this.commands, this.subscriber]) {
      connection.on("error", (error: Error) => this.reportDown(error));
      connection.on("ready", () => {
        if (this.reportedDown) console.info(`episode store ${redacted(options.url)} reachable again`);
        this.reportedDown = false;
      });
    }
    this.subscriber.on("message", (_channel: string, message: string) => {
      const notice = parseNotice(message);
      if (notice) options.onNotice(notice);
    });
    // After a reconnection the channel was unheard for a while.
    this.subscriber.on("ready", () => options.onResubscribed());
  }

  /**
   * Opens both connections, waiting at most the timeout: a store that is down at start does not
   * stop the server, which answers `unavailable` until the store is back.
   */
  async connect(): Promise<void> {
    const connected = Promise.all([this.commands.connect(), this.subscriber.connect().then(() => this.subscriber.subscribe(this.channel))]);
    const timeout = new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), this.options.timeoutMs).unref());
    const outcome = await Promise.race([
      connected.then(
        () => "ready" as const,
        (error: unknown) => error,
      ),
      timeout,
    ]);
    if (outcome !== "ready") {
      this.reportDown(outcome instanceof Error ? outcome : new Error("connection timed out"));
      // ioredis keeps reconnecting; the subscription is made once the connection is there.
      this.subscriber.once("ready", () => void this.subscriber.subscribe(this.channel).catch(() => {}));
    }
  }

  private reportDown(error: Error): void {
    if (this.reportedDown) return;
    this.reportedDown = true;
    console.error(
      `episode store ${redacted(this.options.url)} unreachable: ${error.message}; requests fail with unavailable until it is back`,
    );
  }

  private async eval(script: StoreScript, args: readonly Arg[]): Promise<unknown> {
    const argv: Arg[] = [this.prefix, ...args];
    try {
      try {
        return await this.commands.callBuffer("EVALSHA", script.sha, 0, ...argv);
      } catch (error) {
        if (!(error instanceof Error && error.message.startsWith("NOSCRIPT"))) throw error;
        return await this.commands.callBuffer("EVAL", script.lua, 0, ...argv);
      }
    } catch (error) {
      throw storeError(error);
    }
  }

  private async run(script: StoreScript, args: readonly Arg[]): Promise<unknown[]> {
    return list(await this.eval(script, args));
  }

  async reset(
    id: string,
    reset: Uint8Array,
    makeDefault: boolean,
    capacity: { maxLive: number; idleTtlMs: number },
    writes: JournalWrites,
    caps: JournalCaps,
  ): Promise<{ gen: string } | "exhausted"> {
    const reply = await this.run(RESET, [
      id,
      Buffer.from(reset),
      makeDefault ? "1" : "0",
      capacity.maxLive,
      capacity.idleTtlMs,
      RETIRED_JOURNAL_GRACE_SECONDS,
      writes.logSeq,
      writes.eventSeq,
      caps.logs,
      caps.events,
      ...journalArgs(writes.logs),
      ...journalArgs(writes.events),
    ]);
    return text(reply[0]) === "ok" ? { gen: text(reply[1]) } : "exhausted";
  }

  async commitStep(
    id: string,
    gen: string,
    expectedSteps: number,
    token: string,
    action: Uint8Array,
    done: boolean,
    writes: JournalWrites,
    caps: JournalCaps,
  ): Promise<CommitResult> {
    const reply = await this.run(STEP, [
      id,
      gen,
      expectedSteps,
      token,
      Buffer.from(action),
      done ? "1" : "0",
      writes.logSeq,
      writes.eventSeq,
      caps.logs,
      caps.events,
      ...journalArgs(writes.logs),
      ...journalArgs(writes.events),
    ]);
    return text(reply[0]) as CommitResult;
  }

  async close(id: string, gen: string, expectedSteps: number, writes: JournalWrites, caps: JournalCaps): Promise<CommitResult> {
    const reply = await this.run(CLOSE, [
      id,
      gen,
      expectedSteps,
      RETIRED_JOURNAL_GRACE_SECONDS,
      writes.logSeq,
      writes.eventSeq,
      caps.logs,
      caps.events,
      ...journalArgs(writes.logs),
      ...journalArgs(writes.events),
    ]);
    return text(reply[0]) as CommitResult;
  }

  /** The episode's state in the store, touching it; undefined when it does not exist. */
  async info(id: string): Promise<EpisodeInfo | undefined> {
    const reply = await this.run(SYNC, [id, "", 0, "1", "0"]);
    return text(reply[0]) === "ok" ? info(reply) : undefined;
  }

  /** What a copy of incarnation `gen` with `steps` steps lacks (everything when gen is undefined). */
  async sync(id: string, gen: string | undefined, steps: number, touch: boolean): Promise<EpisodeSync | undefined> {
    const reply = await this.run(SYNC, [id, gen ?? "", steps, touch ? "1" : "0", "1"]);
    if (text(reply[0]) !== "ok") return undefined;
    return {
      ...info(reply),
      basis: text(reply[6]) === "same" ? "same" : "full",
      reset: bytes(reply[7]),
      actions: reply.slice(8).map(bytes),
    };
  }

  async read(id: string, gen: string, name: "logs" | "events", afterSeq: number, count: number): Promise<JournalRead> {
    const reply = await this.run(READ, [id, gen, name, afterSeq, count]);
    const status = text(reply[0]);
    if (status === "gone") return { entries: [], endSeq: undefined, gone: true };
    if (status === "end") return { entries: [], endSeq: Number(text(reply[1]).split("-")[0]), gone: false };
    const entries: { seq: number; blob: Buffer }[] = [];
    for (let i = 1; i + 1 < reply.length; i += 2) {
      const [seq, sub] = text(reply[i]).split("-");
      if (sub === "1") return { entries, endSeq: Number(seq), gone: false };
      entries.push({ seq: Number(seq), blob: bytes(reply[i + 1]) });
    }
    return { entries, endSeq: undefined, gone: false };
  }

  async sweep(idleTtlMs: number): Promise<number> {
    return integer(await this.eval(SWEEP, [idleTtlMs, RETIRED_JOURNAL_GRACE_SECONDS]));
  }

  async liveEpisodes(): Promise<number> {
    try {
      return await this.commands.zcard(`${this.prefix}:live`);
    } catch (error) {
      throw storeError(error);
    }
  }

  /** Every live episode's id with its last use (store time, ms), the most recently used first. */
  async recentEpisodes(): Promise<{ id: string; lastUsedMs: number }[]> {
    try {
      const flat = await this.commands.zrevrange(`${this.prefix}:live`, 0, -1, "WITHSCORES");
      const out: { id: string; lastUsedMs: number }[] = [];
      for (let i = 0; i + 1 < flat.length; i += 2) out.push({ id: String(flat[i]), lastUsedMs: Number(flat[i + 1]) });
      return out;
    } catch (error) {
      throw storeError(error);
    }
  }

  /** The default episode's id, if there is one. */
  async defaultEpisode(): Promise<string | undefined> {
    try {
      return (await this.commands.get(`${this.prefix}:default`)) ?? undefined;
    } catch (error) {
      throw storeError(error);
    }
  }

  async quit(): Promise<void> {
    // No QUIT round trip: a store that is down must not hold up shutdown.
    for (const connection of [this.commands, this.subscriber]) connection.disconnect();
  }
}

/** The URL without its password, for logs. */
function redacted(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== "") u.password = "***";
    return u.toString();
  } catch {
    return "(bad url)";
  }
}
