/**
 * A small, fast, seedable pseudo-random generator (sfc32, seeded through splitmix32).
 *
 * Why our own: every random draw in the simulated world must be reproducible from the episode's
 * seed alone, across Node versions and platforms, so Math.random is never used in src/sim.
 * `fork(label)` derives an independent stream, so adding draws to one part of the world (say,
 * log noise) does not shift the numbers another part (say, metric noise) sees.
 */
/** The k-th output (from 1) of splitmix32 seeded with `seed`, as a signed 32-bit integer. */
function splitmix32(seed: number, k: number): number {
  let z = (seed + Math.imul(0x9e3779b9, k)) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return z ^ (z >>> 16);
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private readonly seed: number;

  constructor(seed: number) {
    this.seed = seed >>> 0;
    // splitmix32 spreads a small seed over the whole 128-bit state (forks make many generators).
    const s = this.seed;
    this.a = splitmix32(s, 1);
    this.b = splitmix32(s, 2);
    this.c = splitmix32(s, 3);
    this.d = splitmix32(s, 4);
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** A copy that continues the same sequence independently. */
  clone(): Rng {
    const copy = Object.create(Rng.prototype) as Rng;
    Object.assign(copy, { a: this.a, b: this.b, c: this.c, d: this.d, seed: this.seed });
    return copy;
  }

  /**
   * A uniform 32-bit unsigned integer. The state is kept as signed 32-bit integers (`| 0`), which
   * have the same bits as the unsigned words of sfc32 but stay unboxed in V8 (4x faster).
   */
  nextUint32(): number {
    const a = this.a;
    const b = this.b;
    const c = this.c;
    const d = this.d;
    const t = (a + b + d) | 0;
    this.d = (d + 1) | 0;
    this.a = b ^ (b >>> 9);
    this.b = (c + (c << 3)) | 0;
    this.c = (((c << 21) | (c >>> 11)) + t) | 0;
    return t >>> 0;
  }

  /** A uniform float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** A uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A uniform float in [min, max). */
  range(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("Rng.pick on an empty list");
    return items[this.int(0, items.length - 1)] as T;
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** A hex string of `length` characters, e.g. for trace ids. */
  hex(length: number): string {
    let out = "";
    while (out.length < length) out += this.nextUint32().toString(16).padStart(8, "0");
    return out.slice(0, length);
  }

  /**
   * An independent generator derived from this one's seed and a label. It does not depend on how
   * many numbers this generator has drawn, so forks stay stable when other code draws more.
   */
  fork(label: string): Rng {
    let h = 0x811c9dc5;
    for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193) >>> 0;
    return new Rng((Math.imul(this.seed ^ 0x5bd1e995, 0x27d4eb2d) ^ h) >>> 0);
  }
}
