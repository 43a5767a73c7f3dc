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

/** While a stream follows a live episode, its timer checks the wall clock at least this often. */
const LIVE_TICK_MIN_MS = 100;

/**
 * An episode's live clock: its world advances by whole simulated minutes as wall-clock time
 * passes, at `minutesPerSecond`, until `maxMinutes` (its natural end). It runs lazily: the
 * episode asks for the minutes due whenever someone looks (catch-up), and a timer runs only while
 * a stream follows the episode (watch), so an episode nobody looks at costs no CPU.
 */
export class LiveClock {
  /** Wall-clock time up to which simulated minutes have been run. */
  private anchorMs: number;
  /** Streams following the episode (watch); the timer runs only while there are some. */
  private watchers = 0;
  /** Stops the timer; undefined while none runs. */
  private stopTimer: (() => void) | undefined;

  constructor(
    readonly minutesPerSecond: number,
    private readonly clock: Clock,
    /** The natural end: the episode ends when its world reaches this minute. */
    readonly maxMinutes: number,
  ) {
    // No timer yet: minutes run when someone looks, or on a timer while a stream follows.
    this.anchorMs = clock.now();
  }

  /** Whole simulated minutes that wall-clock time has made due since the last catch-up. */
  minutesDue(): number {
    return Math.floor(((this.clock.now() - this.anchorMs) / 1000) * this.minutesPerSecond);
  }

  /** Marks `minutes` (those due) as run: the next minutesDue counts from there. */
  consume(minutes: number): void {
    this.anchorMs += (minutes * 1000) / this.minutesPerSecond;
  }

  /**
   * A follower until the returned function is called: while any follows, `tick` runs on a timer
   * (every simulated minute, at most every LIVE_TICK_MIN_MS).
   */
  watch(tick: () => void): () => void {
    this.watchers++;
    if (!this.stopTimer) {
      const tickMs = Math.max(LIVE_TICK_MIN_MS, Math.ceil(1000 / this.minutesPerSecond));
      this.stopTimer = this.clock.every(tickMs, tick);
    }
    let watching = true;
    return () => {
      if (!watching) return;
      watching = false;
      this.watchers--;
      if (this.watchers === 0) this.stop();
    };
  }

  /** Stops the timer, if one runs. */
  stop(): void {
    this.stopTimer?.();
    this.stopTimer = undefined;
  }
}
