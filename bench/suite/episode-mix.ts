/**
 * The one episode workload every episode row plays, in process and over each transport, so that
 * their rates compare: a medium reset with the actor's own episode id and a fresh seed, then
 * STEPS_PER_EPISODE inspect steps cycling through the topology's services. The episode never
 * reaches its last step (medium allows 14), so every step is an ordinary step; the rate counts
 * steps only, and the time includes the resets, as a trainer's would.
 */
export const STEPS_PER_EPISODE = 12;

/** Actors (concurrent episodes) of the unary and session rows, as in issue 9's measurements. */
export const ACTORS = 16;

/** Connections of the autocannon rows (the bare fastify yardstick uses the same). */
export const HTTP_CONNECTIONS = 50;

/**
 * Episodes each simulation thread plays before anything is measured, in process and in every
 * server (QUICK_WARMUP_EPISODES for --quick): V8 keeps optimizing the code that runs once per reset
 * for hundreds of medium episodes (bench/suite/in-process-child.ts), so fewer would measure a
 * process still compiling, not the steady state a long-running trainer or server works in.
 */
export const WARMUP_EPISODES = 1000;
export const QUICK_WARMUP_EPISODES = 50;

/** Seeds advance per reset so that no two consecutive episodes are the same world. */
let nextSeed = 1;
export function freshSeed(): number {
  nextSeed = (nextSeed % 1_000_000) + 1;
  return nextSeed;
}

/** The target of step `i` of an episode whose topology has `services`. */
export function targetOf(services: readonly string[], i: number): string {
  return services[i % Math.max(1, services.length)] ?? "api-gateway";
}
