/**
 * Wall-clock time and timers, injected so that tests can run the live clock, idle eviction and
 * the stall watchdog on a fake clock (test/support/fake-clock.ts).
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /**
   * Calls `callback` every `intervalMs` milliseconds until the returned function is called.
   * The timer never keeps the process alive.
   */
  every(intervalMs: number, callback: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  every(intervalMs, callback) {
    const timer = setInterval(callback, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  },
};
