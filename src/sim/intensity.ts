/**
 * How strong the fault is, minute by minute: 0 before the onset, growing to 1 while unmitigated
 * (at once for a step, linearly for a ramp), pushed up by fixes that backfire, decaying to 0
 * after a fix that works. A relief fix (a restart of a leaking service) brings it down for a
 * while, after which it grows again from 0.
 */
type FaultPhase = "latent" | "active" | "recovering" | "dormant" | "fixed";

interface GrowthSpec {
  shape: "step" | "ramp";
  minutesToFull: number;
}

/** A fix fades the fault out at least as fast as from this level (a nearly latent fault still ends within its recovery time). */
const MIN_DECAY_LEVEL = 0.01;

export class FaultIntensity {
  private phase: FaultPhase = "latent";
  private level = 0;
  private startedAt = 0;
  private bump = 0;
  private decayPerMinute = 0;
  private regrowAt = Infinity;
  private durable = false;

  constructor(
    private readonly growth: GrowthSpec,
    private readonly onsetMinute: number,
  ) {}

  /** An independent copy in the same state. */
  clone(): FaultIntensity {
    const copy = new FaultIntensity(this.growth, this.onsetMinute);
    Object.assign(copy, {
      phase: this.phase,
      level: this.level,
      startedAt: this.startedAt,
      bump: this.bump,
      decayPerMinute: this.decayPerMinute,
      regrowAt: this.regrowAt,
      durable: this.durable,
    });
    return copy;
  }

  get value(): number {
    return this.level;
  }

  get state(): FaultPhase {
    return this.phase;
  }

  /** Advances to `minute` (called once per simulated minute, in order). */
  tick(minute: number): void {
    switch (this.phase) {
      case "latent":
        if (minute >= this.onsetMinute) {
          this.phase = "active";
          this.startedAt = minute;
          this.grow(minute);
        }
        return;
      case "active":
        this.grow(minute);
        return;
      case "recovering":
        this.level = Math.max(0, this.level - this.decayPerMinute);
        if (this.level === 0) this.phase = this.durable ? "fixed" : "dormant";
        return;
      case "dormant":
        if (minute >= this.regrowAt) {
          this.phase = "active";
          this.startedAt = minute;
          this.bump = 0;
          this.grow(minute);
        }
        return;
      case "fixed":
        return;
    }
  }

  /** A fix that works lands now: the fault fades out over `recoveryMinutes`. */
  fix(minute: number, recoveryMinutes: number, relief?: { minutes: number }): void {
    if (this.phase === "fixed" || this.phase === "latent") return;
    this.phase = "recovering";
    this.decayPerMinute = Math.max(this.level, MIN_DECAY_LEVEL) / Math.max(1, recoveryMinutes);
    this.durable = relief === undefined;
    this.regrowAt = relief ? minute + recoveryMinutes + relief.minutes : Infinity;
  }

  /** A fix that backfires: the fault gets worse by `delta` (while it is active). */
  worsen(delta: number): void {
    if (this.phase !== "active") return;
    this.bump = Math.min(1, this.bump + delta);
    this.level = Math.min(1, this.level + delta);
  }

  private grow(minute: number): void {
    const progress = this.growth.shape === "step" ? 1 : Math.min(1, (minute - this.startedAt + 1) / Math.max(1, this.growth.minutesToFull));
    this.level = Math.min(1, Math.max(this.level, progress + this.bump));
  }
}
