/**
 * Closes HTTP/2 sessions that have had no open stream for `idleMs` (GOAWAY, then the socket
 * closes), as gRPC servers do with MAX_CONNECTION_IDLE: a client that keeps its connection for
 * later reconnects when it needs it. A session with a stream open (a long log stream, an Interact
 * session) is never idle, and pings do not count as use.
 *
 * Why not `session.setTimeout`: Node keeps a session's own timer pending after the session is
 * destroyed (setTimeout is a no-op on a destroyed session), and the timer holds the whole session
 * (a few KiB) until it fires: one per connection that ever came, for the timeout's length. One
 * interval here serves every session and forgets a session when it closes.
 */
import type http2 from "node:http2";

export class H2IdleSessions {
  /** Open streams of each session. */
  private readonly open = new Map<http2.ServerHttp2Session, number>();
  /** Sessions with no open stream, and since when. */
  private readonly idleSince = new Map<http2.ServerHttp2Session, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly idleMs: number) {}

  add(session: http2.ServerHttp2Session): void {
    this.open.set(session, 0);
    this.idleSince.set(session, Date.now());
    session.once("close", () => {
      this.open.delete(session);
      this.idleSince.delete(session);
      if (this.open.size === 0) this.stopTimer();
    });
    this.startTimer();
  }

  /** A new stream on one of the sessions: busy until it closes. */
  stream(stream: http2.ServerHttp2Stream): void {
    const session = stream.session as http2.ServerHttp2Session | undefined;
    if (!session) return;
    const count = this.open.get(session);
    if (count === undefined) return;
    this.open.set(session, count + 1);
    this.idleSince.delete(session);
    stream.once("close", () => {
      const left = (this.open.get(session) ?? 1) - 1;
      if (!this.open.has(session)) return;
      this.open.set(session, left);
      if (left === 0) this.idleSince.set(session, Date.now());
    });
  }

  private startTimer(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.check(), Math.max(50, Math.min(5000, Math.floor(this.idleMs / 4))));
    this.timer.unref();
  }

  private stopTimer(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  check(now = Date.now()): void {
    for (const [session, since] of this.idleSince) if (now - since >= this.idleMs) session.close();
  }

  stop(): void {
    this.stopTimer();
  }
}
