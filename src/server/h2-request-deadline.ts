/**
 * REQUEST_TIMEOUT_SECONDS for HTTP/2 streams. Node bounds the arrival of an HTTP/1.1 request
 * itself (`requestTimeout`), but has no such bound for HTTP/2: a stream whose body trickles in,
 * or whose client stopped sending halfway, would be held for as long as the session lives.
 *
 * - A request arrives whole when the client ends its side of the stream (END_STREAM). Every
 *   stream that has not after the timeout is reset (RST_STREAM CANCEL); its session goes on.
 *   A stream whose request has arrived is never cut here, however long its answer runs.
 * - A client-streaming or bidirectional call (Interact) ends its side only when the session ends,
 *   so there the bound applies to each message of the call (gRPC, gRPC-Web and Connect frame
 *   every message as a 5-byte envelope, a flags byte and a length): once a message's first byte
 *   has been read, the rest of it must arrive within the timeout. Time between messages is not
 *   bounded: an agent may think for as long as it likes.
 *
 * One interval checks every watched stream, and runs only while some stream is watched.
 */
import http2 from "node:http2";

/** The envelope of a message on a gRPC, gRPC-Web or Connect stream: flags (1 byte) and length (4 bytes). */
const ENVELOPE_HEADER_BYTES = 5;

/** Follows the envelopes of a message stream, byte by byte, to tell whether a message is half arrived. */
export class EnvelopeProgress {
  /** Header bytes of the current message seen so far (0 between messages). */
  private headerSeen = 0;
  private readonly length = Buffer.alloc(4);
  /** Body bytes of the current message still to come. */
  private remaining = 0;

  /** True while a message has begun and not fully arrived. */
  get midMessage(): boolean {
    return this.headerSeen > 0 || this.remaining > 0;
  }

  /** Takes the next bytes of the stream; returns how many messages they completed. */
  feed(chunk: Uint8Array): number {
    let completed = 0;
    let i = 0;
    while (i < chunk.length) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, chunk.length - i);
        this.remaining -= take;
        i += take;
        if (this.remaining === 0) completed++;
        continue;
      }
      // A header byte: byte 0 is the flags, bytes 1 to 4 the body's length (big-endian).
      if (this.headerSeen > 0) this.length[this.headerSeen - 1] = chunk[i] ?? 0;
      this.headerSeen++;
      i++;
      if (this.headerSeen === ENVELOPE_HEADER_BYTES) {
        this.headerSeen = 0;
        this.remaining = this.length.readUInt32BE(0);
        if (this.remaining === 0) completed++;
      }
    }
    return completed;
  }
}

interface Watched {
  stream: http2.ServerHttp2Stream;
  /** When the part now arriving must be complete (undefined: nothing is half arrived). */
  deadline: number | undefined;
  /** For message streams: where the current message is. */
  progress: EnvelopeProgress | undefined;
}

export class H2RequestDeadline {
  private readonly watched = new Set<Watched>();
  private timer: NodeJS.Timeout | undefined;
  private readonly checkEveryMs: number;

  /**
   * @param timeoutMs REQUEST_TIMEOUT_SECONDS in milliseconds
   * @param isMessageStream whether the request at this path is a stream of messages (a
   *   client-streaming or bidirectional RPC), bounded message by message
   */
  constructor(
    private readonly timeoutMs: number,
    private readonly isMessageStream: (path: string) => boolean,
  ) {
    this.checkEveryMs = Math.max(50, Math.min(1000, Math.floor(timeoutMs / 4)));
  }

  /** Streams watched now (tests). */
  get size(): number {
    return this.watched.size;
  }

  /** Watches a new stream until its request has arrived (or, for a message stream, until it closes). */
  watch(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders): void {
    if (stream.endAfterHeaders || stream.destroyed) return; // nothing more to arrive
    const path = headers[":path"] ?? "";
    const messages = this.isMessageStream(path.split("?")[0] ?? path);
    const entry: Watched = {
      stream,
      deadline: messages ? undefined : Date.now() + this.timeoutMs,
      progress: messages ? new EnvelopeProgress() : undefined,
    };
    this.watched.add(entry);
    stream.once("close", () => this.unwatch(entry));
    if (entry.progress) this.followMessages(entry, entry.progress);
    this.startTimer();
  }

  /**
   * Sees each chunk of a message stream as the handler reads it. The handler of a streaming call
   * reads whenever it waits for the next message, so a message that stops halfway is seen as
   * such; one sent while the handler serves the previous one is seen when it reads again. The
   * listener is added when the handler starts reading (the stream's first 'resume'): a 'data'
   * listener added earlier would set the stream flowing before the handler listens, and lose it
   * the first chunks.
   */
  private followMessages(entry: Watched, progress: EnvelopeProgress): void {
    const stream = entry.stream;
    stream.once("resume", () =>
      stream.on("data", (chunk: unknown) => {
        if (!(chunk instanceof Uint8Array)) return;
        const wasMid = progress.midMessage;
        const completed = progress.feed(chunk);
        if (!progress.midMessage) entry.deadline = undefined;
        else if (!wasMid || completed > 0) entry.deadline = Date.now() + this.timeoutMs; // a new message began
      }),
    );
    stream.once("end", () => this.unwatch(entry)); // the client ended its side: nothing more to arrive
  }

  private unwatch(entry: Watched): void {
    if (!this.watched.delete(entry)) return;
    if (this.watched.size === 0) this.stopTimer();
  }

  private startTimer(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.check(), this.checkEveryMs);
    this.timer.unref();
  }

  private stopTimer(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Resets every stream whose request (or current message) is overdue. */
  check(now = Date.now()): void {
    for (const entry of [...this.watched]) {
      const { stream } = entry;
      if (stream.destroyed || (entry.progress === undefined && stream.state.remoteClose === 1)) {
        this.unwatch(entry); // arrived whole (or gone)
        continue;
      }
      if (entry.deadline !== undefined && now >= entry.deadline) {
        this.unwatch(entry);
        stream.close(http2.constants.NGHTTP2_CANCEL);
      }
    }
  }

  stop(): void {
    this.watched.clear();
    this.stopTimer();
  }
}
