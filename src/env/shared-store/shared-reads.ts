/**
 * Lets reads of one episode that wait for the same turn share one store round trip.
 *
 * A replica reads an episode one request at a time (KeyedLock), and every read asks the store
 * first, since another replica may have moved the episode. Many callers watching one episode
 * (a console, a dashboard, a trainer polling GET /state) would then queue behind each other, one
 * round trip each. Instead, a read that arrives while another read of the same episode is still
 * waiting for its turn joins it: both get the answer of that one read.
 *
 * This never answers from the past: a read that has not started yet asks the store after every
 * read that joined it arrived, so each gets a state at least as new as the store's when it was
 * asked. Once a read has started (called `started`), later arrivals wait for the next one.
 */
import type { KeyedLock } from "./keyed-lock.js";

export class SharedReads<T> {
  private readonly waiting = new Map<string, { answer?: Promise<T> }>();

  /** Runs `read`, or joins the read of `key` that has not started yet. `read` calls `started()` as it begins. */
  run(key: string, read: (started: () => void) => Promise<T>): Promise<T> {
    const joined = this.waiting.get(key)?.answer;
    if (joined !== undefined) return joined;
    const entry: { answer?: Promise<T> } = {};
    this.waiting.set(key, entry);
    entry.answer = read(() => {
      if (this.waiting.get(key) === entry) this.waiting.delete(key);
    });
    // A read that failed before it started (no turn given) must not stay joinable.
    entry.answer
      .catch(() => {})
      .finally(() => {
        if (this.waiting.get(key) === entry) this.waiting.delete(key);
      });
    return entry.answer;
  }

  /**
   * GET /state's use: `read` runs in the episode's turn on `lock` (key `lockKey`), and reads that
   * arrive while it waits for that turn share it. Reads of the default episode share only with
   * each other: they and named reads differ in their not-found message.
   */
  inTurn(lock: KeyedLock, lockKey: string, named: boolean, read: () => Promise<T>): Promise<T> {
    return this.run(`${named ? "named" : "default"}:${lockKey}`, (started) =>
      lock.run(lockKey, () => {
        started();
        return read();
      }),
    );
  }

  /** Reads waiting for their turn (for tests). */
  get size(): number {
    return this.waiting.size;
  }
}
