/** A clock for tests: time moves only when the test says so, and due timers run then, in order. */
import type { Clock } from "../../src/env/clock.js";

interface Timer {
  next: number;
  interval: number;
  callback: () => void;
}

export class FakeClock implements Clock {
  private time: number;
  private readonly timers = new Map<number, Timer>();
  private nextId = 1;

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  every(intervalMs: number, callback: () => void): () => void {
    const id = this.nextId++;
    this.timers.set(id, { next: this.time + intervalMs, interval: intervalMs, callback });
    return () => this.timers.delete(id);
  }

  /** Timers still scheduled. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  /** Moves time forward by `ms` without running timers, as if the event loop had been blocked. */
  jump(ms: number): void {
    this.time += ms;
    for (const timer of this.timers.values()) while (timer.next <= this.time) timer.next += timer.interval;
  }

  /** Moves time forward by `ms`, running every timer that falls due on the way. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      let due: [number, Timer] | undefined;
      for (const entry of this.timers) if (entry[1].next <= end && (!due || entry[1].next < due[1].next)) due = entry;
      if (!due) break;
      const [id, timer] = due;
      this.time = timer.next;
      timer.next += timer.interval;
      if (this.timers.has(id)) timer.callback();
    }
    this.time = end;
  }
}
